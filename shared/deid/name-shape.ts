/**
 * The shape of a Chinese personal name: surnames, given-name characters, the boundary after a
 * name, and whether a title or unit beside it shows an official acting in their role.
 */

import { OFFICIAL_LABELS } from './fields.js';
import { isCjk } from './layout.js';
import {
  COMMON_WORDS,
  COMPOUND_SURNAMES,
  FOLLOW_WORDS,
  NON_GIVEN_CHARS,
  PRIVATE_CUES,
  STRONG_FOLLOW_CHARS,
  SURNAMES,
  TITLES,
  UNIT_SUFFIXES,
} from './lexicon.js';

/** Words indexed by their first and last character, so that most positions are rejected by one lookup. */
export class WordIndex {
  private readonly first = new Uint8Array(65536);
  private readonly last = new Uint8Array(65536);
  private readonly byFirst = new Map<number, string[]>();
  private readonly byLast = new Map<number, string[]>();

  constructor(words: readonly string[]) {
    // Longest first so that 副主任 is tried before 主任 and 办公室 before 室.
    const sorted = [...words].sort((a, b) => b.length - a.length);
    for (const w of sorted) {
      const f = w.charCodeAt(0);
      const l = w.charCodeAt(w.length - 1);
      this.first[f] = 1;
      this.last[l] = 1;
      this.byFirst.set(f, [...(this.byFirst.get(f) ?? []), w]);
      this.byLast.set(l, [...(this.byLast.get(l) ?? []), w]);
    }
  }

  /** The longest word starting at `pos`, if any. */
  startingAt(t: string, pos: number): string | undefined {
    const c = t.charCodeAt(pos);
    if (this.first[c] !== 1) return undefined;
    for (const w of this.byFirst.get(c) ?? []) if (t.startsWith(w, pos)) return w;
    return undefined;
  }

  /** The longest word ending just before `pos`, if any. */
  endingAt(t: string, pos: number): string | undefined {
    if (pos <= 0) return undefined;
    const c = t.charCodeAt(pos - 1);
    if (this.last[c] !== 1) return undefined;
    for (const w of this.byLast.get(c) ?? [])
      if (pos >= w.length && t.startsWith(w, pos - w.length)) return w;
    return undefined;
  }
}

export const TITLE_WORDS = new WordIndex(TITLES);
const PRIVATE_CUE_WORDS = new WordIndex(PRIVATE_CUES);
export const UNIT_WORDS = new WordIndex(UNIT_SUFFIXES);
/** Roles of persons acting for an office (执行员, 承办人, 审判员 …), as labels name them. */
export const OFFICIAL_ROLES = new WordIndex(OFFICIAL_LABELS);
const FOLLOW_WORDS_INDEX = new WordIndex(FOLLOW_WORDS);

// ---------------------------------------------------------------------------------------------
// Names

/** A name candidate `[start, end)` whose surname has `surnameLength` characters. */
export interface NameSpan {
  start: number;
  end: number;
  surnameLength: number;
}

export const PSEUDONYM_MARKS = new Set(['某', '×', 'X', 'x', '*', '＊', '○', '〇', 'Ｘ', '某某']);

export function isGivenChar(t: string, k: number): boolean {
  const ch = t[k];
  return ch !== undefined && isCjk(t.charCodeAt(k)) && !NON_GIVEN_CHARS.has(ch);
}

export function isNameBoundary(t: string, end: number): boolean {
  if (end >= t.length) return true;
  if (!isCjk(t.charCodeAt(end))) return true;
  if (STRONG_FOLLOW_CHARS.has(t[end] ?? '')) return true;
  return FOLLOW_WORDS_INDEX.startingAt(t, end) !== undefined || TITLE_WORDS.startingAt(t, end) !== undefined;
}

/** 1 for code units that start a surname (single or compound). */
export const SURNAME_START = new Uint8Array(65536);
for (const s of SURNAMES) SURNAME_START[s.charCodeAt(0)] = 1;
for (const s of COMPOUND_SURNAMES) SURNAME_START[s.charCodeAt(0)] = 1;
const COMPOUND_START = new Uint8Array(65536);
for (const s of COMPOUND_SURNAMES) COMPOUND_START[s.charCodeAt(0)] = 1;

/** Surname length at `p` (2 for compound surnames, 1, or 0 when no surname starts here). */
export function surnameAt(t: string, p: number): number {
  const c = t.charCodeAt(p);
  if (SURNAME_START[c] !== 1) return 0;
  if (COMPOUND_START[c] === 1 && COMPOUND_SURNAMES.has(t.slice(p, p + 2))) return 2;
  return SURNAMES.has(t[p] ?? '') ? 1 : 0;
}

/**
 * Parse a Chinese name at `p`: a surname, one or two given-name characters, then a boundary
 * (punctuation, a non-Chinese character, or a word that typically follows a name). Pseudonyms
 * (张某, 李某某, 王×) and ordinary words (陈述, 应当 …) are not names.
 */
export function parseName(t: string, p: number): NameSpan | null {
  const sl = surnameAt(t, p);
  if (sl === 0) return null;
  const g0 = t[p + sl];
  if (g0 === undefined || PSEUDONYM_MARKS.has(g0)) return null;
  if (TITLE_WORDS.startingAt(t, p + sl) !== undefined) return null;
  // 张三称… / 李四家…: a second given-name character that typically follows a name ends it early.
  const order = STRONG_FOLLOW_CHARS.has(t[p + sl + 1] ?? '') ? [1] : [2, 1];
  for (const g of order) {
    const end = p + sl + g;
    if (end > t.length) continue;
    let ok = true;
    for (let k = p + sl; k < end; k++) if (!isGivenChar(t, k)) ok = false;
    if (!ok || !isNameBoundary(t, end)) continue;
    const name = t.slice(p, end);
    if (COMMON_WORDS.has(name) || COMMON_WORDS.has(name.slice(0, 2))) return null;
    if (g === 2 && PSEUDONYM_MARKS.has(t[p + sl + 1] ?? '')) return null;
    return { start: p, end, surnameLength: sl };
  }
  return null;
}

const SKIP_BEFORE_NAME = ' \u3000\t：:';

/**
 * Is the name at `[start, end)` a person acting in an official role? A title or organisational
 * unit directly before (综合科科长杨锐超, 联系人：王川, also through a list: 执法人员王川、马皓) or a title
 * directly after (王川主任, 王川同志).
 */
export function isOfficialRole(t: string, start: number, end: number, checkBefore = true): boolean {
  let a = end;
  while (a < t.length && (t[a] === ' ' || t[a] === '\u3000')) a++;
  // 同志 follows private and public persons alike (困难群众冯素梅同志): no evidence either way.
  const after = TITLE_WORDS.startingAt(t, a);
  if (after !== undefined && after !== '同志') return true;
  if (t[a] === '（' || t[a] === '(') {
    if (TITLE_WORDS.startingAt(t, a + 1) !== undefined) return true;
  }
  // 法定代表人：许建国，局长。: a title standing alone after a comma is the person's office.
  if (t[a] === '，' || t[a] === ',') {
    const title = TITLE_WORDS.startingAt(t, a + 1);
    if (title !== undefined && title !== '同志' && '。；;，,'.includes(t[a + 1 + title.length] ?? '。'))
      return true;
  }
  if (!checkBefore) return false;
  let b = start;
  for (let hop = 0; hop < 8; hop++) {
    while (b > 0 && SKIP_BEFORE_NAME.includes(t[b - 1] ?? '')) b--;
    const title = TITLE_WORDS.endingAt(t, b);
    // 家属联系人：… / 申请人委托代理人…: a role held for a private person is no official role.
    if (title !== undefined) return PRIVATE_CUE_WORDS.endingAt(t, b - title.length) === undefined;
    if (UNIT_WORDS.endingAt(t, b) !== undefined) return true;
    if (t[b - 1] !== '、' && t[b - 1] !== '，' && t[b - 1] !== ',') return false;
    // Step over the previous list item (another name) and keep looking for the title.
    b--;
    let k = 0;
    while (b > 0 && k < 4 && isCjk(t.charCodeAt(b - 1))) {
      b--;
      k++;
    }
    if (k === 0 || k === 4) return false;
  }
  return false;
}

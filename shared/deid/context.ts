/**
 * Context rules on top of the scanner's findings: home addresses, dates of birth, person names
 * (role rules, private cues, binding to identifiers, propagation), and the private-or-organisation
 * decision for landlines and e-mail addresses. Works in normalized-text offsets.
 */
import {
  CLAUSE_TERMINATORS,
  COMMON_WORDS,
  COMPOUND_SURNAMES,
  FOLLOW_WORDS,
  FREE_MAIL_DOMAINS,
  NON_GIVEN_CHARS,
  ORG_CONTACT_CUES,
  ORG_MAIL_SUFFIXES,
  PRIVATE_CONTACT_CUES,
  PRIVATE_CUES,
  STRONG_FOLLOW_CHARS,
  SURNAMES,
  TITLES,
  UNIT_SUFFIXES,
} from './lexicon.js';
import type { CueHit, Finding, ScanResult } from './scanner.js';
import { isRealDate } from './validators.js';

const MAX_CLAUSE = 300;

function isCjk(c: number): boolean {
  return (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0xf900 && c <= 0xfaff);
}

const TERMINATOR = new Uint8Array(65536);
for (const ch of CLAUSE_TERMINATORS) TERMINATOR[ch.charCodeAt(0)] = 1;

/**
 * Clause bounds: a clause runs between two of 。；！？ or line breaks, and at most 300 characters
 * each way. Found by scanning from the position (bounded), with the last clause cached, so that
 * documents without findings never pay for it and walking forward through a text stays linear.
 */
export class ClauseIndex {
  private cachedStart = -1;
  private cachedEnd = -1;

  constructor(private readonly t: string) {}

  /** Bounds `[start, end)` of the clause around `pos`. */
  at(pos: number): { start: number; end: number } {
    // Callers mostly walk forward through the text: reuse the last clause when pos is inside it.
    if (pos >= this.cachedStart && pos < this.cachedEnd && pos - this.cachedStart <= MAX_CLAUSE) {
      return { start: this.cachedStart, end: Math.min(this.cachedEnd, pos + MAX_CLAUSE) };
    }
    const t = this.t;
    let s = pos;
    while (s > 0 && pos - s < MAX_CLAUSE && TERMINATOR[t.charCodeAt(s - 1)] !== 1) s--;
    let e = pos;
    while (e < t.length && e - pos < MAX_CLAUSE && TERMINATOR[t.charCodeAt(e)] !== 1) e++;
    this.cachedStart = s;
    this.cachedEnd = e;
    return { start: s, end: e };
  }
}

/** Words indexed by their first and last character, so that most positions are rejected by one lookup. */
class WordIndex {
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

const TITLE_WORDS = new WordIndex(TITLES);
const PRIVATE_CUE_WORDS = new WordIndex(PRIVATE_CUES);
const UNIT_WORDS = new WordIndex(UNIT_SUFFIXES);
const FOLLOW_WORDS_INDEX = new WordIndex(FOLLOW_WORDS);

// ---------------------------------------------------------------------------------------------
// Names

/** A name candidate `[start, end)` whose surname has `surnameLength` characters. */
export interface NameSpan {
  start: number;
  end: number;
  surnameLength: number;
}

const PSEUDONYM_MARKS = new Set(['某', '×', 'X', 'x', '*', '＊', '○', '〇', 'Ｘ', '某某']);

function isGivenChar(t: string, k: number): boolean {
  const ch = t[k];
  return ch !== undefined && isCjk(t.charCodeAt(k)) && !NON_GIVEN_CHARS.has(ch);
}

function isNameBoundary(t: string, end: number): boolean {
  if (end >= t.length) return true;
  if (!isCjk(t.charCodeAt(end))) return true;
  if (STRONG_FOLLOW_CHARS.has(t[end] ?? '')) return true;
  return FOLLOW_WORDS_INDEX.startingAt(t, end) !== undefined || TITLE_WORDS.startingAt(t, end) !== undefined;
}

/** 1 for code units that start a surname (single or compound). */
const SURNAME_START = new Uint8Array(65536);
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
  if (TITLE_WORDS.startingAt(t, a) !== undefined) return true;
  if (t[a] === '（' || t[a] === '(') {
    if (TITLE_WORDS.startingAt(t, a + 1) !== undefined) return true;
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

function isLeftBoundary(t: string, p: number, clauseStart: number): boolean {
  if (p <= clauseStart) return true;
  if (!isCjk(t.charCodeAt(p - 1))) return true;
  return t.startsWith('姓名', p - 2);
}

// ---------------------------------------------------------------------------------------------
// Addresses and dates of birth

function charTable(chars: string): Uint8Array {
  const table = new Uint8Array(65536);
  for (const ch of chars) table[ch.charCodeAt(0)] = 1;
  return table;
}

const ADDRESS_STOPS = charTable('，,。；;！!？?\n\r\t、|（(）)“”"');
const DETAIL_END = charTable('号室栋幢楼户组弄座层');
const LOCALITY = charTable('省市区县旗镇乡村街路巷道屯组庄寨苑园里号弄');
const TRAILING_AFTER_DETAIL = charTable('院楼房铺');
const ADDRESS_CUT = charTable('的因并向与和及');
const ADDRESS_LEAD = charTable(' \u3000：:');

/**
 * Parse the address that follows a cue at `p`: up to the last house/room detail (号, 室, 栋, 单元 …)
 * before the end of the phrase. `scanned` tells how far the text was read, so that cues inside that
 * stretch need not be parsed again.
 */
export function parseAddress(t: string, p: number): { start: number; end: number; scanned: number } | null {
  let s = p;
  while (s < t.length && ADDRESS_LEAD[t.charCodeAt(s)] === 1) s++;
  if (t[s] === '为' || t[s] === '在' || t[s] === '于') s++;
  while (s < t.length && ADDRESS_LEAD[t.charCodeAt(s)] === 1) s++;
  let w = s;
  while (w < t.length && w - s < 80 && ADDRESS_STOPS[t.charCodeAt(w)] !== 1) w++;
  let end = -1;
  for (let k = w - 1; k > s; k--) {
    if (DETAIL_END[t.charCodeAt(k)] === 1 || (t[k] === '元' && t[k - 1] === '单')) {
      end = k + 1;
      if (end < w && TRAILING_AFTER_DETAIL[t.charCodeAt(end)] === 1) end++;
      break;
    }
  }
  if (end < 0) {
    end = w;
    for (let k = s; k < w; k++) {
      if (ADDRESS_CUT[t.charCodeAt(k)] === 1) {
        end = k;
        break;
      }
    }
  }
  if (end - s < 4) return null;
  let locality = false;
  for (let k = s; k < end && !locality; k++) if (LOCALITY[t.charCodeAt(k)] === 1) locality = true;
  return locality ? { start: s, end, scanned: w } : { start: s, end: s, scanned: w };
}

function readNumber(t: string, p: number, min: number, max: number): { value: number; end: number } | null {
  let e = p;
  while (e < t.length && e - p < max && t.charCodeAt(e) >= 48 && t.charCodeAt(e) <= 57) e++;
  if (e - p < min) return null;
  return { value: Number(t.slice(p, e)), end: e };
}

/** Parse a date (year and month at least) at `p`: 1990年1月2日, 1990-01-02, 1990.1.2, 1990/01. */
export function parseDate(t: string, p: number): { start: number; end: number } | null {
  const y = readNumber(t, p, 4, 4);
  if (y === null) return null;
  const sep = t[y.end];
  if (sep !== '年' && sep !== '-' && sep !== '.' && sep !== '/') return null;
  const m = readNumber(t, y.end + 1, 1, 2);
  if (m === null) return null;
  let end = m.end;
  let day = 1;
  const sep2 = t[m.end];
  if (sep2 === '月' || (sep2 === sep && sep !== '年')) {
    end = m.end + 1;
    const d = readNumber(t, m.end + 1, 1, 2);
    if (d !== null) {
      day = d.value;
      end = d.end;
      if (t[end] === '日' || t[end] === '号') end++;
    } else if (sep2 !== '月') {
      end = m.end;
    }
  }
  if (!isRealDate(y.value, m.value, day)) return null;
  return { start: p, end };
}

const CONTINUING_AFTER_SHENG = '效产活态成命物长源病育存意涯还';

function parseBirth(t: string, cue: CueHit): Finding | null {
  if (cue.kind === 'birth-suffix') {
    // 1985年6月12日生 / 1985年6月生: the date ends with the cue's first character.
    const after = t.charCodeAt(cue.end);
    if (isCjk(after) && CONTINUING_AFTER_SHENG.includes(t[cue.end] ?? '')) return null;
    const dateEnd = cue.start + 1;
    for (let s = dateEnd - 5; s >= Math.max(0, dateEnd - 11); s--) {
      const d = parseDate(t, s);
      if (d !== null && d.end === dateEnd && (s === 0 || !isDigit(t.charCodeAt(s - 1))))
        return birthFinding(d);
    }
    return null;
  }
  let p = cue.end;
  while (p < t.length && ' \u3000：:于在为'.includes(t[p] ?? '')) p++;
  const d = parseDate(t, p);
  if (d !== null) return birthFinding(d);
  if (cue.end - cue.start === 2 && t.startsWith('出生', cue.start)) {
    // 1990年1月1日出生
    for (let s = cue.start - 5; s >= Math.max(0, cue.start - 11); s--) {
      const b = parseDate(t, s);
      if (b !== null && b.end === cue.start && (s === 0 || !isDigit(t.charCodeAt(s - 1))))
        return birthFinding(b);
    }
  }
  return null;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function birthFinding(d: { start: number; end: number }): Finding {
  return {
    type: 'birth-date',
    start: d.start,
    end: d.end,
    confidence: 0.9,
    reason: '出生日期（附近有出生关键词）',
  };
}

// ---------------------------------------------------------------------------------------------
// Putting it together

/** Types that tie a name in the same clause to a private person. */
const BINDING_TYPES = new Set([
  'resident-id',
  'resident-id-legacy',
  'mobile',
  'bank-card',
  'passport',
  'travel-permit',
  'home-address',
  'birth-date',
  'im-account',
  'licence-plate',
]);

interface PrivateName {
  reason: string;
}

/**
 * Apply the context rules to a scan of the normalized text `t`. Returns the findings to redact
 * (sorted, non-overlapping), in normalized offsets.
 */
export function applyContext(t: string, scan: ScanResult): Finding[] {
  if (scan.findings.length === 0 && scan.cues.length === 0) return [];
  const clauses = new ClauseIndex(t);
  const findings: Finding[] = [];
  const contacts: Finding[] = [];
  for (const f of scan.findings) (f.type === 'landline' || f.type === 'email' ? contacts : findings).push(f);
  const neutral = scan.cues.filter((c) => c.kind === 'neutral');
  const privateCues = scan.cues.filter(
    (c) => c.kind === 'private' && !neutral.some((n) => n.start <= c.start && c.end <= n.end),
  );
  const weakAddresses: Finding[] = [];
  let addressEnd = 0;
  for (const cue of scan.cues) {
    if (cue.kind === 'address-strong' || cue.kind === 'address-weak') {
      // A cue inside the address just parsed (…居住区…) is part of it, not a new address.
      if (cue.start < addressEnd) continue;
      const a = parseAddress(t, cue.end);
      if (a === null) continue;
      addressEnd = Math.max(a.end, a.scanned);
      if (a.end === a.start) continue;
      const f: Finding = {
        type: 'home-address',
        start: a.start,
        end: a.end,
        confidence: cue.kind === 'address-strong' ? 0.9 : 0.7,
        reason: cue.kind === 'address-strong' ? '住址（附近有住址关键词）' : '地址（所在语句涉及个人）',
      };
      (cue.kind === 'address-strong' ? findings : weakAddresses).push(f);
    } else if (cue.kind === 'birth' || cue.kind === 'birth-suffix') {
      const b = parseBirth(t, cue);
      if (b !== null) findings.push(b);
    }
  }

  const names = new Map<string, PrivateName>();
  const addName = (span: NameSpan, reason: string): void => {
    const name = t.slice(span.start, span.end);
    if (!names.has(name)) names.set(name, { reason });
  };

  // 1. Names right after a private cue (申请人张三, 救助对象：张三、李四).
  for (const cue of privateCues) {
    let p = cue.end;
    while (p < t.length && SKIP_BEFORE_NAME.includes(t[p] ?? '')) p++;
    if (t.startsWith('姓名', p)) p += 2;
    else if ('为是系叫'.includes(t[p] ?? '') && t[p] !== undefined) p++;
    while (p < t.length && SKIP_BEFORE_NAME.includes(t[p] ?? '')) p++;
    for (let item = 0; item < 200; item++) {
      const span = parseName(t, p);
      if (span === null || isOfficialRole(t, span.start, span.end, item > 0)) break;
      addName(span, '姓名（前有个人身份提示词）');
      // Lists: 张三、李四、王五 (also separated by spaces in tables).
      let q = span.end;
      if (t[q] === '、') q++;
      else if (t[q] === ' ' || t[q] === '\u3000') while (t[q] === ' ' || t[q] === '\u3000') q++;
      else break;
      p = q;
    }
  }

  // Accounts found only through a keyword (账号：…) stay when the account holder is an organisation.
  for (let k = findings.length - 1; k >= 0; k--) {
    const f = findings[k];
    if (f?.type === 'bank-card' && f.keywordOnly === true && isOrganisationAccount(t, f.start)) {
      findings.splice(k, 1);
    }
  }

  // 2. Names bound to a personal identifier in the same clause. Anchors are visited in order and
  // no character is scanned twice, so a text full of identifiers stays linear.
  const anchors = findings.filter((f) => BINDING_TYPES.has(f.type)).sort((a, b) => a.start - b.start);
  let scannedUpTo = 0;
  let anchorIndex = 0;
  for (const anchor of anchors) {
    const clause = clauses.at(anchor.start);
    for (let k = Math.max(clause.start, scannedUpTo); k < clause.end; k++) {
      if (surnameAt(t, k) === 0 || !isLeftBoundary(t, k, clause.start)) continue;
      const span = parseName(t, k);
      // A short word before a colon at the start of a clause is a label (户名：, 关根：), not a name.
      if (span === null || span.end > clause.end || t[span.end] === '：' || t[span.end] === ':') continue;
      while (anchorIndex < anchors.length && (anchors[anchorIndex]?.end ?? 0) <= span.start) anchorIndex++;
      const next = anchors[anchorIndex];
      if (next !== undefined && next.start < span.end) continue;
      if (isOfficialRole(t, span.start, span.end)) continue;
      addName(span, '姓名（与身份证号、电话或住址同句）');
      k = span.end - 1;
    }
    scannedUpTo = Math.max(scannedUpTo, clause.end);
  }

  // 3. 姓名 labels and name columns, in documents about private persons.
  const privateDocument = privateCues.length > 0 || anchors.length > 0;
  if (privateDocument) {
    let columnScannedUpTo = 0;
    for (const cue of scan.cues) {
      if (cue.kind !== 'name-label') continue;
      let p = cue.end;
      while (p < t.length && SKIP_BEFORE_NAME.includes(t[p] ?? '')) p++;
      const span = parseName(t, p);
      if (span !== null && !isOfficialRole(t, span.start, span.end, false))
        addName(span, '姓名（个人信息表）');
      else if (cue.start >= columnScannedUpTo) {
        const column = nameColumn(t, cue);
        columnScannedUpTo = column.scannedUpTo;
        for (const col of column.names) addName(col, '姓名（名单中的姓名列）');
      }
    }
  }

  // 4. Once private, every mention goes.
  if (names.size > 0) findings.push(...mentions(t, names));

  // 5. Addresses after weak cues, landlines and e-mail addresses: decided by their clause.
  const evidence =
    weakAddresses.length + contacts.length === 0 ? [] : privateEvidencePoints(findings, privateCues);
  const isPrivateAt = (pos: number): boolean => contactIsPrivate(t, pos, evidence, clauses.at(pos));
  const result: Finding[] = [...findings];
  for (const a of weakAddresses) {
    if (isPrivateAt(a.start)) result.push(a);
  }
  for (const c of contacts) {
    const isPrivate = isPrivateAt(c.start);
    if (c.type === 'landline') {
      if (isPrivate) result.push({ ...c, reason: '个人固定电话（所在语句涉及个人）' });
      continue;
    }
    const domain = t.slice(t.indexOf('@', c.start) + 1, c.end).toLowerCase();
    if (ORG_MAIL_SUFFIXES.some((s) => domain.endsWith(s))) continue;
    if (isPrivate) result.push({ ...c, reason: '个人电子邮箱（所在语句涉及个人）' });
    else if (FREE_MAIL_DOMAINS.has(domain) && lastCueBefore(t, c.start, ORG_CUES_BY_CHAR) < 0) {
      result.push({ ...c, reason: '个人电子邮箱（免费邮箱，非机构）' });
    }
  }
  return resolveOverlaps(result);
}

/** Bigram-indexed search for every mention of the private names (linear in the text). */
function mentions(t: string, names: Map<string, PrivateName>): Finding[] {
  const out: Finding[] = [];
  const push = (at: number, name: string, info: PrivateName): void => {
    const next = t[at + name.length];
    if (next !== undefined && PSEUDONYM_MARKS.has(next)) return;
    out.push({ type: 'person-name', start: at, end: at + name.length, confidence: 0.8, reason: info.reason });
  };
  if (names.size <= 16) {
    for (const [name, info] of names) {
      for (let at = t.indexOf(name); at >= 0; at = t.indexOf(name, at + name.length)) push(at, name, info);
    }
    return out;
  }
  const byBigram = new Map<string, string[]>();
  for (const name of names.keys()) {
    const key = name.slice(0, 2);
    const list = byBigram.get(key) ?? [];
    list.push(name);
    byBigram.set(key, list);
  }
  for (const list of byBigram.values()) list.sort((a, b) => b.length - a.length);
  for (let k = 0; k < t.length - 1; k++) {
    if (SURNAME_START[t.charCodeAt(k)] !== 1) continue;
    const list = byBigram.get(t.slice(k, k + 2));
    if (list === undefined) continue;
    for (const name of list) {
      if (t.startsWith(name, k)) {
        const info = names.get(name);
        if (info !== undefined) push(k, name, info);
        k += name.length - 1;
        break;
      }
    }
  }
  return out;
}

/** Sorted positions after which the text is about a private person (ends of findings and cues). */
function privateEvidencePoints(findings: Finding[], privateCues: CueHit[]): number[] {
  const points: number[] = [];
  for (const f of findings) points.push(f.end);
  for (const c of privateCues) points.push(c.end);
  return points.sort((a, b) => a - b);
}

/** Index of the first point ≥ value. */
function lowerBound(points: number[], value: number): number {
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((points[mid] ?? 0) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

interface CueIndex {
  first: Uint8Array;
  byChar: Map<string, string[]>;
}

function indexByFirstChar(words: readonly string[]): CueIndex {
  const byChar = new Map<string, string[]>();
  const first = new Uint8Array(65536);
  for (const w of words) {
    const list = byChar.get(w[0] ?? '') ?? [];
    list.push(w);
    byChar.set(w[0] ?? '', list);
    first[w.charCodeAt(0)] = 1;
  }
  return { first, byChar };
}

const ORG_CUES_BY_CHAR = indexByFirstChar(ORG_CONTACT_CUES);
const PRIVATE_CONTACT_BY_CHAR = indexByFirstChar(PRIVATE_CONTACT_CUES);
const CONTACT_LOOKBACK = 40;

/** End position of the last cue word from `index` that ends before `pos` (within the clause and 40 characters), or -1. */
function lastCueBefore(t: string, pos: number, index: CueIndex): number {
  let from = pos;
  while (from > 0 && pos - from < CONTACT_LOOKBACK && TERMINATOR[t.charCodeAt(from - 1)] !== 1) from--;
  let best = -1;
  for (let k = from; k < pos; k++) {
    if (index.first[t.charCodeAt(k)] !== 1) continue;
    for (const w of index.byChar.get(t[k] ?? '') ?? []) {
      if (k + w.length <= pos && t.startsWith(w, k)) best = Math.max(best, k + w.length);
    }
  }
  return best;
}

/**
 * Does the contact detail at `pos` belong to a private person? Private evidence (a personal
 * identifier, a private name, a private cue or 家庭电话/本人 …) in the clause decides, unless an
 * organisational cue (办公电话, 咨询电话, 联系人 …) stands closer before the detail.
 */
function contactIsPrivate(
  t: string,
  pos: number,
  evidence: number[],
  clause: { start: number; end: number },
): boolean {
  let privateAt = -1;
  const i = lowerBound(evidence, pos + 1) - 1;
  const before = evidence[i];
  if (before !== undefined && before > clause.start) privateAt = before;
  else {
    const after = evidence[lowerBound(evidence, pos + 1)];
    if (after !== undefined && after <= clause.end) privateAt = clause.start;
  }
  privateAt = Math.max(privateAt, lastCueBefore(t, pos, PRIVATE_CONTACT_BY_CHAR));
  if (privateAt < 0) return false;
  return privateAt >= lastCueBefore(t, pos, ORG_CUES_BY_CHAR);
}

/** 户名：银川市财政局 … 账号：… — the clause names an organisation as the account holder. */
function isOrganisationAccount(t: string, pos: number): boolean {
  const from = Math.max(0, pos - 80);
  const before = t.slice(from, pos);
  const at = before.lastIndexOf('户名');
  if (at < 0) return before.includes('对公');
  let k = at + 2;
  while (k < before.length && '：: '.includes(before[k] ?? '')) k++;
  let e = k;
  while (e < before.length && !'，,；;。\n（('.includes(before[e] ?? '')) e++;
  return UNIT_WORDS.endingAt(before, e) !== undefined || /财政|国库|非税|银行/.test(before.slice(k, e));
}

/** Cells under a 姓名 column header: same column index in the following lines of the table. */
function nameColumn(t: string, header: CueHit): { names: NameSpan[]; scannedUpTo: number } {
  const lineStart = t.lastIndexOf('\n', header.start - 1) + 1;
  let lineEnd = t.indexOf('\n', header.start);
  if (lineEnd < 0) lineEnd = t.length;
  const headerCells = cells(t, lineStart, lineEnd);
  const column = headerCells.findIndex((c) => c.start <= header.start && header.end <= c.end);
  const headerCell = headerCells[column];
  if (
    column < 0 ||
    headerCell === undefined ||
    headerCell.end - headerCell.start !== 2 ||
    headerCells.length < 2
  ) {
    return { names: [], scannedUpTo: lineEnd };
  }
  const out: NameSpan[] = [];
  let s = lineEnd + 1;
  for (let row = 0; row < 5000 && s < t.length; row++) {
    let e = t.indexOf('\n', s);
    if (e < 0) e = t.length;
    if (e === s) break;
    const row_ = cells(t, s, e);
    // A row with too few cells ends the table; a second header starts its own table.
    if (row_.length < 2 || t.slice(s, e).includes('姓名')) break;
    const cell = row_[column];
    if (cell !== undefined) {
      const span = parseName(t, cell.start);
      if (span !== null && span.end === cell.end) out.push(span);
    }
    s = e + 1;
  }
  return { names: out, scannedUpTo: s };
}

function cells(t: string, s: number, e: number): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  let k = s;
  while (k < e) {
    while (k < e && ' \t\u3000|'.includes(t[k] ?? '')) k++;
    if (k >= e) break;
    const c = k;
    while (k < e && !' \t\u3000|'.includes(t[k] ?? '')) k++;
    out.push({ start: c, end: k });
  }
  return out;
}

const PRIORITY: Record<string, number> = {
  'resident-id': 10,
  'bank-card': 9,
  'resident-id-legacy': 9,
  mobile: 9,
  passport: 8,
  'travel-permit': 8,
  email: 8,
  landline: 7,
  'im-account': 7,
  'licence-plate': 7,
  'home-address': 6,
  'birth-date': 5,
  'person-name': 4,
};

/**
 * Sort and merge overlapping findings. Dropping one of two overlapping spans could leave part of a
 * value in the output, so overlapping spans become one span of the more important type.
 */
export function resolveOverlaps(findings: Finding[]): Finding[] {
  const sorted = [...findings].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Finding[] = [];
  for (const f of sorted) {
    const last = out[out.length - 1];
    if (last === undefined || f.start >= last.end) {
      out.push(f);
      continue;
    }
    if (f.end <= last.end) continue;
    const lenF = f.end - f.start;
    const lenL = last.end - last.start;
    const keepF = lenF > lenL || (lenF === lenL && (PRIORITY[f.type] ?? 0) > (PRIORITY[last.type] ?? 0));
    const winner = keepF ? f : last;
    out[out.length - 1] = { ...winner, start: last.start, end: f.end };
  }
  return out;
}

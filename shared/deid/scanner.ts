/**
 * The single pass over a (character-normalized) text. It finds identifier-shaped tokens, e-mail
 * addresses and the cue words the context rules need, and validates identifiers on the spot.
 *
 * Speed matters here (the whole engine is held to ≥ 50 MiB/s): the text is copied into a
 * Uint16Array and one table lookup per code unit decides whether anything has to happen at all.
 * Only digits, ASCII letters, `@` and the (rarest) trigger character of each cue word leave the
 * loop. No regular expression runs over the text, so nothing can backtrack.
 */
import {
  BIRTH_CUES,
  CLAUSE_TERMINATORS,
  NAME_LABELS,
  NEUTRAL_CUES,
  PLATE_PROVINCES,
  PLATE_SUFFIXES,
  PRIVATE_CUES,
  STRONG_ADDRESS_CUES,
  WEAK_ADDRESS_CUES,
} from './lexicon.js';
import { NEEDS_NORMALIZATION, T_DIGIT, T_LETTER, T_SEP, TOKEN_CLASS } from './normalize.js';
import type { PiiType } from './types.js';
import {
  allDigits,
  isPlausibleResidentId15,
  isValidLandline,
  isValidMobile,
  isValidResidentId18,
  luhnValid,
  plausibleCardPrefix,
} from './validators.js';

/** What a cue word announces. */
export type CueKind =
  | 'private'
  | 'neutral'
  | 'address-strong'
  | 'address-weak'
  | 'birth'
  | 'birth-suffix'
  | 'name-label';

/** A validated or context-dependent finding, in normalized-text offsets. */
export interface Finding {
  type: PiiType;
  start: number;
  end: number;
  confidence: number;
  reason: string;
  /** Found through a keyword alone (no checksum): context may still show it is not personal. */
  keywordOnly?: boolean;
  /** A name of the person a punishment publicity is about. */
  concerned?: boolean;
}

/** A cue word occurrence, in normalized-text offsets. */
export interface CueHit {
  kind: CueKind;
  start: number;
  end: number;
}

/** Everything the pass found. */
export interface ScanResult {
  findings: Finding[];
  cues: CueHit[];
}

const H_DIGIT = 1;
const H_LETTER = 2;
const H_AT = 3;
const H_CUE = 4;
const H_NORM = 5;

/** What the hot loop does with each code unit. */
const HOT = new Uint8Array(65536);
for (let c = 0; c < 65536; c++) {
  if (NEEDS_NORMALIZATION[c] === 1) HOT[c] = H_NORM;
  else if (TOKEN_CLASS[c] === T_DIGIT) HOT[c] = H_DIGIT;
  else if (TOKEN_CLASS[c] === T_LETTER) HOT[c] = H_LETTER;
}
HOT[64] = H_AT;

interface CueEntry {
  word: string;
  offset: number;
  kind: CueKind;
  /** Relative position and code of one other character of the word, checked before startsWith. */
  probe: number;
  probeCode: number;
}

/**
 * The 400 most frequent Chinese characters of a real policy document (the seed 实施方案), most
 * frequent first. A cue word is looked up from its rarest character, so that the hot loop leaves
 * for as few positions as possible.
 */
const FREQUENCY_ORDER =
  '公开政务的工作要策信发实和府进银法息市据人重关行川大中数点等民办会依推化制社权主任一通求及强读规建情好心方决理解展动时众保与性业力为导围范式做对文有施全知放意加组服定件机合步结体平切持领应设原则目事舆部效布责坚参监督项过谁产内年于面执确完善共台度提不网见取分员前号案落以绕二按照党密厅处查障容贯国深新群果回标是外严明报广泛措听集相审到申请长当门引成日真彻家治室职能委本突着下五享基三需站涉况采议上同线形个调小置期综科署特问兼出正准管域升续健律表运道营造除格征利益程在具各级配环把织负后识早研立优属用整无页构称认根我际代指紧题统入增转促经济针例举达维护可畅系渠良晓向草证谈多种收纳予说由改革协答复财预算扩投媒境节论起传四影响现判互咨询反功企生类更次队伍充专稳访其守秘拟批录逐副扫碍者版位首索状态名自区印该总习近色义思想注热难念筹顾变简康助满型宪纪凡必须符尊选肃靠误杜绝半或假拓努透约交流沟氛扎均身座未骤';
const FREQUENCY_RANK = new Map<string, number>();
for (let k = 0; k < FREQUENCY_ORDER.length; k++)
  FREQUENCY_RANK.set(FREQUENCY_ORDER[k] ?? '', FREQUENCY_ORDER.length - k);
// Punctuation is never a trigger.
for (const ch of '，,、：:') FREQUENCY_RANK.set(ch, 10_000);

/** Cue entries by trigger code unit: CUE_SLOT[code] - 1 indexes CUE_LISTS. */
const CUE_SLOT = new Uint16Array(65536);
const CUE_LISTS: CueEntry[][] = [];

function addCues(words: readonly string[], kind: CueKind): void {
  for (const word of words) {
    let offset = 0;
    let rank = Number.POSITIVE_INFINITY;
    for (let k = 0; k < word.length; k++) {
      const r = FREQUENCY_RANK.get(word[k] ?? '') ?? 0;
      if (r < rank) {
        rank = r;
        offset = k;
      }
    }
    const code = word.charCodeAt(offset);
    if (CUE_SLOT[code] === 0) {
      CUE_LISTS.push([]);
      CUE_SLOT[code] = CUE_LISTS.length;
    }
    const probe = offset + 1 < word.length ? 1 : -1;
    CUE_LISTS[(CUE_SLOT[code] ?? 1) - 1]?.push({
      word,
      offset,
      kind,
      probe,
      probeCode: word.charCodeAt(offset + probe),
    });
    HOT[code] = H_CUE;
  }
}
addCues(PRIVATE_CUES, 'private');
addCues(NEUTRAL_CUES, 'neutral');
addCues(STRONG_ADDRESS_CUES, 'address-strong');
addCues(WEAK_ADDRESS_CUES, 'address-weak');
addCues(BIRTH_CUES, 'birth');
addCues(NAME_LABELS, 'name-label');
// Longest first, so that 户籍所在地 wins over 户籍地 and 被申请人 over 申请人 at the same trigger.
for (const list of CUE_LISTS) list.sort((a, b) => b.word.length - a.word.length);

/**
 * Scan `t` (whose code units are `u`). With `rawMode` the pass gives up (returns null) at the
 * first character that needs normalization, so that clean texts never pay for building a map.
 */
export function scan(t: string, u: Uint16Array, rawMode: boolean): ScanResult | null {
  const n = u.length;
  const findings: Finding[] = [];
  const cues: CueHit[] = [];
  const hot = HOT;
  for (let i = 0; i < n; i++) {
    const h = hot[u[i] ?? 0];
    if (h === 0) continue;
    if (h === H_DIGIT || h === H_LETTER) {
      i = scanToken(t, u, i, findings) - 1;
      // 1985年6月12日生 / 1985年6月生: a date of birth announced after the date.
      const next = u[i + 1];
      if ((next === 0x65e5 || next === 0x6708) && u[i + 2] === 0x751f) {
        cues.push({ kind: 'birth-suffix', start: i + 1, end: i + 3 });
      }
    } else if (h === H_CUE) {
      matchCue(t, i, cues);
    } else if (h === H_AT) {
      i = scanEmail(t, i, findings) - 1;
    } else if (rawMode) {
      return null;
    }
  }
  return { findings, cues };
}

function matchCue(t: string, i: number, cues: CueHit[]): void {
  const list = CUE_LISTS[(CUE_SLOT[t.charCodeAt(i)] ?? 0) - 1];
  if (list === undefined) return;
  for (const entry of list) {
    if (t.charCodeAt(i + entry.probe) !== entry.probeCode) continue;
    const s = i - entry.offset;
    if (s >= 0 && t.startsWith(entry.word, s)) {
      cues.push({ kind: entry.kind, start: s, end: s + entry.word.length });
      return;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// E-mail addresses

function isLocalChar(c: number): boolean {
  const k = TOKEN_CLASS[c];
  return k === T_DIGIT || k === T_LETTER || c === 46 || c === 95 || c === 37 || c === 43 || c === 45;
}

function isDomainChar(c: number): boolean {
  const k = TOKEN_CLASS[c];
  return k === T_DIGIT || k === T_LETTER || c === 46 || c === 45;
}

/** `at` is the index of an `@`. Returns the index where the main loop continues. */
function scanEmail(t: string, at: number, findings: Finding[]): number {
  let ls = at;
  // The local part is at most 64 characters and cannot contain another @, so this is bounded.
  while (ls > 0 && at - ls < 64 && isLocalChar(t.charCodeAt(ls - 1))) ls--;
  while (ls < at && t.charCodeAt(ls) === 46) ls++;
  if (ls === at) return at + 1;
  const n = t.length;
  let de = at + 1;
  while (de < n && de - at <= 253 && isDomainChar(t.charCodeAt(de))) de++;
  while (de > at + 1 && (t.charCodeAt(de - 1) === 46 || t.charCodeAt(de - 1) === 45)) de--;
  let lastDot = de - 1;
  while (lastDot > at && t.charCodeAt(lastDot) !== 46) lastDot--;
  if (lastDot <= at + 1 || de - lastDot - 1 < 2) return at + 1;
  for (let k = lastDot + 1; k < de; k++) if (TOKEN_CLASS[t.charCodeAt(k)] !== T_LETTER) return at + 1;
  findings.push({ type: 'email', start: ls, end: de, confidence: 0.95, reason: '电子邮箱地址' });
  return de;
}

// ---------------------------------------------------------------------------------------------
// Tokens: runs of digits/letters with separators inside

/** No identifier is longer than this many characters of one class (cards 19, WeChat ids 20). */
const MAX_GROUP = 20;
/** Group kind of an over-long run (see MAX_GROUP). */
const OPAQUE = 2;

/** Compact (separator-free, letters upper-cased) code units of the current token. */
let tc = new Uint16Array(1024);
/** Index in `t` of each compact unit. */
let tp = new Int32Array(1024);
/** `bnd[k] === 1` when a group boundary lies just before compact unit k (and at the end). */
let bnd = new Uint8Array(1025);
/** Compact index where each group starts, whether it is a letter group, where its digit run ends. */
let gStart = new Int32Array(256);
let gLetter = new Uint8Array(256);
let dEnd = new Int32Array(256);

function growUnits(): void {
  const size = tc.length * 2;
  const a = new Uint16Array(size);
  a.set(tc);
  tc = a;
  const b = new Int32Array(size);
  b.set(tp);
  tp = b;
  const c = new Uint8Array(size + 1);
  c.set(bnd);
  bnd = c;
}

function growGroups(): void {
  const size = gStart.length * 2;
  const a = new Int32Array(size);
  a.set(gStart);
  gStart = a;
  const b = new Uint8Array(size);
  b.set(gLetter);
  gLetter = b;
  dEnd = new Int32Array(size);
}

function isAlnumCode(c: number): boolean {
  const k = TOKEN_CLASS[c];
  return k === T_DIGIT || k === T_LETTER;
}

/** A line at least this long before a break may have been cut by a wrap. */
const WRAPPED_LINE = 20;

function isWrapBreak(t: string, j: number): boolean {
  const start = t.lastIndexOf('\n', j - 1) + 1;
  return j - start >= WRAPPED_LINE;
}

/** Scan the token starting at `i`; returns the index just after it. */
function scanToken(t: string, u: Uint16Array, i: number, findings: Finding[]): number {
  const n = u.length;
  let len = 0;
  let groups = 0;
  let j = i;
  let tokenEnd = i;
  while (j < n) {
    const k = TOKEN_CLASS[u[j] ?? 0];
    if (k === T_DIGIT || k === T_LETTER) {
      // One group = one run of digits or of letters.
      let r = j + 1;
      while (r < n && TOKEN_CLASS[u[r] ?? 0] === k) r++;
      if (groups === gStart.length) growGroups();
      while (len + Math.min(r - j, MAX_GROUP + 1) + 1 >= tc.length) growUnits();
      bnd[len] = 1;
      gStart[groups] = len;
      if (r - j > MAX_GROUP) {
        // Longer than any identifier: one opaque unit that no match can include.
        gLetter[groups] = OPAQUE;
        tc[len] = 0xffff;
        tp[len] = j;
        len++;
      } else {
        gLetter[groups] = k === T_LETTER ? 1 : 0;
        for (let q = j; q < r; q++) {
          const c = u[q] ?? 0;
          if (q > j) bnd[len] = 0;
          tc[len] = c >= 97 ? c - 32 : c;
          tp[len] = q;
          len++;
        }
      }
      groups++;
      j = r;
      tokenEnd = r;
      continue;
    }
    if (k === T_SEP) {
      // Up to three separators between two alphanumerics keep the token going (139 1234 5678, 宁A·12345).
      let m = j + 1;
      while (m < n && m - j < 3 && TOKEN_CLASS[u[m] ?? 0] === T_SEP) m++;
      if (m < n && isAlnumCode(u[m] ?? 0)) {
        j = m;
        continue;
      }
    }
    // A line break that ends a long line is a wrap of PDF-extracted text (18025980\n515): the token
    // goes on. After a short line (a paragraph, a cell of its own) it is a boundary.
    if ((u[j] === 10 || u[j] === 13) && isWrapBreak(t, j)) {
      let m = j + 1;
      while (m < n && m - j < 3 && (u[m] === 10 || TOKEN_CLASS[u[m] ?? 0] === T_SEP)) m++;
      if (m < n && isAlnumCode(u[m] ?? 0)) {
        j = m;
        continue;
      }
    }
    break;
  }
  bnd[len] = 1;
  const end = tokenEnd;
  // Nothing personal is shorter than five characters (a WeChat id may continue after an underscore).
  if (len < 5 && t.charCodeAt(end) !== 95) return end;
  const start = tp[0] ?? i;
  const before = start > 0 ? t.charCodeAt(start - 1) : 0;
  const after = end < n ? t.charCodeAt(end) : 0;
  // Part of an e-mail address, a domain name or a decimal number: not an identifier on its own.
  if (after === 64 || before === 64) return end;
  // A decimal number glued to the token (…618 2014.11) takes only its own group with it.
  let firstGroup = 0;
  if (before === 46 && start >= 2 && isAlnumCode(t.charCodeAt(start - 2))) {
    if (groups === 1) return end;
    firstGroup = 1;
  }
  if (after === 46 && end + 1 < n && isAlnumCode(t.charCodeAt(end + 1))) {
    if (groups - firstGroup <= 1) return end;
    groups--;
    len = gStart[groups] ?? len;
  }
  // Digit run ends, from the right.
  for (let g = groups - 1; g >= 0; g--) {
    const gs = gStart[g] ?? 0;
    if (gLetter[g] !== 0) dEnd[g] = gs;
    else if (g + 1 < groups && gLetter[g + 1] === 0) dEnd[g] = dEnd[g + 1] ?? gs;
    else dEnd[g] = g + 1 < groups ? (gStart[g + 1] ?? len) : len;
  }
  matchGroups(t, len, groups, end, findings, firstGroup);
  return end;
}

// ---------------------------------------------------------------------------------------------
// Keywords before a token

type KeywordKind = 'keep' | 'id' | 'card' | 'phone' | 'qq' | 'wechat' | 'passport' | 'permit';

const KEYWORDS: [KeywordKind, string[]][] = [
  [
    'keep',
    [
      '信用代码',
      '组织机构代码',
      '纳税人识别号',
      '税号',
      '注册号',
      '索引号',
      '许可证',
      '登记证',
      '统一代码',
      '文号',
    ],
  ],
  ['id', ['身份证', '身份号', '证件号', '公民身份', '居住证', '永居证', '永久居留', '身份号码']],
  [
    'card',
    [
      '卡号',
      '银行卡',
      '账号',
      '帐号',
      '账户',
      '帐户',
      '开户',
      '储蓄卡',
      '借记卡',
      '信用卡',
      '存折',
      '收款',
      '社保卡',
    ],
  ],
  ['phone', ['电话', '座机', '固话', '联系方式', 'TEL', '传真', '手机', '联系']],
  ['qq', ['QQ', '扣扣']],
  ['wechat', ['微信', 'WECHAT', 'WEIXIN', 'WX', 'VX']],
  ['passport', ['护照', 'PASSPORT']],
  ['permit', ['通行证', '台胞证', '回乡证', '往来港澳', '往来台湾', '来往大陆', '来往内地']],
];

/** Words that, right after a QQ/WeChat keyword, make it about a group or an official account. */
const NOT_PERSONAL_AFTER_IM = ['群', '公众', '小程序', '支付', '视频号', '服务号', '订阅号'];

const WINDOW = 24;

const TERMINATOR = new Uint8Array(65536);
for (const ch of CLAUSE_TERMINATORS) TERMINATOR[ch.charCodeAt(0)] = 1;

interface KeywordEntry {
  kind: KeywordKind;
  word: string;
}
/** Keywords by the (upper-cased) code of their last character; KEYWORD_END flags those codes. */
const KEYWORDS_BY_END = new Map<number, KeywordEntry[]>();
const KEYWORD_END = new Uint8Array(65536);
for (const [kind, words] of KEYWORDS) {
  for (const word of words) {
    const code = word.charCodeAt(word.length - 1);
    KEYWORDS_BY_END.set(code, [...(KEYWORDS_BY_END.get(code) ?? []), { kind, word }]);
    KEYWORD_END[code] = 1;
  }
}
for (const list of KEYWORDS_BY_END.values()) list.sort((x, y) => y.word.length - x.word.length);

const upper = (c: number): number => (c >= 97 && c <= 122 ? c - 32 : c);

/** Does `word` (upper-case ASCII or Chinese) occur at `pos`, ignoring ASCII case? */
function keywordAt(t: string, pos: number, word: string): boolean {
  if (pos < 0) return false;
  for (let k = 0; k < word.length; k++) if (upper(t.charCodeAt(pos + k)) !== word.charCodeAt(k)) return false;
  return true;
}

/**
 * The keyword nearest before `pos` within the clause and 24 characters, if any. Scans backwards,
 * so the common case (身份证号：…, 电话：…) stops after a few characters.
 */
function nearestKeyword(t: string, pos: number): KeywordKind | undefined {
  const limit = Math.max(0, pos - WINDOW);
  for (let e = pos; e > limit; e--) {
    const code = upper(t.charCodeAt(e - 1));
    if (TERMINATOR[code] === 1) return undefined;
    if (KEYWORD_END[code] !== 1) continue;
    for (const { kind, word } of KEYWORDS_BY_END.get(code) ?? []) {
      if (e - word.length < limit || !keywordAt(t, e - word.length, word)) continue;
      if (kind === 'qq' || kind === 'wechat') {
        const rest = t.slice(e, pos);
        if (NOT_PERSONAL_AFTER_IM.some((w) => rest.includes(w))) continue;
      }
      return kind;
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Matching identifiers on group-aligned windows of the token

const NOT_FOUND = 0;

function isPlateSerialChar(c: number): boolean {
  // Plates never use I or O.
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90 && c !== 73 && c !== 79);
}

function digitCount(from: number, to: number): number {
  let d = 0;
  for (let k = from; k < to; k++) if ((tc[k] ?? 0) <= 57) d++;
  return d;
}

function matchGroups(
  t: string,
  len: number,
  groups: number,
  tokenEnd: number,
  findings: Finding[],
  firstGroup: number,
): void {
  let keyword: KeywordKind | undefined | null = null;
  const kw = (): KeywordKind | undefined => {
    if (keyword === null) keyword = nearestKeyword(t, tp[0] ?? 0);
    return keyword;
  };
  for (let gi = firstGroup; gi < groups; gi++) {
    const cs = gStart[gi] ?? 0;
    if (len - cs < 5 && !(gi === 0 && t.charCodeAt(tokenEnd) === 95)) break;
    let bestL = NOT_FOUND;
    let bestType: PiiType = 'mobile';
    let confidence = 0;
    let reason = '';
    let startPos = tp[cs] ?? 0;
    let endPos = -1;
    let keywordOnly = false;
    if (gLetter[gi] === 0) {
      const run = (dEnd[gi] ?? cs) - cs;
      // 18-character resident ID (17 digits and a digit or X).
      if (len - cs >= 18 && bnd[cs + 18] === 1 && (run >= 18 || (run === 17 && tc[cs + 17] === 88))) {
        if (isValidResidentId18(tc, cs) && kw() !== 'keep') {
          bestL = 18;
          bestType = 'resident-id';
          confidence = 0.99;
          reason = '18位身份证号码（地区码、出生日期、校验位均有效）';
        }
      }
      // Bank card: 16/19 digits with Luhn and an issuer prefix, or 15-19 digits after a card keyword.
      for (let L = 19; L >= 15 && L > bestL; L--) {
        if (L > run || bnd[cs + L] !== 1) continue;
        const k = kw();
        if (k === 'keep') break;
        if (k === 'card') {
          bestL = L;
          bestType = 'bank-card';
          confidence = 0.9;
          reason = '银行卡号（附近有卡号关键词）';
          keywordOnly = true;
          break;
        }
        if ((L === 16 || L === 19) && plausibleCardPrefix(tc, cs) && luhnValid(tc, cs, L)) {
          bestL = L;
          bestType = 'bank-card';
          confidence = 0.85;
          reason = '银行卡号（Luhn 校验通过）';
          break;
        }
      }
      // 15-digit first-generation ID after an ID keyword.
      if (bestL < 15 && run >= 15 && bnd[cs + 15] === 1 && kw() === 'id' && isPlausibleResidentId15(tc, cs)) {
        bestL = 15;
        bestType = 'resident-id-legacy';
        confidence = 0.9;
        reason = '15位身份证号码（附近有证件关键词）';
      }
      // Mobile, optionally with 86 / 0086 in front.
      if (bestL < 15 && run >= 15 && bnd[cs + 15] === 1 && tc[cs] === 48 && tc[cs + 1] === 48) {
        if (tc[cs + 2] === 56 && tc[cs + 3] === 54 && isValidMobile(tc, cs + 4)) {
          bestL = 15;
          bestType = 'mobile';
          confidence = 0.97;
          reason = '手机号码（带国际区号）';
        }
      }
      if (bestL < 13 && run >= 13 && bnd[cs + 13] === 1 && tc[cs] === 56 && tc[cs + 1] === 54) {
        if (isValidMobile(tc, cs + 2)) {
          bestL = 13;
          bestType = 'mobile';
          confidence = 0.97;
          reason = '手机号码（带国际区号）';
        }
      }
      if (bestL < 11 && run >= 11 && bnd[cs + 11] === 1 && isValidMobile(tc, cs)) {
        bestL = 11;
        bestType = 'mobile';
        confidence = 0.97;
        reason = '手机号码（号段有效）';
      }
      if (bestType === 'mobile' && bestL > 0 && cs === 0 && t.charCodeAt(startPos - 1) === 43) startPos--;
      // Landline with area code; without one only after a telephone keyword.
      // A written area code is a group of three or four digits (0951-, (0479)); 09-06 2025-10-24 is dates.
      const firstGroup = (gi + 1 < groups ? (gStart[gi + 1] ?? len) : len) - cs;
      if (bestL === NOT_FOUND && tc[cs] === 48 && (firstGroup >= 3 || firstGroup >= run)) {
        for (let L = 12; L >= 10; L--) {
          if (L <= run && bnd[cs + L] === 1 && isValidLandline(tc, cs, L)) {
            bestL = L;
            bestType = 'landline';
            confidence = 0.8;
            reason = '固定电话号码';
            // (0951)5012345: take the opening bracket too, so that no lone bracket is left behind.
            const open = t.charCodeAt(startPos - 1);
            if (open === 40 || open === 0xff08) startPos--;
            break;
          }
        }
      }
      const wholeGroup = cs + run === len && (gi + 1 === groups || (gStart[gi + 1] ?? len) >= len);
      if (
        bestL === NOT_FOUND &&
        (run === 7 || run === 8) &&
        cs + run === len &&
        (tc[cs] ?? 0) >= 50 &&
        shortestGroup(gi, cs + run, groups) >= 3
      ) {
        if (kw() === 'phone') {
          bestL = run;
          bestType = 'landline';
          confidence = 0.6;
          reason = '固定电话号码（无区号，附近有电话关键词）';
        }
      }
      // QQ number after a QQ keyword (glued "QQ12345678" too).
      if (bestL === NOT_FOUND && run >= 5 && run <= 11 && wholeGroup && tc[cs] !== 48) {
        const glued = gi > 0 && gLetter[gi - 1] === 1 && isGroupText(gi - 1, 'QQ');
        if (glued || kw() === 'qq') {
          bestL = run;
          bestType = 'im-account';
          confidence = 0.85;
          reason = 'QQ号码（附近有QQ关键词）';
        }
      }
      // All-digit travel permit numbers (台胞证 8 digits, 回乡证 8-11).
      if (
        bestL === NOT_FOUND &&
        run >= 8 &&
        run <= 11 &&
        wholeGroup &&
        (kw() === 'permit' || kw() === 'passport')
      ) {
        bestL = run;
        bestType = kw() === 'permit' ? 'travel-permit' : 'passport';
        confidence = 0.8;
        reason = kw() === 'permit' ? '通行证号码（附近有证件关键词）' : '护照号码（附近有证件关键词）';
      }
      // WeChat id made of digits.
      if (bestL === NOT_FOUND && gi === 0 && run >= 5 && run <= 20 && wholeGroup && kw() === 'wechat') {
        endPos = extendImId(t, tokenEnd, tp[cs] ?? 0);
        if (endPos - startPos >= 5 && endPos - startPos <= 20) {
          bestL = len - cs;
          bestType = 'im-account';
          confidence = 0.8;
          reason = '微信号（附近有微信关键词）';
        } else endPos = -1;
      }
    } else if (gLetter[gi] === 1) {
      const letters = (gStart[gi + 1] ?? len) - cs;
      // Passport / permit: one or two letters and 7-9 digits after a keyword.
      if (letters <= 2 && gi + 1 < groups) {
        const digits = (dEnd[gi + 1] ?? 0) - (gStart[gi + 1] ?? 0);
        const L = letters + digits;
        if (digits >= 7 && digits <= 9 && bnd[cs + L] === 1) {
          const k = kw();
          if (k === 'passport' || k === 'permit' || (k === 'id' && letters <= 2)) {
            bestL = L;
            bestType = k === 'permit' ? 'travel-permit' : 'passport';
            confidence = 0.85;
            reason = k === 'permit' ? '通行证号码（附近有证件关键词）' : '护照号码（附近有证件关键词）';
          }
        }
      }
      // Licence plate: a province character right before the token.
      if (bestL === NOT_FOUND && gi === 0) {
        const province = provinceBefore(t, tp[0] ?? 0);
        if (province >= 0) {
          const L = plateLength(t, len, tokenEnd);
          if (L > 0) {
            bestL = L;
            bestType = 'licence-plate';
            confidence = 0.9;
            reason = '机动车号牌';
            startPos = province;
            if (L === len && PLATE_SUFFIXES.includes(t[tokenEnd] ?? '') && plateNeedsSuffix(len))
              endPos = tokenEnd + 1;
          }
        }
      }
      // WeChat id starting with a letter.
      if (bestL === NOT_FOUND && gi === 0 && kw() === 'wechat') {
        endPos = extendImId(t, tokenEnd, tp[0] ?? 0);
        if (endPos - startPos >= 6 && endPos - startPos <= 20) {
          bestL = len;
          bestType = 'im-account';
          confidence = 0.8;
          reason = '微信号（附近有微信关键词）';
        } else endPos = -1;
      }
    }
    if (bestL !== NOT_FOUND) {
      if (endPos < 0) endPos = (tp[cs + bestL - 1] ?? 0) + 1;
      const finding: Finding = { type: bestType, start: startPos, end: endPos, confidence, reason };
      if (keywordOnly) finding.keywordOnly = true;
      findings.push(finding);
      const next = cs + bestL;
      while (gi + 1 < groups && (gStart[gi + 1] ?? len) < next) gi++;
      if (endPos > tokenEnd) break;
    }
  }
}

/** Length of the shortest group from group `g` up to compact index `end` (2019-07-19 has a 2). */
function shortestGroup(g: number, end: number, groups: number): number {
  let shortest = Number.POSITIVE_INFINITY;
  for (let k = g; k < groups && (gStart[k] ?? end) < end; k++) {
    const next = k + 1 < groups ? Math.min(end, gStart[k + 1] ?? end) : end;
    shortest = Math.min(shortest, next - (gStart[k] ?? 0));
  }
  return shortest;
}

function isGroupText(g: number, text: string): boolean {
  const s = gStart[g] ?? 0;
  const e = gStart[g + 1] ?? s;
  if (e - s !== text.length) return false;
  for (let k = 0; k < text.length; k++) if (tc[s + k] !== text.charCodeAt(k)) return false;
  return true;
}

/** WeChat ids may contain _ and -: extend past the token over those. */
function extendImId(t: string, tokenEnd: number, start: number): number {
  let e = tokenEnd;
  while (e < t.length && e - start < 24) {
    const c = t.charCodeAt(e);
    if (isAlnumCode(c) || c === 95 || c === 45) e++;
    else break;
  }
  return e;
}

/** Index of the province character before a plate (one separator allowed in between), or -1. */
function provinceBefore(t: string, start: number): number {
  let q = start - 1;
  if (q >= 0 && TOKEN_CLASS[t.charCodeAt(q)] === T_SEP) q--;
  if (q < 0) return -1;
  return PLATE_PROVINCES.includes(t[q] ?? '') ? q : -1;
}

function plateNeedsSuffix(len: number): boolean {
  return len === 5;
}

/** Compact length of the plate at the start of the token, or 0. */
function plateLength(t: string, len: number, tokenEnd: number): number {
  const first = tc[0] ?? 0;
  if (first < 65 || first > 90) return 0;
  // New-energy plates: 8 characters with the province (D/F in third or last position).
  if (len >= 7 && bnd[7] === 1) {
    const small = (tc[1] === 68 || tc[1] === 70) && isPlateSerialChar(tc[2] ?? 0) && allDigits(tc, 3, 4);
    const large = allDigits(tc, 1, 5) && (tc[6] === 68 || tc[6] === 70);
    if (small || large) return 7;
  }
  if (len >= 6 && bnd[6] === 1) {
    let ok = true;
    for (let k = 1; k < 6; k++) if (!isPlateSerialChar(tc[k] ?? 0)) ok = false;
    if (ok && digitCount(1, 6) >= 1) return 6;
  }
  if (len === 5 && PLATE_SUFFIXES.includes(t[tokenEnd] ?? '')) {
    let ok = true;
    for (let k = 1; k < 5; k++) if (!isPlateSerialChar(tc[k] ?? 0)) ok = false;
    if (ok && digitCount(1, 5) >= 3) return 5;
  }
  return 0;
}

/** The characters the hot loop stops at for cue words (for diagnostics and tuning). */
export function cueTriggerCharacters(): string {
  let out = '';
  for (let code = 0; code < 65536; code++) if (CUE_SLOT[code] !== 0) out += String.fromCharCode(code);
  return out;
}

import { chineseNumeralValue } from './chinese-numerals.js';

/** One quantity quoted by the 解读 that the 原文 does not contain. */
export interface ConsistencyFinding {
  kind: 'figure' | 'amount' | 'percentage' | 'date' | 'deadline' | 'document-number';
  /** The quantity as the 解读 states it (normalised: half-width digits, Chinese numerals as digits). */
  quoted: string;
  /** The 解读 sentence that states it. */
  interpretationExcerpt: string;
  /** The 原文 sentence closest to it, or null when the 原文 has no sentence in common. */
  policyExcerpt: string | null;
  /** What to check, in Chinese, for the drafter and the reviewers. */
  message: string;
}

type Kind = ConsistencyFinding['kind'];

interface Quantity {
  kind: Kind;
  quoted: string;
  /** Comparable value: equal keys mean the same quantity. */
  key: string;
  /** Unit family, used to prefer 原文 sentences that talk about the same kind of thing. */
  unit: string;
  date?: { year?: number; month?: number; day?: number };
  documentNumber?: { prefix: string; year: string; serial: string };
}

interface Sentence {
  original: string;
  quantities: Quantity[];
  bigrams: Set<string>;
}

const KIND_LABEL: Readonly<Record<Kind, string>> = {
  figure: '数字',
  amount: '金额',
  percentage: '百分比',
  date: '日期',
  deadline: '期限',
  'document-number': '文号',
};

const MAX_FINDINGS = 200;
const MAX_EXCERPT_CHARACTERS = 160;

/**
 * Checks that every figure, amount, percentage, date, deadline and 文号 the 解读 quotes appears
 * in the 原文, after normalising both (full-width → half-width, bracket styles of 文号, Chinese
 * numerals → digits, spacing). One finding per distinct mismatching quantity, with the 解读's
 * sentence and the closest 原文 sentence. List ordinals, article numbers (第三条), bare years and the
 * numbers inside a 文号 are not quantities. Never throws: a checker failure must not block intake.
 */
export function checkConsistency(policyText: string, interpretationText: string): ConsistencyFinding[] {
  try {
    return check(String(policyText ?? ''), String(interpretationText ?? ''));
  } catch {
    return [];
  }
}

function check(policyText: string, interpretationText: string): ConsistencyFinding[] {
  const policy = splitSentences(policyText).map((original) => toSentence(original, 'permissive'));
  const policyQuantities = policy.flatMap((sentence) => sentence.quantities);
  const findings: ConsistencyFinding[] = [];
  const reported = new Set<string>();

  for (const original of splitSentences(interpretationText)) {
    const sentence = toSentence(original, 'strict');
    for (const quantity of sentence.quantities) {
      const identity = `${quantity.kind}|${quantity.key}`;
      if (reported.has(identity)) continue;
      if (policyQuantities.some((candidate) => sameQuantity(quantity, candidate))) continue;
      reported.add(identity);
      findings.push(describe(quantity, sentence, policy));
      if (findings.length >= MAX_FINDINGS) return findings;
    }
  }
  return findings;
}

function describe(quantity: Quantity, sentence: Sentence, policy: Sentence[]): ConsistencyFinding {
  const closest = closestSentence(quantity, sentence, policy);
  const label = KIND_LABEL[quantity.kind];
  const interpretationExcerpt = excerpt(sentence.original);
  if (!closest) {
    return {
      kind: quantity.kind,
      quoted: quantity.quoted,
      interpretationExcerpt,
      policyExcerpt: null,
      message: `解读中的${label}“${quantity.quoted}”在原文中未找到，原文中也没有相近的表述。请核对解读与原文是否一致。`,
    };
  }
  const policyExcerpt = excerpt(closest.original);
  const counterpart =
    closest.quantities.find(
      (candidate) => candidate.kind === quantity.kind && candidate.unit === quantity.unit,
    ) ?? closest.quantities.find((candidate) => candidate.kind === quantity.kind);
  const message = counterpart
    ? `解读中的${label}“${quantity.quoted}”在原文中未找到，原文相近表述为“${counterpart.quoted}”（${policyExcerpt}）。请核对解读与原文是否一致。`
    : `解读中的${label}“${quantity.quoted}”在原文中未找到，原文最相近的句子为“${policyExcerpt}”。请核对解读与原文是否一致。`;
  return { kind: quantity.kind, quoted: quantity.quoted, interpretationExcerpt, policyExcerpt, message };
}

/** Most character bigrams in common, with a bonus for talking about the same kind and unit. */
function closestSentence(quantity: Quantity, sentence: Sentence, policy: Sentence[]): Sentence | null {
  let best: Sentence | null = null;
  let bestScore = 0;
  for (const candidate of policy) {
    let shared = 0;
    for (const bigram of sentence.bigrams) if (candidate.bigrams.has(bigram)) shared++;
    const overlap = (2 * shared) / Math.max(1, sentence.bigrams.size + candidate.bigrams.size);
    if (overlap === 0) continue;
    const sameKind = candidate.quantities.some((other) => other.kind === quantity.kind);
    const sameUnit = candidate.quantities.some((other) => other.unit === quantity.unit);
    const score = overlap + (sameKind ? 0.3 : 0) + (sameUnit ? 0.2 : 0);
    if (score > bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best;
}

function excerpt(text: string): string {
  // Only the head is looked at, so a multi-megabyte "sentence" costs no more than a short one.
  const head = text.slice(0, MAX_EXCERPT_CHARACTERS * 4);
  const characters = Array.from(head.replace(/\s+/g, ' ').trim());
  const cut = head.length < text.length || characters.length > MAX_EXCERPT_CHARACTERS;
  return cut ? `${characters.slice(0, MAX_EXCERPT_CHARACTERS).join('')}…` : characters.join('');
}

function splitSentences(text: string): string[] {
  return text
    .split(/[。！？；!?;\n]+/u)
    .map((sentence) => sentence.trim())
    .filter((sentence) => sentence !== '');
}

function toSentence(original: string, mode: NumeralMode): Sentence {
  const normalised = normalise(original, mode);
  return { original, quantities: extractQuantities(normalised), bigrams: bigramsOf(normalised) };
}

/** Only a sentence's first characters count for closeness: enough for prose, bounded for junk. */
const MAX_BIGRAM_SOURCE = 1000;

function bigramsOf(text: string): Set<string> {
  const characters = Array.from(text.slice(0, MAX_BIGRAM_SOURCE * 2).replace(/[\s\p{P}]/gu, '')).slice(
    0,
    MAX_BIGRAM_SOURCE,
  );
  const bigrams = new Set<string>();
  for (let index = 0; index + 1 < characters.length; index++) {
    bigrams.add(`${characters[index]}${characters[index + 1]}`);
  }
  return bigrams;
}

function sameQuantity(quoted: Quantity, candidate: Quantity): boolean {
  if (quoted.kind !== candidate.kind) return false;
  if (quoted.kind === 'date') return sameDate(quoted.date ?? {}, candidate.date ?? {});
  if (quoted.kind === 'document-number') {
    const a = quoted.documentNumber;
    const b = candidate.documentNumber;
    if (!a || !b || a.year !== b.year || a.serial !== b.serial) return false;
    // The prefix regex may swallow preceding words (根据银政办发): compare the ends of the prefixes.
    return commonSuffixLength(a.prefix, b.prefix) >= Math.min(3, a.prefix.length, b.prefix.length);
  }
  return quoted.key === candidate.key;
}

/** Fields both dates state must agree; the month must be among them; a quoted day must be confirmed. */
function sameDate(quoted: NonNullable<Quantity['date']>, candidate: NonNullable<Quantity['date']>): boolean {
  if (quoted.month === undefined || quoted.month !== candidate.month) return false;
  if (quoted.year !== undefined && candidate.year !== undefined && quoted.year !== candidate.year)
    return false;
  if (quoted.day !== undefined && quoted.day !== candidate.day) return false;
  return true;
}

function commonSuffixLength(a: string, b: string): number {
  let length = 0;
  while (length < a.length && length < b.length && a[a.length - 1 - length] === b[b.length - 1 - length]) {
    length++;
  }
  return length;
}

// ---------------------------------------------------------------------------------------------
// Normalisation

/**
 * `strict` (for the 解读) turns Chinese numerals into digits only where they are clearly a
 * quantity — 10 or more, a date, a percentage, or a deadline ending in 内 — because 一次性, 两个方面
 * and 三个月 in free prose would otherwise be flagged. `permissive` (for the 原文) converts every
 * numeral followed by a unit, so that whatever the 原文 says can confirm a quote.
 */
type NumeralMode = 'strict' | 'permissive';

const CN_DIGIT = '零〇一二两三四五六七八九';
const CN_NUMERAL = `[${CN_DIGIT}十百千万亿]+`;
const UNIT_AFTER_NUMERAL =
  '个工作日|工作日|个月|个小时|小时|个星期|星期|周|天|日|年|个百分点|%|元|万元|亿元|人次|个|次|项|家|人|件|条|批|所|名|户|台|套|场|期|篇|份|类|种|部|辆|亩|公里|千米|米|平方米|吨|张|页|位';

function normalise(text: string, mode: NumeralMode): string {
  let result = text
    // Full-width digits, letters and the symbols that occur inside quantities → half-width.
    .replace(/[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\uff05\uff0e\uff0f\uff0d\uff5e]/g, (character) =>
      String.fromCharCode((character.codePointAt(0) ?? 0) - 0xfee0),
    )
    .replace(/[\s\u3000\u00a0]+/g, '')
    // Thousands separators inside numbers.
    .replace(/(\d),(?=\d{3}(?!\d))/g, '$1');

  // Dates written in Chinese numerals: 二〇一九年七月十九日, 七月十九日.
  const cnDigit = `[${CN_DIGIT}]`;
  const cnSmall = '[一二三四五六七八九十]{1,3}';
  result = result.replace(
    new RegExp(`(${cnDigit}{4}年)?(${cnSmall})月(${cnSmall})([日号])`, 'gu'),
    (match, year: string | undefined, month: string, day: string, suffix: string) => {
      const monthValue = chineseNumeralValue(month);
      const dayValue = chineseNumeralValue(day);
      if (monthValue === null || dayValue === null) return match;
      const yearValue = year ? chineseNumeralValue(year.slice(0, -1)) : null;
      return `${yearValue === null ? '' : `${yearValue}年`}${monthValue}月${dayValue}${suffix}`;
    },
  );
  result = result.replace(new RegExp(`(${cnDigit}{4})年`, 'gu'), (match, year: string) => {
    const value = chineseNumeralValue(year);
    return value === null ? match : `${value}年`;
  });
  // 百分之二十, 百分之三点五.
  result = result.replace(
    new RegExp(`百分之(${CN_NUMERAL}(?:点${cnDigit}+)?)`, 'gu'),
    (match, numeral: string) => {
      const value = chineseNumeralValue(numeral);
      return value === null ? match : `${value}%`;
    },
  );
  result = result.replace(/百分之(\d+(?:\.\d+)?)/g, '$1%');
  // Numerals followed by a unit; never after 第 (ordinals) nor inside a word like 统一.
  result = result.replace(
    new RegExp(
      `(?<![${CN_DIGIT}十百千万亿])(第)?(${CN_NUMERAL})(?=(${UNIT_AFTER_NUMERAL})(内|以内|之内)?)`,
      'gu',
    ),
    (match, ordinal: string | undefined, numeral: string, unit: string, within: string | undefined) => {
      if (ordinal) return match;
      const value = chineseNumeralValue(numeral);
      if (value === null || value === 0) return match;
      if (mode === 'strict' && value < 10 && !(within && DEADLINE_UNITS.test(unit))) return match;
      return String(value);
    },
  );
  return result;
}

const DEADLINE_UNITS = /^(?:个工作日|工作日|个月|个小时|小时|个星期|星期|周|天|日|年)$/;

// ---------------------------------------------------------------------------------------------
// Extraction

const NUMBER = String.raw`(?<![\d.A-Za-z])(\d+(?:\.\d+)?)`;

interface Pattern {
  kind: Kind | null;
  regex: RegExp;
  build?: (match: RegExpExecArray) => Omit<Quantity, 'kind' | 'quoted'> | null;
}

/**
 * Every pattern that starts with a repeated class has a lookbehind for that class, so scanning a
 * long run (a 2 MB line of digits) stays linear instead of retrying the run from every position.
 *
 * Applied in order; each match is masked so later patterns do not see it again. Patterns with
 * kind null only mask (ordinals, bare years, phone numbers, index numbers, URLs).
 */
const PATTERNS: Pattern[] = [
  { kind: null, regex: /(?:https?:\/\/|www\.)[\w./?%&=#:-]+|(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g },
  { kind: null, regex: /\d{6}-\d{3}\/\d{4}-\d{5}/g }, // 索引号
  { kind: null, regex: /(?<!\d)(?:0\d{2,3}-?\d{7,8}|1[3-9]\d{9})(?!\d)/g }, // phone numbers
  {
    kind: 'document-number',
    regex: /([\u4e00-\u9fff]{1,16})[〔[［(（【]\s*(\d{4})\s*[〕\]］)）】]\s*第?(\d{1,5})号/gu,
    build: (match) => {
      const [, rawPrefix = '', year = '', serial = ''] = match;
      const prefix = issuerCode(rawPrefix);
      return {
        key: `${prefix}〔${year}〕${Number(serial)}号`,
        unit: '号',
        documentNumber: { prefix, year, serial: String(Number(serial)) },
      };
    },
  },
  // List and article ordinals: 1. 1、 (1) （一） 一、 第三条 第2批.
  {
    kind: null,
    regex: new RegExp(
      `^(?:\\d{1,3}[.、)](?!\\d)|[(（][\\d${CN_DIGIT}十]{1,3}[)）]|[${CN_DIGIT}十]{1,3}、)|第[\\d${CN_DIGIT}十百千]+`,
      'gu',
    ),
  },
  {
    kind: 'date',
    regex:
      /(?<!\d)(\d{4})(?:年(\d{1,2})月(\d{1,2})[日号]|-(\d{1,2})-(\d{1,2})|\/(\d{1,2})\/(\d{1,2})|\.(\d{1,2})\.(\d{1,2}))(?!\d)/g,
    build: (match) => {
      const year = Number(match[1]);
      const month = Number(match[2] ?? match[4] ?? match[6] ?? match[8]);
      const day = Number(match[3] ?? match[5] ?? match[7] ?? match[9]);
      return dateQuantity({ year, month, day });
    },
  },
  {
    kind: 'date',
    regex: /(?<!\d)(\d{4})年(\d{1,2})月(?!\d)/g,
    build: (match) => dateQuantity({ year: Number(match[1]), month: Number(match[2]) }),
  },
  {
    kind: 'date',
    regex: /(?<![\d.])(\d{1,2})月(\d{1,2})[日号]/g,
    build: (match) => dateQuantity({ month: Number(match[1]), day: Number(match[2]) }),
  },
  // Bare years (2019年, 2019年度) are background more often than a claim about the 原文: not checked.
  { kind: null, regex: /(?<!\d)\d{4}年度?/g },
  {
    kind: 'percentage',
    regex: new RegExp(`${NUMBER}(%|‰|个百分点)`, 'g'),
    build: (match) => ({ key: `${Number(match[1])}${match[2]}`, unit: match[2] ?? '%' }),
  },
  {
    kind: 'amount',
    regex: new RegExp(`${NUMBER}(万亿|亿|千万|百万|万|千)?元`, 'g'),
    build: (match) => {
      const fen = Math.round(Number(match[1]) * multiplier(match[2]) * 100);
      return { key: String(fen), unit: '元' };
    },
  },
  {
    kind: 'deadline',
    regex: new RegExp(
      `${NUMBER}(个工作日|工作日|个月|个小时|小时|个星期|星期|周|天|日|年)(?:内|以内|之内)?`,
      'g',
    ),
    build: (match) => {
      const unit = DEADLINE_UNIT[match[2] ?? ''] ?? match[2] ?? '';
      const value = Number(match[1]);
      // 2019年 is a year, not three millennia.
      if (unit === '年' && value >= 100) return null;
      return { key: `${value}${unit}`, unit };
    },
  },
  {
    kind: 'figure',
    regex: new RegExp(
      `${NUMBER}(万|亿)?(人次|个|次|项|家|人|件|条|批|所|名|户|台|套|场|期|篇|份|类|种|部|辆|亩|公里|千米|平方米|米|吨|张|页|位)`,
      'g',
    ),
    build: (match) => {
      const value = Number(match[1]) * multiplier(match[2]);
      return { key: `${roundValue(value)}${match[3]}`, unit: match[3] ?? '' };
    },
  },
];

/**
 * The issuer code of a 文号 (银政办发), without the words the greedy match may have taken before it
 * (根据银政办发, 印发的国办发): the code is the text after the last such word, at most 8 characters.
 */
function issuerCode(prefix: string): string {
  const parts = prefix.split(
    /根据|依据|按照|依照|参照|对照|执行|落实|贯彻|印发|转发|关于|以及|和|及|与|或|的|即|见/u,
  );
  const code = parts[parts.length - 1] || prefix;
  return Array.from(code).slice(-8).join('');
}

const DEADLINE_UNIT: Readonly<Record<string, string>> = {
  个工作日: '工作日',
  个月: '月',
  个小时: '小时',
  个星期: '周',
  星期: '周',
  天: '日',
};

function multiplier(unit: string | undefined): number {
  switch (unit) {
    case '万亿':
      return 1e12;
    case '亿':
      return 1e8;
    case '千万':
      return 1e7;
    case '百万':
      return 1e6;
    case '万':
      return 1e4;
    case '千':
      return 1e3;
    default:
      return 1;
  }
}

function roundValue(value: number): string {
  return String(Math.round(value * 1e6) / 1e6);
}

function dateQuantity(date: {
  year?: number;
  month: number;
  day?: number;
}): Omit<Quantity, 'kind' | 'quoted'> | null {
  if (date.month < 1 || date.month > 12) return null;
  if (date.day !== undefined && (date.day < 1 || date.day > 31)) return null;
  const key = [date.year ?? '', date.month, date.day ?? ''].join('-');
  return { key, unit: 'date', date };
}

function extractQuantities(normalised: string): Quantity[] {
  let text = normalised;
  const found: Array<Quantity & { index: number }> = [];
  for (const pattern of PATTERNS) {
    pattern.regex.lastIndex = 0;
    const masked: Array<[number, number]> = [];
    for (const match of text.matchAll(pattern.regex)) {
      const index = match.index ?? 0;
      masked.push([index, match[0].length]);
      if (!pattern.kind || !pattern.build) continue;
      const built = pattern.build(match as RegExpExecArray);
      if (!built) continue;
      // A 文号's quote is the number itself, not the words the pattern had to look past.
      const quoted = built.documentNumber ? built.key : match[0];
      found.push({ kind: pattern.kind, quoted, index, ...built });
    }
    for (const [index, length] of masked) {
      // Same length keeps later indices meaningful; the mask character matches no pattern.
      text = `${text.slice(0, index)}${'□'.repeat(length)}${text.slice(index + length)}`;
    }
  }
  return found.sort((a, b) => a.index - b.index).map(({ index: _index, ...quantity }) => quantity);
}

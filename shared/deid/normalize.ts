/**
 * Character normalization with an exact offset map back to the original text.
 *
 * Two levels exist on purpose:
 * - character level (this module's `normalizeCharacters`): the NFKC forms that can hide an identifier
 *   (full-width and mathematical digits/letters, full-width @ . _ -) become ASCII and Unicode
 *   format characters (Cf: zero-width space/joiners, bidi controls, soft hyphen, BOM, tag characters)
 *   are dropped. Everything else, including full-width punctuation, is left as it is so that the
 *   Chinese text keeps its own delimiters.
 * - token level (the scanner): spaces, hyphens, `·` and brackets between the digits/letters of one
 *   token are group boundaries; identifiers are matched on group-aligned concatenations so that
 *   `139 1234 5678` is one mobile number while `2019-07-19 13912345678` is a date and a number.
 *   `normalize` below exposes the same view for callers and tests by dropping those separators.
 */

/** Token-level character classes. */
export const T_OTHER = 0;
export const T_DIGIT = 1;
export const T_LETTER = 2;
export const T_SEP = 3;

/** Class of each UTF-16 code unit for the token scanner. */
export const TOKEN_CLASS = new Uint8Array(65536);
for (let c = 48; c <= 57; c++) TOKEN_CLASS[c] = T_DIGIT;
for (let c = 65; c <= 90; c++) TOKEN_CLASS[c] = T_LETTER;
for (let c = 97; c <= 122; c++) TOKEN_CLASS[c] = T_LETTER;
const SEPARATORS =
  ' \u00A0\u3000\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200A\u202F\u205F-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uFE58\uFE63\u00B7\u2022\u2027\u30FB\uFF65\u2219\u22C5()\uFF08\uFF09';
for (const ch of SEPARATORS) TOKEN_CLASS[ch.charCodeAt(0)] = T_SEP;

/** Replacement of each code unit at character level: itself, another unit, or 0 for "drop". */
const CHAR_MAP = new Uint16Array(65536);
for (let c = 0; c < 65536; c++) CHAR_MAP[c] = c;
// Full-width digits, letters and the punctuation that occurs inside identifiers (＠ ． ＿ － ＋).
for (let c = 0xff10; c <= 0xff19; c++) CHAR_MAP[c] = c - 0xfee0;
for (let c = 0xff21; c <= 0xff3a; c++) CHAR_MAP[c] = c - 0xfee0;
for (let c = 0xff41; c <= 0xff5a; c++) CHAR_MAP[c] = c - 0xfee0;
for (const c of [0xff20, 0xff0e, 0xff3f, 0xff0d, 0xff0b]) CHAR_MAP[c] = c - 0xfee0;
// Unicode general category Cf in the BMP (format characters): invisible, so dropped.
const CF_RANGES: [number, number][] = [
  [0x00ad, 0x00ad],
  [0x0600, 0x0605],
  [0x061c, 0x061c],
  [0x06dd, 0x06dd],
  [0x070f, 0x070f],
  [0x0890, 0x0891],
  [0x08e2, 0x08e2],
  [0x180e, 0x180e],
  [0x200b, 0x200f],
  [0x202a, 0x202e],
  [0x2060, 0x2064],
  [0x2066, 0x206f],
  [0xfeff, 0xfeff],
  [0xfff9, 0xfffb],
];
for (const [a, b] of CF_RANGES) for (let c = a; c <= b; c++) CHAR_MAP[c] = 0;

/** Code units that need character-level normalization (so the fast path cannot be used). */
export const NEEDS_NORMALIZATION = new Uint8Array(65536);
for (let c = 0; c < 65536; c++) if (CHAR_MAP[c] !== c) NEEDS_NORMALIZATION[c] = 1;
// High surrogates of mathematical alphanumerics (U+1D400-1D7FF) and of tag characters (U+E0000-E007F, Cf).
NEEDS_NORMALIZATION[0xd835] = 1;
NEEDS_NORMALIZATION[0xdb40] = 1;

const mathCache = new Map<number, number>();

/** NFKC of a mathematical alphanumeric symbol when it is one ASCII letter or digit, else -1. */
function mathAlnum(codePoint: number): number {
  const cached = mathCache.get(codePoint);
  if (cached !== undefined) return cached;
  const folded = String.fromCodePoint(codePoint).normalize('NFKC');
  const code = folded.length === 1 ? folded.charCodeAt(0) : -1;
  const result = code >= 0 && TOKEN_CLASS[code] !== T_OTHER && TOKEN_CLASS[code] !== T_SEP ? code : -1;
  mathCache.set(codePoint, result);
  return result;
}

/** Result of character-level normalization. `starts[k]`/`ends[k]` give the original span of normalized unit k. */
export interface CharNormalization {
  text: string;
  starts: Int32Array;
  ends: Int32Array;
}

/** Character-level normalization with its offset map (see module comment). */
export function normalizeCharacters(text: string): CharNormalization {
  const n = text.length;
  const out = new Uint16Array(n);
  const starts = new Int32Array(n + 1);
  const ends = new Int32Array(n + 1);
  let m = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (NEEDS_NORMALIZATION[c] === 0) {
      out[m] = c;
      starts[m] = i;
      ends[m] = i + 1;
      m++;
      continue;
    }
    if ((c === 0xd835 || c === 0xdb40) && i + 1 < n) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        const cp = ((c - 0xd800) << 10) + (low - 0xdc00) + 0x10000;
        if (c === 0xdb40) {
          // Tag characters are Cf: drop the pair (other plane-14 characters stay).
          if (cp <= 0xe007f) {
            i++;
            continue;
          }
        } else {
          const ascii = mathAlnum(cp);
          if (ascii >= 0) {
            out[m] = ascii;
            starts[m] = i;
            ends[m] = i + 2;
            m++;
            i++;
            continue;
          }
        }
      }
      out[m] = c;
      starts[m] = i;
      ends[m] = i + 1;
      m++;
      continue;
    }
    const mapped = CHAR_MAP[c] ?? c;
    if (mapped === 0) continue;
    out[m] = mapped;
    starts[m] = i;
    ends[m] = i + 1;
    m++;
  }
  starts[m] = n;
  ends[m] = n;
  let s = '';
  // Chunked to stay below the argument-count limit of fromCharCode.
  for (let k = 0; k < m; k += 8192) s += String.fromCharCode(...out.subarray(k, Math.min(m, k + 8192)));
  return { text: s, starts: starts.subarray(0, m + 1), ends: ends.subarray(0, m + 1) };
}

/** Does `text` contain anything character-level normalization would change? */
export function needsCharacterNormalization(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (NEEDS_NORMALIZATION[text.charCodeAt(i)] === 1) return true;
  return false;
}

/** A normalized view of a text and the way back to the original offsets. */
export interface Normalized {
  /** The normalized text. */
  text: string;
  /** Original offset of each normalized unit (`map.length === text.length + 1`; the last entry is the original length). */
  map: Int32Array;
  /** Original span `[start, end)` covered by the normalized span `[start, end)`. */
  toOriginal(start: number, end: number): { start: number; end: number };
}

/**
 * Normalize as the detectors see identifiers: NFKC for full-width/mathematical digits and
 * letters, Unicode Cf characters removed, and spaces, hyphens, `·` and brackets removed when they
 * sit between two digits/letters (at most three in a row). Chinese punctuation is unchanged.
 */
export function normalize(text: string): Normalized {
  const chars = normalizeCharacters(text);
  const t = chars.text;
  const keep: number[] = [];
  for (let i = 0; i < t.length; i++) {
    const k = TOKEN_CLASS[t.charCodeAt(i)];
    if (k === T_SEP && i > 0 && isAlnumClass(TOKEN_CLASS[t.charCodeAt(i - 1)])) {
      let j = i;
      while (j < t.length && j - i < 3 && TOKEN_CLASS[t.charCodeAt(j)] === T_SEP) j++;
      if (j < t.length && j - i <= 3 && isAlnumClass(TOKEN_CLASS[t.charCodeAt(j)])) {
        i = j - 1;
        continue;
      }
    }
    keep.push(i);
  }
  let out = '';
  const starts = new Int32Array(keep.length + 1);
  const ends = new Int32Array(keep.length + 1);
  for (let k = 0; k < keep.length; k++) {
    const i = keep[k] ?? 0;
    out += t[i];
    starts[k] = chars.starts[i] ?? 0;
    ends[k] = chars.ends[i] ?? 0;
  }
  starts[keep.length] = text.length;
  ends[keep.length] = text.length;
  return {
    text: out,
    map: starts,
    toOriginal(start: number, end: number) {
      if (end <= start) return { start: starts[start] ?? text.length, end: starts[start] ?? text.length };
      return { start: starts[start] ?? text.length, end: ends[end - 1] ?? text.length };
    },
  };
}

/**
 * `normalize(value).text` for a short value, without building an offset map: what the transforms
 * use to read a detected value.
 */
export function normalizeValue(value: string): string {
  let clean = true;
  for (let i = 0; i < value.length && clean; i++) {
    const c = value.charCodeAt(i);
    if (NEEDS_NORMALIZATION[c] === 1 || TOKEN_CLASS[c] === T_SEP) clean = false;
  }
  if (clean) return value;
  let chars = '';
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (NEEDS_NORMALIZATION[c] === 0) chars += value[i];
    else if (c === 0xd835 || c === 0xdb40) return normalize(value).text;
    else if (CHAR_MAP[c] !== 0) chars += String.fromCharCode(CHAR_MAP[c] ?? c);
  }
  let out = '';
  for (let i = 0; i < chars.length; i++) {
    const k = TOKEN_CLASS[chars.charCodeAt(i)];
    if (k === T_SEP && i > 0 && isAlnumClass(TOKEN_CLASS[chars.charCodeAt(i - 1)])) {
      let j = i;
      while (j < chars.length && j - i < 3 && TOKEN_CLASS[chars.charCodeAt(j)] === T_SEP) j++;
      if (j < chars.length && j - i <= 3 && isAlnumClass(TOKEN_CLASS[chars.charCodeAt(j)])) {
        i = j - 1;
        continue;
      }
    }
    out += chars[i];
  }
  return out;
}

function isAlnumClass(k: number | undefined): boolean {
  return k === T_DIGIT || k === T_LETTER;
}

let scratch = new Uint16Array(1 << 16);

/**
 * The UTF-16 code units of `text` in a reused buffer. Copying through Buffer#write is a native
 * memcpy, and indexing a typed array in the hot loop is several times faster than charCodeAt.
 * The view is only valid until the next call.
 */
export function codeUnits(text: string): Uint16Array {
  const n = text.length;
  if (scratch.length < n) scratch = new Uint16Array(Math.ceil(n * 1.25));
  Buffer.from(scratch.buffer, scratch.byteOffset, n * 2).write(text, 0, 'utf16le');
  return scratch.subarray(0, n);
}

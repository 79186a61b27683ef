/**
 * Text extracted from PDF arrives hard-wrapped: every line of a paragraph is cut at the same
 * width, inside names, ID numbers and table rows alike (`身份证号6540 \n2119…`, `苟明\n哲`). The
 * detectors read such text with the wrap breaks removed, so that a value cut by a break is seen
 * whole; offsets are mapped back, so the redaction lands on the original text, break included.
 */
import { itemMarkerAt } from './layout.js';
import type { CharNormalization } from './normalize.js';

/** Lines at least this long can be wrapped lines of a paragraph. */
const MIN_WIDTH = 24;
const MAX_WIDTH = 120;
/** Share of long lines that must end within two characters of the wrap width. */
const MIN_SHARE = 0.5;
const MIN_WRAPPED_LINES = 4;

/**
 * The wrap width of a hard-wrapped text: the most common length of its long lines, when at least
 * half of them are that long (± 2) — or 0 when the text is not hard-wrapped.
 */
export function wrapWidth(text: string): number {
  const counts = new Map<number, number>();
  let long = 0;
  let s = 0;
  while (s < text.length) {
    let e = text.indexOf('\n', s);
    if (e < 0) e = text.length;
    const len = e - s - (text.charCodeAt(e - 1) === 13 ? 1 : 0);
    if (len > MAX_WIDTH) return 0;
    // A line before a numbered item ends its own entry: lists of similar items are no wrap.
    if (len >= MIN_WIDTH && !isTableRow(text, s, s + len) && itemMarkerAt(text, e + 1) === 0) {
      long++;
      counts.set(len, (counts.get(len) ?? 0) + 1);
    }
    s = e + 1;
  }
  if (long < MIN_WRAPPED_LINES) return 0;
  let width = 0;
  let best = 0;
  for (const [len, n] of counts) {
    const near = n + (counts.get(len - 1) ?? 0) + (counts.get(len - 2) ?? 0);
    if (near > best || (near === best && len > width)) {
      best = near;
      width = len;
    }
  }
  // A wrapped text has no line longer than its width: paragraphs kept on one line (and tables
  // whose rows happen to be of similar length) rule it out.
  let longer = 0;
  for (const [len, n] of counts) if (len > width) longer += n;
  if (longer > long * 0.05) return 0;
  return best >= MIN_WRAPPED_LINES && best / long >= MIN_SHARE ? width : 0;
}

const SENTENCE_END = '。！？：；';

/**
 * The text with its wrap breaks removed (a line as long as the wrap width, ± 2, that does not end
 * a sentence continues on the next line), with the offset map back to `text`; null when the text
 * is not hard-wrapped.
 */
export function unwrapHardBreaks(text: string): CharNormalization | null {
  const width = wrapWidth(text);
  if (width === 0) return null;
  const n = text.length;
  const starts = new Int32Array(n + 1);
  const ends = new Int32Array(n + 1);
  const parts: string[] = [];
  let m = 0;
  let s = 0;
  while (s < n) {
    let e = text.indexOf('\n', s);
    if (e < 0) e = n;
    let contentEnd = e;
    if (contentEnd > s && text.charCodeAt(contentEnd - 1) === 13) contentEnd--;
    const len = contentEnd - s;
    const joins =
      e < n &&
      len >= width - 2 &&
      len <= width &&
      !SENTENCE_END.includes(text[contentEnd - 1] ?? '') &&
      nextLineHasText(text, e + 1) &&
      itemMarkerAt(text, e + 1) === 0;
    const keepEnd = joins ? contentEnd : Math.min(n, e + 1);
    parts.push(text.slice(s, keepEnd));
    for (let k = s; k < keepEnd; k++) {
      starts[m] = k;
      ends[m] = k + 1;
      m++;
    }
    s = e + 1;
  }
  starts[m] = n;
  ends[m] = n;
  return { text: parts.join(''), starts: starts.subarray(0, m + 1), ends: ends.subarray(0, m + 1) };
}

function nextLineHasText(text: string, p: number): boolean {
  const c = text.charCodeAt(p);
  return p < text.length && c !== 10 && c !== 13;
}

/**
 * A row of a tab-, ideographic-space- or space-aligned table: laid out, so it does not count when
 * the wrap width is measured (rows of similar length are no wrap). Once prose lines show that the
 * text is wrapped, a row as long as the width is wrapped like any other line.
 */
function isTableRow(text: string, s: number, e: number): boolean {
  let k = s;
  while (k < e && (text.charCodeAt(k) === 32 || text.charCodeAt(k) === 0x3000)) k++;
  for (; k < e; k++) {
    const c = text.charCodeAt(k);
    if (c === 9 || (c === 0x3000 && k + 1 < e) || (c === 32 && text.charCodeAt(k + 1) === 32)) return true;
  }
  return false;
}

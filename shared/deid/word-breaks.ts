/**
 * Word boundaries from ICU's dictionary segmenter (`Intl.Segmenter('zh')`, built into Node: no
 * dependency, no bundle cost). It keeps dictionary words whole (和|标准, 向|户籍, 13|时|许) and lets
 * unknown names fall apart into single characters (殷|颖|销售), which is what the name rules need.
 *
 * Segmenting costs far more than the rest of the engine, so text is segmented only where a rule
 * asks about a position, a chunk of 12 characters at a time, cached for the next question.
 */
const SEGMENTER = new Intl.Segmenter('zh', { granularity: 'word' });

/** Characters segmented at once. ICU's iteration slows down superlinearly on very long strings. */
const CHUNK = 12;
/** Context segmented on each side of a chunk, so that words across its edges are seen whole. */
const MARGIN = 4;

export class WordBreaks {
  private chunkStart = -1;
  private chunkEnd = -1;
  /** `starts[k - chunkStart] === 1` when a word starts at k. */
  private starts = new Uint8Array(0);
  private lineStart = -1;
  private lineEnd = -1;

  constructor(private readonly t: string) {}

  /** Does a word start at `p`? */
  isStart(p: number): boolean {
    this.load(p);
    return this.starts[p - this.chunkStart] === 1;
  }

  /** Where the word that starts at `p` (or contains it) ends. */
  wordEnd(p: number): number {
    let k = p + 1;
    while (k < this.t.length && !this.isStart(k)) k++;
    return k;
  }

  /** True when the dictionary knows no word in `[s, e)`: it is all single characters. */
  allSingle(s: number, e: number): boolean {
    for (let k = s; k <= e; k++) if (!this.isStart(k)) return false;
    return true;
  }

  private load(p: number): void {
    if (p >= this.chunkStart && p < this.chunkEnd) return;
    const t = this.t;
    if (!(p >= this.lineStart && p <= this.lineEnd)) {
      this.lineStart = t.lastIndexOf('\n', p - 1) + 1;
      const end = t.indexOf('\n', p);
      this.lineEnd = end < 0 ? t.length : end;
    }
    const start = Math.max(this.lineStart, p - (p % CHUNK));
    const end = Math.min(this.lineEnd, start + CHUNK);
    const from = Math.max(this.lineStart, start - MARGIN);
    const to = Math.min(this.lineEnd, end + MARGIN);
    const starts = new Uint8Array(end - start + 1);
    let k = from;
    for (const { segment } of SEGMENTER.segment(t.slice(from, to))) {
      if (k >= start && k <= end) starts[k - start] = 1;
      k += segment.length;
    }
    // The line's end (and anything past the chunk's text) starts a new word.
    if (end === this.lineEnd) starts[end - start] = 1;
    this.chunkStart = start;
    this.chunkEnd = Math.max(end, start + 1);
    this.starts = starts;
  }
}

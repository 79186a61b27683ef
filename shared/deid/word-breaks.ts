/**
 * Word boundaries from ICU's dictionary segmenter (`Intl.Segmenter('zh')`, built into Node: no
 * dependency, no bundle cost). It keeps dictionary words whole (和|标准, 向|户籍, 13|时|许) and lets
 * unknown names fall apart into single characters (殷|颖|销售), which is what the name rules need.
 *
 * Segmenting costs far more than the rest of the engine (about 14 µs a call, whatever the length
 * up to a few dozen characters, and superlinear on long strings), so text is segmented only where
 * a rule asks about a position, a chunk of 12 characters at a time (with context on both sides),
 * and the last few chunks are kept for the next questions, which are nearly always close by.
 */
const SEGMENTER = new Intl.Segmenter('zh', { granularity: 'word' });

const CHUNK = 12;
/** Context segmented on each side of a chunk, so that words across its edges are seen whole. */
const MARGIN = 4;
const CACHED_CHUNKS = 4;

interface Chunk {
  start: number;
  end: number;
  /** `starts[k - start] === 1` when a word starts at k. */
  starts: Uint8Array;
}

export class WordBreaks {
  private readonly chunks: Chunk[] = [];
  private lineStart = -1;
  private lineEnd = -1;

  constructor(private readonly t: string) {}

  /** Does a word start at `p`? */
  isStart(p: number): boolean {
    const chunk = this.chunkAt(p);
    return chunk.starts[p - chunk.start] === 1;
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

  private chunkAt(p: number): Chunk {
    for (const chunk of this.chunks) if (p >= chunk.start && p < chunk.end) return chunk;
    const chunk = this.segment(p);
    this.chunks.unshift(chunk);
    if (this.chunks.length > CACHED_CHUNKS) this.chunks.pop();
    return chunk;
  }

  private segment(p: number): Chunk {
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
    // The line's end starts a new word (what follows is another line).
    if (end === this.lineEnd) starts[end - start] = 1;
    return { start, end: Math.max(end, start + 1), starts };
  }
}

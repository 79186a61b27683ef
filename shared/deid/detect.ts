/**
 * Detection: normalized scan + context rules, with offsets mapped back to the original text.
 */
import { applyContext } from './context.js';
import { type CharNormalization, codeUnits, normalizeCharacters } from './normalize.js';
import { scan } from './scanner.js';
import type { Detection } from './types.js';
import { unwrapHardBreaks } from './unwrap.js';

/**
 * Find the personal information in `text`. Offsets refer to `text` itself; the values are not
 * returned. Organisational contact details, officials named in their role, pseudonyms (张某) and
 * look-alikes (统一社会信用代码, 文号, 索引号, dates, amounts, hotlines) are not reported.
 */
export function detect(text: string): Detection[] {
  const unwrapped = unwrapHardBreaks(text);
  // Fast path: most documents need neither character normalization nor unwrapping.
  if (unwrapped === null) {
    const raw = scan(text, codeUnits(text), true);
    if (raw !== null) return applyContext(text, raw).map(toDetection);
  }
  const chars = normalizeCharacters(unwrapped?.text ?? text);
  const map = unwrapped === null ? chars : compose(unwrapped, chars);
  const result = scan(chars.text, codeUnits(chars.text), false);
  const findings = result === null ? [] : applyContext(chars.text, result);
  return findings.map((f) => {
    const start = map.starts[f.start] ?? text.length;
    const end = f.end > f.start ? (map.ends[f.end - 1] ?? text.length) : start;
    return toDetection({ ...f, start, end });
  });
}

/** Offsets through two mappings: `second` indexes `first.text`, `first` indexes the original. */
function compose(first: CharNormalization, second: CharNormalization): CharNormalization {
  const n = second.starts.length;
  const starts = new Int32Array(n);
  const ends = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const s = second.starts[k] ?? 0;
    const e = second.ends[k] ?? 0;
    starts[k] = first.starts[s] ?? first.starts[first.starts.length - 1] ?? 0;
    ends[k] = e > s ? (first.ends[e - 1] ?? 0) : (starts[k] ?? 0);
  }
  return { text: second.text, starts, ends };
}

function toDetection(f: {
  type: Detection['type'];
  start: number;
  end: number;
  confidence: number;
  reason: string;
  concerned?: boolean;
}): Detection {
  const d: Detection = {
    type: f.type,
    start: f.start,
    end: f.end,
    confidence: f.confidence,
    reason: f.reason,
  };
  if (f.concerned === true) d.concerned = true;
  return d;
}

/**
 * Detection: normalized scan + context rules, with offsets mapped back to the original text.
 */
import { applyContext } from './context.js';
import { codeUnits, normalizeCharacters } from './normalize.js';
import { scan } from './scanner.js';
import type { Detection } from './types.js';

/**
 * Find the personal information in `text`. Offsets refer to `text` itself; the values are not
 * returned. Organisational contact details, officials named in their role, pseudonyms (张某) and
 * look-alikes (统一社会信用代码, 文号, 索引号, dates, amounts, hotlines) are not reported.
 */
export function detect(text: string): Detection[] {
  // Fast path: most documents need no character normalization; scan the text as it is.
  const raw = scan(text, codeUnits(text), true);
  if (raw !== null) return applyContext(text, raw).map(toDetection);
  const norm = normalizeCharacters(text);
  const result = scan(norm.text, codeUnits(norm.text), false);
  const findings = result === null ? [] : applyContext(norm.text, result);
  return findings.map((f) => {
    const start = norm.starts[f.start] ?? text.length;
    const end = f.end > f.start ? (norm.ends[f.end - 1] ?? text.length) : start;
    return toDetection({ ...f, start, end });
  });
}

function toDetection(f: {
  type: Detection['type'];
  start: number;
  end: number;
  confidence: number;
  reason: string;
  concerned?: boolean;
}): Detection {
  const d: Detection = { type: f.type, start: f.start, end: f.end, confidence: f.confidence, reason: f.reason };
  if (f.concerned === true) d.concerned = true;
  return d;
}

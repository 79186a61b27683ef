/**
 * The labelled corpus under test/fixtures/deid/labelled: documents with a sidecar JSON listing the
 * planted personal data (every occurrence must be redacted) and look-alikes (every occurrence must
 * stay). Shared by the unit test and the benchmark.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { deidentifyText, parseExemption, type RedactionPolicy } from '../../../shared/deid/index.js';

/** Labels of one document. */
export interface Label {
  title: string;
  exemption?: string;
  pii: { text: string; type: string }[];
  keep: string[];
}

const DIR = new URL('../../fixtures/deid/labelled/', import.meta.url);

/** All labelled documents, sorted by file name. */
export function documents(): { name: string; text: string; label: Label }[] {
  return readdirSync(DIR)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((name) => ({
      name,
      text: readFileSync(new URL(name, DIR), 'utf8'),
      label: JSON.parse(readFileSync(new URL(name.replace(/\.txt$/, '.json'), DIR), 'utf8')) as Label,
    }));
}

function occurrences(text: string, needle: string): number[] {
  const out: number[] = [];
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) out.push(at);
  return out;
}

/** Recall of planted values (every occurrence fully covered by a redaction) and share of look-alikes untouched. */
export function score(): {
  found: number;
  planted: number;
  kept: number;
  lookAlikes: number;
  misses: string[];
} {
  let found = 0;
  let planted = 0;
  let kept = 0;
  let lookAlikes = 0;
  const misses: string[] = [];
  for (const { name, text, label } of documents()) {
    const policy: RedactionPolicy =
      label.exemption === undefined ? {} : { exemption: parseExemption(label.exemption) };
    const { report } = deidentifyText(text, policy);
    for (const p of label.pii) {
      for (const at of occurrences(text, p.text)) {
        planted++;
        if (report.items.some((i) => i.start <= at && at + p.text.length <= i.end)) found++;
        else misses.push(`${name}: ${p.type}`);
      }
    }
    for (const k of label.keep) {
      for (const at of occurrences(text, k)) {
        lookAlikes++;
        if (!report.items.some((i) => i.start < at + k.length && at < i.end)) kept++;
        else misses.push(`${name}: look-alike lost`);
      }
    }
  }
  return { found, planted, kept, lookAlikes, misses };
}

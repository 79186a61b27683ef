/**
 * Scorer for a labelled de-identification set. Same rules as /work/shared/deid-dev/score.mjs:
 *
 * - a number-like value (every type but name and address) is removed when its characters no longer
 *   appear contiguously in the output after NFKC and removing whitespace and dashes;
 * - a name is removed when the full name (whitespace removed) no longer appears;
 * - an address is removed when its house-number part no longer appears;
 * - a keep value must appear (whitespace ignored) as often as in the source once the redact values
 *   are masked;
 * - untouched: every sentence / line / cell of the source without a planted value (redact, exempt,
 *   debatable) must appear byte-identical in the output (whitespace-insensitive for .html);
 * - with `exemption`, the `exempt` names of punishment documents are scored as keep `exempt_name`.
 *
 * CLI:
 *   npx tsx test/deid-eval/score.ts LABELS OUT_DIR [--exemption]
 *   npx tsx test/deid-eval/score.ts LABELS --make-copy DIR
 *   npx tsx test/deid-eval/score.ts LABELS --make-oracle DIR [--exemption]
 * Sources are read from `docs/` next to LABELS when that folder exists, else from LABELS' folder.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface LabelItem {
  type: string;
  value: string;
  house?: string;
  why?: string;
}

export interface DocLabels {
  genre: string;
  format: string;
  punishment: boolean;
  exempt: string[];
  redact: LabelItem[];
  keep: LabelItem[];
  debatable: LabelItem[];
}

export interface LabelsFile {
  docs: Record<string, DocLabels>;
}

export interface Tally {
  n: number;
  ok: number;
}

export interface Miss {
  file: string;
  type: string;
  value: string;
  context: string;
}

export interface ScoreResult {
  docs: number;
  missing: number;
  recall: Record<string, Tally>;
  keep: Record<string, Tally>;
  untouched: Tally;
  debatableRemoved: Tally;
  /** keep items that only occur inside a redact value (not scored) */
  labelNoise: number;
  /** redact misses, most severe type first */
  misses: Miss[];
  keepLosses: Array<Omit<Miss, 'context'>>;
}

// ------------------------------------------------------------------ text helpers

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** Visible text of an HTML page, the way the scorer sees it. */
export function extractHtml(src: string): string {
  let s = src.replace(/<(script|style|head)\b[\s\S]*?<\/\1>/gi, '');
  s = s
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|tr|h\d|li|table|title)>/gi, '\n')
    .replace(/<\/t[dh]>/gi, '\t');
  s = s.replace(/<[^>]+>/g, '');
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e.startsWith('#')) {
      const hex = e[1] === 'x' || e[1] === 'X';
      return String.fromCodePoint(Number.parseInt(e.slice(hex ? 2 : 1), hex ? 16 : 10));
    }
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

const DASH = /[\s\-\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]/g;
export const normNum = (s: string): string => s.normalize('NFKC').replace(DASH, '').toUpperCase();
export const normName = (s: string): string => s.normalize('NFKC').replace(/\s/g, '');
export const normKeep = (s: string): string => s.replace(/\s/g, '');

export function countOccurrences(hay: string, needle: string): number {
  if (!needle) return 0;
  let n = 0;
  let i = hay.indexOf(needle);
  while (i >= 0) {
    n++;
    i = hay.indexOf(needle, i + needle.length);
  }
  return n;
}

const HOUSE = /[0-9０-９一二三四五六七八九十百]+(号楼|号院|号|栋|幢|单元|室)/;

/** The part of an address whose disappearance counts as removal. */
export function housePart(item: LabelItem): string {
  if (item.house) return item.house;
  const v = item.value.replace(/\s/g, '');
  const m = HOUSE.exec(v);
  return m ? v.slice(m.index) : v;
}

/** Replaces every occurrence of each value (longest first) by ＊, keeping line breaks. */
export function maskValues(text: string, values: string[]): string {
  const sorted = [...new Set(values)].sort((a, b) => b.length - a.length);
  let out = text;
  for (const v of sorted) {
    if (!v) continue;
    out = out.split(v).join([...v].map((c) => (c === '\n' ? '\n' : '＊')).join(''));
  }
  return out;
}

export const outName = (file: string): string => `${file.replace(/\.[^.]+$/, '')}.txt`;

/** `docs/` next to the labels file when it exists (deid-dev layout), else the labels' own folder. */
export function sourceDirFor(labelsPath: string): string {
  const base = dirname(resolve(labelsPath));
  const docs = join(base, 'docs');
  return existsSync(docs) ? docs : base;
}

export function readSource(sourceDir: string, file: string): string {
  const raw = readFileSync(join(sourceDir, file), 'utf8');
  return file.endsWith('.html') ? extractHtml(raw) : raw;
}

/** Which redact items apply and which names are kept, for one document in one mode. */
export function plan(doc: DocLabels, exemption: boolean): { redact: LabelItem[]; keep: LabelItem[] } {
  const exempt = new Set(exemption && doc.punishment ? doc.exempt.map(normName) : []);
  const redact: LabelItem[] = [];
  const keep: LabelItem[] = [];
  for (const item of doc.redact) {
    if (item.type === 'name' && exempt.has(normName(item.value))) {
      keep.push({ type: 'exempt_name', value: item.value });
    } else {
      redact.push(item);
    }
  }
  keep.push(...doc.keep);
  return { redact, keep };
}

const SEVERITY = [
  'id_card',
  'bank_card',
  'passport',
  'hk_macau_permit',
  'tw_permit',
  'disability_cert_no',
  'social_security_no',
  'medical_insurance_no',
  'veteran_card_no',
  'student_no',
  'mobile',
  'landline',
  'email',
  'qq',
  'wechat',
  'medical_record_no',
  'property_cert_no',
  'marriage_cert_no',
  'vin',
  'plate',
  'birth_date',
  'address',
  'name',
];
const severity = (type: string): number => {
  const i = SEVERITY.indexOf(type);
  return i < 0 ? SEVERITY.length : i;
};

// ------------------------------------------------------------------ scoring

/**
 * Scores engine outputs. `outputs` maps each labelled source file name to the engine's output
 * text; a file without an output is counted in `missing` and scored as unchanged.
 */
export function scoreOutputs(
  labels: LabelsFile,
  sourceDir: string,
  outputs: Map<string, string>,
  options: { exemption: boolean },
): ScoreResult {
  const result: ScoreResult = {
    docs: Object.keys(labels.docs).length,
    missing: 0,
    recall: {},
    keep: {},
    untouched: { n: 0, ok: 0 },
    debatableRemoved: { n: 0, ok: 0 },
    labelNoise: 0,
    misses: [],
    keepLosses: [],
  };

  for (const [file, doc] of Object.entries(labels.docs)) {
    const src = readSource(sourceDir, file);
    let out = outputs.get(file);
    if (out === undefined) {
      result.missing++;
      out = src;
    } else if (/^\s*</.test(out)) {
      out = extractHtml(out);
    }
    const { redact, keep } = plan(doc, options.exemption);
    const outNum = normNum(out);
    const outName = normName(out);
    const outKeep = normKeep(out);

    // redact: each distinct value once
    const seen = new Set<string>();
    for (const item of redact) {
      const key =
        item.type === 'name'
          ? `n:${normName(item.value)}`
          : item.type === 'address'
            ? `a:${normNum(housePart(item))}`
            : `x:${normNum(item.value)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const present =
        item.type === 'name'
          ? outName.includes(normName(item.value))
          : item.type === 'address'
            ? outNum.includes(normNum(housePart(item)))
            : outNum.includes(normNum(item.value));
      const tally = result.recall[item.type] ?? { n: 0, ok: 0 };
      result.recall[item.type] = tally;
      tally.n++;
      if (!present) {
        tally.ok++;
        continue;
      }
      const probe = item.type === 'address' ? housePart(item) : item.value;
      const at = out.indexOf(probe);
      let context: string;
      if (at >= 0) {
        context = out.slice(Math.max(0, at - 18), at + probe.length + 18);
      } else {
        const j = src.indexOf(item.value);
        context = `(src) ${src.slice(Math.max(0, j - 18), j + item.value.length + 18)}`;
      }
      result.misses.push({ file, type: item.type, value: item.value, context: context.replace(/\s+/g, ' ') });
    }

    // debatable: informational only
    for (const item of doc.debatable) {
      result.debatableRemoved.n++;
      if (!outName.includes(normName(item.value))) result.debatableRemoved.ok++;
    }

    // keep: as many occurrences as in the source with the redact values masked
    const masked = normKeep(
      maskValues(
        src,
        redact.map((i) => i.value),
      ),
    );
    const keepSeen = new Set<string>();
    for (const item of keep) {
      const v = normKeep(item.value);
      if (keepSeen.has(v)) continue;
      keepSeen.add(v);
      const expected = countOccurrences(masked, v);
      if (expected === 0) {
        result.labelNoise++;
        continue;
      }
      const tally = result.keep[item.type] ?? { n: 0, ok: 0 };
      result.keep[item.type] = tally;
      tally.n++;
      if (countOccurrences(outKeep, v) >= expected) tally.ok++;
      else result.keepLosses.push({ file, type: item.type, value: item.value });
    }

    // untouched sentences
    const planted = new Set([...doc.redact, ...doc.debatable].map((i) => i.value).concat(doc.exempt));
    const spans: Array<[number, number]> = [];
    for (const v of planted) {
      if (!v) continue;
      let i = src.indexOf(v);
      while (i >= 0) {
        spans.push([i, i + v.length]);
        i = src.indexOf(v, i + v.length);
      }
    }
    const isHtml = file.endsWith('.html');
    const outCmp = isHtml ? out.replace(/\s/g, '') : out;
    for (const m of src.matchAll(/[^。！？!?；;\n\t]+/g)) {
      const a = m.index;
      const b = a + m[0].length;
      if (spans.some(([x, y]) => x < b && y > a)) continue;
      const sentence = m[0].trim();
      if (sentence.length < 2 || !/[\p{L}\p{N}]/u.test(sentence)) continue;
      result.untouched.n++;
      if (outCmp.includes(isHtml ? sentence.replace(/\s/g, '') : sentence)) result.untouched.ok++;
    }
  }
  result.misses.sort((a, b) => severity(a.type) - severity(b.type));
  return result;
}

// ------------------------------------------------------------------ report

export const ratio = (t: Tally): string => (t.n ? (t.ok / t.n).toFixed(3) : '  -  ');

export function total(
  tallies: Record<string, Tally>,
  include: (type: string) => boolean = () => true,
): Tally {
  const sum = { n: 0, ok: 0 };
  for (const [type, t] of Object.entries(tallies)) {
    if (!include(type)) continue;
    sum.n += t.n;
    sum.ok += t.ok;
  }
  return sum;
}

function table(tallies: Record<string, Tally>): string[] {
  return Object.entries(tallies)
    .sort((a, b) => b[1].n - a[1].n)
    .map(
      ([type, t]) => `  ${type.padEnd(22)} ${String(t.ok).padStart(5)}/${String(t.n).padEnd(5)} ${ratio(t)}`,
    );
}

/** The printed report; the last line is `<prefix>: recall R keep K untouched U (N docs)`. */
export function formatReport(
  result: ScoreResult,
  options: { prefix: string; worst: number; header?: string },
): string {
  const lines: string[] = [];
  if (options.header) lines.push(options.header);
  if (result.missing) lines.push(`MISSING OUTPUT FILES: ${result.missing} (scored as unchanged)`);
  lines.push('', 'RECALL (private values removed)', ...table(result.recall));
  lines.push('', 'KEEP (public values left unchanged)', ...table(result.keep));
  lines.push(
    '',
    `untouched sentences: ${result.untouched.ok}/${result.untouched.n} ${ratio(result.untouched)}`,
  );
  lines.push(
    `debatable items removed (not scored): ${result.debatableRemoved.ok}/${result.debatableRemoved.n}`,
  );
  if (result.labelNoise)
    lines.push(`keep items skipped (only occur inside a redact value): ${result.labelNoise}`);
  lines.push(
    '',
    `WORST MISSES (${result.misses.length} in all, ${Math.min(options.worst, result.misses.length)} shown)`,
  );
  for (const m of result.misses.slice(0, options.worst)) {
    lines.push(`  [${m.type}] ${m.file}: ${JSON.stringify(m.value)}  …${m.context}…`);
  }
  if (result.keepLosses.length) {
    lines.push('', `KEEP LOSSES (${result.keepLosses.length} in all, 10 shown)`);
    for (const k of result.keepLosses.slice(0, 10))
      lines.push(`  [${k.type}] ${k.file}: ${JSON.stringify(k.value)}`);
  }
  lines.push('', summaryLine(result, options.prefix));
  return lines.join('\n');
}

export function summaryLine(result: ScoreResult, prefix: string): string {
  return `${prefix}: recall ${ratio(total(result.recall))} keep ${ratio(total(result.keep))} untouched ${ratio(
    result.untouched,
  )} (${result.docs} docs)`;
}

// ------------------------------------------------------------------ self-check outputs

/** Unchanged copies (recall 0, keep 1) or oracle outputs masking exactly the redact values (1/1/1). */
export function selfCheckOutputs(
  labels: LabelsFile,
  sourceDir: string,
  kind: 'copy' | 'oracle',
  exemption: boolean,
): Map<string, string> {
  const outputs = new Map<string, string>();
  for (const [file, doc] of Object.entries(labels.docs)) {
    if (kind === 'copy') outputs.set(file, readFileSync(join(sourceDir, file), 'utf8'));
    else
      outputs.set(
        file,
        maskValues(
          readSource(sourceDir, file),
          plan(doc, exemption).redact.map((i) => i.value),
        ),
      );
  }
  return outputs;
}

// ------------------------------------------------------------------ CLI

function main(argv: string[]): number {
  const exemption = argv.includes('--exemption');
  const option = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const positional = argv.filter(
    (a, i) => !a.startsWith('--') && !['--make-copy', '--make-oracle'].includes(argv[i - 1] ?? ''),
  );
  const labelsPath = positional[0];
  if (!labelsPath) {
    console.error(
      'usage: score.ts LABELS OUT_DIR [--exemption] | LABELS --make-copy DIR | LABELS --make-oracle DIR',
    );
    return 2;
  }
  const labels = JSON.parse(readFileSync(labelsPath, 'utf8')) as LabelsFile;
  const sourceDir = sourceDirFor(labelsPath);
  const copyDir = option('--make-copy');
  const oracleDir = option('--make-oracle');
  const selfDir = copyDir ?? oracleDir;
  if (selfDir !== undefined) {
    mkdirSync(selfDir, { recursive: true });
    const outputs = selfCheckOutputs(labels, sourceDir, copyDir !== undefined ? 'copy' : 'oracle', exemption);
    for (const [file, text] of outputs) writeFileSync(join(selfDir, outName(file)), text);
    console.log(`wrote ${outputs.size} files to ${selfDir}`);
    return 0;
  }
  const outDir = positional[1];
  if (!outDir) {
    console.error('usage: score.ts LABELS OUT_DIR [--exemption]');
    return 2;
  }
  const outputs = new Map<string, string>();
  for (const file of Object.keys(labels.docs)) {
    const path = join(outDir, outName(file));
    if (existsSync(path)) outputs.set(file, readFileSync(path, 'utf8'));
  }
  const result = scoreOutputs(labels, sourceDir, outputs, { exemption });
  console.log(
    formatReport(result, {
      prefix: 'deid-eval',
      worst: 20,
      header: `mode: ${exemption ? '--exemption 惩戒公示' : 'default'}   output: ${outDir}`,
    }),
  );
  return 0;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = main(process.argv.slice(2));
}

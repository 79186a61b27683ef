/**
 * Leave-one-out over the engine's word lists: how much of what the engine catches through one list
 * entry is still caught by other evidence when that entry is gone.
 *
 *   npx tsx test/deid-eval/leave-one-out.ts [--seed N] [--lists A,B] [--sample K] [--out FILE] [--exemption]
 *
 * The set is generated once (seed 3 by default) into a temporary folder. shared/ and score.ts are
 * copied there (a snapshot: shared/ is never touched). For every list entry the list's declaration in
 * the copy is rewritten without that entry (an onLoad hook of the bundler swaps in the rewritten
 * source), a small runner is bundled with esbuild (readDocument, deidentifyText on every document,
 * scoreOutputs) and run in its own node process, two at a time. The unmodified copy is the baseline.
 *
 * --exemption scores 惩戒公示 mode (policy exemption punishment-publicity, punished names are kept).
 * Per entry: lost = private items the baseline removes that the variant leaves; keep lost = public
 * items the baseline keeps that the variant damages; gained = private items only the variant removes.
 * "Near" items are the baseline's caught items next to the entry in the source (within 40 characters
 * before / 12 after an occurrence, whitespace ignored, or in the header line of the item's table; for
 * surnames, names starting with the surname): the items that can have been caught through the entry.
 * Still caught = 1 - (lost items that are near) / near. SINGLE_SURNAMES and TITLES are sampled (K = 40:
 * half the entries most frequent in the set, half a seeded draw among the other entries occurring in
 * it); --sample 0 tests every entry. Tables go to stdout and to --out (test/deid-eval/leave-one-out.md).
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build, type Plugin } from 'esbuild';
import { generateSet } from './generate.js';
import { mixSeed, Rng } from './lib/rng.js';
import { housePart, type LabelItem, type LabelsFile, normName, normNum, plan, readSource } from './score.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');
const WINDOW_BEFORE = 40;
const WINDOW_AFTER = 12;
const PARALLEL = 2;

interface ListSpec {
  name: string;
  file: string;
  /** `chars`: one string (concatenated literals), each character an entry; `array`: array elements */
  kind: 'array' | 'chars';
  /** near = names starting with the entry */
  surname?: boolean;
  sampled?: boolean;
}

const LISTS: ListSpec[] = [
  { name: 'KINSHIP', file: 'people.ts', kind: 'array' },
  { name: 'PERSON_NOUNS', file: 'people.ts', kind: 'array' },
  { name: 'HONORIFICS', file: 'people.ts', kind: 'array' },
  { name: 'NOT_ROLE', file: 'people.ts', kind: 'array' },
  { name: 'CONCERNED_ROLES', file: 'people.ts', kind: 'array' },
  { name: 'SUBJECT_LABELS', file: 'fields.ts', kind: 'array' },
  { name: 'OFFICIAL_LABELS', file: 'fields.ts', kind: 'array' },
  { name: 'PERSON_ENDINGS', file: 'fields.ts', kind: 'array' },
  { name: 'ADDRESS_ENDINGS', file: 'fields.ts', kind: 'array' },
  { name: 'NUMBER_LABELS', file: 'fields.ts', kind: 'array' },
  { name: 'PRIVATE_CUES', file: 'lexicon.ts', kind: 'array' },
  { name: 'TITLES', file: 'lexicon.ts', kind: 'array', sampled: true },
  { name: 'STRONG_ADDRESS_CUES', file: 'lexicon.ts', kind: 'array' },
  { name: 'WEAK_ADDRESS_CUES', file: 'lexicon.ts', kind: 'array' },
  { name: 'SINGLE_SURNAMES', file: 'lexicon.ts', kind: 'chars', surname: true, sampled: true },
  { name: 'COMPOUND_SURNAMES', file: 'lexicon.ts', kind: 'array', surname: true },
];

// ------------------------------------------------------------------ reading the list literals

interface Span {
  start: number;
  end: number;
}
interface Literal extends Span {
  value: string;
}
interface Element extends Span {
  /** the element's first string literal: the entry (for [label, kind] pairs, the label) */
  key: string;
}
interface Declaration {
  literals: Literal[];
  elements: Element[];
}

/** Skips a string literal or comment starting at i; returns the index after it, or -1 when none starts there. */
function skipToken(src: string, i: number): number {
  const c = src[i];
  if (c === "'" || c === '"' || c === '`') {
    let j = i + 1;
    while (j < src.length && src[j] !== c) j += src[j] === '\\' ? 2 : 1;
    return j + 1;
  }
  if (c === '/' && src[i + 1] === '/') {
    const j = src.indexOf('\n', i);
    return j < 0 ? src.length : j;
  }
  if (c === '/' && src[i + 1] === '*') return src.indexOf('*/', i + 2) + 2;
  return -1;
}

/** Finds `const NAME … = …;` and reads its string literals and (for an array) its top-level elements. */
function readDeclaration(src: string, name: string): Declaration {
  const m = new RegExp(`(^|\\n)(export\\s+)?const\\s+${name}\\b`).exec(src);
  if (!m) throw new Error(`declaration of ${name} not found`);
  const eq = src.indexOf('=', m.index + m[0].length);
  const literals: Literal[] = [];
  const elements: Element[] = [];
  let depth = 0;
  let arrayDepth = -1;
  let element: { start: number; key?: string } | undefined;
  const close = (end: number): void => {
    if (element?.key !== undefined) elements.push({ start: element.start, end, key: element.key });
    element = undefined;
  };
  for (let i = eq + 1; i < src.length; ) {
    const c = src[i] as string;
    const after = skipToken(src, i);
    if (after >= 0) {
      if (c !== '/') {
        const value = src.slice(i + 1, after - 1);
        literals.push({ start: i, end: after, value });
        if (arrayDepth >= 0 && depth === arrayDepth + 1) {
          element ??= { start: i };
          element.key ??= value;
        } else if (element !== undefined) element.key ??= value;
      }
      i = after;
      continue;
    }
    if (c === ';' && depth === 0) break;
    if ('([{'.includes(c)) {
      depth++;
      if (c === '[' && arrayDepth < 0) arrayDepth = depth - 1;
      else if (arrayDepth >= 0 && depth === arrayDepth + 2) element ??= { start: i };
    } else if (')]}'.includes(c)) {
      if (arrayDepth >= 0 && depth === arrayDepth + 1 && c === ']') close(i);
      depth--;
    } else if (c === ',' && arrayDepth >= 0 && depth === arrayDepth + 1) {
      close(i + 1);
    }
    i++;
  }
  return { literals, elements };
}

/** The list's distinct entries in source order, and how often each is listed. */
function listEntries(src: string, spec: ListSpec): { entries: string[]; duplicates: string[] } {
  const d = readDeclaration(src, spec.name);
  const all = spec.kind === 'chars' ? d.literals.flatMap((l) => [...l.value]) : d.elements.map((e) => e.key);
  const count = new Map<string, number>();
  for (const e of all) count.set(e, (count.get(e) ?? 0) + 1);
  return { entries: [...count.keys()], duplicates: [...count].filter(([, n]) => n > 1).map(([e]) => e) };
}

/** The source without the entry (every copy of it, so that a duplicate does not hide it); checked. */
function withoutEntry(src: string, spec: ListSpec, entry: string): string {
  const d = readDeclaration(src, spec.name);
  let out = src;
  if (spec.kind === 'chars') {
    for (const l of [...d.literals].reverse()) {
      const quote = src[l.start] as string;
      out = `${out.slice(0, l.start)}${quote}${l.value.split(entry).join('')}${quote}${out.slice(l.end)}`;
    }
  } else {
    for (const e of [...d.elements].reverse())
      if (e.key === entry) out = out.slice(0, e.start) + out.slice(e.end);
  }
  const before = listEntries(src, spec).entries;
  const after = listEntries(out, spec).entries;
  if (after.includes(entry) || after.length !== before.length - 1)
    throw new Error(`removing ${JSON.stringify(entry)} from ${spec.name} went wrong`);
  return out;
}

// ------------------------------------------------------------------ bundling and running a variant

const RUNNER = `
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deidentifyText } from './shared/deid/index.js';
import { readDocument } from './shared/documents/index.js';
import { scoreOutputs, sourceDirFor } from './score.js';

const [labelsPath, outFile, mode] = process.argv.slice(2);
const exemption = mode === 'exemption';
const policy = exemption ? { exemption: 'punishment-publicity' } : {};
const labels = JSON.parse(readFileSync(labelsPath, 'utf8'));
const sourceDir = sourceDirFor(labelsPath);
const outputs = new Map();
const failures = [];
const started = performance.now();
for (const file of Object.keys(labels.docs)) {
  try {
    const document = await readDocument(readFileSync(join(sourceDir, file)), file);
    outputs.set(file, deidentifyText(document.text, policy).text);
  } catch (error) {
    failures.push(file + ': ' + (error instanceof Error ? error.message : String(error)));
  }
}
const seconds = (performance.now() - started) / 1000;
const result = scoreOutputs(labels, sourceDir, outputs, { exemption });
const key = (m) => m.file + '|' + m.type + '|' + m.value;
writeFileSync(outFile, JSON.stringify({
  misses: result.misses.map(key),
  keepLosses: result.keepLosses.map(key),
  untouched: result.untouched.ok,
  failures,
  seconds,
}));
`;

interface VariantResult {
  misses: string[];
  keepLosses: string[];
  untouched: number;
  failures: string[];
  seconds: number;
}

interface Variant {
  spec?: ListSpec;
  entry?: string;
  /** file (relative to the snapshot) → rewritten source */
  replace?: { path: string; text: string };
}

async function runVariant(
  work: string,
  labelsPath: string,
  exemption: boolean,
  id: string,
  variant: Variant,
): Promise<VariantResult> {
  const swap: Plugin = {
    name: 'leave-one-out',
    setup(b) {
      const target = variant.replace;
      if (target === undefined) return;
      const path = join(work, 'src', target.path);
      b.onLoad({ filter: /\.ts$/ }, (args) =>
        args.path === path ? { contents: target.text, loader: 'ts' } : undefined,
      );
    },
  };
  const bundle = join(work, 'bundles', `${id}.mjs`);
  const outFile = join(work, 'results', `${id}.json`);
  await build({
    entryPoints: [join(work, 'src', 'runner.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile: bundle,
    logLevel: 'error',
    // score.ts runs its CLI when import.meta.url is the script's own URL, as it is in a bundle.
    define: { 'import.meta.url': '"bundle:"' },
    plugins: [swap],
  });
  await new Promise<void>((done, fail) => {
    const child = spawn(
      process.execPath,
      [bundle, labelsPath, outFile, exemption ? 'exemption' : 'default'],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', fail);
    child.on('close', (code) =>
      code === 0 ? done() : fail(new Error(`variant ${id} exited with ${code}: ${stderr.slice(0, 2000)}`)),
    );
  });
  const result = JSON.parse(readFileSync(outFile, 'utf8')) as VariantResult;
  rmSync(bundle, { force: true });
  rmSync(outFile, { force: true });
  return result;
}

// ------------------------------------------------------------------ the set: items and their surroundings

interface Item {
  key: string;
  file: string;
  type: string;
  value: string;
  /** source text around the item's occurrences (whitespace removed), header lines of its tables */
  near: string;
}

const compact = (s: string): string => s.replace(/\s/g, '');
const tableLike = (line: string): boolean => /\t|\||\S( {2,}|\u3000{2,})\S/.test(line);

/** What the scorer counts once per document (same keys as its misses), with their surroundings. */
function setItems(
  labels: LabelsFile,
  sourceDir: string,
  exemption: boolean,
): { redact: Item[]; keep: Item[]; texts: string[] } {
  const redact: Item[] = [];
  const keep: Item[] = [];
  const texts: string[] = [];
  for (const [file, doc] of Object.entries(labels.docs)) {
    const src = readSource(sourceDir, file);
    texts.push(compact(src));
    const lines = src.split('\n');
    const lineStarts: number[] = [];
    let at = 0;
    for (const line of lines) {
      lineStarts.push(at);
      at += line.length + 1;
    }
    const lineOf = (pos: number): number => {
      let lo = 0;
      let hi = lineStarts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if ((lineStarts[mid] as number) <= pos) lo = mid;
        else hi = mid - 1;
      }
      return lo;
    };
    const surroundings = (value: string): string => {
      const parts: string[] = [];
      for (let i = src.indexOf(value); i >= 0 && value; i = src.indexOf(value, i + value.length)) {
        const before = compact(src.slice(Math.max(0, i - 3 * WINDOW_BEFORE), i)).slice(-WINDOW_BEFORE);
        const after = compact(src.slice(i + value.length, i + value.length + 3 * WINDOW_AFTER)).slice(
          0,
          WINDOW_AFTER,
        );
        parts.push(before + compact(value) + after);
        let l = lineOf(i);
        if (tableLike(lines[l] ?? '')) {
          while (l > 0 && tableLike(lines[l - 1] ?? '')) l--;
          parts.push(compact(lines[l] ?? ''));
        }
      }
      return parts.join('\u0000');
    };
    const { redact: toRedact, keep: toKeep } = plan(doc, exemption);
    const seen = new Set<string>();
    for (const item of toRedact) {
      const dedupe =
        item.type === 'name'
          ? `n:${normName(item.value)}`
          : item.type === 'address'
            ? `a:${normNum(housePart(item))}`
            : `x:${normNum(item.value)}`;
      if (seen.has(dedupe)) continue;
      seen.add(dedupe);
      redact.push(makeItem(file, item, surroundings(item.value)));
    }
    const keepSeen = new Set<string>();
    for (const item of toKeep) {
      if (keepSeen.has(compact(item.value))) continue;
      keepSeen.add(compact(item.value));
      keep.push(makeItem(file, item, ''));
    }
  }
  return { redact, keep, texts };
}

const makeItem = (file: string, item: LabelItem, near: string): Item => ({
  key: `${file}|${item.type}|${item.value}`,
  file,
  type: item.type,
  value: item.value,
  near,
});

// ------------------------------------------------------------------ sampling

function sampleEntries(entries: string[], counts: Map<string, number>, k: number, seed: number): string[] {
  if (k <= 0 || entries.length <= k) return entries;
  const occurring = entries.filter((e) => (counts.get(e) ?? 0) > 0);
  const byCount = [...occurring].sort((a, b) => (counts.get(b) ?? 0) - (counts.get(a) ?? 0));
  const chosen = new Set(byCount.slice(0, Math.ceil(k / 2)));
  const rng = new Rng(mixSeed(seed, 0x100e));
  const shuffle = (xs: string[]): string[] => {
    const a = [...xs];
    for (let i = a.length - 1; i > 0; i--) {
      const j = Math.floor(rng.next() * (i + 1));
      [a[i], a[j]] = [a[j] as string, a[i] as string];
    }
    return a;
  };
  for (const e of shuffle(occurring.filter((e) => !chosen.has(e)))) if (chosen.size < k) chosen.add(e);
  for (const e of shuffle(entries.filter((e) => !chosen.has(e)))) if (chosen.size < k) chosen.add(e);
  return entries.filter((e) => chosen.has(e));
}

// ------------------------------------------------------------------ report

interface EntryResult {
  entry: string;
  inSet: number;
  near: number;
  lost: number;
  lostNear: number;
  gained: number;
  keepLost: number;
  keepFixed: number;
  untouched: number;
  examples: string[];
}

interface ListResult {
  spec: ListSpec;
  total: number;
  duplicates: string[];
  entries: EntryResult[];
}

const pct = (x: number, n: number): string => (n ? `${((100 * x) / n).toFixed(0)} %` : '–');
const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, '⏎');

function listTable(list: ListResult, baselineUntouched: number): string[] {
  const rows = [...list.entries].sort(
    (a, b) => b.lost - a.lost || b.keepLost - a.keepLost || b.lostNear - a.lostNear || b.near - a.near,
  );
  const tested = list.entries.length;
  const lines = [
    `### ${list.spec.name} (${list.spec.file})`,
    '',
    `${tested === list.total ? `${tested} entries` : `${tested} of ${list.total} entries (sample)`}; ${
      list.entries.filter((e) => e.inSet > 0).length
    } occur in the set${list.duplicates.length ? `; listed twice: ${list.duplicates.join(' ')}` : ''}.`,
    '',
    '| entry | in set | near | lost | still caught (near) | gained | keep lost | keep fixed | Δ untouched | e.g. lost |',
    '|---|--:|--:|--:|--:|--:|--:|--:|--:|---|',
  ];
  for (const e of rows.slice(0, 15)) {
    lines.push(
      `| ${cell(e.entry)} | ${e.inSet} | ${e.near} | ${e.lost} | ${pct(e.near - e.lostNear, e.near)} | ${e.gained} | ${
        e.keepLost
      } | ${e.keepFixed} | ${e.untouched - baselineUntouched} | ${cell(e.examples.join(', '))} |`,
    );
  }
  if (rows.length > 15) lines.push(`| … ${rows.length - 15} more | | | | | | | | | |`);
  return lines;
}

function summaryRow(list: ListResult): string {
  const es = list.entries;
  const losing = es.filter((e) => e.lost > 0);
  const worst = [...es].sort((a, b) => b.lost - a.lost)[0];
  const sum = (f: (e: EntryResult) => number): number => es.reduce((s, e) => s + f(e), 0);
  const near = sum((e) => e.near);
  const entries = es.length === list.total ? `${es.length}` : `${es.length}/${list.total}`;
  return `| ${list.spec.name} | ${entries} | ${es.filter((e) => e.inSet > 0).length} | ${losing.length} | ${sum(
    (e) => e.lost,
  )} | ${worst && worst.lost > 0 ? `${cell(worst.entry)} (${worst.lost})` : '–'} | ${sum((e) => e.keepLost)} | ${
    es.filter((e) => e.keepLost > 0).length
  } | ${pct(near - sum((e) => e.lostNear), near)} |`;
}

// ------------------------------------------------------------------ main

async function pool<T>(tasks: Array<() => Promise<T>>, width: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await (tasks[i] as () => Promise<T>)();
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, tasks.length) }, worker));
  return results;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seed: { type: 'string', default: '3' },
      lists: { type: 'string' },
      sample: { type: 'string', default: '40' },
      out: { type: 'string', default: join(HERE, 'leave-one-out.md') },
      exemption: { type: 'boolean', default: false },
    },
  });
  const seed = Number(values.seed);
  const sample = Number(values.sample);
  const exemption = values.exemption;
  const wanted = values.lists?.split(',').map((s) => s.trim().toUpperCase());
  const specs = wanted ? LISTS.filter((s) => wanted.includes(s.name)) : LISTS;
  if (wanted && specs.length !== wanted.length)
    throw new Error(`unknown list in --lists; known: ${LISTS.map((s) => s.name).join(', ')}`);
  const started = performance.now();
  const elapsed = (): string => `${((performance.now() - started) / 1000).toFixed(0)} s`;

  const work = mkdtempSync(join(tmpdir(), 'deid-loo-'));
  try {
    // The set, and a snapshot of the engine (shared/ may be edited while this runs).
    const setDir = join(work, 'set');
    const labels = generateSet(setDir, seed);
    const labelsPath = join(setDir, 'labels.json');
    cpSync(join(ROOT, 'shared'), join(work, 'src', 'shared'), { recursive: true });
    cpSync(join(HERE, 'score.ts'), join(work, 'src', 'score.ts'));
    writeFileSync(join(work, 'src', 'runner.ts'), RUNNER);
    symlinkSync(join(ROOT, 'node_modules'), join(work, 'node_modules'), 'dir');
    mkdirSync(join(work, 'bundles'));
    mkdirSync(join(work, 'results'));
    const { redact, keep, texts } = setItems(labels, setDir, exemption);
    const compounds = new Set(
      listEntries(readFileSync(join(work, 'src', 'shared', 'deid', 'lexicon.ts'), 'utf8'), {
        name: 'COMPOUND_SURNAMES',
        file: 'lexicon.ts',
        kind: 'array',
      }).entries,
    );
    const surnameOf = (name: string): string =>
      compounds.has(name.slice(0, 2)) ? name.slice(0, 2) : name.slice(0, 1);
    const surnames = redact.filter((i) => i.type === 'name').map((i) => surnameOf(normName(i.value)));
    console.error(`leave-one-out: seed ${seed}, ${Object.keys(labels.docs).length} documents in ${work}`);

    const baseline = await runVariant(work, labelsPath, exemption, 'baseline', {});
    if (baseline.failures.length) console.error(`baseline: ${baseline.failures.length} documents failed`);
    const baseMiss = new Set(baseline.misses);
    const baseKeepLoss = new Set(baseline.keepLosses);
    const caught = redact.filter((i) => !baseMiss.has(i.key));
    const keptCount = keep.length - baseKeepLoss.size;
    console.error(
      `baseline: ${caught.length}/${redact.length} private items removed, ${keptCount}/${keep.length} public kept (${baseline.seconds.toFixed(2)} s engine) [${elapsed()}]`,
    );

    // Plan the variants.
    const sources = new Map<string, string>();
    const plans: Array<{ spec: ListSpec; total: number; duplicates: string[]; entries: string[] }> = [];
    for (const spec of specs) {
      const rel = join('shared', 'deid', spec.file);
      const src = sources.get(rel) ?? readFileSync(join(work, 'src', rel), 'utf8');
      sources.set(rel, src);
      const { entries, duplicates } = listEntries(src, spec);
      const inSet = new Map(entries.map((e) => [e, occurrences(e, spec, texts, surnames)]));
      const chosen = spec.sampled ? sampleEntries(entries, inSet, sample, seed) : entries;
      plans.push({ spec, total: entries.length, duplicates, entries: chosen });
    }
    const jobs = plans.flatMap((p) => p.entries.map((entry) => ({ spec: p.spec, entry })));
    console.error(`${jobs.length} variants over ${plans.length} lists`);

    let done = 0;
    const results = await pool(
      jobs.map(({ spec, entry }, n) => async (): Promise<EntryResult> => {
        const rel = join('shared', 'deid', spec.file);
        const text = withoutEntry(sources.get(rel) as string, spec, entry);
        const r = await runVariant(work, labelsPath, exemption, `v${n}`, {
          spec,
          entry,
          replace: { path: rel, text },
        });
        const miss = new Set(r.misses);
        const lostItems = caught.filter((i) => miss.has(i.key));
        const isNear = (i: Item): boolean =>
          spec.surname ? i.type === 'name' && surnameOf(normName(i.value)) === entry : i.near.includes(entry);
        const result: EntryResult = {
          entry,
          inSet: occurrences(entry, spec, texts, surnames),
          near: caught.filter(isNear).length,
          lost: lostItems.length,
          lostNear: lostItems.filter(isNear).length,
          gained: baseline.misses.filter((k) => !miss.has(k)).length,
          keepLost: r.keepLosses.filter((k) => !baseKeepLoss.has(k)).length,
          keepFixed: baseline.keepLosses.filter((k) => !r.keepLosses.includes(k)).length,
          untouched: r.untouched,
          examples: lostItems
            .slice(0, 3)
            .map((i) => `${i.type} ${i.value.length > 24 ? `${i.value.slice(0, 22)}…` : i.value}`),
        };
        done++;
        console.error(
          `[${done}/${jobs.length}] ${spec.name} ${entry}: lost ${result.lost} (near ${result.lostNear}/${result.near}) keep lost ${result.keepLost}${
            r.failures.length ? ` FAILED ${r.failures.length}` : ''
          } [${elapsed()}]`,
        );
        return result;
      }),
      PARALLEL,
    );

    const lists: ListResult[] = plans.map((p) => ({
      spec: p.spec,
      total: p.total,
      duplicates: p.duplicates,
      entries: results.filter((_, i) => jobs[i]?.spec === p.spec),
    }));
    const command = `npx tsx test/deid-eval/leave-one-out.ts ${process.argv.slice(2).join(' ')}`.trim();
    const report = [
      `# Leave-one-out over the de-identification word lists`,
      '',
      `Seed ${seed} (${Object.keys(labels.docs).length} documents, ${exemption ? 'exemption mode (惩戒公示)' : 'default mode'}), ${new Date().toISOString()}, ${jobs.length} variants in ${elapsed()}.`,
      `Command: \`${command}\``,
      '',
      `Baseline (shared/ as copied at the start): ${caught.length} of ${redact.length} private items removed, ${keptCount} of ${keep.length} public items kept, ${baseline.untouched} sentences untouched.`,
      '',
      '- **lost**: private items the baseline removes that the engine without the entry leaves in the text;',
      '  **gained**: private items only the engine without the entry removes; **keep lost**: public items',
      '  newly damaged; **keep fixed**: public items the baseline damages that are kept without the entry;',
      '  **Δ untouched**: change in untouched sentences (negative: more sentences changed).',
      `- **near**: items the baseline removes that sit next to the entry (within ${WINDOW_BEFORE} characters before or`,
      `  ${WINDOW_AFTER} after, whitespace ignored, or in the header line of their table; for surnames: names starting`,
      '  with it as surname) — what can have been caught through the entry. **still caught** = 1 − (lost items that',
      '  are near) / near: 0 % when the entry was the only evidence for everything next to it.',
      '- **in set**: documents containing the entry (surnames: private names with that surname).',
      `- SINGLE_SURNAMES and TITLES: a sample of ${sample} entries (half the most frequent in the set, half a seeded draw among the others occurring in it). An entry listed twice is removed with all its copies.`,
      '',
      '## Summary',
      '',
      '| list | entries | entries in set | entries whose removal loses anything | items lost (sum) | worst entry (items lost) | keep lost (sum) | entries losing keep | still caught (near) |',
      '|---|--:|--:|--:|--:|---|--:|--:|--:|',
      ...lists.map(summaryRow),
      '',
      '## Per list (top 15 by items lost)',
      '',
      ...lists.flatMap((l) => [...listTable(l, baseline.untouched), '']),
    ].join('\n');
    console.log(report);
    writeFileSync(values.out, report);
    console.error(`wrote ${relative(process.cwd(), values.out)} [${elapsed()}]`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Documents containing the entry; for surnames, private names with that surname. */
function occurrences(entry: string, spec: ListSpec, texts: string[], surnames: string[]): number {
  if (spec.surname) return surnames.filter((s) => s === entry).length;
  return texts.filter((t) => t.includes(entry)).length;
}

await main();

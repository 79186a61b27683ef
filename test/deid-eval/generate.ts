/**
 * Generates the independent de-identification evaluation set.
 *
 *   npx tsx test/deid-eval/generate.ts OUT_DIR [--seed N] [--per-genre N]
 *
 * Writes NNN-<genre>.<txt|md|html> documents and labels.json (deid-dev format) into OUT_DIR.
 * Deterministic for a given seed. Every document is checked before it is written (values occur as
 * labelled, no private value hides in a public one, masking exactly the labelled occurrences removes
 * every private value); a document that fails is drawn again from a derived seed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Genre } from './lib/blocks.js';
import { Ctx } from './lib/ctx.js';
import { checkDocument, type DocSpec, type Format, type RenderStyle, renderDocument } from './lib/doc.js';
import { LEGAL } from './lib/genres-legal.js';
import { PUBLIC } from './lib/genres-public.js';
import { WELFARE } from './lib/genres-welfare.js';
import { PLACES } from './lib/pools.js';
import { mixSeed, Rng } from './lib/rng.js';
import type { DocLabels, LabelsFile } from './score.js';

export const GENRES: Genre[] = [...WELFARE, ...LEGAL, ...PUBLIC];
const FORMAT_CYCLE = ['txt', 'txt-wrapped', 'md', 'html', 'txt-2'] as const;
const EXTENSION: Record<Format, string> = {
  txt: 'txt',
  'txt-tsv': 'txt',
  'txt-aligned': 'txt',
  'txt-wrapped': 'txt',
  md: 'md',
  html: 'html',
};
const MAX_ATTEMPTS = 40;

export interface GeneratedDoc {
  file: string;
  text: string;
  labels: DocLabels;
}

function generateOne(
  genre: Genre,
  genreIndex: number,
  index: number,
  seed: number,
): Omit<GeneratedDoc, 'file'> {
  const slot = FORMAT_CYCLE[(index + genreIndex) % FORMAT_CYCLE.length] as (typeof FORMAT_CYCLE)[number];
  const failures: string[] = [];
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const rng = new Rng(mixSeed(seed, genreIndex, index, attempt));
    const place = rng.pick(PLACES);
    const c = new Ctx(rng, place);
    const blocks = genre.make(c);
    const hasTable = blocks.some((b) => b.t === 'table');
    const format: Format =
      slot === 'txt'
        ? hasTable
          ? 'txt-tsv'
          : 'txt'
        : slot === 'txt-2'
          ? hasTable
            ? 'txt-aligned'
            : 'txt'
          : slot;
    const doc: DocSpec = {
      genre: genre.genre,
      key: genre.key,
      punishment: genre.punishment ?? false,
      blocks,
      site: { name: c.agency(genre.site ?? '人民政府'), address: c.agencyAddress(), phone: c.agencyPhone() },
    };
    const style: RenderStyle = {
      format,
      width: rng.int(30, 44),
      indent: rng.chance(0.6),
      listStyle: rng.pick(['dot', 'dun', 'paren'] as const),
      publishDate: `${c.year}-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`,
      views: rng.int(30, 5000),
    };
    const rendered = renderDocument(doc, style);
    const problems = checkDocument(doc, style, rendered);
    if (format !== 'html' && /[ \t\u3000]\n|[ \t\u3000]$/.test(rendered.text))
      problems.push('trailing whitespace');
    if (problems.length === 0) return rendered;
    failures.push(...problems);
  }
  throw new Error(
    `${genre.key} #${index}: no sound document in ${MAX_ATTEMPTS} attempts:\n${failures.slice(0, 10).join('\n')}`,
  );
}

/** Builds the whole set in memory: documents in file-name order, and their labels. */
export function buildSet(seed = 1, perGenre = 14): GeneratedDoc[] {
  const docs: GeneratedDoc[] = [];
  for (let i = 0; i < perGenre; i++) {
    GENRES.forEach((genre, gi) => {
      const { text, labels } = generateOne(genre, gi, i, seed);
      const file = `${String(docs.length + 1).padStart(3, '0')}-${genre.key}.${EXTENSION[labels.format as Format]}`;
      docs.push({ file, text, labels });
    });
  }
  return docs;
}

/** Writes the documents and labels.json into `outDir`; returns the labels. */
export function generateSet(outDir: string, seed = 1, perGenre = 14): LabelsFile {
  mkdirSync(outDir, { recursive: true });
  const labels: LabelsFile = { docs: {} };
  for (const doc of buildSet(seed, perGenre)) {
    writeFileSync(join(outDir, doc.file), doc.text.endsWith('\n') ? doc.text : `${doc.text}\n`);
    labels.docs[doc.file] = doc.labels;
  }
  writeFileSync(join(outDir, 'labels.json'), `${JSON.stringify(labels, null, 1)}\n`);
  return labels;
}

function main(argv: string[]): number {
  const option = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const outDir = argv.find(
    (a, i) => !a.startsWith('--') && !['--seed', '--per-genre'].includes(argv[i - 1] ?? ''),
  );
  if (outDir === undefined) {
    console.error('usage: npx tsx test/deid-eval/generate.ts OUT_DIR [--seed N] [--per-genre N]');
    return 2;
  }
  const seed = Number(option('--seed') ?? 1);
  const perGenre = Number(option('--per-genre') ?? 14);
  const labels = generateSet(outDir, seed, perGenre);
  console.log(
    `wrote ${Object.keys(labels.docs).length} documents and labels.json to ${outDir} (seed ${seed})`,
  );
  return 0;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = main(process.argv.slice(2));
}

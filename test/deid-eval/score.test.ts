import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSet, GENRES, generateSet } from './generate.js';
import { idCheck, luhnValid, usccCheck, vinCheck } from './lib/ids.js';
import {
  type LabelsFile,
  normNum,
  readSource,
  type ScoreResult,
  scoreOutputs,
  selfCheckOutputs,
  sourceDirFor,
  total,
} from './score.js';

const ratioOf = (t: { n: number; ok: number }): number => (t.n ? t.ok / t.n : 1);
const summary = (r: ScoreResult): [number, number, number] => [
  ratioOf(total(r.recall)),
  ratioOf(total(r.keep)),
  ratioOf(r.untouched),
];

describe('deid-eval set and scorer', () => {
  let dir: string;
  let labels: LabelsFile;
  let sourceDir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'deid-eval-test-'));
    labels = generateSet(dir, 1);
    sourceDir = sourceDirFor(join(dir, 'labels.json'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('has at least 320 documents over at least 16 genres and every format', () => {
    const docs = Object.values(labels.docs);
    expect(docs.length).toBeGreaterThanOrEqual(320);
    expect(new Set(docs.map((d) => d.genre)).size).toBeGreaterThanOrEqual(16);
    expect(GENRES.length).toBeGreaterThanOrEqual(16);
    expect(new Set(docs.map((d) => d.format))).toEqual(
      new Set(['txt', 'txt-tsv', 'txt-aligned', 'txt-wrapped', 'md', 'html']),
    );
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const a = buildSet(7, 2);
    const b = buildSet(7, 2);
    const c = buildSet(8, 2);
    expect(a).toEqual(b);
    expect(a.map((d) => d.text)).not.toEqual(c.map((d) => d.text));
  });

  it('labels values exactly as they occur in the text', () => {
    for (const [file, doc] of Object.entries(labels.docs)) {
      const text = readSource(sourceDir, file);
      for (const item of [...doc.redact, ...doc.keep, ...doc.debatable]) {
        expect(text.includes(item.value), `${file}: ${item.type} ${JSON.stringify(item.value)}`).toBe(true);
      }
      for (const name of doc.exempt) expect(doc.redact.some((r) => r.value === name)).toBe(true);
    }
  });

  it('plants identifiers with valid check digits', () => {
    const values = (type: string): string[] =>
      Object.values(labels.docs).flatMap((d) =>
        d.redact.filter((r) => r.type === type).map((r) => normNum(r.value)),
      );
    const ids = values('id_card');
    expect(ids.some((v) => v.length === 15)).toBe(true);
    for (const id of ids.filter((v) => v.length === 18)) expect(idCheck(id.slice(0, 17))).toBe(id[17]);
    for (const card of values('bank_card')) expect(luhnValid(card), card).toBe(true);
    for (const vin of values('vin')) expect(vinCheck(vin)).toBe(vin[8]);
    const codes = Object.values(labels.docs).flatMap((d) =>
      d.keep.filter((k) => k.type === 'credit_code').map((k) => normNum(k.value)),
    );
    expect(codes.length).toBeGreaterThan(0);
    for (const code of codes) expect(usccCheck(code.slice(0, 17))).toBe(code[17]);
  });

  it('scores unchanged copies as recall 0, keep 1, untouched 1', () => {
    for (const exemption of [false, true]) {
      const r = scoreOutputs(labels, sourceDir, selfCheckOutputs(labels, sourceDir, 'copy', exemption), {
        exemption,
      });
      const [recall, keep, untouched] = summary(r);
      expect(recall).toBe(0);
      expect(keep).toBe(1);
      expect(untouched).toBe(1);
    }
  });

  it('scores an oracle masking exactly the redact values as 1 / 1 / 1', () => {
    for (const exemption of [false, true]) {
      const r = scoreOutputs(labels, sourceDir, selfCheckOutputs(labels, sourceDir, 'oracle', exemption), {
        exemption,
      });
      expect(r.misses).toEqual([]);
      expect(r.keepLosses).toEqual([]);
      expect(summary(r)).toEqual([1, 1, 1]);
      if (exemption) expect(r.keep.exempt_name?.n ?? 0).toBeGreaterThan(0);
    }
  });

  it('counts a missing output as unchanged', () => {
    const r = scoreOutputs(labels, sourceDir, new Map(), { exemption: false });
    expect(r.missing).toBe(Object.keys(labels.docs).length);
    expect(ratioOf(total(r.recall))).toBe(0);
  });

  it('reads the deid-dev layout (documents in docs/) too', () => {
    const devLabels = '/work/shared/deid-dev/labels.json';
    let raw: string;
    try {
      raw = readFileSync(devLabels, 'utf8');
    } catch {
      return; // the development set is not on every machine
    }
    const dev = JSON.parse(raw) as LabelsFile;
    const devDir = sourceDirFor(devLabels);
    expect(devDir.endsWith('docs')).toBe(true);
    const r = scoreOutputs(dev, devDir, selfCheckOutputs(dev, devDir, 'oracle', false), { exemption: false });
    expect(summary(r)).toEqual([1, 1, 1]);
  });
});

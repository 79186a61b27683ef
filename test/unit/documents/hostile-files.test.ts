import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DocumentRejectedError, readDocument } from '../../../shared/documents/index.js';
import { generateHostileFiles, type HostileCase } from '../../fixtures/hostile/generate.js';

describe('Hostile uploads (test/fixtures/hostile/generate.ts)', () => {
  let outDir = '';
  let manifest: HostileCase[] = [];

  beforeAll(async () => {
    // Prepare: generated per run, so nothing large or dangerous is committed
    outDir = await mkdtemp(path.join(tmpdir(), 'gongkai-hostile-'));
    manifest = await generateHostileFiles(outDir);
  });

  afterAll(async () => {
    await rm(outDir, { recursive: true, force: true });
  });

  it('writes a manifest that lists every generated file', async () => {
    const written = JSON.parse(await readFile(path.join(outDir, 'manifest.json'), 'utf8')) as HostileCase[];

    expect(written).toEqual(manifest);
    expect(manifest.length).toBeGreaterThanOrEqual(20);
  });

  it('rejects each hostile file with its named error, or reads it harmlessly, within a second', async () => {
    const outcomes: string[] = [];
    for (const entry of manifest) {
      // Act
      const bytes = new Uint8Array(await readFile(path.join(outDir, entry.file)));
      const started = performance.now();
      const result = await readDocument(bytes, entry.uploadName).then(
        (document) => ({ document, error: null }),
        (error: unknown) => ({ document: null, error }),
      );
      const ms = performance.now() - started;

      // Assess
      if (entry.expect === 'read') {
        expect(result.error, entry.file).toBeNull();
        const html = result.document?.html ?? '';
        expect(html, entry.file).not.toMatch(/<(?:script|img|iframe|svg|style)|\son\w+=|href="javascript:/i);
      } else {
        expect(result.error, entry.file).toBeInstanceOf(DocumentRejectedError);
        expect((result.error as Error).name, entry.file).toBe(entry.expect);
      }
      expect(ms, entry.file).toBeLessThan(1_000);
      outcomes.push(`${entry.file}: ${entry.expect} in ${ms.toFixed(1)} ms`);
    }
    expect(outcomes).toHaveLength(manifest.length);
  });
});

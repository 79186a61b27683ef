import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { catalogPage, changesPage } from '../../../shared/portal/index.js';
import type { CatalogEntry } from '../../../shared/ports/catalog-store.js';
import { FORMAT_VERSION, publishRevision, verifyBundle } from '../../../shared/publication/index.js';
import { publishedKeys } from '../../../shared/storage-keys.js';
import { anAttachment, IDS } from '../../support/builders.js';
import { validateJsonSchema } from '../../support/json-schema-subset.js';
import {
  aScheduledSubmission,
  InMemoryCatalogStore,
  InMemoryObjectStore,
  InMemorySequenceAllocator,
  InMemorySubmissionStore,
  seedWorkProducts,
  WORK_CONTENT,
} from '../../support/publication-fakes.js';

function schema(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`../../../docs/schemas/${name}`, import.meta.url), 'utf8'));
}

async function publishAndVerify() {
  const submission = aScheduledSubmission({
    documents: [...aScheduledSubmission().documents, anAttachment()],
    metadata: { privacyExemption: { kind: 'mandatory-disclosure', basis: '《证券法》' } },
  });
  const submissions = new InMemorySubmissionStore(submission);
  const work = new InMemoryObjectStore();
  const published = new InMemoryObjectStore();
  const catalog = new InMemoryCatalogStore();
  await seedWorkProducts(work, submission, {
    ...WORK_CONTENT,
    [IDS.attachment]: { html: '<p>附件</p>', text: '附件\n' },
  });
  const now = () => new Date('2019-07-22T01:30:00.000Z');
  const { bundleId } = await publishRevision(
    { submissionId: IDS.submission, revision: 1 },
    { submissions, sequences: new InMemorySequenceAllocator(), work, published, now },
  );
  await verifyBundle(
    { submissionId: IDS.submission, revision: 1, bundleId },
    { submissions, published, catalog, now },
  );
  return { bundleId, published, catalog };
}

describe('JSON Schemas in docs/schemas', () => {
  it('accept the manifest Publish writes', async () => {
    // Prepare
    const { bundleId, published } = await publishAndVerify();

    // Act
    const manifest = JSON.parse(published.text(publishedKeys.manifest(bundleId)));

    // Assess
    expect(validateJsonSchema(schema('manifest.schema.json'), manifest)).toEqual([]);
    expect(manifest.formatVersion).toBe(FORMAT_VERSION);
    expect(manifest.attachments).toHaveLength(1);
    expect(manifest.privacyExemption.label).toBe('强制性信息披露');
  });

  it('reject a manifest without a file list or with a bad hash', async () => {
    // Prepare
    const { bundleId, published } = await publishAndVerify();
    const manifest = JSON.parse(published.text(publishedKeys.manifest(bundleId)));
    const { files: _files, ...withoutFiles } = manifest;
    const badHash = {
      ...manifest,
      files: [{ ...manifest.files[0], sha256: 'XYZ' }, ...manifest.files.slice(1)],
    };

    // Act / Assess
    expect(validateJsonSchema(schema('manifest.schema.json'), withoutFiles)).toContain('$: missing files');
    expect(validateJsonSchema(schema('manifest.schema.json'), badHash)).toEqual([
      '$.files[0].sha256: does not match ^[0-9a-f]{64}$',
    ]);
  });

  it('accept the catalog entries and change events the portal serves', async () => {
    // Prepare
    const { catalog, published } = await publishAndVerify();
    const deps = { catalog, published, defaultPageSize: 10 };

    // Act
    const entries = JSON.parse(Buffer.from((await catalogPage({ query: {} }, deps)).body ?? []).toString());
    const changes = JSON.parse(Buffer.from((await changesPage({ query: {} }, deps)).body ?? []).toString());

    // Assess
    expect(entries.items).toHaveLength(1);
    expect(changes.items).toHaveLength(1);
    expect(validateJsonSchema(schema('catalog-entry.schema.json'), entries.items[0])).toEqual([]);
    expect(validateJsonSchema(schema('change-event.schema.json'), changes.items[0])).toEqual([]);
  });

  it('reject a catalog entry with an unknown 效力状态', () => {
    // Prepare
    const entry: Partial<CatalogEntry> & { formatVersion: string } = {
      formatVersion: '1.0',
      bundleId: IDS.bundle,
      validity: 'ABOLISHED' as CatalogEntry['validity'],
    };

    // Act
    const errors = validateJsonSchema(schema('catalog-entry.schema.json'), entry);

    // Assess
    expect(errors).toContain('$.validity: not one of ["VALID","EXPIRED","REPEALED"]');
  });
});

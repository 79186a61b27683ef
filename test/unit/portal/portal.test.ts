import { describe, expect, it } from 'vitest';
import {
  BUNDLE_HTML_CSP,
  bundleFile,
  bundleManifest,
  catalogPage,
  changesPage,
  InvalidPortalParameterError,
  matchesIfNoneMatch,
  type PortalDependencies,
  PortalNotFoundError,
  strongEtag,
} from '../../../shared/portal/index.js';
import {
  BundleIntegrityError,
  IMMUTABLE_CACHE_CONTROL,
  publishRevision,
  SHORT_CACHE_CONTROL,
  verifyBundle,
} from '../../../shared/publication/index.js';
import { publishedKeys } from '../../../shared/storage-keys.js';
import { IDS } from '../../support/builders.js';
import {
  aScheduledSubmission,
  InMemoryCatalogStore,
  InMemoryObjectStore,
  InMemorySequenceAllocator,
  InMemorySubmissionStore,
  seedWorkProducts,
} from '../../support/publication-fakes.js';

const now = () => new Date('2019-07-22T01:30:00.000Z');

async function portalWith(count = 1, { verify = true } = {}) {
  const catalog = new InMemoryCatalogStore();
  const published = new InMemoryObjectStore();
  const bundleIds: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const submission = aScheduledSubmission({
      id: `01HZY8K3Q4M5N6P7R8S9T0V${String(index).padStart(3, '0')}`,
    });
    const submissions = new InMemorySubmissionStore(submission);
    const work = new InMemoryObjectStore();
    await seedWorkProducts(work, submission);
    const { bundleId } = await publishRevision(
      { submissionId: submission.id, revision: 1 },
      { submissions, sequences: new InMemorySequenceAllocator(), work, published, now },
    );
    if (verify)
      await verifyBundle(
        { submissionId: submission.id, revision: 1, bundleId },
        { submissions, published, catalog, now },
      );
    bundleIds.push(bundleId);
  }
  const deps: PortalDependencies = { catalog, published, defaultPageSize: 2 };
  return { deps, bundleIds, published };
}

function jsonOf(response: { body?: Uint8Array }) {
  return JSON.parse(Buffer.from(response.body ?? []).toString('utf8'));
}

describe('Function: matchesIfNoneMatch', () => {
  it.each([
    ['"abc"', true],
    ['W/"abc"', true],
    ['"x", "abc"', true],
    ['*', true],
    ['"abd"', false],
    [undefined, false],
  ])('If-None-Match %j against "abc" → %s', (header, expected) => {
    // Act / Assess
    expect(matchesIfNoneMatch(header, '"abc"')).toBe(expected);
  });
});

describe('Operation: catalogPage', () => {
  it('pages through entries with nextCursor until the last page', async () => {
    // Prepare
    const { deps, bundleIds } = await portalWith(3);

    // Act
    const first = jsonOf(await catalogPage({ query: {} }, deps));
    const second = jsonOf(await catalogPage({ query: { cursor: first.nextCursor } }, deps));

    // Assess
    expect(first.items).toHaveLength(2);
    expect(second.items).toHaveLength(1);
    expect(second.nextCursor).toBeUndefined();
    expect(
      [...first.items, ...second.items].map((item: { bundleId: string }) => item.bundleId).sort(),
    ).toEqual([...bundleIds].sort());
  });

  it('answers with a strong ETag and a short cache lifetime, and 304 without a body when it matches', async () => {
    // Prepare
    const { deps } = await portalWith(1);
    const first = await catalogPage({ query: {} }, deps);

    // Act
    const second = await catalogPage({ query: {}, ifNoneMatch: first.headers.etag ?? '' }, deps);

    // Assess
    expect(first.statusCode).toBe(200);
    expect(first.headers.etag).toBe(strongEtag(first.body ?? new Uint8Array()));
    expect(first.headers.etag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
    expect(first.headers['cache-control']).toBe(SHORT_CACHE_CONTROL);
    expect(second.statusCode).toBe(304);
    expect(second.body).toBeUndefined();
    expect(second.headers.etag).toBe(first.headers.etag);
  });

  it.each([['0'], ['1001'], ['abc'], ['-1'], ['1.5']])(
    'refuses limit=%s with a Chinese message',
    async (limit) => {
      // Prepare
      const { deps } = await portalWith(0);

      // Act
      const error = await catalogPage({ query: { limit } }, deps).catch((caught: unknown) => caught);

      // Assess
      expect(error).toBeInstanceOf(InvalidPortalParameterError);
      expect((error as InvalidPortalParameterError).httpStatus).toBe(400);
      expect((error as Error).message).toContain('参数「limit」无效');
    },
  );

  it('refuses a cursor that is not one it handed out', async () => {
    // Prepare
    const { deps } = await portalWith(0);

    // Act / Assess
    await expect(catalogPage({ query: { cursor: '../../etc' } }, deps)).rejects.toBeInstanceOf(
      InvalidPortalParameterError,
    );
  });

  it('never lists a bundle that was written but not verified', async () => {
    // Prepare
    const { deps } = await portalWith(1, { verify: false });

    // Act
    const page = jsonOf(await catalogPage({ query: {} }, deps));

    // Assess
    expect(page.items).toEqual([]);
  });
});

describe('Operation: changesPage', () => {
  it('returns events after the cursor in order, with nextCursor the last sequence', async () => {
    // Prepare
    const { deps } = await portalWith(3);

    // Act
    const page = jsonOf(await changesPage({ query: { after: '1', limit: '5' } }, deps));
    const empty = jsonOf(await changesPage({ query: { after: '3' } }, deps));

    // Assess
    expect(page.items.map((event: { sequence: number }) => event.sequence)).toEqual([2, 3]);
    expect(page.nextCursor).toBe(3);
    expect(page.items[0]).toMatchObject({ formatVersion: '1.0', type: 'PUBLISHED' });
    expect(empty).toEqual({ formatVersion: '1.0', items: [], nextCursor: 3 });
  });

  it('refuses an after that is not a whole number', async () => {
    // Prepare
    const { deps } = await portalWith(0);

    // Act / Assess
    await expect(changesPage({ query: { after: 'x' } }, deps)).rejects.toThrow('参数「after」无效');
  });
});

describe('Operation: bundleManifest and bundleFile', () => {
  it('serves the manifest of a listed bundle as immutable', async () => {
    // Prepare
    const { deps, bundleIds } = await portalWith(1);

    // Act
    const response = await bundleManifest(bundleIds[0] ?? '', { query: {} }, deps);

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe(IMMUTABLE_CACHE_CONTROL);
    expect(jsonOf(response).bundleId).toBe(bundleIds[0]);
  });

  it('answers 404 for a bundle that is unknown, or written but not verified', async () => {
    // Prepare
    const { deps, bundleIds } = await portalWith(1, { verify: false });

    // Act / Assess
    await expect(bundleManifest(bundleIds[0] ?? '', { query: {} }, deps)).rejects.toBeInstanceOf(
      PortalNotFoundError,
    );
    await expect(bundleManifest(IDS.bundle, { query: {} }, deps)).rejects.toBeInstanceOf(PortalNotFoundError);
  });

  it('answers 400 for a bundle id that is not a ULID', async () => {
    // Prepare
    const { deps } = await portalWith(0);

    // Act / Assess
    await expect(bundleManifest('../secret', { query: {} }, deps)).rejects.toBeInstanceOf(
      InvalidPortalParameterError,
    );
  });

  it('serves an HTML file with its media type, nosniff and a sandboxing CSP', async () => {
    // Prepare
    const { deps, bundleIds } = await portalWith(1);

    // Act
    const response = await bundleFile(bundleIds[0] ?? '', 'policy.html', { query: {} }, deps);

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.headers).toMatchObject({
      'content-type': 'text/html; charset=utf-8',
      'x-content-type-options': 'nosniff',
      'content-security-policy': BUNDLE_HTML_CSP,
      'cache-control': IMMUTABLE_CACHE_CONTROL,
    });
    expect(response.headers['content-security-policy']).toMatch(/^sandbox;/);
    expect(Buffer.from(response.body ?? []).toString()).toContain('<html lang="zh-CN">');
  });

  it('answers 304 for a file the client already has', async () => {
    // Prepare
    const { deps, bundleIds } = await portalWith(1);
    const first = await bundleFile(bundleIds[0] ?? '', 'policy.txt', { query: {} }, deps);

    // Act
    const second = await bundleFile(
      bundleIds[0] ?? '',
      'policy.txt',
      { query: {}, ifNoneMatch: first.headers.etag ?? '' },
      deps,
    );

    // Assess
    expect(second.statusCode).toBe(304);
    expect(second.body).toBeUndefined();
    expect(first.headers['content-security-policy']).toBeUndefined();
  });

  it('answers 404 for a name the manifest does not list, even when the bucket holds it', async () => {
    // Prepare
    const { deps, bundleIds, published } = await portalWith(1);
    await published.put(publishedKeys.file(bundleIds[0] ?? '', 'extra.html'), '<p>planted</p>');

    // Act / Assess
    for (const name of ['extra.html', 'manifest.json', '../manifest.json', 'interpretation-9.html']) {
      await expect(bundleFile(bundleIds[0] ?? '', name, { query: {} }, deps), name).rejects.toBeInstanceOf(
        PortalNotFoundError,
      );
    }
  });

  it('answers 404 once the bundle was moved to quarantine', async () => {
    // Prepare
    const { deps, bundleIds, published } = await portalWith(1);
    await published.delete(publishedKeys.manifest(bundleIds[0] ?? ''));

    // Act / Assess
    await expect(bundleFile(bundleIds[0] ?? '', 'policy.html', { query: {} }, deps)).rejects.toBeInstanceOf(
      PortalNotFoundError,
    );
  });

  it('refuses to serve a file whose bytes no longer match the manifest', async () => {
    // Prepare
    const { deps, bundleIds, published } = await portalWith(1);
    published.tamper(publishedKeys.file(bundleIds[0] ?? '', 'policy.txt'), 'altered');

    // Act / Assess
    await expect(bundleFile(bundleIds[0] ?? '', 'policy.txt', { query: {} }, deps)).rejects.toBeInstanceOf(
      BundleIntegrityError,
    );
  });
});

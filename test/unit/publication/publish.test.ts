import { describe, expect, it } from 'vitest';
import {
  bundleIdFor,
  IMMUTABLE_CACHE_CONTROL,
  MissingWorkProductError,
  PublicationNotAllowedError,
  type PublishDependencies,
  parseManifest,
  publishRevision,
  sha256Hex,
} from '../../../shared/publication/index.js';
import { publishedKeys } from '../../../shared/storage-keys.js';
import { anInterpretationDocument, aPolicyDocument, aSubmission, IDS } from '../../support/builders.js';
import {
  aScheduledSubmission,
  InMemoryObjectStore,
  InMemorySequenceAllocator,
  InMemorySubmissionStore,
  seedWorkProducts,
} from '../../support/publication-fakes.js';

const PUBLISH_TIME = new Date('2019-07-22T01:30:00.000Z');

async function setUp(submission = aScheduledSubmission()) {
  const deps = {
    submissions: new InMemorySubmissionStore(submission),
    sequences: new InMemorySequenceAllocator(),
    work: new InMemoryObjectStore(),
    published: new InMemoryObjectStore(),
    now: () => PUBLISH_TIME,
  } satisfies PublishDependencies;
  await seedWorkProducts(deps.work, submission);
  return deps;
}

const input = { submissionId: IDS.submission, revision: 1 };

describe('Use case: publishRevision', () => {
  it('writes every file of the bundle and the manifest last', async () => {
    // Prepare
    const deps = await setUp();

    // Act
    const result = await publishRevision(input, deps);

    // Assess
    const keys = deps.published.calls.map((call) => call.key);
    const prefix = publishedKeys.bundlePrefix(result.bundleId);
    expect(keys).toEqual([
      `${prefix}policy.html`,
      `${prefix}policy.txt`,
      `${prefix}interpretation-1.html`,
      `${prefix}interpretation-1.txt`,
      `${prefix}manifest.json`,
    ]);
    expect(deps.published.calls.every((call) => call.cacheControl === IMMUTABLE_CACHE_CONTROL)).toBe(true);
  });

  it('allocates the 索引号 from the body and year of the 发布日期 and stores it before writing files', async () => {
    // Prepare
    const deps = await setUp();

    // Act
    const result = await publishRevision(input, deps);

    // Assess
    expect(result.indexNumber).toBe('640100-141/2019-00001');
    expect(deps.sequences.values.get('INDEX#640100-141#2019')).toBe(1);
    const stored = await deps.submissions.get(IDS.submission);
    expect(stored).toMatchObject({
      status: 'SCHEDULED',
      indexNumber: result.indexNumber,
      bundleId: result.bundleId,
      publishedAt: PUBLISH_TIME.toISOString(),
    });
    // Released once stored, so the counter keeps no pending claim.
    expect(deps.sequences.pending.get('INDEX#640100-141#2019')?.size).toBe(0);
  });

  it('uses the China date for the 索引号 year: 2019-12-31T16:30Z is already 2020 in 银川', async () => {
    // Prepare
    const deps = await setUp();
    deps.now = () => new Date('2019-12-31T16:30:00.000Z');

    // Act
    const result = await publishRevision(input, deps);

    // Assess
    expect(result.indexNumber).toBe('640100-141/2020-00001');
  });

  it('derives the bundle id from the revision, so it is the same on every run', async () => {
    // Prepare
    const deps = await setUp();

    // Act
    const result = await publishRevision(input, deps);

    // Assess
    expect(result.bundleId).toBe(bundleIdFor(IDS.submission, 1, aScheduledSubmission().createdAt));
    expect(result.bundleId).toMatch(/^[0-7][0-9A-HJKMNP-TV-Z]{25}$/);
    expect(bundleIdFor(IDS.submission, 2, aScheduledSubmission().createdAt)).not.toBe(result.bundleId);
  });

  it('completes the same bundle with the same 索引号 and byte-identical objects after failing before the manifest', async () => {
    // Prepare
    const reference = await setUp();
    await publishRevision(input, reference);
    const deps = await setUp();
    deps.published.failNextPut((key) => key.endsWith('/manifest.json'));

    // Act
    await expect(publishRevision(input, deps)).rejects.toThrow('simulated S3 failure');
    deps.now = () => new Date('2019-07-23T09:00:00.000Z');
    const retried = await publishRevision(input, deps);

    // Assess
    expect(retried.indexNumber).toBe('640100-141/2019-00001');
    expect(deps.sequences.allocations).toBe(1);
    expect([...deps.published.objects.keys()].sort()).toEqual([...reference.published.objects.keys()].sort());
    for (const [key, object] of reference.published.objects) {
      expect(sha256Hex(deps.published.objects.get(key)?.body ?? new Uint8Array()), key).toBe(
        sha256Hex(object.body),
      );
    }
  });

  it('reuses the allocated number when the first attempt died between allocation and storing it', async () => {
    // Prepare
    const deps = await setUp();
    const patch = deps.submissions.patch.bind(deps.submissions);
    let failed = false;
    deps.submissions.patch = async (id, revision, values, options) => {
      if (values.indexNumber !== undefined && !failed) {
        failed = true;
        throw Object.assign(new Error('throttled'), { name: 'ProvisionedThroughputExceededException' });
      }
      return patch(id, revision, values, options);
    };

    // Act
    await expect(publishRevision(input, deps)).rejects.toThrow('throttled');
    const result = await publishRevision(input, deps);

    // Assess
    expect(result.indexNumber).toBe('640100-141/2019-00001');
    expect(deps.sequences.values.get('INDEX#640100-141#2019')).toBe(1);
  });

  it('gives concurrent publications of different submissions distinct 索引号', async () => {
    // Prepare
    const ids = ['01HZY8K3Q4M5N6P7R8S9T0V1X1', '01HZY8K3Q4M5N6P7R8S9T0V1X2', '01HZY8K3Q4M5N6P7R8S9T0V1X3'];
    const submissions = ids.map((id) => aScheduledSubmission({ id }));
    const deps = await setUp(submissions[0]);
    for (const submission of submissions.slice(1)) await deps.submissions.create(submission);
    for (const submission of submissions.slice(1)) await seedWorkProducts(deps.work, submission);

    // Act
    const results = await Promise.all(
      ids.map((id) => publishRevision({ submissionId: id, revision: 1 }, deps)),
    );

    // Assess
    const numbers = results.map((result) => result.indexNumber);
    expect(new Set(numbers).size).toBe(3);
    expect(numbers.sort()).toEqual([
      '640100-141/2019-00001',
      '640100-141/2019-00002',
      '640100-141/2019-00003',
    ]);
  });

  it('leaves a bundle that agrees with the stored 发布日期 when a duplicate run stores its own after this one', async () => {
    // Prepare: run A stores its 发布日期 and 索引号 first; run B, started at the same time, read the
    // revision before that and stores its own 发布日期 late (as the store's patch does on a retry),
    // then finishes before A writes its manifest.
    const shared = await setUp();
    let indexStored = () => {};
    const afterAIndex = new Promise<void>((resolve) => {
      indexStored = resolve;
    });
    let bDone = () => {};
    const afterB = new Promise<void>((resolve) => {
      bDone = resolve;
    });
    const storeA = Object.create(shared.submissions) as typeof shared.submissions;
    storeA.patch = async (...args) => {
      const patched = await shared.submissions.patch(...args);
      if (args[2].indexNumber !== undefined) indexStored();
      return patched;
    };
    const storeB = Object.create(shared.submissions) as typeof shared.submissions;
    storeB.patch = async (...args) => {
      await afterAIndex;
      return shared.submissions.patch(...args);
    };
    const publishedA = Object.create(shared.published) as typeof shared.published;
    publishedA.put = async (...args) => {
      if (args[0].endsWith('/manifest.json')) await afterB;
      return shared.published.put(...args);
    };
    const depsA = { ...shared, submissions: storeA, published: publishedA };
    const depsB = { ...shared, submissions: storeB, now: () => new Date('2019-07-22T01:30:05.000Z') };

    // Act
    const [a, b] = await Promise.all([
      publishRevision(input, depsA),
      publishRevision(input, depsB).finally(() => bDone()),
    ]);

    // Assess: one identity, and the bundle Verify reads matches the submission it compares it with.
    expect(a).toEqual(b);
    const stored = await shared.submissions.get(IDS.submission);
    const manifest = parseManifest(
      shared.published.objects.get(publishedKeys.manifest(a.bundleId))?.body ?? new Uint8Array(),
    );
    expect(manifest?.publishedAt).toBe(stored?.publishedAt);
    expect(manifest?.indexNumber).toBe(stored?.indexNumber);
    for (const file of manifest?.files ?? []) {
      const body = shared.published.objects.get(publishedKeys.file(a.bundleId, file.name))?.body;
      expect(sha256Hex(body ?? new Uint8Array()), file.name).toBe(file.sha256);
    }
  });

  it('returns the stored publication without writing when the revision is already PUBLISHED', async () => {
    // Prepare
    const deps = await setUp();
    const first = await publishRevision(input, deps);
    await deps.submissions.transition(IDS.submission, 1, 'PUBLISHED', { now: PUBLISH_TIME });
    const writes = deps.published.calls.length;

    // Act
    const again = await publishRevision(input, deps);

    // Assess
    expect(again).toEqual(first);
    expect(deps.published.calls.length).toBe(writes);
  });

  it('refuses a revision that is not SCHEDULED and takes no 索引号', async () => {
    // Prepare
    const deps = await setUp(aSubmission({ status: 'IN_REVIEW' }));

    // Act / Assess
    await expect(publishRevision(input, deps)).rejects.toBeInstanceOf(PublicationNotAllowedError);
    expect(deps.sequences.allocations).toBe(0);
    expect(deps.published.calls).toEqual([]);
  });

  it('fails with MissingWorkProductError before taking a 索引号 when a de-identified text is missing', async () => {
    // Prepare
    const deps = await setUp();
    await deps.work.delete(`submissions/${IDS.submission}/r1/documents/${IDS.interpretation}/redacted.txt`);

    // Act / Assess
    await expect(publishRevision(input, deps)).rejects.toBeInstanceOf(MissingWorkProductError);
    expect(deps.sequences.allocations).toBe(0);
  });

  it('writes a manifest that lists every file with its real SHA-256 and size', async () => {
    // Prepare
    const submission = aScheduledSubmission({
      documents: [
        aPolicyDocument(),
        anInterpretationDocument(),
        anInterpretationDocument({ id: IDS.secondInterpretation, title: '一图读懂' }),
      ],
    });
    const deps = await setUp(submission);

    // Act
    const { bundleId } = await publishRevision(input, deps);

    // Assess
    const manifest = parseManifest(
      deps.published.objects.get(publishedKeys.manifest(bundleId))?.body ?? new Uint8Array(),
    );
    expect(manifest).toBeDefined();
    expect(manifest?.files.map((file) => file.name)).toEqual([
      'policy.html',
      'policy.txt',
      'interpretation-1.html',
      'interpretation-1.txt',
      'interpretation-2.html',
      'interpretation-2.txt',
    ]);
    for (const file of manifest?.files ?? []) {
      const body = deps.published.objects.get(publishedKeys.file(bundleId, file.name))?.body;
      expect(body?.byteLength).toBe(file.size);
      expect(sha256Hex(body ?? new Uint8Array())).toBe(file.sha256);
    }
    expect(manifest?.policy.interpretations).toEqual(['interpretation-1', 'interpretation-2']);
    expect(manifest?.interpretations.map((entry) => entry.title)).toEqual([
      '《银川市大数据产业发展服务中心2019年政务公开实施方案》解读（1）',
      '一图读懂',
    ]);
  });
});

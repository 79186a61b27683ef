import { describe, expect, it } from 'vitest';
import { deidentifyText } from '../../../shared/deid/index.js';
import {
  BundleMismatchError,
  BundleQuarantinedError,
  personalDataLeft,
  publishRevision,
  STATIC_FEED_KEYS,
  sha256Hex,
  type VerifyDependencies,
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
  WORK_CONTENT,
} from '../../support/publication-fakes.js';

/** A valid 18-digit resident ID (region 110101, 1990-03-07, check digit 4). */
const RESIDENT_ID = '110101199003074514';
const VERIFY_TIME = new Date('2019-07-22T01:31:00.000Z');

async function publishedBundle(
  submission = aScheduledSubmission(),
  contents: Record<string, { html: string; text: string }> = WORK_CONTENT,
) {
  const submissions = new InMemorySubmissionStore(submission);
  const work = new InMemoryObjectStore();
  const published = new InMemoryObjectStore();
  await seedWorkProducts(work, submission, contents);
  const { bundleId } = await publishRevision(
    { submissionId: submission.id, revision: submission.revision },
    {
      submissions,
      sequences: new InMemorySequenceAllocator(),
      work,
      published,
      now: () => new Date('2019-07-22T01:30:00.000Z'),
    },
  );
  const deps = {
    submissions,
    published,
    catalog: new InMemoryCatalogStore(),
    now: () => VERIFY_TIME,
  } satisfies VerifyDependencies;
  return { deps, bundleId, input: { submissionId: submission.id, revision: submission.revision, bundleId } };
}

describe('Use case: verifyBundle', () => {
  it('lists a bundle that passes: one PUBLISHED event, its entry, and the static feeds', async () => {
    // Prepare
    const { deps, bundleId, input } = await publishedBundle();

    // Act
    const result = await verifyBundle(input, deps);

    // Assess
    expect(result).toEqual({ bundleId, sequence: 1 });
    expect(deps.catalog.events).toEqual([
      {
        sequence: 1,
        eventId: `PUBLISHED#${bundleId}`,
        type: 'PUBLISHED',
        bundleId,
        at: VERIFY_TIME.toISOString(),
        validity: 'VALID',
        manifestKey: publishedKeys.manifest(bundleId),
      },
    ]);
    const manifestBody =
      deps.published.objects.get(publishedKeys.manifest(bundleId))?.body ?? new Uint8Array();
    expect(deps.catalog.entries.get(bundleId)).toMatchObject({
      indexNumber: '640100-141/2019-00001',
      title: '银川市大数据产业发展服务中心2019年政务公开实施方案',
      validity: 'VALID',
      manifestSha256: sha256Hex(manifestBody),
      lastSequence: 1,
    });
    for (const key of Object.values(STATIC_FEED_KEYS))
      expect(deps.published.objects.has(key), key).toBe(true);
  });

  it('appends the same event once when retried', async () => {
    // Prepare
    const { deps, input } = await publishedBundle();
    await verifyBundle(input, deps);

    // Act
    const again = await verifyBundle(input, deps);

    // Assess
    expect(again.sequence).toBe(1);
    expect(deps.catalog.events).toHaveLength(1);
  });

  it('quarantines a bundle whose file was altered after publication and lists nothing', async () => {
    // Prepare
    const { deps, bundleId, input } = await publishedBundle();
    const key = publishedKeys.file(bundleId, 'interpretation-1.txt');
    deps.published.tamper(key, `${deps.published.text(key)}补充一句。`);

    // Act
    const error = await verifyBundle(input, deps).catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(BundleQuarantinedError);
    expect((error as BundleQuarantinedError).name).toBe('BundleQuarantinedError');
    expect((error as BundleQuarantinedError).problems).toContainEqual({
      file: 'interpretation-1.txt',
      problem: 'size-mismatch',
    });
    expect(deps.catalog.events).toEqual([]);
    expect(await deps.published.list(publishedKeys.bundlePrefix(bundleId))).toEqual([]);
    expect(await deps.published.list(`quarantine/${bundleId}/`)).toHaveLength(5);
    expect(deps.published.objects.has(STATIC_FEED_KEYS.jsonFeed)).toBe(false);
  });

  it('catches a same-size alteration by its hash', async () => {
    // Prepare
    const { deps, bundleId, input } = await publishedBundle();
    const key = publishedKeys.file(bundleId, 'policy.txt');
    deps.published.tamper(key, deps.published.text(key).replace('制定', '修订'));

    // Act
    const error = (await verifyBundle(input, deps).catch(
      (caught: unknown) => caught,
    )) as BundleQuarantinedError;

    // Assess
    expect(error.problems).toContainEqual({ file: 'policy.txt', problem: 'hash-mismatch' });
  });

  it('quarantines a bundle with a valid resident ID left in policy.txt, without quoting it', async () => {
    // Prepare
    const planted = {
      ...WORK_CONTENT,
      [IDS.policy]: {
        html: WORK_CONTENT[IDS.policy]?.html ?? '',
        text: `申请人身份证号${RESIDENT_ID}，特此公告。\n`,
      },
    };
    const { deps, bundleId, input } = await publishedBundle(aScheduledSubmission(), planted);

    // Act
    const error = (await verifyBundle(input, deps).catch(
      (caught: unknown) => caught,
    )) as BundleQuarantinedError;

    // Assess
    expect(error).toBeInstanceOf(BundleQuarantinedError);
    expect(error.problems).toEqual([
      { file: 'policy.txt', problem: 'personal-data', counts: { 'resident-id': 1 } },
    ]);
    expect(error.message).toContain('policy.txt: personal-data (resident-id 1)');
    expect(error.message).not.toContain(RESIDENT_ID);
    expect(deps.catalog.events).toEqual([]);
    expect(deps.published.objects.has(publishedKeys.manifest(bundleId))).toBe(false);
    expect(deps.published.text(publishedKeys.quarantine(bundleId, 'policy.txt'))).toContain(RESIDENT_ID);
  });

  it('finds personal data in the body of an HTML page too', async () => {
    // Prepare
    const planted = {
      ...WORK_CONTENT,
      [IDS.interpretation]: { html: `<p>申请人手机13812345678。</p>`, text: '解读\n' },
    };
    const { deps, input } = await publishedBundle(aScheduledSubmission(), planted);

    // Act
    const error = (await verifyBundle(input, deps).catch(
      (caught: unknown) => caught,
    )) as BundleQuarantinedError;

    // Assess
    expect(error.problems).toEqual([
      { file: 'interpretation-1.html', problem: 'personal-data', counts: { mobile: 1 } },
    ]);
  });

  it('fails again, and lists nothing, when retried after a quarantine', async () => {
    // Prepare
    const { deps, bundleId, input } = await publishedBundle();
    deps.published.tamper(publishedKeys.file(bundleId, 'policy.html'), '<p>改</p>');
    await verifyBundle(input, deps).catch(() => undefined);

    // Act / Assess
    await expect(verifyBundle(input, deps)).rejects.toBeInstanceOf(BundleQuarantinedError);
    expect(deps.catalog.events).toEqual([]);
  });

  it('refuses to verify a bundle that is not the revision’s own', async () => {
    // Prepare
    const { deps, input } = await publishedBundle();

    // Act / Assess
    await expect(
      verifyBundle({ ...input, bundleId: '01HZY8K3Q4M5N6P7R8S9T0V1Z9' }, deps),
    ).rejects.toBeInstanceOf(BundleMismatchError);
  });

  it('allows the names of the persons concerned under 惩戒公示, but not their identifiers', async () => {
    // Prepare
    const punishment = aScheduledSubmission({
      metadata: { privacyExemption: { kind: 'punishment-publicity', basis: '《行政处罚法》第四十八条' } },
    });
    const named = {
      ...WORK_CONTENT,
      [IDS.policy]: {
        html: '<p>对违法人员张三予以通报批评。</p>',
        text: '对违法人员张三予以通报批评，张三身份证号110101199003074514。\n',
      },
    };
    const { deps, input } = await publishedBundle(punishment, named);

    // Act
    const error = (await verifyBundle(input, deps).catch(
      (caught: unknown) => caught,
    )) as BundleQuarantinedError;

    // Assess
    expect(error.problems).toEqual([
      { file: 'policy.txt', problem: 'personal-data', counts: { 'resident-id': 1 } },
    ]);
  });
});

describe('Function: personalDataLeft', () => {
  it('reports a private person’s name without an exemption and allows it under 惩戒公示', () => {
    // Prepare
    const text = '对违法人员张三予以通报批评，张三身份证号110101199003074514。';

    // Act / Assess
    expect(personalDataLeft(text)).toEqual({ 'person-name': 2, 'resident-id': 1 });
    expect(personalDataLeft(text, 'punishment-publicity')).toEqual({ 'resident-id': 1 });
  });

  it('accepts an address already generalized to the district and reports one with a house number', () => {
    // Act / Assess
    expect(personalDataLeft('申请人张某，住址宁夏银川市兴庆区。')).toEqual({});
    expect(personalDataLeft('申请人张某，住址宁夏银川市兴庆区***。')).toEqual({});
    expect(personalDataLeft('申请人张某，住址宁夏银川市兴庆区解放街12号3单元501室。')).toEqual({
      'home-address': 1,
    });
  });

  it('finds nothing in what the de-identification engine itself produced', () => {
    // Prepare
    const raw =
      '申请人李四，身份证号110101199003074514，手机13812345678，家住宁夏银川市兴庆区解放街12号3单元501室。';

    // Act
    const published = deidentifyText(raw).text;

    // Assess
    expect(personalDataLeft(raw)).not.toEqual({});
    expect(personalDataLeft(published)).toEqual({});
  });

  it('keeps officials named in their role, organisational phones and masked values', () => {
    // Act / Assess
    expect(personalDataLeft(WORK_CONTENT[IDS.policy]?.text ?? '')).toEqual({});
    expect(personalDataLeft('身份证号110101************，手机138****5678。')).toEqual({});
  });
});

import 'aws-sdk-client-mock-vitest/extend';
import { DeleteObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { STATIC_FEED_KEYS } from '../../../shared/publication/index.js';
import { workKeys } from '../../../shared/storage-keys.js';
import { IDS } from '../../support/builders.js';
import { FakeBuckets, FakeTable } from '../../support/fake-aws.js';
import { awsError, HANDLER_ENVIRONMENT, LAMBDA_CONTEXT, submissionItem } from '../../support/fakes.js';
import { aScheduledSubmission, WORK_CONTENT } from '../../support/publication-fakes.js';

type Handler = (event: unknown, context: Context) => Promise<unknown>;

const ddb = mockClient(DynamoDBDocumentClient);
const s3 = mockClient(S3Client);
let publish: Handler;
let verify: Handler;
let table: FakeTable;
let buckets: FakeBuckets;

const PUBLISHED = HANDLER_ENVIRONMENT.PUBLISHED_BUCKET;
const RESIDENT_ID = '110101199003074514';

async function published(policyText = WORK_CONTENT[IDS.policy]?.text ?? ''): Promise<string> {
  const submission = aScheduledSubmission();
  table.put(submissionItem(submission));
  const work = buckets.bucket(HANDLER_ENVIRONMENT.WORK_BUCKET);
  for (const document of submission.documents) {
    const content = WORK_CONTENT[document.id];
    if (content === undefined) continue;
    const text = document.id === IDS.policy ? policyText : content.text;
    work.set(workKeys.redactedHtml(submission.id, 1, document.id), {
      body: new TextEncoder().encode(content.html),
    });
    work.set(workKeys.redactedText(submission.id, 1, document.id), { body: new TextEncoder().encode(text) });
  }
  const { bundleId } = (await publish(
    { submissionId: IDS.submission, revision: 1 },
    LAMBDA_CONTEXT as unknown as Context,
  )) as {
    bundleId: string;
  };
  s3.resetHistory();
  ddb.resetHistory();
  return bundleId;
}

function verifyBundle(bundleId: string) {
  return verify(
    { submissionId: IDS.submission, revision: 1, bundleId },
    LAMBDA_CONTEXT as unknown as Context,
  );
}

function catalogItems() {
  return [...table.items.values()].filter((item) => String(item.pk).startsWith('BUNDLE#'));
}

beforeAll(async () => {
  for (const [name, value] of Object.entries(HANDLER_ENVIRONMENT)) vi.stubEnv(name, value);
  ({ handler: publish } = (await import('../../../functions/publish.js')) as unknown as { handler: Handler });
  ({ handler: verify } = (await import('../../../functions/verify.js')) as unknown as { handler: Handler });
});

afterAll(() => {
  vi.unstubAllEnvs();
});

beforeEach(() => {
  ddb.reset();
  s3.reset();
  table = new FakeTable();
  buckets = new FakeBuckets();
  table.install(ddb);
  buckets.install(s3);
});

describe('Handler: verify', () => {
  it('lists a sound bundle: the PUBLISHED event, the entry, then the static feeds', async () => {
    // Prepare
    const bundleId = await published();

    // Act
    const result = await verifyBundle(bundleId);

    // Assess
    expect(result).toEqual({ bundleId, sequence: 1 });
    const event = table.get({ pk: `BUNDLE#${bundleId}`, sk: 'EVENT#000000000001' });
    expect(event).toMatchObject({ eventId: `PUBLISHED#${bundleId}`, type: 'PUBLISHED', validity: 'VALID' });
    expect(table.get({ pk: `BUNDLE#${bundleId}`, sk: 'BUNDLE' })).toMatchObject({
      lastSequence: 1,
      validity: 'VALID',
    });
    for (const key of Object.values(STATIC_FEED_KEYS))
      expect(buckets.bucket(PUBLISHED).has(key), key).toBe(true);
    expect(buckets.text(PUBLISHED, STATIC_FEED_KEYS.jsonFeed)).toContain(bundleId);
  });

  it('quarantines a bundle with a planted resident ID: moved, nothing in the catalog, BundleQuarantinedError', async () => {
    // Prepare
    const bundleId = await published(`附：申请人身份证号${RESIDENT_ID}。\n`);

    // Act
    const error = (await verifyBundle(bundleId).catch((caught: unknown) => caught)) as Error;

    // Assess
    expect(error.name).toBe('BundleQuarantinedError');
    expect(error.message).not.toContain(RESIDENT_ID);
    expect(catalogItems()).toEqual([]);
    expect(ddb).not.toHaveReceivedCommand(PutCommand);
    const keys = [...buckets.bucket(PUBLISHED).keys()];
    expect(keys.filter((key) => key.startsWith('bundles/'))).toEqual([]);
    expect(keys.filter((key) => key.startsWith(`quarantine/${bundleId}/`)).sort()).toEqual(
      ['interpretation-1.html', 'interpretation-1.txt', 'manifest.json', 'policy.html', 'policy.txt'].map(
        (name) => `quarantine/${bundleId}/${name}`,
      ),
    );
    // The manifest goes first, so the bundle stops being complete at once.
    expect(s3.commandCalls(DeleteObjectCommand)[0]?.args[0].input.Key).toBe(
      `bundles/${bundleId}/manifest.json`,
    );
    expect(s3).not.toHaveReceivedCommandWith(PutObjectCommand, { Key: STATIC_FEED_KEYS.jsonFeed });
  });

  it('quarantines a bundle whose file changed after publication', async () => {
    // Prepare
    const bundleId = await published();
    const file = buckets.bucket(PUBLISHED).get(`bundles/${bundleId}/interpretation-1.html`);
    if (file === undefined) throw new Error('missing');
    file.body = new TextEncoder().encode('<p>被篡改</p>');

    // Act
    const error = (await verifyBundle(bundleId).catch((caught: unknown) => caught)) as Error;

    // Assess
    expect(error.name).toBe('BundleQuarantinedError');
    expect(error.message).toContain('interpretation-1.html');
    expect(catalogItems()).toEqual([]);
  });

  it('fails by name, listing nothing, when the manifest cannot be read', async () => {
    // Prepare
    const bundleId = await published();
    s3.reset();
    s3.onAnyCommand().rejects(awsError('SlowDown', 503));

    // Act
    const error = (await verifyBundle(bundleId).catch((caught: unknown) => caught)) as Error;

    // Assess
    expect(error.name).toBe('SlowDown');
    expect(catalogItems()).toEqual([]);
  });

  it('refuses input without a bundle id', async () => {
    // Act / Assess
    await expect(
      verify({ submissionId: IDS.submission, revision: 1 }, LAMBDA_CONTEXT as unknown as Context),
    ).rejects.toThrow();
  });
});

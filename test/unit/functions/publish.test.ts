import 'aws-sdk-client-mock-vitest/extend';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Submission } from '../../../shared/domain/index.js';
import { workKeys } from '../../../shared/storage-keys.js';
import { IDS } from '../../support/builders.js';
import { FakeBuckets, FakeTable } from '../../support/fake-aws.js';
import { awsError, HANDLER_ENVIRONMENT, LAMBDA_CONTEXT, submissionItem } from '../../support/fakes.js';
import { aScheduledSubmission, WORK_CONTENT } from '../../support/publication-fakes.js';

type Handler = (event: unknown, context: Context) => Promise<{ bundleId: string; indexNumber: string }>;

const ddb = mockClient(DynamoDBDocumentClient);
const s3 = mockClient(S3Client);
let handler: Handler;
let table: FakeTable;
let buckets: FakeBuckets;

const WORK = HANDLER_ENVIRONMENT.WORK_BUCKET;
const PUBLISHED = HANDLER_ENVIRONMENT.PUBLISHED_BUCKET;

function store(submission: Submission) {
  table.put(submissionItem(submission));
  for (const document of submission.documents) {
    const content = WORK_CONTENT[document.id];
    if (content === undefined) continue;
    const work = buckets.bucket(WORK);
    work.set(workKeys.redactedHtml(submission.id, submission.revision, document.id), {
      body: new TextEncoder().encode(content.html),
    });
    work.set(workKeys.redactedText(submission.id, submission.revision, document.id), {
      body: new TextEncoder().encode(content.text),
    });
  }
}

function publish(submissionId: string = IDS.submission) {
  return handler({ submissionId, revision: 1 }, LAMBDA_CONTEXT as unknown as Context);
}

beforeAll(async () => {
  for (const [name, value] of Object.entries(HANDLER_ENVIRONMENT)) vi.stubEnv(name, value);
  ({ handler } = (await import('../../../functions/publish.js')) as unknown as { handler: Handler });
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

describe('Handler: publish', () => {
  it('writes the files, then the manifest, immutable, and returns the bundle id and 索引号', async () => {
    // Prepare
    store(aScheduledSubmission());

    // Act
    const result = await publish();

    // Assess
    expect(result.indexNumber).toMatch(/^640100-141\/\d{4}-00001$/);
    const keys = s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input.Key);
    expect(keys.at(-1)).toBe(`bundles/${result.bundleId}/manifest.json`);
    expect(keys.slice(0, -1).sort()).toEqual(
      ['interpretation-1.html', 'interpretation-1.txt', 'policy.html', 'policy.txt'].map(
        (name) => `bundles/${result.bundleId}/${name}`,
      ),
    );
    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, {
      Bucket: PUBLISHED,
      Key: `bundles/${result.bundleId}/policy.html`,
      ContentType: 'text/html; charset=utf-8',
      CacheControl: 'public, max-age=31536000, immutable',
    });
    const stored = table.get({ pk: `SUB#${IDS.submission}`, sk: 'SUBMISSION' });
    expect(stored).toMatchObject({
      status: 'SCHEDULED',
      indexNumber: result.indexNumber,
      bundleId: result.bundleId,
    });
  });

  it('completes the same bundle with the same 索引号 and identical bytes after a failure before the manifest', async () => {
    // Prepare
    store(aScheduledSubmission());
    buckets.failNextPut((key) => key.endsWith('/manifest.json'));

    // Act
    const failure = await publish().catch((error: unknown) => error);
    const firstBodies = new Map(
      [...buckets.bucket(PUBLISHED)].map(([key, object]) => [key, Buffer.from(object.body)]),
    );
    const result = await publish();

    // Assess
    expect((failure as Error).name).toBe('AccessDenied');
    expect(firstBodies.size).toBe(4);
    expect(result.indexNumber).toMatch(/-00001$/);
    const published = buckets.bucket(PUBLISHED);
    expect(published.size).toBe(5);
    for (const [key, body] of firstBodies)
      expect(Buffer.from(published.get(key)?.body ?? []).equals(body), key).toBe(true);
    const counter = [...table.items.values()].find((item) => String(item.pk).startsWith('COUNTER#INDEX#'));
    expect(counter).toMatchObject({ value: 1, pending: {} });
  });

  it('gives concurrent publications distinct 索引号 through the conditional counter', async () => {
    // Prepare
    const ids = [
      '01HZY8K3Q4M5N6P7R8S9T0V1X1',
      '01HZY8K3Q4M5N6P7R8S9T0V1X2',
      '01HZY8K3Q4M5N6P7R8S9T0V1X3',
      '01HZY8K3Q4M5N6P7R8S9T0V1X4',
    ];
    for (const id of ids) {
      store(aScheduledSubmission({ id, documents: aScheduledSubmission().documents }));
    }

    // Act
    const results = await Promise.all(ids.map((id) => publish(id)));

    // Assess
    const sequences = results.map((result) => result.indexNumber.slice(-5)).sort();
    expect(sequences).toEqual(['00001', '00002', '00003', '00004']);
    expect(new Set(results.map((result) => result.bundleId)).size).toBe(4);
  });

  it('fails with a named error, and writes nothing, when the revision is not SCHEDULED', async () => {
    // Prepare
    store(aScheduledSubmission({ status: 'IN_REVIEW' }));

    // Act
    const error = (await publish().catch((caught: unknown) => caught)) as Error;

    // Assess
    expect(error.name).toBe('PublicationNotAllowedError');
    expect(s3).not.toHaveReceivedCommand(PutObjectCommand);
  });

  it('lets a DynamoDB throttling error out by name for the state machine to retry or catch', async () => {
    // Prepare
    store(aScheduledSubmission());
    ddb.reset();
    ddb.onAnyCommand().rejects(awsError('ProvisionedThroughputExceededException'));

    // Act
    const error = (await publish().catch((caught: unknown) => caught)) as Error;

    // Assess
    expect(error.name).toBe('ProvisionedThroughputExceededException');
    expect(error.message).not.toContain('test');
  });

  it('refuses an input without a revision', async () => {
    // Act / Assess
    await expect(
      handler({ submissionId: IDS.submission }, LAMBDA_CONTEXT as unknown as Context),
    ).rejects.toThrow();
  });
});

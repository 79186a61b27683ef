import 'aws-sdk-client-mock-vitest/extend';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { workKeys } from '../../../shared/storage-keys.js';
import { IDS } from '../../support/builders.js';
import { FakeBuckets, FakeTable } from '../../support/fake-aws.js';
import {
  apiEvent,
  awsError,
  bodyOf,
  HANDLER_ENVIRONMENT,
  LAMBDA_CONTEXT,
  submissionItem,
} from '../../support/fakes.js';
import { aScheduledSubmission, WORK_CONTENT } from '../../support/publication-fakes.js';

type TaskHandler = (event: unknown, context: Context) => Promise<unknown>;
type HttpHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<{
  statusCode: number;
  headers?: Record<string, string>;
  body?: string;
  isBase64Encoded?: boolean;
}>;

const ddb = mockClient(DynamoDBDocumentClient);
const s3 = mockClient(S3Client);
let publish: TaskHandler;
let verify: TaskHandler;
let portal: HttpHandler;
let table: FakeTable;
let buckets: FakeBuckets;
const context = LAMBDA_CONTEXT as unknown as Context;

async function listedBundle(): Promise<string> {
  const submission = aScheduledSubmission();
  table.put(submissionItem(submission));
  const work = buckets.bucket(HANDLER_ENVIRONMENT.WORK_BUCKET);
  for (const document of submission.documents) {
    const content = WORK_CONTENT[document.id];
    if (content === undefined) continue;
    work.set(workKeys.redactedHtml(submission.id, 1, document.id), {
      body: new TextEncoder().encode(content.html),
    });
    work.set(workKeys.redactedText(submission.id, 1, document.id), {
      body: new TextEncoder().encode(content.text),
    });
  }
  const { bundleId } = (await publish({ submissionId: IDS.submission, revision: 1 }, context)) as {
    bundleId: string;
  };
  await verify({ submissionId: IDS.submission, revision: 1, bundleId }, context);
  return bundleId;
}

function get(
  path: string,
  options: { query?: Record<string, string>; params?: Record<string, string>; etag?: string } = {},
) {
  const routeKey = path.startsWith('/portal/bundles/')
    ? path.includes('/files/')
      ? 'GET /portal/bundles/{bundleId}/files/{name}'
      : 'GET /portal/bundles/{bundleId}/manifest'
    : `GET ${path}`;
  const event = apiEvent({
    method: 'GET',
    routeKey,
    path,
    claims: null,
    ...(options.query === undefined ? {} : { queryStringParameters: options.query }),
    ...(options.params === undefined ? {} : { pathParameters: options.params }),
  }) as unknown as APIGatewayProxyEventV2;
  if (options.etag !== undefined) event.headers = { ...event.headers, 'if-none-match': options.etag };
  return portal(event, context);
}

beforeAll(async () => {
  for (const [name, value] of Object.entries(HANDLER_ENVIRONMENT)) vi.stubEnv(name, value);
  ({ handler: publish } = (await import('../../../functions/publish.js')) as unknown as {
    handler: TaskHandler;
  });
  ({ handler: verify } = (await import('../../../functions/verify.js')) as unknown as {
    handler: TaskHandler;
  });
  ({ handler: portal } = (await import('../../../functions/portal-api.js')) as unknown as {
    handler: HttpHandler;
  });
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

describe('Handler: portal-api', () => {
  it('serves the catalog with a strong ETag and a short Cache-Control, then 304 with no body', async () => {
    // Prepare
    const bundleId = await listedBundle();

    // Act
    const first = await get('/portal/catalog');
    const second = await get('/portal/catalog', { etag: first.headers?.etag ?? '' });

    // Assess
    expect(first.statusCode).toBe(200);
    expect((bodyOf(first).items as Array<{ bundleId: string }>).map((item) => item.bundleId)).toEqual([
      bundleId,
    ]);
    expect(first.headers?.['cache-control']).toBe('public, max-age=60');
    expect(first.headers?.etag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
    expect(second.statusCode).toBe(304);
    expect(second.body).toBe('');
    expect(second.headers?.etag).toBe(first.headers?.etag);
  });

  it('serves the changes after a cursor with nextCursor the last sequence', async () => {
    // Prepare
    await listedBundle();

    // Act
    const all = bodyOf(await get('/portal/changes', { query: { after: '0' } }));
    const none = bodyOf(await get('/portal/changes', { query: { after: '1' } }));

    // Assess
    expect(all.nextCursor).toBe(1);
    expect((all.items as unknown[]).length).toBe(1);
    expect(none).toEqual({ formatVersion: '1.0', items: [], nextCursor: 1 });
  });

  it('answers 400 with a Chinese message for a bad limit', async () => {
    // Act
    const response = await get('/portal/catalog', { query: { limit: '100000' } });

    // Assess
    expect(response.statusCode).toBe(400);
    expect(bodyOf(response)).toMatchObject({ error: 'InvalidPortalParameterError' });
    expect(String(bodyOf(response).message)).toMatch(/参数「limit」无效/);
  });

  it('serves the manifest and a listed file with its media type, nosniff and the sandbox CSP', async () => {
    // Prepare
    const bundleId = await listedBundle();

    // Act
    const manifest = await get(`/portal/bundles/${bundleId}/manifest`, { params: { bundleId } });
    const page = await get(`/portal/bundles/${bundleId}/files/policy.html`, {
      params: { bundleId, name: 'policy.html' },
    });

    // Assess
    expect(manifest.statusCode).toBe(200);
    expect(bodyOf(manifest).bundleId).toBe(bundleId);
    expect(manifest.headers?.['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(page.statusCode).toBe(200);
    expect(page.isBase64Encoded).toBe(false);
    expect(page.body).toContain('<html lang="zh-CN">');
    expect(page.headers).toMatchObject({
      'content-type': 'text/html; charset=utf-8',
      'x-content-type-options': 'nosniff',
      'cache-control': 'public, max-age=31536000, immutable',
    });
    expect(page.headers?.['content-security-policy']).toMatch(/^sandbox;/);
  });

  it('answers 304 for a file whose ETag the client sends', async () => {
    // Prepare
    const bundleId = await listedBundle();
    const params = { bundleId, name: 'policy.txt' };
    const first = await get(`/portal/bundles/${bundleId}/files/policy.txt`, { params });

    // Act
    const second = await get(`/portal/bundles/${bundleId}/files/policy.txt`, {
      params,
      etag: first.headers?.etag ?? '',
    });

    // Assess
    expect(second.statusCode).toBe(304);
    expect(second.body).toBe('');
  });

  it('answers 404 for a name the manifest does not list and for an unknown bundle', async () => {
    // Prepare
    const bundleId = await listedBundle();

    // Act
    const unlisted = await get(`/portal/bundles/${bundleId}/files/secret.html`, {
      params: { bundleId, name: 'secret.html' },
    });
    const unknown = await get(`/portal/bundles/${IDS.bundle}/manifest`, { params: { bundleId: IDS.bundle } });

    // Assess
    expect(unlisted.statusCode).toBe(404);
    expect(bodyOf(unlisted).error).toBe('PortalNotFoundError');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers?.['cache-control']).toBe('no-store');
  });

  it('answers 400 for a bundle id that is not a ULID', async () => {
    // Act
    const response = await get('/portal/bundles/not-an-id/manifest', { params: { bundleId: 'not-an-id' } });

    // Assess
    expect(response.statusCode).toBe(400);
  });

  it('answers 500 without details when DynamoDB fails', async () => {
    // Prepare
    ddb.reset();
    ddb.onAnyCommand().rejects(awsError('ValidationException'));

    // Act
    const response = await get('/portal/catalog');

    // Assess
    expect(response.statusCode).toBe(500);
    expect(bodyOf(response)).toMatchObject({ error: 'ValidationException' });
    expect(String(bodyOf(response).message)).not.toContain('test');
  });
});

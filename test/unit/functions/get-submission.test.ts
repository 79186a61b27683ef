import 'aws-sdk-client-mock-vitest/extend';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { workKeys } from '../../../shared/storage-keys.js';
import { anAuditEvent, aSubmission, IDS } from '../../support/builders.js';
import {
  apiEvent,
  awsError,
  bodyOf,
  HANDLER_ENVIRONMENT,
  LAMBDA_CONTEXT,
  submissionItem,
} from '../../support/fakes.js';

type Handler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<{ statusCode: number; body?: string }>;

const ddb = mockClient(DynamoDBDocumentClient);
const s3 = mockClient(S3Client);
let handler: Handler;

const LINK_HASH = 'e'.repeat(64);
const TASK_TOKEN = 'task-token-must-not-leak';

function get(options: { id?: string; claims?: Record<string, string>; query?: Record<string, string> } = {}) {
  const id = options.id;
  const event = apiEvent({
    method: 'GET',
    routeKey: id === undefined ? 'GET /submissions' : 'GET /submissions/{id}',
    path: id === undefined ? '/submissions' : `/submissions/${id}`,
    ...(id === undefined ? {} : { pathParameters: { id } }),
    ...(options.query === undefined ? {} : { queryStringParameters: options.query }),
    claims: options.claims,
  });
  return handler(event as unknown as APIGatewayProxyEventV2, LAMBDA_CONTEXT as unknown as Context);
}

beforeAll(async () => {
  for (const [name, value] of Object.entries(HANDLER_ENVIRONMENT)) vi.stubEnv(name, value);
  ({ handler } = (await import('../../../functions/get-submission.js')) as unknown as { handler: Handler });
});

afterAll(() => {
  vi.unstubAllEnvs();
});

beforeEach(() => {
  ddb.reset();
  s3.reset();
  ddb.on(GetCommand).resolves({});
  ddb.on(GetCommand, { Key: { pk: `SUB#${IDS.submission}`, sk: 'SUBMISSION' } }).resolves({
    Item: submissionItem(aSubmission({ status: 'IN_REVIEW' })),
  });
  ddb.on(QueryCommand, { ExpressionAttributeValues: { ':prefix': 'AUDIT#' } }).resolves({
    Items: [{ pk: `SUB#${IDS.submission}`, sk: 'AUDIT#1', ...anAuditEvent() }],
  });
  ddb.on(QueryCommand, { ExpressionAttributeValues: { ':prefix': 'REV#0001#STEP#' } }).resolves({
    Items: [
      {
        pk: `SUB#${IDS.submission}`,
        sk: 'REV#0001#STEP#sign-off',
        submissionId: IDS.submission,
        revision: 1,
        stepId: 'sign-off',
        status: 'PENDING',
        attempt: 1,
        linkHashes: [LINK_HASH],
        requestedAt: '2019-07-19T02:00:00.000Z',
        expiresAt: '2019-07-22T02:00:00.000Z',
        taskToken: TASK_TOKEN,
      },
    ],
  });
  s3.on(GetObjectCommand).rejects(awsError('NoSuchKey', 404));
});

describe('Function: get-submission', () => {
  it('answers 200 with status, review progress, deadline and audit trail, without link hashes or tokens', async () => {
    const result = await get({ id: IDS.submission });
    expect(result.statusCode).toBe(200);
    const view = bodyOf(result);
    expect(view).toMatchObject({
      status: 'IN_REVIEW',
      statusLabel: '审查审签中',
      deadline: { deadline: '2019-08-16', state: 'overdue' },
      audit: [expect.objectContaining({ action: 'SUBMITTED', actionLabel: '提交' })],
    });
    expect(view.review).toEqual({
      steps: [
        expect.objectContaining({ stepId: 'disclosure-review', status: 'NOT_STARTED' }),
        expect.objectContaining({ stepId: 'sign-off', status: 'PENDING', attempt: 1 }),
      ],
    });
    expect(result.body).not.toContain(LINK_HASH);
    expect(result.body).not.toContain(TASK_TOKEN);
  });

  it('reads the redaction counts and findings from the work bucket', async () => {
    s3.on(GetObjectCommand, { Key: workKeys.redactionReport(IDS.submission, 1) }).resolves({
      Body: {
        transformToByteArray: async () => new TextEncoder().encode('{"total":2,"counts":{"mobile":2}}'),
      },
    } as never);
    const result = await get({ id: IDS.submission });
    expect(bodyOf(result)).toMatchObject({
      redactions: { total: 2, counts: { mobile: 2 } },
      consistency: null,
    });
    expect(s3).toHaveReceivedCommandWith(GetObjectCommand, { Bucket: HANDLER_ENVIRONMENT.WORK_BUCKET });
  });

  it('answers 403 to a signed-in drafter who did not draft it, and 404 to an unknown id', async () => {
    expect(
      (await get({ id: IDS.submission, claims: { sub: 'drafter-002', email: 'w@example.gov.cn' } }))
        .statusCode,
    ).toBe(403);
    expect((await get({ id: IDS.bundle })).statusCode).toBe(404);
  });

  it('lists the caller’s own submissions through the drafter index', async () => {
    ddb.on(QueryCommand, { IndexName: 'gsi1' }).resolves({ Items: [submissionItem(aSubmission())] });
    const result = await get({ query: { limit: '5' } });
    expect(result.statusCode).toBe(200);
    expect(bodyOf(result)).toMatchObject({
      items: [{ submissionId: IDS.submission, statusLabel: '草稿' }],
      cursor: null,
    });
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, {
      IndexName: 'gsi1',
      ExpressionAttributeValues: { ':pk': 'DRAFTER#drafter-001' },
      Limit: 5,
    });
  });

  it('answers 500 with a public message when DynamoDB throttles', async () => {
    ddb.on(GetCommand).rejects(awsError('ProvisionedThroughputExceededException'));
    const result = await get({ id: IDS.submission });
    expect(result.statusCode).toBe(500);
    expect(bodyOf(result)).toMatchObject({
      error: 'ProvisionedThroughputExceededException',
      message: expect.stringContaining('稍后重试'),
    });
  });
});

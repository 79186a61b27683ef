import { createHash } from 'node:crypto';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SendTaskFailureCommand, SendTaskSuccessCommand, SFNClient } from '@aws-sdk/client-sfn';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { newLinkSecret } from '../../../shared/approvals/link-secret.js';
import { PAGE_SECURITY_HEADERS } from '../../../shared/http/security-headers.js';
import type { ApprovalLink, ReviewStepRecord } from '../../../shared/ports/approval-store.js';
import { newFormNonce } from '../../../shared/review/form-token.js';
import { workKeys } from '../../../shared/storage-keys.js';
import { aReviewStep, aSubmission } from '../../support/builders.js';
import { aTaskToken, FIRST_APPROVER, formTokenOf, SECOND_APPROVER } from '../../support/review-fakes.js';

const ddb = mockClient(DynamoDBDocumentClient);
const s3 = mockClient(S3Client);
const sfn = mockClient(SFNClient);

const HOST = 'api.example.gov.cn';
const TOKEN = aTaskToken('handler');
const submission = aSubmission({
  status: 'IN_REVIEW',
  metadata: { reviewSteps: [aReviewStep({ id: 'sign-off', approvers: [FIRST_APPROVER, SECOND_APPROVER] })] },
});

type Handler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<{
  statusCode: number;
  headers?: Record<string, string | number | boolean>;
  body?: string;
}>;
let handler: Handler;

const context = {
  functionName: 'approval-page',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:cn-north-1:123456789012:function:approval-page',
  memoryLimitInMB: '256',
  awsRequestId: 'request-1',
  logGroupName: '/aws/lambda/approval-page',
  logStreamName: 'stream',
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 10_000,
} as unknown as Context;

function event(
  method: string,
  secret: string,
  options: {
    headers?: Record<string, string>;
    body?: string;
    base64?: boolean;
    query?: Record<string, string>;
  } = {},
): APIGatewayProxyEventV2 {
  const body =
    options.body === undefined
      ? undefined
      : options.base64
        ? Buffer.from(options.body).toString('base64')
        : options.body;
  return {
    version: '2.0',
    routeKey: `${method} /approvals/{token}`,
    rawPath: `/approvals/${secret}`,
    rawQueryString: '',
    headers: { host: HOST, ...options.headers },
    ...(options.query === undefined ? {} : { queryStringParameters: options.query }),
    pathParameters: { token: secret },
    isBase64Encoded: options.base64 === true,
    ...(body === undefined ? {} : { body }),
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: HOST,
      domainPrefix: 'api',
      http: {
        method,
        path: `/approvals/${secret}`,
        protocol: 'HTTP/1.1',
        sourceIp: '192.0.2.1',
        userAgent: 'test',
      },
      requestId: 'r',
      routeKey: `${method} /approvals/{token}`,
      stage: '$default',
      time: '19/Jul/2019:02:00:00 +0000',
      timeEpoch: 0,
    },
  } as APIGatewayProxyEventV2;
}

/** One pending link of the first approver, stored as the DynamoDB adapter stores it. */
function arrangeLink(overrides: Partial<ApprovalLink> = {}, step: Partial<ReviewStepRecord> = {}) {
  const secret = newLinkSecret();
  const hash = createHash('sha256').update(secret).digest('hex');
  const link: ApprovalLink = {
    hash,
    submissionId: submission.id,
    revision: 1,
    stepId: 'sign-off',
    attempt: 0,
    approverId: FIRST_APPROVER.id,
    taskToken: TOKEN,
    createdAt: '2019-07-19T02:00:00.000Z',
    expiresAt: '2999-01-01T00:00:00.000Z',
    status: 'PENDING',
    formNonce: newFormNonce(),
    ...overrides,
  };
  const record: ReviewStepRecord = {
    submissionId: submission.id,
    revision: 1,
    stepId: 'sign-off',
    status: 'PENDING',
    attempt: 0,
    linkHashes: [hash],
    requestedAt: '2019-07-19T02:00:00.000Z',
    expiresAt: link.expiresAt,
    ...step,
  };
  ddb.on(GetCommand).resolves({});
  ddb
    .on(GetCommand, { Key: { pk: `LINK#${hash}`, sk: 'LINK' } })
    .resolves({ Item: { pk: `LINK#${hash}`, sk: 'LINK', ...link } });
  ddb
    .on(GetCommand, { Key: { pk: `SUB#${submission.id}`, sk: 'REV#0001#STEP#sign-off' } })
    .resolves({ Item: { pk: 'p', sk: 's', ...record } });
  ddb
    .on(GetCommand, { Key: { pk: `SUB#${submission.id}`, sk: 'SUBMISSION' } })
    .resolves({ Item: { pk: `SUB#${submission.id}`, sk: 'SUBMISSION', ...submission } });
  return { secret, hash };
}

const writes = () => [...ddb.commandCalls(UpdateCommand), ...ddb.commandCalls(PutCommand)];
const sfnCalls = () => [
  ...sfn.commandCalls(SendTaskSuccessCommand),
  ...sfn.commandCalls(SendTaskFailureCommand),
];

async function pageToken(secret: string): Promise<string> {
  const page = await handler(event('GET', secret), context);
  return formTokenOf(page.body ?? '');
}

function post(
  secret: string,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
  base64 = false,
) {
  return handler(
    event('POST', secret, {
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'sec-fetch-site': 'same-origin',
        origin: 'null',
        ...headers,
      },
      body: new URLSearchParams(fields).toString(),
      base64,
    }),
    context,
  );
}

let output: string[] = [];

beforeAll(async () => {
  vi.stubEnv('TABLE_NAME', 'gongkai-test');
  vi.stubEnv('WORK_BUCKET', 'gongkai-work');
  vi.stubEnv('AWS_REGION', 'cn-north-1');
  ({ handler } = (await import('../../../functions/approval-page.js')) as unknown as { handler: Handler });
});

beforeEach(() => {
  ddb.reset();
  s3.reset();
  sfn.reset();
  ddb.on(UpdateCommand).resolves({});
  ddb.on(PutCommand).resolves({});
  ddb.on(QueryCommand).resolves({ Items: [] });
  s3.on(GetObjectCommand).rejects(Object.assign(new Error('NoSuchKey'), { name: 'NoSuchKey' }));
  const policy = submission.documents.find((document) => document.role === 'policy');
  s3.on(GetObjectCommand, { Key: workKeys.highlightedHtml(submission.id, 1, policy?.id ?? '') }).resolves({
    Body: { transformToByteArray: async () => new TextEncoder().encode('<p>原文<mark>王*</mark></p>') },
  } as never);
  sfn.on(SendTaskSuccessCommand).resolves({});
  sfn.on(SendTaskFailureCommand).resolves({});
  output = [];
  const capture = (chunk: unknown) => {
    output.push(String(chunk));
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  vi.spyOn(process.stderr, 'write').mockImplementation(capture);
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('Handler: approval-page', () => {
  it('renders the page on GET with every security header, and writes nothing', async () => {
    // Prepare
    const { secret } = arrangeLink();

    // Act
    const page = await handler(event('GET', secret), context);

    // Assess
    expect(page.statusCode).toBe(200);
    for (const [name, value] of Object.entries(PAGE_SECURITY_HEADERS))
      expect(page.headers?.[name]).toBe(value);
    expect(page.body).toContain('<p>原文<mark>王*</mark></p>');
    expect(page.body).not.toContain(TOKEN);
    expect(writes()).toEqual([]);
    expect(sfnCalls()).toEqual([]);
  });

  it('answers HEAD without a body, and writes nothing', async () => {
    // Prepare
    const { secret } = arrangeLink();

    // Act
    const head = await handler(event('HEAD', secret), context);

    // Assess
    expect(head.statusCode).toBe(200);
    expect(head.body).toBe('');
    expect(head.headers?.['cache-control']).toBe('no-store');
    expect(writes()).toEqual([]);
    expect(sfnCalls()).toEqual([]);
  });

  it('sends SendTaskSuccess once with the stored token when the approver approves', async () => {
    // Prepare
    const { secret, hash } = arrangeLink();
    const formToken = await pageToken(secret);

    // Act
    const result = await post(secret, { form_token: formToken, decision: 'approve', comment: '' });

    // Assess
    expect(result.statusCode).toBe(200);
    expect(result.headers?.['content-security-policy']).toContain("frame-ancestors 'none'");
    const calls = sfn.commandCalls(SendTaskSuccessCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args[0].input).toEqual({
      taskToken: TOKEN,
      output: JSON.stringify({ decision: 'APPROVED' }),
    });
    expect(sfn.commandCalls(SendTaskFailureCommand)).toHaveLength(0);
    const updates = ddb.commandCalls(UpdateCommand).map((call) => call.args[0].input);
    expect(updates[0]?.ConditionExpression).toContain('#status = :pending AND #attempt = :attempt');
    expect(updates.at(-1)).toMatchObject({
      Key: { pk: `LINK#${hash}`, sk: 'LINK' },
      UpdateExpression: 'SET delivered = :true',
    });
  });

  it('reads a base64-encoded form body as API Gateway may send it', async () => {
    // Prepare
    const { secret } = arrangeLink();
    const formToken = await pageToken(secret);

    // Act
    const result = await post(secret, { form_token: formToken, decision: 'approve' }, {}, true);

    // Assess
    expect(result.statusCode).toBe(200);
    expect(sfn.commandCalls(SendTaskSuccessCommand)).toHaveLength(1);
  });

  it('sends SendTaskFailure ReviewRejected and stores the comment on the submission when the approver rejects', async () => {
    // Prepare
    const { secret } = arrangeLink();
    const formToken = await pageToken(secret);
    const comment = '请补充第三条的执行期限。';

    // Act
    const result = await post(secret, { form_token: formToken, decision: 'reject', comment });

    // Assess
    expect(result.statusCode).toBe(200);
    const failures = sfn.commandCalls(SendTaskFailureCommand);
    expect(failures).toHaveLength(1);
    expect(failures[0]?.args[0].input).toEqual({
      taskToken: TOKEN,
      error: 'ReviewRejected',
      cause: 'rejected by reviewer',
    });
    const stored = ddb
      .commandCalls(PutCommand)
      .map((call) => call.args[0].input.Item)
      .find((item) => item?.sk === 'SUBMISSION');
    expect(stored?.returnedComment).toBe(comment);
  });

  it('answers 400 to a rejection without a comment and records nothing', async () => {
    // Prepare
    const { secret } = arrangeLink();
    const formToken = await pageToken(secret);

    // Act
    const result = await post(secret, { form_token: formToken, decision: 'reject', comment: '' });

    // Assess
    expect(result.statusCode).toBe(400);
    expect(writes()).toEqual([]);
    expect(sfnCalls()).toEqual([]);
  });

  it('answers 403 to a cross-site POST without reading the link', async () => {
    // Prepare
    const { secret } = arrangeLink();
    const formToken = await pageToken(secret);
    ddb.resetHistory();

    // Act
    const result = await post(
      secret,
      { form_token: formToken, decision: 'approve' },
      { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' },
    );

    // Assess
    expect(result.statusCode).toBe(403);
    expect(result.headers?.['x-frame-options']).toBe('DENY');
    expect(ddb.calls()).toHaveLength(0);
    expect(sfnCalls()).toEqual([]);
  });

  it('answers 409 when the conditional decision write loses', async () => {
    // Prepare
    const { secret } = arrangeLink();
    const formToken = await pageToken(secret);
    ddb
      .on(UpdateCommand)
      .rejects(Object.assign(new Error('conditional'), { name: 'ConditionalCheckFailedException' }));

    // Act
    const result = await post(secret, { form_token: formToken, decision: 'approve' });

    // Assess
    expect(result.statusCode).toBe(409);
    expect(sfnCalls()).toEqual([]);
  });

  it('answers 404 to an unknown secret and 410 to an expired link', async () => {
    // Prepare
    arrangeLink();
    const expired = arrangeLink(
      { expiresAt: '2019-07-20T00:00:00.000Z' },
      { expiresAt: '2019-07-20T00:00:00.000Z' },
    );

    // Act
    const unknown = await handler(event('GET', newLinkSecret()), context);
    const gone = await handler(event('GET', expired.secret), context);

    // Assess
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers?.['referrer-policy']).toBe('no-referrer');
    expect(gone.statusCode).toBe(410);
  });

  it('logs neither the link secret, its hash nor the task token', async () => {
    // Prepare
    const { secret, hash } = arrangeLink();
    const formToken = await pageToken(secret);

    // Act
    await post(secret, { form_token: formToken, decision: 'reject', comment: '' });
    await post(secret, { form_token: formToken, decision: 'approve' });
    await post(secret, { form_token: 'wrong', decision: 'approve' });

    // Assess
    const logged = output.join('');
    expect(logged).toContain('approval decided');
    expect(logged).not.toContain(secret);
    expect(logged).not.toContain(hash);
    expect(logged).not.toContain(TOKEN);
  });
});

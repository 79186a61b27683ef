import 'aws-sdk-client-mock-vitest/extend';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SFNClient, StopExecutionCommand } from '@aws-sdk/client-sfn';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Submission } from '../../../shared/domain/index.js';
import { aPublishedSubmission, aSubmission, IDS } from '../../support/builders.js';
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
const sfn = mockClient(SFNClient);
const s3 = mockClient(S3Client);
let handler: Handler;

function withdraw(body: unknown) {
  const event = apiEvent({
    method: 'POST',
    routeKey: 'POST /submissions/{id}/withdraw',
    path: `/submissions/${IDS.submission}/withdraw`,
    pathParameters: { id: IDS.submission },
    body,
  });
  return handler(event as unknown as APIGatewayProxyEventV2, LAMBDA_CONTEXT as unknown as Context);
}

function stored(submission: Submission) {
  ddb
    .on(GetCommand, { Key: { pk: `SUB#${IDS.submission}`, sk: 'SUBMISSION' } })
    .resolves({ Item: submissionItem(submission) });
}

beforeAll(async () => {
  for (const [name, value] of Object.entries(HANDLER_ENVIRONMENT)) vi.stubEnv(name, value);
  ({ handler } = (await import('../../../functions/withdraw.js')) as unknown as { handler: Handler });
});

afterAll(() => {
  vi.unstubAllEnvs();
});

beforeEach(() => {
  ddb.reset();
  sfn.reset();
  s3.reset();
  s3.on(PutObjectCommand).resolves({});
  ddb.on(GetCommand).resolves({});
  ddb.on(PutCommand).resolves({});
  ddb.on(UpdateCommand).resolves({});
  ddb.on(QueryCommand).resolves({ Items: [] });
  sfn.on(StopExecutionCommand).resolves({ stopDate: new Date() });
});

describe('Function: withdraw', () => {
  it('withdraws a scheduled release: WITHDRAWN, its execution stopped, pending links revoked', async () => {
    stored(aSubmission({ status: 'SCHEDULED' }));
    ddb.on(QueryCommand, { ExpressionAttributeValues: { ':prefix': 'REV#0001#STEP#' } }).resolves({
      Items: [
        {
          submissionId: IDS.submission,
          revision: 1,
          stepId: 'sign-off',
          status: 'PENDING',
          attempt: 0,
          linkHashes: ['d'.repeat(64)],
          requestedAt: 'x',
          expiresAt: 'y',
        },
      ],
    });
    ddb.on(GetCommand, { Key: { pk: `SUB#${IDS.submission}`, sk: 'REV#0001#STEP#sign-off' } }).resolves({
      Item: {
        submissionId: IDS.submission,
        revision: 1,
        stepId: 'sign-off',
        status: 'PENDING',
        attempt: 0,
        linkHashes: ['d'.repeat(64)],
      },
    });
    const result = await withdraw({ explanation: '政策暂缓发布' });
    expect(result.statusCode).toBe(200);
    expect(bodyOf(result)).toEqual({
      submissionId: IDS.submission,
      revision: 1,
      status: 'WITHDRAWN',
      catalogSequence: null,
    });
    expect(sfn).toHaveReceivedCommandWith(StopExecutionCommand, {
      executionArn: `arn:aws-cn:states:cn-northwest-1:123456789012:execution:gongkai-review:${IDS.submission}-r1`,
    });
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      Key: { pk: `LINK#${'d'.repeat(64)}`, sk: 'LINK' },
    });
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      Item: expect.objectContaining({ action: 'WITHDRAWN' }),
    });
  });

  it('answers 400 with the field when the explanation is missing, and changes nothing', async () => {
    stored(aSubmission({ status: 'IN_REVIEW' }));
    const result = await withdraw({});
    expect(result.statusCode).toBe(400);
    expect(bodyOf(result)).toMatchObject({
      error: 'RequestInvalidError',
      details: [
        expect.objectContaining({ field: 'explanation', message: expect.stringContaining('撤回说明') }),
      ],
    });
    expect(ddb).not.toHaveReceivedCommand(PutCommand);
    expect(sfn).not.toHaveReceivedCommand(StopExecutionCommand);
  });

  it('appends a catalog event for a published bundle and leaves the bundle alone', async () => {
    stored(aPublishedSubmission());
    ddb.on(GetCommand, { Key: { pk: `BUNDLE#${IDS.bundle}`, sk: 'BUNDLE' } }).resolves({
      Item: {
        pk: `BUNDLE#${IDS.bundle}`,
        sk: 'BUNDLE',
        bundleId: IDS.bundle,
        submissionId: IDS.submission,
        revision: 1,
        indexNumber: '640100-141/2019-00064',
        title: '方案',
        issuingBody: '中心',
        writtenDate: '2019-07-19',
        publishedAt: '2019-07-19T08:00:00.000Z',
        subjectCategory: '综合',
        validity: 'VALID',
        manifestKey: `bundles/${IDS.bundle}/manifest.json`,
        manifestSha256: 'b'.repeat(64),
        lastSequence: 7,
      },
    });
    ddb
      .on(GetCommand, { Key: { pk: 'COUNTER#CATALOG', sk: 'COUNTER' } })
      .resolves({ Item: { value: 7, pending: {} } });
    const result = await withdraw({ validity: 'REPEALED', explanation: '已废止' });
    expect(result.statusCode).toBe(200);
    expect(bodyOf(result)).toMatchObject({ status: 'WITHDRAWN', catalogSequence: 8 });
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      Item: expect.objectContaining({
        sk: 'EVENT#000000000008',
        type: 'WITHDRAWN',
        validity: 'REPEALED',
        eventId: `WITHDRAWN#${IDS.bundle}`,
      }),
    });
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      Item: expect.objectContaining({ sk: 'BUNDLE', validity: 'REPEALED', lastSequence: 8 }),
    });
    expect(sfn).not.toHaveReceivedCommand(StopExecutionCommand);
    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, { Bucket: HANDLER_ENVIRONMENT.PUBLISHED_BUCKET });
    expect(
      s3
        .commandCalls(PutObjectCommand)
        .every((call) => !String(call.args[0].input.Key).startsWith('bundles/')),
    ).toBe(true);
  });

  it('answers 409 when the revision is in a short machine step', async () => {
    stored(aSubmission({ status: 'DEIDENTIFYING' }));
    const result = await withdraw({ explanation: '撤回' });
    expect(result.statusCode).toBe(409);
    expect(bodyOf(result)).toMatchObject({ error: 'IllegalTransitionError' });
  });

  it('answers 500 when stopping the execution is throttled, and a retry completes the withdrawal', async () => {
    stored(aSubmission({ status: 'IN_REVIEW' }));
    sfn.on(StopExecutionCommand).rejectsOnce(awsError('ThrottlingException'));
    expect((await withdraw({ explanation: '撤回' })).statusCode).toBe(500);
    stored(aSubmission({ status: 'WITHDRAWN' }));
    const retried = await withdraw({ explanation: '撤回' });
    expect(retried.statusCode).toBe(200);
    expect(sfn).toHaveReceivedCommandTimes(StopExecutionCommand, 2);
  });
});

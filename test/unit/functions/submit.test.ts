import 'aws-sdk-client-mock-vitest/extend';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Submission } from '../../../shared/domain/index.js';
import { aSubmission, IDS } from '../../support/builders.js';
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
const sfn = mockClient(SFNClient);
let handler: Handler;

const draft = aSubmission();
const EXECUTION = `${IDS.submission}-r1`;

function submit(claims?: Record<string, string>, id: string = IDS.submission) {
  const event = apiEvent({
    method: 'POST',
    routeKey: 'POST /submissions/{id}/submit',
    path: `/submissions/${id}/submit`,
    pathParameters: { id },
    claims,
  });
  return handler(event as unknown as APIGatewayProxyEventV2, LAMBDA_CONTEXT as unknown as Context);
}

function stored(submission: Submission) {
  ddb
    .on(GetCommand, { Key: { pk: `SUB#${IDS.submission}`, sk: 'SUBMISSION' } })
    .resolves({ Item: submissionItem(submission) });
}

function uploaded() {
  for (const document of draft.documents) {
    s3.on(HeadObjectCommand, { Key: document.key }).resolves({ ContentLength: document.size, ETag: '"e"' });
  }
}

beforeAll(async () => {
  for (const [name, value] of Object.entries(HANDLER_ENVIRONMENT)) vi.stubEnv(name, value);
  ({ handler } = (await import('../../../functions/submit.js')) as unknown as { handler: Handler });
});

afterAll(() => {
  vi.unstubAllEnvs();
});

beforeEach(() => {
  ddb.reset();
  s3.reset();
  sfn.reset();
  ddb.on(GetCommand).resolves({});
  ddb.on(PutCommand).resolves({});
  ddb.on(QueryCommand).resolves({ Items: [] });
  sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn', startDate: new Date() });
});

describe('Function: submit', () => {
  it('answers 202 after moving DRAFT to SUBMITTED and starting the execution named after the revision', async () => {
    stored(draft);
    uploaded();
    const result = await submit();
    expect(result.statusCode).toBe(202);
    expect(bodyOf(result)).toMatchObject({ status: 'SUBMITTED', started: true, executionName: EXECUTION });
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      ConditionExpression: '#status = :from AND #revision = :revision',
      ExpressionAttributeValues: { ':from': 'DRAFT', ':revision': 1 },
      Item: expect.objectContaining({ status: 'SUBMITTED' }),
    });
    expect(sfn).toHaveReceivedCommandExactlyOnceWith(StartExecutionCommand, {
      stateMachineArn: HANDLER_ENVIRONMENT.STATE_MACHINE_ARN,
      name: EXECUTION,
      input: JSON.stringify({ submissionId: IDS.submission, revision: 1 }),
    });
  });

  it('answers a repeated submit with 202 and no new status change, audit event or execution', async () => {
    stored(aSubmission({ status: 'SUBMITTED' }));
    // The table already holds this revision's SUBMITTED event under its once-key.
    ddb.on(PutCommand).rejects(awsError('ConditionalCheckFailedException'));
    sfn.on(StartExecutionCommand).rejects(awsError('ExecutionAlreadyExists'));
    const result = await submit();
    expect(result.statusCode).toBe(202);
    expect(bodyOf(result)).toMatchObject({ status: 'SUBMITTED', started: false });
    const puts = ddb.commandCalls(PutCommand).map((call) => call.args[0].input);
    expect(puts).toEqual([
      expect.objectContaining({
        Item: expect.objectContaining({ sk: 'AUDIT#ONCE#0001#SUBMITTED' }),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    ]);
    expect(sfn).toHaveReceivedCommandTimes(StartExecutionCommand, 1);
  });

  it('answers 409 naming the document whose upload is missing, and starts nothing', async () => {
    stored(draft);
    const [policy, interpretation] = draft.documents;
    s3.on(HeadObjectCommand, { Key: policy?.key }).resolves({ ContentLength: policy?.size });
    s3.on(HeadObjectCommand, { Key: interpretation?.key }).rejects(awsError('NotFound', 404));
    const result = await submit();
    expect(result.statusCode).toBe(409);
    const answer = bodyOf(result) as { error: string; message: string; details: unknown[] };
    expect(answer.error).toBe('UploadMissingError');
    expect(answer.message).toContain('第 2 个文件（解读「实施方案解读.docx」）还没有上传');
    expect(answer.details).toEqual([
      expect.objectContaining({ field: 'documents.1', code: 'UPLOAD_MISSING' }),
    ]);
    expect(ddb).not.toHaveReceivedCommand(PutCommand);
    expect(sfn).not.toHaveReceivedCommand(StartExecutionCommand);
  });

  it('starts once when a concurrent submit wins the conditional write', async () => {
    ddb
      .on(GetCommand)
      .resolvesOnce({ Item: submissionItem(draft) })
      .resolvesOnce({ Item: submissionItem(draft) })
      .resolves({ Item: submissionItem(aSubmission({ status: 'SUBMITTED' })) });
    uploaded();
    ddb.on(PutCommand).rejectsOnce(awsError('ConditionalCheckFailedException')).resolves({});
    const result = await submit();
    expect(result.statusCode).toBe(202);
    expect(sfn).toHaveReceivedCommandTimes(StartExecutionCommand, 1);
  });

  it('answers 403 to another drafter and 404 to an unknown id', async () => {
    stored(draft);
    const forbidden = await submit({ sub: 'drafter-999', email: 'x@example.gov.cn' });
    expect(forbidden.statusCode).toBe(403);
    const unknown = await submit(undefined, IDS.bundle);
    expect(unknown.statusCode).toBe(404);
    expect(sfn).not.toHaveReceivedCommand(StartExecutionCommand);
  });

  it('answers 500 with a public message when Step Functions throttles; a retry then starts it', async () => {
    stored(draft);
    uploaded();
    sfn.on(StartExecutionCommand).rejectsOnce(awsError('ThrottlingException'));
    const failed = await submit();
    expect(failed.statusCode).toBe(500);
    expect(bodyOf(failed)).toMatchObject({
      error: 'ThrottlingException',
      message: expect.stringContaining('稍后重试'),
    });
    // The revision is SUBMITTED now; the retry finds it so and starts the execution.
    stored(aSubmission({ status: 'SUBMITTED' }));
    const retried = await submit();
    expect(retried.statusCode).toBe(202);
    expect(bodyOf(retried)).toMatchObject({ started: true });
  });
});

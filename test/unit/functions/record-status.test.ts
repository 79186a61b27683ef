import 'aws-sdk-client-mock-vitest/extend';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Submission } from '../../../shared/domain/index.js';
import { aSubmission, IDS } from '../../support/builders.js';
import { awsError, HANDLER_ENVIRONMENT, LAMBDA_CONTEXT, submissionItem } from '../../support/fakes.js';

type Handler = (event: unknown, context: Context) => Promise<unknown>;

const ddb = mockClient(DynamoDBDocumentClient);
let handler: Handler;

function stored(submission: Submission) {
  ddb
    .on(GetCommand, { Key: { pk: `SUB#${IDS.submission}`, sk: 'SUBMISSION' } })
    .resolves({ Item: submissionItem(submission) });
}

const base = { submissionId: IDS.submission, revision: 1 };

beforeAll(async () => {
  for (const [name, value] of Object.entries(HANDLER_ENVIRONMENT)) vi.stubEnv(name, value);
  ({ handler } = (await import('../../../functions/record-status.js')) as unknown as { handler: Handler });
});

afterAll(() => {
  vi.unstubAllEnvs();
});

beforeEach(() => {
  ddb.reset();
  ddb.on(GetCommand).resolves({});
  ddb.on(PutCommand).resolves({});
  ddb.on(UpdateCommand).resolves({});
  ddb.on(QueryCommand).resolves({ Items: [] });
});

describe('Function: record-status', () => {
  it('records SCHEDULED after the last approval', async () => {
    stored(aSubmission({ status: 'IN_REVIEW' }));
    expect(
      await handler(
        { ...base, status: 'SCHEDULED', reason: 'REVIEW_APPROVED' },
        LAMBDA_CONTEXT as unknown as Context,
      ),
    ).toEqual({});
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      Item: expect.objectContaining({ sk: 'SUBMISSION', status: 'SCHEDULED' }),
    });
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      Item: expect.objectContaining({ action: 'SCHEDULED' }),
    });
  });

  it('revokes the step’s links on REVIEW_EXPIRED and records only the error name', async () => {
    stored(aSubmission({ status: 'IN_REVIEW' }));
    ddb.on(GetCommand, { Key: { pk: `SUB#${IDS.submission}`, sk: 'REV#0001#STEP#sign-off' } }).resolves({
      Item: { stepId: 'sign-off', status: 'PENDING', linkHashes: ['9'.repeat(64)] },
    });
    await handler(
      {
        ...base,
        status: 'FAILED',
        reason: 'REVIEW_EXPIRED',
        stepId: 'sign-off',
        error: { Error: 'States.Timeout', Cause: 'cause text' },
      },
      LAMBDA_CONTEXT as unknown as Context,
    );
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      Key: { pk: `LINK#${'9'.repeat(64)}`, sk: 'LINK' },
    });
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      Key: { pk: `SUB#${IDS.submission}`, sk: 'REV#0001#STEP#sign-off' },
      ExpressionAttributeValues: { ':status': 'EXPIRED', ':pending': 'PENDING' },
    });
    const auditPut = ddb
      .commandCalls(PutCommand)
      .find((call) => call.args[0].input.Item?.action === 'APPROVAL_TIMED_OUT');
    expect(auditPut?.args[0].input.Item).toMatchObject({
      toStatus: 'FAILED',
      detail: { errorName: 'States.Timeout', reviewStepId: 'sign-off' },
    });
    expect(JSON.stringify(ddb.calls().map((call) => call.args[0].input))).not.toContain('cause text');
  });

  it('is idempotent when the status is already recorded and audited', async () => {
    stored(aSubmission({ status: 'SCHEDULED' }));
    // The table already holds this revision's SCHEDULED event under its once-key.
    ddb.on(PutCommand).rejects(awsError('ConditionalCheckFailedException'));
    await handler(
      { ...base, status: 'SCHEDULED', reason: 'REVIEW_APPROVED' },
      LAMBDA_CONTEXT as unknown as Context,
    );
    const puts = ddb.commandCalls(PutCommand).map((call) => call.args[0].input);
    expect(puts).toEqual([
      expect.objectContaining({
        Item: expect.objectContaining({ sk: 'AUDIT#ONCE#0001#SCHEDULED', action: 'SCHEDULED' }),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    ]);
  });

  it('retries the read after a ConditionalCheckFailed race and records against what is stored', async () => {
    ddb
      .on(GetCommand, { Key: { pk: `SUB#${IDS.submission}`, sk: 'SUBMISSION' } })
      .resolvesOnce({ Item: submissionItem(aSubmission({ status: 'IN_REVIEW' })) })
      .resolvesOnce({ Item: submissionItem(aSubmission({ status: 'IN_REVIEW' })) })
      .resolves({
        Item: submissionItem(aSubmission({ status: 'IN_REVIEW', updatedAt: '2019-07-19T02:00:00.000Z' })),
      });
    ddb.on(PutCommand).rejectsOnce(awsError('ConditionalCheckFailedException')).resolves({});
    await handler(
      { ...base, status: 'SCHEDULED', reason: 'REVIEW_APPROVED' },
      LAMBDA_CONTEXT as unknown as Context,
    );
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      Item: expect.objectContaining({ action: 'SCHEDULED' }),
    });
  });

  it('surfaces throttling by name so the state machine’s Catch ends the execution as failed', async () => {
    ddb.on(GetCommand).rejects(awsError('ThrottlingException'));
    await expect(
      handler(
        { ...base, status: 'FAILED', reason: 'TASK_FAILED', error: { Error: 'Lambda.Unknown' } },
        LAMBDA_CONTEXT as unknown as Context,
      ),
    ).rejects.toMatchObject({ name: 'ThrottlingException' });
  });
});

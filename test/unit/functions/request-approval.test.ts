import { createHash } from 'node:crypto';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { aReviewStep, aSubmission } from '../../support/builders.js';
import { aTaskToken, FIRST_APPROVER, SECOND_APPROVER } from '../../support/review-fakes.js';

const ddb = mockClient(DynamoDBDocumentClient);
const ses = mockClient(SESv2Client);

const BASE_URL = 'https://review.example.gov.cn/approvals';
const submission = aSubmission({
  status: 'IN_REVIEW',
  metadata: {
    title: '<script>alert(1)</script>"><img src=x onerror=alert(2)>',
    reviewSteps: [aReviewStep({ id: 'sign-off', approvers: [FIRST_APPROVER, SECOND_APPROVER] })],
  },
});
const STEP_KEY = { pk: `SUB#${submission.id}`, sk: 'REV#0001#STEP#sign-off' };

type Handler = (event: unknown, context: Context) => Promise<unknown>;
let handler: Handler;

const context = {
  functionName: 'request-approval',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:cn-north-1:123456789012:function:request-approval',
  memoryLimitInMB: '256',
  awsRequestId: 'request-1',
  logGroupName: '/aws/lambda/request-approval',
  logStreamName: 'stream',
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 10_000,
} as unknown as Context;

const input = (attempt: number, taskToken: string) => ({
  submissionId: submission.id,
  revision: 1,
  stepId: 'sign-off',
  attempt,
  taskToken,
});

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

function mails() {
  return ses.commandCalls(SendEmailCommand).map((call) => {
    const content = call.args[0].input.Content?.Simple;
    return {
      to: call.args[0].input.Destination?.ToAddresses?.[0] ?? '',
      subject: content?.Subject?.Data ?? '',
      text: content?.Body?.Text?.Data ?? '',
      html: content?.Body?.Html?.Data ?? '',
    };
  });
}

const secretOf = (text: string) => /\/approvals\/([A-Za-z0-9_-]{43})/.exec(text)?.[1] ?? '';
const putItems = () => ddb.commandCalls(PutCommand).map((call) => call.args[0].input.Item ?? {});

let output: string[] = [];

beforeAll(async () => {
  vi.stubEnv('TABLE_NAME', 'gongkai-test');
  vi.stubEnv('MAIL_FROM', 'gongkai@example.gov.cn');
  vi.stubEnv('APPROVAL_BASE_URL', BASE_URL);
  vi.stubEnv('METRICS_NAMESPACE', 'Gongkai');
  vi.stubEnv('AWS_REGION', 'cn-north-1');
  ({ handler } = (await import('../../../functions/request-approval.js')) as unknown as { handler: Handler });
});

beforeEach(() => {
  ddb.reset();
  ses.reset();
  ddb.on(GetCommand).resolves({});
  ddb
    .on(GetCommand, { Key: { pk: `SUB#${submission.id}`, sk: 'SUBMISSION' } })
    .resolves({ Item: { pk: `SUB#${submission.id}`, sk: 'SUBMISSION', ...submission } });
  ddb.on(PutCommand).resolves({});
  ddb.on(UpdateCommand).resolves({});
  ses.on(SendEmailCommand).resolves({ MessageId: 'm' });
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

describe('Handler: request-approval', () => {
  it('mails every approver a link and stores its hash with the task token, never the secret', async () => {
    // Prepare
    const token = aTaskToken('handler');

    // Act
    await handler(input(0, token), context);

    // Assess
    const sent = mails();
    expect(sent.map((mail) => mail.to).sort()).toEqual([FIRST_APPROVER.email, SECOND_APPROVER.email].sort());
    const items = putItems();
    const linkItems = items.filter((item) => String(item.pk).startsWith('LINK#'));
    expect(linkItems).toHaveLength(2);
    for (const mail of sent) {
      const secret = secretOf(mail.text);
      expect(mail.html).toContain(`${BASE_URL}/${secret}`);
      expect(linkItems.map((item) => item.pk)).toContain(`LINK#${sha256(secret)}`);
      expect(JSON.stringify(items)).not.toContain(secret);
    }
    for (const item of linkItems)
      expect(item).toMatchObject({ taskToken: token, status: 'PENDING', attempt: 0 });
    expect(items.find((item) => item.sk === STEP_KEY.sk)).toMatchObject({ status: 'PENDING', attempt: 0 });
    expect(items.find((item) => String(item.sk).startsWith('AUDIT#'))).toMatchObject({
      action: 'APPROVAL_REQUESTED',
    });
  });

  it('escapes the hostile title in the mail and never puts the task token in it', async () => {
    // Prepare
    const token = aTaskToken('mail-canary');

    // Act
    await handler(input(0, token), context);

    // Assess
    for (const mail of mails()) {
      expect(mail.html).not.toContain('<script>');
      expect(mail.html).not.toContain('<img src=x');
      expect(mail.html).toContain('&lt;script&gt;');
      for (const part of [mail.subject, mail.text, mail.html]) expect(part).not.toContain(token);
    }
  });

  it('publishes ApprovalsNearDeadline in Embedded Metric Format when it sends a reminder', async () => {
    // Prepare
    ddb.on(GetCommand, { Key: STEP_KEY }).resolves({
      Item: {
        ...STEP_KEY,
        submissionId: submission.id,
        revision: 1,
        stepId: 'sign-off',
        status: 'PENDING',
        attempt: 0,
        linkHashes: ['a'.repeat(64)],
      },
    });

    // Act
    await handler(input(1, aTaskToken('reminder')), context);

    // Assess
    const metricLines = output.filter((line) => line.includes('"CloudWatchMetrics"'));
    expect(metricLines).toHaveLength(1);
    expect(JSON.parse(metricLines[0] ?? '')).toMatchObject({ ApprovalsNearDeadline: 1 });
    expect(mails()).toHaveLength(2);
    expect(mails()[0]?.subject).toContain('审核提醒');
  });

  it('only updates the task token when the same attempt is retried after its mails went out', async () => {
    // Prepare
    const hashes = ['a'.repeat(64), 'b'.repeat(64)];
    const requestedAt = '2019-07-19T02:00:00.000Z';
    ddb.on(GetCommand, { Key: STEP_KEY }).resolves({
      Item: {
        ...STEP_KEY,
        submissionId: submission.id,
        revision: 1,
        stepId: 'sign-off',
        status: 'PENDING',
        attempt: 0,
        linkHashes: hashes,
        requestedAt,
        mailedAt: requestedAt,
      },
    });

    // Act
    await handler(input(0, aTaskToken('retry')), context);

    // Assess
    expect(mails()).toHaveLength(0);
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
    const updates = ddb.commandCalls(UpdateCommand).map((call) => call.args[0].input);
    expect(updates.map((update) => update.Key?.pk)).toEqual(hashes.map((hash) => `LINK#${hash}`));
    for (const update of updates)
      expect(update.ExpressionAttributeValues?.[':token']).toBe(aTaskToken('retry'));
    expect(output.join('')).not.toContain('Metrics');
  });

  it('leaves the step unmarked when SES fails, so the retry mails a fresh set, and fails with the error name only', async () => {
    // Prepare
    ses
      .on(SendEmailCommand)
      .rejects(
        Object.assign(new Error(`throttled ${aTaskToken('x')}`), { name: 'TooManyRequestsException' }),
      );

    // Act
    const result = handler(input(0, aTaskToken('ses')), context);

    // Assess
    await expect(result).rejects.toMatchObject({ name: 'TooManyRequestsException' });
    await expect(result).rejects.not.toThrow(/TOKEN/);
    const stepPut = putItems().find((item) => item.sk === STEP_KEY.sk);
    expect(stepPut?.mailedAt).toBeUndefined();
    const marked = ddb
      .commandCalls(UpdateCommand)
      .filter((call) => String(call.args[0].input.UpdateExpression).includes('mailedAt'));
    expect(marked).toHaveLength(0);
  });

  it('refuses an input without a task token', async () => {
    // Act
    const result = handler({ ...input(0, 'x'), taskToken: undefined }, context);

    // Assess
    await expect(result).rejects.toThrow();
    expect(mails()).toHaveLength(0);
  });

  it('logs neither the link secrets nor the task token', async () => {
    // Prepare
    const token = aTaskToken('log-canary');

    // Act
    await handler(input(0, token), context);

    // Assess
    const logged = output.join('');
    expect(logged).toContain('approval request sent');
    expect(logged).not.toContain(token);
    for (const mail of mails()) {
      expect(logged).not.toContain(secretOf(mail.text));
      expect(logged).not.toContain(sha256(secretOf(mail.text)));
      expect(logged).not.toContain(mail.to);
    }
  });
});

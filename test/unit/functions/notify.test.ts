import 'aws-sdk-client-mock-vitest/extend';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { aPublishedSubmission, aSubmission, IDS } from '../../support/builders.js';
import { awsError, HANDLER_ENVIRONMENT, LAMBDA_CONTEXT, submissionItem } from '../../support/fakes.js';

type Handler = (event: unknown, context: Context) => Promise<unknown>;

const ddb = mockClient(DynamoDBDocumentClient);
const ses = mockClient(SESv2Client);
let handler: Handler;

const base = { submissionId: IDS.submission, revision: 1 };

beforeAll(async () => {
  for (const [name, value] of Object.entries(HANDLER_ENVIRONMENT)) vi.stubEnv(name, value);
  ({ handler } = (await import('../../../functions/notify.js')) as unknown as { handler: Handler });
});

afterAll(() => {
  vi.unstubAllEnvs();
});

beforeEach(() => {
  ddb.reset();
  ses.reset();
  ddb.on(PutCommand).resolves({});
  ddb.on(QueryCommand).resolves({ Items: [] });
  ses.on(SendEmailCommand).resolves({ MessageId: 'm-1' });
});

describe('Function: notify', () => {
  it('mails the drafter a publication from the configured sender and audits NOTIFIED', async () => {
    ddb.on(GetCommand).resolves({ Item: submissionItem(aPublishedSubmission()) });
    await handler(
      { ...base, outcome: 'PUBLISHED', bundleId: IDS.bundle },
      LAMBDA_CONTEXT as unknown as Context,
    );
    expect(ses).toHaveReceivedCommandWith(SendEmailCommand, {
      FromEmailAddress: HANDLER_ENVIRONMENT.MAIL_FROM,
      Destination: { ToAddresses: ['liwen@example.gov.cn'] },
    });
    const content = ses.commandCalls(SendEmailCommand)[0]?.args[0].input.Content?.Simple;
    expect(content?.Body?.Text?.Data).toContain('640100-141/2019-00064');
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      Item: expect.objectContaining({ action: 'NOTIFIED' }),
    });
  });

  it('escapes the approver’s comment in the HTML of a return', async () => {
    ddb.on(GetCommand).resolves({
      Item: submissionItem(
        aSubmission({ status: 'RETURNED', returnedComment: '<img src=x onerror=alert(1)>' }),
      ),
    });
    await handler({ ...base, outcome: 'RETURNED' }, LAMBDA_CONTEXT as unknown as Context);
    const html = ses.commandCalls(SendEmailCommand)[0]?.args[0].input.Content?.Simple?.Body?.Html?.Data ?? '';
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toContain('<img');
  });

  it('surfaces an SES failure by name and records no notification', async () => {
    ddb.on(GetCommand).resolves({
      Item: submissionItem(
        aSubmission({
          status: 'REGISTERED',
          metadata: { disclosure: { attribute: 'ON_REQUEST', reason: '内部' } },
        }),
      ),
    });
    ses.on(SendEmailCommand).rejects(awsError('MessageRejected'));
    await expect(
      handler({ ...base, outcome: 'REGISTERED' }, LAMBDA_CONTEXT as unknown as Context),
    ).rejects.toMatchObject({
      name: 'MessageRejected',
    });
    expect(ddb).not.toHaveReceivedCommand(PutCommand);
  });

  it('refuses an outcome the workflow contract does not know', async () => {
    await expect(
      handler({ ...base, outcome: 'SOMETHING' }, LAMBDA_CONTEXT as unknown as Context),
    ).rejects.toThrow();
    expect(ses).not.toHaveReceivedCommand(SendEmailCommand);
  });
});

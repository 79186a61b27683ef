import 'aws-sdk-client-mock-vitest/extend';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { workKeys } from '../../../shared/storage-keys.js';
import { aSubmission, IDS } from '../../support/builders.js';
import { awsError, HANDLER_ENVIRONMENT, LAMBDA_CONTEXT, submissionItem } from '../../support/fakes.js';

type Handler = (event: unknown, context: Context) => Promise<unknown>;

const ddb = mockClient(DynamoDBDocumentClient);
const s3 = mockClient(S3Client);
let handler: Handler;

const PHONE = '13912345678';
const submission = aSubmission({ status: 'DEIDENTIFYING' });
const input = { submissionId: IDS.submission, revision: 1 };

function body(text: string) {
  return { Body: { transformToByteArray: async () => new TextEncoder().encode(text) } } as never;
}

beforeAll(async () => {
  for (const [name, value] of Object.entries(HANDLER_ENVIRONMENT)) vi.stubEnv(name, value);
  ({ handler } = (await import('../../../functions/deidentify.js')) as unknown as { handler: Handler });
});

afterAll(() => {
  vi.unstubAllEnvs();
});

beforeEach(() => {
  ddb.reset();
  s3.reset();
  ddb.on(GetCommand).resolves({ Item: submissionItem(submission) });
  ddb.on(PutCommand).resolves({});
  ddb.on(QueryCommand).resolves({ Items: [] });
  s3.on(PutObjectCommand).resolves({});
  s3.on(GetObjectCommand).resolves(body(`联系人手机${PHONE}。`));
});

describe('Function: deidentify', () => {
  it('returns only the redaction count and writes redacted outputs and the report, never the raw value', async () => {
    const output = (await handler(input, LAMBDA_CONTEXT as unknown as Context)) as { redactionCount: number };
    expect(Object.keys(output)).toEqual(['redactionCount']);
    expect(output.redactionCount).toBe(2);
    const policyId = submission.documents[0]?.id ?? '';
    for (const key of [
      workKeys.redactedText(IDS.submission, 1, policyId),
      workKeys.redactedHtml(IDS.submission, 1, policyId),
      workKeys.highlightedHtml(IDS.submission, 1, policyId),
      workKeys.redactionReport(IDS.submission, 1),
    ]) {
      expect(s3).toHaveReceivedCommandWith(PutObjectCommand, {
        Bucket: HANDLER_ENVIRONMENT.WORK_BUCKET,
        Key: key,
      });
    }
    for (const call of s3.commandCalls(PutObjectCommand)) {
      expect(Buffer.from(call.args[0].input.Body as Uint8Array).toString('utf8')).not.toContain(PHONE);
    }
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      Item: expect.objectContaining({ action: 'DEIDENTIFIED', detail: { redactionCount: 2 } }),
    });
  });

  it('fails with a named error when Validate’s output is missing', async () => {
    s3.on(GetObjectCommand).rejects(awsError('NoSuchKey', 404));
    await expect(handler(input, LAMBDA_CONTEXT as unknown as Context)).rejects.toMatchObject({
      name: 'WorkProductMissingError',
    });
    expect(ddb).not.toHaveReceivedCommand(PutCommand);
  });

  it('surfaces a throttled status change by name, with a public message', async () => {
    ddb.on(PutCommand).rejects(awsError('ThrottlingException'));
    await expect(handler(input, LAMBDA_CONTEXT as unknown as Context)).rejects.toMatchObject({
      name: 'ThrottlingException',
      message: expect.stringContaining('稍后重试'),
    });
  });
});

import 'aws-sdk-client-mock-vitest/extend';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { SUBMISSION_REJECTED_ERRORS } from '../../../shared/config/workflow.js';
import type { Submission } from '../../../shared/domain/index.js';
import { workKeys } from '../../../shared/storage-keys.js';
import {
  aMetadata,
  anInterpretationDocument,
  aPolicyDocument,
  aSubmission,
  IDS,
} from '../../support/builders.js';
import { awsError, HANDLER_ENVIRONMENT, LAMBDA_CONTEXT, submissionItem } from '../../support/fakes.js';

type Handler = (event: unknown, context: Context) => Promise<unknown>;

const ddb = mockClient(DynamoDBDocumentClient);
const s3 = mockClient(S3Client);
let handler: Handler;

const encoder = new TextEncoder();
const TITLE = aMetadata().title;
const POLICY = encoder.encode(`${TITLE}\n一、主动公开率达到95%。`);
const INTERPRETATION = encoder.encode(`关于《${TITLE}》的解读：主动公开率达到95%。`);
const policy = { ...aPolicyDocument(), fileName: '方案.txt', contentType: 'text/plain', size: POLICY.length };
const interpretation = {
  ...anInterpretationDocument(),
  fileName: '解读.txt',
  contentType: 'text/plain',
  size: INTERPRETATION.length,
};
const input = { submissionId: IDS.submission, revision: 1 };

function stored(...versions: Submission[]) {
  let chain = ddb.on(GetCommand, { Key: { pk: `SUB#${IDS.submission}`, sk: 'SUBMISSION' } });
  for (const version of versions.slice(0, -1)) chain = chain.resolvesOnce({ Item: submissionItem(version) });
  const last = versions.at(-1);
  if (last !== undefined) chain.resolves({ Item: submissionItem(last) });
}

function body(bytes: Uint8Array) {
  return { Body: { transformToByteArray: async () => bytes } } as never;
}

const submitted = aSubmission({ status: 'SUBMITTED', documents: [policy, interpretation] });
const validating = aSubmission({ status: 'VALIDATING', documents: [policy, interpretation] });

beforeAll(async () => {
  for (const [name, value] of Object.entries(HANDLER_ENVIRONMENT)) vi.stubEnv(name, value);
  ({ handler } = (await import('../../../functions/validate.js')) as unknown as { handler: Handler });
});

afterAll(() => {
  vi.unstubAllEnvs();
});

beforeEach(() => {
  ddb.reset();
  s3.reset();
  ddb.on(PutCommand).resolves({});
  ddb.on(QueryCommand).resolves({ Items: [] });
  s3.on(PutObjectCommand).resolves({});
  s3.on(GetObjectCommand, { Key: policy.key }).resolves(body(POLICY));
  s3.on(GetObjectCommand, { Key: interpretation.key }).resolves(body(INTERPRETATION));
});

describe('Function: validate', () => {
  it('returns the workflow’s output and writes text, HTML and findings to the work bucket', async () => {
    stored(submitted, validating, validating);
    const output = await handler(input, LAMBDA_CONTEXT as unknown as Context);
    expect(output).toMatchObject({
      attribute: 'PROACTIVE',
      reviewSteps: [
        { stepId: 'disclosure-review', timeoutSeconds: 259_200 },
        { stepId: 'sign-off', timeoutSeconds: 259_200 },
      ],
    });
    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, {
      Bucket: HANDLER_ENVIRONMENT.WORK_BUCKET,
      Key: workKeys.text(IDS.submission, 1, policy.id),
    });
    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, { Key: workKeys.consistency(IDS.submission, 1) });
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      Item: expect.objectContaining({ status: 'DEIDENTIFYING' }),
      ExpressionAttributeValues: { ':from': 'VALIDATING', ':revision': 1 },
    });
    expect(JSON.stringify(output)).not.toContain('95%');
  });

  it('returns a rejected file: RETURNED with the comment, and an error the state machine routes to RETURNED', async () => {
    stored(submitted, validating);
    s3.on(GetObjectCommand, { Key: policy.key }).resolves(body(encoder.encode('%PDF-1.7')));
    const error = await handler(input, LAMBDA_CONTEXT as unknown as Context).catch(
      (caught: unknown) => caught,
    );
    expect(SUBMISSION_REJECTED_ERRORS as readonly string[]).toContain((error as Error).name);
    expect((error as Error).message).not.toContain('方案.txt');
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      Item: expect.objectContaining({
        status: 'RETURNED',
        returnedComment: expect.stringContaining('原文「方案.txt」'),
      }),
    });
    expect(s3).not.toHaveReceivedCommand(PutObjectCommand);
  });

  it('surfaces an S3 failure by name only, so the FAILED path records it', async () => {
    stored(submitted, validating);
    s3.on(GetObjectCommand, { Key: policy.key }).rejects(awsError('SlowDown', 503));
    await expect(handler(input, LAMBDA_CONTEXT as unknown as Context)).rejects.toMatchObject({
      name: 'SlowDown',
      message: expect.stringContaining('稍后重试'),
    });
  });

  it('refuses an input that does not satisfy the workflow contract', async () => {
    await expect(
      handler({ submissionId: IDS.submission }, LAMBDA_CONTEXT as unknown as Context),
    ).rejects.toThrow();
    expect(ddb).not.toHaveReceivedAnyCommand();
  });
});

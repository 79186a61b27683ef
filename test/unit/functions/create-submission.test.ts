import 'aws-sdk-client-mock-vitest/extend';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { aMetadata, aSubmission, IDS } from '../../support/builders.js';
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

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const body = {
  metadata: aMetadata({ writtenDate: '2019-07-19' }),
  documents: [
    { role: 'policy', fileName: '实施方案.docx', contentType: DOCX, size: 48_213 },
    { role: 'interpretation', fileName: '解读.txt', contentType: 'text/plain', size: 2_048 },
  ],
};

function create(requestBody: unknown, claims?: Record<string, string> | null) {
  const event = apiEvent({
    method: 'POST',
    routeKey: 'POST /submissions',
    path: '/submissions',
    body: requestBody,
    claims,
  });
  return handler(event as unknown as APIGatewayProxyEventV2, LAMBDA_CONTEXT as unknown as Context);
}

beforeAll(async () => {
  for (const [name, value] of Object.entries(HANDLER_ENVIRONMENT)) vi.stubEnv(name, value);
  vi.stubEnv('UPLOAD_URL_TTL_SECONDS', '600');
  ({ handler } = (await import('../../../functions/create-submission.js')) as unknown as {
    handler: Handler;
  });
});

afterAll(() => {
  vi.unstubAllEnvs();
});

beforeEach(() => {
  ddb.reset();
  s3.reset();
  ddb.on(PutCommand).resolves({});
  ddb.on(QueryCommand).resolves({ Items: [] });
});

describe('Function: create-submission', () => {
  it('answers 201 with presigned PUT URLs signed for the content type and length', async () => {
    const result = await create(body);
    expect(result.statusCode).toBe(201);
    const answer = bodyOf(result) as {
      submissionId: string;
      revision: number;
      uploads: Record<string, unknown>[];
    };
    expect(answer.revision).toBe(1);
    expect(answer.uploads).toHaveLength(2);
    const [policy] = answer.uploads;
    expect(policy).toMatchObject({ role: 'policy', method: 'PUT', headers: { 'content-type': DOCX } });
    const url = new URL(String(policy?.url));
    expect(url.hostname).toContain(HANDLER_ENVIRONMENT.UPLOADS_BUCKET);
    expect(url.pathname).toContain(`submissions/${answer.submissionId}/r1/`);
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toContain('content-length');
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toContain('content-type');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('600');
    // Presigning never sends anything.
    expect(s3).not.toHaveReceivedCommand(PutObjectCommand);
  });

  it('stores the DRAFT conditionally and appends the CREATED audit event', async () => {
    const result = await create(body);
    const { submissionId } = bodyOf(result) as { submissionId: string };
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      TableName: HANDLER_ENVIRONMENT.TABLE_NAME,
      ConditionExpression: 'attribute_not_exists(pk)',
      Item: expect.objectContaining({
        pk: `SUB#${submissionId}`,
        status: 'DRAFT',
        drafter: expect.objectContaining({ id: 'drafter-001' }),
      }),
    });
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      Item: expect.objectContaining({ action: 'CREATED', submissionId }),
    });
  });

  it('answers 400 with field-level details when a PDF is declared, and stores nothing', async () => {
    const result = await create({
      ...body,
      documents: [
        { role: 'policy', fileName: '方案.pdf', contentType: 'application/pdf', size: 10 },
        body.documents[1],
      ],
    });
    expect(result.statusCode).toBe(400);
    const answer = bodyOf(result) as {
      error: string;
      details: { field: string; code: string; message: string }[];
    };
    expect(answer.error).toBe('SubmissionInvalidError');
    expect(answer.details).toContainEqual(
      expect.objectContaining({ field: 'documents.0.fileName', code: 'UNSUPPORTED_FORMAT' }),
    );
    expect(ddb).not.toHaveReceivedCommand(PutCommand);
  });

  it('answers 400 to a body that is not JSON', async () => {
    const result = await create('{not json');
    expect(result.statusCode).toBe(400);
    expect(bodyOf(result)).toMatchObject({ error: 'InvalidJsonError' });
  });

  it('answers 401 without the authorizer’s claims', async () => {
    const result = await create(body, null);
    expect(result.statusCode).toBe(401);
    expect(ddb).not.toHaveReceivedAnyCommand();
  });

  it('answers 500 with a public message when DynamoDB throttles, without internals', async () => {
    ddb.on(PutCommand).rejects(awsError('ThrottlingException'));
    const result = await create(body);
    expect(result.statusCode).toBe(500);
    expect(bodyOf(result)).toEqual({
      error: 'ThrottlingException',
      message: expect.stringContaining('稍后重试'),
    });
    expect(result.body).not.toContain('(test)');
  });

  it('creates the next revision of a returned submission on POST /submissions/{id}/revisions', async () => {
    ddb
      .on(GetCommand)
      .resolves({ Item: submissionItem(aSubmission({ status: 'RETURNED', returnedComment: '请修改' })) });
    const event = apiEvent({
      method: 'POST',
      routeKey: 'POST /submissions/{id}/revisions',
      path: `/submissions/${IDS.submission}/revisions`,
      pathParameters: { id: IDS.submission },
      body,
    });
    const result = await handler(
      event as unknown as APIGatewayProxyEventV2,
      LAMBDA_CONTEXT as unknown as Context,
    );
    expect(result.statusCode).toBe(201);
    expect(bodyOf(result)).toMatchObject({ submissionId: IDS.submission, revision: 2 });
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      ConditionExpression: '#revision = :revision AND #status = :status',
      Item: expect.objectContaining({ revision: 2, status: 'DRAFT' }),
    });
  });
});

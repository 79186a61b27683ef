import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * Connection settings shared by every client. In AWS all are left unset; local mode points them
 * at the emulators. Business code never looks at them.
 */
export interface AwsConnection {
  region?: string;
  endpoints?: { s3?: string; dynamodb?: string; sfn?: string };
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** s3rver serves buckets as paths, not host names. */
  forcePathStyle?: boolean;
}

/**
 * Attempts per S3 or DynamoDB call (the SDK's default is 3). Every handler is idempotent and a task
 * makes up to a few hundred calls (Publish, Verify and the feeds), so a brief service hiccup is
 * better ridden out here, with the SDK's backoff and retry quota, than by failing the task: with 3,
 * one call in 125 still fails when 20 % of attempts do; with 5, one in 3,125.
 */
const DATA_CALL_ATTEMPTS = 5;

function common(connection: AwsConnection) {
  return {
    ...(connection.region === undefined ? {} : { region: connection.region }),
    ...(connection.credentials === undefined ? {} : { credentials: connection.credentials }),
  };
}

export function createS3Client(connection: AwsConnection = {}): S3Client {
  return new S3Client({
    ...common(connection),
    ...(connection.endpoints?.s3 === undefined ? {} : { endpoint: connection.endpoints.s3 }),
    forcePathStyle: connection.forcePathStyle ?? false,
    maxAttempts: DATA_CALL_ATTEMPTS,
    // Without these, presigned PUT URLs carry the CRC of an empty body, and s3rver stores
    // streamed uploads with the chunk framing inside the object.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

export function createDocumentClient(connection: AwsConnection = {}): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    ...common(connection),
    maxAttempts: DATA_CALL_ATTEMPTS,
    ...(connection.endpoints?.dynamodb === undefined ? {} : { endpoint: connection.endpoints.dynamodb }),
  });
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

export function createSfnClient(connection: AwsConnection = {}): SFNClient {
  return new SFNClient({
    ...common(connection),
    ...(connection.endpoints?.sfn === undefined ? {} : { endpoint: connection.endpoints.sfn }),
  });
}

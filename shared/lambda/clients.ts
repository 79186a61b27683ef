import type { S3Client } from '@aws-sdk/client-s3';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, createS3Client, createSfnClient } from '../adapters/aws-clients.js';

/**
 * The AWS clients of a function, made once per container. Endpoints come from the SDK's own
 * `AWS_ENDPOINT_URL_<SERVICE>` variables (unset in AWS; set by local mode to its emulators);
 * `S3_FORCE_PATH_STYLE=true` is the one setting the SDK cannot read from the environment.
 */
let s3: S3Client | undefined;
let dynamo: DynamoDBDocumentClient | undefined;
let sfn: SFNClient | undefined;
let ses: SESv2Client | undefined;

export function s3Client(): S3Client {
  s3 ??= createS3Client({ forcePathStyle: process.env.S3_FORCE_PATH_STYLE === 'true' });
  return s3;
}

export function documentClient(): DynamoDBDocumentClient {
  dynamo ??= createDocumentClient();
  return dynamo;
}

export function sfnClient(): SFNClient {
  sfn ??= createSfnClient();
  return sfn;
}

export function sesClient(): SESv2Client {
  ses ??= new SESv2Client({});
  return ses;
}

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

/**
 * Test fault injector (the resilience tests, local mode only): `GONGKAI_FAULT_RATE=0.2` makes 20 %
 * of the S3 and DynamoDB requests fail with a retryable 503 before they are sent, so the SDK's own
 * retries, the state machine's Retry and the handlers' idempotency are exercised. Unset (as in
 * AWS) or not a number in (0, 1]: no middleware is added at all.
 */
export const FAULT_RATE_VARIABLE = 'GONGKAI_FAULT_RATE';

/** The fault rate `GONGKAI_FAULT_RATE` asks for: 0 unless a number in (0, 1]. */
export function faultRate(environment: NodeJS.ProcessEnv = process.env): number {
  const rate = Number(environment[FAULT_RATE_VARIABLE] ?? '');
  return Number.isFinite(rate) && rate > 0 && rate <= 1 ? rate : 0;
}

/** The transient error the injector throws: what S3 answers when it is briefly unavailable. */
export class InjectedFaultError extends Error {
  readonly $fault = 'server';
  readonly $metadata = { httpStatusCode: 503, attempts: 1, totalRetryDelay: 0 };
  constructor() {
    super('Service Unavailable (injected by GONGKAI_FAULT_RATE)');
    this.name = 'ServiceUnavailable';
  }
}

/** Requests failed by the injector in this process (the resilience table reports it). */
export const injectedFaults = { count: 0 };

interface MiddlewareStackLike {
  add(middleware: unknown, options: { step: 'finalizeRequest'; priority: 'low'; name: string }): void;
}

/**
 * Adds the injector to a client's middleware stack: last in the finalize step (inside the retry
 * loop, after signing; presigning never reaches it), so each attempt fails independently.
 */
export function addFaultInjection(
  client: { middlewareStack: unknown },
  rate: number,
  random: () => number = Math.random,
): void {
  if (rate <= 0) return;
  (client.middlewareStack as MiddlewareStackLike).add(
    (next: (args: unknown) => Promise<unknown>) => async (args: unknown) => {
      if (random() < rate) {
        injectedFaults.count += 1;
        throw new InjectedFaultError();
      }
      return next(args);
    },
    { step: 'finalizeRequest', priority: 'low', name: 'gongkaiFaultInjection' },
  );
}

export function s3Client(): S3Client {
  if (s3 === undefined) {
    s3 = createS3Client({ forcePathStyle: process.env.S3_FORCE_PATH_STYLE === 'true' });
    addFaultInjection(s3, faultRate());
  }
  return s3;
}

export function documentClient(): DynamoDBDocumentClient {
  if (dynamo === undefined) {
    dynamo = createDocumentClient();
    addFaultInjection(dynamo, faultRate());
  }
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

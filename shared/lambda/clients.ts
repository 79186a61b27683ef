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
 * of the S3 and DynamoDB attempts fail with a retryable 503, so the SDK's own retries, the state
 * machine's Retry and the handlers' idempotency are exercised. Half of those faults strike before
 * the request is sent; the other half after it was sent and answered — the write took effect, only
 * the reply is lost — which is the case a retried conditional write must survive (DynamoDB's own
 * retry after a lost reply meets the condition its first attempt already changed). Unset (as in
 * AWS) or not a number in (0, 1]: no middleware is added at all.
 */
export const FAULT_RATE_VARIABLE = 'GONGKAI_FAULT_RATE';

/** The fault rate `GONGKAI_FAULT_RATE` asks for: 0 unless a number in (0, 1]. */
export function faultRate(environment: NodeJS.ProcessEnv = process.env): number {
  const rate = Number(environment[FAULT_RATE_VARIABLE] ?? '');
  return Number.isFinite(rate) && rate > 0 && rate <= 1 ? rate : 0;
}

/** Share of the injected faults that lose the reply of a request that was carried out. */
export const REPLY_LOST_SHARE = 0.5;

/** The transient error the injector throws: what S3 answers when it is briefly unavailable. */
export class InjectedFaultError extends Error {
  readonly $fault = 'server';
  // Not readonly inside: the SDK's retry middleware records its attempts on the error it passes on.
  readonly $metadata = { httpStatusCode: 503, attempts: 1, totalRetryDelay: 0 };
  constructor(readonly kind: 'beforeSend' | 'replyLost') {
    super(
      kind === 'beforeSend'
        ? 'Service Unavailable (injected by GONGKAI_FAULT_RATE before the request was sent)'
        : 'Service Unavailable (injected by GONGKAI_FAULT_RATE after the request was carried out)',
    );
    this.name = 'ServiceUnavailable';
  }
}

/**
 * Attempts failed by the injector in this process, by kind (the resilience table reports them), and
 * how many of those reached the caller on the first attempt: the SDK did not retry them because its
 * retry quota (a token bucket per client, drained by failed retries) was empty.
 */
export const injectedFaults = {
  beforeSend: 0,
  replyLost: 0,
  unretried: 0,
  get total(): number {
    return this.beforeSend + this.replyLost;
  },
};

interface MiddlewareStackLike {
  add(
    middleware: unknown,
    options: { step: 'initialize' | 'finalizeRequest'; priority: 'high' | 'low'; name: string },
  ): void;
}

/** Closes a streamed body nobody will read (a GetObject whose reply is "lost"), so its socket is freed. */
function discardBody(result: unknown): void {
  const streams = [
    (result as { output?: { Body?: unknown } } | undefined)?.output?.Body,
    (result as { response?: { body?: unknown } } | undefined)?.response?.body,
  ];
  for (const stream of streams) {
    const destroy = (stream as { destroy?: unknown } | undefined)?.destroy;
    if (typeof destroy === 'function') destroy.call(stream);
  }
}

/**
 * Adds the injector to a client's middleware stack: last in the finalize step (inside the retry
 * loop, after signing; presigning never reaches it), so each attempt fails independently and the
 * SDK retries a lost reply as it retries a real one. One draw per attempt: below
 * `rate × replyLostShare` the reply is lost, below `rate` the attempt fails before it is sent.
 */
export function addFaultInjection(
  client: { middlewareStack: unknown },
  rate: number,
  options: { random?: () => number; replyLostShare?: number } = {},
): void {
  if (rate <= 0) return;
  const random = options.random ?? Math.random;
  const replyLostBelow = rate * (options.replyLostShare ?? REPLY_LOST_SHARE);
  (client.middlewareStack as MiddlewareStackLike).add(
    (next: (args: unknown) => Promise<unknown>) => async (args: unknown) => {
      const draw = random();
      if (draw >= rate) return next(args);
      if (draw >= replyLostBelow) {
        injectedFaults.beforeSend += 1;
        throw new InjectedFaultError('beforeSend');
      }
      // A real error of the request itself passes through unchanged: only an answered request can lose its reply.
      const result = await next(args);
      discardBody(result);
      injectedFaults.replyLost += 1;
      throw new InjectedFaultError('replyLost');
    },
    { step: 'finalizeRequest', priority: 'low', name: 'gongkaiFaultInjection' },
  );
  // Outside the retry loop: what the caller finally gets, with the number of attempts the SDK made.
  (client.middlewareStack as MiddlewareStackLike).add(
    (next: (args: unknown) => Promise<unknown>) => async (args: unknown) => {
      try {
        return await next(args);
      } catch (error) {
        if (error instanceof InjectedFaultError && error.$metadata.attempts <= 1)
          injectedFaults.unretried += 1;
        throw error;
      }
    },
    { step: 'initialize', priority: 'high', name: 'gongkaiFaultInjectionOutcome' },
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

/**
 * Public AWS list prices the benchmark's cost table uses — the only place they are written down.
 *
 * Region: US East (N. Virginia), us-east-1, on-demand, no free tier, no Savings Plans, first
 * pricing tier of each service. Taken from the AWS pricing pages named in `source` as they stood on
 * {@link PRICES_AS_OF}; the benchmark does not fetch them (it runs offline). Re-check them before
 * quoting a figure, and update the date with the numbers.
 */

/** When the prices below were read from the AWS pricing pages. */
export const PRICES_AS_OF = '2025-11-01';

/** The region the prices are for. */
export const PRICES_REGION = 'us-east-1 (US East, N. Virginia)';

/** One price: US dollars per `unit`. */
export interface Price {
  readonly usd: number;
  readonly unit: string;
  readonly source: string;
}

export const PRICES = {
  /** Step Functions Standard: per state transition (retries included). */
  stepFunctionsTransition: {
    usd: 0.025 / 1000,
    unit: 'state transition',
    source: 'https://aws.amazon.com/step-functions/pricing/',
  },
  /** Lambda on Arm (Graviton), first 7.5 billion GB-s a month. Init duration is billed too (since 2025-08). */
  lambdaArmGbSecond: {
    usd: 0.0000133334,
    unit: 'GB-second (Arm)',
    source: 'https://aws.amazon.com/lambda/pricing/',
  },
  lambdaRequest: { usd: 0.2 / 1_000_000, unit: 'request', source: 'https://aws.amazon.com/lambda/pricing/' },
  /** S3 Standard: PUT, COPY, POST and LIST requests. */
  s3PutTier: {
    usd: 0.005 / 1000,
    unit: 'PUT/COPY/POST/LIST request',
    source: 'https://aws.amazon.com/s3/pricing/',
  },
  /** S3 Standard: GET, SELECT and all other requests (HEAD included). */
  s3GetTier: { usd: 0.0004 / 1000, unit: 'GET/HEAD request', source: 'https://aws.amazon.com/s3/pricing/' },
  /** DynamoDB on-demand (Standard table class), after the 2024-11-01 price cut. */
  dynamoWriteRequestUnit: {
    usd: 0.625 / 1_000_000,
    unit: 'write request unit',
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
  },
  dynamoReadRequestUnit: {
    usd: 0.125 / 1_000_000,
    unit: 'read request unit',
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
  },
  /** KMS symmetric requests (the key itself is $1 a month, not per bundle). */
  kmsRequest: { usd: 0.03 / 10_000, unit: 'KMS request', source: 'https://aws.amazon.com/kms/pricing/' },
  /** SES outbound e-mail (approval and outcome mails). */
  sesMessage: { usd: 0.1 / 1000, unit: 'e-mail', source: 'https://aws.amazon.com/ses/pricing/' },
  /** API Gateway HTTP API, first 300 million requests a month. */
  httpApiRequest: {
    usd: 1 / 1_000_000,
    unit: 'HTTP API request',
    source: 'https://aws.amazon.com/api-gateway/pricing/',
  },
} as const satisfies Record<string, Price>;

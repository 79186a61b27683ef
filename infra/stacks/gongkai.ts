import { type App, Tags } from 'aws-cdk-lib';
import { DataStack } from './data-stack.js';
import { PipelineStack } from './pipeline-stack.js';

/** Settings read from CDK context (`-c key=value` or cdk.json), all optional. */
export interface GongkaiContext {
  /** Deploy to this account/region; without them the stacks are environment-agnostic. */
  account?: string;
  region?: string;
  /** Object Lock default retention of the published archive, in days. @default 3650 */
  publishedRetentionDays?: number;
  /** Origins allowed to PUT uploads with a presigned URL. @default ['*'] (the presigned URL is the credential) */
  uploadAllowedOrigins?: string[];
  /** Base URL of approval links. @default the HTTP API's URL + '/approvals' */
  approvalBaseUrl?: string;
  /** E-mail subscribed to alarms. */
  alarmEmail?: string;
  /** Prefix of the stack names. @default 'Gongkai' */
  stackPrefix?: string;
}

function readContext(app: App): GongkaiContext {
  const get = (key: string): unknown => app.node.tryGetContext(key);
  const text = (key: string) => {
    const value = get(key);
    return typeof value === 'string' && value.length > 0 ? value : undefined;
  };
  const retention = get('publishedRetentionDays');
  const origins = get('uploadAllowedOrigins');
  return {
    account: text('account'),
    region: text('region'),
    publishedRetentionDays: retention === undefined ? undefined : Number(retention),
    uploadAllowedOrigins:
      typeof origins === 'string'
        ? origins.split(',').map((origin) => origin.trim())
        : (origins as string[] | undefined),
    approvalBaseUrl: text('approvalBaseUrl'),
    alarmEmail: text('alarmEmail'),
    stackPrefix: text('stackPrefix'),
  };
}

/**
 * Feature flags the stacks rely on, set on the app before any construct exists (so tests and
 * `cdk synth` agree without depending on cdk.json).
 */
export const FEATURE_FLAGS: Readonly<Record<string, boolean>> = {
  // Server access logs are delivered by bucket policy, so the log bucket can enforce bucket-owner ownership (no ACLs).
  '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
};

/** Builds gongkai's two stacks into `app`: the stateful data stack and the stateless pipeline stack. */
export function buildStacks(
  app: App,
  overrides: GongkaiContext = {},
): { data: DataStack; pipeline: PipelineStack } {
  for (const [flag, value] of Object.entries(FEATURE_FLAGS)) {
    if (app.node.tryGetContext(flag) === undefined) app.node.setContext(flag, value);
  }
  const context = { ...readContext(app), ...overrides };
  const retentionDays = context.publishedRetentionDays ?? 3650;
  if (!Number.isInteger(retentionDays) || retentionDays < 1) {
    throw new Error(
      `publishedRetentionDays must be a whole number of days ≥ 1, got ${String(retentionDays)}`,
    );
  }
  const env =
    context.account || context.region ? { account: context.account, region: context.region } : undefined;
  const prefix = context.stackPrefix ?? 'Gongkai';

  const data = new DataStack(app, `${prefix}Data`, {
    env,
    description: 'gongkai: KMS key, S3 buckets (uploads, work, published archive) and the DynamoDB table',
    publishedRetentionDays: retentionDays,
    uploadAllowedOrigins: context.uploadAllowedOrigins ?? ['*'],
  });
  const pipeline = new PipelineStack(app, `${prefix}Pipeline`, {
    env,
    description: 'gongkai: functions, HTTP API, review workflow, mail, alarms and dashboard',
    data: data.references,
    approvalBaseUrl: context.approvalBaseUrl,
    alarmEmail: context.alarmEmail,
  });
  pipeline.addStackDependency(data, 'the pipeline imports the data stack exports');
  Tags.of(app).add('project', 'gongkai');
  return { data, pipeline };
}

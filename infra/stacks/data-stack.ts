/**
 * The stateful half of gongkai: the KMS key, the S3 buckets and the DynamoDB table. Kept apart from
 * the pipeline so that redeploying code never puts data at risk; everything here is retained on
 * stack deletion.
 *
 * ## DynamoDB single-table design (`pk` / `sk`, all strings)
 *
 * Every write is a single-item conditional write (the local emulator has no transactions).
 *
 * | item | pk | sk | GSI keys |
 * |---|---|---|---|
 * | submission (metadata, current revision, drafter) | `SUB#<submissionId>` | `SUBMISSION` | gsi1: `DRAFTER#<drafterId>` / `<createdAt ISO>` |
 * | revision (status, 公开属性, S3 keys, deadline) | `SUB#<submissionId>` | `REV#<revision, 4 digits>` | — |
 * | review step of a revision | `SUB#<submissionId>` | `REV#<revision>#STEP#<stepId>` | — |
 * | audit event (append-only: who did what when) | `SUB#<submissionId>` | `AUDIT#<ISO time>#<ulid>` | — |
 * | audit event that happens once per revision (status changes, each step's request and decision) | `SUB#<submissionId>` | `AUDIT#ONCE#<revision>#<action>[#<scope>]` | — |
 * | approval link (hash of the secret, approver, expiry, task token, decision) | `LINK#<sha256(secret) hex>` | `LINK` | — (looked up by hash directly) |
 * | 索引号 counter (region+body code, year) | `COUNTER#INDEX#<code>#<year>` | `COUNTER` | — |
 * | catalog change-sequence counter | `COUNTER#CATALOG` | `COUNTER` | — |
 * | bundle (published bundle, 效力状态) | `BUNDLE#<bundleId>` | `BUNDLE` | — |
 * | catalog entry / event (publish, withdraw, supersede) | `BUNDLE#<bundleId>` | `EVENT#<seq, 12 digits>` | gsi2: `CATALOG` / `<seq, 12 digits>` |
 *
 * - gsi1 answers "my submissions, newest first" for a drafter.
 * - gsi2 is the portal's change feed: every catalog event in change-sequence order, read after a
 *   cursor. One partition key value on purpose: the feed is a single ordered stream, and its write
 *   rate (publications per day) is far below a partition's limit.
 * - `ttl` (epoch seconds) may be set on items that are only useful for a while; audit events,
 *   links and catalog events never get one.
 */
import { Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';

/** Names of the table's global secondary indexes. */
export const TABLE_INDEXES = { byDrafter: 'gsi1', catalog: 'gsi2' } as const;

/** Properties of the {@link DataStack}. */
export interface DataStackProps extends StackProps {
  /** Default Object Lock retention (GOVERNANCE mode) of every object in the published archive, in days. */
  readonly publishedRetentionDays: number;
  /** Days after which drafts in the uploads bucket expire. @default 7 */
  readonly uploadsExpirationDays?: number;
  /** Origins allowed to PUT to the uploads bucket with a presigned URL (the upload page). */
  readonly uploadAllowedOrigins: string[];
}

/**
 * The references the pipeline stack uses, each an explicit, named CloudFormation export so that the
 * names in IAM policies (and in their cdk-nag acknowledgements) are stable and readable.
 */
export interface DataReferences {
  readonly keyArn: string;
  readonly tableName: string;
  readonly tableArn: string;
  readonly uploadsBucketName: string;
  readonly uploadsBucketArn: string;
  readonly workBucketName: string;
  readonly workBucketArn: string;
  readonly publishedBucketName: string;
  readonly publishedBucketArn: string;
}

/** The KMS key, buckets and table of gongkai. */
export class DataStack extends Stack {
  readonly key: kms.Key;
  readonly table: dynamodb.Table;
  readonly accessLogsBucket: s3.Bucket;
  readonly uploadsBucket: s3.Bucket;
  readonly workBucket: s3.Bucket;
  readonly publishedBucket: s3.Bucket;
  /** Values exported for the pipeline stack (import tokens, usable only in another stack). */
  readonly references: DataReferences;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);

    this.key = new kms.Key(this, 'DataKey', {
      description: 'gongkai: encrypts the submission table and the uploads, work and published buckets',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // Server access logs cannot be delivered to an SSE-KMS bucket, so this one uses SSE-S3.
    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogsBucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(365) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const secure = (prefix: string): Partial<s3.BucketProps> => ({
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: `${prefix}/`,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.uploadsBucket = new s3.Bucket(this, 'UploadsBucket', {
      ...secure('uploads'),
      lifecycleRules: [
        {
          id: 'expire-drafts',
          expiration: Duration.days(props.uploadsExpirationDays ?? 7),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      cors: [
        {
          allowedMethods: [s3.HttpMethods.PUT],
          allowedOrigins: props.uploadAllowedOrigins,
          allowedHeaders: ['content-type', 'content-length', 'x-amz-*'],
          exposedHeaders: ['etag'],
          maxAge: 3000,
        },
      ],
    });

    this.workBucket = new s3.Bucket(this, 'WorkBucket', {
      ...secure('work'),
      lifecycleRules: [
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
    });

    // The archive the portals read: immutable bundles. Object Lock needs versioning; GOVERNANCE mode lets
    // a privileged operator correct a mistake, which COMPLIANCE would forbid for the whole retention.
    this.publishedBucket = new s3.Bucket(this, 'PublishedBucket', {
      ...secure('published'),
      versioned: true,
      objectLockEnabled: true,
      objectLockDefaultRetention: s3.ObjectLockRetention.governance(
        Duration.days(props.publishedRetentionDays),
      ),
      lifecycleRules: [
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
    });

    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      timeToLiveAttribute: 'ttl',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: TABLE_INDEXES.byDrafter,
      partitionKey: { name: 'gsi1pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'gsi1sk', type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.ALL,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: TABLE_INDEXES.catalog,
      partitionKey: { name: 'gsi2pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'gsi2sk', type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.ALL,
    });

    const exported = (name: string, value: string) =>
      this.exportValue(value, { name: `${this.stackName}-${name}` });
    this.references = {
      keyArn: exported('DataKeyArn', this.key.keyArn),
      tableName: exported('TableName', this.table.tableName),
      tableArn: exported('TableArn', this.table.tableArn),
      uploadsBucketName: exported('UploadsBucketName', this.uploadsBucket.bucketName),
      uploadsBucketArn: exported('UploadsBucketArn', this.uploadsBucket.bucketArn),
      workBucketName: exported('WorkBucketName', this.workBucket.bucketName),
      workBucketArn: exported('WorkBucketArn', this.workBucket.bucketArn),
      publishedBucketName: exported('PublishedBucketName', this.publishedBucket.bucketName),
      publishedBucketArn: exported('PublishedBucketArn', this.publishedBucket.bucketArn),
    };
  }
}

import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { asArray, type CfnResourceJson, logicalIdOf, resourcesOfType, synthGongkai } from './support.js';

describe('Stack: DataStack', () => {
  let synth: ReturnType<typeof synthGongkai>;
  let buckets: Record<string, CfnResourceJson>;

  beforeAll(() => {
    synth = synthGongkai({ publishedRetentionDays: 1234 });
    buckets = resourcesOfType(synth.dataTemplate, 'AWS::S3::Bucket');
  });

  const bucket = (name: 'uploadsBucket' | 'workBucket' | 'publishedBucket' | 'accessLogsBucket') => {
    const resource = buckets[logicalIdOf(synth.data[name])];
    if (!resource) throw new Error(`bucket ${name} not in the template`);
    return resource.Properties ?? {};
  };

  it('creates exactly the uploads, work, published and access-log buckets', () => {
    expect(Object.keys(buckets)).toHaveLength(4);
  });

  it('blocks all public access on every bucket', () => {
    for (const resource of Object.values(buckets)) {
      expect(resource.Properties?.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
    }
  });

  it('denies every request without TLS on every bucket', () => {
    const policies = resourcesOfType(synth.dataTemplate, 'AWS::S3::BucketPolicy');
    for (const logicalId of Object.keys(buckets)) {
      const policy = Object.values(policies).find(
        (candidate) => (candidate.Properties?.Bucket as { Ref?: string } | undefined)?.Ref === logicalId,
      );
      expect(policy, `bucket policy of ${logicalId}`).toBeDefined();
      const document = policy?.Properties?.PolicyDocument as
        | { Statement: Array<Record<string, unknown>> }
        | undefined;
      const statements = document?.Statement ?? [];
      expect(statements).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Action: 's3:*',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      );
    }
  });

  it('encrypts uploads, work and published with the customer-managed key, and logs with SSE-S3', () => {
    const keyId = logicalIdOf(synth.data.key);
    for (const name of ['uploadsBucket', 'workBucket', 'publishedBucket'] as const) {
      expect(bucket(name).BucketEncryption).toEqual({
        ServerSideEncryptionConfiguration: [
          {
            BucketKeyEnabled: true,
            ServerSideEncryptionByDefault: {
              SSEAlgorithm: 'aws:kms',
              KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] },
            },
          },
        ],
      });
    }
    expect(bucket('accessLogsBucket').BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
    });
  });

  it('sends server access logs of the data buckets to the access-log bucket', () => {
    const logsId = logicalIdOf(synth.data.accessLogsBucket);
    for (const name of ['uploadsBucket', 'workBucket', 'publishedBucket'] as const) {
      expect(bucket(name).LoggingConfiguration).toMatchObject({ DestinationBucketName: { Ref: logsId } });
    }
  });

  it('versions the published archive and locks its objects in GOVERNANCE mode for the configured days', () => {
    const published = bucket('publishedBucket');
    expect(published.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(published.ObjectLockEnabled).toBe(true);
    expect(published.ObjectLockConfiguration).toEqual({
      ObjectLockEnabled: 'Enabled',
      Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 1234 } },
    });
  });

  it('expires drafts in the uploads bucket after 7 days and aborts incomplete multipart uploads', () => {
    const rules = (
      bucket('uploadsBucket').LifecycleConfiguration as { Rules: Array<Record<string, unknown>> }
    ).Rules;
    expect(rules).toContainEqual(
      expect.objectContaining({
        Status: 'Enabled',
        ExpirationInDays: 7,
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
      }),
    );
  });

  it('allows presigned PUTs from the configured origins only (CORS)', () => {
    const cors = bucket('uploadsBucket').CorsConfiguration as { CorsRules: Array<Record<string, unknown>> };
    expect(cors.CorsRules).toEqual([
      expect.objectContaining({ AllowedMethods: ['PUT'], AllowedOrigins: ['*'] }),
    ]);
    const custom = synthGongkai({ uploadAllowedOrigins: ['https://upload.example.gov.cn'] });
    custom.dataTemplate.hasResourceProperties('AWS::S3::Bucket', {
      CorsConfiguration: {
        CorsRules: [Match.objectLike({ AllowedOrigins: ['https://upload.example.gov.cn'] })],
      },
    });
  });

  it('rotates the data key', () => {
    synth.dataTemplate.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    expect(Object.keys(resourcesOfType(synth.dataTemplate, 'AWS::KMS::Key'))).toHaveLength(1);
  });

  it('has one on-demand, KMS-encrypted table with point-in-time recovery and the two indexes', () => {
    const tables = resourcesOfType(synth.dataTemplate, 'AWS::DynamoDB::Table');
    expect(Object.keys(tables)).toHaveLength(1);
    const table = Object.values(tables)[0]?.Properties ?? {};
    expect(table.BillingMode).toBe('PAY_PER_REQUEST');
    expect(table.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(table.SSESpecification).toEqual({
      SSEEnabled: true,
      SSEType: 'KMS',
      KMSMasterKeyId: { 'Fn::GetAtt': [logicalIdOf(synth.data.key), 'Arn'] },
    });
    expect(table.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    const indexes = asArray(table.GlobalSecondaryIndexes as Array<Record<string, unknown>>);
    expect(indexes.map((index) => [index.IndexName, index.KeySchema])).toEqual([
      [
        'gsi1',
        [
          { AttributeName: 'gsi1pk', KeyType: 'HASH' },
          { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
        ],
      ],
      [
        'gsi2',
        [
          { AttributeName: 'gsi2pk', KeyType: 'HASH' },
          { AttributeName: 'gsi2sk', KeyType: 'RANGE' },
        ],
      ],
    ]);
  });

  it('retains the key, buckets and table when the stack is deleted', () => {
    for (const type of ['AWS::KMS::Key', 'AWS::S3::Bucket', 'AWS::DynamoDB::Table']) {
      for (const resource of Object.values(resourcesOfType(synth.dataTemplate, type))) {
        expect(resource.DeletionPolicy, type).toBe('Retain');
      }
    }
  });

  it('exports its references under stable names for the pipeline stack', () => {
    const outputs = synth.dataTemplate.toJSON().Outputs as Record<string, { Export: { Name: string } }>;
    const names = Object.values(outputs).map((output) => output.Export.Name);
    expect(names).toEqual(
      expect.arrayContaining([
        'GongkaiData-DataKeyArn',
        'GongkaiData-TableArn',
        'GongkaiData-UploadsBucketArn',
        'GongkaiData-WorkBucketArn',
        'GongkaiData-PublishedBucketArn',
      ]),
    );
  });
});

import { DynamoCatalogStore } from '../shared/adapters/dynamo-catalog-store.js';
import { DynamoSubmissionStore } from '../shared/adapters/dynamo-submission-store.js';
import { S3ObjectStore } from '../shared/adapters/s3-object-store.js';
import { parseEnvironment, VerifyEnvironmentSchema } from '../shared/config/environment.js';
import { VerifyInputSchema } from '../shared/config/workflow.js';
import { documentClient, s3Client } from '../shared/lambda/clients.js';
import { logger } from '../shared/lambda/logger.js';
import { taskHandler } from '../shared/lambda/task-handler.js';
import { BundleQuarantinedError, verifyBundle } from '../shared/publication/index.js';

const env = parseEnvironment(VerifyEnvironmentSchema);

/**
 * Task Verify: re-reads the bundle, checks every hash and re-scans for personal data. A finding
 * quarantines the bundle and fails the execution (`BundleQuarantinedError`); a pass lists the bundle
 * in the catalog and regenerates the static feeds. RecordPublished then records PUBLISHED.
 */
export const handler = taskHandler(VerifyInputSchema, async (input) => {
  const table = { client: documentClient(), tableName: env.TABLE_NAME };
  try {
    const result = await verifyBundle(input, {
      submissions: new DynamoSubmissionStore(table),
      published: new S3ObjectStore({ client: s3Client(), bucket: env.PUBLISHED_BUCKET }),
      catalog: new DynamoCatalogStore(table),
      now: () => new Date(),
    });
    logger.info('bundle verified and listed', { bundleId: result.bundleId, sequence: result.sequence });
    return result;
  } catch (error) {
    if (error instanceof BundleQuarantinedError) {
      // Kinds and counts only: never a value or a position.
      logger.warn('bundle quarantined', { bundleId: error.bundleId, problems: error.problems });
    }
    throw error;
  }
});

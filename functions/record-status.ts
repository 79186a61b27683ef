import { DynamoApprovalStore } from '../shared/adapters/dynamo-approval-store.js';
import { DynamoAuditLog } from '../shared/adapters/dynamo-audit-log.js';
import { DynamoCatalogStore } from '../shared/adapters/dynamo-catalog-store.js';
import { DynamoSubmissionStore } from '../shared/adapters/dynamo-submission-store.js';
import { S3ObjectStore } from '../shared/adapters/s3-object-store.js';
import { parseEnvironment, RecordStatusEnvironmentSchema } from '../shared/config/environment.js';
import { RecordStatusInputSchema } from '../shared/config/workflow.js';
import { documentClient, s3Client } from '../shared/lambda/clients.js';
import { logger } from '../shared/lambda/logger.js';
import { taskHandler } from '../shared/lambda/task-handler.js';
import { type RecordStatusDependencies, recordStatus } from '../shared/submissions/index.js';

const environment = parseEnvironment(RecordStatusEnvironmentSchema);

const dependencies: RecordStatusDependencies = {
  submissions: new DynamoSubmissionStore({ client: documentClient(), tableName: environment.TABLE_NAME }),
  audit: new DynamoAuditLog({ client: documentClient(), tableName: environment.TABLE_NAME }),
  approvals: new DynamoApprovalStore({ client: documentClient(), tableName: environment.TABLE_NAME }),
  catalog: new DynamoCatalogStore({ client: documentClient(), tableName: environment.TABLE_NAME }),
  published: new S3ObjectStore({ client: s3Client(), bucket: environment.PUBLISHED_BUCKET }),
  now: () => new Date(),
};

/**
 * Task RecordStatus: the workflow's outcome as a status and an audit event (a FAILED revision whose
 * bundle was listed is unlisted first). Returns nothing it reads.
 */
export const handler = taskHandler(RecordStatusInputSchema, async (input) => {
  const result = await recordStatus(dependencies, input);
  logger.info('status recorded', {
    requested: input.status,
    reason: input.reason,
    status: result.status,
    changed: result.changed,
  });
  return {};
});

import { DynamoAuditLog } from '../shared/adapters/dynamo-audit-log.js';
import { DynamoSubmissionStore } from '../shared/adapters/dynamo-submission-store.js';
import { S3ObjectStore } from '../shared/adapters/s3-object-store.js';
import { parseEnvironment, ValidateEnvironmentSchema } from '../shared/config/environment.js';
import { ValidateInputSchema } from '../shared/config/workflow.js';
import { documentClient, s3Client } from '../shared/lambda/clients.js';
import { logger } from '../shared/lambda/logger.js';
import { taskHandler } from '../shared/lambda/task-handler.js';
import { type ValidateDependencies, validateSubmissionTask } from '../shared/submissions/index.js';

const environment = parseEnvironment(ValidateEnvironmentSchema);

const dependencies: ValidateDependencies = {
  submissions: new DynamoSubmissionStore({ client: documentClient(), tableName: environment.TABLE_NAME }),
  audit: new DynamoAuditLog({ client: documentClient(), tableName: environment.TABLE_NAME }),
  uploads: new S3ObjectStore({ client: s3Client(), bucket: environment.UPLOADS_BUCKET }),
  work: new S3ObjectStore({ client: s3Client(), bucket: environment.WORK_BUCKET }),
  now: () => new Date(),
};

/** Task Validate: intake of the uploads; returns 公开属性, release time and review steps. */
export const handler = taskHandler(ValidateInputSchema, async (input) => {
  const output = await validateSubmissionTask(dependencies, input);
  logger.info('submission validated', {
    attribute: output.attribute,
    reviewStepCount: output.reviewSteps.length,
  });
  return output;
});

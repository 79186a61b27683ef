import { DynamoAuditLog } from '../shared/adapters/dynamo-audit-log.js';
import { DynamoSubmissionStore } from '../shared/adapters/dynamo-submission-store.js';
import { S3ObjectStore } from '../shared/adapters/s3-object-store.js';
import { DeidentifyEnvironmentSchema, parseEnvironment } from '../shared/config/environment.js';
import { DeidentifyInputSchema } from '../shared/config/workflow.js';
import { deidentifyHtml, deidentifyText } from '../shared/deid/index.js';
import { documentClient, s3Client } from '../shared/lambda/clients.js';
import { logger } from '../shared/lambda/logger.js';
import { taskHandler } from '../shared/lambda/task-handler.js';
import { type DeidentifyDependencies, deidentifySubmission } from '../shared/submissions/index.js';

const environment = parseEnvironment(DeidentifyEnvironmentSchema);

const dependencies: DeidentifyDependencies = {
  submissions: new DynamoSubmissionStore({ client: documentClient(), tableName: environment.TABLE_NAME }),
  audit: new DynamoAuditLog({ client: documentClient(), tableName: environment.TABLE_NAME }),
  work: new S3ObjectStore({ client: s3Client(), bucket: environment.WORK_BUCKET }),
  engine: { deidentifyText, deidentifyHtml },
  now: () => new Date(),
};

/** Task De-identify: redacted text/HTML and the report to `work`; returns only the count. */
export const handler = taskHandler(DeidentifyInputSchema, async (input) => {
  const result = await deidentifySubmission(dependencies, input);
  logger.info('submission de-identified', { redactionCount: result.redactionCount });
  return result;
});

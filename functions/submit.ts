import { DynamoAuditLog } from '../shared/adapters/dynamo-audit-log.js';
import { DynamoSubmissionStore } from '../shared/adapters/dynamo-submission-store.js';
import { S3ObjectStore } from '../shared/adapters/s3-object-store.js';
import { SfnWorkflow } from '../shared/adapters/sfn-workflow.js';
import { parseEnvironment, SubmitEnvironmentSchema } from '../shared/config/environment.js';
import { documentClient, s3Client, sfnClient } from '../shared/lambda/clients.js';
import { callerOf, httpHandler, json, jsonBody } from '../shared/lambda/http-handler.js';
import { logger } from '../shared/lambda/logger.js';
import { type SubmitDependencies, submitSubmission } from '../shared/submissions/index.js';

const environment = parseEnvironment(SubmitEnvironmentSchema);

const dependencies: SubmitDependencies = {
  submissions: new DynamoSubmissionStore({ client: documentClient(), tableName: environment.TABLE_NAME }),
  audit: new DynamoAuditLog({ client: documentClient(), tableName: environment.TABLE_NAME }),
  uploads: new S3ObjectStore({ client: s3Client(), bucket: environment.UPLOADS_BUCKET }),
  workflow: new SfnWorkflow({ client: sfnClient(), stateMachineArn: environment.STATE_MACHINE_ARN }),
  now: () => new Date(),
};

/** `POST /submissions/{id}/submit`: 202 once the revision is submitted and its review runs. */
export const handler = httpHandler(async (event) => {
  const result = await submitSubmission(dependencies, {
    caller: callerOf(event),
    submissionId: event.pathParameters?.id ?? '',
    body: jsonBody(event),
  });
  logger.info('submission submitted', {
    submissionId: result.submissionId,
    revision: result.revision,
    status: result.status,
    started: result.started,
  });
  return json(202, result);
});

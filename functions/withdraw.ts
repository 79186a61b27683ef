import { DynamoApprovalStore } from '../shared/adapters/dynamo-approval-store.js';
import { DynamoAuditLog } from '../shared/adapters/dynamo-audit-log.js';
import { DynamoCatalogStore } from '../shared/adapters/dynamo-catalog-store.js';
import { DynamoSubmissionStore } from '../shared/adapters/dynamo-submission-store.js';
import { S3ObjectStore } from '../shared/adapters/s3-object-store.js';
import { SfnWorkflow } from '../shared/adapters/sfn-workflow.js';
import { parseEnvironment, WithdrawEnvironmentSchema } from '../shared/config/environment.js';
import { documentClient, s3Client, sfnClient } from '../shared/lambda/clients.js';
import { callerOf, httpHandler, json, jsonBody } from '../shared/lambda/http-handler.js';
import { logger } from '../shared/lambda/logger.js';
import { type WithdrawDependencies, withdrawSubmission } from '../shared/submissions/index.js';

const environment = parseEnvironment(WithdrawEnvironmentSchema);

const dependencies: WithdrawDependencies = {
  submissions: new DynamoSubmissionStore({ client: documentClient(), tableName: environment.TABLE_NAME }),
  audit: new DynamoAuditLog({ client: documentClient(), tableName: environment.TABLE_NAME }),
  approvals: new DynamoApprovalStore({ client: documentClient(), tableName: environment.TABLE_NAME }),
  catalog: new DynamoCatalogStore({ client: documentClient(), tableName: environment.TABLE_NAME }),
  workflow: new SfnWorkflow({ client: sfnClient(), stateMachineArn: environment.STATE_MACHINE_ARN }),
  published: new S3ObjectStore({ client: s3Client(), bucket: environment.PUBLISHED_BUCKET }),
  now: () => new Date(),
};

/** `POST /submissions/{id}/withdraw`: 200 with the new status (and catalog sequence, once published). */
export const handler = httpHandler(async (event) => {
  const result = await withdrawSubmission(dependencies, {
    caller: callerOf(event),
    submissionId: event.pathParameters?.id ?? '',
    body: jsonBody(event),
  });
  logger.info('submission withdrawn', {
    submissionId: result.submissionId,
    revision: result.revision,
    status: result.status,
  });
  return json(200, result);
});

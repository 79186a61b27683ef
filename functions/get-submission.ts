import { DynamoApprovalStore } from '../shared/adapters/dynamo-approval-store.js';
import { DynamoAuditLog } from '../shared/adapters/dynamo-audit-log.js';
import { DynamoSubmissionStore } from '../shared/adapters/dynamo-submission-store.js';
import { S3ObjectStore } from '../shared/adapters/s3-object-store.js';
import { GetSubmissionEnvironmentSchema, parseEnvironment } from '../shared/config/environment.js';
import { documentClient, s3Client } from '../shared/lambda/clients.js';
import { callerOf, httpHandler, json } from '../shared/lambda/http-handler.js';
import { logger } from '../shared/lambda/logger.js';
import {
  type GetSubmissionDependencies,
  getSubmissionView,
  listOwnSubmissions,
} from '../shared/submissions/index.js';

const environment = parseEnvironment(GetSubmissionEnvironmentSchema);

const dependencies: GetSubmissionDependencies = {
  submissions: new DynamoSubmissionStore({ client: documentClient(), tableName: environment.TABLE_NAME }),
  audit: new DynamoAuditLog({ client: documentClient(), tableName: environment.TABLE_NAME }),
  approvals: new DynamoApprovalStore({ client: documentClient(), tableName: environment.TABLE_NAME }),
  work: new S3ObjectStore({ client: s3Client(), bucket: environment.WORK_BUCKET }),
  now: () => new Date(),
};

/** `GET /submissions/{id}`: the drafter's view of one submission; `GET /submissions`: their list. */
export const handler = httpHandler(async (event) => {
  const caller = callerOf(event);
  const submissionId = event.pathParameters?.id;
  if (submissionId === undefined) {
    const limit = Number(event.queryStringParameters?.limit);
    const cursor = event.queryStringParameters?.cursor;
    const page = await listOwnSubmissions(dependencies, {
      caller,
      ...(Number.isInteger(limit) && limit > 0 ? { limit } : {}),
      ...(cursor === undefined || cursor === '' ? {} : { cursor }),
    });
    logger.info('submissions listed', { count: page.items.length });
    return json(200, page);
  }
  const view = await getSubmissionView(dependencies, { caller, submissionId });
  logger.info('submission read', {
    submissionId: view.submissionId,
    revision: view.revision,
    status: view.status,
  });
  return json(200, view);
});

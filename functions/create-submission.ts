import { DynamoAuditLog } from '../shared/adapters/dynamo-audit-log.js';
import { DynamoSubmissionStore } from '../shared/adapters/dynamo-submission-store.js';
import { S3ObjectStore } from '../shared/adapters/s3-object-store.js';
import { CreateSubmissionEnvironmentSchema, parseEnvironment } from '../shared/config/environment.js';
import { documentClient, s3Client } from '../shared/lambda/clients.js';
import { callerOf, httpHandler, json, jsonBody } from '../shared/lambda/http-handler.js';
import { logger } from '../shared/lambda/logger.js';
import {
  type CreateSubmissionDependencies,
  createRevision,
  createSubmission,
} from '../shared/submissions/index.js';

const environment = parseEnvironment(CreateSubmissionEnvironmentSchema);

const dependencies: CreateSubmissionDependencies = {
  submissions: new DynamoSubmissionStore({ client: documentClient(), tableName: environment.TABLE_NAME }),
  audit: new DynamoAuditLog({ client: documentClient(), tableName: environment.TABLE_NAME }),
  uploads: new S3ObjectStore({ client: s3Client(), bucket: environment.UPLOADS_BUCKET }),
  now: () => new Date(),
  uploadUrlTtlSeconds: environment.UPLOAD_URL_TTL_SECONDS,
};

/**
 * `POST /submissions` (a new submission) and `POST /submissions/{id}/revisions` (the next revision
 * after RETURNED/FAILED): 201 with the presigned upload URLs.
 */
export const handler = httpHandler(async (event) => {
  const caller = callerOf(event);
  const submissionId = event.pathParameters?.id;
  const body = jsonBody(event);
  const created =
    submissionId === undefined
      ? await createSubmission(dependencies, { caller, body })
      : await createRevision(dependencies, { caller, submissionId, body });
  logger.info('submission created', {
    submissionId: created.submissionId,
    revision: created.revision,
    documentCount: created.uploads.length,
  });
  return json(201, created);
});

import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { DynamoApprovalStore } from '../shared/adapters/dynamo-approval-store.js';
import { DynamoAuditLog } from '../shared/adapters/dynamo-audit-log.js';
import { DynamoSubmissionStore } from '../shared/adapters/dynamo-submission-store.js';
import { S3ObjectStore } from '../shared/adapters/s3-object-store.js';
import { SfnWorkflow } from '../shared/adapters/sfn-workflow.js';
import { ApprovalPageEnvironmentSchema, parseEnvironment } from '../shared/config/environment.js';
import { documentClient, s3Client, sfnClient } from '../shared/lambda/clients.js';
import { httpHandler } from '../shared/lambda/http-handler.js';
import { logger } from '../shared/lambda/logger.js';
import { serveApproval } from '../shared/review/index.js';

const environment = parseEnvironment(ApprovalPageEnvironmentSchema);

/** Header names lower-cased (API Gateway v2 already does; the local server may not). */
function lowerCaseHeaders(headers: APIGatewayProxyEventV2['headers'] | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {}))
    if (value !== undefined) result[name.toLowerCase()] = value;
  return result;
}

/**
 * `GET|HEAD|POST /approvals/{token}`: the approver's page and decision. The path segment is the link
 * secret: it is never logged, and the access log records only the route template.
 */
export const handler = httpHandler(async (event) => {
  const client = documentClient();
  const tableName = environment.TABLE_NAME;
  const headers = lowerCaseHeaders(event.headers);
  const body =
    event.body === undefined
      ? undefined
      : event.isBase64Encoded
        ? Buffer.from(event.body, 'base64').toString('utf8')
        : event.body;
  return serveApproval(
    {
      method: event.requestContext.http.method,
      secret: event.pathParameters?.token ?? '',
      headers,
      query: event.queryStringParameters ?? {},
      ...(body === undefined ? {} : { body }),
      ownHosts: [headers.host, headers['x-forwarded-host'], event.requestContext.domainName],
    },
    {
      approvals: new DynamoApprovalStore({ client, tableName }),
      submissions: new DynamoSubmissionStore({ client, tableName }),
      work: new S3ObjectStore({ client: s3Client(), bucket: environment.WORK_BUCKET }),
      // Answering a task needs only its token: no state machine ARN.
      workflow: new SfnWorkflow({ client: sfnClient(), stateMachineArn: '' }),
      audit: new DynamoAuditLog({ client, tableName }),
      logger,
    },
  );
});

import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { DynamoApprovalStore } from '../shared/adapters/dynamo-approval-store.js';
import { DynamoAuditLog } from '../shared/adapters/dynamo-audit-log.js';
import { DynamoCatalogStore } from '../shared/adapters/dynamo-catalog-store.js';
import { DynamoSubmissionStore } from '../shared/adapters/dynamo-submission-store.js';
import { S3ObjectStore } from '../shared/adapters/s3-object-store.js';
import { SfnWorkflow } from '../shared/adapters/sfn-workflow.js';
import { parseEnvironment, WebEnvironmentSchema } from '../shared/config/environment.js';
import { documentClient, s3Client, sfnClient } from '../shared/lambda/clients.js';
import { type HttpResult, httpHandler } from '../shared/lambda/http-handler.js';
import { logger } from '../shared/lambda/logger.js';
import { createSessionVerifier, fetchJwks, serveWeb, type WebDependencies } from '../shared/web/index.js';

const environment = parseEnvironment(WebEnvironmentSchema);

/** Made once per container: the JWKS is fetched on the first page request and cached. */
const sessions = createSessionVerifier({
  loadJwks: fetchJwks(environment.JWKS_URL),
  issuer: environment.JWT_ISSUER,
  audience: environment.JWT_AUDIENCE,
});

function dependencies(): WebDependencies {
  const client = documentClient();
  const tableName = environment.TABLE_NAME;
  return {
    sessions,
    signInUrl: environment.SIGN_IN_URL,
    submissions: new DynamoSubmissionStore({ client, tableName }),
    audit: new DynamoAuditLog({ client, tableName }),
    approvals: new DynamoApprovalStore({ client, tableName }),
    catalog: new DynamoCatalogStore({ client, tableName }),
    uploads: new S3ObjectStore({ client: s3Client(), bucket: environment.UPLOADS_BUCKET }),
    work: new S3ObjectStore({ client: s3Client(), bucket: environment.WORK_BUCKET }),
    published: new S3ObjectStore({ client: s3Client(), bucket: environment.PUBLISHED_BUCKET }),
    workflow: new SfnWorkflow({ client: sfnClient(), stateMachineArn: environment.STATE_MACHINE_ARN }),
    now: () => new Date(),
    logger,
  };
}

/** Header names lower-cased (API Gateway v2 already does; the local server may not). */
function lowerCaseHeaders(headers: APIGatewayProxyEventV2['headers'] | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {}))
    if (value !== undefined) result[name.toLowerCase()] = value;
  return result;
}

/**
 * `GET /app…`, `POST /app/submissions…` (the drafter's pages, signed in by the `gk_session` cookie)
 * and `GET /portal/view…` (the portal preview).
 */
export const handler = httpHandler(async (event): Promise<HttpResult> => {
  const headers = lowerCaseHeaders(event.headers);
  const body =
    event.body === undefined || event.body === ''
      ? undefined
      : new Uint8Array(Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8'));
  return serveWeb(
    {
      method: event.requestContext.http.method,
      path: event.rawPath,
      query: event.queryStringParameters ?? {},
      headers,
      ...(event.cookies === undefined ? {} : { cookies: event.cookies }),
      ...(body === undefined ? {} : { body }),
      ownHosts: [headers.host, headers['x-forwarded-host'], event.requestContext.domainName],
    },
    dependencies(),
  );
});

import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { DynamoCatalogStore } from '../shared/adapters/dynamo-catalog-store.js';
import { S3ObjectStore } from '../shared/adapters/s3-object-store.js';
import { PortalApiEnvironmentSchema, parseEnvironment } from '../shared/config/environment.js';
import { documentClient, s3Client } from '../shared/lambda/clients.js';
import { type HttpResult, httpHandler } from '../shared/lambda/http-handler.js';
import {
  bundleFile,
  bundleManifest,
  catalogPage,
  changesPage,
  type PortalDependencies,
  PortalNotFoundError,
  type PortalRequest,
  type PortalResponse,
} from '../shared/portal/index.js';

const env = parseEnvironment(PortalApiEnvironmentSchema);

function dependencies(): PortalDependencies {
  return {
    catalog: new DynamoCatalogStore({ client: documentClient(), tableName: env.TABLE_NAME }),
    published: new S3ObjectStore({ client: s3Client(), bucket: env.PUBLISHED_BUCKET }),
    defaultPageSize: env.PORTAL_PAGE_SIZE,
  };
}

/** Text media types go out as UTF-8 text; anything else base64-encoded, as API Gateway expects. */
function toHttp(response: PortalResponse): HttpResult {
  if (response.body === undefined)
    return { statusCode: response.statusCode, headers: response.headers, body: '' };
  const type = response.headers['content-type'] ?? '';
  const text = type.startsWith('text/') || type.startsWith('application/json');
  return {
    statusCode: response.statusCode,
    headers: response.headers,
    body: Buffer.from(response.body).toString(text ? 'utf8' : 'base64'),
    isBase64Encoded: !text,
  };
}

function safeDecode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

const FILE_PATH = /^\/portal\/bundles\/([^/]+)\/files\/([^/]+)$/;
const MANIFEST_PATH = /^\/portal\/bundles\/([^/]+)\/manifest$/;

/** GET /portal/...: the public, read-only catalog, change feed, manifests and files. */
export const handler = httpHandler(async (event: APIGatewayProxyEventV2) => {
  if (event.requestContext.http.method !== 'GET') throw new PortalNotFoundError('route');
  const deps = dependencies();
  const request: PortalRequest = {
    query: event.queryStringParameters ?? {},
    ...(event.headers?.['if-none-match'] === undefined
      ? {}
      : { ifNoneMatch: event.headers['if-none-match'] }),
  };
  const path = event.rawPath;
  const params = event.pathParameters ?? {};
  if (path === '/portal/catalog') return toHttp(await catalogPage(request, deps));
  if (path === '/portal/changes') return toHttp(await changesPage(request, deps));
  const manifest = MANIFEST_PATH.exec(path);
  if (manifest !== null)
    return toHttp(await bundleManifest(params.bundleId ?? manifest[1] ?? '', request, deps));
  const file = FILE_PATH.exec(path);
  if (file !== null) {
    const name = params.name ?? safeDecode(file[2] ?? '');
    return toHttp(await bundleFile(params.bundleId ?? file[1] ?? '', name, request, deps));
  }
  throw new PortalNotFoundError('route');
});

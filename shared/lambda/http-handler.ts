import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { GongkaiError } from '../errors.js';
import { publicError } from './errors.js';
import { logger } from './logger.js';

/** The API's answer; JSON bodies are serialized by {@link json}. */
export type HttpResult = APIGatewayProxyResultV2 & { statusCode: number };

/** A JSON answer with the API's standard headers. */
export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResult {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
    body: JSON.stringify(body),
  };
}

/** The request body as JSON; a body that is not JSON is the caller's mistake, said in their terms. */
export function jsonBody(event: APIGatewayProxyEventV2): unknown {
  if (event.body === undefined || event.body === '') return {};
  const raw = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  try {
    return JSON.parse(raw);
  } catch (error) {
    throw new InvalidJsonError({ cause: error });
  }
}

/** The request body is not JSON. */
export class InvalidJsonError extends GongkaiError {
  constructor(options?: { cause?: unknown }) {
    super('请求内容不是有效的 JSON，请检查后重试。', options);
  }
}

/** The drafter, as the API Gateway JWT authorizer (or the local server, in the same place) hands them over. */
export interface Caller {
  id: string;
  name: string;
  email: string;
}

/** A drafter route was called without the claims the authorizer should have set. */
export class UnauthenticatedError extends GongkaiError {
  override readonly httpStatus: number = 401;
  constructor() {
    super('请先登录后再操作。');
  }
}

/** The caller is signed in but this is not theirs. */
export class ForbiddenError extends GongkaiError {
  override readonly httpStatus: number = 403;
  constructor() {
    super('无权查看或操作该提交：只有起草人本人可以操作。');
  }
}

/** The signed-in drafter from the JWT claims (`sub`, `name`, `email`). */
export function callerOf(event: APIGatewayProxyEventV2): Caller {
  const claims = (event.requestContext as { authorizer?: { jwt?: { claims?: Record<string, unknown> } } })
    .authorizer?.jwt?.claims;
  const id = claims?.sub;
  const email = claims?.email;
  if (typeof id !== 'string' || id === '' || typeof email !== 'string') throw new UnauthenticatedError();
  const name = typeof claims?.name === 'string' && claims.name !== '' ? claims.name : email;
  return { id, name, email };
}

/**
 * Wraps an HTTP route: logs with the request id, turns our named errors into their HTTP status
 * with `{ error, message }` (the one table: each error class carries its status), and never lets
 * an unknown error's message out.
 */
export function httpHandler(run: (event: APIGatewayProxyEventV2, context: Context) => Promise<HttpResult>) {
  return middy<APIGatewayProxyEventV2, HttpResult>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(async (event, context) => {
      try {
        return await run(event, context);
      } catch (error) {
        const outgoing = publicError(error);
        if (outgoing.httpStatus >= 500) logger.error('request failed', { errorName: outgoing.name });
        else logger.info('request refused', { errorName: outgoing.name, status: outgoing.httpStatus });
        const details = error instanceof GongkaiError ? detailsOf(error) : undefined;
        return json(outgoing.httpStatus, {
          error: outgoing.name,
          message: outgoing.message,
          ...(details === undefined ? {} : { details }),
        });
      }
    });
}

/** Field-level problems an error carries (e.g. the rule violations of a submission), for the form. */
function detailsOf(error: GongkaiError): unknown {
  const violations = (error as { violations?: unknown }).violations;
  return Array.isArray(violations) ? violations : undefined;
}

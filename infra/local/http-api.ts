import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { type JwtClaims, type JwtIssuer, JwtVerificationError, verifyJwt } from '../../shared/auth/jwt.js';
import type { FunctionName } from '../../shared/config/environment.js';
import { escapeHtml } from '../../shared/http/html.js';
import { ROUTES, type RouteDefinition, routeKey } from '../routes.js';
import { lambdaContext } from './handlers.js';
import { readOutbox } from './outbox.js';

/**
 * The HTTP API on 127.0.0.1: every route of `infra/routes.ts`, served by invoking its handler with
 * the API Gateway HTTP API (payload v2) event it would get in AWS, behind the same JWT check the
 * API Gateway JWT authorizer makes. Plus local-only pages: sign-in (issues drafters' JWTs), the
 * JWKS, and the outbox.
 */

/** API Gateway's payload limit. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** Content types API Gateway passes as text; everything else arrives base64-encoded. */
const TEXT_TYPES =
  /^(text\/|application\/(json|[\w.+-]*\+json|xml|[\w.+-]*\+xml|javascript|x-www-form-urlencoded))/i;

/** Sample drafters offered on the sign-in page. */
export const SAMPLE_DRAFTERS = [
  { id: 'drafter-001', name: '李文', email: 'liwen@example.gov.cn' },
  { id: 'drafter-002', name: '周敏', email: 'zhoumin@example.gov.cn' },
] as const;

/** Invokes a handler by name with an event; what the Lambda service does for API Gateway. */
export type HttpInvoker = (
  functionName: FunctionName,
  event: unknown,
  context: ReturnType<typeof lambdaContext>,
) => Promise<unknown>;

interface CompiledRoute {
  route: RouteDefinition;
  pattern: RegExp;
  parameters: string[];
}

function compile(route: RouteDefinition): CompiledRoute {
  const parameters: string[] = [];
  const source = route.path
    .split('/')
    .map((segment) => {
      const match = /^\{([A-Za-z0-9_]+)(\+?)\}$/.exec(segment);
      if (match === null) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      parameters.push(match[1]!);
      return match[2] === '+' ? '(.+)' : '([^/]+)';
    })
    .join('/');
  return { route, pattern: new RegExp(`^${source}$`), parameters };
}

/** Claims as API Gateway hands them to a handler: every value a string. */
function stringifyClaims(claims: JwtClaims): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(claims)) {
    if (typeof value === 'string') out[key] = value;
    else if (Array.isArray(value)) out[key] = `[${value.map(String).join(' ')}]`;
    else if (typeof value === 'object' && value !== null) out[key] = JSON.stringify(value);
    else out[key] = String(value);
  }
  return out;
}

function securityHeaders(extra: Record<string, string> = {}): Record<string, string> {
  return {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'content-security-policy':
      "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    ...extra,
  };
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title><style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem;line-height:1.6}code,textarea{word-break:break-all}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ccc;padding:.3rem;text-align:left;vertical-align:top}label{display:block;margin:.4rem 0}input,button{font-size:1rem;padding:.3rem}</style></head><body>${body}</body></html>`;
}

async function readBody(request: IncomingMessage): Promise<Buffer | 'too-large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return 'too-large';
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function send(
  response: ServerResponse,
  status: number,
  headers: Record<string, string | string[]>,
  body: string | Buffer,
  head = false,
) {
  response.writeHead(status, headers);
  response.end(head ? undefined : body);
}

function sendJson(response: ServerResponse, status: number, body: unknown, head = false) {
  send(response, status, { 'content-type': 'application/json' }, JSON.stringify(body), head);
}

/** Settings of the API server. */
export interface HttpApiOptions {
  port: number;
  issuer: () => JwtIssuer;
  invoke: HttpInvoker;
  outboxDirectory: string;
  /** Extra lines for the local index page (e.g. the S3 endpoint). */
  describe?: () => Record<string, string>;
}

/** A running API server. */
export interface HttpApi {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Starts the API server on 127.0.0.1. */
export async function startHttpApi(options: HttpApiOptions): Promise<HttpApi> {
  const routes = ROUTES.map(compile);
  let origin = '';

  const authorize = (
    request: IncomingMessage,
  ): { claims: Record<string, string>; scopes: string[] | null } | undefined => {
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (match === null) return undefined;
    const issuer = options.issuer();
    try {
      const claims = verifyJwt(match[1]!, {
        jwks: issuer.jwks(),
        issuer: issuer.issuer,
        audience: issuer.audience,
      });
      const scope =
        typeof claims.scope === 'string' ? claims.scope : typeof claims.scp === 'string' ? claims.scp : '';
      return { claims: stringifyClaims(claims), scopes: scope === '' ? null : scope.split(' ') };
    } catch (error) {
      if (error instanceof JwtVerificationError) return undefined;
      throw error;
    }
  };

  const serveRoute = async (
    request: IncomingMessage,
    response: ServerResponse,
    url: URL,
    compiled: CompiledRoute,
    match: RegExpExecArray,
  ) => {
    const { route } = compiled;
    const head = request.method === 'HEAD';
    let authorizer: { jwt: { claims: Record<string, string>; scopes: string[] | null } } | undefined;
    if (route.auth === 'jwt') {
      const verified = authorize(request);
      if (verified === undefined) return sendJson(response, 401, { message: 'Unauthorized' }, head);
      authorizer = { jwt: verified };
    }
    const raw = await readBody(request);
    if (raw === 'too-large') return sendJson(response, 413, { message: 'Request Entity Too Large' });

    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (value === undefined || name === 'cookie') continue;
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
    }
    const cookies = (request.headers.cookie ?? '')
      .split(';')
      .map((cookie) => cookie.trim())
      .filter((cookie) => cookie !== '');
    const query: Record<string, string> = {};
    for (const [name, value] of url.searchParams)
      query[name] = name in query ? `${query[name]},${value}` : value;
    const pathParameters: Record<string, string> = {};
    compiled.parameters.forEach((name, index) => {
      pathParameters[name] = decodeURIComponent(match[index + 1] ?? '');
    });
    const contentType = headers['content-type'] ?? '';
    const isBase64Encoded = raw.length > 0 && !TEXT_TYPES.test(contentType);
    const now = new Date();
    const key = routeKey(route);
    const event = {
      version: '2.0',
      routeKey: key,
      rawPath: url.pathname,
      rawQueryString: url.search.replace(/^\?/, ''),
      ...(cookies.length === 0 ? {} : { cookies }),
      headers,
      ...(Object.keys(query).length === 0 ? {} : { queryStringParameters: query }),
      ...(compiled.parameters.length === 0 ? {} : { pathParameters }),
      requestContext: {
        accountId: '000000000000',
        apiId: 'local',
        ...(authorizer === undefined ? {} : { authorizer }),
        domainName: url.host,
        domainPrefix: url.hostname.split('.')[0] ?? url.hostname,
        http: {
          method: request.method ?? 'GET',
          path: url.pathname,
          protocol: `HTTP/${request.httpVersion}`,
          sourceIp: request.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
          userAgent: headers['user-agent'] ?? '',
        },
        requestId: randomUUID(),
        routeKey: key,
        stage: '$default',
        time: now.toUTCString(),
        timeEpoch: now.getTime(),
      },
      ...(raw.length === 0 ? {} : { body: isBase64Encoded ? raw.toString('base64') : raw.toString('utf8') }),
      isBase64Encoded,
    } as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;

    let result: unknown;
    try {
      result = await options.invoke(route.function, event, lambdaContext(route.function));
    } catch (error) {
      process.stderr.write(
        `local api: ${key} → ${route.function} threw ${error instanceof Error ? error.name : 'an error'}: ${error instanceof Error ? error.message : ''}\n`,
      );
      return sendJson(response, 500, { message: 'Internal Server Error' }, head);
    }
    // Payload v2: a result without statusCode is a 200 JSON body (API Gateway's own inference).
    if (typeof result !== 'object' || result === null || !('statusCode' in result)) {
      const body = typeof result === 'string' ? result : JSON.stringify(result ?? null);
      return send(response, 200, { 'content-type': 'application/json' }, body, head);
    }
    const v2 = result as {
      statusCode: number;
      headers?: Record<string, unknown>;
      cookies?: string[];
      body?: string;
      isBase64Encoded?: boolean;
    };
    const outgoing: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(v2.headers ?? {}))
      outgoing[name.toLowerCase()] = String(value);
    if (Array.isArray(v2.cookies) && v2.cookies.length > 0) outgoing['set-cookie'] = v2.cookies;
    const body = v2.body === undefined ? '' : v2.isBase64Encoded ? Buffer.from(v2.body, 'base64') : v2.body;
    outgoing['content-type'] ??= 'application/json';
    send(response, v2.statusCode, outgoing, body, head);
  };

  /** A same-origin path to go back to after sign-in (never another site). */
  const safeNext = (value: string | null | undefined): string | undefined =>
    value !== null && value !== undefined && /^\/(?![/\\])[^\s]*$/.test(value) ? value : undefined;

  const signInPage = (message = '', next?: string) =>
    page(
      '本地登录',
      `<h1>本地登录（起草人）</h1><p>本页仅在本地模式提供：签发起草人的 JWT，与 API Gateway 的 JWT 授权方式相同。</p>${message}
<form method="post" action="/local/sign-in"><fieldset><legend>选择起草人</legend>${SAMPLE_DRAFTERS.map(
        (drafter, index) =>
          `<label><input type="radio" name="drafter" value="${escapeHtml(drafter.id)}"${index === 0 ? ' checked' : ''}> ${escapeHtml(drafter.name)} &lt;${escapeHtml(drafter.email)}&gt;</label>`,
      ).join('')}<label><input type="radio" name="drafter" value="custom"> 其他：</label>
<label>姓名 <input name="name" autocomplete="name"></label><label>邮箱 <input name="email" type="email" autocomplete="email"></label></fieldset>
${next === undefined ? '' : `<input type="hidden" name="next" value="${escapeHtml(next)}">`}<p><button type="submit">登录</button></p></form>`,
    );

  const signIn = async (request: IncomingMessage, response: ServerResponse) => {
    const requestOrigin = request.headers.origin;
    if (typeof requestOrigin === 'string' && requestOrigin !== origin && requestOrigin !== 'null') {
      return send(response, 403, securityHeaders(), page('拒绝', '<p>跨站登录请求已拒绝。</p>'));
    }
    const raw = await readBody(request);
    if (raw === 'too-large') return sendJson(response, 413, { message: 'Request Entity Too Large' });
    const contentType = request.headers['content-type'] ?? '';
    const fields: Record<string, string> = {};
    if (/json/i.test(contentType)) {
      const parsed = JSON.parse(raw.toString('utf8') || '{}') as Record<string, unknown>;
      for (const [key, value] of Object.entries(parsed)) if (typeof value === 'string') fields[key] = value;
    } else {
      for (const [key, value] of new URLSearchParams(raw.toString('utf8'))) fields[key] = value;
    }
    const sample = SAMPLE_DRAFTERS.find((drafter) => drafter.id === fields.drafter);
    const name = (sample?.name ?? fields.name ?? '').trim();
    const email = (sample?.email ?? fields.email ?? '').trim().toLowerCase();
    const wantsJson = /json/i.test(String(request.headers.accept ?? '')) || /json/i.test(contentType);
    if (name === '' || name.length > 64 || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) {
      const problem = '请填写姓名和有效的邮箱，或选择一位起草人。';
      if (wantsJson) return sendJson(response, 400, { message: problem });
      return send(response, 400, securityHeaders(), signInPage(`<p role="alert">${escapeHtml(problem)}</p>`));
    }
    const id = sample?.id ?? `drafter-${createHash('sha256').update(email).digest('hex').slice(0, 12)}`;
    const { token, expiresAt } = options.issuer().issue({ sub: id, name, email });
    const cookie = `gk_session=${token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${Math.max(0, Math.floor((expiresAt.getTime() - Date.now()) / 1000))}`;
    const next = safeNext(fields.next);
    if (!wantsJson && next !== undefined) {
      return send(response, 303, { location: next, 'cache-control': 'no-store', 'set-cookie': cookie }, '');
    }
    if (wantsJson) {
      return send(
        response,
        200,
        { 'content-type': 'application/json', 'cache-control': 'no-store', 'set-cookie': cookie },
        JSON.stringify({ token, expiresAt: expiresAt.toISOString(), drafter: { id, name, email } }),
      );
    }
    send(
      response,
      200,
      securityHeaders({ 'set-cookie': cookie }),
      page(
        '已登录',
        `<h1>已登录：${escapeHtml(name)}</h1><p>有效期至 ${escapeHtml(expiresAt.toISOString())}。浏览器已保存会话 Cookie（gk_session）。调用 API 时使用：</p>
<p><code>Authorization: Bearer ${escapeHtml(token)}</code></p><p><a href="/local">返回本地首页</a></p>`,
      ),
    );
  };

  const outboxPage = async (response: ServerResponse) => {
    const messages = (await readOutbox(options.outboxDirectory)).reverse();
    const rows = messages
      .map(
        (message) =>
          `<tr><td>${escapeHtml(message.date)}</td><td>${escapeHtml(message.to)}</td><td>${escapeHtml(message.subject)}<br>${message.links
            .map((link) => `<a href="${escapeHtml(link)}">${escapeHtml(link)}</a>`)
            .join('<br>')}</td></tr>`,
      )
      .join('');
    send(
      response,
      200,
      securityHeaders(),
      page(
        '本地发件箱',
        `<h1>本地发件箱</h1><p>共 ${messages.length} 封（文件位于 ${escapeHtml(options.outboxDirectory)}）。</p><table><thead><tr><th>时间</th><th>收件人</th><th>主题与链接</th></tr></thead><tbody>${rows}</tbody></table>`,
      ),
    );
  };

  const indexPage = (response: ServerResponse) => {
    const extra = Object.entries(options.describe?.() ?? {})
      .map(([label, value]) => `<li>${escapeHtml(label)}：<code>${escapeHtml(value)}</code></li>`)
      .join('');
    send(
      response,
      200,
      securityHeaders(),
      page(
        'gongkai 本地模式',
        `<h1>gongkai 本地模式</h1><ul><li><a href="/local/sign-in">起草人登录</a></li><li><a href="/local/outbox">发件箱（审批邮件）</a></li><li><a href="/portal/catalog">公开目录（portal API）</a></li><li><a href="/.well-known/jwks.json">JWKS</a></li>${extra}</ul>`,
      ),
    );
  };

  const server: Server = createServer((request, response) => {
    void (async () => {
      try {
        const url = new URL(request.url ?? '/', origin);
        const method = request.method ?? 'GET';
        for (const compiled of routes) {
          if (compiled.route.method !== method) continue;
          const match = compiled.pattern.exec(url.pathname);
          if (match !== null) return await serveRoute(request, response, url, compiled, match);
        }
        if (method === 'GET' && url.pathname === '/.well-known/jwks.json')
          return sendJson(response, 200, options.issuer().jwks());
        if (method === 'GET' && (url.pathname === '/' || url.pathname === '/local'))
          return indexPage(response);
        if (method === 'GET' && url.pathname === '/local/sign-in')
          return send(
            response,
            200,
            securityHeaders(),
            signInPage('', safeNext(url.searchParams.get('next'))),
          );
        if (method === 'POST' && url.pathname === '/local/sign-in') return await signIn(request, response);
        if (method === 'GET' && url.pathname === '/local/outbox') return await outboxPage(response);
        sendJson(response, 404, { message: 'Not Found' }, method === 'HEAD');
      } catch (error) {
        process.stderr.write(`local api: ${error instanceof Error ? error.message : String(error)}\n`);
        if (!response.headersSent) sendJson(response, 500, { message: 'Internal Server Error' });
        else response.end();
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
  return {
    url: origin,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

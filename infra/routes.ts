import type { FunctionName } from '../shared/config/environment.js';

/** HTTP methods the API serves. */
export type RouteMethod = 'GET' | 'HEAD' | 'POST';

/** Who may call a route: `jwt` = a drafter with a token from the configured issuer; `public` = anyone. */
export type RouteAuth = 'jwt' | 'public';

/** One HTTP route: API Gateway route key `${method} ${path}` → the handler in `functions/<function>.ts`. */
export interface RouteDefinition {
  readonly method: RouteMethod;
  /** API Gateway path template, with `{name}` path parameters. */
  readonly path: string;
  readonly function: FunctionName;
  readonly auth: RouteAuth;
}

/**
 * Every HTTP route of the API, in one table shared by the CDK HTTP API, the local server and the
 * OpenAPI test. Approval routes are public because the link secret in `{token}` is the credential;
 * portal routes are public and read-only.
 */
export const ROUTES: readonly RouteDefinition[] = Object.freeze([
  { method: 'POST', path: '/submissions', function: 'create-submission', auth: 'jwt' },
  { method: 'GET', path: '/submissions', function: 'get-submission', auth: 'jwt' },
  { method: 'POST', path: '/submissions/{id}/revisions', function: 'create-submission', auth: 'jwt' },
  { method: 'GET', path: '/submissions/{id}', function: 'get-submission', auth: 'jwt' },
  { method: 'POST', path: '/submissions/{id}/submit', function: 'submit', auth: 'jwt' },
  { method: 'POST', path: '/submissions/{id}/withdraw', function: 'withdraw', auth: 'jwt' },
  { method: 'GET', path: '/approvals/{token}', function: 'approval-page', auth: 'public' },
  { method: 'HEAD', path: '/approvals/{token}', function: 'approval-page', auth: 'public' },
  { method: 'POST', path: '/approvals/{token}', function: 'approval-page', auth: 'public' },
  { method: 'GET', path: '/portal/catalog', function: 'portal-api', auth: 'public' },
  { method: 'GET', path: '/portal/changes', function: 'portal-api', auth: 'public' },
  { method: 'GET', path: '/portal/bundles/{bundleId}/manifest', function: 'portal-api', auth: 'public' },
  { method: 'GET', path: '/portal/bundles/{bundleId}/files/{name}', function: 'portal-api', auth: 'public' },
  // The drafter's pages and the portal preview. Public at the gateway on purpose: a page must answer
  // a missing or expired session with a redirect to sign-in (the JWT authorizer can only say 401),
  // so functions/web.ts checks the gk_session cookie itself, against the same JWKS, issuer and audience.
  { method: 'GET', path: '/app', function: 'web', auth: 'public' },
  { method: 'GET', path: '/app/submissions/new', function: 'web', auth: 'public' },
  { method: 'POST', path: '/app/submissions', function: 'web', auth: 'public' },
  { method: 'GET', path: '/app/submissions/{id}', function: 'web', auth: 'public' },
  { method: 'POST', path: '/app/submissions/{id}/revisions', function: 'web', auth: 'public' },
  { method: 'GET', path: '/portal/view', function: 'web', auth: 'public' },
  { method: 'GET', path: '/portal/view/bundles/{bundleId}', function: 'web', auth: 'public' },
] satisfies RouteDefinition[]);

/** The API Gateway route key of a route, e.g. `POST /submissions/{id}/submit`. */
export function routeKey(route: Pick<RouteDefinition, 'method' | 'path'>): string {
  return `${route.method} ${route.path}`;
}

/** Names of the functions that serve HTTP routes. */
export const HTTP_FUNCTIONS: readonly FunctionName[] = [...new Set(ROUTES.map((route) => route.function))];

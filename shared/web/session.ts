import { createHash, timingSafeEqual } from 'node:crypto';
import { type Jwks, JwtVerificationError, verifyJwt } from '../auth/jwt.js';
import type { Actor } from '../submissions/index.js';

/** Name of the session cookie: an HttpOnly, SameSite=Strict cookie holding the drafter's JWT. */
export const SESSION_COOKIE = 'gk_session';

/** Where the drafter's JWTs are checked against: the identity provider's JWKS, issuer and audience. */
export interface SessionVerifier {
  /** The drafter of a valid token, or `undefined` (missing, expired, forged, wrong issuer …). */
  verify(token: string | undefined): Promise<Actor | undefined>;
}

/** The cookie's value from API Gateway v2's `cookies` array or a `cookie` header. */
export function sessionToken(
  cookies: readonly string[] | undefined,
  cookieHeader: string | undefined,
): string | undefined {
  const pairs = [...(cookies ?? []), ...(cookieHeader ?? '').split(';')];
  for (const pair of pairs) {
    const index = pair.indexOf('=');
    if (index < 0) continue;
    if (pair.slice(0, index).trim() !== SESSION_COOKIE) continue;
    const value = pair.slice(index + 1).trim();
    if (value !== '') return value;
  }
  return undefined;
}

/** Options of {@link createSessionVerifier}. */
export interface SessionVerifierOptions {
  /** Loads the JWKS (from `JWKS_URL`); called once, and again only for a key id it does not know. */
  loadJwks: () => Promise<Jwks>;
  issuer: string;
  audience: string | readonly string[];
  now?: () => Date;
  /** Least time between two reloads caused by unknown key ids (a forged `kid` must not hammer the IdP). */
  reloadIntervalMs?: number;
}

/**
 * Checks the session cookie exactly as the API Gateway JWT authorizer checks a bearer token
 * (signature by `kid` from the JWKS, `iss`, `aud`, `exp`, `nbf`), then requires `sub` and `email`
 * as the JSON API's handlers do. The JWKS is fetched once and cached; a token signed with a key id
 * the cache lacks (the IdP rotated its keys) triggers at most one reload per interval.
 */
export function createSessionVerifier(options: SessionVerifierOptions): SessionVerifier {
  let jwks: Promise<Jwks> | undefined;
  let loadedAt = 0;
  const interval = options.reloadIntervalMs ?? 60_000;
  const load = (): Promise<Jwks> => {
    loadedAt = Date.now();
    const loading = options.loadJwks();
    jwks = loading;
    // A failed fetch is not cached: the next request tries again.
    loading.catch(() => {
      if (jwks === loading) jwks = undefined;
    });
    return loading;
  };
  const check = (token: string, keys: Jwks): Actor | undefined => {
    const claims = verifyJwt(token, {
      jwks: keys,
      issuer: options.issuer,
      audience: options.audience,
      ...(options.now === undefined ? {} : { now: options.now() }),
    });
    const id = claims.sub;
    const email = claims.email;
    if (typeof id !== 'string' || id === '' || typeof email !== 'string' || email === '') return undefined;
    const name = typeof claims.name === 'string' && claims.name !== '' ? claims.name : email;
    return { id, name, email };
  };
  return {
    async verify(token) {
      if (token === undefined || token.length > 8192) return undefined;
      try {
        return check(token, await (jwks ?? load()));
      } catch (error) {
        if (!(error instanceof JwtVerificationError)) throw error;
        if (error.reason !== 'unknown-key' || Date.now() - loadedAt < interval) return undefined;
        try {
          return check(token, await load());
        } catch (retry) {
          if (retry instanceof JwtVerificationError) return undefined;
          throw retry;
        }
      }
    },
  };
}

/** A JWKS loader over HTTP(S) with `fetch`. */
export function fetchJwks(url: string, timeoutMs = 5000): () => Promise<Jwks> {
  return async () => {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) throw new Error(`JWKS at ${url} answered ${response.status}.`);
    const body = (await response.json()) as unknown;
    if (body === null || typeof body !== 'object' || !Array.isArray((body as { keys?: unknown }).keys)) {
      throw new Error(`JWKS at ${url} has no "keys" array.`);
    }
    return body as Jwks;
  };
}

const FORM_CONTEXT = 'gongkai-web-form:v1:';

/**
 * The hidden form token of every drafter form: a SHA-256 of the session token. The session cookie
 * is HttpOnly and SameSite=Strict, so another site can neither send it with a forged form nor read
 * it to compute this value; a page that carries the token was rendered for this session. No key to
 * deploy: the JWT itself is the secret input, and the hash does not reveal it.
 */
export function formTokenForSession(sessionToken: string): string {
  return createHash('sha256')
    .update(FORM_CONTEXT + sessionToken, 'utf8')
    .digest('base64url');
}

/** Constant-time check of a submitted form token against the session's. */
export function isValidSessionFormToken(sessionToken: string, submitted: unknown): boolean {
  if (typeof submitted !== 'string') return false;
  const expected = Buffer.from(formTokenForSession(sessionToken), 'utf8');
  const given = Buffer.from(submitted, 'utf8');
  return expected.length === given.length && timingSafeEqual(expected, given);
}

import {
  createPrivateKey,
  createPublicKey,
  type JsonWebKey,
  type KeyObject,
  sign as signWithKey,
  verify as verifyWithKey,
} from 'node:crypto';
import { GongkaiError } from '../errors.js';

/**
 * JSON Web Tokens signed with RS256 or ES256, with node:crypto only. Local mode issues drafters'
 * tokens with {@link createJwtIssuer} and checks them with {@link verifyJwt} exactly as the API
 * Gateway JWT authorizer does: signature against the issuer's JWKS (by `kid`), `iss`, `aud`, `exp`
 * (required) and `nbf`.
 */

/** Algorithms this module signs and verifies. */
export type JwtAlgorithm = 'RS256' | 'ES256';

/** One public key of a JWKS, as published at `/.well-known/jwks.json`. */
export type PublicJwk = JsonWebKey & { kid: string; alg: JwtAlgorithm; use: 'sig' };

/** A JSON Web Key Set. */
export interface Jwks {
  keys: PublicJwk[];
}

/** Claims of a verified token (registered claims plus whatever the issuer added). */
export type JwtClaims = Record<string, unknown> & {
  iss: string;
  sub?: string;
  aud?: string | string[];
  exp: number;
  nbf?: number;
  iat?: number;
};

/** Why a token was refused; the API answers 401 whatever the reason, the reason is for logs and tests. */
export type JwtRejection =
  | 'malformed'
  | 'unsupported-algorithm'
  | 'unknown-key'
  | 'bad-signature'
  | 'wrong-issuer'
  | 'wrong-audience'
  | 'expired'
  | 'not-yet-valid'
  | 'missing-expiry';

/** The token cannot be accepted. */
export class JwtVerificationError extends GongkaiError {
  override readonly httpStatus: number = 401;
  constructor(readonly reason: JwtRejection) {
    super(`登录凭证无效（${reason}），请重新登录。`);
  }
}

function base64url(value: Buffer | string): string {
  return Buffer.from(value).toString('base64url');
}

function algorithmOf(key: KeyObject): JwtAlgorithm {
  if (key.asymmetricKeyType === 'rsa') return 'RS256';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ES256';
  throw new Error(
    `JWT keys must be RSA or EC P-256; got ${key.asymmetricKeyType ?? 'an unknown key type'}. Generate one with node:crypto generateKeyPairSync('rsa', { modulusLength: 2048 }).`,
  );
}

/** Settings of an issuer. */
export interface JwtIssuerOptions {
  /** PKCS#8 or SEC1/PKCS#1 PEM of an RSA (≥ 2048 bits) or EC P-256 private key. */
  privateKeyPem: string;
  /** Key id put into each token's header and the JWKS. */
  kid: string;
  /** `iss` of every token; must be the issuer URL the authorizer is configured with. */
  issuer: string;
  /** `aud` of every token. */
  audience: string;
  /** @default 8 hours */
  lifetimeSeconds?: number;
  now?: () => Date;
}

/** Issues signed tokens and publishes the matching JWKS. */
export interface JwtIssuer {
  readonly issuer: string;
  readonly audience: string;
  /** A signed token with `iss`, `aud`, `iat`, `nbf`, `exp` set and `claims` added (`sub` at least). */
  issue(claims: Record<string, unknown> & { sub: string }): { token: string; expiresAt: Date };
  /** The public key set (what `/.well-known/jwks.json` serves). */
  jwks(): Jwks;
}

/** An issuer signing with the given private key (RS256 for RSA keys, ES256 for P-256 keys). */
export function createJwtIssuer(options: JwtIssuerOptions): JwtIssuer {
  const privateKey = createPrivateKey(options.privateKeyPem);
  const alg = algorithmOf(privateKey);
  const publicJwk = createPublicKey(privateKey).export({ format: 'jwk' });
  const lifetime = options.lifetimeSeconds ?? 8 * 60 * 60;
  const now = options.now ?? (() => new Date());
  return {
    issuer: options.issuer,
    audience: options.audience,
    issue(claims) {
      const issuedAt = Math.floor(now().getTime() / 1000);
      const payload = {
        ...claims,
        iss: options.issuer,
        aud: options.audience,
        iat: issuedAt,
        nbf: issuedAt,
        exp: issuedAt + lifetime,
      };
      const signingInput = `${base64url(JSON.stringify({ alg, typ: 'JWT', kid: options.kid }))}.${base64url(JSON.stringify(payload))}`;
      const signature = signWithKey(
        'sha256',
        Buffer.from(signingInput),
        alg === 'ES256' ? { key: privateKey, dsaEncoding: 'ieee-p1363' } : privateKey,
      );
      return { token: `${signingInput}.${base64url(signature)}`, expiresAt: new Date(payload.exp * 1000) };
    },
    jwks() {
      return { keys: [{ ...publicJwk, kid: options.kid, alg, use: 'sig' }] };
    },
  };
}

function decodeJson(part: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    throw new JwtVerificationError('malformed');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new JwtVerificationError('malformed');
  }
  return value as Record<string, unknown>;
}

/** What a token is checked against. */
export interface JwtVerifyOptions {
  jwks: Jwks;
  /** The one accepted `iss`. */
  issuer: string;
  /** Accepted audiences: the token's `aud` (or `client_id`, as API Gateway accepts) must be one of them. */
  audience: string | readonly string[];
  /** @default the current time */
  now?: Date;
  /** Allowed clock difference for `exp` and `nbf`. @default 0 */
  clockToleranceSeconds?: number;
}

/**
 * Verifies a compact JWS and returns its claims.
 * @throws JwtVerificationError with the reason
 */
export function verifyJwt(token: string, options: JwtVerifyOptions): JwtClaims {
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((part) => !/^[A-Za-z0-9_-]*$/.test(part)) || parts[2] === '') {
    throw new JwtVerificationError('malformed');
  }
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  const header = decodeJson(headerPart);
  const claims = decodeJson(payloadPart);
  if (header.alg !== 'RS256' && header.alg !== 'ES256')
    throw new JwtVerificationError('unsupported-algorithm');
  const jwk = options.jwks.keys.find((key) => key.kid === header.kid);
  if (jwk === undefined || (jwk.alg !== undefined && jwk.alg !== header.alg)) {
    throw new JwtVerificationError('unknown-key');
  }
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey({ key: jwk, format: 'jwk' });
  } catch {
    throw new JwtVerificationError('unknown-key');
  }
  if (algorithmOf(publicKey) !== header.alg) throw new JwtVerificationError('unknown-key');
  const valid = verifyWithKey(
    'sha256',
    Buffer.from(`${headerPart}.${payloadPart}`),
    header.alg === 'ES256' ? { key: publicKey, dsaEncoding: 'ieee-p1363' } : publicKey,
    Buffer.from(signaturePart, 'base64url'),
  );
  if (!valid) throw new JwtVerificationError('bad-signature');

  if (claims.iss !== options.issuer) throw new JwtVerificationError('wrong-issuer');
  const accepted = typeof options.audience === 'string' ? [options.audience] : options.audience;
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  const clientId = claims.client_id;
  if (
    !audiences.some((aud) => typeof aud === 'string' && accepted.includes(aud)) &&
    !(typeof clientId === 'string' && accepted.includes(clientId))
  ) {
    throw new JwtVerificationError('wrong-audience');
  }
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const tolerance = options.clockToleranceSeconds ?? 0;
  if (typeof claims.exp !== 'number') throw new JwtVerificationError('missing-expiry');
  if (claims.exp + tolerance <= now) throw new JwtVerificationError('expired');
  if (claims.nbf !== undefined && (typeof claims.nbf !== 'number' || claims.nbf - tolerance > now)) {
    throw new JwtVerificationError('not-yet-valid');
  }
  return claims as JwtClaims;
}

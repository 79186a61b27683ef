import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createJwtIssuer, verifyJwt } from '../../../shared/auth/jwt.js';

const rsaPem = generateKeyPairSync('rsa', { modulusLength: 2048 })
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString();
const ecPem = generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString();
const NOW = new Date('2019-07-19T09:00:00Z');

function issuerWith(pem: string, overrides: { issuer?: string; audience?: string; now?: Date } = {}) {
  return createJwtIssuer({
    privateKeyPem: pem,
    kid: 'key-1',
    issuer: overrides.issuer ?? 'http://127.0.0.1:8787',
    audience: overrides.audience ?? 'gongkai-local',
    lifetimeSeconds: 3600,
    now: () => overrides.now ?? NOW,
  });
}

const options = (issuer: ReturnType<typeof issuerWith>, now = NOW) => ({
  jwks: issuer.jwks(),
  issuer: 'http://127.0.0.1:8787',
  audience: 'gongkai-local',
  now,
});

describe('Function: verifyJwt', () => {
  it.each([
    ['RS256', rsaPem],
    ['ES256', ecPem],
  ])('accepts a %s token of the issuer and returns its claims', (alg, pem) => {
    const issuer = issuerWith(pem);
    const { token } = issuer.issue({ sub: 'drafter-001', email: 'liwen@example.gov.cn' });

    const claims = verifyJwt(token, options(issuer));

    expect(JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString()).alg).toBe(alg);
    expect(claims).toMatchObject({ sub: 'drafter-001', email: 'liwen@example.gov.cn', aud: 'gongkai-local' });
    expect(issuer.jwks().keys[0]).toMatchObject({ kid: 'key-1', alg, use: 'sig' });
    expect(issuer.jwks().keys[0]).not.toHaveProperty('d');
  });

  it('rejects a token whose payload was altered', () => {
    const issuer = issuerWith(rsaPem);
    const [header, , signature] = issuer.issue({ sub: 'drafter-001' }).token.split('.');
    const payload = Buffer.from(
      JSON.stringify({ sub: 'admin', iss: 'http://127.0.0.1:8787', aud: 'gongkai-local', exp: 2e9 }),
    ).toString('base64url');

    expect(() => verifyJwt(`${header}.${payload}.${signature}`, options(issuer))).toThrow(
      expect.objectContaining({ reason: 'bad-signature' }),
    );
  });

  it('rejects a token signed by another key under the same kid', () => {
    const stranger = issuerWith(
      generateKeyPairSync('rsa', { modulusLength: 2048 })
        .privateKey.export({ type: 'pkcs8', format: 'pem' })
        .toString(),
    );

    expect(() => verifyJwt(stranger.issue({ sub: 'x' }).token, options(issuerWith(rsaPem)))).toThrow(
      expect.objectContaining({ reason: 'bad-signature' }),
    );
  });

  it('rejects an expired token, a token not yet valid, another issuer and another audience', () => {
    const issuer = issuerWith(rsaPem);
    const { token } = issuer.issue({ sub: 'x' });

    expect(() => verifyJwt(token, options(issuer, new Date(NOW.getTime() + 3600_000)))).toThrow(
      expect.objectContaining({ reason: 'expired' }),
    );
    expect(() => verifyJwt(token, options(issuer, new Date(NOW.getTime() - 60_000)))).toThrow(
      expect.objectContaining({ reason: 'not-yet-valid' }),
    );
    expect(() =>
      verifyJwt(issuerWith(rsaPem, { issuer: 'https://other' }).issue({ sub: 'x' }).token, options(issuer)),
    ).toThrow(expect.objectContaining({ reason: 'wrong-issuer' }));
    expect(() =>
      verifyJwt(issuerWith(rsaPem, { audience: 'other' }).issue({ sub: 'x' }).token, options(issuer)),
    ).toThrow(expect.objectContaining({ reason: 'wrong-audience' }));
  });

  it('rejects an unsigned token and garbage', () => {
    const issuer = issuerWith(rsaPem);
    const [, payload] = issuer.issue({ sub: 'x' }).token.split('.');
    const none = `${Buffer.from('{"alg":"none","kid":"key-1"}').toString('base64url')}.${payload}.`;

    expect(() => verifyJwt(none, options(issuer))).toThrow(
      expect.objectContaining({ name: 'JwtVerificationError' }),
    );
    expect(() => verifyJwt('not-a-token', options(issuer))).toThrow(
      expect.objectContaining({ reason: 'malformed' }),
    );
  });
});

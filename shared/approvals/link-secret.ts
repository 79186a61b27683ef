import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 32 random bytes: 256 bits, well above the 128 the links must carry. */
const SECRET_BYTES = 32;
const SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** A fresh approval-link secret, URL-safe. It goes into the e-mailed link and nowhere else. */
export function newLinkSecret(): string {
  return randomBytes(SECRET_BYTES).toString('base64url');
}

/**
 * The stored form of a secret. Links are looked up by this hash, so the database never holds a
 * working link. A malformed secret hashes to `undefined` and is treated as unknown.
 */
export function hashLinkSecret(secret: string): string | undefined {
  if (!SECRET_PATTERN.test(secret)) return undefined;
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Constant-time comparison of two hex hashes, so a timing side channel tells nothing. */
export function hashesEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && left.length > 0 && timingSafeEqual(left, right);
}

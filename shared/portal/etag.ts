import { createHash } from 'node:crypto';

/** A strong entity tag: the quoted base64url SHA-256 of the exact body bytes. */
export function strongEtag(body: Uint8Array | string): string {
  return `"${createHash('sha256').update(body).digest('base64url')}"`;
}

/**
 * True when `If-None-Match` matches `etag` (RFC 9110 §13.1.2: weak comparison, a list of tags or `*`),
 * so the answer is 304 Not Modified.
 */
export function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const value = header.trim();
  if (value === '*') return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  const wanted = opaque(etag);
  return value.split(',').some((tag) => opaque(tag) === wanted);
}

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Bytes of a link's form nonce: 256 bits, like the link secret. */
const NONCE_BYTES = 32;
const CONTEXT = 'gongkai-approval-form:v1:';

/** A fresh per-link form nonce, stored with the link (never sent anywhere as is). */
export function newFormNonce(): string {
  return randomBytes(NONCE_BYTES).toString('base64url');
}

/**
 * The hidden form token of a link's page: HMAC-SHA256 of the link hash under the link's own random
 * nonce. Only a rendered page carries it, so a POST built from the URL alone (a mail scanner, a
 * forged cross-site form) is refused. `undefined` for a link without a nonce: it can never decide.
 */
export function formTokenFor(link: { hash: string; formNonce?: string }): string | undefined {
  if (link.formNonce === undefined || link.formNonce === '') return undefined;
  return createHmac('sha256', Buffer.from(link.formNonce, 'base64url'))
    .update(CONTEXT + link.hash, 'utf8')
    .digest('base64url');
}

/** Constant-time check of a submitted form token against the link's. */
export function isValidFormToken(link: { hash: string; formNonce?: string }, submitted: unknown): boolean {
  const expected = formTokenFor(link);
  if (expected === undefined || typeof submitted !== 'string') return false;
  const left = Buffer.from(expected, 'utf8');
  const right = Buffer.from(submitted, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * True when a POST visibly comes from another site. Browsers send `Sec-Fetch-Site` (only
 * `same-origin` passes) and `Origin`; the page's `Referrer-Policy: no-referrer` makes a browser send
 * `Origin: null` for its own form, so `null` is left to the form token. Without a usable Origin
 * (`null`, or a browser that sends none), a `Referer` naming another host still gives the request
 * away: the page's own form never sends one. Headers are lower-case.
 */
export function isCrossSiteRequest(
  headers: Readonly<Record<string, string | undefined>>,
  ownHosts: readonly (string | undefined)[],
): boolean {
  const site = headers['sec-fetch-site']?.trim().toLowerCase();
  if (site !== undefined && site !== '' && site !== 'same-origin') return true;
  const allowed = ownHosts
    .filter((value): value is string => typeof value === 'string' && value !== '')
    .map((value) => value.trim().toLowerCase());
  const foreign = (url: string): boolean => {
    try {
      return !allowed.includes(new URL(url).host.toLowerCase());
    } catch {
      return true;
    }
  };
  const origin = headers.origin?.trim();
  if (origin !== undefined && origin !== '' && origin !== 'null') return foreign(origin);
  const referer = headers.referer?.trim();
  return referer !== undefined && referer !== '' && foreign(referer);
}

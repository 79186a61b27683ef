/**
 * Headers every HTML page gets: no framing, forms post only to ourselves, no external resources
 * (inline style only, hashed-free: pages have no script), no referrer leaks the link secret,
 * nothing cached by shared caches.
 */
export const PAGE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  'x-frame-options': 'DENY',
};

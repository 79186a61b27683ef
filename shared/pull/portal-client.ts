import { createHash } from 'node:crypto';
import { PortalNetworkError, PortalStatusError, TransferIntegrityError } from './errors.js';

/** One answer of the portal API. */
export interface PortalAnswer {
  /** 304 only when the request carried `If-None-Match`; then `body` is empty. */
  status: 200 | 304;
  body: Uint8Array;
  etag?: string;
}

/**
 * The portal API as `gongkai pull` sees it: a GET of a path below the base URL. The sync engine
 * depends on this port only, so it is tested against any server (or none).
 */
export interface PortalClient {
  /**
   * `GET <base>/<path>`. Resolves with 200 (body complete, checked against Content-Length and, for a
   * strong SHA-256 ETag, against the ETag) or 304.
   * @throws PortalStatusError any other status
   * @throws TransferIntegrityError a truncated body or one that does not match its ETag
   * @throws PortalNetworkError a network failure or time-out
   */
  get(path: string, options?: { ifNoneMatch?: string }): Promise<PortalAnswer>;
}

/** What a client has done so far: every attempt counts, retries included. */
export interface TransferStats {
  requests: number;
  /** Body bytes received (after any content decoding). */
  bytes: number;
}

/** Options of {@link FetchPortalClient}. */
export interface FetchPortalClientOptions {
  /** Base URL of the API, e.g. `https://portal.example.gov.cn/` (the paths are `portal/...` below it). */
  baseUrl: string;
  /** Time-out of one request, body included. @default 30000 */
  timeoutMs?: number;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
}

/** The ETag the portal API sends: the quoted base64url SHA-256 of the body. */
const SHA256_ETAG = /^"([A-Za-z0-9_-]{43})"$/;

/** {@link PortalClient} over `fetch` (Node 20), one time-out per request. */
export class FetchPortalClient implements PortalClient {
  readonly stats: TransferStats = { requests: 0, bytes: 0 };
  private readonly base: URL;
  private readonly timeoutMs: number;
  private readonly fetch: typeof fetch;

  constructor(options: FetchPortalClientOptions) {
    this.base = new URL(options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  async get(path: string, options: { ifNoneMatch?: string } = {}): Promise<PortalAnswer> {
    const url = new URL(path.replace(/^\/+/, ''), this.base).href;
    this.stats.requests += 1;
    let response: Response;
    let body: Uint8Array;
    try {
      response = await this.fetch(url, {
        headers: {
          accept: 'application/json, text/*;q=0.9, */*;q=0.8',
          ...(options.ifNoneMatch === undefined ? {} : { 'if-none-match': options.ifNoneMatch }),
        },
        redirect: 'follow',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      body = new Uint8Array(await response.arrayBuffer());
    } catch (error) {
      // A body cut short by the server surfaces here too ("terminated", "other side closed").
      throw new PortalNetworkError(url, { cause: error });
    }
    this.stats.bytes += body.byteLength;
    if (response.status === 304 && options.ifNoneMatch !== undefined)
      return { status: 304, body: new Uint8Array() };
    if (response.status !== 200) throw new PortalStatusError(url, response.status);
    const declared = response.headers.get('content-length');
    // With a content encoding, Content-Length counts the encoded bytes: the ETag check still applies.
    if (
      declared !== null &&
      response.headers.get('content-encoding') === null &&
      Number(declared) !== body.byteLength
    ) {
      throw new TransferIntegrityError(url, `received ${body.byteLength} bytes of ${declared}`);
    }
    const etag = response.headers.get('etag') ?? undefined;
    const strong = etag === undefined ? null : SHA256_ETAG.exec(etag);
    if (strong !== null && createHash('sha256').update(body).digest('base64url') !== strong[1]) {
      throw new TransferIntegrityError(url, 'the body does not match its ETag');
    }
    return { status: 200, body, ...(etag === undefined ? {} : { etag }) };
  }
}

/** Bounded retries with exponential backoff and full jitter. */
export interface RetryPolicy {
  /** Attempts in all, the first included. @default 5 */
  attempts: number;
  /** @default 250 */
  baseDelayMs: number;
  /** @default 8000 */
  maxDelayMs: number;
  /** @default Math.random */
  random?: () => number;
  /** @default setTimeout */
  sleep?: (ms: number) => Promise<void>;
}

/** The policy `gongkai pull` uses unless told otherwise. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 5, baseDelayMs: 250, maxDelayMs: 8000 };

/** True for failures another attempt may not meet: 5xx, 429, network, truncated or altered bytes. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof PortalStatusError) return error.retryable;
  return error instanceof PortalNetworkError || error instanceof TransferIntegrityError;
}

/** Delay before attempt `attempt + 1` (attempt counts from 1): uniform in [0, min(max, base·2^(attempt-1))]. */
export function backoffDelay(policy: RetryPolicy, attempt: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor((policy.random ?? Math.random)() * ceiling);
}

/**
 * Runs `operation` until it succeeds, fails with an error that is not retryable, or has used every
 * attempt; the last error is thrown.
 */
export async function withRetries<T>(
  operation: () => Promise<T>,
  policy: RetryPolicy,
  onRetry?: (error: unknown, attempt: number) => void,
): Promise<T> {
  const sleep = policy.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await operation();
    } catch (error) {
      if (attempt >= policy.attempts || !isRetryable(error)) throw error;
      onRetry?.(error, attempt);
      await sleep(backoffDelay(policy, attempt));
    }
  }
}

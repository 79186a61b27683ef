import { GongkaiError } from '../errors.js';

/**
 * A name the server sent (bundle id or file name) that is not safe to use as a path: it is
 * rejected before anything touches the file system.
 */
export class UnsafeNameError extends GongkaiError {
  constructor(
    readonly kind: 'bundle id' | 'file name',
    value: string,
  ) {
    super(
      `The server sent an unsafe ${kind} (${JSON.stringify(value.slice(0, 80))}); nothing was written for it.`,
    );
  }
}

/** The server answered with a status that is not the one expected (after the retries, for 5xx). */
export class PortalStatusError extends GongkaiError {
  constructor(
    readonly url: string,
    readonly status: number,
  ) {
    super(`GET ${url} answered HTTP ${status}.`);
  }

  /** 5xx and 429 may succeed later; any other status will not. */
  get retryable(): boolean {
    return this.status >= 500 || this.status === 429;
  }
}

/** The bytes received are not the bytes announced: shorter than Content-Length, or another hash. */
export class TransferIntegrityError extends GongkaiError {
  constructor(
    readonly url: string,
    reason: string,
  ) {
    super(`GET ${url}: ${reason}.`);
  }
}

/** A network failure or time-out. */
export class PortalNetworkError extends GongkaiError {
  constructor(
    readonly url: string,
    options: { cause: unknown },
  ) {
    // fetch says only "fetch failed"; the reason (ECONNREFUSED, a time-out, "other side closed") is its cause.
    const inner = options.cause instanceof Error ? options.cause.cause : undefined;
    const reason = [options.cause, inner]
      .filter((error): error is Error => error instanceof Error)
      .map((error) => (error as NodeJS.ErrnoException).code ?? error.message)
      .join(': ');
    super(`GET ${url} failed: ${reason}.`, options);
  }
}

/** The server's answer does not follow the bundle format (or a major version this reader does not know). */
export class PortalFormatError extends GongkaiError {
  constructor(what: string, reason: string) {
    super(`${what}: ${reason}. The mirror was left as it was; update gongkai if the format is newer.`);
  }
}

/** The mirror folder cannot be used (another pull holds it, or its state file is damaged). */
export class MirrorStateError extends GongkaiError {}

/**
 * Base class of every error gongkai raises on purpose.
 *
 * `name` is stable: the state machine's Catch clauses and the HTTP error table match on it.
 * `message` is written for the person who has to act on it (the drafter, in Chinese) and
 * must never quote document text, personal data, link secrets or task tokens.
 */
export class GongkaiError extends Error {
  /** HTTP status the API answers with when this error reaches a handler. */
  readonly httpStatus: number = 400;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

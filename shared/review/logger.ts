/** Fields of a log line: ids, counts, statuses and error names only. */
export type LogFields = Record<string, string | number | boolean | undefined>;

/**
 * The little the review operations log through: never a link secret, hash, task token, comment,
 * name or e-mail address. The Powertools logger fits.
 */
export interface ReviewLogger {
  info(message: string, ...fields: LogFields[]): void;
  warn(message: string, ...fields: LogFields[]): void;
}

/** A logger that drops everything (the default of the operations, for tests that do not look). */
export const SILENT_LOGGER: ReviewLogger = { info: () => {}, warn: () => {} };

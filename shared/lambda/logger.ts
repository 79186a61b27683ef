import { Logger } from '@aws-lambda-powertools/logger';

/**
 * The one structured logger of every function. What may be logged: ids (submission, revision,
 * bundle, step), statuses, counts, error names. Never document text, personal data, comments,
 * link secrets or task tokens.
 */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'gongkai' });

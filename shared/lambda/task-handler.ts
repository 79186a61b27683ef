import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type * as z from 'zod/mini';
import { $ZodError } from 'zod/v4/core';
import { publicError } from './errors.js';
import { logger } from './logger.js';

/**
 * Wraps a Step Functions task: validates the input against the workflow contract, tags the logs
 * with the submission, and lets errors out only in their public form — Step Functions records a
 * task's error message in the execution history, which operators read for 90 days.
 */
export function taskHandler<S extends z.ZodMiniType<{ submissionId: string; revision: number }>, R>(
  inputSchema: S,
  run: (input: z.output<S>, context: Context) => Promise<R>,
) {
  return middy<unknown, R>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(async (event, context) => {
      const input = parseInput(inputSchema, event);
      logger.appendKeys({ submissionId: input.submissionId, revision: input.revision });
      try {
        return await run(input, context);
      } catch (error) {
        const outgoing = publicError(error);
        logger.error('task failed', { errorName: outgoing.name });
        const sanitized = new Error(outgoing.message);
        sanitized.name = outgoing.name;
        throw sanitized;
      }
    });
}

/**
 * Parses the task input. A malformed input fails the task with the zod error itself, named
 * `ZodError` as zod's classic API named it: zod/mini names it `$ZodError`, which Step Functions
 * would record as the error and RecordStatus would audit as `UnknownError` (not a short code).
 */
function parseInput<S extends z.ZodMiniType>(schema: S, event: unknown): z.output<S> {
  try {
    return schema.parse(event);
  } catch (error) {
    if (error instanceof $ZodError) error.name = 'ZodError';
    throw error;
  }
}

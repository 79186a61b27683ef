import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import type { FunctionName } from '../../shared/config/environment.js';

/**
 * The real handlers, imported in-process (each `functions/<name>.ts` exports `handler`). Written
 * out one by one so that bundlers and type-checkers see every entry.
 */

/** A Lambda handler as local mode calls it. */
export type LocalHandler = (event: unknown, context: Context) => Promise<unknown>;

const LOADERS: Record<FunctionName, () => Promise<{ handler: unknown }>> = {
  'create-submission': () => import('../../functions/create-submission.js'),
  submit: () => import('../../functions/submit.js'),
  'get-submission': () => import('../../functions/get-submission.js'),
  withdraw: () => import('../../functions/withdraw.js'),
  'approval-page': () => import('../../functions/approval-page.js'),
  'portal-api': () => import('../../functions/portal-api.js'),
  web: () => import('../../functions/web.js'),
  validate: () => import('../../functions/validate.js'),
  deidentify: () => import('../../functions/deidentify.js'),
  'request-approval': () => import('../../functions/request-approval.js'),
  publish: () => import('../../functions/publish.js'),
  verify: () => import('../../functions/verify.js'),
  notify: () => import('../../functions/notify.js'),
  'record-status': () => import('../../functions/record-status.js'),
};

/** Loads the handler of `functions/<name>.ts`. */
export async function loadHandler(name: FunctionName): Promise<LocalHandler> {
  const loader = LOADERS[name];
  if (loader === undefined) throw new Error(`No function named ${name}.`);
  const module = await loader();
  if (typeof module.handler !== 'function')
    throw new Error(`functions/${name}.ts does not export a handler function.`);
  return module.handler as LocalHandler;
}

/** Whether `name` is a function of the app. */
export function isFunctionName(name: string): name is FunctionName {
  return Object.hasOwn(LOADERS, name);
}

/** A Lambda context like the one the runtime passes (request id, names, remaining time). */
export function lambdaContext(functionName: string, timeoutSeconds = 30): Context {
  const deadline = Date.now() + timeoutSeconds * 1000;
  const localName = `gongkai-local-${functionName}`;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: localName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${localName}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${localName}`,
    logStreamName: `local/${new Date().toISOString().slice(0, 10)}/${randomUUID()}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/**
 * The drafter-side and pipeline-task business operations. Each takes its dependencies (stores,
 * object stores, the workflow, the mailer, the clock) as an argument; the handlers in `functions/`
 * only build those and call one operation.
 */
export * from './create-submission.js';
export * from './deidentify.js';
export * from './errors.js';
export * from './get-submission.js';
export * from './notify.js';
export * from './record-status.js';
export * from './submit.js';
export { type Actor, type Clock, SYSTEM_ACTOR } from './support.js';
export { baseContentType, reviewStepIdViolations, uploadViolations } from './upload-rules.js';
export * from './validate.js';
export * from './withdraw.js';

/**
 * gongkai's domain model: schemas and types, the submission lifecycle, the 及时公开 deadline,
 * the submission rules and the 索引号. Pure: no AWS SDK, no environment, no I/O.
 */
export * from './audit-event.js';
export * from './deadline.js';
export * from './disclosure.js';
export * from './document-ref.js';
export * from './errors.js';
export * from './ids.js';
export * from './index-number.js';
export * from './lifecycle.js';
export * from './metadata.js';
export * from './rules.js';
export * from './submission.js';
export * from './violations.js';

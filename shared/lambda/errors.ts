import { $ZodError } from 'zod/v4/core';
import { GongkaiError } from '../errors.js';

/**
 * What may leave a function when something failed: our own errors carry messages written to be
 * shown (no document text, no personal data); anything else — an SDK error, a parser's error —
 * might quote its input, so only its name goes out, with a generic message.
 */
export function publicError(error: unknown): { name: string; message: string; httpStatus: number } {
  if (error instanceof GongkaiError)
    return { name: error.name, message: error.message, httpStatus: error.httpStatus };
  // Any zod parse error: zod/mini throws core `$ZodError`s (classic's `ZodError` is one too).
  if (error instanceof $ZodError) {
    return { name: 'InvalidInputError', message: '请求内容格式不正确，请检查后重试。', httpStatus: 400 };
  }
  const name =
    error instanceof Error && /^[A-Za-z][A-Za-z0-9_.]{0,80}$/.test(error.name) ? error.name : 'Error';
  return { name, message: '系统内部错误，请稍后重试；如持续出现，请联系运维人员。', httpStatus: 500 };
}

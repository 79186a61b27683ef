import { GongkaiError } from '../errors.js';

/** True for DynamoDB's "your condition did not hold" error (dynalite returns no Item with it). */
export function isConditionFailure(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

/** An opaque page cursor for the API: the LastEvaluatedKey, base64url JSON. */
export function encodeCursor(key: Record<string, unknown> | undefined): string | undefined {
  return key === undefined ? undefined : Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** The LastEvaluatedKey back from a cursor; a malformed cursor starts from the beginning of nothing. */
export function decodeCursor(cursor: string | undefined): Record<string, unknown> | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (value !== null && typeof value === 'object' && !Array.isArray(value))
      return value as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new InvalidCursorError();
}

/** A page cursor that this API did not hand out. */
export class InvalidCursorError extends GongkaiError {
  constructor() {
    super('分页游标无效，请从第一页重新获取。');
  }
}

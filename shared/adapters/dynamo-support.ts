import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { GongkaiError } from '../errors.js';

/** True for DynamoDB's "your condition did not hold" error (dynalite returns no Item with it). */
export function isConditionFailure(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

/**
 * True for a condition failure met by a retried attempt: an earlier attempt of the same request may
 * have been carried out with its reply lost (then the retry finds the condition changed by our own
 * write). A condition failure on the first attempt is always someone else's write.
 */
export function isRetriedConditionFailure(error: unknown): boolean {
  const attempts = (error as { $metadata?: { attempts?: number } } | undefined)?.$metadata?.attempts ?? 1;
  return isConditionFailure(error) && attempts > 1;
}

/**
 * True when `stored` holds exactly what `written` asked to store (attributes in any order; an
 * undefined attribute is not stored). A conditional write whose reply was lost is retried by the
 * SDK, and the retry fails its condition because the first attempt already took effect: finding
 * our own item is how the adapter tells that from a real conflict.
 */
export function isSameItem(stored: unknown, written: unknown): boolean {
  return stored !== undefined && canonicalJson(stored) === canonicalJson(written);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    return `{${Object.keys(record)
      .filter((key) => record[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** A table and the client that reaches it. */
export interface DynamoTable {
  client: DynamoDBDocumentClient;
  tableName: string;
}

/** Whether the table holds exactly `item`, read consistently by its key. */
export async function tableHolds(
  table: DynamoTable,
  item: { pk: string; sk: string } & Record<string, unknown>,
): Promise<boolean> {
  const { Item } = await table.client.send(
    new GetCommand({ TableName: table.tableName, Key: { pk: item.pk, sk: item.sk }, ConsistentRead: true }),
  );
  return isSameItem(Item, item);
}

/**
 * Puts an item whose key must be new (a fresh id, hash or time-and-ulid). A condition failure met
 * by the SDK's retry, with our own item found there, is this put whose reply was lost: success.
 */
export async function putNew(
  table: DynamoTable,
  item: { pk: string; sk: string } & Record<string, unknown>,
): Promise<void> {
  try {
    await table.client.send(
      new PutCommand({
        TableName: table.tableName,
        Item: item,
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  } catch (error) {
    if (!isRetriedConditionFailure(error) || !(await tableHolds(table, item))) throw error;
  }
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

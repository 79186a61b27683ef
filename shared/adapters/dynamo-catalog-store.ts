import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { CatalogEntry, CatalogEvent, CatalogStore } from '../ports/catalog-store.js';
import { DynamoSequenceAllocator } from './dynamo-sequence-allocator.js';
import { decodeCursor, encodeCursor, isConditionFailure } from './dynamo-support.js';

const SEQUENCE_COUNTER = 'CATALOG';
/** An allocation older than this is taken as abandoned (its writer died): the feed moves past it. */
const ABANDONED_AFTER_MS = 15 * 60 * 1000;

function sequenceKey(sequence: number): string {
  return String(sequence).padStart(12, '0');
}

function strip<T>(item: Record<string, unknown>): T {
  const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g1s, gsi2pk: _g2, gsi2sk: _g2s, ...rest } = item;
  return rest as T;
}

/**
 * {@link CatalogStore} on the single table. Events: `BUNDLE#<id>` / `EVENT#<seq>`, listed in
 * sequence order through gsi2 (`CATALOG` / seq). Entries: `BUNDLE#<id>` / `BUNDLE`, listed in
 * publication order through gsi1 (`ENTRIES` / publishedAt).
 */
export class DynamoCatalogStore implements CatalogStore {
  private readonly sequences: DynamoSequenceAllocator;

  constructor(
    private readonly options: { client: DynamoDBDocumentClient; tableName: string; now?: () => Date },
  ) {
    this.sequences = new DynamoSequenceAllocator(options);
  }

  async append(
    event: Omit<CatalogEvent, 'sequence'>,
    entry: Omit<CatalogEntry, 'lastSequence'>,
  ): Promise<CatalogEvent> {
    // After `release` the counter no longer knows this event: a retry that comes after a complete
    // append must find its event on the bundle instead of taking a second sequence.
    const earlier = await this.findEvent(event.bundleId, event.eventId);
    const sequence = earlier?.sequence ?? (await this.sequences.allocate(SEQUENCE_COUNTER, event.eventId));
    // A retry rewrites the event as first recorded (its time included), so the feeds stay byte-identical.
    const stored: CatalogEvent = earlier ?? { ...event, sequence };
    try {
      await this.options.client.send(
        new PutCommand({
          TableName: this.options.tableName,
          Item: {
            pk: `BUNDLE#${event.bundleId}`,
            sk: `EVENT#${sequenceKey(sequence)}`,
            gsi2pk: 'CATALOG',
            gsi2sk: sequenceKey(sequence),
            ...stored,
          },
          ConditionExpression: 'attribute_not_exists(pk) OR eventId = :eventId',
          ExpressionAttributeValues: { ':eventId': event.eventId },
        }),
      );
      await this.options.client.send(
        new PutCommand({
          TableName: this.options.tableName,
          Item: {
            pk: `BUNDLE#${entry.bundleId}`,
            sk: 'BUNDLE',
            gsi1pk: 'ENTRIES',
            gsi1sk: `${entry.publishedAt}#${entry.bundleId}`,
            ...entry,
            lastSequence: sequence,
          },
          // A late retry of an older event never overwrites a newer state of the entry.
          ConditionExpression: 'attribute_not_exists(pk) OR lastSequence <= :sequence',
          ExpressionAttributeValues: { ':sequence': sequence },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    await this.sequences.release(SEQUENCE_COUNTER, event.eventId);
    return stored;
  }

  private async findEvent(bundleId: string, eventId: string): Promise<CatalogEvent | undefined> {
    const page = await this.options.client.send(
      new QueryCommand({
        TableName: this.options.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        FilterExpression: 'eventId = :eventId',
        ExpressionAttributeValues: { ':pk': `BUNDLE#${bundleId}`, ':prefix': 'EVENT#', ':eventId': eventId },
        ConsistentRead: true,
      }),
    );
    const item = page.Items?.[0];
    return item === undefined ? undefined : strip<CatalogEvent>(item);
  }

  async getEntry(bundleId: string): Promise<CatalogEntry | undefined> {
    const { Item } = await this.options.client.send(
      new GetCommand({ TableName: this.options.tableName, Key: { pk: `BUNDLE#${bundleId}`, sk: 'BUNDLE' } }),
    );
    return Item === undefined ? undefined : strip<CatalogEntry>(Item);
  }

  async listEntries(options: {
    limit: number;
    cursor?: string;
  }): Promise<{ items: CatalogEntry[]; cursor?: string }> {
    const page = await this.options.client.send(
      new QueryCommand({
        TableName: this.options.tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': 'ENTRIES' },
        Limit: options.limit,
        ExclusiveStartKey: decodeCursor(options.cursor),
      }),
    );
    const cursor = encodeCursor(page.LastEvaluatedKey);
    return {
      items: (page.Items ?? []).map((item) => strip<CatalogEntry>(item)),
      ...(cursor === undefined ? {} : { cursor }),
    };
  }

  /**
   * Events after `after`, contiguous: a reader that stores the last sequence it saw must never
   * skip one that is allocated but not yet written. So the feed stops at the first missing
   * sequence unless that sequence was abandoned (allocated long ago by a writer that died).
   */
  async changesAfter(after: number, options: { limit: number }): Promise<CatalogEvent[]> {
    const page = await this.options.client.send(
      new QueryCommand({
        TableName: this.options.tableName,
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk > :after',
        ExpressionAttributeValues: { ':pk': 'CATALOG', ':after': sequenceKey(after) },
        Limit: options.limit,
      }),
    );
    const events = (page.Items ?? []).map((item) => strip<CatalogEvent>(item));
    // Read after the query: whatever was still in flight then is listed here.
    const now = (this.options.now ?? (() => new Date()))().getTime();
    const abandoned = new Set(
      (await this.sequences.pending(SEQUENCE_COUNTER))
        .filter((claim) => now - Date.parse(claim.at) >= ABANDONED_AFTER_MS)
        .map((claim) => claim.sequence),
    );
    const contiguous: CatalogEvent[] = [];
    let expected = after + 1;
    for (const event of events) {
      while (expected < event.sequence && abandoned.has(expected)) expected += 1;
      if (event.sequence !== expected) break;
      contiguous.push(event);
      expected += 1;
    }
    return contiguous;
  }
}

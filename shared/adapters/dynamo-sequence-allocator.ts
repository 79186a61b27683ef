import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';

/** Every round of a contended counter lets one writer through, so this bounds a burst of ~100 at once. */
const MAX_ATTEMPTS = 120;

/** A number taken but not yet stored by its holder (see `release`). */
export interface PendingAllocation {
  sequence: number;
  at: string;
}

/**
 * Allocates numbers from a named counter so that the same holder always gets the same number,
 * even when its first attempt died halfway and is retried (a Lambda retry, a Step Functions
 * retry). 索引号 and the catalog's change sequence both depend on that: a retried publish must
 * never take a second number.
 *
 * The counter item records the increment and "holder → number" in one conditional write
 * (optimistic lock on the value), so there is no moment at which a number is taken but not
 * yet attributed. The caller then stores the number on its own item and calls `release`, which
 * only tidies the counter; a missing `release` leaves a harmless entry.
 * Single-item conditional writes only: the local emulator has no transactions.
 */
export class DynamoSequenceAllocator {
  constructor(private readonly options: { client: DynamoDBDocumentClient; tableName: string }) {}

  async allocate(counter: string, holder: string): Promise<number> {
    const key = { pk: `COUNTER#${counter}`, sk: 'COUNTER' };
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      const { Item } = await this.options.client.send(
        new GetCommand({ TableName: this.options.tableName, Key: key, ConsistentRead: true }),
      );
      const pending = (Item?.pending ?? {}) as Record<string, PendingAllocation>;
      const existing = pending[holder];
      if (existing !== undefined) return existing.sequence;
      const current = (Item?.value as number | undefined) ?? 0;
      const next = current + 1;
      const claim: PendingAllocation = { sequence: next, at: new Date().toISOString() };
      try {
        await this.options.client.send(
          new UpdateCommand({
            TableName: this.options.tableName,
            Key: key,
            UpdateExpression:
              Item === undefined
                ? 'SET #value = :next, #pending = :pendingMap'
                : 'SET #value = :next, #pending.#holder = :claim',
            ConditionExpression: Item === undefined ? 'attribute_not_exists(pk)' : '#value = :current',
            ExpressionAttributeNames:
              Item === undefined
                ? { '#value': 'value', '#pending': 'pending' }
                : { '#value': 'value', '#pending': 'pending', '#holder': holder },
            ExpressionAttributeValues:
              Item === undefined
                ? { ':next': next, ':pendingMap': { [holder]: claim } }
                : { ':next': next, ':current': current, ':claim': claim },
          }),
        );
        return next;
      } catch (error) {
        if (!(error instanceof Error && error.name === 'ConditionalCheckFailedException')) throw error;
        // Someone else took a number first: read again after a capped exponential, fully jittered pause.
        const ceiling = Math.min(250, 5 * 2 ** Math.min(attempt, 6));
        await new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
      }
    }
    throw new Error(`counter ${counter} is too contended; retry later`);
  }

  /** Numbers taken but not yet released: a reader of a sequence must not skip past them while they are fresh. */
  async pending(counter: string): Promise<PendingAllocation[]> {
    const { Item } = await this.options.client.send(
      new GetCommand({
        TableName: this.options.tableName,
        Key: { pk: `COUNTER#${counter}`, sk: 'COUNTER' },
        ConsistentRead: true,
      }),
    );
    return Object.values((Item?.pending ?? {}) as Record<string, PendingAllocation>);
  }

  /** Forgets the holder's pending entry once its number is stored elsewhere. */
  async release(counter: string, holder: string): Promise<void> {
    await this.options.client
      .send(
        new UpdateCommand({
          TableName: this.options.tableName,
          Key: { pk: `COUNTER#${counter}`, sk: 'COUNTER' },
          UpdateExpression: 'REMOVE #pending.#holder',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#pending': 'pending', '#holder': holder },
        }),
      )
      .catch((error: unknown) => {
        if (!(error instanceof Error && error.name === 'ConditionalCheckFailedException')) throw error;
      });
  }
}

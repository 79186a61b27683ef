import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { type AuditEvent, AuditEventSchema, newId } from '../domain/index.js';
import type { AuditLog } from '../ports/audit-log.js';
import { isConditionFailure, putNew } from './dynamo-support.js';

/**
 * {@link AuditLog} on the single table, never updated: `SUB#<id>` / `AUDIT#<time>#<ulid>`, and for an
 * event that happens once `SUB#<id>` / `AUDIT#ONCE#<revision>#<action>[#<scope>]` — a key every
 * duplicate computes alike, so its conditional put lets exactly one through.
 */
export class DynamoAuditLog implements AuditLog {
  constructor(private readonly options: { client: DynamoDBDocumentClient; tableName: string }) {}

  async append(event: AuditEvent): Promise<void> {
    const valid = AuditEventSchema.parse(event);
    // The key is new to this call: an item already there is this append, whose reply was lost.
    await putNew(this.options, {
      pk: `SUB#${valid.submissionId}`,
      sk: `AUDIT#${valid.at}#${newId()}`,
      ...valid,
    });
  }

  async appendOnce(event: AuditEvent, scope?: string): Promise<boolean> {
    const valid = AuditEventSchema.parse(event);
    const key = [
      String(valid.revision).padStart(4, '0'),
      valid.action,
      ...(scope === undefined ? [] : [scope]),
    ];
    try {
      await this.options.client.send(
        new PutCommand({
          TableName: this.options.tableName,
          Item: { pk: `SUB#${valid.submissionId}`, sk: `AUDIT#ONCE#${key.join('#')}`, ...valid },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      // Recorded already: by a duplicate, or by this very put whose reply was lost.
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async list(submissionId: string): Promise<AuditEvent[]> {
    const events: AuditEvent[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.options.client.send(
        new QueryCommand({
          TableName: this.options.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': `SUB#${submissionId}`, ':prefix': 'AUDIT#' },
          ExclusiveStartKey: start,
        }),
      );
      for (const { pk: _pk, sk: _sk, ...event } of page.Items ?? [])
        events.push(AuditEventSchema.parse(event));
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
    // Timed keys sort by time already; once-keys sort by revision and action: order all by time.
    return events.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  }
}

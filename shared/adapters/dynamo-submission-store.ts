import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import {
  assertTransition,
  STATUS_LABELS,
  type Submission,
  type SubmissionDraft,
  SubmissionSchema,
  type SubmissionStatus,
} from '../domain/index.js';
import { GongkaiError } from '../errors.js';
import type { RevisionPatch, SubmissionStore } from '../ports/submission-store.js';
import {
  decodeCursor,
  encodeCursor,
  isConditionFailure,
  isRetriedConditionFailure,
  putNew,
  tableHolds,
} from './dynamo-support.js';

/** The submission does not exist (or the caller may not see it: the handler decides). */
export class SubmissionNotFoundError extends GongkaiError {
  override readonly httpStatus: number = 404;
  constructor() {
    super('找不到该提交，请检查链接或编号是否正确。');
  }
}

/** A task or a drafter acted on a revision that is no longer the current one. */
export class StaleRevisionError extends GongkaiError {
  override readonly httpStatus: number = 409;
  constructor(
    readonly expected: number,
    readonly current: number,
  ) {
    super(`该提交已有新的修订版本（第 ${current} 版），第 ${expected} 版不能再变更。请刷新后查看最新版本。`);
  }
}

/** A new revision was asked for a submission that was not returned and did not fail. */
export class RevisionNotAllowedError extends GongkaiError {
  override readonly httpStatus: number = 409;
  constructor(readonly status: SubmissionStatus) {
    super(`当前状态为「${STATUS_LABELS[status]}」，只有被退回或处理失败的提交才能提交新的修订版本。`);
  }
}

const KEY_FIELDS = ['pk', 'sk', 'gsi1pk', 'gsi1sk'] as const;
const MAX_RACE_RETRIES = 5;

function keyOf(id: string) {
  return { pk: `SUB#${id}`, sk: 'SUBMISSION' };
}

function toItem(submission: Submission) {
  return {
    ...keyOf(submission.id),
    gsi1pk: `DRAFTER#${submission.drafter.id}`,
    gsi1sk: `${submission.createdAt}#${submission.id}`,
    ...submission,
  };
}

function fromItem(item: Record<string, unknown>): Submission {
  const copy = { ...item };
  for (const field of KEY_FIELDS) delete copy[field];
  return SubmissionSchema.parse(copy);
}

/**
 * {@link SubmissionStore} on the single table: item `SUB#<id>` / `SUBMISSION` holds the current
 * revision; gsi1 lists a drafter's submissions. Status changes are conditional on the stored
 * status and revision, so two racing tasks can never both move the same revision.
 */
export class DynamoSubmissionStore implements SubmissionStore {
  constructor(private readonly options: { client: DynamoDBDocumentClient; tableName: string }) {}

  async create(submission: Submission): Promise<void> {
    await putNew(this.options, toItem(SubmissionSchema.parse(submission)));
  }

  /**
   * Whether the table holds exactly `item`: after a conditional write failed its condition, this
   * tells our own write whose reply was lost (the SDK's retry then meets the changed item) from a
   * write of someone else.
   */
  private holds(item: ReturnType<typeof toItem>): Promise<boolean> {
    return tableHolds(this.options, item);
  }

  async get(id: string): Promise<Submission | undefined> {
    const { Item } = await this.options.client.send(
      new GetCommand({ TableName: this.options.tableName, Key: keyOf(id), ConsistentRead: true }),
    );
    return Item === undefined ? undefined : fromItem(Item);
  }

  private async getExisting(id: string): Promise<Submission> {
    const submission = await this.get(id);
    if (submission === undefined) throw new SubmissionNotFoundError();
    return submission;
  }

  async transition(
    id: string,
    revision: number,
    to: SubmissionStatus,
    options: { now: Date; patch?: RevisionPatch },
  ): Promise<{ submission: Submission; changed: boolean; from: SubmissionStatus }> {
    for (let attempt = 0; attempt < MAX_RACE_RETRIES; attempt += 1) {
      const current = await this.getExisting(id);
      if (current.revision !== revision) throw new StaleRevisionError(revision, current.revision);
      if (current.status === to) return { submission: current, changed: false, from: current.status };
      assertTransition(current.status, to, current.metadata.disclosure.attribute);
      const next = SubmissionSchema.parse({
        ...current,
        ...options.patch,
        status: to,
        updatedAt: options.now.toISOString(),
      });
      try {
        await this.options.client.send(
          new PutCommand({
            TableName: this.options.tableName,
            Item: toItem(next),
            ConditionExpression: '#status = :from AND #revision = :revision',
            ExpressionAttributeNames: { '#status': 'status', '#revision': 'revision' },
            ExpressionAttributeValues: { ':from': current.status, ':revision': revision },
          }),
        );
        return { submission: next, changed: true, from: current.status };
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        // Our own write whose reply was lost is this change, not a repeat of it: the caller audits it once.
        if (isRetriedConditionFailure(error) && (await this.holds(toItem(next))))
          return { submission: next, changed: true, from: current.status };
        // Someone changed it between our read and write: decide again on what is stored now.
      }
    }
    throw new Error('submission is changing too often; retry later');
  }

  async patch(
    id: string,
    revision: number,
    patch: RevisionPatch,
    options: { now: Date },
  ): Promise<Submission> {
    for (let attempt = 0; attempt < MAX_RACE_RETRIES; attempt += 1) {
      const current = await this.getExisting(id);
      if (current.revision !== revision) throw new StaleRevisionError(revision, current.revision);
      const next = SubmissionSchema.parse({ ...current, ...patch, updatedAt: options.now.toISOString() });
      try {
        await this.options.client.send(
          new PutCommand({
            TableName: this.options.tableName,
            Item: toItem(next),
            ConditionExpression: '#status = :status AND #revision = :revision AND #updatedAt = :updatedAt',
            ExpressionAttributeNames: {
              '#status': 'status',
              '#revision': 'revision',
              '#updatedAt': 'updatedAt',
            },
            ExpressionAttributeValues: {
              ':status': current.status,
              ':revision': revision,
              ':updatedAt': current.updatedAt,
            },
          }),
        );
        return next;
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    }
    throw new Error('submission is changing too often; retry later');
  }

  async newRevision(
    id: string,
    expectedRevision: number,
    draft: SubmissionDraft,
    options: { now: Date },
  ): Promise<Submission> {
    const current = await this.getExisting(id);
    if (current.revision !== expectedRevision)
      throw new StaleRevisionError(expectedRevision, current.revision);
    // A new revision is only for a revision that ended without publication.
    if (current.status !== 'RETURNED' && current.status !== 'FAILED')
      throw new RevisionNotAllowedError(current.status);
    const {
      returnedComment: _comment,
      indexNumber: _index,
      bundleId: _bundle,
      publishedAt: _published,
      ...rest
    } = current;
    const next = SubmissionSchema.parse({
      ...rest,
      drafter: current.drafter,
      metadata: draft.metadata,
      documents: draft.documents,
      revision: expectedRevision + 1,
      status: 'DRAFT',
      updatedAt: options.now.toISOString(),
    });
    try {
      await this.options.client.send(
        new PutCommand({
          TableName: this.options.tableName,
          Item: toItem(next),
          ConditionExpression: '#revision = :revision AND #status = :status',
          ExpressionAttributeNames: { '#revision': 'revision', '#status': 'status' },
          ExpressionAttributeValues: { ':revision': expectedRevision, ':status': current.status },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      if (!isRetriedConditionFailure(error) || !(await this.holds(toItem(next))))
        throw new StaleRevisionError(expectedRevision, expectedRevision + 1);
    }
    return next;
  }

  async listByDrafter(
    drafterId: string,
    options: { limit: number; cursor?: string },
  ): Promise<{ items: Submission[]; cursor?: string }> {
    const page = await this.options.client.send(
      new QueryCommand({
        TableName: this.options.tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': `DRAFTER#${drafterId}` },
        ScanIndexForward: false,
        Limit: options.limit,
        ExclusiveStartKey: decodeCursor(options.cursor),
      }),
    );
    const cursor = encodeCursor(page.LastEvaluatedKey);
    return { items: (page.Items ?? []).map(fromItem), ...(cursor === undefined ? {} : { cursor }) };
  }
}

/** Re-exported for handlers that map store errors to HTTP answers. */
export type { RevisionPatch };

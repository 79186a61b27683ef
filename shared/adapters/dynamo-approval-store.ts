import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { ApprovalLink, ApprovalStore, ReviewStepRecord } from '../ports/approval-store.js';
import { isConditionFailure, isRetriedConditionFailure, putNew } from './dynamo-support.js';

function stepKey(submissionId: string, revision: number, stepId: string) {
  return { pk: `SUB#${submissionId}`, sk: `REV#${String(revision).padStart(4, '0')}#STEP#${stepId}` };
}

function linkKey(hash: string) {
  return { pk: `LINK#${hash}`, sk: 'LINK' };
}

function strip<T>(item: Record<string, unknown>): T {
  const { pk: _pk, sk: _sk, ...rest } = item;
  return rest as T;
}

/**
 * {@link ApprovalStore} on the single table. A decision is two conditional writes in a fixed
 * order — first the step (only the first decision of an attempt wins), then the link (single
 * use) — so that two approvers of one step, or one approver clicking twice, record one decision.
 */
export class DynamoApprovalStore implements ApprovalStore {
  constructor(private readonly options: { client: DynamoDBDocumentClient; tableName: string }) {}

  async openStep(step: ReviewStepRecord, links: ApprovalLink[]): Promise<boolean> {
    // Links first: a step that lists a hash must be able to find its link.
    // A fresh secret's hash is new: a link found there is this put, whose reply was lost.
    for (const link of links) await putNew(this.options, { ...linkKey(link.hash), ...link });
    try {
      await this.options.client.send(
        new PutCommand({
          TableName: this.options.tableName,
          Item: { ...stepKey(step.submissionId, step.revision, step.stepId), ...step },
          // A reminder replaces the request of an earlier attempt, a retry one whose mails did not
          // all go out; never a decided or closed step.
          ConditionExpression:
            'attribute_not_exists(pk) OR (#status = :pending AND (#attempt < :attempt OR (#attempt = :attempt AND attribute_not_exists(mailedAt))))',
          ExpressionAttributeNames: { '#status': 'status', '#attempt': 'attempt' },
          ExpressionAttributeValues: { ':pending': 'PENDING', ':attempt': step.attempt },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async markMailed(step: ReviewStepRecord, at: string): Promise<void> {
    const [first] = step.linkHashes;
    if (first === undefined) return;
    await this.options.client
      .send(
        new UpdateCommand({
          TableName: this.options.tableName,
          Key: stepKey(step.submissionId, step.revision, step.stepId),
          UpdateExpression: 'SET mailedAt = :at',
          // Only the issuance that sent these mails: a concurrent retry may have replaced it.
          ConditionExpression: '#attempt = :attempt AND contains(linkHashes, :hash)',
          ExpressionAttributeNames: { '#attempt': 'attempt' },
          ExpressionAttributeValues: { ':at': at, ':attempt': step.attempt, ':hash': first },
        }),
      )
      .catch((error: unknown) => {
        if (!isConditionFailure(error)) throw error;
      });
  }

  async getLink(hash: string): Promise<ApprovalLink | undefined> {
    const { Item } = await this.options.client.send(
      new GetCommand({ TableName: this.options.tableName, Key: linkKey(hash), ConsistentRead: true }),
    );
    return Item === undefined ? undefined : strip<ApprovalLink>(Item);
  }

  async getStep(
    submissionId: string,
    revision: number,
    stepId: string,
  ): Promise<ReviewStepRecord | undefined> {
    const { Item } = await this.options.client.send(
      new GetCommand({
        TableName: this.options.tableName,
        Key: stepKey(submissionId, revision, stepId),
        ConsistentRead: true,
      }),
    );
    return Item === undefined ? undefined : strip<ReviewStepRecord>(Item);
  }

  async listSteps(submissionId: string, revision: number): Promise<ReviewStepRecord[]> {
    const page = await this.options.client.send(
      new QueryCommand({
        TableName: this.options.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: {
          ':pk': `SUB#${submissionId}`,
          ':prefix': `REV#${String(revision).padStart(4, '0')}#STEP#`,
        },
        ConsistentRead: true,
      }),
    );
    return (page.Items ?? []).map((item) => strip<ReviewStepRecord>(item));
  }

  async decide(
    link: ApprovalLink,
    decision: { status: 'APPROVED' | 'REJECTED'; comment?: string; at: string },
  ): Promise<boolean> {
    try {
      await this.options.client.send(
        new UpdateCommand({
          TableName: this.options.tableName,
          Key: stepKey(link.submissionId, link.revision, link.stepId),
          UpdateExpression:
            'SET #status = :decision, decidedBy = :approver, decidedAt = :at, #comment = :comment',
          ConditionExpression:
            '#status = :pending AND #attempt = :attempt AND contains(linkHashes, :hash) AND expiresAt > :at',
          ExpressionAttributeNames: { '#status': 'status', '#attempt': 'attempt', '#comment': 'comment' },
          ExpressionAttributeValues: {
            ':decision': decision.status,
            ':approver': link.approverId,
            ':at': decision.at,
            ':comment': decision.comment ?? '',
            ':pending': 'PENDING',
            ':attempt': link.attempt,
            ':hash': link.hash,
          },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      if (!isRetriedConditionFailure(error)) return false;
      // A decision whose reply was lost finds the step holding exactly it: the step is ours after all.
      const step = await this.getStep(link.submissionId, link.revision, link.stepId);
      const ours =
        step !== undefined &&
        step.status === decision.status &&
        step.attempt === link.attempt &&
        step.decidedBy === link.approverId &&
        step.decidedAt === decision.at &&
        (step.comment ?? '') === (decision.comment ?? '') &&
        step.linkHashes.includes(link.hash);
      if (!ours) return false;
    }
    // The step is ours; the link records the same decision. Its condition only guards reuse.
    try {
      await this.options.client.send(
        new UpdateCommand({
          TableName: this.options.tableName,
          Key: linkKey(link.hash),
          UpdateExpression: 'SET #status = :decision, decidedAt = :at',
          ConditionExpression: '#status = :pending AND expiresAt > :at',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':decision': decision.status,
            ':at': decision.at,
            ':pending': 'PENDING',
          },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    return true;
  }

  async markDelivered(hash: string): Promise<void> {
    await this.options.client.send(
      new UpdateCommand({
        TableName: this.options.tableName,
        Key: linkKey(hash),
        UpdateExpression: 'SET delivered = :true',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':true': true },
      }),
    );
  }

  async setTaskToken(hashes: readonly string[], taskToken: string): Promise<void> {
    for (const hash of hashes) {
      await this.options.client
        .send(
          new UpdateCommand({
            TableName: this.options.tableName,
            Key: linkKey(hash),
            UpdateExpression: 'SET taskToken = :token',
            ConditionExpression: 'attribute_exists(pk) AND #status = :pending',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':token': taskToken, ':pending': 'PENDING' },
          }),
        )
        .catch((error: unknown) => {
          // A link decided or revoked meanwhile keeps its token: nothing waits on it any more.
          if (!isConditionFailure(error)) throw error;
        });
    }
  }

  async revokeStep(
    submissionId: string,
    revision: number,
    stepId: string,
    status: 'EXPIRED' | 'REVOKED',
  ): Promise<void> {
    const step = await this.getStep(submissionId, revision, stepId);
    if (step === undefined) return;
    for (const hash of step.linkHashes) {
      await this.options.client
        .send(
          new UpdateCommand({
            TableName: this.options.tableName,
            Key: linkKey(hash),
            UpdateExpression: 'SET #status = :revoked',
            ConditionExpression: '#status = :pending',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':revoked': 'REVOKED', ':pending': 'PENDING' },
          }),
        )
        .catch((error: unknown) => {
          if (!isConditionFailure(error)) throw error;
        });
    }
    await this.options.client
      .send(
        new UpdateCommand({
          TableName: this.options.tableName,
          Key: stepKey(submissionId, revision, stepId),
          UpdateExpression: 'SET #status = :status',
          ConditionExpression: '#status = :pending',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':status': status, ':pending': 'PENDING' },
        }),
      )
      .catch((error: unknown) => {
        if (!isConditionFailure(error)) throw error;
      });
  }
}

import { Readable } from 'node:stream';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../../shared/adapters/aws-clients.js';
import { DynamoApprovalStore } from '../../../shared/adapters/dynamo-approval-store.js';
import { DynamoAuditLog } from '../../../shared/adapters/dynamo-audit-log.js';
import { DynamoSubmissionStore } from '../../../shared/adapters/dynamo-submission-store.js';
import { addFaultInjection, injectedFaults } from '../../../shared/lambda/clients.js';
import type { ApprovalLink, ReviewStepRecord } from '../../../shared/ports/approval-store.js';
import { anAuditEvent, aSubmission, IDS } from '../../support/builders.js';

/**
 * The stores after a reply the fault injector loses: the write took effect, the SDK sends it again,
 * and the retry meets the condition its own first attempt changed (as DynamoDB answers it). Each
 * store must then recognise its own write, and still report a real conflict as one.
 */

type Item = Record<string, AttributeValue>;

/**
 * An offline stand-in for DynamoDB, enough for these stores: PutItem, GetItem and UpdateItem with
 * `SET a = :x, …`. It does not evaluate conditions; a conditional write fails when it repeats a
 * request already carried out (a retry after a lost reply), when `attribute_not_exists(pk)` meets an
 * item, or when the test marked its key as taken by someone else.
 */
function fakeDynamo() {
  const items = new Map<string, Item>();
  const carriedOut = new Set<string>();
  const takenByOthers = new Set<string>();
  const keyOf = (key: Item) => `${key.pk?.S} ${key.sk?.S}`;
  const answer = (statusCode: number, body: unknown) => ({
    response: {
      statusCode,
      headers: { 'content-type': 'application/x-amz-json-1.0' },
      body: Readable.from([Buffer.from(JSON.stringify(body))]),
    },
  });
  const conditionFailed = () =>
    answer(400, {
      __type: 'com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException',
      message: 'The conditional request failed',
    });
  const handle = async (request: { headers: Record<string, string>; body?: unknown }) => {
    const operation = request.headers['x-amz-target']?.split('.')[1];
    const body = String(request.body);
    const input = JSON.parse(body) as {
      Item?: Item;
      Key?: Item;
      ConditionExpression?: string;
      UpdateExpression?: string;
      ExpressionAttributeNames?: Record<string, string>;
      ExpressionAttributeValues?: Item;
    };
    if (operation === 'GetItem') {
      const item = items.get(keyOf(input.Key ?? {}));
      return answer(200, item === undefined ? {} : { Item: item });
    }
    const key = keyOf(input.Item ?? input.Key ?? {});
    if (input.ConditionExpression !== undefined) {
      const exists = items.has(key);
      if (
        carriedOut.has(body) ||
        takenByOthers.has(key) ||
        (input.ConditionExpression === 'attribute_not_exists(pk)' && exists)
      ) {
        return conditionFailed();
      }
    }
    carriedOut.add(body);
    if (operation === 'PutItem') items.set(key, input.Item ?? {});
    else if (operation === 'UpdateItem') {
      const item: Item = { ...(items.get(key) ?? input.Key ?? {}) };
      for (const assignment of (input.UpdateExpression ?? '').replace(/^SET /, '').split(',')) {
        const [name = '', value = ''] = assignment.split('=').map((part) => part.trim());
        const attribute = input.ExpressionAttributeNames?.[name] ?? name;
        const assigned = input.ExpressionAttributeValues?.[value];
        if (assigned !== undefined) item[attribute] = assigned;
      }
      items.set(key, item);
    } else throw new Error(`the fake does not answer ${operation}`);
    return answer(200, {});
  };
  return { items, takenByOthers, handle };
}

/**
 * A document client on the fake whose injector loses exactly the replies `lose` picks (by the
 * request's operation and body), each once: a middleware ahead of the injector shows it the request.
 */
function clientLosing(lose: (operation: string, body: string) => boolean) {
  const dynamo = fakeDynamo();
  const client = createDocumentClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    endpoints: { dynamodb: 'http://dynamodb.invalid' },
  });
  (client.config as { requestHandler: unknown }).requestHandler = { handle: dynamo.handle };
  let current = { operation: '', body: '' };
  const lost = new Set<string>();
  client.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { headers: Record<string, string>; body?: unknown };
      current = {
        operation: request.headers['x-amz-target']?.split('.')[1] ?? '',
        body: String(request.body),
      };
      return next(args);
    },
    { step: 'finalizeRequest', priority: 'normal', name: 'testShowsRequestToInjector' },
  );
  addFaultInjection(client, 0.5, {
    replyLostShare: 1,
    random: () => {
      if (lost.has(current.body) || !lose(current.operation, current.body)) return 0.99;
      lost.add(current.body);
      return 0;
    },
  });
  return { client, dynamo, lostReplies: () => lost.size };
}

const TABLE = 'table';

describe('Stores after a lost reply of a conditional write', () => {
  it('appends an audit event once when the reply of its write is lost', async () => {
    // Prepare
    const { client, dynamo, lostReplies } = clientLosing((operation) => operation === 'PutItem');
    const before = injectedFaults.replyLost;

    // Act
    await new DynamoAuditLog({ client, tableName: TABLE }).append(anAuditEvent());

    // Assess
    expect(lostReplies()).toBe(1);
    expect(injectedFaults.replyLost - before).toBe(1);
    expect([...dynamo.items.keys()].filter((key) => key.includes('AUDIT#'))).toHaveLength(1);
  });

  it('refuses a second create of the same item when no reply was lost (the first attempt failed)', async () => {
    // Prepare: the very same submission is stored already, by an earlier request
    const { client, lostReplies } = clientLosing(() => false);
    const store = new DynamoSubmissionStore({ client, tableName: TABLE });
    await store.create(aSubmission());

    // Act
    const repeated = await store.create(aSubmission()).catch((error: unknown) => error);

    // Assess
    expect(lostReplies()).toBe(0);
    expect((repeated as Error).name).toBe('ConditionalCheckFailedException');
  });

  it('creates a submission whose reply was lost, and still refuses an id someone else holds', async () => {
    // Prepare
    const lostCase = clientLosing((operation) => operation === 'PutItem');
    const taken = clientLosing(() => false);
    const store = (client: typeof taken.client) => new DynamoSubmissionStore({ client, tableName: TABLE });
    await store(taken.client).create(aSubmission({ metadata: { title: '另一份文件' } }));

    // Act
    await store(lostCase.client).create(aSubmission());
    const conflict = await store(taken.client)
      .create(aSubmission())
      .catch((error: unknown) => error);

    // Assess
    expect(lostCase.lostReplies()).toBe(1);
    expect((await store(lostCase.client).get(IDS.submission))?.metadata.title).toBe(
      aSubmission().metadata.title,
    );
    expect((conflict as Error).name).toBe('ConditionalCheckFailedException');
  });

  it('reports a status change whose reply was lost as this change, from the status before it', async () => {
    // Prepare
    const { client, lostReplies } = clientLosing(
      (operation, body) => operation === 'PutItem' && body.includes('"SUBMITTED"'),
    );
    const store = new DynamoSubmissionStore({ client, tableName: TABLE });
    await store.create(aSubmission({ status: 'DRAFT' }));

    // Act
    const result = await store.transition(IDS.submission, 1, 'SUBMITTED', {
      now: new Date('2019-07-19T02:00:00.000Z'),
    });

    // Assess
    expect(lostReplies()).toBe(1);
    expect(result.changed).toBe(true);
    expect(result.from).toBe('DRAFT');
    expect((await store.get(IDS.submission))?.status).toBe('SUBMITTED');
  });

  it('returns the new revision whose reply was lost instead of calling it stale', async () => {
    // Prepare
    const { client, lostReplies } = clientLosing(
      (operation, body) => operation === 'PutItem' && body.includes('"DRAFT"'),
    );
    const store = new DynamoSubmissionStore({ client, tableName: TABLE });
    await store.create(aSubmission({ status: 'FAILED' }));
    const { drafter, metadata, documents } = aSubmission();

    // Act
    const next = await store.newRevision(
      IDS.submission,
      1,
      { drafter, metadata, documents },
      {
        now: new Date('2019-07-20T02:00:00.000Z'),
      },
    );

    // Assess
    expect(lostReplies()).toBe(1);
    expect(next.revision).toBe(2);
    expect((await store.get(IDS.submission))?.revision).toBe(2);
  });

  const link: ApprovalLink = {
    hash: 'a'.repeat(64),
    submissionId: IDS.submission,
    revision: 1,
    stepId: 'sign-off',
    attempt: 0,
    approverId: 'approver-001',
    taskToken: 'token',
    createdAt: '2019-07-19T02:00:00.000Z',
    expiresAt: '2019-07-22T02:00:00.000Z',
    status: 'PENDING',
  };
  const step: ReviewStepRecord = {
    submissionId: IDS.submission,
    revision: 1,
    stepId: 'sign-off',
    status: 'PENDING',
    attempt: 0,
    linkHashes: [link.hash],
    requestedAt: link.createdAt,
    expiresAt: link.expiresAt,
  };
  const decision = { status: 'APPROVED' as const, at: '2019-07-19T03:00:00.000Z' };

  it('opens a review step whose link write lost its reply', async () => {
    // Prepare
    const { client, lostReplies } = clientLosing(
      (operation, body) => operation === 'PutItem' && body.includes('LINK#'),
    );
    const store = new DynamoApprovalStore({ client, tableName: TABLE });

    // Act
    const opened = await store.openStep(step, [link]);

    // Assess
    expect(lostReplies()).toBe(1);
    expect(opened).toBe(true);
    expect((await store.getLink(link.hash))?.approverId).toBe('approver-001');
  });

  it('wins the decision whose reply was lost, and records it on the link too', async () => {
    // Prepare
    const { client, lostReplies } = clientLosing(
      (operation, body) => operation === 'UpdateItem' && body.includes('#STEP#'),
    );
    const store = new DynamoApprovalStore({ client, tableName: TABLE });
    await store.openStep(step, [link]);

    // Act
    const won = await store.decide(link, decision);

    // Assess
    expect(lostReplies()).toBe(1);
    expect(won).toBe(true);
    expect((await store.getLink(link.hash))?.status).toBe('APPROVED');
    expect((await store.getStep(IDS.submission, 1, 'sign-off'))?.decidedBy).toBe('approver-001');
  });

  it('still loses a decision another write got to first', async () => {
    // Prepare: the step is pending but its conditional write fails (someone else's change)
    const { client, dynamo } = clientLosing(() => false);
    const store = new DynamoApprovalStore({ client, tableName: TABLE });
    await store.openStep(step, [link]);
    dynamo.takenByOthers.add(`SUB#${IDS.submission} REV#0001#STEP#sign-off`);

    // Act
    const won = await store.decide(link, decision);

    // Assess
    expect(won).toBe(false);
    expect((await store.getLink(link.hash))?.status).toBe('PENDING');
  });
});

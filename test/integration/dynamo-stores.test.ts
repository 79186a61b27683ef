import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoApprovalStore } from '../../shared/adapters/dynamo-approval-store.js';
import { DynamoAuditLog } from '../../shared/adapters/dynamo-audit-log.js';
import { DynamoCatalogStore } from '../../shared/adapters/dynamo-catalog-store.js';
import { DynamoSequenceAllocator } from '../../shared/adapters/dynamo-sequence-allocator.js';
import { DynamoSubmissionStore, StaleRevisionError } from '../../shared/adapters/dynamo-submission-store.js';
import type { ApprovalLink, ReviewStepRecord } from '../../shared/ports/approval-store.js';
import type { CatalogEntry, CatalogEvent } from '../../shared/ports/catalog-store.js';
import { aSubmission } from '../support/builders.js';
import { startTestDynamo } from './support/emulators.js';
import { START_TIMEOUT_MS } from './support/local-system.js';

let dynamo: Awaited<ReturnType<typeof startTestDynamo>>;

beforeAll(async () => {
  dynamo = await startTestDynamo();
}, START_TIMEOUT_MS);

afterAll(async () => {
  await dynamo?.stop();
});

let counter = 0;
/** A submission id no other test uses (the table is shared by the file's tests). */
function freshId(): string {
  counter += 1;
  return `01HZY8K3Q4M5N6P7R8S9T0V${String(counter).padStart(3, '0')}`;
}

describe('DynamoSubmissionStore against dynalite', () => {
  const store = () => new DynamoSubmissionStore({ client: dynamo.client, tableName: dynamo.tableName });
  const now = new Date('2019-07-19T02:00:00.000Z');

  it('moves a revision along the lifecycle and reports a repeated change as unchanged', async () => {
    const id = freshId();
    await store().create(aSubmission({ id }));

    const first = await store().transition(id, 1, 'SUBMITTED', { now });
    const repeated = await store().transition(id, 1, 'SUBMITTED', { now });

    expect(first).toMatchObject({ changed: true, from: 'DRAFT' });
    expect(repeated).toMatchObject({ changed: false, from: 'SUBMITTED' });
    expect((await store().get(id))?.status).toBe('SUBMITTED');
  });

  it('refuses a transition the lifecycle forbids and leaves the stored status alone', async () => {
    const id = freshId();
    await store().create(aSubmission({ id }));

    await expect(store().transition(id, 1, 'PUBLISHED', { now })).rejects.toMatchObject({
      name: 'IllegalTransitionError',
    });
    expect((await store().get(id))?.status).toBe('DRAFT');
  });

  it('refuses a second create of the same id (conditional put)', async () => {
    const id = freshId();
    await store().create(aSubmission({ id }));

    await expect(store().create(aSubmission({ id }))).rejects.toMatchObject({
      name: 'ConditionalCheckFailedException',
    });
  });

  it('refuses to move a revision that is no longer current', async () => {
    const id = freshId();
    await store().create(aSubmission({ id, status: 'RETURNED' }));
    await store().newRevision(id, 1, aSubmission(), { now });

    await expect(store().transition(id, 1, 'SUBMITTED', { now })).rejects.toBeInstanceOf(StaleRevisionError);
  });

  it('lets exactly one of two racing transitions from the same status win', async () => {
    const id = freshId();
    await store().create(aSubmission({ id, status: 'SUBMITTED' }));

    // SUBMITTED → VALIDATING and SUBMITTED → WITHDRAWN race; the loser re-reads and finds a status
    // from which its own change is not allowed (or already made).
    const results = await Promise.allSettled([
      store().transition(id, 1, 'VALIDATING', { now }),
      store().transition(id, 1, 'WITHDRAWN', { now }),
    ]);

    const changed = results.filter((result) => result.status === 'fulfilled' && result.value.changed);
    const stored = (await store().get(id))?.status;
    expect(changed).toHaveLength(1);
    expect(['VALIDATING', 'WITHDRAWN']).toContain(stored);
    const winner = (changed[0] as PromiseFulfilledResult<{ submission: { status: string } }>).value.submission
      .status;
    expect(stored).toBe(winner);
  });

  it('lets exactly one of two racing new revisions win', async () => {
    const id = freshId();
    await store().create(aSubmission({ id, status: 'RETURNED' }));

    const results = await Promise.allSettled([
      store().newRevision(id, 1, aSubmission(), { now }),
      store().newRevision(id, 1, aSubmission(), { now }),
    ]);

    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    expect((await store().get(id))?.revision).toBe(2);
  });
});

describe('DynamoSequenceAllocator against dynalite', () => {
  const allocator = () => new DynamoSequenceAllocator({ client: dynamo.client, tableName: dynamo.tableName });

  it('gives the same holder the same number, however often it asks', async () => {
    const first = await allocator().allocate('INDEX#640100-141#2019', 'bundle-a');
    const again = await allocator().allocate('INDEX#640100-141#2019', 'bundle-a');
    const concurrent = await Promise.all(
      Array.from({ length: 10 }, () => allocator().allocate('INDEX#640100-141#2019', 'bundle-a')),
    );

    expect(again).toBe(first);
    expect(new Set(concurrent)).toEqual(new Set([first]));
  });

  it('gives 50 concurrent holders 50 distinct numbers with no gap', async () => {
    const holders = Array.from({ length: 50 }, (_, index) => `holder-${index}`);

    const numbers = await Promise.all(
      holders.map((holder) => allocator().allocate('INDEX#CONCURRENT#2019', holder)),
    );

    expect(new Set(numbers).size).toBe(50);
    expect([...numbers].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, index) => index + 1));
    // Asking again (a retried publish) returns each holder's own number.
    const again = await Promise.all(
      holders.map((holder) => allocator().allocate('INDEX#CONCURRENT#2019', holder)),
    );
    expect(again).toEqual(numbers);
  }, 60_000);
});

describe('DynamoCatalogStore against dynalite', () => {
  const catalog = (now?: () => Date) =>
    new DynamoCatalogStore({
      client: dynamo.client,
      tableName: dynamo.tableName,
      ...(now === undefined ? {} : { now }),
    });

  function event(bundleId: string): Omit<CatalogEvent, 'sequence'> {
    return {
      eventId: `PUBLISHED#${bundleId}`,
      type: 'PUBLISHED',
      bundleId,
      at: '2019-07-19T08:00:00.000Z',
      validity: 'VALID',
      manifestKey: `bundles/${bundleId}/manifest.json`,
    };
  }

  function entry(bundleId: string): Omit<CatalogEntry, 'lastSequence'> {
    return {
      bundleId,
      submissionId: 'sub',
      revision: 1,
      indexNumber: `640100-141/2019-${bundleId}`,
      title: '实施方案',
      issuingBody: '银川市大数据产业发展服务中心',
      writtenDate: '2019-07-19',
      publishedAt: '2019-07-19T08:00:00.000Z',
      subjectCategory: '综合政务',
      validity: 'VALID',
      manifestKey: `bundles/${bundleId}/manifest.json`,
      manifestSha256: 'a'.repeat(64),
    };
  }

  it('appends events idempotently and lists them contiguously after a cursor', async () => {
    const bundles = Array.from({ length: 12 }, (_, index) => `B${String(index).padStart(3, '0')}`);

    const appended = await Promise.all(
      bundles.map((bundle) => catalog().append(event(bundle), entry(bundle))),
    );
    const retried = await catalog().append(event('B003'), entry('B003'));

    const sequences = appended.map((stored) => stored.sequence).sort((a, b) => a - b);
    expect(sequences).toEqual(Array.from({ length: 12 }, (_, index) => index + 1));
    expect(retried.sequence).toBe(appended[3]?.sequence);
    const all = await catalog().changesAfter(0, { limit: 100 });
    expect(all.map((change) => change.sequence)).toEqual(sequences);
    const after = await catalog().changesAfter(5, { limit: 100 });
    expect(after.map((change) => change.sequence)).toEqual(sequences.slice(5));
  });

  it('keeps the time an event was first recorded when its append is retried later', async () => {
    const first = await catalog().append(event('RETRIED-LATER'), entry('RETRIED-LATER'));

    const retried = await catalog().append(
      { ...event('RETRIED-LATER'), at: '2019-07-20T09:30:00.000Z' },
      entry('RETRIED-LATER'),
    );

    expect(retried).toEqual(first);
    const changes = await catalog().changesAfter(first.sequence - 1, { limit: 1 });
    expect(changes[0]).toMatchObject({ bundleId: 'RETRIED-LATER', at: first.at });
  });

  it('stops the feed at a sequence that is allocated but not yet written, until it is abandoned', async () => {
    const allocator = new DynamoSequenceAllocator({ client: dynamo.client, tableName: dynamo.tableName });
    const before = (await catalog().changesAfter(0, { limit: 1000 })).length;
    // A writer takes the next number and dies before writing its event.
    const taken = await allocator.allocate('CATALOG', 'PUBLISHED#crashed');
    await catalog().append(event('AFTER-GAP'), entry('AFTER-GAP'));

    const now = await catalog().changesAfter(0, { limit: 1000 });
    const muchLater = await catalog(() => new Date(Date.now() + 16 * 60 * 1000)).changesAfter(0, {
      limit: 1000,
    });

    expect(now).toHaveLength(before);
    expect(now.every((change) => change.sequence < taken)).toBe(true);
    expect(muchLater.map((change) => change.bundleId)).toContain('AFTER-GAP');
  });
});

describe('DynamoApprovalStore against dynalite', () => {
  const approvals = () => new DynamoApprovalStore({ client: dynamo.client, tableName: dynamo.tableName });
  const at = '2019-07-19T02:00:00.000Z';
  let hashes = 0;
  /** One issuance of a step at an attempt: a link per approver, as request-approval makes them. */
  function issuance(submissionId: string, attempt: number, approvers = ['approver-001', 'approver-002']) {
    const links: ApprovalLink[] = approvers.map((approverId) => {
      hashes += 1;
      return {
        hash: hashes.toString(16).padStart(64, '0'),
        submissionId,
        revision: 1,
        stepId: 'sign-off',
        attempt,
        approverId,
        taskToken: `token-${attempt}`,
        createdAt: at,
        expiresAt: '2019-07-22T02:00:00.000Z',
        status: 'PENDING',
      };
    });
    const step: ReviewStepRecord = {
      submissionId,
      revision: 1,
      stepId: 'sign-off',
      status: 'PENDING',
      attempt,
      linkHashes: links.map((link) => link.hash),
      requestedAt: at,
      expiresAt: '2019-07-22T02:00:00.000Z',
    };
    return { step, links };
  }

  it('replaces an issuance whose mails did not all go out, and not one whose mails did', async () => {
    const id = freshId();
    const first = issuance(id, 0);
    const retry = issuance(id, 0);
    const lateRetry = issuance(id, 0);

    expect(await approvals().openStep(first.step, first.links)).toBe(true);
    expect(await approvals().openStep(retry.step, retry.links)).toBe(true);
    await approvals().markMailed(first.step, at); // the replaced issuance marks nothing
    expect((await approvals().getStep(id, 1, 'sign-off'))?.mailedAt).toBeUndefined();
    await approvals().markMailed(retry.step, at);
    const opened = await approvals().openStep(lateRetry.step, lateRetry.links);

    expect(opened).toBe(false);
    const stored = await approvals().getStep(id, 1, 'sign-off');
    expect(stored).toMatchObject({ mailedAt: at, linkHashes: retry.step.linkHashes });
    const [replacedLink] = first.links;
    if (replacedLink === undefined) throw new Error('no link');
    expect(await approvals().decide(replacedLink, { status: 'APPROVED', at })).toBe(false);
  });

  it('lets the first of two links decide, and never reopens a decided step', async () => {
    const id = freshId();
    const request = issuance(id, 0);
    await approvals().openStep(request.step, request.links);
    await approvals().markMailed(request.step, at);
    const [first, second] = request.links;
    if (first === undefined || second === undefined) throw new Error('no links');

    const decisions = await Promise.all([
      approvals().decide(first, { status: 'APPROVED', at }),
      approvals().decide(second, { status: 'REJECTED', comment: '退回', at }),
    ]);
    const reminder = issuance(id, 1);
    const reopened = await approvals().openStep(reminder.step, reminder.links);

    expect(decisions.filter(Boolean)).toHaveLength(1);
    expect(reopened).toBe(false);
    const stored = await approvals().getStep(id, 1, 'sign-off');
    expect(stored?.attempt).toBe(0);
    expect(['APPROVED', 'REJECTED']).toContain(stored?.status);
  });
});

describe('DynamoAuditLog against dynalite', () => {
  const audit = () => new DynamoAuditLog({ client: dynamo.client, tableName: dynamo.tableName });
  const event = (submissionId: string, at: string) => ({
    submissionId,
    revision: 1,
    at,
    actor: { id: 'system', role: 'system' as const },
    action: 'DEIDENTIFIED' as const,
    fromStatus: 'DEIDENTIFYING' as const,
    toStatus: 'IN_REVIEW' as const,
  });

  it('lets exactly one of ten racing once-events through, and lists every event by time', async () => {
    const id = freshId();
    await audit().append({ ...event(id, '2019-07-19T03:00:00.000Z'), action: 'NOTIFIED' });

    const results = await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        audit().appendOnce(event(id, `2019-07-19T02:00:00.00${index}Z`)),
      ),
    );
    const again = await audit().appendOnce(event(id, '2019-07-19T04:00:00.000Z'));

    expect(results.filter(Boolean)).toHaveLength(1);
    expect(again).toBe(false);
    const listed = await audit().list(id);
    expect(listed.map((entry) => entry.action)).toEqual(['DEIDENTIFIED', 'NOTIFIED']);
  });
});

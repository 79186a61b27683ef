import { readdir } from 'node:fs/promises';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { readOutbox } from '../../infra/local/outbox.js';
import type { ExecutionEvent } from '../../infra/local/step-functions.js';
import { hashLinkSecret } from '../../shared/approvals/link-secret.js';
import { FAULT_RATE_VARIABLE, injectedFaults } from '../../shared/lambda/clients.js';
import type { ApprovalLink, ReviewStepRecord } from '../../shared/ports/approval-store.js';
import { STATIC_FEED_KEYS } from '../../shared/publication/feeds.js';
import {
  createAndSubmit,
  drafter,
  emulatorClients,
  OutboxApprover,
  type PartReport,
  retrying,
  secretOf,
  sleep,
  startSystem,
  waitForStatus,
} from './support.js';

/**
 * Fault injection. With `GONGKAI_FAULT_RATE` set, that share of the handlers' S3 and DynamoDB
 * attempts fails with a retryable 503 — half before the request is sent, half after it was carried
 * out with its reply lost. `submissions` submissions are created and submitted (a 5xx answer is
 * retried, as a person presses the button again) and approved by the automatic approver through
 * the mailed links. Each must end PUBLISHED, or FAILED with the error recorded on its execution —
 * none stuck, none lost, none duplicated (one execution, one bundle, one 索引号 each; each review
 * step requested once per attempt and decided once) — and FAILED must stay rare.
 */

/** A review step of one revision, as the ledger keys it. */
export function stepKey(submissionId: string, revision: number, stepId: string): string {
  return `${submissionId} r${revision} ${stepId}`;
}

/** What the outbox and the table say about the review steps, read once every run has ended. */
export interface ReviewLedger {
  /** Every `.eml` in the outbox (approval requests and the drafter's notifications). */
  mails: number;
  /** Mails carrying an approval link. */
  approvalMails: number;
  /** Approval mails whose link has no stored link item (a link that can never work). */
  unknownLinks: string[];
  /** The stored link item of each mailed approval link. */
  linkOf: Map<string, ApprovalLink>;
  /** Approval mails by `stepKey` + attempt (`<step> a<attempt>`). */
  mailsPerAttempt: Map<string, number>;
  /** Every review step record. */
  steps: ReviewStepRecord[];
  /** APPROVAL_REQUESTED audit events by `stepKey`. */
  requested: Map<string, number>;
  /** APPROVED / REJECTED audit events by `stepKey`. */
  decided: Map<string, number>;
}

/** Bundles the static feeds show as in force (效力状态 VALID): the basic catalog and the JSON Feed. */
async function validInStaticFeeds(system: Parameters<typeof emulatorClients>[0]): Promise<Set<string>> {
  const { s3 } = emulatorClients(system);
  const read = async (key: string): Promise<unknown> => {
    const object = await s3.send(
      new GetObjectCommand({ Bucket: system.resources.PUBLISHED_BUCKET, Key: key }),
    );
    return JSON.parse((await object.Body?.transformToString('utf8')) ?? '{}');
  };
  try {
    const catalog = (await read(STATIC_FEED_KEYS.basicCatalogJson)) as {
      items?: { bundleId: string; validity: string }[];
    };
    const feed = (await read(STATIC_FEED_KEYS.jsonFeed)) as {
      items?: { _gongkai: { bundleId: string; validity: string } }[];
    };
    return new Set([
      ...(catalog.items ?? []).filter((item) => item.validity === 'VALID').map((item) => item.bundleId),
      ...(feed.items ?? [])
        .filter((item) => item._gongkai.validity === 'VALID')
        .map((item) => item._gongkai.bundleId),
    ]);
  } finally {
    s3.destroy();
  }
}

const increment = (counts: Map<string, number>, key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);

/** Reads the outbox and scans the table (with the test's own client, never the handlers'). */
export async function reviewLedger(options: {
  outboxDirectory: string;
  apiUrl: string;
  dynamo: DynamoDBDocumentClient;
  tableName: string;
}): Promise<ReviewLedger> {
  const links = new Map<string, ApprovalLink>();
  const steps: ReviewStepRecord[] = [];
  const requested = new Map<string, number>();
  const decided = new Map<string, number>();
  let start: Record<string, unknown> | undefined;
  do {
    const page = await options.dynamo.send(
      new ScanCommand({ TableName: options.tableName, ExclusiveStartKey: start, ConsistentRead: true }),
    );
    for (const item of page.Items ?? []) {
      const sk = String(item.sk);
      if (sk === 'LINK') links.set(String(item.hash), item as unknown as ApprovalLink);
      else if (sk.includes('#STEP#')) steps.push(item as unknown as ReviewStepRecord);
      else if (sk.startsWith('AUDIT#')) {
        const stepId = (item.detail as { reviewStepId?: string } | undefined)?.reviewStepId;
        if (stepId === undefined) continue;
        const key = stepKey(String(item.submissionId), Number(item.revision), stepId);
        if (item.action === 'APPROVAL_REQUESTED') increment(requested, key);
        if (item.action === 'APPROVED' || item.action === 'REJECTED') increment(decided, key);
      }
    }
    start = page.LastEvaluatedKey;
  } while (start !== undefined);

  const prefix = new URL('/approvals/', options.apiUrl).href;
  const messages = await readOutbox(options.outboxDirectory);
  const files = (await readdir(options.outboxDirectory)).filter((file) => file.endsWith('.eml'));
  const linkOf = new Map<string, ApprovalLink>();
  const unknownLinks: string[] = [];
  const mailsPerAttempt = new Map<string, number>();
  let approvalMails = 0;
  for (const message of messages) {
    const approvalLinks = message.links.filter((link) => link.startsWith(prefix));
    if (approvalLinks.length === 0) continue;
    approvalMails += 1;
    for (const link of approvalLinks) {
      const stored = links.get(hashLinkSecret(secretOf(link)) ?? '');
      if (stored === undefined) {
        unknownLinks.push(link);
        continue;
      }
      linkOf.set(link, stored);
      increment(
        mailsPerAttempt,
        `${stepKey(stored.submissionId, stored.revision, stored.stepId)} a${stored.attempt}`,
      );
    }
  }
  return {
    mails: files.length,
    approvalMails,
    unknownLinks,
    linkOf,
    mailsPerAttempt,
    steps,
    requested,
    decided,
  };
}

/**
 * Where a FAILED execution failed: the innermost state whose failure nothing retried any more —
 * the last StateFailed before the first StateCaught (or the last of all when nothing caught it).
 * The first StateFailed would mislead: it is usually a failure the state's Retry then overcame.
 */
export function failurePoint(events: readonly ExecutionEvent[]): ExecutionEvent | undefined {
  const caught = events.findIndex((event) => event.type === 'StateCaught');
  return events
    .slice(0, caught === -1 ? events.length : caught)
    .filter((event) => event.type === 'StateFailed' && event.error !== undefined)
    .pop();
}

/**
 * How many FAILED a run may end with. FAILED is an allowed outcome (a fault that outlasts the SDK's
 * 3 attempts and then the state machine's 4 retries of the task), but at 20 % per attempt that takes
 * some call failing 3 times in a row in each of 5 runs of one task: rare enough that ~0 is expected.
 * One among a handful of submissions is still tolerated as bad luck; more than 10 % means a
 * transient fault is being turned into a permanent one (a non-retried error, a handler that is not
 * idempotent), which is exactly what this part exists to catch.
 */
export function failedAllowed(submissions: number): number {
  return Math.max(1, Math.floor(submissions * 0.1));
}

export async function runFaultInjection(options: {
  submissions: number;
  rate: number;
  timeoutMs: number;
}): Promise<PartReport> {
  const started = Date.now();
  const problems: string[] = [];
  const previous = process.env[FAULT_RATE_VARIABLE];
  process.env[FAULT_RATE_VARIABLE] = String(options.rate);
  const faultsBefore = {
    beforeSend: injectedFaults.beforeSend,
    replyLost: injectedFaults.replyLost,
    unretried: injectedFaults.unretried,
  };
  const system = await startSystem();
  const approver = new OutboxApprover(system).start();
  try {
    const { client, documents } = await drafter(system);
    const ids: string[] = [];
    const queue = Array.from({ length: options.submissions }, (_, index) => index);
    let createFailures = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
          try {
            ids.push(await createAndSubmit(client, documents));
          } catch (error) {
            createFailures += 1;
            problems.push(
              `creating submission ${next}: ${error instanceof Error ? error.message : String(error)}`,
            );
          }
        }
      }),
    );

    const deadline = started + options.timeoutMs;
    const finals = new Map<string, string>();
    while (Date.now() < deadline && finals.size < ids.length) {
      for (const id of ids) {
        if (finals.has(id)) continue;
        const current = await waitForStatus(client, id, ['PUBLISHED', 'FAILED', 'RETURNED', 'REGISTERED'], 1);
        if (
          current !== undefined &&
          ['PUBLISHED', 'FAILED', 'RETURNED', 'REGISTERED'].includes(current.status)
        ) {
          finals.set(id, current.status);
        }
      }
      if (finals.size < ids.length) await sleep(500);
    }
    // Every decision the approver will make is made: the links still to handle belong to stuck runs.
    await approver.stop();

    const catalog = await retrying(() => client.catalog());
    const validInFeeds = await retrying(() => validInStaticFeeds(system));
    const outcomes: Record<string, number> = {};
    const reasons: Record<string, number> = {};
    let unlistedFailed = 0;
    for (const id of ids) {
      const status = finals.get(id) ?? 'stuck';
      outcomes[status] = (outcomes[status] ?? 0) + 1;
      const executions = system.stepFunctions
        .executions()
        .filter((execution) => execution.name.startsWith(`${id}-`));
      if (executions.length !== 1) problems.push(`${id}: ${executions.length} executions`);
      const execution = await system.stepFunctions.waitUntilDone(`${id}-r1`, status === 'stuck' ? 1 : 30_000);
      if (status === 'stuck') {
        problems.push(`${id} is stuck in ${(await client.getSubmission(id).catch(() => undefined))?.status}`);
      } else if (status === 'FAILED') {
        const failed = failurePoint(await system.stepFunctions.events(`${id}-r1`));
        const label = `FAILED at ${failed?.state ?? '?'} (${failed?.error ?? '?'})`;
        reasons[label] = (reasons[label] ?? 0) + 1;
        if (execution?.status !== 'FAILED' || execution.error === undefined) {
          problems.push(`${id} FAILED but its execution is ${execution?.status} with no recorded error`);
        }
        // Verify lists the bundle, then regenerates the static feeds; when that (or RecordPublished)
        // fails on every retry, RecordFailed withdraws the bundle from the catalog (效力状态 no longer
        // VALID, the entry kept, as portals need the event) and rewrites the feeds before FAILED.
        const { bundleId } = await retrying(() => client.getSubmission(id));
        const entries = catalog.filter(
          (entry) => typeof bundleId === 'string' && entry.bundleId === bundleId,
        );
        if (entries.length > 0) unlistedFailed += 1;
        if (entries.length > 1)
          problems.push(`${id} FAILED with its bundle in the catalog ${entries.length} times`);
        if (entries.some((entry) => entry.validity === 'VALID'))
          problems.push(`${id} FAILED at ${failed?.state} with its bundle listed (VALID) in the catalog`);
        if (typeof bundleId === 'string' && validInFeeds.has(bundleId))
          problems.push(
            `${id} FAILED at ${failed?.state} with its bundle listed (VALID) in the static feeds`,
          );
      } else if (status === 'PUBLISHED') {
        const submission = await retrying(() => client.getSubmission(id));
        const listed = catalog.filter((entry) => entry.bundleId === submission.bundleId);
        if (listed.length !== 1) problems.push(`${id}: its bundle is listed ${listed.length} times`);
        if (listed.some((entry) => entry.validity !== 'VALID'))
          problems.push(`${id} PUBLISHED but its bundle is not VALID in the catalog`);
      } else {
        problems.push(`${id} ended ${status}`);
      }
    }
    const published = outcomes.PUBLISHED ?? 0;
    const failed = outcomes.FAILED ?? 0;
    if (failed > failedAllowed(options.submissions)) {
      problems.push(
        `${failed} of ${options.submissions} FAILED (at most ${failedAllowed(options.submissions)} allowed)`,
      );
    }
    const indexNumbers = new Set(catalog.map((entry) => entry.indexNumber));
    const valid = catalog.filter((entry) => entry.validity === 'VALID').length;
    if (
      catalog.length !== published + unlistedFailed ||
      valid !== published ||
      indexNumbers.size !== catalog.length
    ) {
      problems.push(
        `${published} published (+${unlistedFailed} FAILED after listing, unlisted), ${catalog.length} catalog entries (${valid} VALID), ${indexNumbers.size} 索引号`,
      );
    }
    if (ids.length + createFailures !== options.submissions)
      problems.push('a submission was lost before it was created');

    // The mailbox and link side: every mailed link works or says why not, each step is requested once
    // per attempt and decided once, and every decision the approver made is one the store records.
    const ledger = await reviewLedger({
      outboxDirectory: system.outboxDirectory,
      apiUrl: system.urls.api,
      dynamo: emulatorClients(system).dynamo,
      tableName: system.resources.TABLE_NAME ?? '',
    });
    for (const link of ledger.unknownLinks)
      problems.push(`a mailed link has no stored link (${link.length} chars)`);
    const stepsDecided = ledger.steps.filter((step) => step.status === 'APPROVED').length;
    if (approver.approvals + approver.finishedAfterError !== stepsDecided) {
      problems.push(
        `${approver.approvals} approvals + ${approver.finishedAfterError} finished after an error page ≠ ${stepsDecided} review steps decided`,
      );
    }
    if (ledger.steps.some((step) => step.status === 'REJECTED' || step.status === 'REVOKED'))
      problems.push('a review step was rejected or revoked although every link was approved');
    const reissued = [...ledger.mailsPerAttempt.values()].reduce((sum, count) => sum + count - 1, 0);
    for (const step of ledger.steps) {
      const key = stepKey(step.submissionId, step.revision, step.stepId);
      const requests = ledger.requested.get(key) ?? 0;
      // One request per attempt (reminders come an hour in, so here one in all) — exactly one once the
      // step was decided; a run that FAILED while requesting may have opened the step without recording it.
      const expected = step.attempt + 1;
      if (step.status === 'APPROVED' ? requests !== expected : requests > expected)
        problems.push(`${key} (${step.status}): ${requests} APPROVAL_REQUESTED for ${expected} attempts`);
      const decisions = ledger.decided.get(key) ?? 0;
      if (decisions !== (step.status === 'APPROVED' ? 1 : 0))
        problems.push(`${key} (${step.status}): ${decisions} decisions in the audit log`);
      // A run that FAILED while requesting (the request is stored and audited before its mails)
      // may have mailed nothing for a step still pending; any other step was asked for.
      const failedWhileRequesting = step.status === 'PENDING' && finals.get(step.submissionId) === 'FAILED';
      for (let attempt = 0; attempt <= step.attempt && !failedWhileRequesting; attempt += 1) {
        if ((ledger.mailsPerAttempt.get(`${key} a${attempt}`) ?? 0) === 0)
          problems.push(`${key}: attempt ${attempt} was never mailed`);
      }
    }
    for (const id of ids) {
      if (finals.get(id) !== 'PUBLISHED') continue;
      const approved = ledger.steps.filter((step) => step.submissionId === id && step.status === 'APPROVED');
      if (approved.length !== 2) problems.push(`${id} PUBLISHED with ${approved.length} of 2 steps approved`);
    }
    // A link answers 410 only when a re-issued request replaced it or its revision FAILED; 404 or
    // anything else is a lost link.
    for (const [link, outcome] of approver.outcomes) {
      if (outcome === 'approved' || outcome === 'finished after error') continue;
      const stored = ledger.linkOf.get(link);
      const step = ledger.steps.find(
        (candidate) =>
          stored !== undefined &&
          candidate.submissionId === stored.submissionId &&
          candidate.revision === stored.revision &&
          candidate.stepId === stored.stepId,
      );
      const replaced = stored !== undefined && step !== undefined && !step.linkHashes.includes(stored.hash);
      // A revision that ended FAILED has nothing left to decide: its links answer 410 too.
      const ended = stored !== undefined && finals.get(stored.submissionId) === 'FAILED';
      if (outcome !== 'answered 410' || !(replaced || ended))
        problems.push(
          `a mailed link ${outcome}${replaced || ended ? '' : ' (neither replaced nor of a FAILED revision)'}`,
        );
    }
    problems.push(...approver.errors.map((error) => `approver: ${error}`));

    const beforeSend = injectedFaults.beforeSend - faultsBefore.beforeSend;
    const replyLost = injectedFaults.replyLost - faultsBefore.replyLost;
    if (options.rate > 0 && (beforeSend === 0 || replyLost === 0))
      problems.push(`faults injected: ${beforeSend} before send, ${replyLost} replies lost`);
    return {
      part: `fault injection (${Math.round(options.rate * 100)} %)`,
      attempts: options.submissions,
      outcomes: {
        ...outcomes,
        ...reasons,
        ...(unlistedFailed > 0 ? { 'FAILED after listing, unlisted': unlistedFailed } : {}),
        'faults before send': beforeSend,
        'replies lost': replyLost,
        // Faults the SDK passed on at once, its retry quota being empty: local mode runs every handler
        // on one client, so one bucket of retry tokens serves what many Lambda containers would share.
        'faults not retried by the SDK': injectedFaults.unretried - faultsBefore.unretried,
        'mails sent': ledger.mails,
        'approval mails': ledger.approvalMails,
        're-issued requests': reissued,
        'review steps decided': stepsDecided,
        approvals: approver.approvals,
        'finished after error page': approver.finishedAfterError,
        ...Object.fromEntries(
          Object.entries(approver.noForm).map(([answer, count]) => [`links ${answer}`, count]),
        ),
      },
      ms: Date.now() - started,
      problems,
    };
  } finally {
    await approver.stop();
    await system.stop();
    if (previous === undefined) delete process.env[FAULT_RATE_VARIABLE];
    else process.env[FAULT_RATE_VARIABLE] = previous;
  }
}

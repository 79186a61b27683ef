import { FAULT_RATE_VARIABLE, injectedFaults } from '../../shared/lambda/clients.js';
import {
  createAndSubmit,
  drafter,
  OutboxApprover,
  type PartReport,
  retrying,
  sleep,
  startSystem,
  waitForStatus,
} from './support.js';

/**
 * Fault injection. With `GONGKAI_FAULT_RATE` set, that share of the handlers' S3 and DynamoDB
 * attempts fails with a retryable 503 before it is sent. `submissions` submissions are created and
 * submitted (a 5xx answer is retried, as a person presses the button again) and approved by the
 * automatic approver through the mailed links. Each must end PUBLISHED, or FAILED with the error
 * recorded on its execution — none stuck, none lost, none duplicated (one execution, one bundle, one
 * 索引号 each).
 */
export async function runFaultInjection(options: {
  submissions: number;
  rate: number;
  timeoutMs: number;
}): Promise<PartReport> {
  const started = Date.now();
  const problems: string[] = [];
  const previous = process.env[FAULT_RATE_VARIABLE];
  process.env[FAULT_RATE_VARIABLE] = String(options.rate);
  const faultsBefore = injectedFaults.count;
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

    const catalog = await retrying(() => client.catalog());
    const outcomes: Record<string, number> = {};
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
        // Where it failed: the first state that failed with an error the execution did not catch.
        const events = await system.stepFunctions.events(`${id}-r1`);
        const failed = events.find((event) => event.type === 'StateFailed' && event.error !== undefined);
        const label = `FAILED at ${failed?.state ?? '?'} (${failed?.error ?? '?'})`;
        outcomes[label] = (outcomes[label] ?? 0) + 1;
        if (execution?.status !== 'FAILED' || execution.error === undefined) {
          problems.push(`${id} FAILED but its execution is ${execution?.status} with no recorded error`);
        }
      } else if (status === 'PUBLISHED') {
        const submission = await retrying(() => client.getSubmission(id));
        const listed = catalog.filter((entry) => entry.bundleId === submission.bundleId);
        if (listed.length !== 1) problems.push(`${id}: its bundle is listed ${listed.length} times`);
      } else {
        problems.push(`${id} ended ${status}`);
      }
    }
    const bySubmission = new Map<string, number>();
    for (const entry of catalog)
      bySubmission.set(entry.indexNumber, (bySubmission.get(entry.indexNumber) ?? 0) + 1);
    if (catalog.length !== (outcomes.PUBLISHED ?? 0) || bySubmission.size !== catalog.length) {
      problems.push(
        `${outcomes.PUBLISHED ?? 0} published, ${catalog.length} catalog entries, ${bySubmission.size} 索引号`,
      );
    }
    if (ids.length + createFailures !== options.submissions)
      problems.push('a submission was lost before it was created');
    problems.push(...approver.errors.map((error) => `approver: ${error}`));
    const faults = injectedFaults.count - faultsBefore;
    if (options.rate > 0 && faults === 0) problems.push('no fault was injected');
    return {
      part: `fault injection (${Math.round(options.rate * 100)} %)`,
      attempts: options.submissions,
      outcomes: { ...outcomes, 'faults injected': faults, approvals: approver.approvals },
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

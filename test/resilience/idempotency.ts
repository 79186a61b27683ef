import type { Context } from 'aws-lambda';
import { demoMetadata } from '../../bin/commands/demo.js';
import { type LocalHandler, loadHandler } from '../../infra/local/handlers.js';
import type { LocalSystem } from '../../infra/local/system.js';
import type { FunctionName } from '../../shared/config/environment.js';
import {
  compareSnapshots,
  drafter,
  outboxLinks,
  type PartReport,
  retrying,
  sleep,
  snapshotStores,
  startSystem,
  waitForStatus,
} from './support.js';

/**
 * Idempotency. A submit sent three times one after another, and three times at once, starts one
 * execution and ends in one bundle with one 索引号. Every task handler the state machine invokes is
 * run a second time with the same input right after its first run (as a Lambda retry would): the
 * second run must leave every S3 object byte-identical and add, remove or change no DynamoDB item
 * (a run that threw must throw the same error again). How many re-runs answered exactly the same is
 * counted, not required: Validate's answer carries the time the release is due, "now" when immediate.
 */

/** The functions the state machine invokes (the HTTP ones are proved by the repeated submits). */
export const TASK_FUNCTIONS: readonly FunctionName[] = [
  'validate',
  'deidentify',
  'request-approval',
  'publish',
  'verify',
  'notify',
  'record-status',
];

interface Rerun {
  functionName: string;
  problems: string[];
  /** Whether the re-run answered the same (an answer may carry the time, e.g. Validate's releaseAt). */
  sameAnswer: boolean;
}

/** Handlers that run twice, comparing the stores after each run; `busy` while they do. */
function rerunningHandlers(getSystem: () => LocalSystem | undefined, reruns: Rerun[]) {
  const state = { busy: 0 };
  const handlers: Partial<Record<FunctionName, LocalHandler>> = {};
  for (const name of TASK_FUNCTIONS) {
    let real: Promise<LocalHandler> | undefined;
    handlers[name] = async (event: unknown, context: Context) => {
      real ??= loadHandler(name);
      const handler = await real;
      const system = getSystem();
      state.busy += 1;
      try {
        const input = structuredClone(event);
        const first = await handler(event, context).then(
          (output) => ({ output: JSON.stringify(output ?? null), error: undefined }),
          (error: unknown) => ({ output: undefined, error }),
        );
        if (system === undefined) {
          if (first.error !== undefined) throw first.error;
          return JSON.parse(first.output ?? 'null');
        }
        const before = await snapshotStores(system);
        const second = await handler(structuredClone(input), context).then(
          (output) => ({ output: JSON.stringify(output ?? null), error: undefined }),
          (error: unknown) => ({ output: undefined, error }),
        );
        const after = await snapshotStores(system);
        const problems: string[] = [];
        const diff = compareSnapshots(before, after);
        for (const [store, changes] of Object.entries(diff)) {
          for (const [change, keys] of Object.entries(changes)) {
            for (const key of keys)
              problems.push(`${name}: re-run ${change} ${store === 'objects' ? 'S3 object' : 'item'} ${key}`);
          }
        }
        const nameOf = (error: unknown) => (error instanceof Error ? error.name : String(error));
        if (first.error !== undefined || second.error !== undefined) {
          if (nameOf(first.error) !== nameOf(second.error)) {
            problems.push(
              `${name}: first run ${first.error === undefined ? 'succeeded' : `threw ${nameOf(first.error)}`}, re-run ${second.error === undefined ? 'succeeded' : `threw ${nameOf(second.error)}`}`,
            );
          }
        }
        reruns.push({
          functionName: name,
          problems,
          sameAnswer: first.error !== undefined || first.output === second.output,
        });
        if (first.error !== undefined) throw first.error;
        return JSON.parse(first.output ?? 'null');
      } finally {
        state.busy -= 1;
      }
    };
  }
  return { handlers, state };
}

/** Runs `submissions` pairs (three sequential submits, three concurrent ones), re-running every task. */
export async function runIdempotency(options: { submissions: number }): Promise<PartReport> {
  const started = Date.now();
  const problems: string[] = [];
  const reruns: Rerun[] = [];
  let current: LocalSystem | undefined;
  const { handlers, state } = rerunningHandlers(() => current, reruns);
  const system = await startSystem({ handlers });
  current = system;
  let submits = 0;
  try {
    const { client, documents } = await drafter(system);
    const seen = new Set<string>();
    const ids: string[] = [];
    for (let index = 0; index < options.submissions; index += 1) {
      for (const mode of ['sequential', 'concurrent'] as const) {
        const created = await retrying(() => client.createSubmission(demoMetadata(), documents));
        await client.upload(created.uploads, documents);
        const submit = () => client.submit(created.submissionId);
        const answers =
          mode === 'sequential'
            ? [await submit(), await submit(), await submit()]
            : await Promise.all([submit(), submit(), submit()]);
        submits += 3;
        if (new Set(answers.map((answer) => answer.executionName)).size !== 1) {
          problems.push(`${mode} submits of ${created.submissionId} named different executions`);
        }
        ids.push(created.submissionId);

        // Approve each step once the handlers are idle (so a re-run's snapshots see only its own effect).
        const deadline = Date.now() + 90_000;
        while (Date.now() < deadline) {
          const status = (await client.getSubmission(created.submissionId)).status;
          if (['PUBLISHED', 'RETURNED', 'FAILED', 'REGISTERED'].includes(status)) break;
          const fresh = (await outboxLinks(system))
            .map((entry) => entry.link)
            .filter((link) => !seen.has(link));
          if (fresh.length === 0 || state.busy > 0) {
            await sleep(100);
            continue;
          }
          for (const link of fresh) {
            seen.add(link);
            await client.decide(link, 'approve');
          }
        }
        // The execution's tail (Verify, Notify, …) runs after PUBLISHED: let it finish first.
        await system.stepFunctions.waitUntilDone(`${created.submissionId}-r1`, 60_000);
        while (state.busy > 0) await sleep(50);
      }
    }

    const catalog = await client.catalog();
    for (const id of ids) {
      const final = await waitForStatus(client, id);
      if (final?.status !== 'PUBLISHED') {
        problems.push(`${id} ended ${final?.status}, not PUBLISHED`);
        continue;
      }
      const executions = system.stepFunctions
        .executions()
        .filter((execution) => execution.name.startsWith(id));
      if (executions.length !== 1) problems.push(`${id}: ${executions.length} executions`);
      const entries = catalog.filter((entry) => entry.bundleId === final.bundleId);
      if (entries.length !== 1) problems.push(`${id}: its bundle is listed ${entries.length} times`);
      if (entries[0]?.indexNumber !== final.indexNumber)
        problems.push(`${id}: catalog and submission disagree on the 索引号`);
    }
    const indexNumbers = new Set(catalog.map((entry) => entry.indexNumber));
    if (catalog.length !== ids.length || indexNumbers.size !== ids.length) {
      problems.push(
        `${ids.length} submissions, ${catalog.length} catalog entries, ${indexNumbers.size} 索引号`,
      );
    }
    const rerunFunctions = new Set(reruns.map((rerun) => rerun.functionName));
    for (const name of TASK_FUNCTIONS) {
      if (!rerunFunctions.has(name)) problems.push(`${name} was never invoked, so never re-run`);
    }
    problems.push(...reruns.flatMap((rerun) => rerun.problems));
    return {
      part: 'idempotency',
      attempts: submits + reruns.length,
      outcomes: {
        submits,
        executions: system.stepFunctions.executions().length,
        bundles: catalog.length,
        索引号: indexNumbers.size,
        're-runs': reruns.length,
        'identical re-runs': reruns.filter((rerun) => rerun.problems.length === 0).length,
        'same answer': reruns.filter((rerun) => rerun.sameAnswer).length,
      },
      ms: Date.now() - started,
      problems,
    };
  } finally {
    current = undefined;
    await system.stop();
  }
}

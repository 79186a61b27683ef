import { randomUUID } from 'node:crypto';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import { demoMetadata } from '../../bin/commands/demo.js';
import { type ApprovalForm, type DraftDocument, HttpStatusError } from '../../infra/local/client.js';
import { type LocalHandler, lambdaContext, loadHandler } from '../../infra/local/handlers.js';
import type { ExecutionRecord } from '../../infra/local/step-functions.js';
import type { LocalSystem } from '../../infra/local/system.js';
import type { FunctionName } from '../../shared/config/environment.js';
import {
  compareSnapshots,
  drafter,
  emulatorClients,
  outboxLinks,
  type PartReport,
  retrying,
  type StoreChanges,
  type StoreSnapshot,
  sleep,
  snapshotSize,
  snapshotStores,
  startSystem,
  waitForStatus,
} from './support.js';

/**
 * Idempotency. A submit sent three times one after another, and three times at once, starts one
 * execution and ends in one bundle with one 索引号. Every handler is run again with the same input
 * and the stores compared before and after the re-run: every S3 object (bytes, content type, cache
 * control), every DynamoDB item (audit rows included) and the outbox's mails. The only difference a
 * re-run may make is documented where it is allowed (a retried approval request points the links
 * at the task token waiting now); everything else must stay identical.
 *
 * What is re-run, and when:
 * - every task the state machine invokes, right after its first run (a Lambda retry), on every
 *   path the workflow takes here: published; rejected (RETURNED); a document Validate refuses
 *   (RETURNED); a review whose request and both reminders time out (FAILED, REVIEW_EXPIRED); a
 *   bundle Verify quarantines (FAILED). An approval request is also retried with a new task token
 *   (what Step Functions does) and then with the waiting one again: neither may mail anyone;
 * - late: Publish, Verify, Notify and RecordPublished again once the execution has ended;
 * - at once: the first Publish and the first De-identify of a submission are invoked twice
 *   concurrently (a duplicate delivery), then once more;
 * - over HTTP, each with a snapshot before and after: the submit POST (while the review waits and
 *   after the revision ended), the approval form POSTed again after its decision (409, no second
 *   answer to the task), and withdraw (in review, and of a published bundle).
 *
 * Notify is never asked to tell of a FAILED revision: `NotifyInputSchema` has no such outcome and
 * the state machine's FAILED paths end without a Notify state.
 */

/** The functions the state machine invokes. */
export const TASK_FUNCTIONS: readonly FunctionName[] = [
  'validate',
  'deidentify',
  'request-approval',
  'publish',
  'verify',
  'notify',
  'record-status',
];

/** Functions whose first run is delivered twice at once in the concurrent scenario. */
const CONCURRENT_FUNCTIONS: ReadonlySet<FunctionName> = new Set(['publish', 'deidentify']);

/** Every kind of re-run this part must have made at least once (the review's gaps, closed). */
const REQUIRED_VARIANTS = [
  'validate',
  'deidentify',
  'deidentify (concurrent)',
  'request-approval',
  'request-approval (reminder)',
  'request-approval (retried, new token)',
  'request-approval (retried, waiting token)',
  'publish',
  'publish (concurrent)',
  'publish (late)',
  'verify',
  'verify (quarantine)',
  'verify (late)',
  'notify PUBLISHED',
  'notify PUBLISHED (late)',
  'notify RETURNED',
  'record-status SCHEDULED REVIEW_APPROVED',
  'record-status PUBLISHED BUNDLE_VERIFIED',
  'record-status PUBLISHED BUNDLE_VERIFIED (late)',
  'record-status RETURNED REVIEW_REJECTED',
  'record-status RETURNED SUBMISSION_REJECTED',
  'record-status FAILED TASK_FAILED',
  'record-status FAILED REVIEW_EXPIRED',
  'submit',
  'approval-page',
  'withdraw (in review)',
  'withdraw (published)',
];

/** How a submission is driven through the workflow. */
interface Plan {
  /** First runs of these functions are invoked twice at once. */
  concurrent?: boolean;
  /** Residual personal data is planted in the bundle just before Verify reads it. */
  quarantine?: boolean;
  /** The first review step's time limit, so that its request and both reminders time out. */
  firstStepTimeoutSeconds?: number;
}

/** One re-run and what it changed that it should not have. */
interface Rerun {
  functionName: FunctionName;
  /** The function and the path it was on, e.g. `record-status FAILED REVIEW_EXPIRED`. */
  variant: string;
  problems: string[];
  /** Keys that differed without being allowed to. */
  differences: number;
  /** Whether the re-run answered the same (an answer may carry the time, e.g. Validate's releaseAt). */
  sameAnswer: boolean;
  compared: { objects: number; items: number; mails: number };
}

interface Settled {
  output: string | undefined;
  error: unknown;
}

const settle = (running: Promise<unknown>): Promise<Settled> =>
  running.then(
    (output) => ({ output: JSON.stringify(output ?? null), error: undefined }),
    (error: unknown) => ({ output: undefined, error }),
  );

const errorName = (error: unknown) => (error instanceof Error ? error.name : String(error));

const outcomeOf = (settled: Settled) =>
  settled.error === undefined ? 'succeeded' : `threw ${errorName(settled.error)}`;

/** A task input's fields this part reads (every task input has the first two). */
interface TaskInput {
  submissionId: string;
  revision: number;
  status?: string;
  reason?: string;
  outcome?: string;
  attempt?: number;
  taskToken?: string;
  bundleId?: string;
}

/** The variant a task input stands for: the function plus the path the state machine is on. */
function variantOf(name: FunctionName, input: TaskInput): string {
  if (name === 'record-status') return `${name} ${input.status} ${input.reason}`;
  if (name === 'notify') return `${name} ${input.outcome}`;
  if (name === 'request-approval' && (input.attempt ?? 0) > 0) return `${name} (reminder)`;
  return name;
}

/** Lists what changed, except what `allowed` accepts; each key is a store key, never a value. */
function unexpectedChanges(
  label: string,
  diff: ReturnType<typeof compareSnapshots>,
  allowed: (store: 'objects' | 'items' | 'mails', change: keyof StoreChanges, key: string) => boolean = () =>
    false,
): string[] {
  const nouns = { objects: 'S3 object', items: 'item', mails: 'mail' } as const;
  const problems: string[] = [];
  for (const store of ['objects', 'items', 'mails'] as const) {
    for (const change of ['added', 'removed', 'changed'] as const) {
      for (const key of diff[store][change]) {
        if (!allowed(store, change, key)) problems.push(`${label}: ${change} ${nouns[store]} ${key}`);
      }
    }
  }
  return problems;
}

/** The fields in which two stored items differ. */
function differingFields(before: string | undefined, after: string | undefined): string[] {
  const a = JSON.parse(before ?? '{}') as Record<string, unknown>;
  const b = JSON.parse(after ?? '{}') as Record<string, unknown>;
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter(
    (field) => JSON.stringify(a[field]) !== JSON.stringify(b[field]),
  );
}

/**
 * Plants a line of residual personal data in every HTML file of a bundle, after Publish wrote it and
 * before Verify reads it (as test/resilience/publication-gate.ts does): only Verify's re-scan can tell.
 */
async function plantInBundle(
  system: LocalSystem,
  bundleId: string,
  planted: { residentId: string; mobile: string },
): Promise<number> {
  const { s3 } = emulatorClients(system);
  const bucket = system.resources.PUBLISHED_BUCKET;
  try {
    const listed = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: `bundles/${bundleId}/` }),
    );
    let count = 0;
    for (const object of listed.Contents ?? []) {
      if (object.Key === undefined || !object.Key.endsWith('.html')) continue;
      const body = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: object.Key }));
      const text = (await body.Body?.transformToString('utf8')) ?? '';
      const line = `<p>经办人身份证号：${planted.residentId}，手机：${planted.mobile}。</p>`;
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: object.Key,
          Body: text.replace('</article>', `${line}</article>`),
        }),
      );
      count += 1;
    }
    return count;
  } finally {
    s3.destroy();
  }
}

/**
 * Wraps the task handlers so each first run is followed by its re-runs, and runs the HTTP re-runs.
 * Everything that takes a snapshot holds one lock, so a snapshot pair never sees another
 * handler's writes (the scenarios run one submission at a time for the same reason).
 */
class Rerunner {
  system: LocalSystem | undefined;
  planted = { residentId: '', mobile: '' };
  readonly plans = new Map<string, Plan>();
  readonly reruns: Rerun[] = [];
  readonly problems: string[] = [];
  /** First inputs and answers, by `<submissionId> <variant>`, for the late re-runs. */
  readonly firstRuns = new Map<string, { input: TaskInput; answer: Settled }>();
  /** Objects and mails one (sequential) first run of a function added: what a concurrent pair may add. */
  readonly singleRunAdds = new Map<FunctionName, { objects: number; mails: number }>();
  /** SendTaskSuccess and SendTaskFailure calls the system answered. */
  taskAnswers = 0;
  /** Invocations running or waiting for the lock. */
  busy = 0;
  private lock: Promise<void> = Promise.resolve();
  private readonly loading = new Map<FunctionName, Promise<LocalHandler>>();

  /** Counts every answer to a waiting task (to prove a replayed decision answers nothing). */
  attach(system: LocalSystem): void {
    this.system = system;
    const service = system.stepFunctions;
    for (const operation of ['sendTaskSuccess', 'sendTaskFailure'] as const) {
      const real = service[operation].bind(service) as (request: object) => Promise<object>;
      Object.defineProperty(service, operation, {
        configurable: true,
        value: (request: object) => {
          this.taskAnswers += 1;
          return real(request);
        },
      });
    }
  }

  private load(name: FunctionName): Promise<LocalHandler> {
    let loading = this.loading.get(name);
    if (loading === undefined) {
      loading = loadHandler(name);
      this.loading.set(name, loading);
    }
    return loading;
  }

  /** Runs `work` alone: no other snapshot pair or first run overlaps it. */
  async exclusive<T>(work: () => Promise<T>): Promise<T> {
    this.busy += 1;
    const previous = this.lock;
    let release = () => {};
    this.lock = new Promise((resolve) => {
      release = resolve;
    });
    try {
      await previous;
      return await work();
    } finally {
      release();
      this.busy -= 1;
    }
  }

  private snapshot(): Promise<StoreSnapshot> {
    if (this.system === undefined) throw new Error('no system attached');
    return snapshotStores(this.system);
  }

  /** Records a re-run compared between `before` and `after`. */
  private record(
    functionName: FunctionName,
    variant: string,
    before: StoreSnapshot,
    after: StoreSnapshot,
    extra: { problems?: string[]; sameAnswer?: boolean; allowed?: Parameters<typeof unexpectedChanges>[2] },
  ): void {
    const changes = unexpectedChanges(variant, compareSnapshots(before, after), extra.allowed);
    this.reruns.push({
      functionName,
      variant,
      problems: [...changes, ...(extra.problems ?? [])],
      differences: changes.length,
      sameAnswer: extra.sameAnswer ?? true,
      compared: snapshotSize(after),
    });
  }

  /** The handler the local system calls for task `name`: the first run, then its re-runs. */
  taskHandler(name: FunctionName): LocalHandler {
    return async (event: unknown, context: Context) => {
      const handler = await this.load(name);
      const input = structuredClone(event) as TaskInput;
      const plan = this.plans.get(input.submissionId) ?? {};
      return this.exclusive(async () => {
        const variant = variantOf(name, input);
        const run = (payload: TaskInput = input) => settle(handler(structuredClone(payload), context));
        if (name === 'verify' && plan.quarantine === true && this.system !== undefined) {
          if ((await plantInBundle(this.system, input.bundleId ?? '', this.planted)) === 0)
            this.problems.push(`nothing was planted in the bundle of ${input.submissionId}`);
        }

        const concurrent = plan.concurrent === true && CONCURRENT_FUNCTIONS.has(name);
        const measured = concurrent || (CONCURRENT_FUNCTIONS.has(name) && !this.singleRunAdds.has(name));
        const beforeFirst = measured ? await this.snapshot() : undefined;
        const first = concurrent ? await this.duplicate(name, run) : await run();
        const afterFirst = await this.snapshot();
        if (beforeFirst !== undefined) this.checkFirstRun(name, concurrent, beforeFirst, afterFirst);
        this.firstRuns.set(`${input.submissionId} ${variant}`, { input, answer: first });

        const second = await run();
        const afterSecond = await this.snapshot();
        const problems: string[] = [];
        if (errorName(first.error) !== errorName(second.error) && (first.error ?? second.error) !== undefined)
          problems.push(`${variant}: first run ${outcomeOf(first)}, re-run ${outcomeOf(second)}`);
        const label = `${variant}${name === 'verify' && plan.quarantine === true ? ' (quarantine)' : ''}`;
        this.record(name, label, afterFirst, afterSecond, {
          problems,
          sameAnswer: first.error !== undefined || first.output === second.output,
        });
        if (name === 'request-approval') await this.retryWithNewToken(input, run, first, afterSecond);

        if (first.error !== undefined) throw first.error;
        const output = JSON.parse(first.output ?? 'null') as unknown;
        return name === 'validate' ? shortenFirstStep(output, plan.firstStepTimeoutSeconds) : output;
      });
    };
  }

  /** The same input delivered twice at once: both must answer alike. */
  private async duplicate(name: FunctionName, run: () => Promise<Settled>): Promise<Settled> {
    const [one, other] = await Promise.all([run(), run()]);
    if (one.output !== other.output || errorName(one.error) !== errorName(other.error)) {
      this.problems.push(
        `${name} (concurrent): the two runs answered differently (${outcomeOf(one)}, ${outcomeOf(other)})`,
      );
    }
    return one;
  }

  /**
   * What a first run added: a sequential one is the measure; a concurrent pair must add as many
   * objects and mails as one run did, and no two audit rows of the same action.
   */
  private checkFirstRun(
    name: FunctionName,
    concurrent: boolean,
    before: StoreSnapshot,
    after: StoreSnapshot,
  ) {
    const diff = compareSnapshots(before, after);
    const adds = { objects: diff.objects.added.length, mails: diff.mails.added.length };
    if (!concurrent) {
      this.singleRunAdds.set(name, adds);
      return;
    }
    const variant = `${name} (concurrent)`;
    const problems: string[] = [];
    const single = this.singleRunAdds.get(name);
    if (single === undefined) problems.push(`${variant}: no single run to compare with`);
    else if (single.objects !== adds.objects || single.mails !== adds.mails)
      problems.push(
        `${variant}: two runs at once added ${adds.objects} objects and ${adds.mails} mails, one run ${single.objects} and ${single.mails}`,
      );
    const actions = diff.items.added
      .filter((key) => key.includes(' AUDIT#'))
      .map((key) => (JSON.parse(after.items.get(key) ?? '{}') as { action?: string }).action ?? '');
    for (const action of new Set(actions)) {
      const count = actions.filter((candidate) => candidate === action).length;
      if (count > 1) problems.push(`${variant}: ${count} audit rows ${action}`);
    }
    this.reruns.push({
      functionName: name,
      variant,
      problems,
      differences: problems.length,
      sameAnswer: true,
      compared: snapshotSize(after),
    });
  }

  /**
   * Step Functions retries a failed RequestApproval with a new task token: the retry must mail no
   * one and may change nothing but the links' task token (documented in request-approval.ts: "once
   * marked, a retried invocation only points the links at its new task token"). A further retry
   * with the token waiting now must then leave the stores as after the first run.
   */
  private async retryWithNewToken(
    input: TaskInput,
    run: (payload?: TaskInput) => Promise<Settled>,
    first: Settled,
    settled: StoreSnapshot,
  ): Promise<void> {
    const retried = await run({ ...input, taskToken: `retry-${randomUUID()}` });
    const moved = await this.snapshot();
    const problems: string[] = [];
    if (errorName(first.error) !== errorName(retried.error) && (first.error ?? retried.error) !== undefined)
      problems.push(
        `request-approval (retried, new token): first run ${outcomeOf(first)}, retry ${outcomeOf(retried)}`,
      );
    this.record('request-approval', 'request-approval (retried, new token)', settled, moved, {
      problems,
      allowed: (store, change, key) =>
        store === 'items' &&
        change === 'changed' &&
        key.startsWith('LINK#') &&
        differingFields(settled.items.get(key), moved.items.get(key)).join() === 'taskToken',
    });
    const restored = await run(input);
    const back = await this.snapshot();
    this.record('request-approval', 'request-approval (retried, waiting token)', settled, back, {
      problems:
        errorName(first.error) !== errorName(restored.error) && (first.error ?? restored.error) !== undefined
          ? [`request-approval (retried, waiting token): ${outcomeOf(restored)}`]
          : [],
    });
  }

  /** A task run again once its execution has ended, with the input and answer of its first run. */
  async lateRerun(submissionId: string, variant: string): Promise<void> {
    const first = this.firstRuns.get(`${submissionId} ${variant}`);
    const name = variant.split(' ')[0] as FunctionName;
    if (first === undefined) {
      this.problems.push(`${variant} never ran for ${submissionId}, so it cannot run again late`);
      return;
    }
    const handler = await this.load(name);
    await this.exclusive(async () => {
      const before = await this.snapshot();
      const again = await settle(handler(structuredClone(first.input), lambdaContext(name, 300)));
      const after = await this.snapshot();
      const same =
        errorName(first.answer.error) === errorName(again.error) &&
        (first.answer.error !== undefined || first.answer.output === again.output);
      this.record(name, `${variant} (late)`, before, after, {
        problems: same
          ? []
          : [`${variant} (late): first run ${outcomeOf(first.answer)}, late run ${outcomeOf(again)}`],
        sameAnswer: same,
      });
    });
  }

  /** An HTTP request made again, compared before and after; it must start and answer no task. */
  async httpRerun(
    functionName: FunctionName,
    variant: string,
    request: () => Promise<{ status: number; problem?: string }>,
  ): Promise<void> {
    const system = this.system;
    if (system === undefined) throw new Error('no system attached');
    await this.exclusive(async () => {
      const before = await this.snapshot();
      const answers = this.taskAnswers;
      const executions = system.stepFunctions.executions().length;
      const answer = await request();
      const after = await this.snapshot();
      const problems: string[] = [];
      if (answer.problem !== undefined) problems.push(`${variant}: ${answer.problem}`);
      if (this.taskAnswers !== answers)
        problems.push(`${variant}: answered a waiting task ${this.taskAnswers - answers} more times`);
      if (system.stepFunctions.executions().length !== executions)
        problems.push(`${variant}: started an execution`);
      this.record(functionName, variant, before, after, { problems });
    });
  }
}

/** Validate's answer with the first review step's time limit shortened (only what the state machine keeps). */
function shortenFirstStep(output: unknown, timeoutSeconds: number | undefined): unknown {
  if (timeoutSeconds === undefined) return output;
  const validation = output as { reviewSteps?: { timeoutSeconds: number }[] };
  const [first, ...rest] = validation.reviewSteps ?? [];
  if (first === undefined) return output;
  return { ...validation, reviewSteps: [{ ...first, timeoutSeconds }, ...rest] };
}

/** Whether the execution waits for a decision (or has ended) and no handler runs: a quiet moment. */
function isQuiet(system: LocalSystem, rerunner: Rerunner, name: string): boolean {
  if (rerunner.busy > 0) return false;
  const execution = system.stepFunctions.execution(name);
  if (execution === undefined) return false;
  if (execution.status !== 'RUNNING') return true;
  return Object.values(execution.callbacks).some(
    (callback) => callback.delivered && callback.outcome === undefined,
  );
}

async function waitQuiet(system: LocalSystem, rerunner: Rerunner, name: string, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (isQuiet(system, rerunner, name)) {
      await sleep(30);
      if (isQuiet(system, rerunner, name)) return true;
    }
    await sleep(40);
  }
  return false;
}

/** A decision given through an approval page, kept to POST the same form again later. */
interface Decided {
  link: string;
  form: ApprovalForm;
  decision: 'approve' | 'reject';
  comment: string;
}

/** Runs `submissions` pairs (three sequential submits, three concurrent ones) and one of every other path. */
export async function runIdempotency(options: { submissions: number }): Promise<PartReport> {
  const started = Date.now();
  const rerunner = new Rerunner();
  const handlers: Partial<Record<FunctionName, LocalHandler>> = {};
  for (const name of TASK_FUNCTIONS) handlers[name] = rerunner.taskHandler(name);
  const system = await startSystem({ handlers });
  rerunner.attach(system);
  const problems = rerunner.problems;
  const seen = new Set<string>();
  const created: string[] = [];
  let submits = 0;
  let decisions = 0;
  try {
    const { client, documents, planted } = await drafter(system);
    rerunner.planted = planted;

    const create = async (plan: Plan, draft: readonly DraftDocument[] = documents) => {
      const answer = await retrying(() => client.createSubmission(demoMetadata(), draft));
      await client.upload(answer.uploads, draft);
      rerunner.plans.set(answer.submissionId, plan);
      created.push(answer.submissionId);
      return answer.submissionId;
    };
    /** Every link now in the outbox counts as handled: the next scenario decides only its own. */
    const settleLinks = async () => {
      for (const { link } of await outboxLinks(system)) seen.add(link);
    };
    const submitAgain = (id: string, variant = 'submit') =>
      rerunner.httpRerun('submit', variant, async () => {
        try {
          const answer = await client.submit(id);
          return answer.executionName === `${id}-r1` && !answer.started
            ? { status: 200 }
            : { status: 200, problem: `answered ${answer.executionName}, started ${answer.started}` };
        } catch (error) {
          // A revision that ended RETURNED, FAILED or WITHDRAWN takes no submit: 409, and nothing else.
          if (error instanceof HttpStatusError && error.status === 409) return { status: 409 };
          return {
            status: 0,
            problem: `answered ${error instanceof HttpStatusError ? error.status : errorName(error)}`,
          };
        }
      });
    /** Drives a submission to its end, deciding every new approval link at a quiet moment. */
    const drive = async (
      id: string,
      policy: 'approve' | 'reject' | 'none',
      decided: Decided[],
      atFirstQuiet?: () => Promise<void>,
    ): Promise<ExecutionRecord | undefined> => {
      const name = `${id}-r1`;
      let firstQuiet = atFirstQuiet;
      const deadline = Date.now() + 150_000;
      while (Date.now() < deadline) {
        const execution = system.stepFunctions.execution(name);
        if (execution !== undefined && execution.status !== 'RUNNING' && rerunner.busy === 0) {
          await settleLinks();
          return execution;
        }
        if (policy !== 'none' && isQuiet(system, rerunner, name)) {
          const fresh = (await outboxLinks(system))
            .map((entry) => entry.link)
            .filter((link) => !seen.has(link));
          if (fresh.length > 0 && firstQuiet !== undefined) {
            await firstQuiet();
            firstQuiet = undefined;
          }
          for (const link of fresh) {
            seen.add(link);
            const page = await client.openApproval(link);
            if (page.form === undefined) {
              problems.push(`${id}: an approval page answered ${page.status} without a form`);
              continue;
            }
            const decision = policy === 'approve' ? 'approve' : 'reject';
            const comment = decision === 'reject' ? '请补充政策依据后重新提交。' : '';
            const { status } = await client.postApprovalForm(link, page.form, decision, comment);
            if (status !== 200) problems.push(`${id}: deciding (${decision}) answered ${status}`);
            decisions += 1;
            decided.push({ link, form: page.form, decision, comment });
          }
        }
        await sleep(40);
      }
      problems.push(`${id}: the execution did not end in time`);
      return system.stepFunctions.execution(name);
    };
    /** The approval forms POSTed again after their decisions: 409, nothing added, no task answered. */
    const replayDecisions = async (decided: readonly Decided[]) => {
      for (const { link, form, decision, comment } of decided) {
        await rerunner.httpRerun('approval-page', 'approval-page', async () => {
          const { status } = await client.postApprovalForm(link, form, decision, comment);
          return status === 409
            ? { status }
            : { status, problem: `the repeated decision answered ${status}` };
        });
      }
    };
    const expectEnd = (
      id: string,
      execution: ExecutionRecord | undefined,
      status: string,
      error?: string,
    ) => {
      if (execution?.status !== status || (error !== undefined && execution.error !== error))
        problems.push(
          `${id}: execution ended ${execution?.status} (${execution?.error}), not ${status} (${error})`,
        );
    };

    // ── published, after three submits one after another and three at once ─────────────────────────
    const published: string[] = [];
    for (let index = 0; index < options.submissions; index += 1) {
      for (const mode of ['sequential', 'concurrent'] as const) {
        const id = await create({ concurrent: mode === 'concurrent' });
        const submit = () => client.submit(id);
        const answers =
          mode === 'sequential'
            ? [await submit(), await submit(), await submit()]
            : await Promise.all([submit(), submit(), submit()]);
        submits += 3;
        if (new Set(answers.map((answer) => answer.executionName)).size !== 1)
          problems.push(`${mode} submits of ${id} named different executions`);
        published.push(id);
        const decided: Decided[] = [];
        // While the review waits for its first decision: the same submit once more.
        const execution = await drive(id, 'approve', decided, () => submitAgain(id));
        expectEnd(id, execution, 'SUCCEEDED');
        for (const variant of [
          'publish',
          'verify',
          'record-status PUBLISHED BUNDLE_VERIFIED',
          'notify PUBLISHED',
        ]) {
          await rerunner.lateRerun(id, variant);
        }
        await submitAgain(id);
        await replayDecisions(decided);
      }
    }

    // ── rejected by the first approver: RETURNED, then Notify ────────────────────────────────────────
    const rejected = await create({});
    await client.submit(rejected);
    const rejections: Decided[] = [];
    expectEnd(rejected, await drive(rejected, 'reject', rejections), 'SUCCEEDED');
    await replayDecisions(rejections);
    await submitAgain(rejected);

    // ── refused by Validate (a document that is not text): RETURNED, then Notify ─────────────────────
    const binary = documents.map((document, index) =>
      index === 0 ? { ...document, body: Uint8Array.from({ length: 512 }, (_, byte) => byte % 7) } : document,
    );
    const refused = await create({}, binary);
    await client.submit(refused);
    expectEnd(refused, await drive(refused, 'none', []), 'SUCCEEDED');

    // ── no decision: the request and both reminders time out, the review expires ────────────────────
    const expired = await create({ firstStepTimeoutSeconds: 1 });
    await client.submit(expired);
    expectEnd(expired, await drive(expired, 'none', []), 'FAILED', 'ReviewExpired');
    await submitAgain(expired);

    // ── residual personal data in the bundle: Verify quarantines it, FAILED ─────────────────────────
    const quarantined = await create({ quarantine: true });
    await client.submit(quarantined);
    expectEnd(quarantined, await drive(quarantined, 'approve', []), 'FAILED');
    await submitAgain(quarantined);

    // ── withdrawn while in review: the same withdraw again ───────────────────────────────────────────
    const inReview = await create({});
    await client.submit(inReview);
    if (!(await waitQuiet(system, rerunner, `${inReview}-r1`)))
      problems.push(`${inReview} never waited for a decision`);
    const withdrawal = { explanation: '起草人撤回：内容需重新研究。' };
    const first = await rerunner.exclusive(() => client.withdraw(inReview, withdrawal));
    if (first.status !== 200) problems.push(`withdrawing ${inReview} in review answered ${first.status}`);
    await rerunner.httpRerun('withdraw', 'withdraw (in review)', async () => {
      const again = await client.withdraw(inReview, withdrawal);
      return again.status === 200 ? again : { ...again, problem: `answered ${again.status}` };
    });
    expectEnd(inReview, await system.stepFunctions.waitUntilDone(`${inReview}-r1`, 10_000), 'ABORTED');
    await settleLinks();

    // ── the figures: one execution per submission, one bundle and one 索引号 per publication ─────────
    const catalog = await client.catalog();
    const finals: [string, string][] = [
      [rejected, 'RETURNED'],
      [refused, 'RETURNED'],
      [expired, 'FAILED'],
      [quarantined, 'FAILED'],
      [inReview, 'WITHDRAWN'],
    ];
    for (const id of published) {
      const final = await waitForStatus(client, id);
      if (final?.status !== 'PUBLISHED') {
        problems.push(`${id} ended ${final?.status}, not PUBLISHED`);
        continue;
      }
      const entries = catalog.filter((entry) => entry.bundleId === final.bundleId);
      if (entries.length !== 1) problems.push(`${id}: its bundle is listed ${entries.length} times`);
      if (entries[0]?.indexNumber !== final.indexNumber)
        problems.push(`${id}: catalog and submission disagree on the 索引号`);
    }
    for (const [id, status] of finals) {
      const final = await waitForStatus(client, id);
      if (final?.status !== status) problems.push(`${id} ended ${final?.status}, not ${status}`);
    }
    for (const id of created) {
      const executions = system.stepFunctions
        .executions()
        .filter((execution) => execution.name.startsWith(id));
      if (executions.length !== 1) problems.push(`${id}: ${executions.length} executions`);
    }
    const indexNumbers = new Set(catalog.map((entry) => entry.indexNumber));
    if (catalog.length !== published.length || indexNumbers.size !== published.length)
      problems.push(
        `${published.length} published, ${catalog.length} catalog entries, ${indexNumbers.size} 索引号`,
      );

    // ── a published bundle withdrawn (失效), then the same withdraw again ──────────────────────────────
    const target = published[0];
    if (target !== undefined) {
      const expiry = { validity: 'EXPIRED', explanation: '已被新的实施方案替代。' };
      const once = await rerunner.exclusive(() => client.withdraw(target, expiry));
      if (once.status !== 200) problems.push(`withdrawing published ${target} answered ${once.status}`);
      await rerunner.httpRerun('withdraw', 'withdraw (published)', async () => {
        const again = await client.withdraw(target, expiry);
        return again.status === 200 && again.text === once.text
          ? again
          : {
              ...again,
              problem: `answered ${again.status}, ${again.text === once.text ? 'the same' : 'differently'}`,
            };
      });
    }

    // Each decision answers its task once; fewer would also mean the counter behind "no second
    // answer" saw nothing.
    if (rerunner.taskAnswers !== decisions)
      problems.push(`${decisions} decisions, ${rerunner.taskAnswers} answers to waiting tasks`);
    const variants = new Set(rerunner.reruns.map((rerun) => rerun.variant));
    for (const variant of REQUIRED_VARIANTS)
      if (!variants.has(variant)) problems.push(`${variant} was never re-run`);
    problems.push(...rerunner.reruns.flatMap((rerun) => rerun.problems));

    const perFunction: Record<string, number> = {};
    for (const rerun of rerunner.reruns)
      perFunction[rerun.functionName] = (perFunction[rerun.functionName] ?? 0) + 1;
    const total = (field: keyof Rerun['compared']) =>
      rerunner.reruns.reduce((sum, rerun) => sum + rerun.compared[field], 0);
    return {
      part: 'idempotency',
      attempts: submits + rerunner.reruns.length,
      outcomes: {
        submissions: created.length,
        submits,
        executions: system.stepFunctions.executions().length,
        bundles: catalog.length,
        索引号: indexNumbers.size,
        're-runs': rerunner.reruns.length,
        ...perFunction,
        'objects compared': total('objects'),
        'items compared': total('items'),
        'mails compared': total('mails'),
        differences: rerunner.reruns.reduce((sum, rerun) => sum + rerun.differences, 0),
        'same answer': rerunner.reruns.filter((rerun) => rerun.sameAnswer).length,
        decisions,
      },
      ms: Date.now() - started,
      problems,
    };
  } finally {
    rerunner.system = undefined;
    await system.stop();
  }
}

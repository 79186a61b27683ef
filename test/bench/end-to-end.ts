import { AsyncLocalStorage } from 'node:async_hooks';
import diagnostics from 'node:diagnostics_channel';
import { readdir, readFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import type { Context } from 'aws-lambda';
import { demoMetadata, readDemoFixtures } from '../../bin/commands/demo.js';
import { type DraftDocument, LocalClient } from '../../infra/local/client.js';
import { isFunctionName, type LocalHandler, loadHandler } from '../../infra/local/handlers.js';
import { parseEml } from '../../infra/local/outbox.js';
import { type LocalSystem, startLocalSystem } from '../../infra/local/system.js';
import type { FunctionName } from '../../shared/config/environment.js';
import { sleep } from './stats.js';

/**
 * The local end-to-end part of the benchmark: the whole system in this process (real handlers,
 * s3rver, dynalite, the synthesized state machine), driven over HTTP exactly as people drive it.
 *
 * "Automatic approval" is an approver that reads every new mail in the local outbox and, for each
 * approval link, opens the page and approves through its form — the same path as a person (the
 * approval-page handler, then SendTaskSuccess); nothing in the system is bypassed or changed. It
 * clicks within milliseconds; a link that answers 404 then (mailed before it is stored) is retried.
 *
 * Every handler is wrapped (through the local system's `handlers` option) to time its calls, and
 * every request the handlers make to S3, DynamoDB and SES is counted (node:http diagnostics
 * channels, attributed to the calling function with AsyncLocalStorage): the inputs of the cost table.
 */

/** What the handlers did, per function. */
export interface FunctionMeter {
  invocations: number;
  durationsMs: number[];
  s3Put: number;
  s3Get: number;
  s3List: number;
  s3Head: number;
  dynamoWrites: number;
  dynamoReads: number;
  /** Estimated write request units (request size, 1 KB units, + 1 per GSI key written). */
  writeUnits: number;
  /** Estimated read request units (response size, 4 KB units; half for eventually consistent reads). */
  readUnits: number;
  mails: number;
  stepFunctionsCalls: number;
}

const emptyMeter = (): FunctionMeter => ({
  invocations: 0,
  durationsMs: [],
  s3Put: 0,
  s3Get: 0,
  s3List: 0,
  s3Head: 0,
  dynamoWrites: 0,
  dynamoReads: 0,
  writeUnits: 0,
  readUnits: 0,
  mails: 0,
  stepFunctionsCalls: 0,
});

/** Requests made outside any handler (the drafter's browser uploading to presigned URLs). */
export const CLIENT = '(browser)';

const BODY = Symbol('gongkai-bench-body');
type WithBody = http.ClientRequest & { [BODY]?: string };

/** Counts handler calls and their AWS requests. */
export class Meter {
  private readonly context = new AsyncLocalStorage<string>();
  private meters = new Map<string, FunctionMeter>();
  private ports: { s3: number; dynamodb: number; aws: number } | undefined;
  private readonly gsiKeys: readonly string[];
  private readonly originalEnd = http.ClientRequest.prototype.end;

  constructor(options: { gsiKeyAttributes: readonly string[] }) {
    this.gsiKeys = options.gsiKeyAttributes;
    const originalEnd = this.originalEnd;
    // The request body is needed to classify DynamoDB calls (ConsistentRead, GSI keys).
    http.ClientRequest.prototype.end = function (this: WithBody, ...args: unknown[]) {
      const [chunk] = args;
      if (typeof chunk === 'string') this[BODY] = chunk;
      else if (chunk instanceof Uint8Array && chunk.byteLength < 1_000_000)
        this[BODY] = Buffer.from(chunk).toString('utf8');
      return (originalEnd as (...a: unknown[]) => http.ClientRequest).apply(this, args);
    } as typeof originalEnd;
    diagnostics.subscribe('http.client.response.finish', this.onResponse);
    diagnostics.subscribe('undici:request:create', this.onFetch);
  }

  /** Stops counting and restores `ClientRequest.prototype.end`. */
  close(): void {
    http.ClientRequest.prototype.end = this.originalEnd;
    diagnostics.unsubscribe('http.client.response.finish', this.onResponse);
    diagnostics.unsubscribe('undici:request:create', this.onFetch);
  }

  setPorts(ports: { s3: number; dynamodb: number; aws: number }): void {
    this.ports = ports;
  }

  /** Clears the counts; returns what was counted until now. */
  reset(): Map<string, FunctionMeter> {
    const counted = this.meters;
    this.meters = new Map();
    return counted;
  }

  private meterOf(name: string): FunctionMeter {
    let meter = this.meters.get(name);
    if (meter === undefined) {
      meter = emptyMeter();
      this.meters.set(name, meter);
    }
    return meter;
  }

  /** Wraps `name`'s real handler: timed, and its requests attributed to it. */
  wrap(name: FunctionName): LocalHandler {
    let loading: Promise<LocalHandler> | undefined;
    return async (event: unknown, context: Context) => {
      loading ??= loadHandler(name);
      const handler = await loading;
      return this.context.run(name, async () => {
        const started = performance.now();
        try {
          return await handler(event, context);
        } finally {
          const meter = this.meterOf(name);
          meter.invocations += 1;
          meter.durationsMs.push(performance.now() - started);
        }
      });
    };
  }

  private readonly onFetch = (message: unknown) => {
    const request = (message as { request: { origin: string; method: string; path: string } }).request;
    if (this.ports === undefined || this.context.getStore() !== undefined) return;
    if (new URL(request.origin).port !== String(this.ports.s3)) return;
    const meter = this.meterOf(CLIENT);
    if (request.method === 'PUT' || request.method === 'POST') meter.s3Put += 1;
    else meter.s3Get += 1;
  };

  private readonly onResponse = (message: unknown) => {
    const { request, response } = message as { request: WithBody; response: http.IncomingMessage };
    if (this.ports === undefined) return;
    const port = Number(
      (request.getHeader('host') as string | undefined)?.split(':')[1] ?? request.socket?.remotePort,
    );
    const meter = this.meterOf(this.context.getStore() ?? CLIENT);
    if (port === this.ports.s3) {
      if (request.method === 'PUT' || request.method === 'POST' || request.method === 'DELETE')
        meter.s3Put += 1;
      else if (request.method === 'HEAD') meter.s3Head += 1;
      else if (/[?&](list-type=|prefix=|delimiter=)/.test(request.path)) meter.s3List += 1;
      else meter.s3Get += 1;
    } else if (port === this.ports.dynamodb) {
      const operation = String(request.getHeader('x-amz-target') ?? '').split('.')[1] ?? '';
      const body = request[BODY] ?? '';
      if (/^(PutItem|UpdateItem|DeleteItem)$/.test(operation)) {
        meter.dynamoWrites += 1;
        const units = Math.max(1, Math.ceil(Buffer.byteLength(body) / 1024));
        const indexes = this.gsiKeys.filter((key) => body.includes(`"${key}"`)).length;
        meter.writeUnits += units * (1 + indexes);
      } else if (/^(GetItem|Query|Scan)$/.test(operation)) {
        meter.dynamoReads += 1;
        const bytes = Number(response.headers['content-length'] ?? 0);
        const consistent = /"ConsistentRead"\s*:\s*true/.test(body);
        meter.readUnits += Math.max(1, Math.ceil(bytes / 4096)) * (consistent ? 1 : 0.5);
      }
    } else if (port === this.ports.aws) {
      if (request.path.startsWith('/v2/email/')) meter.mails += 1;
      else meter.stepFunctionsCalls += 1;
    }
  };
}

/**
 * The automatic approver: watches the outbox; for every approval link in a new mail, opens the
 * page and approves it through the form (GET, then POST), at most `concurrency` at a time.
 */
export class OutboxApprover {
  private readonly done = new Set<string>();
  private readonly seenLinks = new Set<string>();
  private running = true;
  private active = 0;
  private readonly pending: (() => Promise<void>)[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private loop: Promise<void> | undefined;
  approvals = 0;
  /** Links opened again because they answered before their record was stored. */
  retries = 0;
  errors: string[] = [];

  constructor(
    private readonly client: LocalClient,
    private readonly system: LocalSystem,
    private readonly concurrency = 4,
  ) {}

  start(): void {
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    this.pending.length = 0;
    await Promise.all(this.inFlight);
  }

  /** Starts queued approvals, at most `concurrency` at a time, without holding up the outbox reader. */
  private pump(): void {
    while (this.active < this.concurrency && this.pending.length > 0) {
      const next = this.pending.shift() as () => Promise<void>;
      this.active += 1;
      const running = next().finally(() => {
        this.active -= 1;
        this.inFlight.delete(running);
        this.pump();
      });
      this.inFlight.add(running);
    }
  }

  private async approve(link: string): Promise<void> {
    // request-approval mails first and stores the link after (by design), so a link opened
    // at once may still answer 404: try again for a few seconds, as a person would later.
    const deadline = Date.now() + 10_000;
    for (;;) {
      try {
        const decided = await this.client.decide(link, 'approve');
        if (decided.status >= 400) this.errors.push(`approving answered ${decided.status}`);
        else this.approvals += 1;
        return;
      } catch (error) {
        if (Date.now() > deadline) {
          this.errors.push(error instanceof Error ? error.message : String(error));
          return;
        }
        this.retries += 1;
        await sleep(100);
      }
    }
  }

  private async run(): Promise<void> {
    const prefix = new URL('/approvals/', this.system.urls.api).href;
    while (this.running) {
      const files = (await readdir(this.system.outboxDirectory).catch(() => [] as string[]))
        .filter((file) => file.endsWith('.eml') && !this.done.has(file))
        .sort();
      const links: string[] = [];
      for (const file of files) {
        const source = await readFile(path.join(this.system.outboxDirectory, file), 'utf8').catch(() => '');
        // Written in one call but not atomically: wait for the closing boundary.
        if (!source.trimEnd().endsWith('--')) continue;
        this.done.add(file);
        for (const link of parseEml(file, source).links) {
          if (link.startsWith(prefix) && !this.seenLinks.has(link)) {
            this.seenLinks.add(link);
            links.push(link);
          }
        }
      }
      if (links.length === 0) {
        await sleep(40);
        continue;
      }
      for (const link of links) this.pending.push(() => this.approve(link));
      this.pump();
    }
  }
}

/** A running benchmark system. */
export interface BenchSystem {
  system: LocalSystem;
  meter: Meter;
  client: LocalClient;
  approver: OutboxApprover;
  documents: DraftDocument[];
  startMs: number;
  stop(): Promise<void>;
}

/** Starts the local system with timed handlers, signs a drafter in and starts the approver. */
export async function startBenchSystem(options: {
  dataDir: string;
  functionNames: readonly string[];
  gsiKeyAttributes: readonly string[];
}): Promise<BenchSystem> {
  const meter = new Meter({ gsiKeyAttributes: options.gsiKeyAttributes });
  const handlers: Partial<Record<FunctionName, LocalHandler>> = {};
  for (const name of options.functionNames) if (isFunctionName(name)) handlers[name] = meter.wrap(name);
  const started = performance.now();
  const system = await startLocalSystem({ dataDir: options.dataDir, port: 0, logLevel: 'ERROR', handlers });
  const startMs = performance.now() - started;
  meter.setPorts(system.ports);
  const client = new LocalClient(system.urls.api, system.outboxDirectory);
  await client.signIn({ drafter: 'drafter-001' });
  const approver = new OutboxApprover(new LocalClient(system.urls.api, system.outboxDirectory), system);
  approver.start();
  const { documents } = await readDemoFixtures();
  return {
    system,
    meter,
    client,
    approver,
    documents,
    startMs,
    stop: async () => {
      await approver.stop();
      await system.stop();
      meter.close();
    },
  };
}

/** A submission created and uploaded, ready to submit. */
export interface Draft {
  submissionId: string;
}

/** Creates a submission (the demo's metadata: two review steps) and uploads its two documents. */
export async function prepareDraft(bench: BenchSystem, index: number): Promise<Draft> {
  const created = await bench.client.createSubmission(
    demoMetadata({ title: `基准测试第${index}号：银川市大数据产业发展服务中心2019年政务公开实施方案` }),
    bench.documents,
  );
  await bench.client.upload(created.uploads, bench.documents);
  return { submissionId: created.submissionId };
}

/** One submission from submit to PUBLISHED. */
export interface Publication {
  submissionId: string;
  executionName: string;
  /** From the submit request to the first status read that says PUBLISHED. */
  latencyMs: number;
  /** When PUBLISHED was observed, ms after `origin`. */
  publishedAtMs: number;
}

const TERMINAL = ['PUBLISHED', 'RETURNED', 'FAILED', 'REVIEW_EXPIRED', 'WITHDRAWN'];

/**
 * Submits `draft` and polls its status every `pollMs` until it is PUBLISHED. Polls are skipped
 * while its execution has not moved since the last poll (read in-process, free), so a hundred
 * pollers do not load the system more than the submissions themselves.
 */
export async function submitAndWait(
  bench: BenchSystem,
  draft: Draft,
  options: { pollMs: number; timeoutMs: number; origin?: number },
): Promise<Publication> {
  const origin = options.origin ?? performance.now();
  const started = performance.now();
  const { executionName } = await bench.client.submit(draft.submissionId);
  const deadline = Date.now() + options.timeoutMs;
  let lastSeen = '';
  while (Date.now() < deadline) {
    const record = bench.system.stepFunctions.execution(executionName);
    const progress = `${record?.status}:${record?.transitions}`;
    if (progress !== lastSeen) {
      lastSeen = progress;
      const { status } = await bench.client.getSubmission(draft.submissionId);
      if (status === 'PUBLISHED') {
        const now = performance.now();
        return {
          submissionId: draft.submissionId,
          executionName,
          latencyMs: now - started,
          publishedAtMs: now - origin,
        };
      }
      if (TERMINAL.includes(status)) throw new Error(`Submission ${draft.submissionId} ended ${status}.`);
      if (record !== undefined && record.status !== 'RUNNING') lastSeen = '';
    }
    await sleep(options.pollMs);
  }
  const record = bench.system.stepFunctions.execution(executionName);
  const { status } = await bench.client.getSubmission(draft.submissionId);
  throw new Error(
    `Submission ${draft.submissionId} was not PUBLISHED within ${options.timeoutMs} ms: it is ${status}, its execution ${record?.status ?? 'unknown'} at ${record?.checkpoint?.state ?? '?'} after ${record?.transitions ?? '?'} transitions (${record?.error ?? ''} ${record?.cause?.slice(0, 300) ?? ''}); approvals given ${bench.approver.approvals}, approver errors: ${bench.approver.errors.slice(0, 2).join('; ') || 'none'}.`,
  );
}

/** State transitions of one execution: StateEntered events in its event log (Map iterations included). */
export async function transitionsOf(bench: BenchSystem, executionName: string): Promise<number> {
  const record = await bench.system.stepFunctions.waitUntilDone(executionName, 60_000);
  if (record?.status !== 'SUCCEEDED')
    throw new Error(`Execution ${executionName} ended ${record?.status ?? 'unknown'}, not SUCCEEDED.`);
  const events = await bench.system.stepFunctions.events(executionName);
  return events.filter((event) => event.type === 'StateEntered').length;
}

import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { demoMetadata, readDemoFixtures } from '../../bin/commands/demo.js';
import { type DraftDocument, HttpStatusError, LocalClient } from '../../infra/local/client.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../infra/local/emulators.js';
import { parseEml } from '../../infra/local/outbox.js';
import { type LocalSystem, type LocalSystemOptions, startLocalSystem } from '../../infra/local/system.js';
import { createDocumentClient, createS3Client } from '../../shared/adapters/aws-clients.js';

/**
 * What every resilience part shares: starting the local system, a drafter that creates and submits
 * over HTTP (retrying a 5xx as a person would press the button again), an approver that reads the
 * outbox and approves through each page's form, store snapshots, and the report each part returns.
 */

/** One row of the resilience table, plus every check that failed (empty when the part passed). */
export interface PartReport {
  part: string;
  attempts: number;
  outcomes: Record<string, number>;
  ms: number;
  problems: string[];
}

/** Starting a system synthesizes the CDK app; allow for a loaded machine. */
export const START_TIMEOUT_MS = 120_000;

/** Statuses a revision does not leave on its own. */
export const FINAL_STATUSES = ['PUBLISHED', 'RETURNED', 'FAILED', 'REGISTERED', 'WITHDRAWN'] as const;

/** The local system on free loopback ports in a fresh temporary folder (removed by `stop`). */
export async function startSystem(options: Partial<LocalSystemOptions> = {}): Promise<LocalSystem> {
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(tmpdir(), 'gongkai-resilience-')));
  const system = await startLocalSystem({ port: 0, logLevel: 'ERROR', ...options, dataDir });
  const stop = system.stop;
  return {
    ...system,
    stop: async () => {
      await stop();
      if (options.dataDir === undefined) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `attempt` again while it fails with a 5xx or a network error, as a person retries. */
export async function retrying<T>(attempt: () => Promise<T>, tries = 8): Promise<T> {
  for (let left = tries; ; left -= 1) {
    try {
      return await attempt();
    } catch (error) {
      const transient =
        (error instanceof HttpStatusError && error.status >= 500) ||
        (error instanceof TypeError && /fetch failed/.test(error.message));
      if (!transient || left <= 1) throw error;
      await sleep(50 + Math.random() * 150);
    }
  }
}

/** A signed-in drafter with the demo documents. */
export async function drafter(system: LocalSystem, id = 'drafter-001') {
  const client = new LocalClient(system.urls.api, system.outboxDirectory);
  await retrying(() => client.signIn({ drafter: id }));
  const fixtures = await readDemoFixtures();
  return { client, ...fixtures };
}

/** Creates a submission, uploads its documents and submits it; every call is retried on a 5xx. */
export async function createAndSubmit(
  client: LocalClient,
  documents: readonly DraftDocument[],
  metadata: Record<string, unknown> = demoMetadata(),
): Promise<string> {
  const created = await retrying(() => client.createSubmission(metadata, documents));
  await retrying(() => client.upload(created.uploads, documents));
  await retrying(() => client.submit(created.submissionId));
  return created.submissionId;
}

/** Polls until the submission is in one of `statuses` (a 5xx while polling is retried). */
export async function waitForStatus(
  client: LocalClient,
  submissionId: string,
  statuses: readonly string[] = FINAL_STATUSES,
  // Generous: on a 2-core CI machine several local systems run at once (vitest runs files in parallel).
  timeoutMs = 180_000,
) {
  const deadline = Date.now() + timeoutMs;
  let last: Awaited<ReturnType<LocalClient['getSubmission']>> | undefined;
  while (Date.now() < deadline) {
    last = await retrying(() => client.getSubmission(submissionId)).catch(() => last);
    if (last !== undefined && statuses.includes(last.status)) return last;
    await sleep(150);
  }
  return last;
}

/** The approval links of the outbox's mails, each with its recipient, oldest first. */
export async function outboxLinks(system: LocalSystem): Promise<{ to: string; link: string }[]> {
  const prefix = new URL('/approvals/', system.urls.api).href;
  const files = (await readdir(system.outboxDirectory).catch(() => [] as string[]))
    .filter((file) => file.endsWith('.eml'))
    .sort();
  const links: { to: string; link: string }[] = [];
  for (const file of files) {
    const source = await readFile(path.join(system.outboxDirectory, file), 'utf8').catch(() => '');
    // Written in one call but not atomically: a mail is complete once its closing boundary is there.
    if (!source.trimEnd().endsWith('--')) continue;
    const mail = parseEml(file, source);
    for (const link of mail.links) if (link.startsWith(prefix)) links.push({ to: mail.to, link });
  }
  return links;
}

/** The secret of an approval link (its last path segment). */
export function secretOf(link: string): string {
  return decodeURIComponent(new URL(link).pathname.split('/').pop() ?? '');
}

/**
 * The automatic approver: approves every new approval link in the outbox through its page's form
 * (GET, then POST with the form's token, same origin), retrying a 5xx as a person reloads the page.
 * Nothing in the system is bypassed, and nothing is passed over in silence: a link that offers no
 * form is counted by what it answered, so the report can explain every mailed link.
 */
export class OutboxApprover {
  private readonly handled = new Set<string>();
  private running = false;
  private loop: Promise<void> | undefined;
  /** Decisions made: a POST of the form answered 2xx. */
  approvals = 0;
  /** Decisions whose POST answered 5xx but took effect: the link, reopened, showed 已处理. */
  finishedAfterError = 0;
  /** Links that offered no form, by what they answered (`410`, `404`, `200 without a form`, …). */
  readonly noForm: Record<string, number> = {};
  /** What each handled link came to: `approved`, `finished after error` or `answered <status>`. */
  readonly outcomes = new Map<string, string>();
  readonly errors: string[] = [];

  constructor(
    private readonly system: LocalSystem,
    private readonly client = new LocalClient(system.urls.api, system.outboxDirectory),
  ) {}

  start(): this {
    this.running = true;
    this.loop = this.run();
    return this;
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private async approve(link: string): Promise<void> {
    // Set once a POST was sent without a clear answer: a page without a form may then be our decision.
    let posted = false;
    // A person who meets an error page opens the link again later, and again; under faults and load
    // a few tries in quick succession can all fail, so keep at it for two minutes, backing off.
    const giveUpAt = Date.now() + 120_000;
    for (let attempt = 0; ; attempt += 1) {
      try {
        const page = await this.client.openApproval(link);
        if (page.status >= 500) throw new Error(`page answered ${page.status}`);
        if (page.form === undefined) {
          if (posted && page.status === 200 && page.html.includes('已处理')) {
            this.finishedAfterError += 1;
            this.outcomes.set(link, 'finished after error');
            return;
          }
          const answer = page.status === 200 ? '200 without a form' : String(page.status);
          this.noForm[answer] = (this.noForm[answer] ?? 0) + 1;
          this.outcomes.set(link, `answered ${answer}`);
          return;
        }
        posted = true;
        const decided = await this.client.postApprovalForm(link, page.form, 'approve');
        if (decided.status >= 500) throw new Error(`decision answered ${decided.status}`);
        if (decided.status >= 400) {
          this.errors.push(`approving answered ${decided.status}`);
          this.outcomes.set(link, `decision answered ${decided.status}`);
          return;
        }
        this.approvals += 1;
        this.outcomes.set(link, 'approved');
        return;
      } catch (error) {
        if (Date.now() >= giveUpAt) {
          this.errors.push(error instanceof Error ? error.message : String(error));
          return;
        }
        await sleep(Math.min(5_000, 100 * 2 ** attempt) * (0.5 + Math.random() / 2));
      }
    }
  }

  private async run(): Promise<void> {
    while (this.running) {
      const fresh = (await outboxLinks(this.system))
        .map((entry) => entry.link)
        .filter((link) => !this.handled.has(link));
      for (const link of fresh) this.handled.add(link);
      if (fresh.length === 0) {
        await sleep(50);
        continue;
      }
      const queue = [...fresh];
      await Promise.all(
        Array.from({ length: Math.min(4, queue.length) }, async () => {
          for (let link = queue.shift(); link !== undefined; link = queue.shift()) await this.approve(link);
        }),
      );
    }
  }
}

/** Clients of the system's emulators for the test's own reads (never the handlers' clients). */
export function emulatorClients(system: LocalSystem): { s3: S3Client; dynamo: DynamoDBDocumentClient } {
  const connection = {
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    endpoints: { s3: system.urls.s3, dynamodb: system.urls.dynamodb },
  };
  return {
    s3: createS3Client({ ...connection, forcePathStyle: true }),
    dynamo: createDocumentClient(connection),
  };
}

/**
 * Every object (bucket/key → SHA-256 of its bytes, content type and cache control), every item
 * (pk sk → JSON) and every mail of the outbox (`.eml` file name) of the system.
 */
export interface StoreSnapshot {
  objects: Map<string, string>;
  items: Map<string, string>;
  /** The outbox's `.eml` names: each mail sent is one new file, so a duplicate mail is an added name. */
  mails: Set<string>;
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    return `{${Object.keys(record)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${stableJson(record[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** Per system: the emulator clients and, per object, the listing it was hashed under. */
const snapshotState = new WeakMap<
  LocalSystem,
  {
    clients: ReturnType<typeof emulatorClients>;
    hashes: Map<string, { listing: string; hash: string }>;
  }
>();

/**
 * Reads every object of the buckets, every item of the table and the outbox's mail names.
 *
 * An object's bytes are read again whenever its listing (ETag, size, last-modified) differs from
 * the one it was hashed under: a rewrite, even of identical bytes, has a new last-modified time
 * and is re-read, and different bytes have a different ETag (their MD5). Only an object that was
 * not written since is taken from the cache — which keeps a snapshot of a few hundred objects fast
 * enough to take before and after every re-run.
 */
export async function snapshotStores(system: LocalSystem): Promise<StoreSnapshot> {
  let state = snapshotState.get(system);
  if (state === undefined) {
    state = { clients: emulatorClients(system), hashes: new Map() };
    snapshotState.set(system, state);
  }
  const { clients, hashes } = state;
  const objects = new Map<string, string>();
  const buckets = Object.entries(system.resources)
    .filter(([name]) => name.endsWith('_BUCKET'))
    .map(([, bucket]) => bucket);
  for (const bucket of buckets) {
    let token: string | undefined;
    do {
      const page = await clients.s3.send(
        new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }),
      );
      for (const object of page.Contents ?? []) {
        const name = `${bucket}/${object.Key}`;
        const listing = `${object.ETag} ${object.Size} ${object.LastModified?.toISOString()}`;
        const cached = hashes.get(name);
        if (cached?.listing === listing) {
          objects.set(name, cached.hash);
          continue;
        }
        const body = await clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: object.Key }));
        const bytes = await body.Body?.transformToByteArray();
        const hash = `${createHash('sha256')
          .update(bytes ?? new Uint8Array())
          .digest('hex')} ${body.ContentType ?? ''} ${body.CacheControl ?? ''}`;
        hashes.set(name, { listing, hash });
        objects.set(name, hash);
      }
      token = page.NextContinuationToken;
    } while (token !== undefined);
  }
  const items = new Map<string, string>();
  let start: Record<string, unknown> | undefined;
  do {
    const page = await clients.dynamo.send(
      new ScanCommand({ TableName: system.resources.TABLE_NAME, ExclusiveStartKey: start }),
    );
    for (const item of page.Items ?? []) items.set(`${item.pk} ${item.sk}`, stableJson(item));
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  const mails = new Set(
    (await readdir(system.outboxDirectory).catch(() => [] as string[])).filter((file) =>
      file.endsWith('.eml'),
    ),
  );
  return { objects, items, mails };
}

/** Keys added, removed and changed in one store between two snapshots. */
export interface StoreChanges {
  added: string[];
  removed: string[];
  changed: string[];
}

/** What changed between two snapshots, per store. */
export function compareSnapshots(
  before: StoreSnapshot,
  after: StoreSnapshot,
): { objects: StoreChanges; items: StoreChanges; mails: StoreChanges } {
  const diff = (a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): StoreChanges => ({
    added: [...b.keys()].filter((key) => !a.has(key)),
    removed: [...a.keys()].filter((key) => !b.has(key)),
    changed: [...b.keys()].filter((key) => a.has(key) && a.get(key) !== b.get(key)),
  });
  const names = (set: ReadonlySet<string>) => new Map([...set].map((name) => [name, name]));
  return {
    objects: diff(before.objects, after.objects),
    items: diff(before.items, after.items),
    mails: diff(names(before.mails), names(after.mails)),
  };
}

/** How many entries a snapshot holds, per store (what a comparison looked at). */
export function snapshotSize(snapshot: StoreSnapshot): { objects: number; items: number; mails: number } {
  return { objects: snapshot.objects.size, items: snapshot.items.size, mails: snapshot.mails.size };
}

/** Counts by key. */
export function countBy<T>(values: readonly T[], key: (value: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[key(value)] = (counts[key(value)] ?? 0) + 1;
  return counts;
}

/** The resilience table: one row per part. */
export function formatTable(reports: readonly PartReport[]): string {
  // One line per figure, so each part's figures read down a column instead of across one long cell.
  const rows = reports.flatMap((report) => {
    const figures = Object.entries(report.outcomes);
    const head = [
      report.part,
      String(report.attempts),
      `${(report.ms / 1000).toFixed(1)} s`,
      report.problems.length === 0 ? 'pass' : `FAIL (${report.problems.length})`,
    ];
    if (figures.length === 0) return [[...head, '', '']];
    return figures.map(([name, count], index) => [
      ...(index === 0 ? head : ['', '', '', '']),
      name,
      String(count),
    ]);
  });
  const header = ['part', 'attempts', 'time', 'result', 'figure', 'value'];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => displayWidth(row[column] ?? ''))),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((cell, column) => cell + ' '.repeat((widths[column] ?? 0) - displayWidth(cell))).join(' | ')} |`;
  return [
    line(header),
    `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`,
    ...rows.map(line),
  ].join('\n');
}

/** Terminal width: CJK characters take two columns. */
function displayWidth(text: string): number {
  let width = 0;
  for (const char of text)
    width += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\uff00-\uff60]/.test(char) ? 2 : 1;
  return width;
}

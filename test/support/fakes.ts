/**
 * In-memory fakes of the ports, with the semantics the DynamoDB/S3/Step Functions adapters promise
 * (conditional status changes, idempotent repeats, stale revisions, duplicate executions), so the
 * use cases in `shared/submissions` can be tested without AWS.
 */
import {
  RevisionNotAllowedError,
  StaleRevisionError,
  SubmissionNotFoundError,
} from '../../shared/adapters/dynamo-submission-store.js';
import {
  type AuditEvent,
  AuditEventSchema,
  assertTransition,
  type Submission,
  type SubmissionDraft,
  SubmissionSchema,
  type SubmissionStatus,
} from '../../shared/domain/index.js';
import type { ApprovalLink, ApprovalStore, ReviewStepRecord } from '../../shared/ports/approval-store.js';
import type { AuditLog } from '../../shared/ports/audit-log.js';
import type { CatalogEntry, CatalogEvent, CatalogStore } from '../../shared/ports/catalog-store.js';
import type { Mailer, MailMessage } from '../../shared/ports/mailer.js';
import type { ObjectStore } from '../../shared/ports/object-store.js';
import type { RevisionPatch, SubmissionStore } from '../../shared/ports/submission-store.js';
import type { Workflow } from '../../shared/ports/workflow.js';

/** {@link SubmissionStore} in memory; every write parses the submission like the adapter does. */
export class InMemorySubmissionStore implements SubmissionStore {
  readonly items = new Map<string, Submission>();

  constructor(initial: Submission[] = []) {
    for (const submission of initial) this.items.set(submission.id, SubmissionSchema.parse(submission));
  }

  async create(submission: Submission): Promise<void> {
    if (this.items.has(submission.id))
      throw Object.assign(new Error('exists'), { name: 'ConditionalCheckFailedException' });
    this.items.set(submission.id, SubmissionSchema.parse(submission));
  }

  async get(id: string): Promise<Submission | undefined> {
    const item = this.items.get(id);
    return item === undefined ? undefined : structuredClone(item);
  }

  private existing(id: string): Submission {
    const item = this.items.get(id);
    if (item === undefined) throw new SubmissionNotFoundError();
    return item;
  }

  async transition(
    id: string,
    revision: number,
    to: SubmissionStatus,
    options: { now: Date; patch?: RevisionPatch },
  ) {
    const current = this.existing(id);
    if (current.revision !== revision) throw new StaleRevisionError(revision, current.revision);
    if (current.status === to)
      return { submission: structuredClone(current), changed: false, from: current.status };
    assertTransition(current.status, to, current.metadata.disclosure.attribute);
    const next = SubmissionSchema.parse({
      ...current,
      ...options.patch,
      status: to,
      updatedAt: options.now.toISOString(),
    });
    this.items.set(id, next);
    return { submission: structuredClone(next), changed: true, from: current.status };
  }

  async patch(
    id: string,
    revision: number,
    patch: RevisionPatch,
    options: { now: Date },
  ): Promise<Submission> {
    const current = this.existing(id);
    if (current.revision !== revision) throw new StaleRevisionError(revision, current.revision);
    const next = SubmissionSchema.parse({ ...current, ...patch, updatedAt: options.now.toISOString() });
    this.items.set(id, next);
    return structuredClone(next);
  }

  async newRevision(id: string, expectedRevision: number, draft: SubmissionDraft, options: { now: Date }) {
    const current = this.existing(id);
    if (current.revision !== expectedRevision)
      throw new StaleRevisionError(expectedRevision, current.revision);
    if (current.status !== 'RETURNED' && current.status !== 'FAILED')
      throw new RevisionNotAllowedError(current.status);
    const { returnedComment: _c, indexNumber: _i, bundleId: _b, publishedAt: _p, ...rest } = current;
    const next = SubmissionSchema.parse({
      ...rest,
      metadata: draft.metadata,
      documents: draft.documents,
      revision: expectedRevision + 1,
      status: 'DRAFT',
      updatedAt: options.now.toISOString(),
    });
    this.items.set(id, next);
    return structuredClone(next);
  }

  async listByDrafter(drafterId: string, options: { limit: number; cursor?: string }) {
    const all = [...this.items.values()]
      .filter((item) => item.drafter.id === drafterId)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    const start = options.cursor === undefined ? 0 : Number(options.cursor);
    const items = all.slice(start, start + options.limit).map((item) => structuredClone(item));
    const next = start + options.limit;
    return { items, ...(next < all.length ? { cursor: String(next) } : {}) };
  }
}

/** {@link AuditLog} in memory; validates every event with the domain schema, like the adapter. */
export class InMemoryAuditLog implements AuditLog {
  readonly events: AuditEvent[] = [];

  async append(event: AuditEvent): Promise<void> {
    this.events.push(AuditEventSchema.parse(event));
  }

  /** Keys of the events appended once, as the adapter forms them. */
  private readonly once = new Set<string>();
  async appendOnce(event: AuditEvent, scope?: string): Promise<boolean> {
    const key = `${event.submissionId}#${event.revision}#${event.action}#${scope ?? ''}`;
    if (this.once.has(key)) return false;
    await this.append(event);
    this.once.add(key);
    return true;
  }

  async list(submissionId: string): Promise<AuditEvent[]> {
    return this.events
      .filter((event) => event.submissionId === submissionId)
      .map((event) => structuredClone(event));
  }

  actions(): string[] {
    return this.events.map((event) => event.action);
  }
}

/** {@link ObjectStore} in memory; presigned URLs are fake but record what they were signed for. */
export class InMemoryObjectStore implements ObjectStore {
  readonly objects = new Map<string, { body: Uint8Array; contentType?: string }>();
  readonly presigned: {
    key: string;
    contentType: string;
    contentLength: number;
    expiresInSeconds: number;
  }[] = [];

  async put(key: string, body: Uint8Array | string, options: { contentType?: string } = {}): Promise<void> {
    const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
    this.objects.set(key, {
      body: bytes,
      ...(options.contentType === undefined ? {} : { contentType: options.contentType }),
    });
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    return this.objects.get(key)?.body;
  }

  async head(key: string) {
    const object = this.objects.get(key);
    return object === undefined ? undefined : { size: object.body.length, etag: '"etag"' };
  }

  async delete(key: string): Promise<void> {
    this.objects.delete(key);
  }

  async list(prefix: string): Promise<string[]> {
    return [...this.objects.keys()].filter((key) => key.startsWith(prefix));
  }

  async presignPut(
    key: string,
    options: { contentType: string; contentLength: number; expiresInSeconds: number },
  ) {
    this.presigned.push({ key, ...options });
    return `https://uploads.example/${key}?signed=1`;
  }

  text(key: string): string | undefined {
    const object = this.objects.get(key);
    return object === undefined ? undefined : new TextDecoder().decode(object.body);
  }
}

/** {@link Workflow} that records starts and stops; a second start of one name is `started: false`. */
export class FakeWorkflow implements Workflow {
  readonly started: { name: string; input: { submissionId: string; revision: number } }[] = [];
  readonly stopped: string[] = [];
  readonly running = new Set<string>();

  async start(name: string, input: { submissionId: string; revision: number }) {
    if (this.started.some((start) => start.name === name)) return { started: false };
    this.started.push({ name, input });
    this.running.add(name);
    return { started: true };
  }

  async completeTask(): Promise<boolean> {
    return true;
  }

  async failTask(): Promise<boolean> {
    return true;
  }

  async stop(name: string): Promise<boolean> {
    this.stopped.push(name);
    return this.running.delete(name);
  }
}

/** {@link ApprovalStore} in memory: enough for listing steps and revoking links. */
export class InMemoryApprovalStore implements ApprovalStore {
  readonly steps: ReviewStepRecord[] = [];
  readonly links = new Map<string, ApprovalLink>();

  async openStep(step: ReviewStepRecord, links: ApprovalLink[]): Promise<boolean> {
    for (const link of links) this.links.set(link.hash, structuredClone(link));
    const index = this.steps.findIndex(
      (item) =>
        item.submissionId === step.submissionId &&
        item.revision === step.revision &&
        item.stepId === step.stepId,
    );
    if (index >= 0) this.steps.splice(index, 1, structuredClone(step));
    else this.steps.push(structuredClone(step));
    return true;
  }

  async markMailed(step: ReviewStepRecord, at: string): Promise<void> {
    const stored = await this.getStep(step.submissionId, step.revision, step.stepId);
    if (stored !== undefined) stored.mailedAt = at;
  }

  async getLink(hash: string) {
    return this.links.get(hash);
  }

  async getStep(submissionId: string, revision: number, stepId: string) {
    return this.steps.find(
      (step) => step.submissionId === submissionId && step.revision === revision && step.stepId === stepId,
    );
  }

  async listSteps(submissionId: string, revision: number) {
    return this.steps
      .filter((step) => step.submissionId === submissionId && step.revision === revision)
      .map((step) => structuredClone(step));
  }

  async decide(): Promise<boolean> {
    return false;
  }

  async markDelivered(): Promise<void> {}

  async setTaskToken(hashes: readonly string[], taskToken: string): Promise<void> {
    for (const hash of hashes) {
      const link = this.links.get(hash);
      if (link?.status === 'PENDING') link.taskToken = taskToken;
    }
  }

  async revokeStep(submissionId: string, revision: number, stepId: string, status: 'EXPIRED' | 'REVOKED') {
    const step = await this.getStep(submissionId, revision, stepId);
    if (step === undefined) return;
    for (const hash of step.linkHashes) {
      const link = this.links.get(hash);
      if (link?.status === 'PENDING') link.status = 'REVOKED';
    }
    if (step.status === 'PENDING') step.status = status;
  }
}

/** {@link CatalogStore} in memory: events idempotent by id, sequences strictly increasing. */
export class InMemoryCatalogStore implements CatalogStore {
  readonly events: CatalogEvent[] = [];
  readonly entries = new Map<string, CatalogEntry>();

  constructor(entries: CatalogEntry[] = []) {
    for (const entry of entries) this.entries.set(entry.bundleId, structuredClone(entry));
  }

  async append(event: Omit<CatalogEvent, 'sequence'>, entry: Omit<CatalogEntry, 'lastSequence'>) {
    const existing = this.events.find((item) => item.eventId === event.eventId);
    if (existing !== undefined) return existing;
    const sequence =
      Math.max(
        0,
        ...this.events.map((item) => item.sequence),
        ...[...this.entries.values()].map((item) => item.lastSequence),
      ) + 1;
    const stored = { ...event, sequence };
    this.events.push(stored);
    this.entries.set(entry.bundleId, { ...entry, lastSequence: sequence });
    return stored;
  }

  async getEntry(bundleId: string) {
    const entry = this.entries.get(bundleId);
    return entry === undefined ? undefined : structuredClone(entry);
  }

  async listEntries() {
    return { items: [...this.entries.values()] };
  }

  async changesAfter(after: number) {
    return this.events.filter((event) => event.sequence > after);
  }
}

/** {@link Mailer} that keeps what it sent. */
export class FakeMailer implements Mailer {
  readonly sent: MailMessage[] = [];
  async send(message: MailMessage): Promise<void> {
    this.sent.push(message);
  }
}

/** A clock that stands still unless moved. */
export function fixedClock(iso: string): { now: () => Date; set(iso: string): void } {
  let current = new Date(iso);
  return {
    now: () => new Date(current),
    set(next: string) {
      current = new Date(next);
    },
  };
}

// ── Lambda events, for handler tests with aws-sdk-client-mock ───────────────────────────────────

/** The environment every handler of this suite reads at cold start (set before importing it). */
export const HANDLER_ENVIRONMENT = {
  AWS_REGION: 'cn-northwest-1',
  AWS_ACCESS_KEY_ID: 'AKIAEXAMPLEEXAMPLE00',
  AWS_SECRET_ACCESS_KEY: 'example-secret-key-example-secret-key-00',
  TABLE_NAME: 'gongkai-test',
  UPLOADS_BUCKET: 'gongkai-uploads-test',
  WORK_BUCKET: 'gongkai-work-test',
  PUBLISHED_BUCKET: 'gongkai-published-test',
  STATE_MACHINE_ARN: 'arn:aws-cn:states:cn-northwest-1:123456789012:stateMachine:gongkai-review',
  MAIL_FROM: 'noreply@example.gov.cn',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  LOG_LEVEL: 'SILENT',
} as const;

/** A Lambda context with just what the middlewares read. */
export const LAMBDA_CONTEXT = {
  callbackWaitsForEmptyEventLoop: false,
  functionName: 'gongkai-test',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:cn-northwest-1:123456789012:function:gongkai-test',
  memoryLimitInMB: '256',
  awsRequestId: 'request-1',
  logGroupName: '/aws/lambda/gongkai-test',
  logStreamName: 'stream',
  getRemainingTimeInMillis: () => 30_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
};

/** An API Gateway v2 event for a drafter route; `claims: null` leaves out the JWT authorizer's claims. */
export function apiEvent(options: {
  method: string;
  routeKey: string;
  path: string;
  pathParameters?: Record<string, string>;
  queryStringParameters?: Record<string, string>;
  body?: unknown;
  claims?: Record<string, string> | null;
}) {
  const claims =
    options.claims === null
      ? undefined
      : (options.claims ?? { sub: 'drafter-001', name: '李文', email: 'liwen@example.gov.cn' });
  return {
    version: '2.0',
    routeKey: options.routeKey,
    rawPath: options.path,
    rawQueryString: '',
    headers: { 'content-type': 'application/json' },
    ...(options.pathParameters === undefined ? {} : { pathParameters: options.pathParameters }),
    ...(options.queryStringParameters === undefined
      ? {}
      : { queryStringParameters: options.queryStringParameters }),
    ...(options.body === undefined
      ? {}
      : { body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) }),
    isBase64Encoded: false,
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'api.example',
      domainPrefix: 'api',
      http: {
        method: options.method,
        path: options.path,
        protocol: 'HTTP/1.1',
        sourceIp: '192.0.2.1',
        userAgent: 'test',
      },
      requestId: 'request-1',
      routeKey: options.routeKey,
      stage: '$default',
      time: '19/Jul/2019:01:00:00 +0000',
      timeEpoch: 1_563_498_000_000,
      ...(claims === undefined ? {} : { authorizer: { jwt: { claims, scopes: [] } } }),
    },
  };
}

/** The DynamoDB item of a submission, as the adapter stores it. */
export function submissionItem(submission: Submission) {
  return {
    pk: `SUB#${submission.id}`,
    sk: 'SUBMISSION',
    gsi1pk: `DRAFTER#${submission.drafter.id}`,
    gsi1sk: `${submission.createdAt}#${submission.id}`,
    ...submission,
  };
}

/** An AWS SDK service error by name (what `aws-sdk-client-mock` should reject with). */
export function awsError(name: string, httpStatusCode = 400): Error {
  return Object.assign(new Error(`${name} (test)`), {
    name,
    $metadata: { httpStatusCode },
    $fault: 'client',
  });
}

/** The parsed JSON body of an HTTP handler's answer. */
export function bodyOf(result: { body?: string | undefined }): Record<string, unknown> {
  return JSON.parse(result.body ?? '{}') as Record<string, unknown>;
}

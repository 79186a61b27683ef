/**
 * In-memory fakes of the ports Publish, Verify and the portal use. They keep the semantics the
 * use cases rely on (idempotent allocation per holder, idempotent catalog append by event id,
 * conditional status checks) and record calls so tests can assert order.
 */
import type { Submission, SubmissionDraft, SubmissionStatus } from '../../shared/domain/index.js';
import { assertTransition } from '../../shared/domain/index.js';
import type { CatalogEntry, CatalogEvent, CatalogStore } from '../../shared/ports/catalog-store.js';
import type { ObjectStore } from '../../shared/ports/object-store.js';
import type { RevisionPatch, SubmissionStore } from '../../shared/ports/submission-store.js';
import type { SequenceAllocator } from '../../shared/publication/index.js';
import { workKeys } from '../../shared/storage-keys.js';
import { aSubmission, IDS, type Overrides } from './builders.js';

/** One recorded write or delete. */
export interface StoreCall {
  op: 'put' | 'delete';
  key: string;
  contentType?: string;
  cacheControl?: string;
}

/** An {@link ObjectStore} in a Map; `failOnPut` makes the n-th matching put throw once. */
export class InMemoryObjectStore implements ObjectStore {
  readonly objects = new Map<string, { body: Uint8Array; contentType?: string; cacheControl?: string }>();
  readonly calls: StoreCall[] = [];
  private failures: Array<(key: string) => boolean> = [];

  /** The next put whose key satisfies `match` throws (once). */
  failNextPut(match: (key: string) => boolean): void {
    this.failures.push(match);
  }

  async put(
    key: string,
    body: Uint8Array | string,
    options: { contentType?: string; cacheControl?: string } = {},
  ): Promise<void> {
    const failure = this.failures.findIndex((match) => match(key));
    if (failure >= 0) {
      this.failures.splice(failure, 1);
      throw Object.assign(new Error('simulated S3 failure'), { name: 'InternalError' });
    }
    const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : new Uint8Array(body);
    this.objects.set(key, { body: bytes, ...options });
    this.calls.push({ op: 'put', key, ...options });
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    const object = this.objects.get(key);
    return object === undefined ? undefined : new Uint8Array(object.body);
  }

  async head(key: string): Promise<{ size: number; etag: string | undefined } | undefined> {
    const object = this.objects.get(key);
    return object === undefined ? undefined : { size: object.body.byteLength, etag: undefined };
  }

  async delete(key: string): Promise<void> {
    this.objects.delete(key);
    this.calls.push({ op: 'delete', key });
  }

  async list(prefix: string): Promise<string[]> {
    return [...this.objects.keys()].filter((key) => key.startsWith(prefix)).sort();
  }

  async presignPut(key: string): Promise<string> {
    return `https://example.invalid/${key}`;
  }

  /** Text of an object (throws when missing). */
  text(key: string): string {
    const object = this.objects.get(key);
    if (object === undefined) throw new Error(`no object ${key}`);
    return new TextDecoder().decode(object.body);
  }

  /** Replaces an object's bytes behind the system's back (tampering). */
  tamper(key: string, text: string): void {
    const object = this.objects.get(key);
    if (object === undefined) throw new Error(`no object ${key}`);
    object.body = new TextEncoder().encode(text);
  }
}

/** A {@link SubmissionStore} holding the current revision of each submission. */
export class InMemorySubmissionStore implements SubmissionStore {
  readonly items = new Map<string, Submission>();
  patches: RevisionPatch[] = [];

  constructor(...submissions: Submission[]) {
    for (const submission of submissions) this.items.set(submission.id, structuredClone(submission));
  }

  async create(submission: Submission): Promise<void> {
    if (this.items.has(submission.id)) throw new Error('exists');
    this.items.set(submission.id, structuredClone(submission));
  }

  async get(id: string): Promise<Submission | undefined> {
    const item = this.items.get(id);
    return item === undefined ? undefined : structuredClone(item);
  }

  async transition(
    id: string,
    revision: number,
    to: SubmissionStatus,
    options: { now: Date; patch?: RevisionPatch },
  ): Promise<{ submission: Submission; changed: boolean; from: SubmissionStatus }> {
    const current = this.items.get(id);
    if (current === undefined || current.revision !== revision) throw new Error('not found');
    if (current.status === to) return { submission: structuredClone(current), changed: false, from: to };
    assertTransition(current.status, to);
    const next = { ...current, ...options.patch, status: to, updatedAt: options.now.toISOString() };
    this.items.set(id, next);
    return { submission: structuredClone(next), changed: true, from: current.status };
  }

  async patch(
    id: string,
    revision: number,
    patch: RevisionPatch,
    options: { now: Date },
  ): Promise<Submission> {
    const current = this.items.get(id);
    if (current === undefined || current.revision !== revision) throw new Error('not found');
    this.patches.push(structuredClone(patch));
    const next = { ...current, ...patch, updatedAt: options.now.toISOString() };
    this.items.set(id, next);
    return structuredClone(next);
  }

  async newRevision(_id: string, _expected: number, _draft: SubmissionDraft): Promise<Submission> {
    throw new Error('not used');
  }

  async listByDrafter(): Promise<{ items: Submission[] }> {
    return { items: [] };
  }
}

/** A {@link SequenceAllocator} with the Dynamo allocator's semantics: the same number per holder until released. */
export class InMemorySequenceAllocator implements SequenceAllocator {
  readonly values = new Map<string, number>();
  readonly pending = new Map<string, Map<string, number>>();
  allocations = 0;

  async allocate(counter: string, holder: string): Promise<number> {
    const claims = this.pending.get(counter) ?? new Map<string, number>();
    this.pending.set(counter, claims);
    const existing = claims.get(holder);
    if (existing !== undefined) return existing;
    const next = (this.values.get(counter) ?? 0) + 1;
    this.values.set(counter, next);
    claims.set(holder, next);
    this.allocations += 1;
    return next;
  }

  async release(counter: string, holder: string): Promise<void> {
    this.pending.get(counter)?.delete(holder);
  }
}

/** A {@link CatalogStore} in memory: events idempotent by id, entries in publication order. */
export class InMemoryCatalogStore implements CatalogStore {
  readonly events: CatalogEvent[] = [];
  readonly entries = new Map<string, CatalogEntry>();

  async append(
    event: Omit<CatalogEvent, 'sequence'>,
    entry: Omit<CatalogEntry, 'lastSequence'>,
  ): Promise<CatalogEvent> {
    const existing = this.events.find((candidate) => candidate.eventId === event.eventId);
    if (existing !== undefined) return existing;
    const stored: CatalogEvent = { ...event, sequence: this.events.length + 1 };
    this.events.push(stored);
    this.entries.set(entry.bundleId, { ...entry, lastSequence: stored.sequence });
    return stored;
  }

  async getEntry(bundleId: string): Promise<CatalogEntry | undefined> {
    return this.entries.get(bundleId);
  }

  async listEntries(options: {
    limit: number;
    cursor?: string;
  }): Promise<{ items: CatalogEntry[]; cursor?: string }> {
    const all = [...this.entries.values()].sort((a, b) =>
      `${a.publishedAt}#${a.bundleId}` < `${b.publishedAt}#${b.bundleId}` ? -1 : 1,
    );
    const start =
      options.cursor === undefined ? 0 : Number(Buffer.from(options.cursor, 'base64url').toString());
    const items = all.slice(start, start + options.limit);
    const end = start + items.length;
    return end < all.length ? { items, cursor: Buffer.from(String(end)).toString('base64url') } : { items };
  }

  async changesAfter(after: number, options: { limit: number }): Promise<CatalogEvent[]> {
    return this.events.filter((event) => event.sequence > after).slice(0, options.limit);
  }
}

/** A revision that passed sign-off and waits for release: what Publish starts from. */
export function aScheduledSubmission(overrides?: Overrides<Submission>): Submission {
  return aSubmission({ status: 'SCHEDULED', updatedAt: '2019-07-19T02:00:00.000Z', ...overrides });
}

/** De-identified content of the default documents, as De-identify leaves it in `work`. */
export const WORK_CONTENT: Readonly<Record<string, { html: string; text: string }>> = Object.freeze({
  [IDS.policy]: {
    html: '<h1>银川市大数据产业发展服务中心2019年政务公开实施方案</h1><p>第一条 为做好政务公开工作，制定本方案。</p><p>联系人：综合科科长杨锐超，电话0951-6888888。</p>',
    text: '银川市大数据产业发展服务中心2019年政务公开实施方案\n第一条 为做好政务公开工作，制定本方案。\n联系人：综合科科长杨锐超，电话0951-6888888。\n',
  },
  [IDS.interpretation]: {
    html: '<h1>实施方案解读</h1><p>一、制定背景：根据上级要求，推进政务公开标准化。</p>',
    text: '实施方案解读\n一、制定背景：根据上级要求，推进政务公开标准化。\n',
  },
  [IDS.secondInterpretation]: {
    html: '<h1>图解</h1><p>二、主要内容。</p>',
    text: '图解\n二、主要内容。\n',
  },
});

/** Puts the de-identified HTML and text of every document of `submission` into `work`. */
export async function seedWorkProducts(
  work: ObjectStore,
  submission: Submission,
  contents: Readonly<Record<string, { html: string; text: string }>> = WORK_CONTENT,
): Promise<void> {
  for (const document of submission.documents) {
    const content = contents[document.id];
    if (content === undefined) continue;
    await work.put(workKeys.redactedHtml(submission.id, submission.revision, document.id), content.html);
    await work.put(workKeys.redactedText(submission.id, submission.revision, document.id), content.text);
  }
}

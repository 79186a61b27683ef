import { createHash } from 'node:crypto';
import { PortalFormatError, TransferIntegrityError } from './errors.js';
import { type ChangeEvent, parseChangesPage, parsePulledManifest } from './format.js';
import type { BundleStatus, MirrorCatalogRecord, MirrorStore } from './mirror-store.js';
import { recordOf } from './mirror-store.js';
import { safeBundleId, safeFileNames } from './names.js';
import { DEFAULT_RETRY_POLICY, type PortalClient, type RetryPolicy, withRetries } from './portal-client.js';

/** 效力状态 labels, as the portal shows them. */
const VALIDITY_LABELS = { VALID: '有效', EXPIRED: '失效', REPEALED: '废止' } as const;

/** What a pull reports as it goes (a progress bar or plain lines in the CLI). */
export interface PullProgress {
  /** A change page was read: `events` events after `after`. */
  page?(info: { after: number; events: number; bundlesToFetch: number }): void;
  /** A bundle is in place. */
  bundle?(info: { bundleId: string; done: number; total: number }): void;
  /** A request failed and is tried again. */
  retry?(info: { error: unknown; attempt: number }): void;
}

/** Options of {@link pullMirror}. */
export interface PullOptions {
  client: PortalClient;
  store: MirrorStore;
  /** Base URL, recorded in the state: a mirror follows one source. */
  source: string;
  retry?: RetryPolicy;
  /** Change events per page (the API allows 1–1000). @default 1000 */
  pageSize?: number;
  /** Bundles downloaded at the same time. @default 8 */
  concurrency?: number;
  progress?: PullProgress;
  /** Reads the client's counters for the summary (a {@link FetchPortalClient} has them). */
  stats?: () => { requests: number; bytes: number };
  now?: () => number;
}

/** What one pull did. */
export interface PullSummary {
  /** Bundles mirrored for the first time. */
  new: number;
  /** Bundles already mirrored whose 效力状态 or explanation changed (corrections). */
  changed: number;
  /** Bundles already mirrored that were withdrawn. */
  withdrawn: number;
  /** Bundles already mirrored that were superseded. */
  superseded: number;
  /** Change events applied. */
  events: number;
  cursorBefore: number;
  cursorAfter: number;
  requests: number;
  bytes: number;
  seconds: number;
  /** Why bundles could not be mirrored (empty when the pull completed). */
  failures: { bundleId: string; reason: string }[];
}

/** The strong ETag the portal gives these bytes (quoted base64url SHA-256). */
function strongEtag(body: Uint8Array): string {
  return `"${createHash('sha256').update(body).digest('base64url')}"`;
}

function sha256Hex(body: Uint8Array): string {
  return createHash('sha256').update(body).digest('hex');
}

function statusOf(event: ChangeEvent): BundleStatus {
  return {
    formatVersion: '1.0',
    bundleId: event.bundleId,
    validity: { status: event.validity, label: VALIDITY_LABELS[event.validity] },
    lastEvent: event.type,
    sequence: event.sequence,
    at: event.at,
    ...(event.explanation === undefined ? {} : { explanation: event.explanation }),
    ...(event.supersededBy === undefined ? {} : { supersededBy: safeBundleId(event.supersededBy) }),
  };
}

/** Runs `work` over `items`, at most `limit` at a time; stops starting new ones once one failed. */
async function pool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const errors: unknown[] = [];
  const worker = async () => {
    while (!failed && next < items.length) {
      const item = items[next++] as T;
      try {
        await work(item);
      } catch (error) {
        failed = true;
        errors.push(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (errors.length > 0) throw errors[0];
}

/** The bundle failed; the pull reports it and keeps the cursor before it. */
class BundleFailure extends Error {
  constructor(
    readonly bundleId: string,
    readonly reason: unknown,
  ) {
    super(reason instanceof Error ? reason.message : String(reason));
  }
}

/**
 * Brings a mirror up to date with the portal's change feed.
 *
 * The cursor is the change sequence. The first run reads the feed from 0 (every bundle ever
 * published, withdrawn ones included, since a withdrawn bundle stays, marked); later runs read only
 * the events after the stored cursor, so they cost a number of requests proportional to the
 * changes. Per page: every new bundle is downloaded into a temporary folder, each file checked
 * against the manifest's size and SHA-256, and renamed into `bundles/<id>/`; then the status of the
 * bundles already mirrored is rewritten, then `catalog.json`, and only then the cursor. A run that
 * dies anywhere leaves complete bundles only and the next run picks up where it stopped, reusing
 * the verified files an interrupted download left.
 */
export async function pullMirror(options: PullOptions): Promise<PullSummary> {
  const { client, store } = options;
  const now = options.now ?? (() => performance.now());
  const started = now();
  const retry = options.retry ?? DEFAULT_RETRY_POLICY;
  const pageSize = options.pageSize ?? 1000;
  const concurrency = options.concurrency ?? 8;
  const statsBefore = { requests: 0, bytes: 0, ...options.stats?.() };
  const onRetry = (error: unknown, attempt: number) => options.progress?.retry?.({ error, attempt });

  await store.open();
  let completed = false;
  const summary: PullSummary = {
    new: 0,
    changed: 0,
    withdrawn: 0,
    superseded: 0,
    events: 0,
    cursorBefore: 0,
    cursorAfter: 0,
    requests: 0,
    bytes: 0,
    seconds: 0,
    failures: [],
  };
  try {
    const state = await store.readState();
    if (state !== undefined && state.source !== options.source) {
      throw new PortalFormatError(
        'mirror',
        `it follows ${state.source}, not ${options.source} (use another --out folder)`,
      );
    }
    let cursor = state?.cursor ?? 0;
    summary.cursorBefore = cursor;
    const records = new Map((await store.readCatalog()).map((record) => [record.bundleId, record]));

    const fetchBundle = async (bundleId: string, status: BundleStatus): Promise<MirrorCatalogRecord> => {
      const writer = await store.beginBundle(bundleId);
      const base = `portal/bundles/${bundleId}`;
      const kept = await writer.leftover('manifest.json');
      const answer = await withRetries(
        () => client.get(`${base}/manifest`, kept === undefined ? {} : { ifNoneMatch: strongEtag(kept) }),
        retry,
        onRetry,
      );
      const manifestBytes = answer.status === 304 && kept !== undefined ? kept : answer.body;
      const manifest = parsePulledManifest(manifestBytes, `manifest of ${bundleId}`);
      if (manifest.bundleId !== bundleId) {
        throw new PortalFormatError(`manifest of ${bundleId}`, `it describes bundle ${manifest.bundleId}`);
      }
      const names = safeFileNames(manifest.files.map((file) => file.name));
      if (answer.status === 200) await writer.write('manifest.json', manifestBytes);
      for (const [index, file] of manifest.files.entries()) {
        const name = names[index]!;
        const matches = (body: Uint8Array) =>
          body.byteLength === file.size && sha256Hex(body) === file.sha256;
        const left = await writer.leftover(name);
        if (left !== undefined && matches(left)) continue;
        const body = await withRetries(
          async () => {
            const got = await client.get(`${base}/files/${encodeURIComponent(name)}`);
            if (!matches(got.body)) {
              throw new TransferIntegrityError(
                `${base}/files/${name}`,
                `${got.body.byteLength} bytes with another SHA-256 than the manifest's (${file.size} bytes)`,
              );
            }
            return got.body;
          },
          retry,
          onRetry,
        );
        await writer.write(name, body);
      }
      await writer.write('status.json', `${JSON.stringify(status, null, 2)}\n`);
      await writer.commit();
      return recordOf(manifest, status);
    };

    for (;;) {
      const answer = await withRetries(
        () => client.get(`portal/changes?after=${cursor}&limit=${pageSize}`),
        retry,
        onRetry,
      );
      const page = parseChangesPage(answer.body);
      if (page.items.length === 0) break;

      // Names first: nothing from this page touches the disk unless every id in it is safe.
      const latest = new Map<string, ChangeEvent>();
      let previous = cursor;
      for (const event of page.items) {
        if (event.sequence <= previous) {
          throw new PortalFormatError('change feed', `sequence ${event.sequence} after ${previous}`);
        }
        previous = event.sequence;
        safeBundleId(event.bundleId);
        if (event.supersededBy !== undefined) safeBundleId(event.supersededBy);
        latest.set(event.bundleId, event);
      }

      const missing: string[] = [];
      for (const bundleId of latest.keys()) if (!(await store.hasBundle(bundleId))) missing.push(bundleId);
      options.progress?.page?.({ after: cursor, events: page.items.length, bundlesToFetch: missing.length });

      let done = 0;
      const placed = new Set<string>();
      let failure: BundleFailure | undefined;
      try {
        await pool(missing, concurrency, async (bundleId) => {
          try {
            records.set(bundleId, await fetchBundle(bundleId, statusOf(latest.get(bundleId)!)));
          } catch (error) {
            throw new BundleFailure(bundleId, error);
          }
          placed.add(bundleId);
          summary.new += 1;
          done += 1;
          options.progress?.bundle?.({ bundleId, done, total: missing.length });
        });
      } catch (error) {
        if (!(error instanceof BundleFailure)) throw error;
        failure = error;
      }

      if (failure !== undefined) {
        // The bundles placed stay (complete and verified); the cursor stays before this page.
        if (placed.size > 0) await store.writeCatalog([...records.values()], cursor, options.source);
        summary.failures.push({ bundleId: failure.bundleId, reason: failure.message });
        break;
      }

      for (const [bundleId, event] of latest) {
        if (placed.has(bundleId)) continue;
        const current = records.get(bundleId) ?? (await store.readRecord(bundleId));
        if (current !== undefined && current.sequence >= event.sequence) {
          records.set(bundleId, current);
          continue;
        }
        const status = statusOf(event);
        await store.writeStatus(status);
        records.set(bundleId, recordOf(current ?? {}, status));
        if (event.type === 'WITHDRAWN') summary.withdrawn += 1;
        else if (event.type === 'SUPERSEDED') summary.superseded += 1;
        else summary.changed += 1;
      }
      await store.writeCatalog([...records.values()], page.nextCursor, options.source);
      // Last: everything this cursor covers is in place.
      cursor = Math.max(previous, page.nextCursor);
      await store.writeState({ formatVersion: '1.0', source: options.source, cursor });
      summary.events += page.items.length;
      if (page.items.length < pageSize) break;
    }
    summary.cursorAfter = cursor;
    completed = summary.failures.length === 0;
  } finally {
    await store.close({ completed });
    const statsAfter = options.stats?.() ?? { requests: 0, bytes: 0 };
    summary.requests = statsAfter.requests - statsBefore.requests;
    summary.bytes = statsAfter.bytes - statsBefore.bytes;
    summary.seconds = (now() - started) / 1000;
  }
  return summary;
}

import type { CatalogEntry, CatalogEvent, CatalogStore } from '../ports/catalog-store.js';
import type { ObjectStore } from '../ports/object-store.js';
import {
  BundleIntegrityError,
  FORMAT_VERSION,
  IMMUTABLE_CACHE_CONTROL,
  MEDIA_TYPES,
  parseManifest,
  SHORT_CACHE_CONTROL,
  sha256Hex,
} from '../publication/index.js';
import { publishedKeys } from '../storage-keys.js';
import { InvalidPortalParameterError, PortalNotFoundError } from './errors.js';
import { matchesIfNoneMatch, strongEtag } from './etag.js';

/** Largest `limit` a portal may ask for. */
export const MAX_PAGE_LIMIT = 1000;

/** What every portal operation needs. */
export interface PortalDependencies {
  catalog: CatalogStore;
  published: ObjectStore;
  /** Page size when the request gives no `limit`. */
  defaultPageSize: number;
}

/** A portal answer before it is turned into the HTTP API's response. */
export interface PortalResponse {
  statusCode: 200 | 304;
  headers: Record<string, string>;
  /** Absent on 304. */
  body?: Uint8Array;
}

/** The request parts the operations look at. */
export interface PortalRequest {
  query: Readonly<Record<string, string | undefined>>;
  ifNoneMatch?: string;
}

/** A catalog entry as the portal serves it. */
export type PublicCatalogEntry = CatalogEntry & { formatVersion: string };

/** A change event as the portal serves it. */
export type PublicChangeEvent = CatalogEvent & { formatVersion: string };

const SECURITY_HEADERS = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' } as const;

/** HTML from a bundle runs nothing and loads nothing, even if it were altered: a sandboxed, resource-less page. */
export const BUNDLE_HTML_CSP =
  "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

const ULID = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/;

/** Adds the strong ETag; answers 304 with no body when the client already has these bytes. */
function conditional(
  request: PortalRequest,
  body: Uint8Array,
  headers: Record<string, string>,
): PortalResponse {
  const etag = strongEtag(body);
  const all: Record<string, string> = { ...SECURITY_HEADERS, ...headers, etag };
  if (matchesIfNoneMatch(request.ifNoneMatch, etag)) {
    const { 'content-type': _type, ...rest } = all;
    return { statusCode: 304, headers: rest };
  }
  return { statusCode: 200, headers: all, body };
}

function jsonBody(value: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value));
}

function parseLimit(raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return Math.min(fallback, MAX_PAGE_LIMIT);
  if (!/^\d{1,4}$/.test(raw) || Number(raw) < 1 || Number(raw) > MAX_PAGE_LIMIT) {
    throw new InvalidPortalParameterError('limit', `应为 1 到 ${MAX_PAGE_LIMIT} 之间的整数。`);
  }
  return Number(raw);
}

function parseAfter(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 0;
  if (!/^\d{1,15}$/.test(raw)) {
    throw new InvalidPortalParameterError('after', '应为不小于 0 的整数（上次读取到的最后一个变更序号）。');
  }
  return Number(raw);
}

function parseCursor(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (raw.length > 2048 || !/^[A-Za-z0-9_-]+$/.test(raw)) {
    throw new InvalidPortalParameterError('cursor', '应为上一页返回的 nextCursor，请原样传回。');
  }
  return raw;
}

/** Checks a bundle id from the path: a ULID, or the request is malformed. */
export function parseBundleId(raw: string | undefined): string {
  if (raw === undefined || !ULID.test(raw)) {
    throw new InvalidPortalParameterError('bundleId', '应为 26 位发布包编号（ULID）。');
  }
  return raw;
}

/** `GET /portal/catalog?cursor=&limit=`: catalog entries in publication order, a page at a time. */
export async function catalogPage(request: PortalRequest, deps: PortalDependencies): Promise<PortalResponse> {
  const limit = parseLimit(request.query.limit, deps.defaultPageSize);
  const cursor = parseCursor(request.query.cursor);
  const page = await deps.catalog.listEntries({ limit, ...(cursor === undefined ? {} : { cursor }) });
  const items: PublicCatalogEntry[] = page.items.map((entry) => ({
    formatVersion: FORMAT_VERSION,
    ...entry,
  }));
  return conditional(
    request,
    jsonBody({
      formatVersion: FORMAT_VERSION,
      items,
      ...(page.cursor === undefined ? {} : { nextCursor: page.cursor }),
    }),
    { 'content-type': MEDIA_TYPES.json, 'cache-control': SHORT_CACHE_CONTROL },
  );
}

/**
 * `GET /portal/changes?after=<seq>&limit=`: catalog events after `after`, in sequence order, with no
 * gap. `nextCursor` is the last sequence returned (or `after` when there is nothing new): pass it as
 * `after` next time.
 */
export async function changesPage(request: PortalRequest, deps: PortalDependencies): Promise<PortalResponse> {
  const after = parseAfter(request.query.after);
  const limit = parseLimit(request.query.limit, deps.defaultPageSize);
  const events = await deps.catalog.changesAfter(after, { limit });
  const items: PublicChangeEvent[] = events.map((event) => ({ formatVersion: FORMAT_VERSION, ...event }));
  return conditional(
    request,
    jsonBody({ formatVersion: FORMAT_VERSION, items, nextCursor: events.at(-1)?.sequence ?? after }),
    { 'content-type': MEDIA_TYPES.json, 'cache-control': SHORT_CACHE_CONTROL },
  );
}

/** The manifest of a bundle the catalog lists, checked against the hash Verify recorded. */
async function listedManifest(bundleId: string, deps: PortalDependencies) {
  const entry = await deps.catalog.getEntry(bundleId);
  if (entry === undefined) throw new PortalNotFoundError('bundle');
  const body = await deps.published.get(entry.manifestKey);
  // Listed but gone: moved to quarantine after listing, or removed by an operator.
  if (body === undefined) throw new PortalNotFoundError('bundle');
  if (sha256Hex(body) !== entry.manifestSha256) throw new BundleIntegrityError(bundleId);
  const manifest = parseManifest(body);
  if (manifest === undefined || manifest.bundleId !== bundleId) throw new BundleIntegrityError(bundleId);
  return { body, manifest };
}

/** `GET /portal/bundles/{bundleId}/manifest`: only for bundles the catalog lists (verified ones). */
export async function bundleManifest(
  bundleId: string,
  request: PortalRequest,
  deps: PortalDependencies,
): Promise<PortalResponse> {
  const { body } = await listedManifest(parseBundleId(bundleId), deps);
  return conditional(request, body, {
    'content-type': MEDIA_TYPES.json,
    'cache-control': IMMUTABLE_CACHE_CONTROL,
  });
}

/**
 * `GET /portal/bundles/{bundleId}/files/{name}`: a file the manifest lists, served with its media
 * type, `nosniff`, and for HTML a sandboxing CSP. Any other name is 404, whatever the bucket holds.
 */
export async function bundleFile(
  bundleId: string,
  name: string | undefined,
  request: PortalRequest,
  deps: PortalDependencies,
): Promise<PortalResponse> {
  const { manifest } = await listedManifest(parseBundleId(bundleId), deps);
  const file = manifest.files.find((candidate) => candidate.name === name);
  if (file === undefined) throw new PortalNotFoundError('file');
  const body = await deps.published.get(publishedKeys.file(manifest.bundleId, file.name));
  if (body === undefined) throw new PortalNotFoundError('file');
  if (body.byteLength !== file.size || sha256Hex(body) !== file.sha256)
    throw new BundleIntegrityError(bundleId);
  return conditional(request, body, {
    'content-type': file.mediaType,
    'cache-control': IMMUTABLE_CACHE_CONTROL,
    ...(file.mediaType.startsWith('text/html') ? { 'content-security-policy': BUNDLE_HTML_CSP } : {}),
  });
}

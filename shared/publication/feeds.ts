import { VALIDITY_STATUS_LABELS } from '../domain/index.js';
import type { CatalogEntry, CatalogEvent, CatalogStore } from '../ports/catalog-store.js';
import type { ObjectStore } from '../ports/object-store.js';
import { publishedKeys } from '../storage-keys.js';
import { escapeXml, toCsv } from './escape.js';
import { FORMAT_VERSION, SHORT_CACHE_CONTROL } from './format.js';

/** Keys of the static feeds in the `published` bucket, for portals that read only S3 or a CDN. */
export const STATIC_FEED_KEYS = {
  jsonFeed: 'feeds/feed.json',
  atom: 'feeds/atom.xml',
  sitemap: 'sitemap.xml',
  basicCatalogJson: 'catalog/basic-catalog.json',
  basicCatalogCsv: 'catalog/basic-catalog.csv',
} as const;

/** How many of the most recently changed bundles the JSON Feed and the Atom feed carry. */
export const FEED_SIZE = 50;

/** A sitemap file holds at most this many URLs (sitemaps.org). */
const SITEMAP_LIMIT = 50_000;

const CATALOG_PAGE = 500;

/** 主动公开基本目录: the fixed columns of every item (条例 第二十六条; the openness plan). */
export const BASIC_CATALOG_DEFAULTS = {
  timeLimit: '自该政府信息形成或者变更之日起20个工作日内（按计划发布时间发布）',
  method: '政府网站',
  scope: '社会公众',
} as const;

/** Options of {@link writeStaticFeeds}. */
export interface StaticFeedOptions {
  /**
   * Public base URL of the published bucket (or its CDN), ending in `/`. Without it, links are
   * relative to the bucket root — fine for the JSON files and Atom, but sitemaps.org wants
   * absolute URLs, so deployments should set it.
   */
  baseUrl?: string;
  /** Title of the feeds. */
  title?: string;
}

/** One row of the 主动公开基本目录. */
export interface BasicCatalogItem {
  formatVersion: string;
  bundleId: string;
  /** 索引号. */
  indexNumber: string;
  /** 公开内容. */
  content: string;
  documentNumber?: string;
  /** 责任主体. */
  responsibleBody: string;
  /** 规定时限. */
  timeLimit: string;
  /** 公开方式. */
  method: string;
  /** 公开范围. */
  scope: string;
  subjectCategory: string;
  writtenDate: string;
  publishedAt: string;
  validity: CatalogEntry['validity'];
  validityLabel: string;
  url: string;
  manifestUrl: string;
}

export interface FeedItem {
  entry: CatalogEntry;
  /** When the bundle last changed in the catalog (its last event), else its 发布日期. */
  updated: string;
  url: string;
  manifestUrl: string;
}

async function allEntries(catalog: CatalogStore): Promise<CatalogEntry[]> {
  const entries: CatalogEntry[] = [];
  let cursor: string | undefined;
  do {
    const page = await catalog.listEntries({
      limit: CATALOG_PAGE,
      ...(cursor === undefined ? {} : { cursor }),
    });
    entries.push(...page.items);
    cursor = page.cursor;
  } while (cursor !== undefined);
  return entries;
}

/** The times of the most recent events, so a withdrawal moves its bundle up in the feeds. */
async function recentEventTimes(
  catalog: CatalogStore,
  entries: readonly CatalogEntry[],
): Promise<Map<number, string>> {
  const last = entries.reduce((max, entry) => Math.max(max, entry.lastSequence), 0);
  const window = FEED_SIZE * 4;
  const events: CatalogEvent[] = await catalog.changesAfter(Math.max(0, last - window), { limit: window });
  return new Map(events.map((event) => [event.sequence, event.at]));
}

function titled(entry: CatalogEntry): string {
  return entry.validity === 'VALID'
    ? entry.title
    : `【已${VALIDITY_STATUS_LABELS[entry.validity]}】${entry.title}`;
}

function byRecency(a: FeedItem, b: FeedItem): number {
  if (a.updated !== b.updated) return a.updated < b.updated ? 1 : -1;
  return a.entry.bundleId < b.entry.bundleId ? 1 : a.entry.bundleId > b.entry.bundleId ? -1 : 0;
}

/** JSON Feed 1.1 (https://jsonfeed.org/version/1.1) of the most recently changed bundles. */
export function renderJsonFeed(items: readonly FeedItem[], options: StaticFeedOptions): string {
  const base = options.baseUrl ?? '';
  const feed = {
    version: 'https://jsonfeed.org/version/1.1',
    title: options.title ?? '政府信息公开',
    ...(options.baseUrl === undefined ? {} : { feed_url: `${base}${STATIC_FEED_KEYS.jsonFeed}` }),
    language: 'zh-CN',
    items: items.map(({ entry, updated, url, manifestUrl }) => ({
      id: `urn:gongkai:bundle:${entry.bundleId}`,
      url,
      title: titled(entry),
      content_text: [
        `索引号：${entry.indexNumber}`,
        `发布机构：${entry.issuingBody}`,
        ...(entry.documentNumber === undefined ? [] : [`文号：${entry.documentNumber}`]),
        `效力状态：${VALIDITY_STATUS_LABELS[entry.validity]}`,
        ...(entry.explanation === undefined ? [] : [`说明：${entry.explanation}`]),
      ].join('\n'),
      date_published: entry.publishedAt,
      date_modified: updated,
      authors: [{ name: entry.issuingBody }],
      tags: [entry.subjectCategory],
      language: 'zh-CN',
      _gongkai: {
        formatVersion: FORMAT_VERSION,
        bundleId: entry.bundleId,
        indexNumber: entry.indexNumber,
        validity: entry.validity,
        manifest: manifestUrl,
        lastSequence: entry.lastSequence,
        ...(entry.supersededBy === undefined ? {} : { supersededBy: entry.supersededBy }),
      },
    })),
  };
  return `${JSON.stringify(feed, null, 2)}\n`;
}

/** Atom (RFC 4287) of the most recently changed bundles. */
export function renderAtom(items: readonly FeedItem[], options: StaticFeedOptions): string {
  const base = options.baseUrl;
  const updated = items[0]?.updated ?? '1970-01-01T00:00:00.000Z';
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">',
    `  <id>${escapeXml(base === undefined ? 'urn:gongkai:feeds:atom' : `${base}${STATIC_FEED_KEYS.atom}`)}</id>`,
    `  <title>${escapeXml(options.title ?? '政府信息公开')}</title>`,
    `  <updated>${escapeXml(updated)}</updated>`,
    ...(base === undefined
      ? []
      : [`  <link rel="self" href="${escapeXml(`${base}${STATIC_FEED_KEYS.atom}`)}"/>`]),
    '  <generator>gongkai</generator>',
  ];
  for (const { entry, updated: entryUpdated, url } of items) {
    const summary = `索引号：${entry.indexNumber}；发布机构：${entry.issuingBody}；效力状态：${VALIDITY_STATUS_LABELS[entry.validity]}${
      entry.explanation === undefined ? '' : `；说明：${entry.explanation}`
    }`;
    lines.push(
      '  <entry>',
      `    <id>urn:gongkai:bundle:${escapeXml(entry.bundleId)}</id>`,
      `    <title>${escapeXml(titled(entry))}</title>`,
      `    <link rel="alternate" type="text/html" href="${escapeXml(url)}"/>`,
      `    <published>${escapeXml(entry.publishedAt)}</published>`,
      `    <updated>${escapeXml(entryUpdated)}</updated>`,
      `    <author><name>${escapeXml(entry.issuingBody)}</name></author>`,
      `    <category term="${escapeXml(entry.subjectCategory)}"/>`,
      `    <summary>${escapeXml(summary)}</summary>`,
      '  </entry>',
    );
  }
  lines.push('</feed>', '');
  return lines.join('\n');
}

/** sitemap.xml of every bundle's 原文 page. */
export function renderSitemap(items: readonly FeedItem[]): string {
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
  ];
  for (const { url, updated } of items.slice(0, SITEMAP_LIMIT)) {
    lines.push(`  <url><loc>${escapeXml(url)}</loc><lastmod>${escapeXml(updated)}</lastmod></url>`);
  }
  lines.push('</urlset>', '');
  return lines.join('\n');
}

/** The 主动公开基本目录 items, in publication order. */
export function basicCatalogItems(items: readonly FeedItem[]): BasicCatalogItem[] {
  return items.map(({ entry, url, manifestUrl }) => ({
    formatVersion: FORMAT_VERSION,
    bundleId: entry.bundleId,
    indexNumber: entry.indexNumber,
    content: entry.title,
    ...(entry.documentNumber === undefined ? {} : { documentNumber: entry.documentNumber }),
    responsibleBody: entry.issuingBody,
    ...BASIC_CATALOG_DEFAULTS,
    subjectCategory: entry.subjectCategory,
    writtenDate: entry.writtenDate,
    publishedAt: entry.publishedAt,
    validity: entry.validity,
    validityLabel: VALIDITY_STATUS_LABELS[entry.validity],
    url,
    manifestUrl,
  }));
}

/** The 主动公开基本目录 as CSV, one row per item, Chinese column names. */
export function renderBasicCatalogCsv(items: readonly BasicCatalogItem[]): string {
  return toCsv([
    [
      '索引号',
      '公开内容',
      '文号',
      '责任主体',
      '规定时限',
      '公开方式',
      '公开范围',
      '主题分类',
      '成文日期',
      '发布日期',
      '效力状态',
      '链接',
    ],
    ...items.map((item) => [
      item.indexNumber,
      item.content,
      item.documentNumber,
      item.responsibleBody,
      item.timeLimit,
      item.method,
      item.scope,
      item.subjectCategory,
      item.writtenDate,
      item.publishedAt,
      item.validityLabel,
      item.url,
    ]),
  ]);
}

/**
 * Regenerates every static feed from the catalog: JSON Feed 1.1, Atom, sitemap.xml and the
 * 主动公开基本目录 (JSON and CSV). Called after every publication (Verify) and withdrawal. The output
 * depends only on the catalog's content — no clock — so two writers racing write the same bytes
 * for the same catalog, and the later catalog state always wins on the next call.
 */
export async function writeStaticFeeds(
  catalog: CatalogStore,
  store: ObjectStore,
  options: StaticFeedOptions = {},
): Promise<void> {
  const entries = await allEntries(catalog);
  const times = await recentEventTimes(catalog, entries);
  const base = options.baseUrl ?? '';
  const items: FeedItem[] = entries.map((entry) => ({
    entry,
    updated: times.get(entry.lastSequence) ?? entry.publishedAt,
    url: `${base}${publishedKeys.file(entry.bundleId, 'policy.html')}`,
    manifestUrl: `${base}${publishedKeys.manifest(entry.bundleId)}`,
  }));
  const recent = [...items].sort(byRecency).slice(0, FEED_SIZE);
  const catalogItems = basicCatalogItems(items);
  const lastSequence = entries.reduce((max, entry) => Math.max(max, entry.lastSequence), 0);
  const writes: Array<[string, string, string]> = [
    [STATIC_FEED_KEYS.jsonFeed, renderJsonFeed(recent, options), 'application/feed+json; charset=utf-8'],
    [STATIC_FEED_KEYS.atom, renderAtom(recent, options), 'application/atom+xml; charset=utf-8'],
    [STATIC_FEED_KEYS.sitemap, renderSitemap(items), 'application/xml; charset=utf-8'],
    [
      STATIC_FEED_KEYS.basicCatalogJson,
      `${JSON.stringify({ formatVersion: FORMAT_VERSION, lastSequence, items: catalogItems }, null, 2)}\n`,
      'application/json; charset=utf-8',
    ],
    [
      STATIC_FEED_KEYS.basicCatalogCsv,
      renderBasicCatalogCsv(catalogItems),
      'text/csv; charset=utf-8; header=present',
    ],
  ];
  for (const [key, body, contentType] of writes) {
    await store.put(key, body, { contentType, cacheControl: SHORT_CACHE_CONTROL });
  }
}

import { Parser } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import type { CatalogEntry } from '../../../shared/ports/catalog-store.js';
import {
  csvCell,
  escapeXml,
  SHORT_CACHE_CONTROL,
  STATIC_FEED_KEYS,
  toCsv,
  writeStaticFeeds,
} from '../../../shared/publication/index.js';
import { InMemoryCatalogStore, InMemoryObjectStore } from '../../support/publication-fakes.js';

function anEntry(overrides: Partial<CatalogEntry> = {}): Omit<CatalogEntry, 'lastSequence'> {
  const bundleId = overrides.bundleId ?? '01HZY8K3Q4M5N6P7R8S9T0V1B1';
  return {
    bundleId,
    submissionId: '01HZY8K3Q4M5N6P7R8S9T0V1W2',
    revision: 1,
    indexNumber: '640100-141/2019-00064',
    title: '银川市大数据产业发展服务中心2019年政务公开实施方案',
    issuingBody: '银川市大数据产业发展服务中心',
    documentNumber: '银大数发〔2019〕12号',
    writtenDate: '2019-07-19',
    publishedAt: '2019-07-22T01:30:00.000Z',
    subjectCategory: '综合政务/政务公开',
    validity: 'VALID',
    manifestKey: `bundles/${bundleId}/manifest.json`,
    manifestSha256: 'a'.repeat(64),
    ...overrides,
  };
}

async function catalogOf(...entries: Array<Omit<CatalogEntry, 'lastSequence'>>) {
  const catalog = new InMemoryCatalogStore();
  for (const [index, entry] of entries.entries()) {
    await catalog.append(
      {
        eventId: `PUBLISHED#${entry.bundleId}`,
        type: 'PUBLISHED',
        bundleId: entry.bundleId,
        at: `2019-07-2${2 + index}T02:00:00.000Z`,
        validity: 'VALID',
        manifestKey: entry.manifestKey,
      },
      entry,
    );
  }
  return catalog;
}

/** Parses XML strictly enough to notice unbalanced or unclosed elements. */
function parseXml(xml: string) {
  const open: string[] = [];
  const buffers: string[] = [];
  const names: string[] = [];
  const texts: Record<string, string[]> = {};
  let errors = 0;
  const parser = new Parser(
    {
      onopentag(name) {
        open.push(name);
        buffers.push('');
        names.push(name);
      },
      ontext(text) {
        if (buffers.length > 0) buffers[buffers.length - 1] += text;
      },
      onclosetag(name) {
        const text = buffers.pop() ?? '';
        if (open.pop() !== name) errors += 1;
        if (text.trim() !== '') texts[name] = [...(texts[name] ?? []), text];
      },
      onerror() {
        errors += 1;
      },
    },
    { xmlMode: true, decodeEntities: true },
  );
  parser.write(xml);
  parser.end();
  return { names, texts, errors, unclosed: open.length };
}

describe('Function: csvCell', () => {
  it.each([
    ['=HYPERLINK("http://x")', `"'=HYPERLINK(""http://x"")"`],
    ['+1', "'+1"],
    ['-1+2', "'-1+2"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['普通文字', '普通文字'],
    ['甲,乙', '"甲,乙"'],
    ['第一行\n第二行', '"第一行\n第二行"'],
    ['说"明"', '"说""明"""'],
  ])('writes %j as %j', (value, expected) => {
    // Act / Assess
    expect(csvCell(value)).toBe(expected);
  });

  it('starts the document with a byte-order mark and ends rows with CRLF', () => {
    // Act / Assess
    expect(
      toCsv([
        ['a', 'b'],
        ['c', undefined],
      ]),
    ).toBe('\ufeffa,b\r\nc,\r\n');
  });
});

describe('Function: escapeXml', () => {
  it('escapes markup characters and drops characters XML cannot carry', () => {
    // Act / Assess
    expect(escapeXml(`<a href="x">&'\u0001</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;');
  });
});

describe('Function: writeStaticFeeds', () => {
  it('writes every static feed with a short cache lifetime', async () => {
    // Prepare
    const store = new InMemoryObjectStore();

    // Act
    await writeStaticFeeds(await catalogOf(anEntry()), store);

    // Assess
    expect(store.calls.map((call) => call.key).sort()).toEqual(Object.values(STATIC_FEED_KEYS).sort());
    expect(store.calls.every((call) => call.cacheControl === SHORT_CACHE_CONTROL)).toBe(true);
  });

  it('writes a well-formed Atom feed even when titles hold markup characters', async () => {
    // Prepare
    const store = new InMemoryObjectStore();
    const catalog = await catalogOf(
      anEntry({ title: '关于<印发>“A&B”方案的通知' }),
      anEntry({
        bundleId: '01HZY8K3Q4M5N6P7R8S9T0V1B2',
        title: '第二份',
        publishedAt: '2019-07-23T01:30:00.000Z',
      }),
    );

    // Act
    await writeStaticFeeds(catalog, store, { baseUrl: 'https://www.example.gov.cn/gongkai/' });

    // Assess
    const atom = parseXml(store.text(STATIC_FEED_KEYS.atom));
    expect(atom.errors).toBe(0);
    expect(atom.unclosed).toBe(0);
    expect(atom.names[0]).toBe('feed');
    expect(atom.names.filter((name) => name === 'entry')).toHaveLength(2);
    expect(atom.texts.title).toContain('关于<印发>“A&B”方案的通知');
    // Most recently changed first.
    expect(atom.texts.title?.[1]).toBe('第二份');
  });

  it('writes a JSON Feed 1.1 with absolute links when a base URL is given', async () => {
    // Prepare
    const store = new InMemoryObjectStore();

    // Act
    await writeStaticFeeds(await catalogOf(anEntry()), store, {
      baseUrl: 'https://www.example.gov.cn/gongkai/',
    });

    // Assess
    const feed = JSON.parse(store.text(STATIC_FEED_KEYS.jsonFeed));
    expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
    expect(feed.items[0]).toMatchObject({
      id: 'urn:gongkai:bundle:01HZY8K3Q4M5N6P7R8S9T0V1B1',
      url: 'https://www.example.gov.cn/gongkai/bundles/01HZY8K3Q4M5N6P7R8S9T0V1B1/policy.html',
      date_published: '2019-07-22T01:30:00.000Z',
      date_modified: '2019-07-22T02:00:00.000Z',
    });
  });

  it('marks a withdrawn publication and moves it up by the time of its withdrawal', async () => {
    // Prepare
    const store = new InMemoryObjectStore();
    const first = anEntry();
    const second = anEntry({
      bundleId: '01HZY8K3Q4M5N6P7R8S9T0V1B2',
      title: '第二份',
      publishedAt: '2019-07-23T01:30:00.000Z',
    });
    const catalog = await catalogOf(first, second);
    await catalog.append(
      {
        eventId: `WITHDRAWN#${first.bundleId}`,
        type: 'WITHDRAWN',
        bundleId: first.bundleId,
        at: '2019-08-01T00:00:00.000Z',
        validity: 'REPEALED',
        manifestKey: first.manifestKey,
        explanation: '已被新文件替代',
      },
      { ...first, validity: 'REPEALED', explanation: '已被新文件替代' },
    );

    // Act
    await writeStaticFeeds(catalog, store);

    // Assess
    const feed = JSON.parse(store.text(STATIC_FEED_KEYS.jsonFeed));
    expect(feed.items[0].title).toBe('【已废止】银川市大数据产业发展服务中心2019年政务公开实施方案');
    expect(feed.items[0].date_modified).toBe('2019-08-01T00:00:00.000Z');
    const catalogJson = JSON.parse(store.text(STATIC_FEED_KEYS.basicCatalogJson));
    expect(catalogJson.items[0]).toMatchObject({ validity: 'REPEALED', validityLabel: '废止' });
  });

  it('writes the 主动公开基本目录 with content, responsible body, time limit, method and scope', async () => {
    // Prepare
    const store = new InMemoryObjectStore();

    // Act
    await writeStaticFeeds(await catalogOf(anEntry({ title: '=cmd|calc!A1' })), store);

    // Assess
    const json = JSON.parse(store.text(STATIC_FEED_KEYS.basicCatalogJson));
    expect(json.items[0]).toMatchObject({
      indexNumber: '640100-141/2019-00064',
      content: '=cmd|calc!A1',
      responsibleBody: '银川市大数据产业发展服务中心',
      method: '政府网站',
      scope: '社会公众',
    });
    expect(json.items[0].timeLimit).toContain('20个工作日');
    const csv = store.text(STATIC_FEED_KEYS.basicCatalogCsv);
    const [header, row] = csv.replace('\ufeff', '').split('\r\n');
    expect(header).toBe(
      '索引号,公开内容,文号,责任主体,规定时限,公开方式,公开范围,主题分类,成文日期,发布日期,效力状态,链接',
    );
    expect(row?.split(',')[1]).toBe("'=cmd|calc!A1");
  });

  it('writes a sitemap listing every bundle, well-formed', async () => {
    // Prepare
    const store = new InMemoryObjectStore();

    // Act
    await writeStaticFeeds(await catalogOf(anEntry()), store, { baseUrl: 'https://www.example.gov.cn/' });

    // Assess
    const sitemap = parseXml(store.text(STATIC_FEED_KEYS.sitemap));
    expect(sitemap.errors).toBe(0);
    expect(sitemap.texts.loc).toEqual([
      'https://www.example.gov.cn/bundles/01HZY8K3Q4M5N6P7R8S9T0V1B1/policy.html',
    ]);
  });

  it('writes the same bytes for the same catalog', async () => {
    // Prepare
    const first = new InMemoryObjectStore();
    const second = new InMemoryObjectStore();
    const catalog = await catalogOf(anEntry());

    // Act
    await writeStaticFeeds(catalog, first);
    await writeStaticFeeds(catalog, second);

    // Assess
    for (const key of Object.values(STATIC_FEED_KEYS)) expect(second.text(key)).toBe(first.text(key));
  });
});

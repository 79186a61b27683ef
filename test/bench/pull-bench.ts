/**
 * `gongkai pull` figures (`npx tsx test/bench/pull-bench.ts`): with N published bundles in local
 * mode (default 10,000; `PULL_BENCH_BUNDLES` to change), a full sync into an empty folder, then an
 * incremental sync after 10 changes (5 new, 3 withdrawn, 2 superseded). Prints requests, bytes
 * and seconds of each as a table.
 *
 * The bundles are seeded directly through the real adapters (`S3ObjectStore` into s3rver,
 * `DynamoCatalogStore` into dynalite), not through the review workflow: four small files and a
 * schema-valid manifest each, then the `PUBLISHED` catalog event and entry, as Verify writes them.
 * The pull goes over HTTP through the local API and the real `portal-api` handler.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../infra/local/emulators.js';
import { startLocalSystem } from '../../infra/local/system.js';
import { createDocumentClient, createS3Client } from '../../shared/adapters/aws-clients.js';
import { DynamoCatalogStore } from '../../shared/adapters/dynamo-catalog-store.js';
import { S3ObjectStore } from '../../shared/adapters/s3-object-store.js';
import type { CatalogEntry } from '../../shared/ports/catalog-store.js';
import {
  type BundleManifest,
  bundleIdFor,
  IMMUTABLE_CACHE_CONTROL,
  MEDIA_TYPES,
  parseManifest,
  sha256Hex,
  utf8,
} from '../../shared/publication/index.js';
import {
  FetchPortalClient,
  FileMirrorStore,
  formatBytes,
  type PullSummary,
  pullMirror,
} from '../../shared/pull/index.js';
import { publishedKeys } from '../../shared/storage-keys.js';

const BUNDLES = Number(process.env.PULL_BENCH_BUNDLES ?? 10_000);
const SEED_CONCURRENCY = 24;
const PULL_CONCURRENCY = Number(process.env.PULL_BENCH_CONCURRENCY ?? 16);

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
function submissionIdOf(n: number): string {
  let suffix = '';
  for (let value = n, index = 0; index < 8; index += 1, value = Math.floor(value / 32)) {
    suffix = CROCKFORD[value % 32] + suffix;
  }
  return `01J0000000000000BENCH${suffix}`.slice(0, 18) + suffix;
}

interface SeededBundle {
  manifest: BundleManifest;
  manifestBytes: Uint8Array;
  files: { name: string; body: Uint8Array }[];
}

function aBundle(n: number): SeededBundle {
  const submissionId = submissionIdOf(n);
  const publishedAt = new Date(Date.UTC(2024, 0, 1) + n * 60_000).toISOString();
  const bundleId = bundleIdFor(submissionId, 1, publishedAt);
  const title = `关于推进第${n}号政务公开工作的通知`;
  const bodies: [string, string, string][] = [
    [
      'policy.html',
      MEDIA_TYPES.html,
      `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>${title}</title><article id="document-body"><p>${title}正文。</p></article></html>\n`,
    ],
    ['policy.txt', MEDIA_TYPES.text, `${title}\n一、总体要求。二、主要任务。三、保障措施。\n`],
    [
      'interpretation-1.html',
      MEDIA_TYPES.html,
      `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>《${title}》解读</title><article id="document-body"><p>解读。</p></article></html>\n`,
    ],
    ['interpretation-1.txt', MEDIA_TYPES.text, `《${title}》政策解读\n出台背景、主要内容、解读人。\n`],
  ];
  const files = bodies.map(([name, , text]) => ({ name, body: utf8(text) }));
  const manifest: BundleManifest = {
    formatVersion: '1.0',
    bundleId,
    submissionId,
    revision: 1,
    indexNumber: `640100-141/2024-${String(n % 100_000).padStart(5, '0')}`,
    title,
    issuingBody: '银川市大数据产业发展服务中心',
    responsibleDepartment: '综合科',
    documentNumber: `银大数发〔2024〕${n}号`,
    writtenDate: '2024-01-01',
    publishedAt,
    publishedDate: publishedAt.slice(0, 10),
    disclosure: { attribute: 'PROACTIVE', label: '主动公开' },
    validity: { status: 'VALID', label: '有效' },
    subjectCategory: '综合政务/政务公开',
    firstInterpreter: { name: '王川', position: '中心主任' },
    policy: {
      id: 'policy',
      title,
      files: { html: 'policy.html', text: 'policy.txt' },
      interpretations: ['interpretation-1'],
    },
    interpretations: [
      {
        id: 'interpretation-1',
        title: `《${title}》解读`,
        files: { html: 'interpretation-1.html', text: 'interpretation-1.txt' },
        interprets: 'policy',
      },
    ],
    attachments: [],
    supersedes: [],
    files: bodies.map(([name, mediaType], index) => ({
      name,
      role: name.startsWith('policy') ? 'policy' : 'interpretation',
      document: name.startsWith('policy') ? 'policy' : 'interpretation-1',
      mediaType,
      sha256: sha256Hex(files[index]!.body),
      size: files[index]!.body.byteLength,
    })),
  };
  const manifestBytes = utf8(`${JSON.stringify(manifest, null, 2)}\n`);
  if (parseManifest(manifestBytes) === undefined) throw new Error('The seeded manifest is not valid.');
  return { manifest, manifestBytes, files };
}

function entryOf(bundle: SeededBundle): Omit<CatalogEntry, 'lastSequence'> {
  const { manifest } = bundle;
  return {
    bundleId: manifest.bundleId,
    submissionId: manifest.submissionId,
    revision: manifest.revision,
    indexNumber: manifest.indexNumber,
    title: manifest.title,
    issuingBody: manifest.issuingBody,
    ...(manifest.documentNumber === undefined ? {} : { documentNumber: manifest.documentNumber }),
    writtenDate: manifest.writtenDate,
    publishedAt: manifest.publishedAt,
    subjectCategory: manifest.subjectCategory,
    validity: 'VALID',
    manifestKey: publishedKeys.manifest(manifest.bundleId),
    manifestSha256: sha256Hex(bundle.manifestBytes),
  };
}

async function pool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}

function line(text: string): void {
  process.stdout.write(`${text}\n`);
}

/** Where the seeding child and the pulling child find the local system. */
interface Endpoints {
  api: string;
  s3: string;
  dynamodb: string;
  bucket: string;
  table: string;
}

function adapters(endpoints: Endpoints) {
  const connection = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, forcePathStyle: true };
  const s3 = createS3Client({ ...connection, endpoints: { s3: endpoints.s3 } });
  const dynamo = createDocumentClient({ ...connection, endpoints: { dynamodb: endpoints.dynamodb } });
  return {
    published: new S3ObjectStore({ client: s3, bucket: endpoints.bucket }),
    catalog: new DynamoCatalogStore({ client: dynamo, tableName: endpoints.table }),
    destroy: () => {
      s3.destroy();
      dynamo.destroy();
    },
  };
}

/**
 * Files and manifests in parallel; catalog events one at a time (they share one counter), each as
 * soon as its bundle's files are in place, so S3 and DynamoDB work overlap.
 */
async function seed(endpoints: Endpoints, numbers: number[], log: (text: string) => void): Promise<void> {
  const { published, catalog, destroy } = adapters(endpoints);
  let appended = 0;
  let appending = Promise.resolve();
  try {
    await pool(numbers, SEED_CONCURRENCY, async (n) => {
      const bundle = aBundle(n);
      const id = bundle.manifest.bundleId;
      await Promise.all(
        bundle.files.map((file) =>
          published.put(publishedKeys.file(id, file.name), file.body, {
            contentType: bundle.manifest.files.find((f) => f.name === file.name)!.mediaType,
            cacheControl: IMMUTABLE_CACHE_CONTROL,
          }),
        ),
      );
      await published.put(publishedKeys.manifest(id), bundle.manifestBytes, {
        contentType: MEDIA_TYPES.json,
        cacheControl: IMMUTABLE_CACHE_CONTROL,
      });
      const append = appending.then(async () => {
        await catalog.append(
          {
            eventId: `PUBLISHED#${id}`,
            type: 'PUBLISHED',
            bundleId: id,
            at: bundle.manifest.publishedAt,
            validity: 'VALID',
            manifestKey: publishedKeys.manifest(id),
          },
          entryOf(bundle),
        );
        appended += 1;
        if (appended % 1000 === 0) log(`  seeded ${appended}/${numbers.length}`);
      });
      appending = append;
      // Back-pressure: a worker waits for its own event, so S3 never runs far ahead of DynamoDB.
      await append;
    });
    await appending;
  } finally {
    destroy();
  }
}

async function changeValidity(
  endpoints: Endpoints,
  n: number,
  type: 'WITHDRAWN' | 'SUPERSEDED',
  explanation: string,
  supersededBy?: string,
): Promise<void> {
  const { catalog, destroy } = adapters(endpoints);
  const bundle = aBundle(n);
  const id = bundle.manifest.bundleId;
  const validity = type === 'WITHDRAWN' ? 'EXPIRED' : 'REPEALED';
  try {
    await catalog.append(
      {
        eventId: `${type}#${id}`,
        type,
        bundleId: id,
        at: new Date().toISOString(),
        validity,
        manifestKey: publishedKeys.manifest(id),
        explanation,
        ...(supersededBy === undefined ? {} : { supersededBy }),
      },
      { ...entryOf(bundle), validity, explanation, ...(supersededBy === undefined ? {} : { supersededBy }) },
    );
  } finally {
    destroy();
  }
}

async function pullInto(endpoints: Endpoints, mirror: string): Promise<PullSummary> {
  const client = new FetchPortalClient({ baseUrl: endpoints.api, timeoutMs: 60_000 });
  return pullMirror({
    client,
    store: new FileMirrorStore(mirror),
    source: endpoints.api,
    concurrency: PULL_CONCURRENCY,
    stats: () => client.stats,
  });
}

/**
 * Runs this file again as a child process (`seed` or `pull`): the local system keeps one core,
 * the seeding or pulling client gets the other, as a portal and the system would in practice.
 */
function child(mode: 'seed' | 'pull', endpoints: Endpoints, argument: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const process_ = spawn(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(import.meta.url), mode, argument],
      {
        env: { ...process.env, PULL_BENCH_ENDPOINTS: JSON.stringify(endpoints) },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let output = '';
    process_.stdout.setEncoding('utf8');
    process_.stdout.on('data', (chunk: string) => {
      output += chunk;
      for (const text of chunk.split('\n')) if (text.startsWith('  ')) line(text);
    });
    process_.on('error', reject);
    process_.on('exit', (code) =>
      code === 0 ? resolve(output) : reject(new Error(`the ${mode} child exited with ${code}`)),
    );
  });
}

async function childPull(endpoints: Endpoints, mirror: string): Promise<PullSummary> {
  const output = await child('pull', endpoints, mirror);
  const last = output.trim().split('\n').at(-1) ?? '';
  const summary = JSON.parse(last) as PullSummary;
  if (summary.failures.length > 0) throw new Error(`pull failed: ${JSON.stringify(summary.failures)}`);
  return summary;
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'gongkai-pull-bench-'));
  const mirror = path.join(dataDir, 'mirror');
  line(`gongkai pull benchmark: ${BUNDLES} bundles, local mode in ${dataDir}`);
  const system = await startLocalSystem({
    dataDir: path.join(dataDir, 'system'),
    port: 0,
    logLevel: 'ERROR',
  });
  const endpoints: Endpoints = {
    api: system.urls.api,
    s3: system.urls.s3,
    dynamodb: system.urls.dynamodb,
    bucket: system.resources.PUBLISHED_BUCKET!,
    table: system.resources.TABLE_NAME!,
  };
  try {
    let started = performance.now();
    await child('seed', endpoints, `1-${BUNDLES}`);
    line(`seeded ${BUNDLES} bundles in ${((performance.now() - started) / 1000).toFixed(1)} s`);

    const full = await childPull(endpoints, mirror);
    if (full.new !== BUNDLES) throw new Error(`full sync mirrored ${full.new} bundles, not ${BUNDLES}`);
    line(`full sync: ${full.new} bundles in ${full.seconds.toFixed(1)} s`);

    started = performance.now();
    await seed(endpoints, [BUNDLES + 1, BUNDLES + 2, BUNDLES + 3, BUNDLES + 4, BUNDLES + 5], line);
    for (const n of [11, 12, 13]) await changeValidity(endpoints, n, 'WITHDRAWN', '有效期届满，自动失效。');
    for (const [index, n] of [21, 22].entries()) {
      const replacement = aBundle(BUNDLES + 1 + index).manifest.bundleId;
      await changeValidity(endpoints, n, 'SUPERSEDED', '已由新文件替代。', replacement);
    }
    line(
      `10 changes (5 new, 3 withdrawn, 2 superseded) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );

    const incremental = await childPull(endpoints, mirror);
    const idle = await childPull(endpoints, mirror);

    const rows: [string, PullSummary][] = [
      [`full sync (${BUNDLES} bundles)`, full],
      ['incremental (10 changes)', incremental],
      ['nothing new', idle],
    ];
    line('');
    line('| sync | new | withdrawn | superseded | requests | bytes | seconds |');
    line('|---|---:|---:|---:|---:|---:|---:|');
    for (const [label, s] of rows) {
      line(
        `| ${label} | ${s.new} | ${s.withdrawn} | ${s.superseded} | ${s.requests} | ${s.bytes} (${formatBytes(s.bytes)}) | ${s.seconds.toFixed(2)} |`,
      );
    }
    line('');
    line(`pull concurrency ${PULL_CONCURRENCY}, page size 1000; bytes = response bodies received`);
  } finally {
    await system.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

const [mode, argument] = process.argv.slice(2);
if (mode === 'seed' || mode === 'pull') {
  const endpoints = JSON.parse(process.env.PULL_BENCH_ENDPOINTS ?? '{}') as Endpoints;
  if (mode === 'seed') {
    const [from, to] = (argument ?? '').split('-').map(Number);
    await seed(
      endpoints,
      Array.from({ length: to! - from! + 1 }, (_, index) => from! + index),
      line,
    );
  } else {
    line(JSON.stringify(await pullInto(endpoints, argument ?? '')));
  }
} else {
  await main();
}

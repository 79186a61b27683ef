import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pullCommand } from '../../../bin/commands/pull.js';
import {
  type BundleStatus,
  FetchPortalClient,
  FileMirrorStore,
  type MirrorCatalogRecord,
  type MirrorState,
  type PullSummary,
  pullMirror,
  type RetryPolicy,
} from '../../../shared/pull/index.js';
import { aBundle, bundleIdOf, FakePortal } from './fake-portal.js';

const FAST_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 1, maxDelayMs: 4 };

let portal: FakePortal;
let workDir: string;
let out: string;

beforeEach(async () => {
  portal = await new FakePortal().start();
  workDir = await mkdtemp(path.join(tmpdir(), 'gongkai-pull-'));
  out = path.join(workDir, 'mirror');
});

afterEach(async () => {
  await portal.stop();
  await rm(workDir, { recursive: true, force: true });
});

async function pull(
  options: { pageSize?: number; concurrency?: number; timeoutMs?: number } = {},
): Promise<PullSummary> {
  const client = new FetchPortalClient({ baseUrl: portal.url, timeoutMs: options.timeoutMs ?? 5000 });
  return pullMirror({
    client,
    store: new FileMirrorStore(out, { durable: false }),
    source: portal.url,
    retry: FAST_RETRY,
    pageSize: options.pageSize ?? 50,
    concurrency: options.concurrency ?? 4,
    stats: () => client.stats,
  });
}

function publishMany(from: number, to: number): void {
  for (let n = from; n <= to; n += 1) portal.publish(aBundle(n));
}

async function readJson<T>(...parts: string[]): Promise<T> {
  return JSON.parse(await readFile(path.join(out, ...parts), 'utf8')) as T;
}

async function visibleBundles(): Promise<string[]> {
  return (await readdir(path.join(out, 'bundles'))).sort();
}

/** Every visible bundle holds exactly its manifest's files, byte for byte, and a status. */
async function expectCompleteBundles(): Promise<void> {
  for (const bundleId of await visibleBundles()) {
    const bundle = portal.bundles.get(bundleId)!;
    const names = [...bundle.files.keys()];
    expect((await readdir(path.join(out, 'bundles', bundleId))).sort()).toEqual(
      [...names, 'manifest.json', 'status.json'].sort(),
    );
    for (const name of names) {
      expect(new Uint8Array(await readFile(path.join(out, 'bundles', bundleId, name)))).toEqual(
        bundle.files.get(name),
      );
    }
  }
}

describe('gongkai pull: first sync', () => {
  it('mirrors every published bundle with its verified files, a status, the catalog and the cursor', async () => {
    // Prepare
    publishMany(1, 3);

    // Act
    const summary = await pull();

    // Assess
    expect(summary).toMatchObject({
      new: 3,
      changed: 0,
      withdrawn: 0,
      failures: [],
      cursorBefore: 0,
      cursorAfter: 3,
    });
    expect(await visibleBundles()).toEqual([bundleIdOf(1), bundleIdOf(2), bundleIdOf(3)]);
    await expectCompleteBundles();
    expect(await readJson<BundleStatus>('bundles', bundleIdOf(2), 'status.json')).toMatchObject({
      validity: { status: 'VALID', label: '有效' },
      lastEvent: 'PUBLISHED',
      sequence: 2,
    });
    const catalog = await readJson<{ cursor: number; bundles: MirrorCatalogRecord[] }>('catalog.json');
    expect(catalog.cursor).toBe(3);
    expect(catalog.bundles.map((record) => record.bundleId).sort()).toEqual([
      bundleIdOf(1),
      bundleIdOf(2),
      bundleIdOf(3),
    ]);
    expect(catalog.bundles[0]).toMatchObject({ title: '第 1 号政策', path: `bundles/${bundleIdOf(1)}/` });
    expect(await readJson<MirrorState>('.gongkai-pull', 'state.json')).toMatchObject({
      cursor: 3,
      source: portal.url,
    });
    // One change page, then a manifest and four files per bundle.
    expect(summary.requests).toBe(1 + 3 * 5);
    expect(portal.count('/portal/changes')).toBe(1);
    expect(summary.bytes).toBeGreaterThan(0);
    expect(await readdir(path.join(out, '.gongkai-pull', 'tmp'))).toEqual([]);
  });

  it('reads the change feed page by page until a short page', async () => {
    publishMany(1, 7);

    const summary = await pull({ pageSize: 3 });

    expect(summary.new).toBe(7);
    // Pages of 3, 3, 1 (the short one ends the run).
    expect(portal.count('/portal/changes')).toBe(3);
    expect(summary.cursorAfter).toBe(7);
  });
});

describe('gongkai pull: incremental sync', () => {
  it('asks only for the changes after the cursor: requests proportional to the changes, not the catalog', async () => {
    // Prepare
    publishMany(1, 40);
    await pull();
    const before = portal.requests.length;
    publishMany(41, 42);
    portal.append({
      type: 'WITHDRAWN',
      bundleId: bundleIdOf(3),
      validity: 'EXPIRED',
      explanation: '已被新规定取代。',
    });
    portal.append({
      type: 'SUPERSEDED',
      bundleId: bundleIdOf(4),
      validity: 'REPEALED',
      explanation: '由第 41 号政策替代。',
      supersededBy: bundleIdOf(41),
    });

    // Act
    const summary = await pull();

    // Assess
    expect(summary).toMatchObject({
      new: 2,
      withdrawn: 1,
      superseded: 1,
      changed: 0,
      events: 4,
      cursorBefore: 40,
      cursorAfter: 44,
    });
    // One change page + 2 new bundles × (manifest + 4 files); nothing for the 40 bundles already there.
    expect(summary.requests).toBe(1 + 2 * 5);
    const paths = portal.requests.slice(before).map((request) => request.path);
    expect(paths.filter((p) => p.includes(bundleIdOf(3)) || p.includes(bundleIdOf(1)))).toEqual([]);
    expect(await visibleBundles()).toHaveLength(42);
  });

  it('makes one request when nothing changed', async () => {
    publishMany(1, 5);
    await pull();

    const summary = await pull();

    expect(summary).toMatchObject({ new: 0, events: 0, requests: 1, cursorAfter: 5 });
  });
});

describe('gongkai pull: withdrawals and supersessions', () => {
  it('keeps the bundle, marks it with 效力状态, explanation, supersededBy and sequence, and rewrites the catalog', async () => {
    publishMany(1, 2);
    await pull();
    const policyBefore = await readFile(path.join(out, 'bundles', bundleIdOf(1), 'policy.txt'));
    publishMany(3, 3);
    portal.append({
      type: 'SUPERSEDED',
      bundleId: bundleIdOf(1),
      validity: 'REPEALED',
      explanation: '由新政策替代。',
      supersededBy: bundleIdOf(3),
    });
    portal.append({
      type: 'WITHDRAWN',
      bundleId: bundleIdOf(2),
      validity: 'EXPIRED',
      explanation: '有效期届满。',
    });

    await pull();

    expect(await readJson<BundleStatus>('bundles', bundleIdOf(1), 'status.json')).toEqual({
      formatVersion: '1.0',
      bundleId: bundleIdOf(1),
      validity: { status: 'REPEALED', label: '废止' },
      lastEvent: 'SUPERSEDED',
      sequence: 4,
      at: '2024-01-03T00:00:00.000Z',
      explanation: '由新政策替代。',
      supersededBy: bundleIdOf(3),
    });
    expect(await readJson<BundleStatus>('bundles', bundleIdOf(2), 'status.json')).toMatchObject({
      validity: { status: 'EXPIRED', label: '失效' },
      explanation: '有效期届满。',
      sequence: 5,
    });
    expect(await readFile(path.join(out, 'bundles', bundleIdOf(1), 'policy.txt'))).toEqual(policyBefore);
    const catalog = await readJson<{ cursor: number; bundles: MirrorCatalogRecord[] }>('catalog.json');
    expect(catalog.cursor).toBe(5);
    expect(catalog.bundles.find((record) => record.bundleId === bundleIdOf(1))).toMatchObject({
      title: '第 1 号政策',
      validity: { status: 'REPEALED', label: '废止' },
      supersededBy: bundleIdOf(3),
    });
    expect(catalog.bundles).toHaveLength(3);
  });

  it('mirrors a bundle withdrawn before the first sync, already marked', async () => {
    publishMany(1, 1);
    portal.append({ type: 'WITHDRAWN', bundleId: bundleIdOf(1), validity: 'EXPIRED', explanation: '撤回。' });

    const summary = await pull();

    expect(summary.new).toBe(1);
    expect(await readJson<BundleStatus>('bundles', bundleIdOf(1), 'status.json')).toMatchObject({
      validity: { status: 'EXPIRED' },
      sequence: 2,
    });
  });
});

describe('gongkai pull: bad server answers', () => {
  it('retries a file whose bytes do not match the manifest, reports it, and leaves the previous mirror intact', async () => {
    // Prepare
    publishMany(1, 2);
    await pull();
    const catalogBefore = await readFile(path.join(out, 'catalog.json'), 'utf8');
    publishMany(3, 3);
    const corrupted = `/portal/bundles/${bundleIdOf(3)}/files/policy.txt`;
    portal.fault = (p) => (p === corrupted ? { kind: 'corrupt' } : undefined);

    // Act
    const summary = await pull();

    // Assess
    expect(summary.failures).toEqual([
      { bundleId: bundleIdOf(3), reason: expect.stringContaining('SHA-256') },
    ]);
    expect(portal.count(corrupted)).toBe(FAST_RETRY.attempts);
    expect(await visibleBundles()).toEqual([bundleIdOf(1), bundleIdOf(2)]);
    await expectCompleteBundles();
    expect(await readFile(path.join(out, 'catalog.json'), 'utf8')).toBe(catalogBefore);
    expect((await readJson<MirrorState>('.gongkai-pull', 'state.json')).cursor).toBe(2);

    // The next run, with a healthy server, completes (reusing the files already verified).
    portal.fault = () => undefined;
    const again = await pull();
    expect(again).toMatchObject({ new: 1, failures: [], cursorAfter: 3 });
    expect(portal.count(`/portal/bundles/${bundleIdOf(3)}/files/policy.html`)).toBe(1);
    await expectCompleteBundles();
  });

  it('exits non-zero from the command and names the bundle', async () => {
    publishMany(1, 1);
    portal.fault = (p) => (p.endsWith('/files/policy.txt') ? { kind: 'corrupt' } : undefined);
    const written: string[] = [];
    const errors: string[] = [];

    const code = await pullCommand(['--from', portal.url, '--out', out, '--attempts', '2'], {
      stdout: { write: (text: string) => written.push(text) > 0 },
      stderr: { write: (text: string) => errors.push(text) > 0 },
    });

    expect(code).toBe(1);
    expect(errors.join('')).toContain(`bundle ${bundleIdOf(1)} not mirrored`);
    expect(written.join('')).toMatch(
      /new 0 · changed 0 · withdrawn 0 · superseded 0 · .* · \d+ requests · [\d.]+ s/,
    );
    expect(await visibleBundles()).toEqual([]);
  });

  it('retries a truncated body (shorter than its Content-Length) and then succeeds', async () => {
    publishMany(1, 1);
    let truncated = 0;
    portal.fault = (p) =>
      p.endsWith('/files/interpretation-1.html') && truncated++ < 2 ? { kind: 'truncate' } : undefined;

    const summary = await pull();

    expect(summary).toMatchObject({ new: 1, failures: [] });
    expect(portal.count(`/portal/bundles/${bundleIdOf(1)}/files/interpretation-1.html`)).toBe(3);
    await expectCompleteBundles();
  });

  it('retries 5xx answers of the feed and the manifest with backoff, then succeeds', async () => {
    publishMany(1, 1);
    const failures = new Map<string, number>();
    portal.fault = (p) => {
      const seen = failures.get(p) ?? 0;
      failures.set(p, seen + 1);
      if (p === '/portal/changes' && seen < 2) return { kind: 'status', status: 503 };
      if (p.endsWith('/manifest') && seen < 1) return { kind: 'status', status: 500 };
      return undefined;
    };

    const summary = await pull();

    expect(summary).toMatchObject({ new: 1, failures: [] });
    expect(portal.count('/portal/changes')).toBe(3);
    expect(portal.count(`/portal/bundles/${bundleIdOf(1)}/manifest`)).toBe(2);
  });

  it('gives up on a feed that keeps failing and keeps the cursor', async () => {
    publishMany(1, 1);
    await pull();
    publishMany(2, 2);
    portal.fault = (p) => (p === '/portal/changes' ? { kind: 'status', status: 502 } : undefined);

    await expect(pull()).rejects.toThrow(/HTTP 502/);

    expect(portal.count('/portal/changes')).toBe(1 + FAST_RETRY.attempts);
    expect((await readJson<MirrorState>('.gongkai-pull', 'state.json')).cursor).toBe(1);
    expect(existsSync(path.join(out, '.gongkai-pull', 'lock'))).toBe(false);
  });

  it('does not retry a 404 and reports the bundle', async () => {
    portal.append({ type: 'PUBLISHED', bundleId: bundleIdOf(9) });

    const summary = await pull();

    expect(summary.failures).toEqual([
      { bundleId: bundleIdOf(9), reason: expect.stringContaining('HTTP 404') },
    ]);
    expect(portal.count(`/portal/bundles/${bundleIdOf(9)}/manifest`)).toBe(1);
  });

  it('times out a request that never answers and tries again', async () => {
    publishMany(1, 1);
    let hung = 0;
    portal.fault = (p) => (p.endsWith('/files/policy.html') && hung++ === 0 ? { kind: 'hang' } : undefined);

    const summary = await pull({ timeoutMs: 300 });

    expect(summary).toMatchObject({ new: 1, failures: [] });
  });

  it('stops at a format major version it does not know', async () => {
    publishMany(1, 1);
    portal.bundles.get(bundleIdOf(1))!.manifest.formatVersion = '2.0';

    const summary = await pull();

    expect(summary.failures[0]?.reason).toMatch(/format version 2\.0 is not 1\.x/);
    expect(await visibleBundles()).toEqual([]);
  });
});

describe('gongkai pull: interrupted run', () => {
  it('leaves no partial bundle visible when killed mid-download, and the next run completes and resumes', async () => {
    // Prepare: a child `gongkai pull`, one download at a time, killed while asking for the 6th file
    // (bundle 1 complete, bundle 2 with one file written).
    publishMany(1, 3);
    const runner = fileURLToPath(new URL('./run-pull-child.ts', import.meta.url));
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', runner, '--from', portal.url, '--out', out, '--concurrency', '1', '--quiet'],
      {
        stdio: 'ignore',
      },
    );
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_code, signal) => resolve(signal)),
    );
    let files = 0;
    portal.onFile = async () => {
      files += 1;
      if (files === 6) {
        child.kill('SIGKILL');
        await exited;
      }
    };

    // Act
    expect(await exited).toBe('SIGKILL');
    portal.onFile = () => undefined;

    // Assess: only whole bundles are visible, and no cursor was saved past them.
    expect(await visibleBundles()).toEqual([bundleIdOf(1)]);
    await expectCompleteBundles();
    expect(existsSync(path.join(out, '.gongkai-pull', 'state.json'))).toBe(false);
    const leftovers = await readdir(path.join(out, '.gongkai-pull', 'tmp'));
    expect(leftovers).toEqual([expect.stringMatching(new RegExp(`^${bundleIdOf(2)}-[0-9a-f]{16}$`))]);

    // Act: the next run (the dead one's lock is taken over).
    const before = portal.requests.length;
    const summary = await pull({ concurrency: 1 });

    // Assess: bundles 2 and 3 fetched; bundle 2's manifest revalidated (304) and its verified file reused.
    expect(summary).toMatchObject({ new: 2, failures: [], cursorAfter: 3 });
    expect(await visibleBundles()).toEqual([bundleIdOf(1), bundleIdOf(2), bundleIdOf(3)]);
    await expectCompleteBundles();
    const after = portal.requests.slice(before);
    expect(
      after.find((request) => request.path === `/portal/bundles/${bundleIdOf(2)}/manifest`)?.status,
    ).toBe(304);
    expect(after.filter((request) => request.path.includes(bundleIdOf(1)))).toEqual([]);
    expect(after.filter((request) => request.path.includes(`${bundleIdOf(2)}/files`))).toHaveLength(3);
    expect(await readdir(path.join(out, '.gongkai-pull', 'tmp'))).toEqual([]);
  }, 30_000);
});

describe('gongkai pull: hostile names', () => {
  const hostileFileNames = [
    '../../escaped.txt',
    'a/b.txt',
    '..',
    '.hidden.txt',
    'policy\u202Etxt.html',
    'policy\u0000.txt',
    'manifest.json',
    'status.json',
    'CON.txt',
    'policy.txt\n',
  ];

  for (const name of hostileFileNames) {
    it(`rejects the file name ${JSON.stringify(name)} before touching the file system`, async () => {
      portal.publish(aBundle(1, { fileNames: ['policy.html', name] }));

      const summary = await pull();

      expect(summary.failures).toEqual([
        { bundleId: bundleIdOf(1), reason: expect.stringContaining('unsafe file name') },
      ]);
      expect(await visibleBundles()).toEqual([]);
      expect(portal.count(`/portal/bundles/${bundleIdOf(1)}/files/`)).toBe(0);
      expect((await readdir(workDir)).sort()).toEqual(['mirror']);
    });
  }

  it('rejects two file names that differ only in case', async () => {
    portal.publish(aBundle(1, { fileNames: ['policy.txt', 'POLICY.txt'] }));

    const summary = await pull();

    expect(summary.failures[0]?.reason).toContain('unsafe file name');
  });

  for (const bundleId of ['../../../tmp/x', `${bundleIdOf(1)}/..`, 'bundles', `${bundleIdOf(1)}\u200B`]) {
    it(`rejects the bundle id ${JSON.stringify(bundleId)} in the change feed and applies nothing of its page`, async () => {
      publishMany(1, 1);
      portal.append({ type: 'PUBLISHED', bundleId });
      await mkdir(out, { recursive: true });

      await expect(pull()).rejects.toThrow(/unsafe bundle id/);

      expect(await visibleBundles()).toEqual([]);
      expect(portal.count('/portal/bundles/')).toBe(0);
      expect(existsSync(path.join(out, '.gongkai-pull', 'state.json'))).toBe(false);
    });
  }

  it('rejects a manifest that describes another bundle', async () => {
    const bundle = aBundle(1);
    bundle.manifest.bundleId = bundleIdOf(2);
    portal.publish(bundle);

    const summary = await pull();

    expect(summary.failures[0]?.reason).toContain(`describes bundle ${bundleIdOf(2)}`);
  });
});

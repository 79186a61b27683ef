import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approveAllSteps, demoMetadata, readDemoFixtures, runDemo } from '../../bin/commands/demo.js';
import { pullCommand } from '../../bin/commands/pull.js';
import { LocalClient } from '../../infra/local/client.js';
import type { LocalSystem } from '../../infra/local/system.js';
import type { BundleStatus, MirrorCatalogRecord, MirrorState } from '../../shared/pull/index.js';
import { removeDataDir, START_TIMEOUT_MS, startTestSystem } from './support/local-system.js';

/**
 * `gongkai pull` against the whole local system: bundles published through the real review
 * workflow, withdrawn and superseded through the drafter's API, pulled over HTTP from the real
 * portal API.
 */

let system: LocalSystem;
let out: string;

beforeAll(async () => {
  system = await startTestSystem();
  out = await mkdtemp(path.join(tmpdir(), 'gongkai-pull-it-'));
}, START_TIMEOUT_MS);

afterAll(async () => {
  await system?.stop();
  if (system !== undefined) await removeDataDir(system.dataDir);
  if (out !== undefined) await rm(out, { recursive: true, force: true });
});

async function pull(): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await pullCommand(['--from', system.urls.api, '--out', out], {
    stdout: { write: (text: string) => stdout.push(text) > 0 },
    stderr: { write: (text: string) => stderr.push(text) > 0 },
  });
  return { code, stdout: stdout.join(''), stderr: stderr.join('') };
}

async function readJson<T>(...parts: string[]): Promise<T> {
  return JSON.parse(await readFile(path.join(out, ...parts), 'utf8')) as T;
}

/** Publishes one more submission through the review workflow; its submission and bundle ids. */
async function publishAnother(client: LocalClient): Promise<{ submissionId: string; bundleId: string }> {
  const { documents } = await readDemoFixtures();
  const seen = new Set((await client.approvalMails()).flatMap((mail) => mail.approvalLinks));
  await client.signIn({ drafter: 'drafter-001' });
  const created = await client.createSubmission(
    demoMetadata({ title: '银川市政务数据共享开放管理办法' }),
    documents,
  );
  await client.upload(created.uploads, documents);
  await client.submit(created.submissionId);
  const { status } = await approveAllSteps(client, created.submissionId, {
    until: ['PUBLISHED', 'RETURNED', 'FAILED'],
    seen,
    timeoutMs: 90_000,
  });
  expect(status).toBe('PUBLISHED');
  const published = await client.getSubmission(created.submissionId);
  return { submissionId: created.submissionId, bundleId: published.bundleId ?? '' };
}

/** `POST /submissions/{id}/withdraw` as the drafter who owns it. */
async function withdraw(submissionId: string, body: Record<string, unknown>): Promise<void> {
  const drafter = new LocalClient(system.urls.api, system.outboxDirectory);
  await drafter.signIn({ drafter: 'drafter-001' });
  const answer = await drafter.withdraw(submissionId, body);
  expect(answer.status, answer.text).toBeLessThan(300);
}

describe('gongkai pull against the local system', () => {
  it('mirrors a published bundle, then only the changes: a new bundle, a supersession, a withdrawal', async () => {
    // Prepare: one bundle published through the whole workflow.
    const first = await runDemo(system, () => undefined);

    // Act: the first pull.
    const initial = await pull();

    // Assess: the bundle is there, byte for byte what the portal serves, marked 有效.
    expect(initial.code, initial.stderr).toBe(0);
    expect(initial.stdout).toMatch(/new 1 · changed 0 · withdrawn 0 · superseded 0 · .* · \d+ requests/);
    expect(await readdir(path.join(out, 'bundles'))).toEqual([first.bundleId]);
    const client = new LocalClient(system.urls.api, system.outboxDirectory);
    const manifest = await client.manifest(first.bundleId);
    for (const file of manifest.files) {
      expect(await readFile(path.join(out, 'bundles', first.bundleId, file.name))).toEqual(
        await client.file(first.bundleId, file.name),
      );
    }
    expect(await readJson<BundleStatus>('bundles', first.bundleId, 'status.json')).toMatchObject({
      validity: { status: 'VALID', label: '有效' },
      lastEvent: 'PUBLISHED',
    });
    const cursorAfterFirst = (await readJson<MirrorState>('.gongkai-pull', 'state.json')).cursor;
    expect(cursorAfterFirst).toBeGreaterThanOrEqual(1);

    // Prepare: a second bundle replaces the first.
    const second = await publishAnother(client);
    await withdraw(first.submissionId, {
      validity: 'REPEALED',
      explanation: '本办法已由新办法替代。',
      replacementBundleId: second.bundleId,
    });

    // Act
    const incremental = await pull();

    // Assess: one change page, the new bundle's manifest and files, nothing for the first bundle's files.
    expect(incremental.code, incremental.stderr).toBe(0);
    const requests = Number(/(\d+) requests/.exec(incremental.stdout)?.[1]);
    const secondManifest = await client.manifest(second.bundleId);
    expect(requests).toBe(1 + 1 + secondManifest.files.length);
    expect(incremental.stdout).toMatch(/new 1 · changed 0 · withdrawn 0 · superseded 1/);
    expect(await readJson<BundleStatus>('bundles', first.bundleId, 'status.json')).toMatchObject({
      validity: { status: 'REPEALED', label: '废止' },
      lastEvent: 'SUPERSEDED',
      explanation: '本办法已由新办法替代。',
      supersededBy: second.bundleId,
    });

    // Act: the second bundle is withdrawn.
    await withdraw(second.submissionId, { validity: 'EXPIRED', explanation: '试行期满。' });
    const last = await pull();

    // Assess: one request (the change page), the bundle stays, marked, the catalog rewritten.
    expect(last.code, last.stderr).toBe(0);
    expect(last.stdout).toMatch(/new 0 · changed 0 · withdrawn 1 · superseded 0 · .* · 1 requests/);
    expect(await readdir(path.join(out, 'bundles'))).toHaveLength(2);
    const catalog = await readJson<{ bundles: MirrorCatalogRecord[]; cursor: number }>('catalog.json');
    expect(catalog.bundles.map((record) => [record.bundleId, record.validity.status])).toEqual(
      expect.arrayContaining([
        [first.bundleId, 'REPEALED'],
        [second.bundleId, 'EXPIRED'],
      ]),
    );
    expect(catalog.cursor).toBe((await readJson<MirrorState>('.gongkai-pull', 'state.json')).cursor);
  }, 240_000);
});

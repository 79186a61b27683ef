import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import { type LocalHandler, loadHandler } from '../../infra/local/handlers.js';
import type { LocalSystem } from '../../infra/local/system.js';
import {
  createAndSubmit,
  drafter,
  emulatorClients,
  OutboxApprover,
  type PartReport,
  startSystem,
  waitForStatus,
} from './support.js';

/**
 * Post-publication gate. Residual personal data is planted on purpose where nothing upstream can
 * see it any more:
 * - `work product`: the redacted HTML and text De-identify wrote are overwritten just before
 *   Publish reads them (so the bundle's own hashes are consistent — only Verify's re-scan can tell);
 * - `published file`: a bundle file is overwritten just before Verify reads it.
 * Each must be caught by Verify: the bundle moved to `quarantine/`, the execution FAILED with the
 * error recorded, the revision FAILED, and the portal never showing it (catalog, changes, manifest
 * and files 404). A clean control submission in the same system is published.
 */

type Injection = 'work product' | 'published file';

/** The planted line: a valid resident ID and a mobile number (from test/fixtures/demo/planted.json). */
function plantedHtml(planted: { residentId: string; mobile: string }): string {
  return `<p>经办人身份证号：${planted.residentId}，手机：${planted.mobile}。</p>`;
}

async function overwrite(
  system: LocalSystem,
  bucket: string,
  prefix: string,
  matches: (key: string) => boolean,
  change: (text: string, key: string) => string,
): Promise<number> {
  const { s3 } = emulatorClients(system);
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  let count = 0;
  for (const object of listed.Contents ?? []) {
    if (object.Key === undefined || !matches(object.Key)) continue;
    const body = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: object.Key }));
    const text = (await body.Body?.transformToString('utf8')) ?? '';
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: object.Key, Body: change(text, object.Key) }));
    count += 1;
  }
  s3.destroy();
  return count;
}

/** Runs `perKind` submissions per injection (and one clean control). */
export async function runPublicationGate(options: { perKind: number }): Promise<PartReport> {
  const started = Date.now();
  const problems: string[] = [];
  const planned = new Map<string, Injection>();
  const injected = new Map<string, number>();
  let current: LocalSystem | undefined;
  let plantedValues = { residentId: '', mobile: '' };
  let loadingPublish: Promise<LocalHandler> | undefined;
  let loadingVerify: Promise<LocalHandler> | undefined;
  const handlers = {
    publish: async (event: unknown, context: Context) => {
      const input = event as { submissionId: string; revision: number };
      if (current !== undefined && planned.get(input.submissionId) === 'work product') {
        const count = await overwrite(
          current,
          current.resources.WORK_BUCKET ?? '',
          `submissions/${input.submissionId}/r${input.revision}/documents/`,
          (key) => key.endsWith('/redacted.html') || key.endsWith('/redacted.txt'),
          (text, key) =>
            key.endsWith('.html')
              ? `${text}${plantedHtml(plantedValues)}`
              : `${text}\n经办人身份证号：${plantedValues.residentId}，手机：${plantedValues.mobile}。\n`,
        );
        injected.set(input.submissionId, count);
      }
      loadingPublish ??= loadHandler('publish');
      return (await loadingPublish)(event, context);
    },
    verify: async (event: unknown, context: Context) => {
      const input = event as { submissionId: string; bundleId: string };
      if (current !== undefined && planned.get(input.submissionId) === 'published file') {
        const count = await overwrite(
          current,
          current.resources.PUBLISHED_BUCKET ?? '',
          `bundles/${input.bundleId}/`,
          (key) => key.endsWith('.html'),
          (text) => text.replace('</article>', `${plantedHtml(plantedValues)}</article>`),
        );
        injected.set(input.submissionId, count);
      }
      loadingVerify ??= loadHandler('verify');
      return (await loadingVerify)(event, context);
    },
  };
  const system = await startSystem({ handlers });
  current = system;
  const approver = new OutboxApprover(system).start();
  try {
    const { client, documents, planted } = await drafter(system);
    plantedValues = planted;
    const kinds: (Injection | 'control')[] = ['control'];
    for (let index = 0; index < options.perKind; index += 1) kinds.push('work product', 'published file');
    const submissions: { id: string; kind: Injection | 'control' }[] = [];
    for (const kind of kinds) {
      const id = await createAndSubmit(client, documents);
      if (kind !== 'control') planned.set(id, kind);
      submissions.push({ id, kind });
    }

    const outcomes: Record<string, number> = {};
    const { s3 } = emulatorClients(system);
    for (const { id, kind } of submissions) {
      const final = await waitForStatus(
        client,
        id,
        ['PUBLISHED', 'FAILED', 'RETURNED', 'REGISTERED'],
        90_000,
      );
      const execution = await system.stepFunctions.waitUntilDone(`${id}-r1`, 30_000);
      const catalog = await client.catalog();
      if (kind === 'control') {
        if (final?.status !== 'PUBLISHED') problems.push(`the clean control ended ${final?.status}`);
        else outcomes['clean published'] = (outcomes['clean published'] ?? 0) + 1;
        continue;
      }
      if ((injected.get(id) ?? 0) === 0) problems.push(`${kind}: nothing was planted for ${id}`);
      if (final?.status !== 'FAILED') problems.push(`${kind}: ${id} ended ${final?.status}, not FAILED`);
      if (execution?.status !== 'FAILED' || execution.error === undefined) {
        problems.push(`${kind}: execution ${execution?.status} without a recorded error`);
      }
      const events = await system.stepFunctions.events(`${id}-r1`);
      const verifyFailed = events.some(
        (event) => event.state === 'Verify' && event.error === 'BundleQuarantinedError',
      );
      if (!verifyFailed) problems.push(`${kind}: no BundleQuarantinedError of Verify in ${id}'s history`);
      // The bundle id Publish allocated: the quarantine folder names it.
      const quarantined = await s3.send(
        new ListObjectsV2Command({ Bucket: system.resources.PUBLISHED_BUCKET, Prefix: 'quarantine/' }),
      );
      const bundleIds = new Set(
        (quarantined.Contents ?? []).map((object) => object.Key?.split('/')[1] ?? '').filter(Boolean),
      );
      const bundleId = final?.bundleId ?? undefined;
      const candidates = bundleId === undefined || bundleId === null ? [...bundleIds] : [bundleId];
      if (bundleId !== undefined && bundleId !== null && !bundleIds.has(bundleId)) {
        problems.push(`${kind}: bundle ${bundleId} is not in quarantine/`);
      }
      for (const candidate of candidates) {
        if (catalog.some((entry) => entry.bundleId === candidate))
          problems.push(`${kind}: the catalog lists ${candidate}`);
        const manifest = await fetch(`${system.urls.api}/portal/bundles/${candidate}/manifest`);
        if (manifest.status !== 404)
          problems.push(`${kind}: the manifest of ${candidate} answered ${manifest.status}`);
        const changes = await (await fetch(`${system.urls.api}/portal/changes`)).text();
        if (changes.includes(candidate)) problems.push(`${kind}: the change feed names ${candidate}`);
      }
      const live = await s3.send(
        new ListObjectsV2Command({ Bucket: system.resources.PUBLISHED_BUCKET, Prefix: 'bundles/' }),
      );
      for (const candidate of candidates) {
        if ((live.Contents ?? []).some((object) => object.Key?.startsWith(`bundles/${candidate}/`))) {
          problems.push(`${kind}: files of ${candidate} are still under bundles/`);
        }
      }
      const label = `${kind} quarantined`;
      outcomes[label] = (outcomes[label] ?? 0) + (final?.status === 'FAILED' && verifyFailed ? 1 : 0);
    }
    s3.destroy();
    const feeds = await fetch(`${system.urls.api}/portal/catalog`);
    outcomes['catalog entries'] = (JSON.parse(await feeds.text()) as { items: unknown[] }).items.length;
    return {
      part: 'post-publication gate',
      attempts: submissions.length,
      outcomes,
      ms: Date.now() - started,
      problems,
    };
  } finally {
    current = undefined;
    await approver.stop();
    await system.stop();
  }
}

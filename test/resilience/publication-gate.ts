import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import { pullCommand } from '../../bin/commands/pull.js';
import { type LocalHandler, loadHandler } from '../../infra/local/handlers.js';
import type { LocalSystem } from '../../infra/local/system.js';
import { STATIC_FEED_KEYS } from '../../shared/publication/feeds.js';
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
 * Each must be caught by Verify: the bundle moved to `quarantine/` and unreadable under `bundles/`,
 * the revision FAILED with a reason naming the kinds of data found (never the data), and nothing a
 * reader can reach naming it — the portal API (catalog, changes, manifest, every file), the portal
 * preview, the static feeds Verify regenerates in S3, and a `gongkai pull` mirror. A clean control
 * submission in the same system is published and is found everywhere, so each "absent" check is
 * known to look in a place that works.
 */

type Injection = 'work product' | 'published file';

/** The kinds of personal data planted (the detector's type codes), which the FAILED reason must name. */
const PLANTED_TYPES = ['resident-id', 'mobile'] as const;

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

async function listKeys(s3: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
    );
    for (const object of page.Contents ?? []) if (object.Key !== undefined) keys.push(object.Key);
    token = page.NextContinuationToken;
  } while (token !== undefined);
  return keys;
}

/** An object's text, or undefined when there is no such key (any other error is thrown). */
async function readObjectText(s3: S3Client, bucket: string, key: string): Promise<string | undefined> {
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return (await object.Body?.transformToString('utf8')) ?? '';
  } catch (error) {
    if (error instanceof Error && (error.name === 'NoSuchKey' || error.name === 'NotFound')) return undefined;
    throw error;
  }
}

/** Every file under `dir` (recursively), as text. */
async function readTree(dir: string): Promise<{ file: string; text: string }[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files: { file: string; text: string }[] = [];
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    files.push({ file: path.relative(dir, file), text: await readFile(file, 'utf8') });
  }
  return files;
}

/** A quarantined submission as the checks need it. */
interface Quarantined {
  id: string;
  kind: Injection;
  bundleId: string;
  indexNumber: string | null;
  /** File names under `quarantine/<bundleId>/`. */
  names: string[];
}

/** Runs `perKind` submissions per injection (and one clean control). */
export async function runPublicationGate(options: { perKind: number }): Promise<PartReport> {
  const started = Date.now();
  const problems: string[] = [];
  const planned = new Map<string, Injection>();
  const injected = new Map<string, number>();
  /** The error the FAILED path handed to RecordStatus, by submission: the reason the revision failed for. */
  const failureReasons = new Map<string, { Error?: string; Cause?: string }>();
  let current: LocalSystem | undefined;
  let plantedValues = { residentId: '', mobile: '' };
  const loading: Partial<Record<'publish' | 'verify' | 'record-status', Promise<LocalHandler>>> = {};
  const real = (name: 'publish' | 'verify' | 'record-status') => {
    loading[name] ??= loadHandler(name);
    return loading[name];
  };
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
      return (await real('publish'))(event, context);
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
      return (await real('verify'))(event, context);
    },
    // Observes only: the real RecordStatus runs with the same input.
    'record-status': async (event: unknown, context: Context) => {
      const input = event as {
        submissionId: string;
        status: string;
        error?: { Error?: string; Cause?: string };
      };
      if (input.status === 'FAILED' && input.error !== undefined)
        failureReasons.set(input.submissionId, input.error);
      return (await real('record-status'))(event, context);
    },
  };
  const system = await startSystem({ handlers });
  current = system;
  const approver = new OutboxApprover(system).start();
  const { s3 } = emulatorClients(system);
  const bucket = system.resources.PUBLISHED_BUCKET ?? '';
  const api = system.urls.api;
  const outcomes: Record<string, number> = {};
  const count = (label: string, by = 1) => {
    outcomes[label] = (outcomes[label] ?? 0) + by;
  };
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

    let control: { id: string; bundleId: string } | undefined;
    const quarantined: Quarantined[] = [];
    for (const { id, kind } of submissions) {
      const final = await waitForStatus(
        client,
        id,
        ['PUBLISHED', 'FAILED', 'RETURNED', 'REGISTERED'],
        90_000,
      );
      const execution = await system.stepFunctions.waitUntilDone(`${id}-r1`, 30_000);
      if (kind === 'control') {
        if (final?.status !== 'PUBLISHED' || final.bundleId === null) {
          problems.push(`the clean control ended ${final?.status} (bundle ${final?.bundleId})`);
        } else {
          control = { id, bundleId: final.bundleId };
          count('clean published');
        }
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

      // The reason the revision FAILED: the error the FAILED path recorded, naming the kinds of data.
      const reason = failureReasons.get(id);
      if (reason?.Error !== 'BundleQuarantinedError') {
        problems.push(
          `${kind}: ${id} was recorded FAILED for ${reason?.Error ?? 'no error'}, not BundleQuarantinedError`,
        );
      }
      const cause = reason?.Cause ?? '';
      const unnamed = PLANTED_TYPES.filter((type) => !cause.includes(type));
      if (unnamed.length > 0)
        problems.push(`${kind}: the FAILED reason of ${id} does not name ${unnamed.join(', ')}`);
      const view = (await client.getSubmission(id).catch(() => undefined)) as
        | { audit?: { action: string; detail: { errorName?: string } | null }[] }
        | undefined;
      const failedAudit = (view?.audit ?? []).some(
        (entry) => entry.action === 'FAILED' && entry.detail?.errorName === 'BundleQuarantinedError',
      );
      if (!failedAudit) {
        problems.push(`${kind}: ${id}'s audit trail has no FAILED event naming BundleQuarantinedError`);
      }
      for (const [where, text] of [
        ['FAILED reason', cause],
        ['submission view', JSON.stringify(view ?? {})],
      ] as const) {
        if (text.includes(planted.residentId) || text.includes(planted.mobile)) {
          problems.push(`${kind}: the ${where} of ${id} quotes the planted data`);
        }
      }

      // The bundle id Publish allocated: the submission names it, and so does its quarantine folder.
      const bundleId = final?.bundleId ?? null;
      if (bundleId === null) {
        problems.push(`${kind}: ${id} names no bundle`);
        continue;
      }
      const names = (await listKeys(s3, bucket, `quarantine/${bundleId}/`)).map((key) =>
        key.slice(`quarantine/${bundleId}/`.length),
      );
      if (!names.includes('manifest.json'))
        problems.push(`${kind}: bundle ${bundleId} is not in quarantine/`);
      quarantined.push({ id, kind, bundleId, indexNumber: final?.indexNumber ?? null, names });
      if (
        final?.status === 'FAILED' &&
        verifyFailed &&
        reason?.Error === 'BundleQuarantinedError' &&
        unnamed.length === 0
      )
        count(`${kind} quarantined`);
    }

    if (control === undefined) {
      problems.push('no clean control was published: the "never listed" checks below would prove nothing');
    } else {
      await checkUnreachable({ system, s3, bucket, api, control, quarantined, problems, count });
    }
    outcomes['catalog entries'] = (await client.catalog()).length;
    return {
      part: 'post-publication gate',
      attempts: submissions.length,
      outcomes,
      ms: Date.now() - started,
      problems,
    };
  } finally {
    s3.destroy();
    current = undefined;
    await approver.stop();
    await system.stop();
  }
}

/**
 * Every way a reader reaches a bundle, tried for the control (must answer) and for each quarantined
 * bundle (must not): S3 under `bundles/`, the portal API, the portal preview, the static feeds, and
 * `gongkai pull`.
 */
async function checkUnreachable(context: {
  system: LocalSystem;
  s3: S3Client;
  bucket: string;
  api: string;
  control: { id: string; bundleId: string };
  quarantined: readonly Quarantined[];
  problems: string[];
  count: (label: string, by?: number) => void;
}): Promise<void> {
  const { s3, bucket, api, control, quarantined, problems, count } = context;
  const status = async (url: string) => {
    const response = await fetch(url, { redirect: 'manual' });
    await response.arrayBuffer();
    return response.status;
  };
  const names = (item: Quarantined) => [
    item.bundleId,
    ...(item.indexNumber === null ? [] : [item.indexNumber]),
  ];

  // S3: nothing of a quarantined bundle under the published prefix, object by object.
  for (const item of quarantined) {
    if ((await listKeys(s3, bucket, `bundles/${item.bundleId}/`)).length > 0) {
      problems.push(`${item.kind}: files of ${item.bundleId} are still under bundles/`);
    }
    for (const name of item.names) {
      if ((await readObjectText(s3, bucket, `bundles/${item.bundleId}/${name}`)) !== undefined) {
        problems.push(`${item.kind}: bundles/${item.bundleId}/${name} is readable`);
      }
      count('S3 reads refused');
    }
  }

  // The portal API and preview: the control answers, each quarantined bundle is absent or 404.
  const controlManifest = await fetch(`${api}/portal/bundles/${control.bundleId}/manifest`);
  const controlFiles = controlManifest.ok
    ? ((await controlManifest.json()) as { files: { name: string }[] }).files.map((file) => file.name)
    : [];
  if (controlFiles.length === 0)
    problems.push(`the control's manifest answered ${controlManifest.status} or listed no file`);
  for (const name of controlFiles) {
    const answer = await status(
      `${api}/portal/bundles/${control.bundleId}/files/${encodeURIComponent(name)}`,
    );
    if (answer !== 200) problems.push(`the control's file ${name} answered ${answer}`);
  }
  const listings = {
    catalog: await (await fetch(`${api}/portal/catalog?limit=1000`)).text(),
    changes: await (await fetch(`${api}/portal/changes?after=0&limit=1000`)).text(),
    preview: await (await fetch(`${api}/portal/view`)).text(),
  };
  for (const [where, text] of Object.entries(listings)) {
    if (!text.includes(control.bundleId))
      problems.push(`the portal's ${where} does not list the control either`);
    for (const item of quarantined) {
      for (const name of names(item)) {
        if (text.includes(name)) problems.push(`${item.kind}: the portal's ${where} names ${name}`);
      }
    }
  }
  const previewOfControl = await status(`${api}/portal/view/bundles/${control.bundleId}`);
  if (previewOfControl !== 200) problems.push(`the preview of the control answered ${previewOfControl}`);
  for (const item of quarantined) {
    const urls = [
      `${api}/portal/bundles/${item.bundleId}/manifest`,
      `${api}/portal/view/bundles/${item.bundleId}`,
      ...item.names.map((name) => `${api}/portal/bundles/${item.bundleId}/files/${encodeURIComponent(name)}`),
      // A file of the quarantine reached through a listed bundle: the portal serves manifest names only.
      `${api}/portal/bundles/${control.bundleId}/files/${encodeURIComponent(`../../quarantine/${item.bundleId}/manifest.json`)}`,
    ];
    for (const url of urls) {
      const answer = await status(url);
      if (answer !== 404) problems.push(`${item.kind}: ${url.slice(api.length)} answered ${answer}, not 404`);
      count('portal URLs refused');
    }
  }

  // The static feeds Verify rewrote after the control (docs/bundle-format.md, "Static feeds").
  for (const key of Object.values(STATIC_FEED_KEYS)) {
    const text = await readObjectText(s3, bucket, key);
    if (text === undefined || !text.includes(control.bundleId)) {
      problems.push(`the static feed ${key} is ${text === undefined ? 'missing' : 'without the control'}`);
      continue;
    }
    for (const item of quarantined) {
      for (const name of names(item)) {
        if (text.includes(name)) problems.push(`${item.kind}: the static feed ${key} names ${name}`);
      }
    }
    count('static feeds checked');
  }

  // `gongkai pull` into an empty folder: the control is mirrored, no quarantined bundle is even requested.
  const out = await mkdtemp(path.join(tmpdir(), 'gongkai-gate-pull-'));
  const requested: string[] = [];
  const realFetch = globalThis.fetch;
  globalThis.fetch = (input, init) => {
    requested.push(input instanceof Request ? input.url : String(input));
    return realFetch(input, init);
  };
  const output: string[] = [];
  try {
    const sink = { write: (text: string) => output.push(text) > 0 };
    const code = await pullCommand(['--from', api, '--out', out, '--quiet'], { stdout: sink, stderr: sink });
    if (code !== 0) problems.push(`gongkai pull exited ${code}: ${output.join('').slice(-500)}`);
  } finally {
    globalThis.fetch = realFetch;
  }
  try {
    const mirrored = await readdir(path.join(out, 'bundles')).catch(() => [] as string[]);
    if (!mirrored.includes(control.bundleId))
      problems.push(`gongkai pull did not mirror the control (${mirrored.length} bundles)`);
    const files = await readTree(out);
    for (const item of quarantined) {
      if (mirrored.includes(item.bundleId))
        problems.push(`${item.kind}: gongkai pull mirrored ${item.bundleId}`);
      const asked = requested.filter((url) => url.includes(item.bundleId));
      if (asked.length > 0)
        problems.push(`${item.kind}: gongkai pull requested ${asked.length} URLs of ${item.bundleId}`);
      for (const { file, text } of files) {
        for (const name of names(item)) {
          if (text.includes(name)) problems.push(`${item.kind}: the pulled ${file} names ${name}`);
        }
      }
    }
    count('pull requests', requested.length);
    count('pull bundles', mirrored.length);
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

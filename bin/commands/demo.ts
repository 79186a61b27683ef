import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DraftDocument, LocalClient } from '../../infra/local/client.js';
import type { LocalSystem } from '../../infra/local/system.js';
import { CliUsageError } from './errors.js';
import { loadLocalSystem, projectRoot } from './start.js';

/**
 * `gongkai demo` (`npm run demo`): from nothing, the whole path of one submission against the local
 * system, over HTTP only — sign in, create, upload through the presigned URLs, submit, approve
 * every review step from the e-mailed links with the page's own form, wait for publication, read
 * the catalog and the bundle, and check both documents are there and no planted personal data is.
 */

/** The personal data planted in the sample files (see test/fixtures/demo/README.md). */
export interface PlantedData {
  residentId: string;
  mobile: string;
  privateName: string;
  bankCard: string;
}

/** The sample files and what is planted in them. */
export async function readDemoFixtures(): Promise<{ documents: DraftDocument[]; planted: PlantedData }> {
  const folder = path.join(projectRoot(), 'test', 'fixtures', 'demo');
  const read = (name: string) => readFile(path.join(folder, name));
  return {
    documents: [
      { role: 'policy', fileName: '实施方案.txt', contentType: 'text/plain', body: await read('policy.txt') },
      {
        role: 'interpretation',
        fileName: '实施方案解读.txt',
        contentType: 'text/plain',
        body: await read('interpretation.txt'),
      },
    ],
    planted: JSON.parse((await read('planted.json')).toString('utf8')) as PlantedData,
  };
}

/**
 * Metadata of the sample policy: 主动公开, two review steps (公开审查, then 审签) with one approver
 * each and the shortest time limit a step may have (1 hour), released as soon as it is signed off.
 */
export function demoMetadata(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: '银川市大数据产业发展服务中心2019年政务公开实施方案',
    issuingBody: '银川市大数据产业发展服务中心',
    responsibleDepartment: '综合科',
    documentNumber: '银大数发〔2019〕12号',
    writtenDate: '2019-07-19',
    subjectCategory: '综合政务/政务公开',
    firstInterpreter: { name: '王川', position: '中心主任' },
    disclosure: { attribute: 'PROACTIVE' },
    bodyCode: '640100-141',
    reviewSteps: [
      {
        id: 'disclosure-review',
        name: '公开审查',
        approvers: [{ id: 'approver-002', name: '钱审', email: 'qian@example.gov.cn' }],
        timeoutHours: 1,
      },
      {
        id: 'sign-off',
        name: '审签',
        approvers: [{ id: 'approver-001', name: '赵审', email: 'zhaoshen@example.gov.cn' }],
        timeoutHours: 1,
      },
    ],
    ...overrides,
  };
}

/** Every planted value found in `text` (by kind). */
export function plantedDataIn(text: string, planted: PlantedData): string[] {
  return Object.entries(planted)
    .filter(([, value]) => text.includes(value))
    .map(([kind]) => kind);
}

/** Result of {@link runDemo}. */
export interface DemoResult {
  submissionId: string;
  bundleId: string;
  indexNumber: string;
  files: string[];
  approvalsGiven: number;
}

/**
 * Approves, from the outbox, every review step of a submission until it reaches one of `until`:
 * opens every new approval link (GET, which never decides) and approves through the form (POST).
 */
export async function approveAllSteps(
  client: LocalClient,
  submissionId: string,
  options: {
    until: readonly string[];
    seen?: Set<string>;
    timeoutMs?: number;
    onApproval?: (link: string) => void;
  },
): Promise<{ status: string; approvals: number }> {
  const seen = options.seen ?? new Set<string>();
  const deadline = Date.now() + (options.timeoutMs ?? 45_000);
  let approvals = 0;
  while (Date.now() < deadline) {
    const current = await client.getSubmission(submissionId);
    if (options.until.includes(current.status)) return { status: current.status, approvals };
    const fresh = (await client.approvalMails())
      .flatMap((mail) => mail.approvalLinks)
      .filter((link) => !seen.has(link));
    if (fresh.length === 0) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      continue;
    }
    for (const link of new Set(fresh)) {
      seen.add(link);
      const page = await client.openApproval(link);
      if (page.status !== 200 || page.form === undefined)
        throw new Error(`Approval link answered ${page.status} without a form.`);
      const decided = await client.decide(link, 'approve');
      if (decided.status >= 400) throw new Error(`Approving answered ${decided.status}.`);
      approvals += 1;
      options.onApproval?.(link);
    }
  }
  throw new Error(`Submission ${submissionId} did not reach ${options.until.join('/')} in time.`);
}

/** Runs the demo against a started system; `step` is called at the end of each step. */
export async function runDemo(system: LocalSystem, step: (label: string) => void): Promise<DemoResult> {
  const { LocalClient } = await import('../../infra/local/client.js');
  const client = new LocalClient(system.urls.api, system.outboxDirectory);
  const { documents, planted } = await readDemoFixtures();

  const drafter = await client.signIn({ drafter: 'drafter-001' });
  step(`signed in as ${drafter.name} <${drafter.email}>`);

  const created = await client.createSubmission(demoMetadata(), documents);
  step(
    `created submission ${created.submissionId} (revision ${created.revision}, ${created.uploads.length} uploads)`,
  );

  await client.upload(created.uploads, documents);
  step(`uploaded ${created.uploads.length} files through the presigned URLs (HTTP PUT to ${system.urls.s3})`);

  const submitted = await client.submit(created.submissionId);
  step(`submitted: ${submitted.status}, execution ${submitted.executionName}`);

  const { status, approvals } = await approveAllSteps(client, created.submissionId, {
    until: ['PUBLISHED', 'RETURNED', 'FAILED', 'REGISTERED'],
    onApproval: () => step('approval mail read, link opened (GET), approved through the form (POST)'),
  });
  if (status !== 'PUBLISHED') throw new Error(`The submission ended ${status}, not PUBLISHED.`);
  const published = await client.getSubmission(created.submissionId);
  step(`PUBLISHED as 索引号 ${published.indexNumber ?? '?'} (bundle ${published.bundleId ?? '?'})`);

  const catalog = await client.catalog();
  const entry = catalog.find((item) => item.bundleId === published.bundleId);
  if (entry === undefined) throw new Error('The published bundle is not in the portal catalog.');
  step(`catalog lists ${catalog.length} bundle(s), ours included`);

  const manifest = await client.manifest(entry.bundleId);
  const texts: string[] = [JSON.stringify(manifest)];
  for (const file of manifest.files)
    texts.push((await client.file(entry.bundleId, file.name)).toString('utf8'));
  const roles = new Set(manifest.files.map((file) => file.document.replace(/-\d+$/, '')));
  if (!roles.has('policy') || !roles.has('interpretation')) {
    throw new Error(`The bundle lacks a document: it has ${[...roles].join(', ')}.`);
  }
  step(`pulled the manifest and ${manifest.files.length} files: 原文 and 解读 both present`);

  const leaks = [...new Set(texts.flatMap((text) => plantedDataIn(text, planted)))];
  if (leaks.length > 0) throw new Error(`Planted personal data reached the bundle: ${leaks.join(', ')}.`);
  step(`no planted personal data in the bundle (${Object.keys(planted).join(', ')} checked)`);

  return {
    submissionId: created.submissionId,
    bundleId: entry.bundleId,
    indexNumber: entry.indexNumber,
    files: manifest.files.map((file) => file.name),
    approvalsGiven: approvals,
  };
}

/** `gongkai demo [--data-dir DIR] [--keep]`: exit 0 when every check passed. */
export async function demoCommand(args: string[]): Promise<number> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  let dataDir: string | undefined;
  let keep = false;
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index];
    if (arg === '--data-dir') {
      dataDir = args[++index];
      if (dataDir === undefined) throw new CliUsageError('--data-dir needs a value');
    } else if (arg === '--keep') keep = true;
    else throw new CliUsageError(`unknown argument "${arg}"; usage: gongkai demo [--data-dir DIR] [--keep]`);
  }
  const started = Date.now();
  let last = started;
  const step = (label: string) => {
    const now = Date.now();
    process.stdout.write(
      `[${((now - started) / 1000).toFixed(1).padStart(5)} s  +${((now - last) / 1000).toFixed(1).padStart(4)} s] ${label}\n`,
    );
    last = now;
  };
  const temporary = dataDir === undefined;
  const folder = dataDir ?? (await mkdtemp(path.join(tmpdir(), 'gongkai-demo-')));
  const { startLocalSystem } = await loadLocalSystem();
  const system = await startLocalSystem({ dataDir: folder, port: 0, logLevel: 'ERROR' });
  step(`local system started from ${temporary ? 'nothing' : folder} (API ${system.urls.api})`);
  try {
    const result = await runDemo(system, step);
    step(
      `done: bundle ${result.bundleId} with ${result.files.length} files, ${result.approvalsGiven} approvals`,
    );
    return 0;
  } catch (error) {
    step(`FAILED: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await system.stop();
    if (temporary && !keep) await rm(folder, { recursive: true, force: true });
    else process.stdout.write(`data kept in ${folder}\n`);
    setTimeout(() => process.exit(process.exitCode ?? 0), 2000).unref();
  }
}

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { approveAllSteps, demoMetadata, readDemoFixtures } from '../../bin/commands/demo.js';
import { LocalClient } from '../../infra/local/client.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../infra/local/emulators.js';
import type { ExecutionRecord } from '../../infra/local/step-functions.js';
import { createDocumentClient } from '../../shared/adapters/aws-clients.js';
import { executionName } from '../../shared/config/workflow.js';
import { reviewLedger, stepKey } from './fault-injection.js';
import { type PartReport, retrying, sleep, waitForStatus } from './support.js';

/**
 * Pending work survives a kill. The local system runs in a child process; submissions are left at
 * different points — a draft never submitted, one just submitted (Validate or De-identify may be
 * running), one waiting for its first review step, one waiting for its second — and the process is
 * killed with SIGKILL (no cleanup of any kind). A new process on the same data folder and ports
 * must still know every submission, resume every execution (exactly those that were running, at
 * least one of them waiting for a decision), accept the links mailed before the kill without mailing
 * them again, and publish everything once it is approved: one execution, one bundle, one 索引号 and
 * one approval mail per review step each.
 */

const SYSTEM_PROCESS = fileURLToPath(new URL('./system-process.ts', import.meta.url));

interface Started {
  child: ChildProcess;
  urls: { api: string; dynamodb: string };
  ports: { api: number; s3: number; dynamodb: number; aws: number };
  outboxDirectory: string;
  resumed: string[];
}

function startProcess(dataDir: string, ports?: Started['ports']): Promise<Started> {
  const args = ports === undefined ? [] : [ports.api, ports.s3, ports.dynamodb, ports.aws].map(String);
  const child = spawn(process.execPath, ['--import', 'tsx', SYSTEM_PROCESS, dataDir, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const line = output.split('\n').find((candidate) => candidate.startsWith('READY '));
      if (line !== undefined) {
        child.stdout?.off('data', onData);
        resolve({ child, ...(JSON.parse(line.slice('READY '.length)) as Omit<Started, 'child'>) });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.on('exit', (code) =>
      reject(new Error(`the system process exited ${code}: ${output.slice(-2000)}`)),
    );
  });
}

/** The executions persisted in a stopped system's data folder (its checkpoints, as a restart reads them). */
async function persistedExecutions(dataDir: string): Promise<ExecutionRecord[]> {
  const directory = path.join(dataDir, 'executions');
  const files = (await readdir(directory)).filter((file) => file.endsWith('.json'));
  return Promise.all(
    files.map(
      async (file) => JSON.parse(await readFile(path.join(directory, file), 'utf8')) as ExecutionRecord,
    ),
  );
}

/** A running execution whose callback task was handed its token and waits for the decision. */
function waitsForDecision(record: ExecutionRecord): boolean {
  return (
    record.status === 'RUNNING' &&
    Object.values(record.callbacks).some((callback) => callback.delivered && callback.outcome === undefined)
  );
}

function kill(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

/** Leaves `perStep` submissions at each point, kills the system, starts it again and finishes them. */
export async function runPendingWork(options: { perStep: number }): Promise<PartReport> {
  const started = Date.now();
  const problems: string[] = [];
  const dataDir = await mkdtemp(path.join(tmpdir(), 'gongkai-pending-'));
  let first: Started | undefined;
  let second: Started | undefined;
  try {
    first = await startProcess(dataDir);
    const before = new LocalClient(first.urls.api, first.outboxDirectory);
    await before.signIn({ drafter: 'drafter-001' });
    const { documents } = await readDemoFixtures();
    const seen = new Set<string>();
    const points: { id: string; point: string }[] = [];
    const create = async () => {
      const created = await before.createSubmission(demoMetadata(), documents);
      await before.upload(created.uploads, documents);
      return created.submissionId;
    };
    // Waiting for the second step: the first approved through its link. One at a time, so every new
    // link belongs to the submission at hand; links seen but not approved go into `known` only.
    const known = new Set<string>();
    for (let index = 0; index < options.perStep; index += 1) {
      const id = await create();
      await before.submit(id);
      const [firstLink = ''] = await before.waitForNewApprovalLinks(known, 60_000);
      known.add(firstLink);
      seen.add(firstLink);
      await before.decide(firstLink, 'approve');
      for (const link of await before.waitForNewApprovalLinks(known, 60_000)) known.add(link);
      points.push({ id, point: 'waiting for step 2' });
    }
    for (let index = 0; index < options.perStep; index += 1) {
      const id = await create();
      await before.submit(id);
      points.push({ id, point: 'waiting for step 1' });
    }
    for (let index = 0; index < options.perStep; index += 1)
      points.push({ id: await create(), point: 'draft' });
    // Waiting for step 1 means its mail is out.
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const statuses = await Promise.all(
        points
          .filter((entry) => entry.point === 'waiting for step 1')
          .map((entry) => before.getSubmission(entry.id)),
      );
      if (statuses.every((submission) => submission.status === 'IN_REVIEW')) break;
      await sleep(100);
    }
    // And its mail is in the outbox (IN_REVIEW comes before the request): then its task waits.
    const stepOneLinks = new Set<string>();
    while (stepOneLinks.size < options.perStep && Date.now() < deadline) {
      const waitingFor = new Set([...known, ...stepOneLinks]);
      for (const link of await before.waitForNewApprovalLinks(waitingFor, 60_000)) stepOneLinks.add(link);
    }
    // The task records that its request went out just after the mail is written.
    await sleep(1000);
    // Just submitted: its execution is somewhere in Validate or De-identify when the kill comes.
    for (let index = 0; index < options.perStep; index += 1) {
      const id = await create();
      await before.submit(id);
      points.push({ id, point: 'just submitted' });
    }
    const statusesBefore = new Map<string, string>();
    for (const { id } of points) statusesBefore.set(id, (await before.getSubmission(id)).status);

    await kill(first.child, 'SIGKILL');
    // What the kill left on disk: every submitted revision's execution RUNNING, and those waiting
    // for a review step waiting for its decision (their task tokens are in the approval links).
    const atKill = await persistedExecutions(dataDir);
    const submitted = points.filter(({ point }) => point !== 'draft').map(({ id }) => executionName(id, 1));
    const runningAtKill = atKill.filter((record) => record.status === 'RUNNING').map((record) => record.name);
    const waitingAtKill = atKill.filter(waitsForDecision).map((record) => record.name);
    if (runningAtKill.length !== submitted.length || !submitted.every((name) => runningAtKill.includes(name)))
      problems.push(`${runningAtKill.length} executions running at the kill, ${submitted.length} submitted`);
    const reviewing = points
      .filter(({ point }) => point.startsWith('waiting for step'))
      .map(({ id }) => executionName(id, 1));
    if (waitingAtKill.length === 0 || !reviewing.every((name) => waitingAtKill.includes(name)))
      problems.push(
        `${waitingAtKill.length} executions waiting for a decision at the kill, ${reviewing.length} expected`,
      );

    second = await startProcess(dataDir, first.ports);
    const after = new LocalClient(second.urls.api, second.outboxDirectory);
    await retrying(() => after.signIn({ drafter: 'drafter-001' }));
    // Exactly the executions that were running resume: none finished, none left behind, none twice.
    const resumed = new Set(second.resumed);
    if (
      resumed.size !== second.resumed.length ||
      resumed.size !== runningAtKill.length ||
      !runningAtKill.every((name) => resumed.has(name))
    )
      problems.push(
        `${second.resumed.length} executions resumed, ${runningAtKill.length} were running at the kill`,
      );

    const outcomes: Record<string, number> = {
      'running at kill': runningAtKill.length,
      'waiting for a decision at kill': waitingAtKill.length,
      'resumed executions': second.resumed.length,
    };
    for (const { id, point } of points) {
      const now = await retrying(() => after.getSubmission(id)).catch(() => undefined);
      if (now === undefined) problems.push(`${point}: ${id} is lost`);
      else if (point !== 'just submitted' && now.status !== statusesBefore.get(id)) {
        problems.push(
          `${point}: ${id} was ${statusesBefore.get(id)} before the kill and is ${now.status} after`,
        );
      }
      if (point === 'draft') await retrying(() => after.submit(id));
    }
    // Every link mailed before the kill still works; the rest are approved as they come.
    for (const { id, point } of points) {
      const result = await approveAllSteps(after, id, {
        until: ['PUBLISHED', 'RETURNED', 'FAILED', 'REGISTERED'],
        seen,
        timeoutMs: 90_000,
      }).catch((error: unknown) => ({
        status: `stuck (${error instanceof Error ? error.message : String(error)})`,
        approvals: 0,
      }));
      const final = await waitForStatus(after, id, ['PUBLISHED', 'RETURNED', 'FAILED', 'REGISTERED'], 30_000);
      if (final?.status !== 'PUBLISHED')
        problems.push(`${point}: ${id} ended ${final?.status ?? result.status}`);
      else outcomes[`${point} → published`] = (outcomes[`${point} → published`] ?? 0) + 1;
    }
    const catalog = await after.catalog();
    const indexNumbers = new Set(catalog.map((entry) => entry.indexNumber));
    if (catalog.length !== points.length || indexNumbers.size !== points.length) {
      problems.push(
        `${points.length} submissions, ${catalog.length} catalog entries, ${indexNumbers.size} 索引号`,
      );
    }
    outcomes['catalog entries'] = catalog.length;

    // No request was mailed again after the restart: one mail per review step and attempt, two steps each.
    const tableClient = new DynamoDBClient({
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
      endpoint: second.urls.dynamodb,
    });
    const tables = (await tableClient.send(new ListTablesCommand({}))).TableNames ?? [];
    if (tables.length !== 1) problems.push(`the local DynamoDB holds ${tables.length} tables, not 1`);
    const [tableName = ''] = tables;
    const ledger = await reviewLedger({
      outboxDirectory: second.outboxDirectory,
      apiUrl: second.urls.api,
      dynamo: createDocumentClient({
        region: LOCAL_REGION,
        credentials: LOCAL_CREDENTIALS,
        endpoints: { dynamodb: second.urls.dynamodb },
      }),
      tableName,
    });
    tableClient.destroy();
    for (const [request, mails] of ledger.mailsPerAttempt)
      if (mails !== 1) problems.push(`${request}: mailed ${mails} times`);
    if (ledger.unknownLinks.length > 0)
      problems.push(`${ledger.unknownLinks.length} mailed links are not stored`);
    if (ledger.approvalMails !== 2 * points.length || ledger.mailsPerAttempt.size !== 2 * points.length)
      problems.push(
        `${ledger.approvalMails} approval mails for ${ledger.mailsPerAttempt.size} requests, ${2 * points.length} expected`,
      );
    for (const step of ledger.steps) {
      const key = stepKey(step.submissionId, step.revision, step.stepId);
      if ((ledger.requested.get(key) ?? 0) !== 1)
        problems.push(`${key}: ${ledger.requested.get(key) ?? 0} requests audited`);
    }
    outcomes['approval mails'] = ledger.approvalMails;
    return {
      part: 'pending work survives SIGKILL',
      attempts: points.length,
      outcomes,
      ms: Date.now() - started,
      problems,
    };
  } finally {
    if (first !== undefined) await kill(first.child, 'SIGKILL');
    if (second !== undefined) await kill(second.child, 'SIGTERM');
    await rm(dataDir, { recursive: true, force: true });
  }
}

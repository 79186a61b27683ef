import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { format } from 'node:util';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { approveAllSteps, demoMetadata } from '../../bin/commands/demo.js';
import {
  createAndSubmit,
  drafter,
  emulatorClients,
  outboxLinks,
  type PartReport,
  secretOf,
  startSystem,
  waitForStatus,
} from './support.js';

/**
 * Canary: submissions carrying planted personal data (resident ID, mobile, bank card, a private
 * name — in the documents and in a rejection comment) run through review, publication and refused
 * link attempts with every log line captured (the handlers' Powertools output on stdout, stderr,
 * console, the local runtime's own lines). Then the logs, the local Step Functions' event logs and
 * execution records, and the audit log are searched for every planted value, every link secret
 * and every task token: the count must be zero.
 */

/** Captures everything written to stdout, stderr and the console until `restore()`. */
export function captureOutput(echo = false) {
  const lines: string[] = [];
  const stdout = process.stdout.write.bind(process.stdout);
  const stderr = process.stderr.write.bind(process.stderr);
  const methods = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;
  const originals = methods.map((method) => console[method]);
  const writer =
    (original: typeof stdout) =>
    (chunk: unknown, ...rest: unknown[]): boolean => {
      lines.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
      return echo ? (original as (...args: unknown[]) => boolean)(chunk, ...rest) : true;
    };
  process.stdout.write = writer(stdout) as typeof process.stdout.write;
  process.stderr.write = writer(stderr) as typeof process.stderr.write;
  for (const method of methods) {
    console[method] = (...args: unknown[]) => {
      lines.push(format(...args));
    };
  }
  return {
    lines,
    restore: () => {
      process.stdout.write = stdout as typeof process.stdout.write;
      process.stderr.write = stderr as typeof process.stderr.write;
      methods.forEach((method, index) => {
        console[method] = originals[index]!;
      });
    },
  };
}

/** Runs the canary with `submissions` approved submissions (plus one rejected). */
export async function runCanary(options: { submissions: number }): Promise<PartReport> {
  const started = Date.now();
  const problems: string[] = [];
  const capture = captureOutput();
  const runtimeLines: string[] = [];
  let system: Awaited<ReturnType<typeof startSystem>> | undefined;
  const haystacks: { source: string; text: string }[] = [];
  const needles: { kind: string; value: string }[] = [];
  const dataDir = await mkdtemp(path.join(tmpdir(), 'gongkai-canary-'));
  try {
    system = await startSystem({ dataDir, logLevel: 'DEBUG', log: (line) => runtimeLines.push(line) });
    const { client, documents, planted } = await drafter(system);
    const seen = new Set<string>();
    const ids: string[] = [];
    for (let index = 0; index < options.submissions; index += 1) {
      const id = await createAndSubmit(client, documents);
      ids.push(id);
      const { status } = await approveAllSteps(client, id, {
        until: ['PUBLISHED', 'RETURNED', 'FAILED', 'REGISTERED'],
        seen,
        timeoutMs: 60_000,
      });
      if (status !== 'PUBLISHED') problems.push(`submission ${id} ended ${status}, not PUBLISHED`);
    }

    // A rejection whose comment carries personal data: stored for the drafter, never logged.
    const rejected = await createAndSubmit(client, documents, demoMetadata());
    const [link] = await client.waitForNewApprovalLinks(seen, 60_000);
    seen.add(link ?? '');
    await client.decide(
      link ?? '',
      'reject',
      `联系人${planted.privateName}，电话${planted.mobile}，请核对。`,
    );
    const returned = await waitForStatus(client, rejected, ['RETURNED', 'FAILED']);
    if (returned?.status !== 'RETURNED') problems.push(`the rejected submission ended ${returned?.status}`);

    // Refused attempts log too: an altered secret, a reused link, a POST without the form.
    for (const entry of (await outboxLinks(system)).slice(0, 2)) {
      const secret = secretOf(entry.link);
      const altered = entry.link.replace(secret, `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`);
      await fetch(altered);
      await fetch(entry.link, { method: 'POST', body: 'decision=approve' });
      await client.decide(entry.link, 'approve').catch(() => undefined);
    }

    // Needles: the planted values, every link secret, every task token.
    for (const [kind, value] of Object.entries(planted)) needles.push({ kind, value });
    for (const entry of await outboxLinks(system))
      needles.push({ kind: 'link secret', value: secretOf(entry.link) });
    for (const execution of system.stepFunctions.executions()) {
      for (const callback of Object.values(execution.callbacks)) {
        needles.push({ kind: 'task token', value: callback.token });
      }
    }
    const { dynamo } = emulatorClients(system);
    const scan = await dynamo.send(new ScanCommand({ TableName: system.resources.TABLE_NAME }));
    const audit = (scan.Items ?? []).filter((item) => String(item.sk).startsWith('AUDIT#'));
    await system.stop();
    capture.restore();

    // Haystacks: logs, the execution history (event logs and records, less the token journal that
    // stands in for the service's own task registry) and the audit log.
    haystacks.push(...capture.lines.map((text) => ({ source: 'log line', text })));
    haystacks.push(...runtimeLines.map((text) => ({ source: 'log line', text })));
    haystacks.push(...audit.map((item) => ({ source: 'audit event', text: JSON.stringify(item) })));
    const executions = path.join(system.dataDir, 'executions');
    for (const file of await readdir(executions)) {
      const text = await readFile(path.join(executions, file), 'utf8');
      if (file.endsWith('.events.jsonl')) {
        haystacks.push(...text.split('\n').map((line) => ({ source: 'execution event', text: line })));
      } else if (file.endsWith('.json')) {
        const { callbacks: _journal, ...record } = JSON.parse(text) as Record<string, unknown>;
        haystacks.push({ source: 'execution record', text: JSON.stringify(record) });
      }
    }
    if (!haystacks.some((entry) => entry.source === 'log line' && /"submissionId"/.test(entry.text))) {
      problems.push('no handler log line was captured: the canary searched nothing');
    }
    if (needles.filter((needle) => needle.kind === 'task token').length === 0) problems.push('no task token');
    if (needles.filter((needle) => needle.kind === 'link secret').length === 0)
      problems.push('no link secret');
    for (const needle of needles) {
      for (const haystack of haystacks) {
        if (haystack.text.includes(needle.value))
          problems.push(`${needle.kind} found in a ${haystack.source}`);
      }
    }
    const bySource: Record<string, number> = {};
    for (const haystack of haystacks)
      bySource[`${haystack.source}s`] = (bySource[`${haystack.source}s`] ?? 0) + 1;
    return {
      part: 'canary',
      attempts: needles.length,
      outcomes: {
        ...bySource,
        occurrences: problems.filter((problem) => problem.includes(' found in ')).length,
      },
      ms: Date.now() - started,
      problems,
    };
  } finally {
    capture.restore();
    await system?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runCanary } from './canary.js';
import { runFaultInjection } from './fault-injection.js';
import { runHostileInput } from './hostile-input.js';
import { runIdempotency } from './idempotency.js';
import { runLinkAttacks } from './link-attacks.js';
import { runPendingWork } from './pending-work.js';
import { runPublicationGate } from './publication-gate.js';
import { formatTable, type PartReport } from './support.js';

/**
 * `npm run test:resilience`: every resilience part at full size, each in its own process (the
 * handlers' SDK clients are made once per process, as in a Lambda container, and the fault
 * injector is read once), then one table of the figures. Exit status 1 when any check failed.
 *
 * `tsx test/resilience/run.ts [part ...]` runs only the named parts.
 */

const PARTS: Record<string, () => Promise<PartReport>> = {
  idempotency: () => runIdempotency({ submissions: 3 }),
  'fault-injection': () => runFaultInjection({ submissions: 100, rate: 0.2, timeoutMs: 600_000 }),
  'hostile-input': () => runHostileInput(),
  'link-attacks': () => runLinkAttacks({ rounds: 5 }),
  'publication-gate': () => runPublicationGate({ perKind: 5 }),
  'pending-work': () => runPendingWork({ perStep: 3 }),
  canary: () => runCanary({ submissions: 5 }),
};

const REPORT_PREFIX = 'RESILIENCE_REPORT ';

function runChild(part: string): Promise<PartReport> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [...process.execArgv, fileURLToPath(import.meta.url), '--child', part],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('close', (code) => {
      const line = stdout.split('\n').find((candidate) => candidate.startsWith(REPORT_PREFIX));
      if (line !== undefined) return resolve(JSON.parse(line.slice(REPORT_PREFIX.length)) as PartReport);
      resolve({
        part,
        attempts: 0,
        outcomes: {},
        ms: Date.now() - started,
        problems: [`the part's process exited ${code} without a report: ${(stderr || stdout).slice(-2000)}`],
      });
    });
  });
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args[0] === '--child') {
    const part = PARTS[args[1] ?? ''];
    if (part === undefined) throw new Error(`No resilience part named ${args[1]}.`);
    const report = await part();
    process.stdout.write(`${REPORT_PREFIX}${JSON.stringify(report)}\n`);
    return 0;
  }
  const names = args.length > 0 ? args : Object.keys(PARTS);
  for (const name of names) if (!(name in PARTS)) throw new Error(`No resilience part named ${name}.`);
  const reports: PartReport[] = [];
  for (const name of names) {
    process.stdout.write(`running ${name} …\n`);
    const report = await runChild(name);
    reports.push(report);
    process.stdout.write(
      `  ${name}: ${report.problems.length === 0 ? 'pass' : 'FAIL'} in ${(report.ms / 1000).toFixed(1)} s\n`,
    );
  }
  process.stdout.write(`\n${formatTable(reports)}\n`);
  const failed = reports.filter((report) => report.problems.length > 0);
  for (const report of failed) {
    process.stdout.write(
      `\n${report.part}:\n${report.problems.map((problem) => `  - ${problem}`).join('\n')}\n`,
    );
  }
  return failed.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);

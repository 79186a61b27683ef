import path from 'node:path';
import {
  DEFAULT_RETRY_POLICY,
  FetchPortalClient,
  FileMirrorStore,
  formatBytes,
  formatSummary,
  type PullSummary,
  progressReporter,
  pullMirror,
} from '../../shared/pull/index.js';
import { CliUsageError } from './errors.js';

/** Parsed arguments of `gongkai pull`. */
export interface PullArguments {
  from: string;
  out: string;
  concurrency: number;
  timeoutMs: number;
  attempts: number;
  quiet: boolean;
}

const USAGE =
  'usage: gongkai pull --from BASE_URL --out DIR [--concurrency 8] [--timeout 30] [--attempts 5] [--quiet]';

/** Reads `--from`, `--out` and the tuning flags. @throws CliUsageError */
export function parsePullArguments(args: readonly string[]): PullArguments {
  const values: Record<string, string> = {};
  let quiet = false;
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index]!;
    const [flag, inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg, undefined];
    if (flag === '--quiet') {
      quiet = true;
      continue;
    }
    if (!['--from', '--out', '--concurrency', '--timeout', '--attempts'].includes(flag)) {
      throw new CliUsageError(`unknown argument "${arg}"; ${USAGE}`);
    }
    const value = inline ?? args[++index];
    if (value === undefined) throw new CliUsageError(`${flag} needs a value; ${USAGE}`);
    values[flag] = value;
  }
  const from = values['--from'];
  const out = values['--out'];
  if (from === undefined || out === undefined) throw new CliUsageError(USAGE);
  let url: URL;
  try {
    url = new URL(from);
  } catch {
    throw new CliUsageError(
      `--from must be a URL (the portal API's base, e.g. https://portal.example.gov.cn/), got "${from}"`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new CliUsageError('--from must be an http(s) URL');
  if (url.username !== '' || url.password !== '')
    throw new CliUsageError('--from must not carry credentials');
  const integer = (flag: string, fallback: number, min: number, max: number) => {
    const raw = values[flag];
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new CliUsageError(`${flag} must be an integer from ${min} to ${max}, got "${raw}"`);
    }
    return value;
  };
  return {
    from: url.href,
    out: path.resolve(out),
    concurrency: integer('--concurrency', 8, 1, 64),
    timeoutMs: integer('--timeout', 30, 1, 600) * 1000,
    attempts: integer('--attempts', DEFAULT_RETRY_POLICY.attempts, 1, 20),
    quiet,
  };
}

/**
 * `gongkai pull --from <base URL> --out <dir>`: mirrors every published bundle, then on later runs
 * only the changes since the last one. Exit 0 when the mirror is up to date, 1 when something
 * could not be mirrored (reported; nothing already mirrored is touched), 2 on a usage mistake.
 */
export async function pullCommand(
  args: readonly string[],
  io: {
    stdout?: NodeJS.WriteStream | { write(text: string): boolean; isTTY?: boolean; columns?: number };
    stderr?: { write(text: string): boolean };
  } = {},
): Promise<number> {
  const options = parsePullArguments(args);
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const client = new FetchPortalClient({ baseUrl: options.from, timeoutMs: options.timeoutMs });
  const progress = options.quiet
    ? { finish: () => undefined }
    : progressReporter({
        write: (text) => stdout.write(text),
        isTTY: stdout.isTTY === true,
        ...(stdout.columns === undefined ? {} : { columns: stdout.columns }),
      });
  let summary: PullSummary;
  try {
    summary = await pullMirror({
      client,
      store: new FileMirrorStore(options.out),
      source: options.from,
      concurrency: options.concurrency,
      retry: { ...DEFAULT_RETRY_POLICY, attempts: options.attempts },
      progress,
      stats: () => client.stats,
    });
  } catch (error) {
    progress.finish();
    const reason = error instanceof Error ? error.message : String(error);
    stderr.write(
      `gongkai pull: ${reason}\nnothing already mirrored was changed; ${client.stats.requests} requests, ${formatBytes(client.stats.bytes)}\n`,
    );
    return 1;
  }
  progress.finish();
  stdout.write(`${formatSummary(summary)}\n`);
  for (const failure of summary.failures) {
    stderr.write(`gongkai pull: bundle ${failure.bundleId} not mirrored: ${failure.reason}\n`);
  }
  if (summary.failures.length > 0) {
    stderr.write('gongkai pull: the mirror stops before it; run the pull again to retry.\n');
    return 1;
  }
  return 0;
}

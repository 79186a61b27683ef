import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { LocalSystem, LocalSystemOptions } from '../../infra/local/system.js';
import { CliUsageError } from './errors.js';

/**
 * `gongkai start`: the whole system on this machine (see `infra/local/system.ts`), until Ctrl-C.
 *
 * The CLI is an esbuild bundle in `dist/`, but the CDK app finds the handlers relative to its own
 * source files, so local mode is loaded from the TypeScript sources through tsx, not bundled.
 */

/** The repository root: the nearest folder up from this file with gongkai's package.json. */
export function projectRoot(): string {
  let folder = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = path.join(folder, 'package.json');
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'gongkai'
    ) {
      return folder;
    }
    const parent = path.dirname(folder);
    if (parent === folder)
      throw new Error('Cannot find the gongkai repository (package.json) above the CLI.');
    folder = parent;
  }
}

/** Loads `infra/local/system.ts` from the sources. */
export async function loadLocalSystem(): Promise<typeof import('../../infra/local/system.js')> {
  const { tsImport } = await import('tsx/esm/api');
  const entry = pathToFileURL(path.join(projectRoot(), 'infra', 'local', 'system.ts')).href;
  return (await tsImport(entry, import.meta.url)) as typeof import('../../infra/local/system.js');
}

/** Parsed `--port`, `--data-dir` and `--quiet` (the port also from `GONGKAI_PORT`). */
export function parseStartArguments(args: readonly string[]): {
  port: number;
  dataDir: string;
  quiet: boolean;
  rest: string[];
} {
  let port =
    process.env.GONGKAI_PORT === undefined || process.env.GONGKAI_PORT === ''
      ? undefined
      : process.env.GONGKAI_PORT;
  let dataDir: string | undefined;
  let quiet = false;
  const rest: string[] = [];
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index]!;
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=')
        ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
        : [arg, undefined];
    const value = () => {
      const next = inline ?? args[++index];
      if (next === undefined) throw new CliUsageError(`${flag} needs a value`);
      return next;
    };
    if (flag === '--port') port = value();
    else if (flag === '--data-dir') dataDir = value();
    else if (flag === '--quiet') quiet = true;
    else rest.push(arg);
  }
  const parsedPort = port === undefined ? 8787 : Number(port);
  if (!Number.isInteger(parsedPort) || parsedPort < 0 || parsedPort > 65532) {
    throw new CliUsageError(`--port must be a port number (0–65532), got "${port}"`);
  }
  return { port: parsedPort, dataDir: dataDir ?? path.join(projectRoot(), '.gongkai'), quiet, rest };
}

function printUrls(system: LocalSystem): void {
  const lines = [
    'gongkai is running on this machine (Ctrl-C stops it):',
    `  API                 ${system.urls.api}`,
    `  sign in (drafters)  ${system.urls.signIn}`,
    `  outbox (mail)       ${system.urls.outbox}`,
    `  portal catalog      ${system.urls.catalog}`,
    `  JWKS                ${system.urls.jwks}`,
    `  S3 (presigned PUTs) ${system.urls.s3}`,
    `  DynamoDB            ${system.urls.dynamodb}`,
    `  Step Functions/SES  ${system.urls.aws}`,
    `  data                ${system.dataDir}`,
  ];
  if (system.resumed.length > 0) lines.push(`  resumed executions  ${system.resumed.join(', ')}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** Starts the system, prints its URLs, and stops it cleanly on SIGINT/SIGTERM (exit 0). */
export async function startCommand(args: string[]): Promise<number> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const { port, dataDir, quiet, rest } = parseStartArguments(args);
  if (rest.length > 0)
    throw new CliUsageError(
      `unknown argument "${rest[0]}"; usage: gongkai start [--port 8787] [--data-dir DIR]`,
    );
  const { startLocalSystem } = await loadLocalSystem();
  const options: LocalSystemOptions = {
    dataDir,
    port,
    ...(quiet ? { logLevel: 'WARN' } : { log: (line: string) => process.stdout.write(`[local] ${line}\n`) }),
  };
  const system = await startLocalSystem(options);
  printUrls(system);
  await new Promise<void>((resolve) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) {
        process.stderr.write(`\n${signal} again: exiting without waiting.\n`);
        process.exit(130);
      }
      stopping = true;
      process.stdout.write(`\n${signal}: stopping (running executions resume at the next start)…\n`);
      system.stop().then(
        () => {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
          resolve();
        },
        (error: unknown) => {
          process.stderr.write(
            `stopping failed: ${error instanceof Error ? error.message : String(error)}\n`,
          );
          resolve();
        },
      );
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  process.stdout.write('stopped.\n');
  // Sockets the SDK keeps alive must not hold the process open once everything is closed.
  setTimeout(() => process.exit(process.exitCode ?? 0), 2000).unref();
  return 0;
}

/**
 * The `gongkai` command line. Compiled by esbuild into dist/cli.mjs (see package.json `build:cli`)
 * so that a start costs no TypeScript loader; heavy modules are imported only by the command
 * that needs them, which keeps `gongkai --version` fast.
 */
import { readFile } from 'node:fs/promises';
import { CliUsageError } from './commands/errors.js';

const USAGE = `gongkai — release policy documents together with their interpretation material

Usage:
  gongkai deid FILE [--format text|html] [--report REPORT.json] [--exemption 惩戒公示|强制性信息披露]
  gongkai deid --out DIR FILE... [--report REPORT.json] [--exemption ...]
  gongkai check-pair POLICY INTERPRETATION [--json]
  gongkai start [--port 8787]          run the whole system on this machine
  gongkai demo [--data-dir DIR]        one submission from upload to publication, checked
  gongkai pull --from URL --out DIR    mirror the published bundles (later runs: only the changes)
  gongkai --version | --help

FILE may be DOCX, TXT (UTF-8 or GB18030), Markdown or HTML.`;

async function packageVersion(): Promise<string> {
  const manifest = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case '--version':
    case '-v':
      process.stdout.write(`${await packageVersion()}\n`);
      return 0;
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      process.stdout.write(`${USAGE}\n`);
      return command === undefined ? 2 : 0;
    case 'deid': {
      const { deidCommand } = await import('./commands/deid.js');
      return deidCommand(rest);
    }
    case 'check-pair': {
      const { checkPairCommand } = await import('./commands/check-pair.js');
      return checkPairCommand(rest);
    }
    case 'start': {
      const { startCommand } = await import('./commands/start.js');
      return startCommand(rest);
    }
    case 'pull': {
      const { pullCommand } = await import('./commands/pull.js');
      return pullCommand(rest);
    }
    case 'demo': {
      const { demoCommand } = await import('./commands/demo.js');
      return demoCommand(rest);
    }
    default:
      throw new CliUsageError(`unknown command "${command}"; run \`gongkai --help\``);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`gongkai: ${message}\n`);
    process.exitCode = error instanceof CliUsageError ? 2 : 1;
  },
);

#!/usr/bin/env node
// Runs the compiled CLI (built by `npm ci` through the `prepare` script), so a start costs no TypeScript loader.
import { existsSync } from 'node:fs';

const compiled = new URL('../dist/cli.mjs', import.meta.url);
if (!existsSync(compiled)) {
  process.stderr.write('gongkai: dist/cli.mjs is missing; run `npm run build:cli` (npm ci does this).\n');
  process.exit(1);
}
await import(compiled.href);

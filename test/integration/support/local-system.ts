import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type LocalSystem, type LocalSystemOptions, startLocalSystem } from '../../../infra/local/system.js';

/** Starting a system synthesizes the CDK app: allow for a loaded CI machine. */
export const START_TIMEOUT_MS = 120_000;

/** A fresh temporary data folder. */
export function temporaryDataDir(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), 'gongkai-it-'));
}

/** Removes a temporary data folder. */
export function removeDataDir(dataDir: string): Promise<void> {
  return rm(dataDir, { recursive: true, force: true });
}

/** The local system on free loopback ports, quiet, in `dataDir` (a fresh temporary folder by default). */
export async function startTestSystem(options: Partial<LocalSystemOptions> = {}): Promise<LocalSystem> {
  return startLocalSystem({
    dataDir: options.dataDir ?? (await temporaryDataDir()),
    port: 0,
    logLevel: 'ERROR',
    ...options,
  });
}

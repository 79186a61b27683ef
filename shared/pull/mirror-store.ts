import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { MirrorStateError } from './errors.js';
import { safeBundleId, safeFileName } from './names.js';

/** `<out>/.gongkai-pull/state.json`: where the next pull continues. */
export interface MirrorState {
  formatVersion: '1.0';
  /** Base URL the mirror is pulled from: a mirror follows one source only. */
  source: string;
  /** Sequence of the last change event applied; the next pull asks for the changes after it. */
  cursor: number;
}

/** `<out>/bundles/<id>/status.json`: the bundle's current 效力状态 (the bundle itself never changes). */
export interface BundleStatus {
  formatVersion: '1.0';
  bundleId: string;
  /** 效力状态 after the last event: VALID 有效 / EXPIRED 失效 / REPEALED 废止. */
  validity: { status: 'VALID' | 'EXPIRED' | 'REPEALED'; label: string };
  /** Type of the last change event (`PUBLISHED`, `WITHDRAWN`, `SUPERSEDED`, `CORRECTED`). */
  lastEvent: string;
  /** Sequence of the last change event. */
  sequence: number;
  at: string;
  /** Why it was withdrawn or superseded, as published. */
  explanation?: string;
  /** The bundle that replaces this one. */
  supersededBy?: string;
}

/** One line of `<out>/catalog.json`. */
export interface MirrorCatalogRecord {
  bundleId: string;
  indexNumber: string;
  title: string;
  issuingBody: string;
  documentNumber?: string;
  publishedAt: string;
  validity: BundleStatus['validity'];
  lastEvent: string;
  sequence: number;
  explanation?: string;
  supersededBy?: string;
  /** Folder of the bundle, relative to the mirror root. */
  path: string;
}

/** A bundle being written under its temporary name. */
export interface BundleWriter {
  readonly bundleId: string;
  /** Bytes of `name` left by an interrupted run in this temporary folder (to be verified before use). */
  leftover(name: string): Promise<Uint8Array | undefined>;
  write(name: string, body: Uint8Array | string): Promise<void>;
  /** Renames the folder into `bundles/<id>/`: from now on the bundle is visible, whole. */
  commit(): Promise<void>;
}

/**
 * Where a mirror lives. Only complete, verified bundles are ever visible under `bundles/`; every
 * other write goes to a temporary name first and is renamed into place.
 */
export interface MirrorStore {
  /** Takes the mirror (one pull at a time) and finds what an interrupted run left. */
  open(): Promise<void>;
  /** Removes temporary folders no bundle claimed (when the run completed) and releases the mirror. */
  close(options: { completed: boolean }): Promise<void>;
  readState(): Promise<MirrorState | undefined>;
  writeState(state: MirrorState): Promise<void>;
  hasBundle(bundleId: string): Promise<boolean>;
  /** The record of a bundle in place, from its own `manifest.json` and `status.json`. */
  readRecord(bundleId: string): Promise<MirrorCatalogRecord | undefined>;
  readCatalog(): Promise<MirrorCatalogRecord[]>;
  writeCatalog(records: readonly MirrorCatalogRecord[], cursor: number, source: string): Promise<void>;
  beginBundle(bundleId: string): Promise<BundleWriter>;
  writeStatus(status: BundleStatus): Promise<void>;
}

/** The folder the mirror keeps its own files in. */
export const PULL_FOLDER = '.gongkai-pull';

function isErrno(error: unknown, ...codes: string[]): boolean {
  return error instanceof Error && codes.includes((error as NodeJS.ErrnoException).code ?? '');
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

async function writeDurably(file: string, body: Uint8Array | string, durable: boolean): Promise<void> {
  const handle = await open(file, 'w', 0o644);
  try {
    await handle.writeFile(body);
    if (durable) await handle.sync();
  } finally {
    await handle.close();
  }
}

/** The mirror's own file names inside a bundle folder, or a checked server name. */
function ownOrSafe(name: string): string {
  return name === 'manifest.json' || name === 'status.json' ? name : safeFileName(name);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return isErrno(error, 'EPERM');
  }
}

/**
 * {@link MirrorStore} in a folder:
 *
 * ```
 * <out>/catalog.json                   index of every bundle and its 效力状态 (rewritten atomically)
 * <out>/bundles/<id>/manifest.json     as served, verified
 * <out>/bundles/<id>/<file>            every file of the manifest, verified (size and SHA-256)
 * <out>/bundles/<id>/status.json       current 效力状态, explanation, supersededBy, sequence
 * <out>/.gongkai-pull/state.json       source and cursor
 * <out>/.gongkai-pull/tmp/             bundles being written (`<id>-<random>/`), other temporary files
 * <out>/.gongkai-pull/lock             pid of the pull running now
 * ```
 */
export class FileMirrorStore implements MirrorStore {
  private readonly pullDir: string;
  private readonly tmpDir: string;
  private readonly bundlesDir: string;
  private readonly durable: boolean;
  /** Temporary bundle folders an earlier run left, by bundle id. */
  private readonly leftovers = new Map<string, string>();
  private locked = false;

  constructor(
    readonly root: string,
    options: { durable?: boolean } = {},
  ) {
    this.pullDir = path.join(root, PULL_FOLDER);
    this.tmpDir = path.join(this.pullDir, 'tmp');
    this.bundlesDir = path.join(root, 'bundles');
    // fsync before every rename, so a power cut cannot leave a renamed file without its bytes.
    this.durable = options.durable ?? true;
  }

  async open(): Promise<void> {
    await mkdir(this.tmpDir, { recursive: true });
    await mkdir(this.bundlesDir, { recursive: true });
    await this.lock();
    for (const entry of await readdir(this.tmpDir, { withFileTypes: true })) {
      const match = /^([0-7][0-9A-HJKMNP-TV-Z]{25})-[0-9a-f]{16}$/.exec(entry.name);
      const full = path.join(this.tmpDir, entry.name);
      if (entry.isDirectory() && match !== null && !this.leftovers.has(match[1]!)) {
        this.leftovers.set(match[1]!, full);
      } else {
        await rm(full, { recursive: true, force: true });
      }
    }
  }

  private get lockFile(): string {
    return path.join(this.pullDir, 'lock');
  }

  private async lock(): Promise<void> {
    for (let attempt = 0; attempt < 2; attempt += 1) {
      try {
        const handle = await open(this.lockFile, 'wx');
        await handle.writeFile(String(process.pid));
        await handle.close();
        this.locked = true;
        return;
      } catch (error) {
        if (!isErrno(error, 'EEXIST')) throw error;
        const holder = Number((await readFile(this.lockFile, 'utf8').catch(() => '')).trim());
        if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) {
          throw new MirrorStateError(
            `Another gongkai pull (pid ${holder}) is writing to ${this.root}; wait for it to finish.`,
          );
        }
        // Its holder died (killed or crashed): a pull leaves nothing half-done, so take it over.
        await rm(this.lockFile, { force: true });
      }
    }
    throw new MirrorStateError(`Cannot lock ${this.root}; remove ${this.lockFile} if no pull is running.`);
  }

  async close(options: { completed: boolean }): Promise<void> {
    if (options.completed) {
      for (const folder of this.leftovers.values()) await rm(folder, { recursive: true, force: true });
      this.leftovers.clear();
    }
    if (this.locked) await rm(this.lockFile, { force: true });
    this.locked = false;
  }

  private async replaceFile(target: string, body: string): Promise<void> {
    const temporary = path.join(
      this.tmpDir,
      `${path.basename(target)}-${randomBytes(8).toString('hex')}.part`,
    );
    await writeDurably(temporary, body, this.durable);
    await rename(temporary, target);
  }

  async readState(): Promise<MirrorState | undefined> {
    let text: string;
    try {
      text = await readFile(path.join(this.pullDir, 'state.json'), 'utf8');
    } catch (error) {
      if (isErrno(error, 'ENOENT')) return undefined;
      throw error;
    }
    const state = JSON.parse(text) as Partial<MirrorState>;
    if (
      typeof state.cursor !== 'number' ||
      !Number.isInteger(state.cursor) ||
      typeof state.source !== 'string'
    ) {
      throw new MirrorStateError(
        `${path.join(this.pullDir, 'state.json')} is damaged; delete it to pull everything again.`,
      );
    }
    return { formatVersion: '1.0', source: state.source, cursor: state.cursor };
  }

  writeState(state: MirrorState): Promise<void> {
    return this.replaceFile(path.join(this.pullDir, 'state.json'), json(state));
  }

  async hasBundle(bundleId: string): Promise<boolean> {
    try {
      await stat(path.join(this.bundlesDir, safeBundleId(bundleId), 'manifest.json'));
      return true;
    } catch (error) {
      if (isErrno(error, 'ENOENT', 'ENOTDIR')) return false;
      throw error;
    }
  }

  async readRecord(bundleId: string): Promise<MirrorCatalogRecord | undefined> {
    const folder = path.join(this.bundlesDir, safeBundleId(bundleId));
    try {
      const manifest = JSON.parse(await readFile(path.join(folder, 'manifest.json'), 'utf8')) as Record<
        string,
        string
      >;
      const status = JSON.parse(await readFile(path.join(folder, 'status.json'), 'utf8')) as BundleStatus;
      return recordOf(manifest, status);
    } catch (error) {
      if (isErrno(error, 'ENOENT')) return undefined;
      throw error;
    }
  }

  async readCatalog(): Promise<MirrorCatalogRecord[]> {
    try {
      const catalog = JSON.parse(await readFile(path.join(this.root, 'catalog.json'), 'utf8')) as {
        bundles?: MirrorCatalogRecord[];
      };
      return Array.isArray(catalog.bundles) ? catalog.bundles : [];
    } catch (error) {
      if (isErrno(error, 'ENOENT')) return [];
      throw error;
    }
  }

  writeCatalog(records: readonly MirrorCatalogRecord[], cursor: number, source: string): Promise<void> {
    const bundles = [...records].sort(
      (a, b) => a.publishedAt.localeCompare(b.publishedAt) || a.bundleId.localeCompare(b.bundleId),
    );
    return this.replaceFile(
      path.join(this.root, 'catalog.json'),
      json({ formatVersion: '1.0', source, cursor, count: bundles.length, bundles }),
    );
  }

  async beginBundle(bundleId: string): Promise<BundleWriter> {
    const id = safeBundleId(bundleId);
    let folder = this.leftovers.get(id);
    this.leftovers.delete(id);
    if (folder === undefined) {
      folder = path.join(this.tmpDir, `${id}-${randomBytes(8).toString('hex')}`);
      await mkdir(folder);
    }
    const temporary = folder;
    const target = path.join(this.bundlesDir, id);
    const durable = this.durable;
    return {
      bundleId: id,
      async leftover(name) {
        try {
          return new Uint8Array(await readFile(path.join(temporary, ownOrSafe(name))));
        } catch (error) {
          if (isErrno(error, 'ENOENT')) return undefined;
          throw error;
        }
      },
      async write(name, body) {
        await writeDurably(path.join(temporary, ownOrSafe(name)), body, durable);
      },
      async commit() {
        try {
          await rename(temporary, target);
        } catch (error) {
          // Already there (a bundle never changes): keep the one in place.
          if (!isErrno(error, 'ENOTEMPTY', 'EEXIST')) throw error;
          await rm(temporary, { recursive: true, force: true });
        }
      },
    };
  }

  writeStatus(status: BundleStatus): Promise<void> {
    return this.replaceFile(
      path.join(this.bundlesDir, safeBundleId(status.bundleId), 'status.json'),
      json(status),
    );
  }
}

/** The catalog record of a bundle, from its manifest and status. */
export function recordOf(
  manifest: {
    indexNumber?: string;
    title?: string;
    issuingBody?: string;
    documentNumber?: string;
    publishedAt?: string;
  },
  status: BundleStatus,
): MirrorCatalogRecord {
  return {
    bundleId: status.bundleId,
    indexNumber: manifest.indexNumber ?? '',
    title: manifest.title ?? '',
    issuingBody: manifest.issuingBody ?? '',
    ...(manifest.documentNumber === undefined ? {} : { documentNumber: manifest.documentNumber }),
    publishedAt: manifest.publishedAt ?? '',
    validity: status.validity,
    lastEvent: status.lastEvent,
    sequence: status.sequence,
    ...(status.explanation === undefined ? {} : { explanation: status.explanation }),
    ...(status.supersededBy === undefined ? {} : { supersededBy: status.supersededBy }),
    path: `bundles/${status.bundleId}/`,
  };
}

import type { PullProgress, PullSummary } from './sync.js';

/** Where progress goes: a terminal (one line redrawn) or a log (plain lines). */
export interface ProgressOutput {
  write(text: string): void;
  isTTY?: boolean;
  columns?: number;
}

/** `1.2 MB`, decimal units. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
}

/** The closing line: new, changed, withdrawn, superseded, bytes, requests, seconds. */
export function formatSummary(summary: PullSummary): string {
  return [
    `new ${summary.new}`,
    `changed ${summary.changed}`,
    `withdrawn ${summary.withdrawn}`,
    `superseded ${summary.superseded}`,
    `${formatBytes(summary.bytes)}`,
    `${summary.requests} requests`,
    `${summary.seconds.toFixed(1)} s`,
    `cursor ${summary.cursorBefore} → ${summary.cursorAfter}`,
  ].join(' · ');
}

function reason(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}

/**
 * Progress of a pull: on a terminal, a bar redrawn in place; otherwise one plain line per page,
 * per bundle and per retry, fit for a log.
 */
export function progressReporter(output: ProgressOutput): PullProgress & { finish(): void } {
  if (output.isTTY !== true) {
    return {
      page: ({ after, events, bundlesToFetch }) =>
        output.write(`changes after ${after}: ${events} events, ${bundlesToFetch} bundles to fetch\n`),
      bundle: ({ bundleId, done, total }) => output.write(`bundle ${bundleId} in place (${done}/${total})\n`),
      retry: ({ error, attempt }) => output.write(`retrying after attempt ${attempt}: ${reason(error)}\n`),
      finish: () => undefined,
    };
  }
  let fetched = 0;
  let wanted = 0;
  let retries = 0;
  let drawn = false;
  let lastDraw = 0;
  const draw = (force = false) => {
    const at = Date.now();
    if (!force && at - lastDraw < 100) return;
    lastDraw = at;
    const width = Math.max(10, Math.min(40, (output.columns ?? 80) - 50));
    const ratio = wanted === 0 ? 1 : fetched / wanted;
    const filled = Math.round(ratio * width);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
    const extra = retries === 0 ? '' : ` · ${retries} retries`;
    output.write(`\r\x1b[2K${bar} ${fetched}/${wanted} bundles${extra}`);
    drawn = true;
  };
  return {
    page: ({ bundlesToFetch }) => {
      wanted += bundlesToFetch;
      draw(true);
    },
    bundle: () => {
      fetched += 1;
      draw();
    },
    retry: () => {
      retries += 1;
      draw(true);
    },
    finish: () => {
      if (drawn) {
        draw(true);
        output.write('\n');
      }
    },
  };
}

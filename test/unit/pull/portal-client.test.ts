import { describe, expect, it } from 'vitest';
import {
  backoffDelay,
  formatSummary,
  PortalStatusError,
  progressReporter,
  safeBundleId,
  safeFileName,
  TransferIntegrityError,
  withRetries,
} from '../../../shared/pull/index.js';

describe('Function: backoffDelay', () => {
  it('grows exponentially with full jitter and stays under the cap', () => {
    const policy = { attempts: 10, baseDelayMs: 100, maxDelayMs: 1000, random: () => 0.999 };

    const delays = [1, 2, 3, 4, 5, 6].map((attempt) => backoffDelay(policy, attempt));

    expect(delays).toEqual([99, 199, 399, 799, 999, 999]);
    expect(backoffDelay({ ...policy, random: () => 0 }, 5)).toBe(0);
  });
});

describe('Function: withRetries', () => {
  it('stops after the bounded number of attempts and throws the last error', async () => {
    const slept: number[] = [];
    let calls = 0;

    await expect(
      withRetries(
        async () => {
          calls += 1;
          throw new PortalStatusError('http://x/', 503);
        },
        {
          attempts: 3,
          baseDelayMs: 10,
          maxDelayMs: 100,
          random: () => 0.5,
          sleep: async (ms) => void slept.push(ms),
        },
      ),
    ).rejects.toThrow(/HTTP 503/);

    expect(calls).toBe(3);
    expect(slept).toEqual([5, 10]);
  });

  it('does not retry a 4xx answer', async () => {
    let calls = 0;

    await expect(
      withRetries(
        async () => {
          calls += 1;
          throw new PortalStatusError('http://x/', 404);
        },
        { attempts: 5, baseDelayMs: 1, maxDelayMs: 1 },
      ),
    ).rejects.toThrow(/404/);

    expect(calls).toBe(1);
  });

  it('retries an integrity failure and returns the later success', async () => {
    let calls = 0;

    const value = await withRetries(
      async () => {
        calls += 1;
        if (calls < 3) throw new TransferIntegrityError('http://x/', 'short');
        return 'ok';
      },
      { attempts: 5, baseDelayMs: 1, maxDelayMs: 1 },
    );

    expect(value).toBe('ok');
  });
});

describe('Function: safeFileName and safeBundleId', () => {
  it('accepts the generated names', () => {
    for (const name of ['policy.html', 'policy.txt', 'interpretation-12.html', 'attachment-3.txt']) {
      expect(safeFileName(name)).toBe(name);
    }
    expect(safeBundleId('01HX0000000000000000000001')).toBe('01HX0000000000000000000001');
  });

  it('rejects traversal, separators, control, bidi and zero-width characters', () => {
    for (const name of [
      '../x.txt',
      'x/y.txt',
      'x\\y.txt',
      '..',
      'x..txt\u0007',
      '\u202Ex.txt',
      'x\u200D.txt',
      'x.txt ',
      'nul.txt',
      '',
    ]) {
      expect(() => safeFileName(name), JSON.stringify(name)).toThrow(/unsafe file name/);
    }
    for (const id of [
      '01HX000000000000000000000',
      '81HX0000000000000000000001',
      '01HX00000000000000000000I1',
      '../01HX0000000000000000000',
    ]) {
      expect(() => safeBundleId(id), id).toThrow(/unsafe bundle id/);
    }
  });
});

describe('Function: progressReporter', () => {
  it('writes plain lines when the output is not a terminal', () => {
    const lines: string[] = [];
    const progress = progressReporter({ write: (text) => void lines.push(text) });

    progress.page?.({ after: 0, events: 2, bundlesToFetch: 2 });
    progress.bundle?.({ bundleId: 'B1', done: 1, total: 2 });

    expect(lines).toEqual(['changes after 0: 2 events, 2 bundles to fetch\n', 'bundle B1 in place (1/2)\n']);
  });

  it('redraws one bar on a terminal', () => {
    const writes: string[] = [];
    const progress = progressReporter({ write: (text) => void writes.push(text), isTTY: true, columns: 80 });

    progress.page?.({ after: 0, events: 4, bundlesToFetch: 4 });
    progress.bundle?.({ bundleId: 'B1', done: 1, total: 4 });
    progress.finish();

    expect(writes.every((text) => text.startsWith('\r\x1b[2K') || text === '\n')).toBe(true);
    expect(writes.at(-2)).toContain('1/4 bundles');
  });
});

describe('Function: formatSummary', () => {
  it('names new, changed, withdrawn, bytes, requests and seconds', () => {
    const line = formatSummary({
      new: 5,
      changed: 0,
      withdrawn: 3,
      superseded: 2,
      events: 10,
      cursorBefore: 10000,
      cursorAfter: 10010,
      requests: 26,
      bytes: 12_345,
      seconds: 0.42,
      failures: [],
    });

    expect(line).toBe(
      'new 5 · changed 0 · withdrawn 3 · superseded 2 · 12.3 kB · 26 requests · 0.4 s · cursor 10000 → 10010',
    );
  });
});

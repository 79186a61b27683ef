import { describe, expect, it } from 'vitest';
import { runPendingWork } from './pending-work.js';
import { START_TIMEOUT_MS } from './support.js';

describe('Resilience: pending work', () => {
  it(
    'loses no submission, draft or waiting review when the system is killed with SIGKILL and started again',
    async () => {
      const report = await runPendingWork({ perStep: 1 });

      expect(report.problems).toEqual([]);
      expect(report.outcomes['catalog entries']).toBe(4);
    },
    3 * START_TIMEOUT_MS,
  );
});

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
      // Three were submitted before the kill (the draft was not): all three resume, and the two in
      // review were waiting for a decision (the one just submitted may have got there too).
      expect(report.outcomes['running at kill']).toBe(3);
      expect(report.outcomes['resumed executions']).toBe(3);
      expect(report.outcomes['waiting for a decision at kill']).toBeGreaterThanOrEqual(2);
      // Two review steps each, one mail per step: nothing was mailed again after the restart.
      expect(report.outcomes['approval mails']).toBe(8);
    },
    3 * START_TIMEOUT_MS,
  );
});

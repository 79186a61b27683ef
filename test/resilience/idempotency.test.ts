import { describe, expect, it } from 'vitest';
import { runIdempotency, TASK_FUNCTIONS } from './idempotency.js';
import { START_TIMEOUT_MS } from './support.js';

describe('Resilience: idempotency', () => {
  it(
    'starts one execution for repeated submits and leaves the stores and the outbox unchanged when any handler runs again',
    async () => {
      const report = await runIdempotency({ submissions: 1 });

      expect(report.problems).toEqual([]);
      // One execution per submission: the published pair and the returned, refused, expired,
      // quarantined and withdrawn ones.
      expect(report.outcomes.submissions).toBe(7);
      expect(report.outcomes.executions).toBe(report.outcomes.submissions);
      expect(report.outcomes.bundles).toBe(2);
      expect(report.outcomes.索引号).toBe(2);
      expect(report.outcomes.differences).toBe(0);
      for (const name of [...TASK_FUNCTIONS, 'submit', 'approval-page', 'withdraw']) {
        expect(report.outcomes[name], `re-runs of ${name}`).toBeGreaterThan(0);
      }
      expect(report.outcomes['objects compared']).toBeGreaterThan(0);
      expect(report.outcomes['items compared']).toBeGreaterThan(0);
      expect(report.outcomes['mails compared']).toBeGreaterThan(0);
    },
    START_TIMEOUT_MS + 180_000,
  );
});

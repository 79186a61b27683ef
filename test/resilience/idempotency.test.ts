import { describe, expect, it } from 'vitest';
import { runIdempotency } from './idempotency.js';
import { START_TIMEOUT_MS } from './support.js';

describe('Resilience: idempotency', () => {
  it(
    'starts one execution for repeated submits and leaves the stores unchanged when a task handler runs again',
    async () => {
      const report = await runIdempotency({ submissions: 1 });

      expect(report.problems).toEqual([]);
      expect(report.outcomes.executions).toBe(2);
      expect(report.outcomes.bundles).toBe(2);
      expect(report.outcomes['identical re-runs']).toBe(report.outcomes['re-runs']);
    },
    START_TIMEOUT_MS + 180_000,
  );
});

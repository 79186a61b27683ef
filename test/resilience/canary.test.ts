import { describe, expect, it } from 'vitest';
import { runCanary } from './canary.js';
import { START_TIMEOUT_MS } from './support.js';

describe('Resilience: canary', () => {
  it(
    'finds no planted personal data, link secret or task token in any log line, execution history or audit event',
    async () => {
      const report = await runCanary({ submissions: 1 });

      expect(report.problems).toEqual([]);
      expect(report.outcomes.occurrences).toBe(0);
      expect(report.outcomes['log lines']).toBeGreaterThan(10);
    },
    START_TIMEOUT_MS + 120_000,
  );
});

import { describe, expect, it } from 'vitest';
import { functionMemoryBudget, runHostileInput } from './hostile-input.js';
import { START_TIMEOUT_MS } from './support.js';

describe('Resilience: hostile input', () => {
  it('takes its memory budget from the CDK memory size of Validate and De-identify', () => {
    const budget = functionMemoryBudget();

    expect(Object.keys(budget.byFunction).sort()).toEqual(['deidentify', 'validate']);
    expect(budget.bytes).toBe(Math.min(...Object.values(budget.byFunction)) * 1024 * 1024);
    expect(budget.bytes).toBeGreaterThanOrEqual(128 * 1024 * 1024);
  });

  it(
    'refuses or returns each hostile file with its own message, or reads it harmlessly, publishes only the approved markup title — inert everywhere — and stays within the memory budget',
    async () => {
      const report = await runHostileInput();

      expect(report.problems).toEqual([]);
      expect(report.outcomes.returned).toBeGreaterThan(5);
      expect(report.outcomes['refused at create']).toBeGreaterThanOrEqual(3);
      expect(report.outcomes['pages opened in Chromium']).toBe(4);
      expect(report.outcomes['feeds checked']).toBe(5);
      expect(report.outcomes['S3 keys checked']).toBeGreaterThan(0);
      // The bombs inflate to many times the budget, and the process stayed under it.
      expect(report.outcomes['bomb inflates MiB']).toBeGreaterThan(8 * (report.outcomes['budget MiB'] ?? 0));
      expect(report.outcomes['peak RSS growth MiB']).toBeLessThan(report.outcomes['budget MiB'] ?? 0);
    },
    START_TIMEOUT_MS + 240_000,
  );
});

import { describe, expect, it } from 'vitest';
import { runLinkAttacks } from './link-attacks.js';
import { START_TIMEOUT_MS } from './support.js';

describe('Resilience: approval links under attack', () => {
  it(
    'records a decision only for a genuine POST from the page, whatever else is tried',
    async () => {
      const report = await runLinkAttacks({ rounds: 1 });

      expect(report.problems).toEqual([]);
      expect(report.outcomes['decisions recorded']).toBe(2);
      expect(report.outcomes.genuine).toBe(2);
    },
    START_TIMEOUT_MS + 120_000,
  );
});

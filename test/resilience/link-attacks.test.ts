import { describe, expect, it } from 'vitest';
import { ATTACK_KINDS, runLinkAttacks } from './link-attacks.js';
import { START_TIMEOUT_MS } from './support.js';

describe('Resilience: approval links under attack', () => {
  it(
    'records a decision only for a genuine POST from the page, whatever else is tried',
    async () => {
      // Act
      const report = await runLinkAttacks({ rounds: 1 });

      // Assess
      expect(report.problems).toEqual([]);
      expect(report.outcomes['decisions recorded']).toBe(2);
      expect(report.outcomes['genuine POST from the page: attempts']).toBe(2);
      expect(report.outcomes['genuine POST from the page: decisions']).toBe(2);
      // The browser really visited: a missing chromium fails here as well as in the problems.
      expect(report.outcomes['browser visits']).toBeGreaterThan(0);
      for (const kind of ATTACK_KINDS) {
        expect(report.outcomes[`${kind}: attempts`], kind).toBeGreaterThan(0);
        expect(report.outcomes[`${kind}: decisions`], kind).toBe(0);
      }
      expect(report.outcomes['scanner flood: attempts']).toBe(50);
    },
    START_TIMEOUT_MS + 120_000,
  );
});

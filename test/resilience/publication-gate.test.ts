import { describe, expect, it } from 'vitest';
import { runPublicationGate } from './publication-gate.js';
import { START_TIMEOUT_MS } from './support.js';

describe('Resilience: post-publication gate', () => {
  it(
    'quarantines a bundle with residual personal data, fails its execution with the reason, and never lists it',
    async () => {
      // Act
      const report = await runPublicationGate({ perKind: 1 });

      // Assess
      expect(report.problems).toEqual([]);
      expect(report.outcomes['work product quarantined']).toBe(1);
      expect(report.outcomes['published file quarantined']).toBe(1);
      expect(report.outcomes['catalog entries']).toBe(1);
      // Every place a reader could find a bundle was looked at, and the control was found there.
      expect(report.outcomes['static feeds checked']).toBe(5);
      expect(report.outcomes['pull bundles']).toBe(1);
      expect(report.outcomes['pull requests']).toBeGreaterThan(0);
      expect(report.outcomes['portal URLs refused']).toBeGreaterThanOrEqual(2 * 4);
      expect(report.outcomes['S3 reads refused']).toBeGreaterThanOrEqual(2 * 2);
    },
    START_TIMEOUT_MS + 180_000,
  );
});

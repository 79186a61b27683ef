import { describe, expect, it } from 'vitest';
import { runPublicationGate } from './publication-gate.js';
import { START_TIMEOUT_MS } from './support.js';

describe('Resilience: post-publication gate', () => {
  it(
    'quarantines a bundle with residual personal data, fails its execution with the reason, and never lists it',
    async () => {
      const report = await runPublicationGate({ perKind: 1 });

      expect(report.problems).toEqual([]);
      expect(report.outcomes['work product quarantined']).toBe(1);
      expect(report.outcomes['published file quarantined']).toBe(1);
      expect(report.outcomes['catalog entries']).toBe(1);
    },
    START_TIMEOUT_MS + 180_000,
  );
});

import { describe, expect, it } from 'vitest';
import { runFaultInjection } from './fault-injection.js';
import { START_TIMEOUT_MS } from './support.js';

describe('Resilience: fault injection', () => {
  it(
    'ends every submission PUBLISHED (or rarely FAILED with a recorded reason) when 20 % of S3 and DynamoDB attempts fail, half of them after the write took effect',
    async () => {
      const report = await runFaultInjection({ submissions: 6, rate: 0.2, timeoutMs: 150_000 });

      expect(report.problems).toEqual([]);
      expect(report.outcomes.stuck).toBeUndefined();
      // A FAILED takes a fault outlasting every retry of one task (see failedAllowed): one in six is
      // already bad luck, two would mean a transient fault is turned into a permanent one.
      expect(report.outcomes.FAILED ?? 0).toBeLessThanOrEqual(1);
      expect((report.outcomes.PUBLISHED ?? 0) + (report.outcomes.FAILED ?? 0)).toBe(6);
      expect(report.outcomes['faults before send']).toBeGreaterThan(0);
      expect(report.outcomes['replies lost']).toBeGreaterThan(0);
      // Every decision is accounted for: made through the form, or finished by reopening the link.
      expect((report.outcomes.approvals ?? 0) + (report.outcomes['finished after error page'] ?? 0)).toBe(
        report.outcomes['review steps decided'],
      );
      expect(report.outcomes['review steps decided']).toBeGreaterThanOrEqual(
        2 * (report.outcomes.PUBLISHED ?? 0),
      );
    },
    START_TIMEOUT_MS + 180_000,
  );
});

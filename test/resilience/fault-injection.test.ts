import { describe, expect, it } from 'vitest';
import { runFaultInjection } from './fault-injection.js';
import { START_TIMEOUT_MS } from './support.js';

describe('Resilience: fault injection', () => {
  it(
    'ends every submission PUBLISHED or FAILED with a recorded reason when 20 % of S3 and DynamoDB attempts fail',
    async () => {
      const report = await runFaultInjection({ submissions: 6, rate: 0.2, timeoutMs: 150_000 });

      expect(report.problems).toEqual([]);
      expect(report.outcomes.stuck).toBeUndefined();
      expect(report.outcomes['faults injected']).toBeGreaterThan(0);
    },
    START_TIMEOUT_MS + 180_000,
  );
});

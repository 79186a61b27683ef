import { describe, expect, it } from 'vitest';
import { runHostileInput } from './hostile-input.js';
import { START_TIMEOUT_MS } from './support.js';

describe('Resilience: hostile input', () => {
  it(
    'refuses or returns each hostile file with a message, or reads it harmlessly, and publishes nothing',
    async () => {
      const report = await runHostileInput();

      expect(report.problems).toEqual([]);
      expect(report.outcomes.returned).toBeGreaterThan(5);
      expect(report.outcomes['S3 keys checked']).toBeGreaterThan(0);
    },
    START_TIMEOUT_MS + 240_000,
  );
});

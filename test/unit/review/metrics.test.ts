import { describe, expect, it } from 'vitest';
import { EmfReviewMetrics } from '../../../shared/review/metrics.js';

describe('Class: EmfReviewMetrics', () => {
  it('writes one Embedded Metric Format line counting an approval near its deadline', () => {
    // Prepare
    const lines: string[] = [];
    const metrics = new EmfReviewMetrics({
      namespace: 'Gongkai',
      write: (line) => lines.push(line),
      now: () => new Date('2019-07-22T02:00:00.000Z'),
    });

    // Act
    metrics.approvalNearDeadline();

    // Assess
    expect(lines).toHaveLength(1);
    expect(lines[0]?.endsWith('\n')).toBe(true);
    expect(JSON.parse(lines[0] ?? '')).toEqual({
      _aws: {
        Timestamp: Date.parse('2019-07-22T02:00:00.000Z'),
        CloudWatchMetrics: [
          {
            Namespace: 'Gongkai',
            Dimensions: [[]],
            Metrics: [{ Name: 'ApprovalsNearDeadline', Unit: 'Count' }],
          },
        ],
      },
      ApprovalsNearDeadline: 1,
    });
  });
});

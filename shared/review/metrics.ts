import { APPROVALS_NEAR_DEADLINE_METRIC } from '../config/workflow.js';

/** What the review reports to monitoring. */
export interface ReviewMetrics {
  /** One approval request ran out of time and a reminder went out (the alarm counts these). */
  approvalNearDeadline(): void;
}

/**
 * {@link ReviewMetrics} as CloudWatch Embedded Metric Format: one JSON line on stdout, which
 * CloudWatch Logs turns into the metric — no SDK, no API call, no extra permission in the hot path.
 * It writes to `process.stdout` directly, not `console.log`: with the Lambda JSON log format the
 * runtime wraps console output in its own JSON, and CloudWatch would no longer see an EMF document.
 * No dimensions, so the metric is the one the `ApprovalsNearDeadline` alarm watches.
 */
export class EmfReviewMetrics implements ReviewMetrics {
  constructor(
    private readonly options: {
      namespace?: string;
      write?: (line: string) => void;
      now?: () => Date;
    } = {},
  ) {}

  approvalNearDeadline(): void {
    const name = APPROVALS_NEAR_DEADLINE_METRIC.metricName;
    const document = {
      _aws: {
        Timestamp: (this.options.now ?? (() => new Date()))().getTime(),
        CloudWatchMetrics: [
          {
            Namespace: this.options.namespace ?? APPROVALS_NEAR_DEADLINE_METRIC.namespace,
            Dimensions: [[]],
            Metrics: [{ Name: name, Unit: 'Count' }],
          },
        ],
      },
      [name]: 1,
    };
    const write = this.options.write ?? ((line: string) => process.stdout.write(line));
    write(`${JSON.stringify(document)}\n`);
  }
}

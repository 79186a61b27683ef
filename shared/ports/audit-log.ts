import type { AuditEvent } from '../domain/index.js';

/** The append-only audit log: 谁起草、谁审查、谁签发、谁公开. */
export interface AuditLog {
  append(event: AuditEvent): Promise<void>;
  /**
   * Appends an event that happens at most once per revision, action and `scope` (e.g. a review
   * step): retries, lost replies and racing duplicate invocations all leave exactly one. Returns
   * false when it was recorded already (the stored event is kept, with its time).
   */
  appendOnce(event: AuditEvent, scope?: string): Promise<boolean>;
  /** Every event of a submission, oldest first (by `at`). */
  list(submissionId: string): Promise<AuditEvent[]>;
}

import type { AuditEvent } from '../domain/index.js';

/** The append-only audit log: 谁起草、谁审查、谁签发、谁公开. */
export interface AuditLog {
  append(event: AuditEvent): Promise<void>;
  /** Every event of a submission, oldest first. */
  list(submissionId: string): Promise<AuditEvent[]>;
}

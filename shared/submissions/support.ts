import { SubmissionNotFoundError } from '../adapters/dynamo-submission-store.js';
import type { AuditAction, AuditDetail, AuditEvent, Submission, SubmissionStatus } from '../domain/index.js';
import { ForbiddenError } from '../lambda/http-handler.js';
import type { AuditLog } from '../ports/audit-log.js';
import type { SubmissionStore } from '../ports/submission-store.js';

/** The wall clock, injected so tests and retries see one moment per operation. */
export type Clock = () => Date;

/** A signed-in person acting on their own submissions (the drafter, from the JWT). */
export interface Actor {
  id: string;
  name: string;
  email: string;
}

/** The system itself: every task of the review workflow acts as this. */
export const SYSTEM_ACTOR = { id: 'system', role: 'system' } as const;

/**
 * The submission if `caller` drafted it. Unknown → 404; someone else's → 403 (the API is behind a
 * JWT authorizer, so a signed-in drafter learning that an id exists reveals nothing they could use).
 */
export async function loadOwnSubmission(
  submissions: SubmissionStore,
  id: string,
  caller: Pick<Actor, 'id'>,
): Promise<Submission> {
  const submission = await submissions.get(id);
  if (submission === undefined) throw new SubmissionNotFoundError();
  if (submission.drafter.id !== caller.id) throw new ForbiddenError();
  return submission;
}

/** A task's submission, which must exist (the workflow only runs for stored submissions). */
export async function loadSubmission(submissions: SubmissionStore, id: string): Promise<Submission> {
  const submission = await submissions.get(id);
  if (submission === undefined) throw new SubmissionNotFoundError();
  return submission;
}

/** `fromStatus`/`toStatus` of an audit event; a repeated change (from = to) records only where it ended. */
export function statusChange(
  from: SubmissionStatus | undefined,
  to: SubmissionStatus | undefined,
): Pick<AuditEvent, 'fromStatus' | 'toStatus'> {
  if (to === undefined) return {};
  return from === undefined || from === to ? { toStatus: to } : { fromStatus: from, toStatus: to };
}

/**
 * Appends an audit event unless this revision already has one with the same action. Operations
 * are retried (by the workflow, by the drafter clicking again) and may even run twice at once; a
 * retry after a crash between the status change and the audit write, or a racing duplicate, must
 * still leave exactly one event. Returns false when it was there already.
 */
export async function auditOnce(
  audit: AuditLog,
  event: {
    submissionId: string;
    revision: number;
    at: Date;
    actor: AuditEvent['actor'];
    action: AuditAction;
    fromStatus?: SubmissionStatus;
    toStatus?: SubmissionStatus;
    detail?: AuditDetail;
  },
): Promise<boolean> {
  return audit.appendOnce({
    submissionId: event.submissionId,
    revision: event.revision,
    at: event.at.toISOString(),
    actor: event.actor,
    action: event.action,
    ...statusChange(event.fromStatus, event.toStatus),
    ...(event.detail === undefined || Object.keys(event.detail).length === 0 ? {} : { detail: event.detail }),
  });
}

const SHORT_CODE = /^[A-Za-z][A-Za-z0-9_.:-]{0,127}$/;

/** An error name fit for the audit log's closed detail fields; anything else becomes `UnknownError`. */
export function auditableErrorName(name: string | undefined): string {
  return name !== undefined && SHORT_CODE.test(name) ? name : 'UnknownError';
}

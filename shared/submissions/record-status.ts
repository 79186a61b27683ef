import type { RECORDED_STATUSES, STATUS_REASONS } from '../config/workflow.js';
import {
  type AuditAction,
  type AuditDetail,
  canTransition,
  type Submission,
  type SubmissionStatus,
} from '../domain/index.js';
import type { ApprovalStore } from '../ports/approval-store.js';
import type { AuditLog } from '../ports/audit-log.js';
import type { CatalogStore } from '../ports/catalog-store.js';
import type { ObjectStore } from '../ports/object-store.js';
import type { RevisionPatch, SubmissionStore } from '../ports/submission-store.js';
import { type StaticFeedOptions, writeStaticFeeds } from '../publication/feeds.js';
import { UnexpectedStatusReasonError } from './errors.js';
import { auditableErrorName, auditOnce, type Clock, loadSubmission, SYSTEM_ACTOR } from './support.js';
import { appendCatalogEvent } from './withdraw.js';

/** What record-status needs. */
export interface RecordStatusDependencies {
  submissions: SubmissionStore;
  audit: AuditLog;
  approvals: ApprovalStore;
  /** The public catalog: a revision that fails after Verify listed its bundle is unlisted there. */
  catalog: CatalogStore;
  /** The `published` bucket: the static feeds are regenerated there after an unlisting. */
  published: ObjectStore;
  feeds?: StaticFeedOptions;
  now: Clock;
}

/** What the state machine asks to record (see `RecordStatusInputSchema`). */
export interface RecordStatusRequest {
  submissionId: string;
  revision: number;
  status: (typeof RECORDED_STATUSES)[number];
  reason: (typeof STATUS_REASONS)[number];
  stepId?: string;
  /** The caught error: only its name is ever recorded, never its cause. */
  error?: { Error: string; Cause?: string };
}

/** The result, for logs and tests. */
export interface RecordStatusResult {
  status: SubmissionStatus;
  changed: boolean;
  audited: boolean;
}

/** Which reasons go with which status, and the audit action each records. */
const ACTIONS: Readonly<
  Record<RecordStatusRequest['reason'], { status: RecordStatusRequest['status']; action: AuditAction }>
> = {
  REVIEW_APPROVED: { status: 'SCHEDULED', action: 'SCHEDULED' },
  BUNDLE_VERIFIED: { status: 'PUBLISHED', action: 'PUBLISHED' },
  REVIEW_REJECTED: { status: 'RETURNED', action: 'RETURNED' },
  SUBMISSION_REJECTED: { status: 'RETURNED', action: 'RETURNED' },
  REVIEW_EXPIRED: { status: 'FAILED', action: 'APPROVAL_TIMED_OUT' },
  TASK_FAILED: { status: 'FAILED', action: 'FAILED' },
  NOTIFY_FAILED: { status: 'FAILED', action: 'FAILED' },
  UNKNOWN_ATTRIBUTE: { status: 'FAILED', action: 'FAILED' },
};

/** Generic comments when a rejection left none (the approver may decline to write one). */
const NO_COMMENT: Readonly<Record<'REVIEW_REJECTED' | 'SUBMISSION_REJECTED', string>> = {
  REVIEW_REJECTED: '审核人退回了该提交，但没有填写退回意见。请联系审核人了解原因后修改，再提交新的修订版本。',
  SUBMISSION_REJECTED: '提交内容未通过系统校验。请检查原文和解读文件后，提交新的修订版本。',
};

function expectedCombination(request: RecordStatusRequest): AuditAction {
  const entry = ACTIONS[request.reason];
  // REVIEW_APPROVED ends either branch: SCHEDULED (to be published) or REGISTERED (never published).
  if (request.reason === 'REVIEW_APPROVED' && request.status === 'REGISTERED') return 'REGISTERED';
  if (entry.status !== request.status) throw new UnexpectedStatusReasonError(request.status, request.reason);
  return entry.action;
}

/** The comment a rejected review step carries, to keep on the revision for the drafter. */
async function rejectionPatch(
  approvals: ApprovalStore,
  submission: Submission,
  stepId: string | undefined,
  reason: keyof typeof NO_COMMENT,
): Promise<{ patch: RevisionPatch; stepId?: string }> {
  if (submission.returnedComment !== undefined && submission.returnedComment !== '') return { patch: {} };
  const steps = await approvals.listSteps(submission.id, submission.revision);
  const rejected = steps.find(
    (step) => step.status === 'REJECTED' && (stepId === undefined || step.stepId === stepId),
  );
  const comment = rejected?.comment?.trim();
  return {
    patch: {
      returnedComment: comment === undefined || comment === '' ? NO_COMMENT[reason] : comment.slice(0, 2000),
    },
    ...(rejected === undefined ? {} : { stepId: rejected.stepId }),
  };
}

/** What the public catalog says of a bundle whose revision failed after Verify had listed it. */
export const FAILED_AFTER_LISTING = {
  validity: 'EXPIRED',
  explanation: '该文件的发布过程未能完成，本次发布已撤回，请勿以此版本为准。',
} as const;

/**
 * Compensation for a revision that ends FAILED after Verify listed its bundle (the feeds or
 * RecordPublished kept failing): the bundle is withdrawn from the catalog the way a drafter's
 * withdrawal does it (a WITHDRAWN event, idempotent by its id), then the feeds are rewritten.
 * A retry finds the entry no longer VALID and only rewrites the feeds, which a lost write may need.
 * @returns the bundle id when the revision's bundle is in the catalog.
 */
async function unlistFailedBundle(
  deps: RecordStatusDependencies,
  submission: Submission,
  now: Date,
): Promise<string | undefined> {
  if (submission.bundleId === undefined) return undefined;
  const entry = await deps.catalog.getEntry(submission.bundleId);
  if (entry === undefined) return undefined;
  if (entry.validity === 'VALID') {
    await appendCatalogEvent(deps, submission.bundleId, FAILED_AFTER_LISTING, now);
  }
  await writeStaticFeeds(deps.catalog, deps.published, deps.feeds);
  return submission.bundleId;
}

/**
 * Task RecordStatus: the one place the state machine's outcomes become a status and an audit event.
 *
 * - SCHEDULED / REGISTERED / PUBLISHED: the status change after the last approval or verification;
 * - RETURNED: keeps the comment approval-page (or Validate) stored, falling back to a generic one;
 * - FAILED: records only the error's name; REVIEW_EXPIRED first revokes the step's open links;
 *   NOTIFY_FAILED (and a failure after the revision already ended, e.g. withdrawn) changes no status;
 *   a revision that fails with its bundle listed (Verify listed it, then the feeds or RecordPublished
 *   failed) has the bundle withdrawn from the catalog and the feeds rewritten first.
 *
 * Idempotent: a repeated change is `changed: false`, and the audit event is written once per action.
 */
export async function recordStatus(
  deps: RecordStatusDependencies,
  request: RecordStatusRequest,
): Promise<RecordStatusResult> {
  const now = deps.now();
  const action = expectedCombination(request);
  const submission = await loadSubmission(deps.submissions, request.submissionId);
  const detail: AuditDetail = {};
  if (request.error !== undefined) detail.errorName = auditableErrorName(request.error.Error);
  if (request.stepId !== undefined) detail.reviewStepId = request.stepId;

  if (request.reason === 'REVIEW_EXPIRED' && request.stepId !== undefined) {
    await deps.approvals.revokeStep(request.submissionId, request.revision, request.stepId, 'EXPIRED');
  }

  let patch: RevisionPatch = {};
  if (
    (request.reason === 'REVIEW_REJECTED' || request.reason === 'SUBMISSION_REJECTED') &&
    submission.revision === request.revision
  ) {
    const rejection = await rejectionPatch(deps.approvals, submission, request.stepId, request.reason);
    patch = rejection.patch;
    if (rejection.stepId !== undefined) detail.reviewStepId = rejection.stepId;
  }
  if (request.status === 'PUBLISHED') {
    if (submission.bundleId !== undefined) detail.bundleId = submission.bundleId;
    if (submission.indexNumber !== undefined) detail.indexNumber = submission.indexNumber;
  }
  if (request.status === 'SCHEDULED' && submission.metadata.plannedReleaseAt !== undefined) {
    detail.releaseAt = submission.metadata.plannedReleaseAt;
  }

  // A failure once the revision has ended (withdrawn, or after a notification) is recorded, not applied.
  const applies =
    request.reason !== 'NOTIFY_FAILED' &&
    submission.revision === request.revision &&
    (submission.status === request.status || canTransition(submission.status, request.status));
  if (!applies && request.status !== 'FAILED') {
    // Any other status the lifecycle refuses is a real inconsistency: let the store say why.
    await deps.submissions.transition(request.submissionId, request.revision, request.status, { now, patch });
  }
  if (applies && request.status === 'FAILED') {
    // Unlist before FAILED is recorded: a failure here is retried with the revision still unsettled.
    const unlisted = await unlistFailedBundle(deps, submission, now);
    if (unlisted !== undefined) detail.bundleId = unlisted;
  }
  let changed = false;
  let from: SubmissionStatus = submission.status;
  let status: SubmissionStatus = submission.status;
  if (applies) {
    const result = await deps.submissions.transition(request.submissionId, request.revision, request.status, {
      now,
      patch,
    });
    changed = result.changed;
    from = result.from;
    status = result.submission.status;
  }
  const audited = await auditOnce(deps.audit, {
    submissionId: request.submissionId,
    revision: request.revision,
    at: now,
    actor: SYSTEM_ACTOR,
    action,
    ...(applies ? { fromStatus: from, toStatus: request.status } : {}),
    detail,
  });
  return { status, changed, audited };
}

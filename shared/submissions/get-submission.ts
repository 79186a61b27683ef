import {
  AUDIT_ACTION_LABELS,
  type AuditEvent,
  type DeadlineState,
  DISCLOSURE_ATTRIBUTE_LABELS,
  DOCUMENT_ROLE_LABELS,
  deadlineState,
  type Metadata,
  STATUS_HINTS,
  STATUS_LABELS,
  type Submission,
  type SubmissionStatus,
} from '../domain/index.js';
import { GongkaiError } from '../errors.js';
import type { ApprovalStore, ReviewStepRecord } from '../ports/approval-store.js';
import type { AuditLog } from '../ports/audit-log.js';
import type { ObjectStore } from '../ports/object-store.js';
import type { SubmissionStore } from '../ports/submission-store.js';
import { workKeys } from '../storage-keys.js';
import { type Actor, type Clock, loadOwnSubmission } from './support.js';

/** What get-submission needs. `work` is optional: without it, findings and redaction details are omitted. */
export interface GetSubmissionDependencies {
  submissions: SubmissionStore;
  audit: AuditLog;
  approvals: ApprovalStore;
  work?: ObjectStore;
  now: Clock;
}

/** Status of a review step as the drafter sees it; NOT_STARTED = not requested yet. */
export type ReviewStepStatus = ReviewStepRecord['status'] | 'NOT_STARTED';

const REVIEW_STEP_STATUS_LABELS: Readonly<Record<ReviewStepStatus, string>> = {
  NOT_STARTED: '未开始',
  PENDING: '待审核',
  APPROVED: '已通过',
  REJECTED: '已退回',
  EXPIRED: '已超时',
  REVOKED: '已撤销',
};

/** One review step of the current revision. Never carries link hashes or task tokens. */
export interface ReviewStepView {
  stepId: string;
  name: string;
  status: ReviewStepStatus;
  statusLabel: string;
  /** 0 for the first request, 1.. for reminders. */
  attempt: number | null;
  requestedAt: string | null;
  expiresAt: string | null;
  decidedAt: string | null;
  /** Name of the approver who decided, from the submission's own metadata. */
  decidedBy: string | null;
  /** The approver's comment, only on a rejection (what the drafter must act on). */
  comment: string | null;
}

/** The 及时公开 deadline, or why it cannot be computed. */
export type DeadlineView = DeadlineState | { deadline: null; state: 'unknown'; message: string };

/** One audit event, with Chinese labels. */
export interface AuditEntryView {
  at: string;
  revision: number;
  action: AuditEvent['action'];
  actionLabel: string;
  actor: AuditEvent['actor'];
  fromStatus: SubmissionStatus | null;
  toStatus: SubmissionStatus | null;
  detail: AuditEvent['detail'] | null;
}

/** Everything the drafter's status page shows about one submission. */
export interface SubmissionView {
  submissionId: string;
  revision: number;
  status: SubmissionStatus;
  statusLabel: string;
  statusHint: string;
  returnedComment: string | null;
  createdAt: string;
  updatedAt: string;
  indexNumber: string | null;
  bundleId: string | null;
  publishedAt: string | null;
  disclosureLabel: string;
  metadata: Metadata;
  documents: {
    documentId: string;
    role: Submission['documents'][number]['role'];
    roleLabel: string;
    fileName: string;
    contentType: string;
    size: number;
  }[];
  review: { steps: ReviewStepView[] };
  deadline: DeadlineView;
  audit: AuditEntryView[];
  /** 原文⇄解读 consistency findings written by Validate, or null before validation. */
  consistency: unknown | null;
  /** Redaction counts by type from De-identify's report (never values), or null before it ran. */
  redactions: { total: number; counts: Record<string, number> } | null;
}

function deadlineOf(submission: Submission, now: Date): DeadlineView {
  try {
    return deadlineState(
      {
        writtenDate: submission.metadata.writtenDate,
        status: submission.status,
        publishedAt: submission.publishedAt,
      },
      now,
    );
  } catch (error) {
    // A calendar gap must not hide the rest of the page; the message says what to do.
    if (error instanceof GongkaiError) return { deadline: null, state: 'unknown', message: error.message };
    throw error;
  }
}

function reviewSteps(submission: Submission, records: readonly ReviewStepRecord[]): ReviewStepView[] {
  const byId = new Map(records.map((record) => [record.stepId, record]));
  return submission.metadata.reviewSteps.map((step) => {
    const record = byId.get(step.id);
    const status: ReviewStepStatus = record?.status ?? 'NOT_STARTED';
    const approver = step.approvers.find((person) => person.id === record?.decidedBy);
    return {
      stepId: step.id,
      name: step.name,
      status,
      statusLabel: REVIEW_STEP_STATUS_LABELS[status],
      attempt: record?.attempt ?? null,
      requestedAt: record?.requestedAt ?? null,
      expiresAt: record?.expiresAt ?? null,
      decidedAt: record?.decidedAt ?? null,
      decidedBy: record?.decidedBy === undefined ? null : (approver?.name ?? null),
      comment: status === 'REJECTED' && record?.comment ? record.comment : null,
    };
  });
}

async function readJson(store: ObjectStore | undefined, key: string): Promise<unknown | undefined> {
  if (store === undefined) return undefined;
  const bytes = await store.get(key);
  if (bytes === undefined) return undefined;
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return undefined;
  }
}

function redactionSummary(
  report: unknown,
  events: readonly AuditEvent[],
  revision: number,
): SubmissionView['redactions'] {
  if (report !== null && typeof report === 'object') {
    const { total, counts } = report as { total?: unknown; counts?: unknown };
    if (typeof total === 'number' && counts !== null && typeof counts === 'object') {
      return { total, counts: counts as Record<string, number> };
    }
  }
  const event = events.findLast((entry) => entry.revision === revision && entry.action === 'DEIDENTIFIED');
  const count = event?.detail?.redactionCount;
  return count === undefined ? null : { total: count, counts: {} };
}

/**
 * GET /submissions/{id}: status with its Chinese label and what the drafter can do, the current
 * revision's metadata and documents, review progress, the 及时公开 deadline, the audit trail, and
 * the consistency findings and redaction counts once Validate and De-identify have run. Only the
 * drafter may see it.
 */
export async function getSubmissionView(
  deps: GetSubmissionDependencies,
  request: { caller: Actor; submissionId: string },
): Promise<SubmissionView> {
  const submission = await loadOwnSubmission(deps.submissions, request.submissionId, request.caller);
  const { id, revision } = submission;
  const [records, events, consistency, report] = await Promise.all([
    deps.approvals.listSteps(id, revision),
    deps.audit.list(id),
    readJson(deps.work, workKeys.consistency(id, revision)),
    readJson(deps.work, workKeys.redactionReport(id, revision)),
  ]);
  return {
    submissionId: id,
    revision,
    status: submission.status,
    statusLabel: STATUS_LABELS[submission.status],
    statusHint: STATUS_HINTS[submission.status],
    returnedComment: submission.returnedComment ?? null,
    createdAt: submission.createdAt,
    updatedAt: submission.updatedAt,
    indexNumber: submission.indexNumber ?? null,
    bundleId: submission.bundleId ?? null,
    publishedAt: submission.publishedAt ?? null,
    disclosureLabel: DISCLOSURE_ATTRIBUTE_LABELS[submission.metadata.disclosure.attribute],
    metadata: submission.metadata,
    documents: submission.documents.map((document) => ({
      documentId: document.id,
      role: document.role,
      roleLabel: DOCUMENT_ROLE_LABELS[document.role],
      fileName: document.fileName,
      contentType: document.contentType,
      size: document.size,
    })),
    review: { steps: reviewSteps(submission, records) },
    deadline: deadlineOf(submission, deps.now()),
    audit: events.map((event) => ({
      at: event.at,
      revision: event.revision,
      action: event.action,
      actionLabel: AUDIT_ACTION_LABELS[event.action],
      actor: event.actor,
      fromStatus: event.fromStatus ?? null,
      toStatus: event.toStatus ?? null,
      detail: event.detail ?? null,
    })),
    consistency: consistency ?? null,
    redactions: redactionSummary(report, events, revision),
  };
}

/** One line of the drafter's list. */
export interface SubmissionSummary {
  submissionId: string;
  revision: number;
  title: string;
  status: SubmissionStatus;
  statusLabel: string;
  createdAt: string;
  updatedAt: string;
  deadline: DeadlineView;
}

/** Page size bounds of the drafter's list. */
export const LIST_LIMITS = { default: 20, max: 100 } as const;

/** GET /submissions: the caller's own submissions, newest first, paged by an opaque cursor. */
export async function listOwnSubmissions(
  deps: Pick<GetSubmissionDependencies, 'submissions' | 'now'>,
  request: { caller: Actor; limit?: number; cursor?: string },
): Promise<{ items: SubmissionSummary[]; cursor: string | null }> {
  const requested = request.limit ?? LIST_LIMITS.default;
  const limit = Number.isInteger(requested)
    ? Math.min(Math.max(requested, 1), LIST_LIMITS.max)
    : LIST_LIMITS.default;
  const page = await deps.submissions.listByDrafter(request.caller.id, {
    limit,
    ...(request.cursor === undefined ? {} : { cursor: request.cursor }),
  });
  const now = deps.now();
  return {
    items: page.items.map((submission) => ({
      submissionId: submission.id,
      revision: submission.revision,
      title: submission.metadata.title,
      status: submission.status,
      statusLabel: STATUS_LABELS[submission.status],
      createdAt: submission.createdAt,
      updatedAt: submission.updatedAt,
      deadline: deadlineOf(submission, now),
    })),
    cursor: page.cursor ?? null,
  };
}

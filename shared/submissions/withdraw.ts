import { executionName } from '../config/workflow.js';
import {
  IdSchema,
  IllegalTransitionError,
  type Submission,
  type SubmissionRuleViolation,
  type SubmissionStatus,
  VALIDITY_STATUS_LABELS,
} from '../domain/index.js';
import type { ApprovalStore } from '../ports/approval-store.js';
import type { AuditLog } from '../ports/audit-log.js';
import type { CatalogStore } from '../ports/catalog-store.js';
import type { ObjectStore } from '../ports/object-store.js';
import type { SubmissionStore } from '../ports/submission-store.js';
import type { Workflow } from '../ports/workflow.js';
import { type StaticFeedOptions, writeStaticFeeds } from '../publication/feeds.js';
import { CatalogEntryMissingError, ReplacementNotFoundError, RequestInvalidError } from './errors.js';
import { type Actor, auditOnce, type Clock, loadOwnSubmission } from './support.js';

/** What withdraw needs. */
export interface WithdrawDependencies {
  submissions: SubmissionStore;
  audit: AuditLog;
  approvals: ApprovalStore;
  catalog: CatalogStore;
  workflow: Workflow;
  /** The `published` bucket: the static feeds are regenerated there after a 效力状态 change. */
  published: ObjectStore;
  feeds?: StaticFeedOptions;
  now: Clock;
}

/** A withdrawal request. */
export interface WithdrawRequest {
  /** 效力状态 after withdrawal: 失效 or 废止 (required for a published document). */
  validity?: 'EXPIRED' | 'REPEALED';
  /** Why, for the public catalog (published) or the audit trail; never personal data. */
  explanation: string;
  /** The bundle that replaces this one (supersession). */
  replacementBundleId?: string;
}

/** The answer to a withdrawal. */
export interface WithdrawResult {
  submissionId: string;
  revision: number;
  status: SubmissionStatus;
  /** The catalog event's sequence, when a published document changed its 效力状态. */
  catalogSequence: number | null;
}

/** Statuses whose execution may still be running and must be stopped. */
const RUNNING: ReadonlySet<SubmissionStatus> = new Set(['SUBMITTED', 'IN_REVIEW', 'SCHEDULED']);
/** Statuses a drafter may withdraw before publication. */
const UNPUBLISHED: ReadonlySet<SubmissionStatus> = new Set([
  'DRAFT',
  'SUBMITTED',
  'RETURNED',
  'FAILED',
  'IN_REVIEW',
  'SCHEDULED',
]);
const MAX_EXPLANATION = 1000;

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * The withdrawal body, checked field by field so the form can show each problem beside its field.
 * @throws RequestInvalidError
 */
export function parseWithdrawRequest(body: unknown, status: SubmissionStatus): WithdrawRequest {
  const input = isRecord(body) ? body : {};
  const violations: SubmissionRuleViolation[] = [];
  const explanation = typeof input.explanation === 'string' ? input.explanation.trim() : '';
  if (explanation === '') {
    violations.push({
      field: 'explanation',
      code: 'EXPLANATION_REQUIRED',
      message:
        '请填写「撤回说明」：为什么撤回（已发布的文件会在公开目录中向公众显示此说明，请不要写入个人信息）。',
    });
  } else if (explanation.length > MAX_EXPLANATION) {
    violations.push({
      field: 'explanation',
      code: 'EXPLANATION_TOO_LONG',
      message: `「撤回说明」不能超过 ${MAX_EXPLANATION} 个字。`,
    });
  }
  const validity = input.validity;
  const published = status === 'PUBLISHED';
  if (validity !== undefined && validity !== 'EXPIRED' && validity !== 'REPEALED') {
    violations.push({
      field: 'validity',
      code: 'VALIDITY_INVALID',
      message: `「效力状态」应为 ${VALIDITY_STATUS_LABELS.EXPIRED}（EXPIRED）或 ${VALIDITY_STATUS_LABELS.REPEALED}（REPEALED）。`,
    });
  } else if (published && validity === undefined) {
    violations.push({
      field: 'validity',
      code: 'VALIDITY_REQUIRED',
      message: '已发布的文件撤回时须选择「效力状态」：失效（EXPIRED）或 废止（REPEALED）。',
    });
  }
  const replacement = input.replacementBundleId;
  if (replacement !== undefined) {
    if (!published) {
      violations.push({
        field: 'replacementBundleId',
        code: 'REPLACEMENT_NOT_EXPECTED',
        message: '只有已发布的文件才能由新文件替代；尚未发布的提交直接撤回即可，请清空「替代文件」。',
      });
    } else if (!IdSchema.safeParse(replacement).success) {
      violations.push({
        field: 'replacementBundleId',
        code: 'REPLACEMENT_INVALID',
        message: '「替代文件的发布包编号」格式不正确，应为系统生成的 26 位编号。',
      });
    }
  }
  if (violations.length > 0) throw new RequestInvalidError(violations);
  return {
    explanation,
    ...(validity === 'EXPIRED' || validity === 'REPEALED' ? { validity } : {}),
    ...(typeof replacement === 'string' ? { replacementBundleId: replacement } : {}),
  };
}

/** Revokes every still-pending approval link of the revision, so no one can decide a withdrawn review. */
async function revokePendingSteps(approvals: ApprovalStore, submission: Submission): Promise<void> {
  const steps = await approvals.listSteps(submission.id, submission.revision);
  for (const step of steps) {
    if (step.status === 'PENDING') {
      await approvals.revokeStep(submission.id, submission.revision, step.stepId, 'REVOKED');
    }
  }
}

/**
 * Changes the catalog entry of a published bundle by appending a WITHDRAWN or SUPERSEDED event.
 * The bundle itself stays (immutable); the event id is deterministic, so a retry is the same event.
 * Also used by record-status to unlist the bundle of a revision that failed after Verify listed it.
 */
export async function appendCatalogEvent(
  deps: Pick<WithdrawDependencies, 'catalog'>,
  bundleId: string,
  request: WithdrawRequest & { validity: 'EXPIRED' | 'REPEALED' },
  now: Date,
): Promise<number> {
  const entry = await deps.catalog.getEntry(bundleId);
  if (entry === undefined) throw new CatalogEntryMissingError();
  const type = request.replacementBundleId === undefined ? 'WITHDRAWN' : 'SUPERSEDED';
  const { lastSequence: _last, ...current } = entry;
  const event = await deps.catalog.append(
    {
      eventId: `${type}#${bundleId}`,
      type,
      bundleId,
      at: now.toISOString(),
      validity: request.validity,
      manifestKey: entry.manifestKey,
      explanation: request.explanation,
      ...(request.replacementBundleId === undefined ? {} : { supersededBy: request.replacementBundleId }),
    },
    {
      ...current,
      validity: request.validity,
      explanation: request.explanation,
      ...(request.replacementBundleId === undefined ? {} : { supersededBy: request.replacementBundleId }),
    },
  );
  return event.sequence;
}

/**
 * POST /submissions/{id}/withdraw.
 *
 * - Not yet published (DRAFT, SUBMITTED, IN_REVIEW, SCHEDULED, RETURNED, FAILED): WITHDRAWN first
 *   (the conditional write decides a race with the workflow), then the execution is stopped and the
 *   pending approval links are revoked. A retry finds WITHDRAWN and repeats the cleanup.
 * - Published: the 效力状态 change goes to the public catalog first (an event, idempotent by id),
 *   the static feeds are regenerated, then the revision becomes WITHDRAWN, or SUPERSEDED when a
 *   replacement is named. The bundle itself is never touched.
 *
 * @throws RequestInvalidError (400), SubmissionNotFoundError (404), ForbiddenError (403),
 *   IllegalTransitionError (409: VALIDATING/DEIDENTIFYING are short machine steps; wait for IN_REVIEW)
 */
export async function withdrawSubmission(
  deps: WithdrawDependencies,
  request: { caller: Actor; submissionId: string; body: unknown },
): Promise<WithdrawResult> {
  const now = deps.now();
  const submission = await loadOwnSubmission(deps.submissions, request.submissionId, request.caller);
  // Published once (PUBLISHED, or already WITHDRAWN/SUPERSEDED after publication: a retry).
  const published = submission.publishedAt !== undefined;
  const parsed = parseWithdrawRequest(request.body, published ? 'PUBLISHED' : submission.status);
  const actor = { id: request.caller.id, role: 'drafter' as const };

  if (published && parsed.validity !== undefined) {
    const target = parsed.replacementBundleId === undefined ? 'WITHDRAWN' : 'SUPERSEDED';
    if (submission.status !== 'PUBLISHED' && submission.status !== target) {
      throw new IllegalTransitionError(submission.status, target);
    }
    if (parsed.replacementBundleId !== undefined) {
      const replacement = await deps.catalog.getEntry(parsed.replacementBundleId);
      if (replacement === undefined || replacement.bundleId === submission.bundleId) {
        throw new ReplacementNotFoundError();
      }
    }
    const bundleId = submission.bundleId;
    if (bundleId === undefined) throw new CatalogEntryMissingError();
    const sequence = await appendCatalogEvent(deps, bundleId, { ...parsed, validity: parsed.validity }, now);
    // The feeds depend only on the catalog, so a retry (or a racing publication) writes the same state.
    await writeStaticFeeds(deps.catalog, deps.published, deps.feeds);
    const { from } = await deps.submissions.transition(submission.id, submission.revision, target, {
      now,
    });
    await auditOnce(deps.audit, {
      submissionId: submission.id,
      revision: submission.revision,
      at: now,
      actor,
      action: target,
      fromStatus: from,
      toStatus: target,
      detail: {
        bundleId,
        ...(parsed.replacementBundleId === undefined ? {} : { supersededBy: parsed.replacementBundleId }),
      },
    });
    return {
      submissionId: submission.id,
      revision: submission.revision,
      status: target,
      catalogSequence: sequence,
    };
  }

  if (!UNPUBLISHED.has(submission.status) && submission.status !== 'WITHDRAWN') {
    throw new IllegalTransitionError(submission.status, 'WITHDRAWN');
  }
  const { changed, from } = await deps.submissions.transition(
    submission.id,
    submission.revision,
    'WITHDRAWN',
    {
      now,
    },
  );
  if (RUNNING.has(from) || !changed) {
    await deps.workflow.stop(executionName(submission.id, submission.revision), 'Withdrawn by the drafter.');
  }
  await revokePendingSteps(deps.approvals, submission);
  await auditOnce(deps.audit, {
    submissionId: submission.id,
    revision: submission.revision,
    at: now,
    actor,
    action: 'WITHDRAWN',
    fromStatus: from,
    toStatus: 'WITHDRAWN',
  });
  return {
    submissionId: submission.id,
    revision: submission.revision,
    status: 'WITHDRAWN',
    catalogSequence: null,
  };
}

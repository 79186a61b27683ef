import { hashLinkSecret, newLinkSecret } from '../approvals/link-secret.js';
import type { AuditDetail } from '../domain/index.js';
import type { ApprovalLink, ApprovalStore, ReviewStepRecord } from '../ports/approval-store.js';
import type { AuditLog } from '../ports/audit-log.js';
import type { Mailer } from '../ports/mailer.js';
import type { SubmissionStore } from '../ports/submission-store.js';
import { approvalMail } from './approval-mail.js';
import { ReviewStepClosedError, ReviewSubmissionMissingError, UnknownReviewStepError } from './errors.js';
import { newFormNonce } from './form-token.js';
import { type ReviewLogger, SILENT_LOGGER } from './logger.js';
import type { ReviewMetrics } from './metrics.js';

/** One approval request of one review step, as the state machine sends it. */
export interface ApprovalRequestInput {
  submissionId: string;
  revision: number;
  stepId: string;
  /** 0 for the first request, 1.. for reminders. */
  attempt: number;
  taskToken: string;
}

/** What {@link requestApproval} needs. */
export interface RequestApprovalDependencies {
  submissions: Pick<SubmissionStore, 'get'>;
  approvals: Pick<ApprovalStore, 'getStep' | 'openStep' | 'setTaskToken'>;
  mailer: Mailer;
  audit: Pick<AuditLog, 'append'>;
  metrics: ReviewMetrics;
  /** The links are `${approvalBaseUrl}/${secret}`. */
  approvalBaseUrl: string;
  now?: () => Date;
  newSecret?: () => string;
  logger?: ReviewLogger;
}

/** What happened, in counts only. */
export interface ApprovalRequestOutcome {
  /** Links created and mailed (0 when a retried invocation found its links already sent). */
  linksSent: number;
  /** True when this was a retry of an attempt that had already been sent. */
  alreadySent: boolean;
}

const SHORT_CODE = /^[A-Za-z][A-Za-z0-9_.:-]{0,127}$/;

/** Audit detail of a review step: the id only where the audit schema can hold it, always the index. */
export function reviewStepDetail(stepId: string, index: number): AuditDetail {
  return {
    ...(SHORT_CODE.test(stepId) ? { reviewStepId: stepId } : {}),
    reviewStepIndex: Math.max(0, index),
  };
}

/** The e-mailed link of a secret. */
export function approvalLinkUrl(baseUrl: string, secret: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/${secret}`;
}

/**
 * Asks the approvers of one review step to decide: one fresh link per approver (only the hash of its
 * secret is stored, with the approver, the task token and the expiry), one mail each. A reminder
 * (`attempt > 0`) does the same and so supersedes the previous links: the step record moves to the
 * new attempt and lists only the new hashes, so an old link can no longer decide.
 *
 * Order: mail first, then store. A failure while mailing stores nothing, so the retry sends a complete
 * fresh set (an earlier mail's link then answers 404); once the step at this attempt is stored, every
 * mail went out, and a retried invocation only points the links at its new task token.
 */
export async function requestApproval(
  input: ApprovalRequestInput,
  dependencies: RequestApprovalDependencies,
): Promise<ApprovalRequestOutcome> {
  const now = (dependencies.now ?? (() => new Date()))();
  const newSecret = dependencies.newSecret ?? newLinkSecret;
  const logger = dependencies.logger ?? SILENT_LOGGER;

  const submission = await dependencies.submissions.get(input.submissionId);
  if (submission === undefined || submission.revision !== input.revision) {
    throw new ReviewSubmissionMissingError();
  }
  const stepIndex = submission.metadata.reviewSteps.findIndex((step) => step.id === input.stepId);
  const step = submission.metadata.reviewSteps[stepIndex];
  if (step === undefined) throw new UnknownReviewStepError();

  const existing = await dependencies.approvals.getStep(input.submissionId, input.revision, input.stepId);
  if (existing !== undefined) {
    if (existing.status === 'PENDING' && existing.attempt === input.attempt) {
      // A retried invocation: the mails went out; the waiting task now has a new token.
      await dependencies.approvals.setTaskToken(existing.linkHashes, input.taskToken);
      logger.info('approval request already sent; task token updated', {
        stepId: input.stepId,
        attempt: input.attempt,
        links: existing.linkHashes.length,
      });
      return { linksSent: 0, alreadySent: true };
    }
    if (existing.status !== 'PENDING' || existing.attempt > input.attempt) {
      throw new ReviewStepClosedError(existing.status === 'PENDING' ? 'SUPERSEDED' : existing.status);
    }
  }

  const expiresAt = new Date(now.getTime() + step.timeoutHours * 3_600_000).toISOString();
  const issued = step.approvers.map((approver) => {
    const secret = newSecret();
    const hash = hashLinkSecret(secret);
    if (hash === undefined) throw new Error('generated link secret has an unexpected form');
    const link: ApprovalLink = {
      hash,
      submissionId: input.submissionId,
      revision: input.revision,
      stepId: input.stepId,
      attempt: input.attempt,
      approverId: approver.id,
      taskToken: input.taskToken,
      createdAt: now.toISOString(),
      expiresAt,
      status: 'PENDING',
      formNonce: newFormNonce(),
    };
    return { approver, secret, link };
  });

  for (const { approver, secret } of issued) {
    await dependencies.mailer.send(
      approvalMail({
        approver,
        metadata: submission.metadata,
        step,
        link: approvalLinkUrl(dependencies.approvalBaseUrl, secret),
        expiresAt,
        attempt: input.attempt,
      }),
    );
  }

  const record: ReviewStepRecord = {
    submissionId: input.submissionId,
    revision: input.revision,
    stepId: input.stepId,
    status: 'PENDING',
    attempt: input.attempt,
    linkHashes: issued.map(({ link }) => link.hash),
    requestedAt: now.toISOString(),
    expiresAt,
  };
  await dependencies.approvals.openStep(
    record,
    issued.map(({ link }) => link),
  );

  await dependencies.audit.append({
    submissionId: input.submissionId,
    revision: input.revision,
    at: now.toISOString(),
    actor: { id: 'system', role: 'system' },
    action: 'APPROVAL_REQUESTED',
    detail: reviewStepDetail(input.stepId, stepIndex),
  });
  if (input.attempt > 0) dependencies.metrics.approvalNearDeadline();

  logger.info(input.attempt > 0 ? 'approval reminder sent' : 'approval request sent', {
    stepId: input.stepId,
    attempt: input.attempt,
    links: issued.length,
  });
  return { linksSent: issued.length, alreadySent: false };
}

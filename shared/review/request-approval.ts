import { hashLinkSecret, newLinkSecret } from '../approvals/link-secret.js';
import type { ApprovalLink, ApprovalStore, ReviewStepRecord } from '../ports/approval-store.js';
import type { Mailer } from '../ports/mailer.js';
import { approvalMail } from './approval-mail.js';
import {
  type DecidedStep,
  type DecisionDeliveryDependencies,
  handDecisionTo,
  isDecided,
  recordDecisionAudit,
  reviewStepDetail,
} from './decision-delivery.js';
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
export interface RequestApprovalDependencies extends DecisionDeliveryDependencies {
  approvals: Pick<ApprovalStore, 'getStep' | 'openStep' | 'markMailed' | 'setTaskToken'>;
  mailer: Mailer;
  metrics: ReviewMetrics;
  /** The links are `${approvalBaseUrl}/${secret}`. */
  approvalBaseUrl: string;
  newSecret?: () => string;
  logger?: ReviewLogger;
}

/** What happened, in counts only. */
export interface ApprovalRequestOutcome {
  /** Links created and mailed (0 when a retried invocation found its links already sent). */
  linksSent: number;
  /** True when this was a retry of an attempt that had already been sent. */
  alreadySent: boolean;
  /** True when the step had been decided already and this invocation handed the decision over. */
  alreadyDecided: boolean;
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
 * Order: store, audit, mail, mark mailed. A link works from the moment its mail can arrive, and no
 * approver is asked without the request on record. A failure before the mark leaves the step
 * unmarked, so the retry issues a complete fresh set (the earlier mails' links then say they were
 * replaced); once marked, a retried invocation only points the links at its new task token.
 *
 * Step Functions retries this task with a new token, and an approver may decide in between: a step
 * found decided gets its decision handed to the token waiting now, so no decision is ever lost
 * between two invocations (and a decision whose delivery failed is delivered at the next reminder).
 */
export async function requestApproval(
  input: ApprovalRequestInput,
  dependencies: RequestApprovalDependencies,
): Promise<ApprovalRequestOutcome> {
  const now = (dependencies.now ?? (() => new Date()))();
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
    if (isDecided(existing)) return handOver(existing, stepIndex, input, dependencies);
    if (
      existing.status === 'PENDING' &&
      existing.attempt === input.attempt &&
      existing.mailedAt !== undefined
    ) {
      // A retried invocation: the mails went out; the waiting task now has a new token.
      await dependencies.approvals.setTaskToken(existing.linkHashes, input.taskToken);
      // A decision that landed before the token moved went to the old token: hand it over again.
      const after = await dependencies.approvals.getStep(input.submissionId, input.revision, input.stepId);
      if (after !== undefined && isDecided(after)) return handOver(after, stepIndex, input, dependencies);
      logger.info('approval request already sent; task token updated', {
        stepId: input.stepId,
        attempt: input.attempt,
        links: existing.linkHashes.length,
      });
      return { linksSent: 0, alreadySent: true, alreadyDecided: false };
    }
    if (existing.status !== 'PENDING' || existing.attempt > input.attempt) {
      throw new ReviewStepClosedError(existing.status === 'PENDING' ? 'SUPERSEDED' : existing.status);
    }
  }

  const expiresAt = new Date(now.getTime() + step.timeoutHours * 3_600_000).toISOString();
  const issued = step.approvers.map((approver) => {
    const secret = (dependencies.newSecret ?? newLinkSecret)();
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
  const opened = await dependencies.approvals.openStep(
    record,
    issued.map(({ link }) => link),
  );
  if (!opened) {
    // Decided (or moved on) since it was read: settle it as the step now stands.
    const current = await dependencies.approvals.getStep(input.submissionId, input.revision, input.stepId);
    if (current !== undefined && isDecided(current)) return handOver(current, stepIndex, input, dependencies);
    throw new ReviewStepClosedError(
      current?.status === 'PENDING' ? 'SUPERSEDED' : (current?.status ?? 'REVOKED'),
    );
  }

  // Audited before any mail goes out: no approver is asked without the request on record.
  await recordRequestAudit(record, stepIndex, dependencies);
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
  await dependencies.approvals.markMailed(record, now.toISOString());
  if (input.attempt > 0) dependencies.metrics.approvalNearDeadline();

  logger.info(input.attempt > 0 ? 'approval reminder sent' : 'approval request sent', {
    stepId: input.stepId,
    attempt: input.attempt,
    links: issued.length,
  });
  return { linksSent: issued.length, alreadySent: false, alreadyDecided: false };
}

/** The request in the audit log: once per step and attempt, however often the task is retried. */
async function recordRequestAudit(
  record: ReviewStepRecord,
  stepIndex: number,
  dependencies: RequestApprovalDependencies,
): Promise<void> {
  const detail = reviewStepDetail(record.stepId, stepIndex);
  await dependencies.audit.appendOnce(
    {
      submissionId: record.submissionId,
      revision: record.revision,
      at: record.requestedAt,
      actor: { id: 'system', role: 'system' },
      action: 'APPROVAL_REQUESTED',
      detail,
    },
    `step-${detail.reviewStepIndex}#attempt-${record.attempt}`,
  );
}

/**
 * The step was decided already: its request and decision in the audit log (an earlier invocation
 * may have stopped before writing them), then the decision to the task waiting now.
 */
async function handOver(
  decided: DecidedStep,
  stepIndex: number,
  input: ApprovalRequestInput,
  dependencies: RequestApprovalDependencies,
): Promise<ApprovalRequestOutcome> {
  await recordRequestAudit(decided, stepIndex, dependencies);
  await recordDecisionAudit(decided, dependencies);
  const waiting = await handDecisionTo(input.taskToken, decided, dependencies);
  (dependencies.logger ?? SILENT_LOGGER).info('review step already decided; decision handed to the task', {
    stepId: input.stepId,
    attempt: input.attempt,
    decision: decided.status,
    waiting,
  });
  return { linksSent: 0, alreadySent: false, alreadyDecided: true };
}

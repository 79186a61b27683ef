import { WorkflowErrors } from '../config/workflow.js';
import type { AuditDetail } from '../domain/index.js';
import type { ReviewStepRecord } from '../ports/approval-store.js';
import type { AuditLog } from '../ports/audit-log.js';
import type { SubmissionStore } from '../ports/submission-store.js';
import type { Workflow } from '../ports/workflow.js';

/** The cause sent with SendTaskFailure: generic, never the comment (execution history is read for 90 days). */
export const REJECTION_CAUSE = 'rejected by reviewer';

const SHORT_CODE = /^[A-Za-z][A-Za-z0-9_.:-]{0,127}$/;

/** Audit detail of a review step: the id only where the audit schema can hold it, always the index. */
export function reviewStepDetail(stepId: string, index: number): AuditDetail {
  return {
    ...(SHORT_CODE.test(stepId) ? { reviewStepId: stepId } : {}),
    reviewStepIndex: Math.max(0, index),
  };
}

/** A review step whose decision is recorded: the step record after the winning conditional write. */
export type DecidedStep = ReviewStepRecord & { status: 'APPROVED' | 'REJECTED'; decidedBy: string };

export function isDecided(step: ReviewStepRecord): step is DecidedStep {
  return (step.status === 'APPROVED' || step.status === 'REJECTED') && step.decidedBy !== undefined;
}

/** What handing a decision over needs. */
export interface DecisionDeliveryDependencies {
  submissions: Pick<SubmissionStore, 'get' | 'patch'>;
  workflow: Pick<Workflow, 'completeTask' | 'failTask'>;
  audit: Pick<AuditLog, 'appendOnce'>;
  now?: () => Date;
}

/**
 * 谁审查、谁签发: the decision in the audit log, by the approver's id, written before the decision
 * takes effect — once per step, however often an interrupted hand-over is finished.
 */
export async function recordDecisionAudit(
  step: DecidedStep,
  dependencies: DecisionDeliveryDependencies,
): Promise<void> {
  const submission = await dependencies.submissions.get(step.submissionId);
  const stepIndex = submission?.metadata.reviewSteps.findIndex(({ id }) => id === step.stepId) ?? 0;
  const detail = reviewStepDetail(step.stepId, stepIndex);
  const now = (dependencies.now ?? (() => new Date()))();
  await dependencies.audit.appendOnce(
    {
      submissionId: step.submissionId,
      revision: step.revision,
      at: step.decidedAt ?? now.toISOString(),
      actor: { id: step.decidedBy, role: 'approver' },
      action: step.status,
      detail,
    },
    `step-${detail.reviewStepIndex}`,
  );
}

/**
 * Ends the waiting review task with the recorded decision: a rejection's comment goes onto the
 * submission first (the RETURNED path and the drafter read it there). Safe to repeat: the patch
 * writes the same value, and a task that no longer waits answers false.
 */
export async function handDecisionTo(
  taskToken: string,
  step: DecidedStep,
  dependencies: DecisionDeliveryDependencies,
): Promise<boolean> {
  if (step.status === 'REJECTED') {
    const now = (dependencies.now ?? (() => new Date()))();
    await dependencies.submissions.patch(
      step.submissionId,
      step.revision,
      { returnedComment: step.comment ?? '' },
      { now },
    );
    return dependencies.workflow.failTask(taskToken, WorkflowErrors.REVIEW_REJECTED, REJECTION_CAUSE);
  }
  return dependencies.workflow.completeTask(taskToken, { decision: 'APPROVED' });
}

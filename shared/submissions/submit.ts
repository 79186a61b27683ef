import { StaleRevisionError } from '../adapters/dynamo-submission-store.js';
import { executionName } from '../config/workflow.js';
import {
  DOCUMENT_ROLE_LABELS,
  IllegalTransitionError,
  type Submission,
  SubmissionInvalidError,
  type SubmissionRuleViolation,
  type SubmissionStatus,
  validateSubmission,
} from '../domain/index.js';
import type { AuditLog } from '../ports/audit-log.js';
import type { ObjectStore } from '../ports/object-store.js';
import type { SubmissionStore } from '../ports/submission-store.js';
import type { Workflow } from '../ports/workflow.js';
import { NewRevisionRequiredError, UploadMissingError } from './errors.js';
import { type Actor, auditOnce, type Clock, loadOwnSubmission } from './support.js';

/** What submit needs. */
export interface SubmitDependencies {
  submissions: SubmissionStore;
  audit: AuditLog;
  uploads: ObjectStore;
  workflow: Workflow;
  now: Clock;
}

/** The answer to a submit (202: the review runs in the background). */
export interface SubmitResult {
  submissionId: string;
  revision: number;
  status: SubmissionStatus;
  /** The execution that reviews this revision (`<submissionId>-r<revision>`). */
  executionName: string;
  /** False when this call started nothing new (a repeated submit). */
  started: boolean;
}

/** Statuses in which the revision has been submitted already: a repeated submit changes nothing. */
const ALREADY_SUBMITTED: ReadonlySet<SubmissionStatus> = new Set([
  'VALIDATING',
  'DEIDENTIFYING',
  'IN_REVIEW',
  'SCHEDULED',
  'PUBLISHED',
  'REGISTERED',
]);

/** Every declared document must be in `uploads` with exactly the declared size. */
async function uploadProblems(
  uploads: ObjectStore,
  submission: Submission,
): Promise<SubmissionRuleViolation[]> {
  const heads = await Promise.all(submission.documents.map((document) => uploads.head(document.key)));
  return submission.documents.flatMap((document, index): SubmissionRuleViolation[] => {
    const head = heads[index];
    const label = `第 ${index + 1} 个文件（${DOCUMENT_ROLE_LABELS[document.role]}「${document.fileName}」）`;
    if (head === undefined) {
      return [{ field: `documents.${index}`, code: 'UPLOAD_MISSING', message: `${label}还没有上传。` }];
    }
    if (head.size !== document.size) {
      return [
        {
          field: `documents.${index}`,
          code: 'UPLOAD_SIZE_MISMATCH',
          message: `${label}上传的大小（${head.size} 字节）与登记的大小（${document.size} 字节）不一致，请重新上传。`,
        },
      ];
    }
    return [];
  });
}

function requestedRevision(body: unknown): number | undefined {
  if (body === null || typeof body !== 'object') return undefined;
  const revision = (body as { revision?: unknown }).revision;
  return typeof revision === 'number' ? revision : undefined;
}

/**
 * POST /submissions/{id}/submit: checks the uploads, moves DRAFT → SUBMITTED, audits SUBMITTED and
 * starts the revision's execution.
 *
 * Each step can be repeated, in this order, so a retry repairs a crash between any two of them:
 * the status change is conditional and a repeat is `changed: false`; the audit is written once per
 * revision; a revision found in SUBMITTED gets its execution started (Step Functions refuses a
 * second execution of the same name, which counts as success). The execution is started last
 * because its first task expects the SUBMITTED status.
 *
 * @throws SubmissionNotFoundError (404), ForbiddenError (403), UploadMissingError (409),
 *   SubmissionInvalidError (400), NewRevisionRequiredError / IllegalTransitionError / StaleRevisionError (409)
 */
export async function submitSubmission(
  deps: SubmitDependencies,
  request: { caller: Actor; submissionId: string; body?: unknown },
): Promise<SubmitResult> {
  const now = deps.now();
  const submission = await loadOwnSubmission(deps.submissions, request.submissionId, request.caller);
  const revision = requestedRevision(request.body) ?? submission.revision;
  if (revision !== submission.revision) throw new StaleRevisionError(revision, submission.revision);
  const name = executionName(submission.id, submission.revision);
  const result = (status: SubmissionStatus, started: boolean): SubmitResult => ({
    submissionId: submission.id,
    revision: submission.revision,
    status,
    executionName: name,
    started,
  });

  if (ALREADY_SUBMITTED.has(submission.status)) return result(submission.status, false);
  if (submission.status === 'RETURNED' || submission.status === 'FAILED') {
    throw new NewRevisionRequiredError(submission.status);
  }
  if (submission.status !== 'DRAFT' && submission.status !== 'SUBMITTED') {
    throw new IllegalTransitionError(submission.status, 'SUBMITTED');
  }

  if (submission.status === 'DRAFT') {
    // The rules are checked again at the moment of submitting: e.g. a planned release time that
    // was in the future when the draft was created may have passed since.
    const violations = validateSubmission(submission, { now });
    if (violations.length > 0) throw new SubmissionInvalidError(violations);
    const problems = await uploadProblems(deps.uploads, submission);
    if (problems.length > 0) throw new UploadMissingError(problems);
  }

  let transition: Awaited<ReturnType<SubmissionStore['transition']>>;
  try {
    transition = await deps.submissions.transition(submission.id, submission.revision, 'SUBMITTED', { now });
  } catch (error) {
    // A concurrent submit won and the execution has already moved the revision on.
    if (error instanceof IllegalTransitionError && ALREADY_SUBMITTED.has(error.from))
      return result(error.from, false);
    throw error;
  }
  const { from } = transition;
  await auditOnce(deps.audit, {
    submissionId: submission.id,
    revision: submission.revision,
    at: now,
    actor: { id: request.caller.id, role: 'drafter' },
    action: 'SUBMITTED',
    fromStatus: from,
    toStatus: 'SUBMITTED',
  });
  const { started } = await deps.workflow.start(name, {
    submissionId: submission.id,
    revision: submission.revision,
  });
  return result('SUBMITTED', started);
}

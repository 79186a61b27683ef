import { type ValidateOutput, ValidateOutputSchema } from '../config/workflow.js';
import {
  type ConsistencyFinding,
  checkConsistency,
  DocumentRejectedError,
  readDocument,
} from '../documents/index.js';
import {
  DOCUMENT_ROLE_LABELS,
  type DocumentRef,
  interpretationRefersToPolicy,
  type Submission,
  SubmissionInvalidError,
  type SubmissionStatus,
  statusAfterValidation,
} from '../domain/index.js';
import type { GongkaiError } from '../errors.js';
import type { AuditLog } from '../ports/audit-log.js';
import type { ObjectStore } from '../ports/object-store.js';
import type { SubmissionStore } from '../ports/submission-store.js';
import { workKeys } from '../storage-keys.js';
import { RevisionAlreadyReturnedError } from './errors.js';
import { auditOnce, type Clock, loadSubmission, SYSTEM_ACTOR } from './support.js';

/** What validate needs. */
export interface ValidateDependencies {
  submissions: SubmissionStore;
  audit: AuditLog;
  uploads: ObjectStore;
  work: ObjectStore;
  now: Clock;
}

/** What Validate writes to `work` as the revision's consistency findings. */
export interface ConsistencyReport {
  policyDocumentId: string | null;
  interpretations: { documentId: string; fileName: string; findings: ConsistencyFinding[] }[];
}

/** The workflow's view of a validated revision: 公开属性, release time, review steps. */
function outputOf(submission: Submission, now: Date): ValidateOutput {
  const planned = submission.metadata.plannedReleaseAt;
  const releaseAt =
    planned !== undefined && Date.parse(planned) > now.getTime() ? planned : now.toISOString();
  return ValidateOutputSchema.parse({
    attribute: submission.metadata.disclosure.attribute,
    releaseAt,
    reviewSteps: submission.metadata.reviewSteps.map((step) => ({
      stepId: step.id,
      timeoutSeconds: step.timeoutHours * 3600,
    })),
  });
}

function describe(document: DocumentRef): string {
  return `${DOCUMENT_ROLE_LABELS[document.role]}「${document.fileName}」`;
}

/**
 * Ends the revision as RETURNED with the comment the drafter must act on (it names the documents,
 * and stays in DynamoDB), then throws `error` for the workflow: its name is one the state machine
 * routes to the RETURNED path (`SUBMISSION_REJECTED_ERRORS`), and its message, which lands in the
 * execution history, names no file.
 */
async function reject(
  deps: ValidateDependencies,
  submission: Submission,
  comment: string,
  error: GongkaiError,
  now: Date,
): Promise<never> {
  const { from } = await deps.submissions.transition(submission.id, submission.revision, 'RETURNED', {
    now,
    patch: { returnedComment: comment.slice(0, 2000) },
  });
  await auditOnce(deps.audit, {
    submissionId: submission.id,
    revision: submission.revision,
    at: now,
    actor: SYSTEM_ACTOR,
    action: 'RETURNED',
    fromStatus: from,
    toStatus: 'RETURNED',
    detail: { errorName: error.name },
  });
  throw error;
}

/**
 * What a retry throws for a revision an earlier attempt already returned: that attempt's refusal,
 * by the name its RETURNED audit event recorded, so the retry is routed and recorded the same way.
 */
async function alreadyReturned(
  deps: ValidateDependencies,
  submission: Submission,
): Promise<RevisionAlreadyReturnedError> {
  const events = await deps.audit.list(submission.id);
  const returned = events.find(
    (event) => event.revision === submission.revision && event.action === 'RETURNED',
  );
  return new RevisionAlreadyReturnedError(returned?.detail?.errorName);
}

async function auditValidated(
  deps: ValidateDependencies,
  submission: Submission,
  from: SubmissionStatus,
  to: SubmissionStatus,
  now: Date,
): Promise<void> {
  await auditOnce(deps.audit, {
    submissionId: submission.id,
    revision: submission.revision,
    at: now,
    actor: SYSTEM_ACTOR,
    action: 'VALIDATED',
    fromStatus: from,
    toStatus: to,
  });
}

type Intake =
  | { document: DocumentRef; text: string; html: string }
  | { document: DocumentRef; problem: string; error: DocumentRejectedError };

function refused(document: DocumentRef, error: DocumentRejectedError): Intake {
  return { document, problem: `${describe(document)}：${error.message}`, error };
}

async function intake(uploads: ObjectStore, document: DocumentRef): Promise<Intake> {
  const bytes = await uploads.get(document.key);
  if (bytes === undefined) {
    return refused(
      document,
      new DocumentRejectedError('找不到上传的文件（上传地址可能已过期），请重新上传。'),
    );
  }
  if (bytes.length !== document.size) {
    return refused(document, new DocumentRejectedError('上传的文件大小与登记的不一致，请重新上传。'));
  }
  try {
    const read = await readDocument(bytes, document.fileName);
    return { document, text: read.text, html: read.html };
  } catch (error) {
    // Intake's messages say what was wrong and what to do, and never quote the content.
    if (error instanceof DocumentRejectedError) return refused(document, error);
    throw error;
  }
}

/**
 * Task Validate: SUBMITTED → VALIDATING; reads every upload through intake into normalized text and
 * safe HTML in `work`; checks that each 解读 names its 原文 (title or 文号); writes the 原文⇄解读
 * consistency findings (they inform the reviewers, they do not block); then moves on by 公开属性
 * (DEIDENTIFYING or IN_REVIEW) and audits VALIDATED.
 *
 * Anything the drafter must fix ends the revision as RETURNED with a Chinese comment naming the
 * document, and throws the refusal (a `DocumentRejectedError` or a `SubmissionInvalidError`),
 * which the state machine routes to the RETURNED path. A retry after success returns the same output without redoing the work.
 */
export async function validateSubmissionTask(
  deps: ValidateDependencies,
  input: { submissionId: string; revision: number },
): Promise<ValidateOutput> {
  const now = deps.now();
  const current = await loadSubmission(deps.submissions, input.submissionId);
  const next = statusAfterValidation(current.metadata.disclosure.attribute);
  if (current.revision === input.revision) {
    if (current.status === next) {
      // A retry after success: repair a missing audit event (a crash after the status change), redo nothing else.
      await auditValidated(deps, current, next, next, now);
      return outputOf(current, now);
    }
    if (current.status === 'RETURNED') throw await alreadyReturned(deps, current);
  }
  const { submission } = await deps.submissions.transition(input.submissionId, input.revision, 'VALIDATING', {
    now,
  });

  // One document at a time: each may be up to the intake limit, and the function's memory is finite.
  const results: Intake[] = [];
  for (const document of submission.documents) results.push(await intake(deps.uploads, document));
  const refusals = results.flatMap((result) => ('problem' in result ? [result] : []));
  const first = refusals[0];
  if (first !== undefined) {
    const problems = refusals.map((result) => result.problem).join(' ');
    await reject(deps, submission, `文件未通过校验，请修改后提交新的修订版本：${problems}`, first.error, now);
  }
  const texts = results.flatMap((result) => ('text' in result ? [result] : []));

  const { title, documentNumber } = submission.metadata;
  const unlinked = texts.filter(
    ({ document, text }) =>
      document.role === 'interpretation' && !interpretationRefersToPolicy(title, documentNumber, text),
  );
  if (unlinked.length > 0) {
    const names = unlinked.map(({ document }) => describe(document)).join('、');
    const what = documentNumber === undefined ? '标题' : '标题或文号';
    const violations = unlinked.map(({ document }) => {
      const index = submission.documents.indexOf(document);
      return {
        field: `documents.${index}`,
        code: 'INTERPRETATION_NOT_LINKED',
        message: `第 ${index + 1} 个文件（解读）中找不到原文的${what}，请在解读正文中写明它解读的是哪份原文。`,
      };
    });
    await reject(
      deps,
      submission,
      `${names}中找不到原文的${what}。解读应写明它解读的是哪份原文：请在解读正文中写出原文${what}，然后提交新的修订版本。`,
      new SubmissionInvalidError(violations),
      now,
    );
  }

  for (const { document, text, html } of texts) {
    await deps.work.put(workKeys.text(submission.id, submission.revision, document.id), text, {
      contentType: 'text/plain; charset=utf-8',
    });
    await deps.work.put(workKeys.html(submission.id, submission.revision, document.id), html, {
      contentType: 'text/html; charset=utf-8',
    });
  }

  const policy = texts.find(({ document }) => document.role === 'policy');
  const report: ConsistencyReport = {
    policyDocumentId: policy?.document.id ?? null,
    interpretations: texts
      .filter(({ document }) => document.role === 'interpretation')
      .map(({ document, text }) => ({
        documentId: document.id,
        fileName: document.fileName,
        findings: policy === undefined ? [] : checkConsistency(policy.text, text),
      })),
  };
  await deps.work.put(workKeys.consistency(submission.id, submission.revision), JSON.stringify(report), {
    contentType: 'application/json',
  });

  const { from } = await deps.submissions.transition(submission.id, submission.revision, next, {
    now,
  });
  await auditValidated(deps, submission, from, next, now);
  return outputOf(submission, now);
}

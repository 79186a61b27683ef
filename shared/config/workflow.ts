import * as z from 'zod/mini';
import { useEnglishZodMessages } from '../zod-locale.js';

useEnglishZodMessages();

/**
 * The contract between the review state machine (`infra/constructs/review-workflow.ts`) and the
 * task handlers (`functions/*.ts`): what each task receives, what it must return, and the error
 * names the state machine's Catch clauses match on.
 *
 * Only ids, small flags and S3-key-sized strings travel through the execution state: never document
 * text, never personal data, never comments (execution history is readable by operators for 90 days).
 * Handlers may parse their event with the `...InputSchema` and should return a value that satisfies
 * the `...OutputSchema`; the state machine keeps only the fields named there.
 */

/** Deterministic state machine name, so its ARN can be built without a reference (no dependency cycle). */
export const STATE_MACHINE_NAME = 'gongkai-review';

/** How many reminders a review step sends after its first request times out before the review expires. */
export const MAX_REMINDERS = 2;

/** Longest review step Step Functions accepts for one task (a Standard execution lasts at most a year). */
export const MAX_REVIEW_STEP_TIMEOUT_SECONDS = 365 * 24 * 60 * 60;

/** Error names the state machine matches on (Lambda reports `error.name` as the error type). */
export const WorkflowErrors = {
  /** Sent by approval-page with SendTaskFailure when an approver rejects; ends the revision RETURNED. */
  REVIEW_REJECTED: 'ReviewRejected',
  /** Raised inside the review Map after the last reminder timed out (status already recorded). */
  REVIEW_EXPIRED: 'ReviewExpired',
  /** Raised inside the review Map when recording an expiry failed; the FAILED path records it again. */
  REVIEW_STEP_FAILED: 'ReviewStepFailed',
  /** The state machine's final error on every FAILED path. */
  EXECUTION_FAILED: 'GongkaiExecutionFailed',
  /** Validate returned a 公开属性 the Choice does not know. */
  UNKNOWN_ATTRIBUTE: 'UnknownDisclosureAttribute',
} as const;

/**
 * Error names Validate may throw when the drafter must fix the submission (a rule violation or a
 * refused document): the revision ends RETURNED with the message, not FAILED. Step Functions
 * matches names exactly (no inheritance), so every subclass of `DocumentRejectedError` is listed;
 * a test keeps this list in step with `shared/documents/errors.ts`.
 */
export const SUBMISSION_REJECTED_ERRORS = [
  'SubmissionInvalidError',
  'DocumentRejectedError',
  'UnsupportedFormatError',
  'EmptyDocumentError',
  'DocumentTooLargeError',
  'ZipBombError',
  'UnsafeXmlError',
  'BinaryContentError',
  'UndecodableTextError',
  'CorruptDocumentError',
] as const;

/** Execution name of a revision: a repeated submit of the same revision starts nothing new. */
export function executionName(submissionId: string, revision: number): string {
  return `${submissionId}-r${revision}`;
}

/**
 * CloudWatch namespace and metric request-approval emits (as Embedded Metric Format on stdout, no
 * dimensions) when it sends a reminder (`attempt > 0`); the `ApprovalsNearDeadline` alarm watches it.
 */
export const APPROVALS_NEAR_DEADLINE_METRIC = {
  namespace: 'Gongkai',
  metricName: 'ApprovalsNearDeadline',
} as const;

const SubmissionId = z.string().check(z.minLength(1), z.maxLength(64));
const Revision = z.number().check(z.int(), z.gte(1));
const StepId = z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/));

/** The `{ Error, Cause }` object a Catch puts at `$.error`. */
export const CaughtErrorSchema = z.object({ Error: z.string(), Cause: z.optional(z.string()) });

/** Input of every execution (set by submit). */
export const ExecutionInputSchema = z.object({ submissionId: SubmissionId, revision: Revision });
export type ExecutionInput = z.infer<typeof ExecutionInputSchema>;

/** validate: input. */
export const ValidateInputSchema = ExecutionInputSchema;

/** One review step, in order (e.g. 公开审查/保密审查 then 审签). */
export const ReviewStepSchema = z.object({
  stepId: StepId,
  /** How long one approval request (and each reminder) waits before it times out. */
  timeoutSeconds: z.number().check(z.int(), z.gte(1), z.lte(MAX_REVIEW_STEP_TIMEOUT_SECONDS)),
});

/** validate: output (kept at `$.validation`). */
export const ValidateOutputSchema = z.object({
  attribute: z.enum(['PROACTIVE', 'AFTER_REDACTION', 'ON_REQUEST', 'NOT_DISCLOSED']),
  /** Planned release time; the Wait state waits until it (a past time releases at once). */
  releaseAt: z.iso.datetime({ offset: true }),
  reviewSteps: z.array(ReviewStepSchema).check(z.minLength(1), z.maxLength(10)),
});
export type ValidateOutput = z.infer<typeof ValidateOutputSchema>;

/** deidentify: input. Its return value is discarded: results and the redaction report go to `work`. */
export const DeidentifyInputSchema = ExecutionInputSchema;

/**
 * request-approval (waitForTaskToken): input. `attempt` is 0 for the first request and 1..MAX_REMINDERS
 * for reminders. The handler stores the task token beside the hashed link secret; the token never appears
 * in a URL, an e-mail or a log. Its return value is ignored: the task ends when approval-page calls
 * SendTaskSuccess (approved; output ignored) or SendTaskFailure with error `ReviewRejected`.
 */
export const RequestApprovalInputSchema = z.extend(ExecutionInputSchema, {
  stepId: StepId,
  attempt: z.number().check(z.int(), z.gte(0), z.lte(MAX_REMINDERS)),
  taskToken: z.string().check(z.minLength(1)),
});

/** Statuses the state machine records (a subset of the domain's lifecycle). */
export const RECORDED_STATUSES = ['SCHEDULED', 'PUBLISHED', 'REGISTERED', 'RETURNED', 'FAILED'] as const;

/** Why a status was recorded, for the audit event and the drafter's view. */
export const STATUS_REASONS = [
  'REVIEW_APPROVED',
  'BUNDLE_VERIFIED',
  'REVIEW_REJECTED',
  'REVIEW_EXPIRED',
  'SUBMISSION_REJECTED',
  'TASK_FAILED',
  'NOTIFY_FAILED',
  'UNKNOWN_ATTRIBUTE',
] as const;

/**
 * record-status: input. Returns nothing the state machine reads.
 * - REVIEW_EXPIRED (with `stepId`): the handler revokes the step's open links.
 * - RETURNED: the reviewer's comment is already in DynamoDB (approval-page wrote it); `error.Cause`
 *   carries only the machine-readable rejection, never the comment.
 * - FAILED with NOTIFY_FAILED: the revision is already SCHEDULED/PUBLISHED/REGISTERED/RETURNED; the
 *   handler appends an audit event and need not change the status.
 */
export const RecordStatusInputSchema = z.extend(ExecutionInputSchema, {
  status: z.enum(RECORDED_STATUSES),
  reason: z.enum(STATUS_REASONS),
  stepId: z.optional(StepId),
  error: z.optional(CaughtErrorSchema),
});

/** publish: input. */
export const PublishInputSchema = ExecutionInputSchema;

/** publish: output (kept at `$.publication`). */
export const PublishOutputSchema = z.object({
  bundleId: z.string().check(z.minLength(1), z.maxLength(64)),
  indexNumber: z.string().check(z.minLength(1)),
});

/** verify: input. Return value discarded; a finding throws (the FAILED path records it). */
export const VerifyInputSchema = z.extend(ExecutionInputSchema, {
  bundleId: z.string().check(z.minLength(1), z.maxLength(64)),
});

/** Outcomes notify tells the drafter about. */
export const NOTIFY_OUTCOMES = ['PUBLISHED', 'REGISTERED', 'RETURNED'] as const;

/** notify: input (`bundleId` only when PUBLISHED). Return value discarded. */
export const NotifyInputSchema = z.extend(ExecutionInputSchema, {
  outcome: z.enum(NOTIFY_OUTCOMES),
  bundleId: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
});

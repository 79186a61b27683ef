import { SUBMISSION_REJECTED_ERRORS } from '../config/workflow.js';
import type { SubmissionRuleViolation } from '../domain/index.js';
import { STATUS_LABELS, type SubmissionStatus } from '../domain/index.js';
import { GongkaiError } from '../errors.js';

/** A request body (other than a submission's content) has field-level problems. */
export class RequestInvalidError extends GongkaiError {
  constructor(readonly violations: readonly SubmissionRuleViolation[]) {
    super(
      `请求有 ${violations.length} 处需要修改：` +
        violations.map((violation, index) => `${index + 1}. ${violation.message}`).join(' '),
    );
  }
}

/** Submit found a document the drafter has not uploaded (or not completely). */
export class UploadMissingError extends GongkaiError {
  override readonly httpStatus: number = 409;
  constructor(readonly violations: readonly SubmissionRuleViolation[]) {
    super(
      `有 ${violations.length} 个文件还没有上传完成：` +
        violations.map((violation) => violation.message).join(' ') +
        ' 请用创建提交时返回的上传地址上传后再提交；上传地址过期的，请重新创建修订版本。',
    );
  }
}

/** Submit was called on a revision that ended (RETURNED/FAILED): the fix is a new revision. */
export class NewRevisionRequiredError extends GongkaiError {
  override readonly httpStatus: number = 409;
  constructor(readonly status: SubmissionStatus) {
    super(
      `当前版本状态为「${STATUS_LABELS[status]}」，不能再次提交。请按退回意见修改后，提交新的修订版本（POST /submissions/{id}/revisions），再提交审核。`,
    );
  }
}

/** A task needs a work product (normalized text, HTML) that an earlier step should have written. */
export class WorkProductMissingError extends GongkaiError {
  override readonly httpStatus: number = 500;
  constructor(readonly documentId: string) {
    super(`文件 ${documentId} 的中间处理结果缺失，无法继续处理。请联系运维人员。`);
  }
}

/** The replacement named in a supersession is not a published bundle. */
export class ReplacementNotFoundError extends GongkaiError {
  override readonly httpStatus: number = 400;
  constructor() {
    super('找不到用于替代的发布包，请检查「替代文件的发布包编号」是否正确（应为已发布文件的发布包编号）。');
  }
}

/** A published submission has no catalog entry, so its 效力状态 cannot be changed. */
export class CatalogEntryMissingError extends GongkaiError {
  override readonly httpStatus: number = 409;
  constructor() {
    super('该文件的公开目录条目不存在，暂时无法撤回。请稍后重试；如持续出现，请联系运维人员。');
  }
}

/** The state machine asked record-status for a combination of status and reason it does not send. */
export class UnexpectedStatusReasonError extends GongkaiError {
  override readonly httpStatus: number = 400;
  constructor(
    readonly status: string,
    readonly reason: string,
  ) {
    super(`record-status: reason ${reason} does not go with status ${status}.`);
  }
}

/**
 * A retried Validate found its revision already RETURNED by an earlier attempt. The error takes the
 * name of that attempt's refusal (e.g. `BinaryContentError`): Step Functions and RecordStatus know
 * an error only by its name, so a retry must report the same cause as the first run, not a new one.
 * A name that is not a refusal the state machine routes to RETURNED (or none) becomes
 * `SubmissionInvalidError`, which it does.
 */
export class RevisionAlreadyReturnedError extends GongkaiError {
  constructor(refusalName: string | undefined) {
    super('该版本已退回起草人，退回意见见提交详情。');
    this.name =
      refusalName !== undefined && (SUBMISSION_REJECTED_ERRORS as readonly string[]).includes(refusalName)
        ? refusalName
        : 'SubmissionInvalidError';
  }
}

import { GongkaiError } from '../errors.js';

/**
 * Errors of the review: approval requests (task errors the state machine's Catch sees by name) and
 * the approval page (each carries the HTTP status the page answers with). Messages are shown to the
 * approver or recorded for the operator; none quotes a link secret, a task token or a comment.
 */

/** The link is unknown, malformed or altered. Deliberately the same answer for all three. */
export class ApprovalLinkNotFoundError extends GongkaiError {
  override readonly httpStatus: number = 404;
  constructor() {
    super('审核链接无效。请核对邮件中的链接是否完整；如仍无法打开，请联系起草人重新发送审核请求。');
  }
}

/** The link's time limit has passed. */
export class ApprovalLinkExpiredError extends GongkaiError {
  override readonly httpStatus: number = 410;
  constructor() {
    super('审核链接已过期。如仍需审核，请使用最新的提醒邮件中的链接，或联系起草人。');
  }
}

/** A reminder replaced the link, the review expired, or the submission was withdrawn. */
export class ApprovalLinkRevokedError extends GongkaiError {
  override readonly httpStatus: number = 410;
  constructor() {
    super('该审核链接已作废（已发送新的审核链接、审核已截止或提交已撤回）。请使用最新邮件中的链接。');
  }
}

/** The step was already decided, by this link before or by another approver of the step. */
export class ApprovalAlreadyDecidedError extends GongkaiError {
  override readonly httpStatus: number = 409;
  constructor() {
    super('该审查环节已处理完毕，无需再次提交。');
  }
}

/** A POST that did not come from the page itself (another site, or no form token). */
export class ApprovalRequestForbiddenError extends GongkaiError {
  override readonly httpStatus: number = 403;
  constructor() {
    super('请在审核页面中点击按钮提交决定。请重新打开邮件中的链接后再操作。');
  }
}

/** The submitted form is not one the page renders (no decision, a comment too long, …). */
export class ApprovalFormInvalidError extends GongkaiError {
  override readonly httpStatus: number = 400;
}

/** A rejection must say why: the drafter acts on the comment. */
export class RejectionCommentRequiredError extends ApprovalFormInvalidError {
  constructor() {
    super('退回时必须填写审核意见，说明需要起草人修改的内容。');
  }
}

/** request-approval was asked for a step the revision's metadata does not have. */
export class UnknownReviewStepError extends GongkaiError {
  override readonly httpStatus: number = 500;
  constructor() {
    super('The review step is not among the review steps of the revision; check the state machine input.');
  }
}

/** request-approval found no submission, or a newer revision than the execution's. */
export class ReviewSubmissionMissingError extends GongkaiError {
  override readonly httpStatus: number = 500;
  constructor() {
    super('The submission revision under review no longer exists or is no longer current.');
  }
}

/**
 * request-approval found the step already decided, expired or revoked, or at a later attempt: there
 * is nothing to request, and no decision can reach this task's token any more.
 */
export class ReviewStepClosedError extends GongkaiError {
  override readonly httpStatus: number = 500;
  constructor(readonly status: string) {
    super(`The review step is no longer pending (${status}); no new approval links were sent.`);
  }
}

/**
 * The review: approval requests and reminders (request-approval), the approval page and the
 * decision (approval-page), with their page and mail templates.
 */
export { approvalMail } from './approval-mail.js';
export {
  type ApprovalHttpRequest,
  type ApprovalHttpResponse,
  type ApprovalPageDependencies,
  MAX_COMMENT_LENGTH,
  serveApproval,
} from './approval-page.js';
export { REJECTION_CAUSE, reviewStepDetail } from './decision-delivery.js';
export * from './errors.js';
export { formTokenFor, isCrossSiteRequest, isValidFormToken } from './form-token.js';
export { type LinkState, resolveLink } from './link-state.js';
export { type ReviewLogger, SILENT_LOGGER } from './logger.js';
export { EmfReviewMetrics, type ReviewMetrics } from './metrics.js';
export {
  type ApprovalRequestInput,
  type ApprovalRequestOutcome,
  approvalLinkUrl,
  type RequestApprovalDependencies,
  requestApproval,
} from './request-approval.js';

import type { Submission } from '../domain/index.js';
import { GongkaiError } from '../errors.js';
import { PAGE_SECURITY_HEADERS } from '../http/security-headers.js';
import type { ApprovalLink, ApprovalStore, ReviewStepRecord } from '../ports/approval-store.js';
import type { ObjectStore } from '../ports/object-store.js';
import type { SubmissionStore } from '../ports/submission-store.js';
import { type PageOptions, renderApprovalPage, renderNoticePage } from './approval-page-template.js';
import {
  type DecidedStep,
  type DecisionDeliveryDependencies,
  handDecisionTo,
  isDecided,
  recordDecisionAudit,
} from './decision-delivery.js';
import {
  ApprovalAlreadyDecidedError,
  ApprovalFormInvalidError,
  ApprovalLinkExpiredError,
  ApprovalLinkNotFoundError,
  ApprovalLinkRevokedError,
  ApprovalRequestForbiddenError,
  RejectionCommentRequiredError,
} from './errors.js';
import { formTokenFor, isCrossSiteRequest, isValidFormToken } from './form-token.js';
import { type LinkState, resolveLink } from './link-state.js';
import { type ReviewLogger, SILENT_LOGGER } from './logger.js';
import { loadReviewMaterial } from './review-material.js';

/** Longest comment an approver may give (the submission keeps at most this much). */
export const MAX_COMMENT_LENGTH = 2000;
/** Largest form body accepted: a comment of 2,000 characters, percent-encoded, fits many times over. */
const MAX_FORM_BYTES = 64 * 1024;

/** The request as the page sees it, independent of API Gateway. Header names are lower-case. */
export interface ApprovalHttpRequest {
  method: string;
  /** The `{token}` path segment: the link secret. Never logged. */
  secret: string;
  headers: Readonly<Record<string, string | undefined>>;
  query: Readonly<Record<string, string | undefined>>;
  /** The raw body, already base64-decoded. */
  body?: string;
  /** Host names this page is served under (Host header, API domain), for the Origin check. */
  ownHosts: readonly (string | undefined)[];
}

/** An HTML answer with the page security headers. */
export interface ApprovalHttpResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/** What the approval page needs. */
export interface ApprovalPageDependencies extends DecisionDeliveryDependencies {
  approvals: Pick<ApprovalStore, 'getLink' | 'getStep' | 'decide' | 'markDelivered'>;
  submissions: Pick<SubmissionStore, 'get' | 'patch'>;
  work: Pick<ObjectStore, 'get'>;
  logger?: ReviewLogger;
}

type Decision = 'APPROVED' | 'REJECTED';

/**
 * Serves `GET|HEAD|POST /approvals/{secret}`.
 *
 * GET and HEAD only read (mail scanners and link previews fetch links): they show the page, or why
 * the link no longer works. Only a POST from the page's own form decides — same-origin
 * (`Sec-Fetch-Site`/`Origin`), with the link's form token — and only once: the store's conditional
 * write lets the first decision of the step win. Every answer is HTML with the page security headers.
 */
export async function serveApproval(
  request: ApprovalHttpRequest,
  dependencies: ApprovalPageDependencies,
): Promise<ApprovalHttpResponse> {
  const options: PageOptions = { elder: request.query.elder === '1' };
  const logger = dependencies.logger ?? SILENT_LOGGER;
  const method = request.method.toUpperCase();
  let response: ApprovalHttpResponse;
  try {
    if (method === 'GET' || method === 'HEAD') response = await show(request, dependencies, options);
    else if (method === 'POST') response = await decide(request, dependencies, options);
    else
      response = {
        ...page(
          405,
          renderNoticePage({ heading: '不支持的请求', message: '请直接打开邮件中的审核链接。', options }),
        ),
        headers: { ...PAGE_SECURITY_HEADERS, allow: 'GET, HEAD, POST' },
      };
  } catch (error) {
    response = errorPage(error, options, logger);
  }
  return method === 'HEAD' ? { ...response, body: '' } : response;
}

function page(statusCode: number, body: string): ApprovalHttpResponse {
  return { statusCode, headers: { ...PAGE_SECURITY_HEADERS }, body };
}

const ERROR_HEADINGS: Readonly<Record<number, string>> = {
  400: '提交的内容有误',
  403: '请求被拒绝',
  404: '链接无效',
  409: '已处理',
  410: '链接已失效',
};

function errorPage(error: unknown, options: PageOptions, logger: ReviewLogger): ApprovalHttpResponse {
  if (error instanceof GongkaiError && error.httpStatus < 500) {
    logger.info('approval request refused', { errorName: error.name, status: error.httpStatus });
    const heading = ERROR_HEADINGS[error.httpStatus] ?? '无法处理';
    return page(
      error.httpStatus,
      renderNoticePage({ heading, message: error.message, options, role: 'alert' }),
    );
  }
  const name =
    error instanceof Error && /^[A-Za-z][A-Za-z0-9_.]{0,80}$/.test(error.name) ? error.name : 'Error';
  logger.warn('approval request failed', { errorName: name });
  return page(
    500,
    renderNoticePage({
      heading: '系统暂时无法处理',
      message:
        '系统内部错误，您的操作可能尚未记录。请稍后重新打开邮件中的链接查看；如持续出现，请联系运维人员。',
      options,
      role: 'alert',
    }),
  );
}

function throwFor(state: LinkState): never {
  switch (state.kind) {
    case 'unknown':
      throw new ApprovalLinkNotFoundError();
    case 'expired':
      throw new ApprovalLinkExpiredError();
    case 'revoked':
      throw new ApprovalLinkRevokedError();
    default:
      throw new ApprovalAlreadyDecidedError();
  }
}

const DECISION_TEXT: Readonly<Record<Decision, string>> = {
  APPROVED: '同意',
  REJECTED: '退回修改',
};

function decidedPage(status: Decision, options: PageOptions, statusCode = 200): ApprovalHttpResponse {
  const message =
    status === 'APPROVED'
      ? '您的审核决定「同意」已记录。文件将进入下一个环节；无需其他操作，可以关闭此页面。'
      : '您的审核决定「退回修改」及审核意见已记录，起草人将收到通知。可以关闭此页面。';
  return page(
    statusCode,
    renderNoticePage({ heading: `已处理：${DECISION_TEXT[status]}`, message, options }),
  );
}

/**
 * The submission the link belongs to, if it is still the revision under review: a revision that
 * ended (FAILED, withdrawn) or was replaced has nothing left to decide, whatever its steps say.
 */
async function submissionOf(link: ApprovalLink, dependencies: ApprovalPageDependencies): Promise<Submission> {
  const submission = await dependencies.submissions.get(link.submissionId);
  if (
    submission === undefined ||
    submission.revision !== link.revision ||
    submission.status !== 'IN_REVIEW'
  ) {
    throw new ApprovalLinkRevokedError();
  }
  return submission;
}

async function openPage(
  state: { link: ApprovalLink; step: ReviewStepRecord },
  dependencies: ApprovalPageDependencies,
  options: PageOptions,
  form: { statusCode: number; comment?: string; error?: string } = { statusCode: 200 },
): Promise<ApprovalHttpResponse> {
  const submission = await submissionOf(state.link, dependencies);
  const stepIndex = submission.metadata.reviewSteps.findIndex((step) => step.id === state.link.stepId);
  const step = submission.metadata.reviewSteps[stepIndex];
  const formToken = formTokenFor(state.link);
  if (step === undefined || formToken === undefined) throw new ApprovalLinkRevokedError();
  const material = await loadReviewMaterial(submission, dependencies.work, dependencies.logger);
  return page(
    form.statusCode,
    renderApprovalPage(
      {
        submission,
        step,
        stepIndex,
        approverId: state.link.approverId,
        expiresAt: state.link.expiresAt,
        attempt: state.link.attempt,
        material,
        formToken,
        ...(form.comment === undefined ? {} : { comment: form.comment }),
        ...(form.error === undefined ? {} : { formError: form.error }),
      },
      options,
    ),
  );
}

async function show(
  request: ApprovalHttpRequest,
  dependencies: ApprovalPageDependencies,
  options: PageOptions,
): Promise<ApprovalHttpResponse> {
  const now = (dependencies.now ?? (() => new Date()))();
  const state = await resolveLink(request.secret, dependencies.approvals, now);
  if (state.kind === 'decided-here') {
    // Reopening the link after an error page finishes handing over the decision its POST recorded.
    // Nothing is decided here: the step's decision was written by that POST.
    await finishDelivery(state, dependencies);
    return decidedPage(state.step.status as Decision, options);
  }
  if (state.kind !== 'open') throwFor(state);
  return openPage(state, dependencies, options);
}

/** The fields of the page's form. */
function parseForm(request: ApprovalHttpRequest): URLSearchParams {
  const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') {
    throw new ApprovalFormInvalidError('请在审核页面中点击按钮提交决定。');
  }
  const body = request.body ?? '';
  if (Buffer.byteLength(body, 'utf8') > MAX_FORM_BYTES) {
    throw new ApprovalFormInvalidError(`审核意见不能超过 ${MAX_COMMENT_LENGTH} 个字。`);
  }
  return new URLSearchParams(body);
}

/** The comment as stored: line breaks unified, control characters removed, trimmed. */
function cleanComment(value: string | null): string {
  return (value ?? '')
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '')
    .trim();
}

async function decide(
  request: ApprovalHttpRequest,
  dependencies: ApprovalPageDependencies,
  options: PageOptions,
): Promise<ApprovalHttpResponse> {
  const logger = dependencies.logger ?? SILENT_LOGGER;
  // Before anything is read: a POST from another site gets nothing, not even whether the link exists.
  if (isCrossSiteRequest(request.headers, request.ownHosts)) throw new ApprovalRequestForbiddenError();
  const now = (dependencies.now ?? (() => new Date()))();
  const state = await resolveLink(request.secret, dependencies.approvals, now);
  if (state.kind !== 'open' && state.kind !== 'decided-here') throwFor(state);
  if (state.kind === 'decided-here' && state.link.delivered === true) throw new ApprovalAlreadyDecidedError();

  const form = parseForm(request);
  if (!isValidFormToken(state.link, form.get('form_token'))) throw new ApprovalRequestForbiddenError();

  if (state.kind === 'decided-here') {
    await finishDelivery(state, dependencies);
    return decidedPage(state.step.status as Decision, options);
  }

  const choice = form.get('decision');
  const status: Decision | undefined =
    choice === 'approve' ? 'APPROVED' : choice === 'reject' ? 'REJECTED' : undefined;
  const comment = cleanComment(form.get('comment'));
  const refusal =
    status === undefined
      ? new ApprovalFormInvalidError('请点击“同意”或“退回修改”按钮提交决定。')
      : comment.length > MAX_COMMENT_LENGTH
        ? new ApprovalFormInvalidError(`审核意见不能超过 ${MAX_COMMENT_LENGTH} 个字，请精简后再提交。`)
        : status === 'REJECTED' && comment === ''
          ? new RejectionCommentRequiredError()
          : undefined;
  if (refusal !== undefined || status === undefined) {
    logger.info('approval form refused', { errorName: refusal?.name, status: 400 });
    return openPage(state, dependencies, options, {
      statusCode: 400,
      comment: Array.from(comment).slice(0, MAX_COMMENT_LENGTH).join(''),
      error: refusal?.message ?? '',
    });
  }

  await submissionOf(state.link, dependencies);
  const won = await dependencies.approvals.decide(state.link, {
    status,
    ...(comment === '' ? {} : { comment }),
    at: now.toISOString(),
  });
  if (!won) {
    // Someone or something got there first: say what it was. If it was this very link (a write
    // whose reply was lost, a double click), its decision stands and is handed over as usual.
    const after = await resolveLink(request.secret, dependencies.approvals, now);
    if (after.kind === 'decided-here') {
      await finishDelivery(after, dependencies);
      return decidedPage(after.step.status as Decision, options);
    }
    throwFor(
      after.kind === 'revoked' || after.kind === 'expired'
        ? after
        : { kind: 'decided-elsewhere', link: state.link, step: state.step },
    );
  }
  const decided: DecidedStep = {
    ...state.step,
    status,
    decidedBy: state.link.approverId,
    decidedAt: now.toISOString(),
    comment,
  };
  await deliver(state.link, decided, dependencies);
  logger.info('approval decided', { ...ids(state.link), decision: status });
  return decidedPage(status, options);
}

/**
 * A decision this link recorded whose hand-over was interrupted (an error after the conditional
 * write, a crash): finish it. Each part is repeatable, so a second finish adds nothing.
 */
async function finishDelivery(
  state: { link: ApprovalLink; step: ReviewStepRecord },
  dependencies: ApprovalPageDependencies,
): Promise<void> {
  if (state.link.delivered === true || !isDecided(state.step)) return;
  await deliver(state.link, state.step, dependencies);
  (dependencies.logger ?? SILENT_LOGGER).info(
    'approval decision delivered after interruption',
    ids(state.link),
  );
}

function ids(link: ApprovalLink) {
  return {
    submissionId: link.submissionId,
    revision: link.revision,
    stepId: link.stepId,
    attempt: link.attempt,
  };
}

/**
 * Hands the recorded decision over: the audit record first (no decision takes effect unrecorded),
 * then the waiting task, then the link is marked delivered. The request-approval task, retried by
 * Step Functions, may have moved the link to a new token meanwhile: a task that no longer waits on
 * the token read before is tried once more with the link's current one.
 */
async function deliver(
  link: ApprovalLink,
  decided: DecidedStep,
  dependencies: ApprovalPageDependencies,
): Promise<void> {
  await recordDecisionAudit(decided, dependencies);
  let waiting = await handDecisionTo(link.taskToken, decided, dependencies);
  if (!waiting) {
    const current = await dependencies.approvals.getLink(link.hash);
    if (current !== undefined && current.taskToken !== link.taskToken) {
      waiting = await handDecisionTo(current.taskToken, decided, dependencies);
    }
  }
  if (!waiting) {
    (dependencies.logger ?? SILENT_LOGGER).warn('review task no longer waiting; decision kept', ids(link));
  }
  await dependencies.approvals.markDelivered(link.hash);
}

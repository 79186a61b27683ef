import { DocumentRoleSchema } from '../domain/index.js';
import { GongkaiError } from '../errors.js';
import { PAGE_SECURITY_HEADERS } from '../http/security-headers.js';
import { publicError } from '../lambda/errors.js';
import { bundleManifest, catalogPage, PortalNotFoundError } from '../portal/index.js';
import type { ApprovalStore } from '../ports/approval-store.js';
import type { AuditLog } from '../ports/audit-log.js';
import type { CatalogEntry, CatalogStore } from '../ports/catalog-store.js';
import type { ObjectStore } from '../ports/object-store.js';
import type { SubmissionStore } from '../ports/submission-store.js';
import type { Workflow } from '../ports/workflow.js';
import { parseManifest } from '../publication/index.js';
import { isCrossSiteRequest } from '../review/form-token.js';
import { type ReviewLogger, SILENT_LOGGER } from '../review/logger.js';
import { uploadKey } from '../storage-keys.js';
import {
  type Actor,
  type Clock,
  type CreatedSubmission,
  createRevision,
  createSubmission,
  getSubmissionView,
  listOwnSubmissions,
  submitSubmission,
} from '../submissions/index.js';
import { type Area, link, noticePage, type WebPageOptions } from './layout.js';
import {
  renderBundlePage,
  renderCatalogPage,
  renderNewSubmissionPage,
  renderStatusPage,
  renderSubmissionList,
} from './pages.js';
import {
  formTokenForSession,
  isValidSessionFormToken,
  type SessionVerifier,
  sessionToken,
} from './session.js';
import {
  emptyFormValues,
  type FormBody,
  type FormFile,
  type FormValues,
  formBody,
  formValuesFromMetadata,
  MAX_FORM_FILE_BYTES,
  readFormFiles,
  readFormValues,
  type SubmissionFormView,
} from './submission-form.js';

/**
 * The drafter's pages (`/app…`) and the portal preview (`/portal/view…`): server-rendered HTML over
 * the same use cases as the JSON API. Signed-in state is the `gk_session` cookie, checked here
 * (the HTTP API route is public: a page must redirect to sign-in, which a gateway 401 cannot do).
 */

/** What the pages need: the use cases' stores and clients, the session check, the sign-in URL. */
export interface WebDependencies {
  sessions: SessionVerifier;
  /** Where a request without a valid session is sent (`SIGN_IN_URL`). */
  signInUrl: string;
  submissions: SubmissionStore;
  audit: AuditLog;
  approvals: ApprovalStore;
  uploads: ObjectStore;
  work: ObjectStore;
  workflow: Workflow;
  catalog: CatalogStore;
  published: ObjectStore;
  now: Clock;
  /** Lifetime of the presigned URLs the create use case returns (unused by the page, which stores the bytes itself). */
  uploadUrlTtlSeconds?: number;
  /** Catalog page size of the preview. */
  catalogPageSize?: number;
  logger?: ReviewLogger;
}

/** The request as the pages see it, independent of API Gateway. Header names are lower-case. */
export interface WebRequest {
  method: string;
  /** The request path, e.g. `/app/submissions/01J…`. */
  path: string;
  query: Readonly<Record<string, string | undefined>>;
  headers: Readonly<Record<string, string | undefined>>;
  /** API Gateway v2 puts cookies here rather than in a `cookie` header. */
  cookies?: readonly string[];
  body?: Uint8Array;
  /** Host names the pages are served under, for the Origin check. */
  ownHosts: readonly (string | undefined)[];
}

/** An HTML answer (or a redirect) with the page security headers. */
export interface WebResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/** Largest request body a page accepts: Lambda's payload limit. */
export const MAX_REQUEST_BYTES = 6 * 1024 * 1024;

/** The POST was not sent by our own page (another site, or no form token). */
export class CrossSiteRequestError extends GongkaiError {
  override readonly httpStatus: number = 403;
  constructor() {
    super('请求被拒绝：只接受从本系统页面提交的表单。请回到页面重新操作。');
  }
}

/** The form was larger than a page can carry. */
export class FormTooLargeError extends GongkaiError {
  override readonly httpStatus: number = 413;
  constructor() {
    super(
      '提交的内容超过了页面上传的上限（合计 4 MB）。更大的文件请通过 API 上传（POST /submissions 返回预签名上传地址）。',
    );
  }
}

/** The body is not a form. */
export class FormUnreadableError extends GongkaiError {
  override readonly httpStatus: number = 400;
  constructor(options?: { cause?: unknown }) {
    super('无法读取提交的表单，请回到页面重新提交。', options);
  }
}

/** A path the pages do not serve. */
export class PageNotFoundError extends GongkaiError {
  override readonly httpStatus: number = 404;
  constructor() {
    super('找不到该页面，请从「我的提交」或公开目录进入。');
  }
}

interface Session {
  caller: Actor;
  token: string;
}

type Route =
  | { kind: 'list' }
  | { kind: 'new' }
  | { kind: 'create' }
  | { kind: 'status'; submissionId: string }
  | { kind: 'revise'; submissionId: string }
  | { kind: 'catalog' }
  | { kind: 'bundle'; bundleId: string };

const ID_SEGMENT = '([A-Za-z0-9_-]{1,64})';

function route(method: string, path: string): Route | undefined {
  const match = (pattern: string) => new RegExp(`^${pattern}/?$`).exec(path);
  if (method === 'GET') {
    if (match('/app')) return { kind: 'list' };
    if (match('/app/submissions/new')) return { kind: 'new' };
    const status = match(`/app/submissions/${ID_SEGMENT}`);
    if (status) return { kind: 'status', submissionId: status[1] ?? '' };
    if (match('/portal/view')) return { kind: 'catalog' };
    const bundle = match(`/portal/view/bundles/${ID_SEGMENT}`);
    if (bundle) return { kind: 'bundle', bundleId: bundle[1] ?? '' };
  }
  if (method === 'POST') {
    if (match('/app/submissions')) return { kind: 'create' };
    const revise = match(`/app/submissions/${ID_SEGMENT}/revisions`);
    if (revise) return { kind: 'revise', submissionId: revise[1] ?? '' };
  }
  return undefined;
}

function htmlPage(statusCode: number, body: string): WebResponse {
  return { statusCode, headers: { ...PAGE_SECURITY_HEADERS }, body };
}

function redirect(location: string): WebResponse {
  return { statusCode: 303, headers: { ...PAGE_SECURITY_HEADERS, location }, body: '' };
}

/**
 * The sign-in URL with `next`: the page to come back to (a same-origin path; the local sign-in
 * honours it, an identity provider's hosted sign-in ignores parameters it does not know).
 */
export function signInLocation(signInUrl: string, next: string): string {
  return `${signInUrl}${signInUrl.includes('?') ? '&' : '?'}next=${encodeURIComponent(next)}`;
}

const ERROR_HEADINGS: Readonly<Record<number, string>> = {
  400: '提交的内容有误',
  403: '无权访问',
  404: '找不到',
  409: '当前状态不能这样操作',
  413: '内容过大',
};

/**
 * Serves one request of the drafter's pages or the portal preview. Every answer is HTML with the
 * page security headers, or a 303 redirect (to sign-in, or after a form was accepted).
 */
export async function serveWeb(request: WebRequest, deps: WebDependencies): Promise<WebResponse> {
  const options: WebPageOptions = { elder: request.query.elder === '1' };
  const method = request.method.toUpperCase();
  const target = route(method, request.path);
  const area: Area = request.path.startsWith('/portal/') ? 'portal' : 'drafter';
  const pagePath = request.path;
  let session: Session | undefined;
  try {
    if (target === undefined) throw new PageNotFoundError();
    if (target.kind === 'catalog') return await catalogView(request, deps, options);
    if (target.kind === 'bundle') return await bundleView(target.bundleId, request, deps, options);

    // A forged cross-site form is refused before anything else, session or not.
    if (method === 'POST' && isCrossSiteRequest(request.headers, request.ownHosts))
      throw new CrossSiteRequestError();
    const token = sessionToken(request.cookies, request.headers.cookie);
    const caller = await deps.sessions.verify(token);
    if (caller === undefined || token === undefined)
      return redirect(
        signInLocation(deps.signInUrl, method === 'GET' ? link(pagePath, options) : link('/app', options)),
      );
    session = { caller, token };
    const context = { options, path: pagePath, drafterName: caller.name };

    switch (target.kind) {
      case 'list': {
        const cursor = request.query.cursor;
        const page = await listOwnSubmissions(deps, {
          caller,
          ...(cursor === undefined || cursor === '' ? {} : { cursor }),
        });
        return htmlPage(200, renderSubmissionList(context, { items: page.items, nextCursor: page.cursor }));
      }
      case 'new':
        return htmlPage(
          200,
          renderNewSubmissionPage(context, {
            heading: '新建提交',
            action: '/app/submissions',
            values: emptyFormValues(),
            violations: [],
            formToken: formTokenForSession(token),
            options,
          }),
        );
      case 'status':
        return await statusView(session, target.submissionId, deps, context);
      case 'create':
        return await createFromForm(session, request, deps, context);
      case 'revise':
        return await reviseFromForm(session, target.submissionId, request, deps, context);
    }
  } catch (error) {
    return errorPage(error, { area, path: pagePath, options, session }, deps.logger ?? SILENT_LOGGER);
  }
}

function errorPage(
  error: unknown,
  where: { area: Area; path: string; options: WebPageOptions; session: Session | undefined },
  logger: ReviewLogger,
): WebResponse {
  const outgoing = publicError(error);
  if (outgoing.httpStatus >= 500) logger.warn('page request failed', { errorName: outgoing.name });
  else logger.info('page request refused', { errorName: outgoing.name, status: outgoing.httpStatus });
  const heading =
    outgoing.httpStatus >= 500 ? '系统暂时无法处理' : (ERROR_HEADINGS[outgoing.httpStatus] ?? '无法处理');
  return htmlPage(
    outgoing.httpStatus,
    noticePage({
      heading,
      message: outgoing.message,
      area: where.area,
      path: where.path,
      options: where.options,
      ...(where.session === undefined ? {} : { signedInAs: where.session.caller.name }),
    }),
  );
}

async function statusView(
  session: Session,
  submissionId: string,
  deps: WebDependencies,
  context: { options: WebPageOptions; path: string; drafterName: string },
  resubmit?: Partial<SubmissionFormView>,
  statusCode = 200,
): Promise<WebResponse> {
  const view = await getSubmissionView(deps, { caller: session.caller, submissionId });
  const canRevise = view.status === 'RETURNED' || view.status === 'FAILED';
  const form: SubmissionFormView | undefined = canRevise
    ? {
        heading: '修改后重新提交',
        action: `/app/submissions/${encodeURIComponent(view.submissionId)}/revisions`,
        values: formValuesFromMetadata(view.metadata),
        violations: [],
        formToken: formTokenForSession(session.token),
        revision: view.revision,
        options: context.options,
        ...resubmit,
      }
    : undefined;
  return htmlPage(statusCode, renderStatusPage(context, view, form));
}

/** The form's fields and files; refuses a body that is not our form (token) or too large. */
async function readPostedForm(
  session: Session,
  request: WebRequest,
): Promise<{ values: FormValues; files: FormFile[]; tooLarge: boolean }> {
  const body = request.body ?? new Uint8Array(0);
  if (body.byteLength > MAX_REQUEST_BYTES) throw new FormTooLargeError();
  const contentType = request.headers['content-type'] ?? '';
  if (!/^(multipart\/form-data|application\/x-www-form-urlencoded)\b/i.test(contentType))
    throw new FormUnreadableError();
  let data: FormData;
  try {
    // The WHATWG parser Node ships: multipart boundaries, quoted file names, UTF-8 fields.
    data = await new Request('http://web.invalid/', {
      method: 'POST',
      headers: { 'content-type': contentType },
      body,
    }).formData();
  } catch (error) {
    throw new FormUnreadableError({ cause: error });
  }
  const values = readFormValues(data);
  if (!isValidSessionFormToken(session.token, values.form_token)) throw new CrossSiteRequestError();
  const files = await readFormFiles(data);
  const total = files.reduce((sum, file) => sum + file.bytes.byteLength, 0);
  return { values, files, tooLarge: total > MAX_FORM_FILE_BYTES };
}

/** Violations of a create/revision call, or the error itself when it is not about the form's content. */
function violationsOf(
  error: unknown,
): readonly { field: string; code: string; message: string }[] | undefined {
  if (!(error instanceof GongkaiError) || error.httpStatus !== 400) return undefined;
  const violations = (error as { violations?: unknown }).violations;
  return Array.isArray(violations) ? violations : undefined;
}

/** Stores each file's bytes under the key the use case generated, then submits the revision. */
async function uploadAndSubmit(
  session: Session,
  created: CreatedSubmission,
  form: FormBody,
  deps: WebDependencies,
): Promise<void> {
  await Promise.all(
    created.uploads.map(async (upload, index) => {
      const file = form.files[index];
      // The use case keeps the documents in the order given; a mismatch would store the wrong bytes.
      if (
        file === undefined ||
        file.fileName.trim() !== upload.fileName ||
        DocumentRoleSchema.parse(file.role) !== upload.role
      )
        throw new Error('The created documents do not match the uploaded files.');
      await deps.uploads.put(
        uploadKey(created.submissionId, created.revision, upload.documentId),
        file.bytes,
        {
          contentType: upload.headers['content-type'],
        },
      );
    }),
  );
  await submitSubmission(deps, {
    caller: session.caller,
    submissionId: created.submissionId,
    body: { revision: created.revision },
  });
}

function createDependencies(deps: WebDependencies) {
  return {
    submissions: deps.submissions,
    audit: deps.audit,
    uploads: deps.uploads,
    now: deps.now,
    uploadUrlTtlSeconds: deps.uploadUrlTtlSeconds ?? 900,
  };
}

const TOO_LARGE_MESSAGE =
  '所选文件合计超过 4 MB，超出页面上传的上限。请压缩文件，或通过 API 上传（POST /submissions 返回预签名上传地址）。';

async function createFromForm(
  session: Session,
  request: WebRequest,
  deps: WebDependencies,
  context: { options: WebPageOptions; path: string; drafterName: string },
): Promise<WebResponse> {
  const { values, files, tooLarge } = await readPostedForm(session, request);
  const form = formBody(values, files);
  const again = (violations: SubmissionFormView['violations'], formError?: string) =>
    htmlPage(
      400,
      renderNewSubmissionPage(
        { ...context, path: '/app/submissions/new' },
        {
          heading: '新建提交',
          action: '/app/submissions',
          values,
          violations,
          form,
          formToken: formTokenForSession(session.token),
          options: context.options,
          ...(formError === undefined ? {} : { formError }),
        },
      ),
    );
  if (tooLarge) return again([], TOO_LARGE_MESSAGE);
  let created: CreatedSubmission;
  try {
    created = await createSubmission(createDependencies(deps), { caller: session.caller, body: form.body });
  } catch (error) {
    const violations = violationsOf(error);
    if (violations === undefined) throw error;
    return again(violations);
  }
  await uploadAndSubmit(session, created, form, deps);
  deps.logger?.info('submission created from the page', {
    submissionId: created.submissionId,
    revision: created.revision,
  });
  return redirect(link(`/app/submissions/${encodeURIComponent(created.submissionId)}`, context.options));
}

async function reviseFromForm(
  session: Session,
  submissionId: string,
  request: WebRequest,
  deps: WebDependencies,
  context: { options: WebPageOptions; path: string; drafterName: string },
): Promise<WebResponse> {
  const { values, files, tooLarge } = await readPostedForm(session, request);
  const form = formBody(values, files);
  const statusContext = { ...context, path: `/app/submissions/${submissionId}` };
  const again = (violations: SubmissionFormView['violations'], formError?: string) =>
    statusView(
      session,
      submissionId,
      deps,
      statusContext,
      { values, violations, form, ...(formError === undefined ? {} : { formError }) },
      400,
    );
  if (tooLarge) return again([], TOO_LARGE_MESSAGE);
  let created: CreatedSubmission;
  try {
    created = await createRevision(createDependencies(deps), {
      caller: session.caller,
      submissionId,
      body: form.body,
    });
  } catch (error) {
    const violations = violationsOf(error);
    if (violations === undefined) throw error;
    return again(violations);
  }
  await uploadAndSubmit(session, created, form, deps);
  deps.logger?.info('revision created from the page', {
    submissionId: created.submissionId,
    revision: created.revision,
  });
  return redirect(link(`/app/submissions/${encodeURIComponent(created.submissionId)}`, context.options));
}

function portalDependencies(deps: WebDependencies) {
  return { catalog: deps.catalog, published: deps.published, defaultPageSize: deps.catalogPageSize ?? 50 };
}

async function catalogView(
  request: WebRequest,
  deps: WebDependencies,
  options: WebPageOptions,
): Promise<WebResponse> {
  const cursor = request.query.cursor;
  const response = await catalogPage(
    { query: cursor === undefined || cursor === '' ? {} : { cursor } },
    portalDependencies(deps),
  );
  const page = JSON.parse(new TextDecoder().decode(response.body)) as {
    items: CatalogEntry[];
    nextCursor?: string;
  };
  return htmlPage(
    200,
    renderCatalogPage({ options, path: request.path }, { items: page.items, nextCursor: page.nextCursor }),
  );
}

async function bundleView(
  bundleId: string,
  request: WebRequest,
  deps: WebDependencies,
  options: WebPageOptions,
): Promise<WebResponse> {
  const portal = portalDependencies(deps);
  // The portal use case checks that the catalog lists the bundle and that its manifest is intact.
  const response = await bundleManifest(bundleId, { query: {} }, portal);
  const manifest = response.body === undefined ? undefined : parseManifest(response.body);
  const entry = await deps.catalog.getEntry(bundleId);
  if (manifest === undefined || entry === undefined) throw new PortalNotFoundError('bundle');
  return htmlPage(200, renderBundlePage({ options, path: request.path }, entry, manifest));
}

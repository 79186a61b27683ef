import { type OutboxMessage, readOutbox } from './outbox.js';

/**
 * A client of the local system that does what a drafter's browser, an approver's mail client and a
 * portal do — over HTTP only, against the public routes. Used by `gongkai demo` and the
 * integration tests, so both exercise the system exactly as people would.
 */

/** A non-2xx answer. */
export class HttpStatusError extends Error {
  constructor(
    readonly method: string,
    readonly url: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`${method} ${new URL(url).pathname} answered ${status}: ${body.slice(0, 500)}`);
    this.name = 'HttpStatusError';
  }
}

/** One presigned upload as create-submission returns it. */
export interface UploadInstruction {
  documentId: string;
  role: string;
  fileName: string;
  url: string;
  method: 'PUT';
  headers: Record<string, string>;
}

/** A document to attach: what the drafter's form declares, and its bytes. */
export interface DraftDocument {
  role: 'policy' | 'interpretation' | 'attachment';
  fileName: string;
  contentType: string;
  body: Uint8Array;
}

/** The approval form of a page: where it posts and its fields (hidden ones included). */
export interface ApprovalForm {
  action: string;
  fields: Record<string, string>;
  /** Values the `decision` buttons offer. */
  decisions: string[];
}

function decodeEntities(value: string): string {
  return value
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');
}

function attribute(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
  if (match === null) return undefined;
  return decodeEntities(match[1] ?? match[2] ?? match[3] ?? '');
}

/** Reads the first POST form of an HTML page: its action (resolved against `pageUrl`) and fields. */
export function parseApprovalForm(html: string, pageUrl: string): ApprovalForm | undefined {
  const form = /<form\b[^>]*>([\s\S]*?)<\/form>/i.exec(html);
  if (form === null) return undefined;
  const openTag = /<form\b[^>]*>/i.exec(form[0])?.[0] ?? '';
  if ((attribute(openTag, 'method') ?? 'get').toLowerCase() !== 'post') return undefined;
  const fields: Record<string, string> = {};
  const decisions: string[] = [];
  for (const input of form[1]?.matchAll(/<input\b[^>]*>/gi) ?? []) {
    const name = attribute(input[0], 'name');
    if (name !== undefined) fields[name] = attribute(input[0], 'value') ?? '';
  }
  for (const area of form[1]?.matchAll(/<textarea\b[^>]*>([\s\S]*?)<\/textarea>/gi) ?? []) {
    const name = attribute(area[0], 'name');
    if (name !== undefined) fields[name] = decodeEntities(area[1] ?? '');
  }
  for (const button of form[1]?.matchAll(/<button\b[^>]*>/gi) ?? []) {
    if (attribute(button[0], 'name') === 'decision') decisions.push(attribute(button[0], 'value') ?? '');
  }
  return { action: new URL(attribute(openTag, 'action') ?? '', pageUrl).href, fields, decisions };
}

/** The local system over HTTP. */
export class LocalClient {
  private token: string | undefined;

  constructor(
    readonly apiUrl: string,
    private readonly outboxDirectory: string,
  ) {}

  private async request(
    method: string,
    path: string,
    options: { body?: unknown; auth?: boolean; headers?: Record<string, string> } = {},
  ) {
    const url = new URL(path, this.apiUrl).href;
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    if (options.auth !== false && this.token !== undefined) headers.authorization = `Bearer ${this.token}`;
    let body: string | undefined;
    if (options.body !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    }
    const response = await fetch(url, {
      method,
      headers,
      ...(body === undefined ? {} : { body }),
      redirect: 'manual',
    });
    const text = await response.text();
    if (!response.ok) throw new HttpStatusError(method, url, response.status, text);
    return { response, text };
  }

  private async json<T>(
    method: string,
    path: string,
    options: { body?: unknown; auth?: boolean } = {},
  ): Promise<T> {
    const { text } = await this.request(method, path, options);
    return JSON.parse(text) as T;
  }

  /** Signs in on the local sign-in page (JSON form) and keeps the token for drafter routes. */
  async signIn(
    drafter: { drafter: string } | { name: string; email: string },
  ): Promise<{ id: string; name: string; email: string }> {
    const answer = await this.json<{ token: string; drafter: { id: string; name: string; email: string } }>(
      'POST',
      '/local/sign-in',
      {
        body: drafter,
        auth: false,
      },
    );
    this.token = answer.token;
    return answer.drafter;
  }

  /** POST /submissions: the new submission and its presigned uploads. */
  createSubmission(metadata: unknown, documents: readonly DraftDocument[]) {
    return this.json<{ submissionId: string; revision: number; uploads: UploadInstruction[] }>(
      'POST',
      '/submissions',
      {
        body: {
          metadata,
          documents: documents.map((document) => ({
            role: document.role,
            fileName: document.fileName,
            contentType: document.contentType,
            size: document.body.byteLength,
          })),
        },
      },
    );
  }

  /**
   * POST /submissions/{id}/withdraw as the signed-in drafter: withdraws a revision in review, or marks a
   * published bundle 失效. The answer whatever its status, for callers that check refusals too.
   */
  async withdraw(
    submissionId: string,
    body: Record<string, unknown>,
  ): Promise<{ status: number; text: string }> {
    try {
      const { response, text } = await this.request(
        'POST',
        `/submissions/${encodeURIComponent(submissionId)}/withdraw`,
        { body },
      );
      return { status: response.status, text };
    } catch (error) {
      if (error instanceof HttpStatusError) return { status: error.status, text: error.body };
      throw error;
    }
  }

  /** POST /submissions/{id}/revisions: the next revision after a rejection. */
  createRevision(submissionId: string, metadata: unknown, documents: readonly DraftDocument[]) {
    return this.json<{ submissionId: string; revision: number; uploads: UploadInstruction[] }>(
      'POST',
      `/submissions/${encodeURIComponent(submissionId)}/revisions`,
      {
        body: {
          metadata,
          documents: documents.map((document) => ({
            role: document.role,
            fileName: document.fileName,
            contentType: document.contentType,
            size: document.body.byteLength,
          })),
        },
      },
    );
  }

  /** PUTs every document to its presigned URL (matched by role and file name), as a browser would. */
  async upload(uploads: readonly UploadInstruction[], documents: readonly DraftDocument[]): Promise<void> {
    for (const upload of uploads) {
      const document = documents.find(
        (candidate) => candidate.role === upload.role && candidate.fileName === upload.fileName,
      );
      if (document === undefined)
        throw new Error(`No document for upload ${upload.role} ${upload.fileName}.`);
      const response = await fetch(upload.url, {
        method: upload.method,
        headers: { 'content-type': document.contentType, ...upload.headers },
        body: document.body,
      });
      const text = await response.text();
      if (!response.ok) throw new HttpStatusError('PUT', upload.url, response.status, text);
    }
  }

  /** POST /submissions/{id}/submit. */
  submit(submissionId: string, revision?: number) {
    return this.json<{ status: string; executionName: string; started: boolean }>(
      'POST',
      `/submissions/${encodeURIComponent(submissionId)}/submit`,
      {
        body: revision === undefined ? {} : { revision },
      },
    );
  }

  /** GET /submissions/{id}. */
  getSubmission(submissionId: string) {
    return this.json<{
      status: string;
      revision: number;
      returnedComment: string | null;
      bundleId: string | null;
      indexNumber: string | null;
    }>('GET', `/submissions/${encodeURIComponent(submissionId)}`);
  }

  /** Polls GET /submissions/{id} until its status is one of `statuses`. */
  async waitForStatus(submissionId: string, statuses: readonly string[], timeoutMs = 30_000) {
    const deadline = Date.now() + timeoutMs;
    let last: Awaited<ReturnType<LocalClient['getSubmission']>> | undefined;
    while (Date.now() < deadline) {
      last = await this.getSubmission(submissionId);
      if (statuses.includes(last.status)) return last;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(
      `Submission ${submissionId} is ${last?.status ?? 'unknown'}, not ${statuses.join('/')}, after ${timeoutMs} ms.`,
    );
  }

  /** The outbox's messages that carry an approval link, oldest first. */
  async approvalMails(): Promise<(OutboxMessage & { approvalLinks: string[] })[]> {
    const prefix = new URL('/approvals/', this.apiUrl).href;
    return (await readOutbox(this.outboxDirectory))
      .map((message) => ({
        ...message,
        approvalLinks: message.links.filter((link) => link.startsWith(prefix)),
      }))
      .filter((message) => message.approvalLinks.length > 0);
  }

  /** Waits for approval links not in `seen`; returns the new ones. */
  async waitForNewApprovalLinks(seen: ReadonlySet<string>, timeoutMs = 30_000): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const fresh = (await this.approvalMails())
        .flatMap((mail) => mail.approvalLinks)
        .filter((link) => !seen.has(link));
      if (fresh.length > 0) return [...new Set(fresh)];
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`No new approval mail after ${timeoutMs} ms.`);
  }

  /** GET an approval link, as the approver's browser: the page and its form. */
  async openApproval(
    link: string,
  ): Promise<{ status: number; html: string; form: ApprovalForm | undefined }> {
    const response = await fetch(link, { headers: { accept: 'text/html' }, redirect: 'manual' });
    const html = await response.text();
    return { status: response.status, html, form: parseApprovalForm(html, link) };
  }

  /** Submits the approval form with a decision, from the page's own origin (as a browser would). */
  async decide(
    link: string,
    decision: 'approve' | 'reject',
    comment = '',
  ): Promise<{ status: number; html: string }> {
    const page = await this.openApproval(link);
    if (page.form === undefined) throw new Error(`The approval page answered ${page.status} without a form.`);
    if (!page.form.decisions.includes(decision))
      throw new Error(`The approval form offers no "${decision}" decision.`);
    return this.postApprovalForm(link, page.form, decision, comment);
  }

  /** POSTs a form already shown (as the browser does with the page it displays, without reloading it). */
  async postApprovalForm(
    link: string,
    form: ApprovalForm,
    decision: 'approve' | 'reject',
    comment = '',
  ): Promise<{ status: number; html: string }> {
    const response = await fetch(form.action, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'text/html',
        origin: new URL(link).origin,
        referer: link,
      },
      body: new URLSearchParams({ ...form.fields, comment, decision }).toString(),
      redirect: 'manual',
    });
    return { status: response.status, html: await response.text() };
  }

  /** GET /portal/catalog (all pages). */
  async catalog(): Promise<{ bundleId: string; indexNumber: string; title: string; validity: string }[]> {
    const items: { bundleId: string; indexNumber: string; title: string; validity: string }[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.json<{
        items: { bundleId: string; indexNumber: string; title: string; validity: string }[];
        cursor?: string;
        nextCursor?: string;
      }>('GET', `/portal/catalog${cursor === undefined ? '' : `?cursor=${encodeURIComponent(cursor)}`}`, {
        auth: false,
      });
      items.push(...page.items);
      cursor = page.nextCursor ?? page.cursor;
    } while (cursor !== undefined && cursor !== '');
    return items;
  }

  /** GET /portal/bundles/{id}/manifest. */
  manifest(bundleId: string) {
    return this.json<
      {
        bundleId: string;
        files: {
          name: string;
          role: string;
          document: string;
          mediaType: string;
          sha256: string;
          size: number;
        }[];
      } & Record<string, unknown>
    >('GET', `/portal/bundles/${encodeURIComponent(bundleId)}/manifest`, { auth: false });
  }

  /** GET /portal/bundles/{id}/files/{name}: the file's bytes. */
  async file(bundleId: string, name: string): Promise<Buffer> {
    const response = await fetch(
      new URL(
        `/portal/bundles/${encodeURIComponent(bundleId)}/files/${encodeURIComponent(name)}`,
        this.apiUrl,
      ),
    );
    const body = Buffer.from(await response.arrayBuffer());
    if (!response.ok) throw new HttpStatusError('GET', response.url, response.status, body.toString('utf8'));
    return body;
  }
}

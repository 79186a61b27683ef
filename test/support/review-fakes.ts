/**
 * Small in-memory fakes of the ports the review uses. The approval store keeps the conditional
 * semantics of the DynamoDB adapter (first decision of an attempt wins, a reminder replaces only a
 * pending earlier attempt), so the use-case tests exercise the same races.
 */
import type { AuditEvent, Submission } from '../../shared/domain/index.js';
import type { ApprovalLink, ApprovalStore, ReviewStepRecord } from '../../shared/ports/approval-store.js';
import type { AuditLog } from '../../shared/ports/audit-log.js';
import type { Mailer, MailMessage } from '../../shared/ports/mailer.js';
import type { ObjectStore } from '../../shared/ports/object-store.js';
import type { RevisionPatch, SubmissionStore } from '../../shared/ports/submission-store.js';
import type { Workflow } from '../../shared/ports/workflow.js';
import {
  type ApprovalHttpRequest,
  type ApprovalPageDependencies,
  serveApproval,
} from '../../shared/review/approval-page.js';
import type { LogFields, ReviewLogger } from '../../shared/review/logger.js';
import type { ReviewMetrics } from '../../shared/review/metrics.js';
import { type RequestApprovalDependencies, requestApproval } from '../../shared/review/request-approval.js';
import { workKeys } from '../../shared/storage-keys.js';
import { anApprover, aReviewStep, aSubmission, type Overrides } from './builders.js';

const clone = <T>(value: T): T => structuredClone(value);

export class InMemoryApprovalStore implements ApprovalStore {
  readonly links = new Map<string, ApprovalLink>();
  readonly steps = new Map<string, ReviewStepRecord>();
  /** Every write, by method name, to assert that reads wrote nothing. */
  readonly writes: string[] = [];

  private static key(submissionId: string, revision: number, stepId: string) {
    return `${submissionId}#${revision}#${stepId}`;
  }

  async openStep(step: ReviewStepRecord, links: ApprovalLink[]): Promise<boolean> {
    this.writes.push('openStep');
    const key = InMemoryApprovalStore.key(step.submissionId, step.revision, step.stepId);
    const existing = this.steps.get(key);
    for (const link of links) {
      if (this.links.has(link.hash)) throw conditionFailure();
      this.links.set(link.hash, clone(link));
    }
    const replaceable =
      existing === undefined ||
      (existing.status === 'PENDING' &&
        (existing.attempt < step.attempt ||
          (existing.attempt === step.attempt && existing.mailedAt === undefined)));
    if (!replaceable) return false;
    this.steps.set(key, clone(step));
    return true;
  }

  async markMailed(step: ReviewStepRecord, at: string): Promise<void> {
    this.writes.push('markMailed');
    const stored = this.steps.get(InMemoryApprovalStore.key(step.submissionId, step.revision, step.stepId));
    const [first] = step.linkHashes;
    if (stored?.attempt === step.attempt && first !== undefined && stored.linkHashes.includes(first)) {
      stored.mailedAt = at;
    }
  }

  async getLink(hash: string): Promise<ApprovalLink | undefined> {
    const link = this.links.get(hash);
    return link === undefined ? undefined : clone(link);
  }

  async getStep(submissionId: string, revision: number, stepId: string) {
    const step = this.steps.get(InMemoryApprovalStore.key(submissionId, revision, stepId));
    return step === undefined ? undefined : clone(step);
  }

  async listSteps(submissionId: string, revision: number): Promise<ReviewStepRecord[]> {
    return [...this.steps.values()]
      .filter((step) => step.submissionId === submissionId && step.revision === revision)
      .map(clone);
  }

  async decide(
    link: ApprovalLink,
    decision: { status: 'APPROVED' | 'REJECTED'; comment?: string; at: string },
  ): Promise<boolean> {
    this.writes.push('decide');
    const step = this.steps.get(InMemoryApprovalStore.key(link.submissionId, link.revision, link.stepId));
    if (
      step === undefined ||
      step.status !== 'PENDING' ||
      step.attempt !== link.attempt ||
      !step.linkHashes.includes(link.hash) ||
      !(step.expiresAt > decision.at)
    ) {
      return false;
    }
    Object.assign(step, {
      status: decision.status,
      decidedBy: link.approverId,
      decidedAt: decision.at,
      comment: decision.comment ?? '',
    });
    const stored = this.links.get(link.hash);
    if (stored !== undefined && stored.status === 'PENDING' && stored.expiresAt > decision.at) {
      Object.assign(stored, { status: decision.status, decidedAt: decision.at });
    }
    return true;
  }

  async markDelivered(hash: string): Promise<void> {
    this.writes.push('markDelivered');
    const link = this.links.get(hash);
    if (link === undefined) throw conditionFailure();
    link.delivered = true;
  }

  async setTaskToken(hashes: readonly string[], taskToken: string): Promise<void> {
    this.writes.push('setTaskToken');
    for (const hash of hashes) {
      const link = this.links.get(hash);
      if (link !== undefined && link.status === 'PENDING') link.taskToken = taskToken;
    }
  }

  async revokeStep(
    submissionId: string,
    revision: number,
    stepId: string,
    status: 'EXPIRED' | 'REVOKED',
  ): Promise<void> {
    this.writes.push('revokeStep');
    const step = this.steps.get(InMemoryApprovalStore.key(submissionId, revision, stepId));
    if (step === undefined) return;
    for (const hash of step.linkHashes) {
      const link = this.links.get(hash);
      if (link?.status === 'PENDING') link.status = 'REVOKED';
    }
    if (step.status === 'PENDING') step.status = status;
  }
}

function conditionFailure(): Error {
  const error = new Error('The conditional request failed');
  error.name = 'ConditionalCheckFailedException';
  return error;
}

export class InMemorySubmissionStore implements Pick<SubmissionStore, 'get' | 'patch'> {
  readonly submissions = new Map<string, Submission>();
  readonly patches: RevisionPatch[] = [];

  constructor(...submissions: Submission[]) {
    for (const submission of submissions) this.submissions.set(submission.id, clone(submission));
  }

  async get(id: string): Promise<Submission | undefined> {
    const submission = this.submissions.get(id);
    return submission === undefined ? undefined : clone(submission);
  }

  async patch(
    id: string,
    revision: number,
    patch: RevisionPatch,
    options: { now: Date },
  ): Promise<Submission> {
    const current = this.submissions.get(id);
    if (current === undefined || current.revision !== revision) throw new Error('no such revision');
    this.patches.push(clone(patch));
    const next = { ...current, ...patch, updatedAt: options.now.toISOString() };
    this.submissions.set(id, next);
    return clone(next);
  }
}

export class InMemoryAuditLog implements AuditLog {
  readonly events: AuditEvent[] = [];
  async append(event: AuditEvent): Promise<void> {
    this.events.push(clone(event));
  }
  /** Keys of the events appended once, as the adapter forms them. */
  private readonly once = new Set<string>();
  async appendOnce(event: AuditEvent, scope?: string): Promise<boolean> {
    const key = `${event.submissionId}#${event.revision}#${event.action}#${scope ?? ''}`;
    if (this.once.has(key)) return false;
    await this.append(event);
    this.once.add(key);
    return true;
  }

  async list(submissionId: string): Promise<AuditEvent[]> {
    return this.events.filter((event) => event.submissionId === submissionId).map(clone);
  }
}

export class RecordingMailer implements Mailer {
  readonly sent: MailMessage[] = [];
  /** Set to make the n-th send (0-based) fail once. */
  failAt: number | undefined;
  async send(message: MailMessage): Promise<void> {
    if (this.failAt === this.sent.length) {
      this.failAt = undefined;
      throw Object.assign(new Error('Throttling'), { name: 'TooManyRequestsException' });
    }
    this.sent.push(clone(message));
  }
}

export class InMemoryObjectStore implements Pick<ObjectStore, 'get'> {
  readonly objects = new Map<string, Uint8Array>();
  put(key: string, value: string): void {
    this.objects.set(key, new TextEncoder().encode(value));
  }
  async get(key: string): Promise<Uint8Array | undefined> {
    return this.objects.get(key);
  }
}

export interface TaskAnswer {
  kind: 'success' | 'failure';
  taskToken: string;
  output?: Record<string, unknown>;
  error?: string;
  cause?: string;
}

export class RecordingWorkflow implements Pick<Workflow, 'completeTask' | 'failTask'> {
  readonly answers: TaskAnswer[] = [];
  /** Tokens that no longer wait (answered or timed out). */
  readonly gone = new Set<string>();
  async completeTask(taskToken: string, output: Record<string, unknown>): Promise<boolean> {
    this.answers.push({ kind: 'success', taskToken, output });
    if (this.gone.has(taskToken)) return false;
    this.gone.add(taskToken);
    return true;
  }
  async failTask(taskToken: string, error: string, cause: string): Promise<boolean> {
    this.answers.push({ kind: 'failure', taskToken, error, cause });
    if (this.gone.has(taskToken)) return false;
    this.gone.add(taskToken);
    return true;
  }
}

export class RecordingMetrics implements ReviewMetrics {
  nearDeadline = 0;
  approvalNearDeadline(): void {
    this.nearDeadline += 1;
  }
}

/** A logger that keeps every line as JSON text, to search it for secrets. */
export class CapturingLogger implements ReviewLogger {
  readonly lines: string[] = [];
  info(message: string, ...fields: LogFields[]): void {
    this.lines.push(JSON.stringify({ level: 'INFO', message, fields }));
  }
  warn(message: string, ...fields: LogFields[]): void {
    this.lines.push(JSON.stringify({ level: 'WARN', message, fields }));
  }
  get text(): string {
    return this.lines.join('\n');
  }
}

/** A clock that tests move forward. */
export class TestClock {
  constructor(public current: Date) {}
  now = (): Date => new Date(this.current.getTime());
  advanceHours(hours: number): void {
    this.current = new Date(this.current.getTime() + hours * 3_600_000);
  }
}

// ── a whole review, wired with the fakes ─────────────────────────────────────────────────────────

export const APPROVAL_BASE_URL = 'https://review.example.gov.cn/approvals';
export const OWN_HOST = 'review.example.gov.cn';

/** A task token shaped like Step Functions': long, opaque, and searchable in any output. */
export function aTaskToken(label = 'first'): string {
  return `AQCEAAAAKgAAAAMAAAAAAAAAA${label}TOKEN${'x'.repeat(40)}`;
}

/** Link secrets from the mails, by recipient address. */
export function secretsFromMails(mails: readonly { to: string; text: string }[]): Map<string, string> {
  const secrets = new Map<string, string>();
  for (const mail of mails) {
    const match = /\/approvals\/([A-Za-z0-9_-]{43})/.exec(mail.text);
    if (match?.[1] !== undefined) secrets.set(mail.to, match[1]);
  }
  return secrets;
}

export const FIRST_APPROVER = anApprover({ id: 'approver-001', name: '赵审', email: 'zhao@example.gov.cn' });
export const SECOND_APPROVER = anApprover({ id: 'approver-002', name: '钱核', email: 'qian@example.gov.cn' });

/**
 * A submission IN_REVIEW with one step (审签, two approvers, 72 h), its work objects, and every fake.
 * `request()` runs request-approval and returns the new secrets by approver e-mail; `page()` serves
 * one request of the approval page.
 */
export function createReviewWorld(overrides?: Overrides<Submission>) {
  const clock = new TestClock(new Date('2019-07-19T02:00:00.000Z'));
  const submission = aSubmission({
    status: 'IN_REVIEW',
    ...overrides,
    metadata: {
      reviewSteps: [
        aReviewStep({ id: 'sign-off', name: '审签', approvers: [FIRST_APPROVER, SECOND_APPROVER] }),
      ],
      ...overrides?.metadata,
    },
  });
  const approvals = new InMemoryApprovalStore();
  const submissions = new InMemorySubmissionStore(submission);
  const audit = new InMemoryAuditLog();
  const mailer = new RecordingMailer();
  const metrics = new RecordingMetrics();
  const work = new InMemoryObjectStore();
  const workflow = new RecordingWorkflow();
  const logger = new CapturingLogger();

  for (const document of submission.documents) {
    const body = `<p>${document.role === 'policy' ? '原文' : '解读'}正文：联系人<mark class="redaction" data-type="person-name">王*</mark>。</p>`;
    work.put(workKeys.highlightedHtml(submission.id, submission.revision, document.id), body);
    work.put(
      workKeys.html(submission.id, submission.revision, document.id),
      `<p>安全正文 ${document.role}</p>`,
    );
  }
  work.put(
    workKeys.redactionReport(submission.id, submission.revision),
    JSON.stringify({ total: 3, counts: { 'person-name': 2, mobile: 1 }, items: [] }),
  );
  work.put(
    workKeys.consistency(submission.id, submission.revision),
    JSON.stringify([
      {
        kind: 'percentage',
        quoted: '30%',
        interpretationExcerpt: '补贴比例为30%',
        policyExcerpt: '补贴比例为20%',
        message: '解读中的百分比“30%”在原文中未找到，原文相近表述为“20%”。请核对解读与原文是否一致。',
      },
    ]),
  );

  const requestDependencies: RequestApprovalDependencies = {
    submissions,
    approvals,
    mailer,
    audit,
    workflow,
    metrics,
    approvalBaseUrl: APPROVAL_BASE_URL,
    now: clock.now,
    logger,
  };
  const pageDependencies: ApprovalPageDependencies = {
    approvals,
    submissions,
    work,
    workflow,
    audit,
    now: clock.now,
    logger,
  };

  return {
    clock,
    submission,
    approvals,
    submissions,
    audit,
    mailer,
    metrics,
    work,
    workflow,
    logger,
    requestDependencies,
    pageDependencies,
    async request(attempt = 0, taskToken = aTaskToken(attempt === 0 ? 'first' : `reminder${attempt}`)) {
      const before = mailer.sent.length;
      await requestApproval(
        {
          submissionId: submission.id,
          revision: submission.revision,
          stepId: 'sign-off',
          attempt,
          taskToken,
        },
        requestDependencies,
      );
      return secretsFromMails(mailer.sent.slice(before));
    },
    page(request: Partial<ApprovalHttpRequest> & { secret: string }) {
      return serveApproval(
        { method: 'GET', headers: {}, query: {}, ownHosts: [OWN_HOST], ...request },
        pageDependencies,
      );
    },
  };
}

/** The form token the page rendered for its own form. */
export function formTokenOf(body: string): string {
  const match = /name="form_token" value="([^"]*)"/.exec(body);
  if (match?.[1] === undefined) throw new Error('page has no form token');
  return match[1];
}

/** A POST as the browser sends it from the page's own form. */
export function formPost(
  secret: string,
  fields: Record<string, string>,
  headers: Record<string, string> = { 'sec-fetch-site': 'same-origin', origin: 'null' },
): Partial<ApprovalHttpRequest> & { secret: string } {
  return {
    method: 'POST',
    secret,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
  };
}

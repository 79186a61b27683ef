import { DISCLOSURE_ATTRIBUTE_LABELS, type Submission } from '../domain/index.js';
import { html, neutralizeBidiControls, type SafeHtml } from '../http/html.js';
import type { AuditLog } from '../ports/audit-log.js';
import type { Mailer, MailMessage } from '../ports/mailer.js';
import type { SubmissionStore } from '../ports/submission-store.js';
import { auditOnce, type Clock, loadSubmission, SYSTEM_ACTOR } from './support.js';

/** Outcomes the drafter is told about. */
export type NotifyOutcome = 'PUBLISHED' | 'REGISTERED' | 'RETURNED' | 'FAILED';

/** What notify needs. */
export interface NotifyDependencies {
  submissions: SubmissionStore;
  audit: AuditLog;
  mailer: Mailer;
  now: Clock;
}

/** One paragraph of a mail: plain text and its escaped HTML. */
interface Paragraph {
  text: string;
  html: SafeHtml;
}

function paragraph(label: string, value: string | undefined): Paragraph | undefined {
  if (value === undefined || value === '') return undefined;
  return { text: `${label}：${value}`, html: html`<p><strong>${label}：</strong>${value}</p>` };
}

function plain(text: string): Paragraph {
  return { text, html: html`<p>${text}</p>` };
}

function body(
  submission: Submission,
  outcome: NotifyOutcome,
  bundleId: string | undefined,
): {
  subject: string;
  paragraphs: (Paragraph | undefined)[];
} {
  const { title, documentNumber } = submission.metadata;
  const heading = [
    paragraph('标题', title),
    paragraph('文号', documentNumber),
    paragraph('修订版本', `第 ${submission.revision} 版`),
  ];
  switch (outcome) {
    case 'PUBLISHED':
      return {
        subject: `【已发布】${title}`,
        paragraphs: [
          plain('您起草的文件及其解读材料已审签通过并同步发布。'),
          ...heading,
          paragraph('索引号', submission.indexNumber),
          paragraph('发布包编号', bundleId ?? submission.bundleId),
          paragraph('发布日期', submission.publishedAt),
          plain('如需下线或由新文件替代，请在提交详情中撤回。'),
        ],
      };
    case 'REGISTERED':
      return {
        subject: `【已登记】${title}`,
        paragraphs: [
          plain('您起草的文件已审查通过并登记，按公开属性不对外发布。'),
          ...heading,
          paragraph('公开属性', DISCLOSURE_ATTRIBUTE_LABELS[submission.metadata.disclosure.attribute]),
        ],
      };
    case 'RETURNED':
      return {
        subject: `【已退回】${title}`,
        paragraphs: [
          plain('您起草的文件已被退回，请按以下意见修改后提交新的修订版本。'),
          ...heading,
          paragraph('退回意见', submission.returnedComment ?? '（未填写）'),
        ],
      };
    case 'FAILED':
      return {
        subject: `【处理失败】${title}`,
        paragraphs: [
          plain('系统处理您的提交时出错，未能完成。这不是内容问题，您不需要修改文件。'),
          ...heading,
          plain('请稍后提交新的修订版本重试；如再次失败，请联系运维人员并告知提交编号。'),
          paragraph('提交编号', submission.id),
        ],
      };
  }
}

/** Renders the mail; every value is escaped by the `html` template. */
export function renderNotification(
  submission: Submission,
  outcome: NotifyOutcome,
  bundleId?: string,
): MailMessage {
  const { subject, paragraphs } = body(submission, outcome, bundleId);
  const present = paragraphs.filter((item): item is Paragraph => item !== undefined);
  const greeting = `${submission.drafter.name}，您好：`;
  const footer = '此邮件由政务公开发布系统自动发送，请勿直接回复。';
  // The HTML part's values are escaped, bidirectional controls included; the plain text and the
  // subject get the same neutralization (a file name in a comment must not read reversed).
  return {
    to: submission.drafter.email,
    subject: neutralizeBidiControls(subject),
    text: neutralizeBidiControls([greeting, '', ...present.map((item) => item.text), '', footer].join('\n')),
    html: html`<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${subject}</title></head><body><p>${greeting}</p>${present.map((item) => item.html)}<p><small>${footer}</small></p></body></html>`
      .value,
  };
}

/**
 * Task Notify: mails the drafter the outcome of the revision (in Chinese, every value escaped) and
 * audits NOTIFIED. A revision ends once, so a revision that was notified already is not mailed
 * again (a retried task does not send a second mail, unless the first crashed before its audit).
 */
export async function notifyDrafter(
  deps: NotifyDependencies,
  input: { submissionId: string; revision: number; outcome: NotifyOutcome; bundleId?: string },
): Promise<{ sent: boolean }> {
  const now = deps.now();
  const submission = await loadSubmission(deps.submissions, input.submissionId);
  const events = await deps.audit.list(input.submissionId);
  if (events.some((event) => event.revision === input.revision && event.action === 'NOTIFIED'))
    return { sent: false };
  await deps.mailer.send(renderNotification(submission, input.outcome, input.bundleId));
  await auditOnce(deps.audit, {
    submissionId: input.submissionId,
    revision: input.revision,
    at: now,
    actor: SYSTEM_ACTOR,
    action: 'NOTIFIED',
    ...(input.bundleId === undefined ? {} : { detail: { bundleId: input.bundleId } }),
  });
  return { sent: true };
}

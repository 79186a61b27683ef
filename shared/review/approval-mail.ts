import type { Metadata, Person, ReviewStep } from '../domain/index.js';
import { DISCLOSURE_ATTRIBUTE_LABELS } from '../domain/index.js';
import { html, neutralizeBidiControls } from '../http/html.js';
import type { MailMessage } from '../ports/mailer.js';
import { formatBeijingTime } from './format.js';

/** Everything an approval mail says. The link is the only credential in it; the task token is never here. */
export interface ApprovalMailInput {
  approver: Person;
  metadata: Metadata;
  step: ReviewStep;
  /** `${APPROVAL_BASE_URL}/${secret}`. */
  link: string;
  expiresAt: string;
  /** 0 for the first request, 1.. for reminders. */
  attempt: number;
}

/** Subjects go into a mail header: no line breaks, no bidirectional controls, bounded. */
function oneLine(value: string, max: number): string {
  const flat = neutralizeBidiControls(value.replace(/[\r\n\t\u2028\u2029]+/g, ' ').trim());
  const characters = Array.from(flat);
  return characters.length <= max ? flat : `${characters.slice(0, max).join('')}…`;
}

/**
 * The approval request (or reminder) mail, in Chinese: title, 发布机构, 文号, the step, the deadline
 * and the link. The HTML part escapes every value; the text part is plain text.
 */
export function approvalMail(input: ApprovalMailInput): MailMessage {
  const { approver, metadata, step, link, attempt } = input;
  const reminder = attempt > 0;
  const deadline = formatBeijingTime(input.expiresAt);
  const documentNumber = metadata.documentNumber ?? '（无文号）';
  const attribute = DISCLOSURE_ATTRIBUTE_LABELS[metadata.disclosure.attribute];
  const subject = oneLine(
    `${reminder ? `【审核提醒·第${attempt}次】` : '【待审核】'}${step.name}：${metadata.title}`,
    180,
  );
  const lead = reminder
    ? `您有一份文件的「${step.name}」尚未处理，原审核期限已到。这是第 ${attempt} 次提醒，此前发送的审核链接已作废，请使用下面的新链接。`
    : `您被指定为以下文件「${step.name}」环节的审核人，请在期限前阅读原文及解读并作出审核决定。`;
  const caution =
    '此链接仅供您本人使用，请勿转发。打开链接只会显示审核页面；只有在页面中点击“同意”或“退回”才会记录您的决定。';

  const text = [
    `${approver.name}，您好：`,
    '',
    lead,
    '',
    `标题：${metadata.title}`,
    `发布机构：${metadata.issuingBody}`,
    `文号：${documentNumber}`,
    `公开属性：${attribute}`,
    `审查环节：${step.name}`,
    `审核期限：${deadline}`,
    '',
    `审核页面：${link}`,
    '',
    caution,
    '',
    '—— 政务公开发布系统（此邮件由系统自动发送，请勿直接回复）',
  ].join('\n');

  const row = (label: string, value: string) =>
    html`<tr><th scope="row" style="text-align:left;padding:4px 12px 4px 0;color:#333;font-weight:600;white-space:nowrap">${label}</th><td style="padding:4px 0;color:#111">${value}</td></tr>`;
  const body = html`<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>${subject}</title></head>
<body style="margin:0;padding:16px;font-family:system-ui,-apple-system,'PingFang SC','Microsoft YaHei',sans-serif;font-size:16px;line-height:1.6;color:#111;background:#fff">
<p>${approver.name}，您好：</p>
<p>${lead}</p>
<table role="presentation" style="border-collapse:collapse;margin:12px 0">
${row('标题', metadata.title)}
${row('发布机构', metadata.issuingBody)}
${row('文号', documentNumber)}
${row('公开属性', attribute)}
${row('审查环节', step.name)}
${row('审核期限', deadline)}
</table>
<p><a href="${link}" style="display:inline-block;padding:10px 20px;background:#0b57d0;color:#fff;text-decoration:none;border-radius:4px;font-weight:600">打开审核页面</a></p>
<p style="font-size:14px;color:#333">如按钮无法点击，请复制以下地址到浏览器打开：<br><span style="word-break:break-all">${link}</span></p>
<p style="font-size:14px;color:#333">${caution}</p>
<p style="font-size:13px;color:#555">—— 政务公开发布系统（此邮件由系统自动发送，请勿直接回复）</p>
</body>
</html>`;

  // Plain text has no escaping: its values' bidirectional controls are neutralized as the HTML part's are.
  return { to: approver.email, subject, text: neutralizeBidiControls(text), html: body.toString() };
}

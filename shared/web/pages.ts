import {
  type AuditEvent,
  DISCLOSURE_ATTRIBUTE_LABELS,
  PRIVACY_EXEMPTION_LABELS,
  VALIDITY_STATUS_LABELS,
} from '../domain/index.js';
import { html, type SafeHtml } from '../http/html.js';
import type { CatalogEntry } from '../ports/catalog-store.js';
import type { BundleManifest } from '../publication/index.js';
import { formatBeijingTime, redactionTypeLabel } from '../review/format.js';
import { parseFindings } from '../review/review-material.js';
import type {
  AuditEntryView,
  DeadlineView,
  SubmissionSummary,
  SubmissionView,
} from '../submissions/index.js';
import { link, pageShell, type WebPageOptions } from './layout.js';
import { renderSubmissionForm, type SubmissionFormView } from './submission-form.js';

/** The drafter's and the page's context. */
export interface DrafterPageContext {
  options: WebPageOptions;
  path: string;
  drafterName: string;
}

const DEADLINE_STATE_LABELS: Readonly<Record<string, string>> = {
  due: '未到期',
  'near-due': '临近期限',
  overdue: '已超期',
  met: '已按期公开',
  'not-applicable': '不适用',
  unknown: '无法计算',
};

/** The 及时公开 deadline in words. */
function deadlineText(deadline: DeadlineView): string {
  if (deadline.state === 'unknown') return `无法计算：${deadline.message}`;
  if (deadline.state === 'not-applicable') return '不适用（不对外发布）';
  const label = DEADLINE_STATE_LABELS[deadline.state] ?? deadline.state;
  const left =
    'workingDaysLeft' in deadline && typeof deadline.workingDaysLeft === 'number' && !deadline.settled
      ? `，剩余 ${deadline.workingDaysLeft} 个工作日`
      : '';
  return `${label}：应于 ${deadline.deadline} 前公开${left}`;
}

/** `GET /app`: the signed-in drafter's submissions. */
export function renderSubmissionList(
  context: DrafterPageContext,
  page: { items: readonly SubmissionSummary[]; nextCursor: string | null },
): string {
  const { options } = context;
  return pageShell({
    title: '我的提交',
    area: 'drafter',
    path: context.path,
    options,
    signedInAs: context.drafterName,
    main: html`<h1>我的提交</h1>
<p><a class="button" href="${link('/app/submissions/new', options)}">新建提交</a></p>
${
  page.items.length === 0
    ? html`<p>还没有提交。点击「新建提交」上传原文与解读材料。</p>`
    : html`<ol class="cards" aria-label="提交列表">${page.items.map(
        (item) => html`<li>
<h2><a href="${link(`/app/submissions/${encodeURIComponent(item.submissionId)}`, options)}">${item.title}</a></h2>
<dl>
<dt>状态</dt><dd><span class="badge">${item.statusLabel}</span></dd>
<dt>修订版本</dt><dd>第 ${item.revision} 版</dd>
<dt>及时公开</dt><dd>${deadlineText(item.deadline)}</dd>
<dt>更新时间</dt><dd>${formatBeijingTime(item.updatedAt)}</dd>
</dl>
</li>`,
      )}</ol>`
}
${page.nextCursor === null ? '' : html`<p><a href="${link(`/app?cursor=${encodeURIComponent(page.nextCursor)}`, options)}">下一页</a></p>`}`,
  });
}

/** `GET /app/submissions/new` (and the same form again with the violations). */
export function renderNewSubmissionPage(context: DrafterPageContext, form: SubmissionFormView): string {
  return pageShell({
    title:
      form.violations.length > 0 || form.formError !== undefined ? `有误：${form.heading}` : form.heading,
    area: 'drafter',
    path: context.path,
    options: context.options,
    signedInAs: context.drafterName,
    main: html`<h1>${form.heading}</h1>
<p>原文与解读同步起草、同步报批：请一起填写元数据并上传原文和至少一份解读材料。</p>
${renderSubmissionForm(form)}`,
  });
}

const ROLE_LABELS: Readonly<Record<AuditEvent['actor']['role'], string>> = {
  drafter: '起草人',
  approver: '审核人',
  system: '系统',
  operator: '运维人员',
};

/** 谁起草、谁审查、谁签发、谁公开: which link of the accountability chain an audit entry is. */
function accountability(entry: AuditEntryView, view: SubmissionView): string {
  switch (entry.action) {
    case 'CREATED':
    case 'UPDATED':
    case 'SUBMITTED':
      return '谁起草';
    case 'APPROVED':
    case 'REJECTED': {
      const last = view.metadata.reviewSteps.length - 1;
      return entry.detail?.reviewStepIndex === last ? '谁签发' : '谁审查';
    }
    case 'PUBLISHED':
    case 'WITHDRAWN':
    case 'SUPERSEDED':
      return '谁公开';
    default:
      return '';
  }
}

/** The person behind an audit actor id, when the submission names them (the drafter, an approver). */
function actorName(entry: AuditEntryView, view: SubmissionView, drafterName: string): string {
  if (entry.actor.role === 'drafter') return drafterName;
  if (entry.actor.role === 'approver') {
    for (const step of view.metadata.reviewSteps) {
      const person = step.approvers.find((approver) => approver.id === entry.actor.id);
      if (person !== undefined) return person.name;
    }
  }
  return ROLE_LABELS[entry.actor.role];
}

function metadataList(view: SubmissionView): SafeHtml {
  const { metadata } = view;
  const row = (label: string, value: string | SafeHtml | undefined | null) =>
    value === undefined || value === null || value === '' ? '' : html`<dt>${label}</dt><dd>${value}</dd>`;
  const removals = metadata.disclosure.removals ?? [];
  return html`<dl>
${row('发布机构', metadata.issuingBody)}
${row('责任部门', metadata.responsibleDepartment)}
${row('文号', metadata.documentNumber ?? '（无文号）')}
${row('成文日期', metadata.writtenDate)}
${row('主题分类', metadata.subjectCategory)}
${row('机构代码', metadata.bodyCode)}
${row('第一解读人', `${metadata.firstInterpreter.name}（${metadata.firstInterpreter.position}）`)}
${row('计划发布时间', metadata.plannedReleaseAt === undefined ? '审签通过后发布' : formatBeijingTime(metadata.plannedReleaseAt))}
${row('公开属性', DISCLOSURE_ATTRIBUTE_LABELS[metadata.disclosure.attribute])}
${row('理由', metadata.disclosure.reason)}
${row('法律依据', metadata.disclosure.legalBasis)}
${row(
  '删减清单',
  removals.length === 0
    ? undefined
    : html`<ul>${removals.map((removal) => html`<li>${removal.description}（理由：${removal.reason}）</li>`)}</ul>`,
)}
${row(
  '隐私豁免',
  metadata.privacyExemption === undefined
    ? undefined
    : `${PRIVACY_EXEMPTION_LABELS[metadata.privacyExemption.kind]}（依据：${metadata.privacyExemption.basis}）`,
)}
${row('索引号', view.indexNumber)}
${row('发布日期', view.publishedAt === null ? undefined : formatBeijingTime(view.publishedAt))}
</dl>`;
}

function reviewSection(view: SubmissionView): SafeHtml {
  return html`<section aria-labelledby="review-heading">
<h2 id="review-heading">审查审签进度</h2>
<ol>${view.review.steps.map(
    (step) => html`<li><strong>${step.name}</strong>：<span class="badge">${step.statusLabel}</span>
${step.decidedBy === null ? '' : html`（${step.decidedBy}${step.decidedAt === null ? '' : html`，${formatBeijingTime(step.decidedAt)}`}）`}
${step.status === 'PENDING' && step.expiresAt !== null ? html`<br><span class="muted">审核期限：${formatBeijingTime(step.expiresAt)}</span>` : ''}
${step.comment === null ? '' : html`<p class="notice">退回意见：${step.comment}</p>`}</li>`,
  )}</ol>
</section>`;
}

function findingsSection(view: SubmissionView): SafeHtml {
  const findings = view.consistency === null ? undefined : parseFindings(JSON.stringify(view.consistency));
  return html`<section aria-labelledby="findings-heading">
<h2 id="findings-heading">原文与解读一致性核对</h2>
${
  findings === undefined
    ? html`<p>校验完成后显示。</p>`
    : findings.length === 0
      ? html`<p>解读中引用的数字、日期、期限和文号均能在原文中找到。</p>`
      : html`<ol>${findings.map((finding) => html`<li>${finding.message}</li>`)}</ol>`
}
${
  view.redactions === null
    ? ''
    : html`<p>去标识化共处理 <strong>${view.redactions.total}</strong> 处${
        Object.keys(view.redactions.counts).length === 0
          ? ''
          : html`：${Object.entries(view.redactions.counts)
              .map(([type, count]) => `${redactionTypeLabel(type)} ${count} 处`)
              .join('，')}`
      }。</p>`
}
</section>`;
}

function auditSection(view: SubmissionView, drafterName: string): SafeHtml {
  return html`<section aria-labelledby="audit-heading">
<h2 id="audit-heading">办理记录（谁起草、谁审查、谁签发、谁公开）</h2>
<ol>${view.audit.map((entry) => {
    const chain = accountability(entry, view);
    return html`<li>${formatBeijingTime(entry.at)} · 第 ${entry.revision} 版 · <strong>${entry.actionLabel}</strong>
· ${chain === '' ? '' : html`${chain}：`}${actorName(entry, view, drafterName)}</li>`;
  })}</ol>
</section>`;
}

/** `GET /app/submissions/{id}`, with the resubmit form when the revision was returned or failed. */
export function renderStatusPage(
  context: DrafterPageContext,
  view: SubmissionView,
  resubmit: SubmissionFormView | undefined,
  flash?: string,
): string {
  const { options } = context;
  return pageShell({
    title: `${view.statusLabel}：${view.metadata.title}`,
    area: 'drafter',
    path: context.path,
    options,
    signedInAs: context.drafterName,
    main: html`<h1>${view.metadata.title}</h1>
${flash === undefined ? '' : html`<p class="ok" role="status">${flash}</p>`}
<section aria-labelledby="status-heading">
<h2 id="status-heading">状态：<span class="badge">${view.statusLabel}</span></h2>
<p>${view.statusHint}</p>
${view.returnedComment === null ? '' : html`<div class="notice"><p><strong>退回意见：</strong>${view.returnedComment}</p></div>`}
<dl>
<dt>修订版本</dt><dd>第 ${view.revision} 版</dd>
<dt>公开属性</dt><dd>${view.disclosureLabel}</dd>
<dt>及时公开</dt><dd>${deadlineText(view.deadline)}</dd>
<dt>更新时间</dt><dd>${formatBeijingTime(view.updatedAt)}</dd>
</dl>
<p><a href="${link(`/app/submissions/${encodeURIComponent(view.submissionId)}`, options)}">刷新状态</a>${
      view.bundleId === null
        ? ''
        : html` · <a href="${link(`/portal/view/bundles/${encodeURIComponent(view.bundleId)}`, options)}">查看已发布的文件</a>`
    }</p>
</section>
${reviewSection(view)}
<section aria-labelledby="meta-heading">
<h2 id="meta-heading">文件信息</h2>
${metadataList(view)}
<h3>文件</h3>
<ul>${view.documents.map((document) => html`<li>${document.roleLabel}：${document.fileName}（${document.size} 字节）</li>`)}</ul>
</section>
${findingsSection(view)}
${auditSection(view, context.drafterName)}
${
  resubmit === undefined
    ? ''
    : html`<section aria-labelledby="resubmit-heading" id="resubmit">
<h2 id="resubmit-heading">${resubmit.heading}</h2>
<p>按退回意见修改后重新提交，将生成第 ${view.revision + 1} 版。请重新选择原文和解读文件。</p>
${renderSubmissionForm(resubmit)}
</section>`
}`,
  });
}

/** 效力状态 in words, with the explanation of a withdrawal or supersession. */
function validityText(entry: Pick<CatalogEntry, 'validity' | 'explanation' | 'supersededBy'>): string {
  return VALIDITY_STATUS_LABELS[entry.validity];
}

/** `GET /portal/view`: the catalog as a portal would show it. */
export function renderCatalogPage(
  context: { options: WebPageOptions; path: string },
  page: { items: readonly CatalogEntry[]; nextCursor: string | undefined },
): string {
  const { options } = context;
  return pageShell({
    title: '公开目录',
    area: 'portal',
    path: context.path,
    options,
    main: html`<h1>政府信息公开目录（预览）</h1>
<p class="muted">门户网站从 /portal/catalog 拉取的内容，按发布顺序列出。</p>
${
  page.items.length === 0
    ? html`<p>目前还没有已发布的文件。</p>`
    : html`<ol class="cards" aria-label="公开目录">${page.items.map(
        (entry) => html`<li>
<h2><a href="${link(`/portal/view/bundles/${encodeURIComponent(entry.bundleId)}`, options)}">${entry.title}</a></h2>
<dl>
<dt>索引号</dt><dd>${entry.indexNumber}</dd>
<dt>发布机构</dt><dd>${entry.issuingBody}</dd>
<dt>发布日期</dt><dd>${formatBeijingTime(entry.publishedAt)}</dd>
<dt>效力状态</dt><dd><span class="badge">${validityText(entry)}</span></dd>
</dl>
</li>`,
      )}</ol>`
}
${page.nextCursor === undefined ? '' : html`<p><a href="${link(`/portal/view?cursor=${encodeURIComponent(page.nextCursor)}`, options)}">下一页</a></p>`}`,
  });
}

function fileUrl(bundleId: string, name: string): string {
  return `/portal/bundles/${encodeURIComponent(bundleId)}/files/${encodeURIComponent(name)}`;
}

/** `GET /portal/view/bundles/{bundleId}`: one bundle, 原文 and 解读 linked both ways. */
export function renderBundlePage(
  context: { options: WebPageOptions; path: string },
  entry: CatalogEntry,
  manifest: BundleManifest,
): string {
  const { options } = context;
  const { bundleId } = manifest;
  const interpretationIds = new Set(manifest.policy.interpretations);
  const interpretations = manifest.interpretations.filter((item) => interpretationIds.has(item.id));
  return pageShell({
    title: manifest.title,
    area: 'portal',
    path: context.path,
    options,
    main: html`<h1>${manifest.title}</h1>
<section aria-labelledby="meta-heading">
<h2 id="meta-heading">文件信息</h2>
<dl>
<dt>索引号</dt><dd>${manifest.indexNumber}</dd>
<dt>发布机构</dt><dd>${manifest.issuingBody}</dd>
<dt>责任部门</dt><dd>${manifest.responsibleDepartment}</dd>
<dt>文号</dt><dd>${manifest.documentNumber ?? '（无文号）'}</dd>
<dt>成文日期</dt><dd>${manifest.writtenDate}</dd>
<dt>发布日期</dt><dd>${manifest.publishedDate}</dd>
<dt>主题分类</dt><dd>${manifest.subjectCategory}</dd>
<dt>公开属性</dt><dd>${manifest.disclosure.label}</dd>
<dt>第一解读人</dt><dd>${manifest.firstInterpreter.name}（${manifest.firstInterpreter.position}）</dd>
<dt>效力状态</dt><dd><span class="badge">${validityText(entry)}</span>${
      entry.explanation === undefined ? '' : html`<p class="notice">说明：${entry.explanation}</p>`
    }${
      entry.supersededBy === undefined
        ? ''
        : html`<p>已被 <a href="${link(`/portal/view/bundles/${encodeURIComponent(entry.supersededBy)}`, options)}">新文件</a> 替代。</p>`
    }</dd>
</dl>
</section>
<section id="policy" aria-labelledby="policy-heading">
<h2 id="policy-heading">原文：${manifest.policy.title}</h2>
<p><a href="${fileUrl(bundleId, manifest.policy.files.html)}">阅读原文（网页）</a> · <a href="${fileUrl(bundleId, manifest.policy.files.text)}">纯文本</a></p>
<p>本文件的解读：</p>
<ul>${interpretations.map((item) => html`<li><a href="#${item.id}">${item.title}</a></li>`)}</ul>
${
  manifest.attachments.length === 0
    ? ''
    : html`<p>附件：</p><ul>${manifest.attachments.map((item) => html`<li><a href="${fileUrl(bundleId, item.files.html)}">${item.title}</a></li>`)}</ul>`
}
</section>
${manifest.interpretations.map(
  (item) => html`<section id="${item.id}" aria-labelledby="${item.id}-heading">
<h2 id="${item.id}-heading">解读：${item.title}</h2>
<p><a href="${fileUrl(bundleId, item.files.html)}">阅读解读（网页）</a> · <a href="${fileUrl(bundleId, item.files.text)}">纯文本</a></p>
<p>所解读的原文：<a href="#policy">${manifest.policy.title}</a></p>
</section>`,
)}
<p><a href="${link('/portal/view', options)}">返回公开目录</a></p>`,
  });
}

import type { Person, ReviewStep, Submission } from '../domain/index.js';
import { DISCLOSURE_ATTRIBUTE_LABELS, PRIVACY_EXEMPTION_LABELS } from '../domain/index.js';
import { html, type SafeHtml, trustedHtml } from '../http/html.js';
import { formatBeijingTime } from './format.js';
import type { ReviewMaterial } from './review-material.js';

/** Display options every page shares. */
export interface PageOptions {
  /** 长者版: larger type, higher contrast (`?elder=1`). */
  elder: boolean;
}

/** What the open approval page shows. */
export interface ApprovalPageView {
  submission: Submission;
  step: ReviewStep;
  stepIndex: number;
  approverId: string;
  expiresAt: string;
  attempt: number;
  material: ReviewMaterial;
  formToken: string;
  /** The comment as submitted, when the page is shown again after a refused form. */
  comment?: string;
  /** Why the form was refused (400), shown above the form. */
  formError?: string;
}

const STYLE = `
*,*::before,*::after{box-sizing:border-box}
html{font-size:100%;-webkit-text-size-adjust:100%}
body{margin:0;font-family:system-ui,-apple-system,"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC",sans-serif;font-size:1rem;line-height:1.7;color:#1a1a1a;background:#f6f7f9}
a{color:#0b4fb3}
:focus-visible{outline:3px solid #b45309;outline-offset:2px}
.skip{position:absolute;left:-9999px;top:0;background:#fff;padding:.5rem 1rem;z-index:10}
.skip:focus{left:.5rem;top:.5rem}
header,main,footer{max-width:96rem;margin:0 auto;padding:0 1rem}
header{padding-top:1rem}
.eyebrow{margin:0;color:#444;font-size:.9rem}
h1{font-size:1.5rem;line-height:1.4;margin:.25rem 0 .5rem;overflow-wrap:anywhere}
h2{font-size:1.2rem;margin:0 0 .5rem}
h3{font-size:1.05rem;margin:0 0 .5rem;overflow-wrap:anywhere}
.display{margin:0 0 1rem;font-size:.95rem}
section,article{background:#fff;border:1px solid #d0d4da;border-radius:6px;padding:1rem;margin:0 0 1rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:0}
dt{font-weight:600;color:#333}
dd{margin:0;overflow-wrap:anywhere}
@media (max-width:32rem){dl{grid-template-columns:1fr}dd{margin-bottom:.5rem}}
ul{padding-left:1.25rem;margin:.25rem 0}
.columns{display:grid;gap:1rem;grid-template-columns:1fr}
.columns article{margin:0;min-width:0}
@media (min-width:56rem){.columns{grid-template-columns:repeat(auto-fit,minmax(22rem,1fr))}.doc{max-height:75vh;overflow:auto}}
.doc{border-top:1px solid #e3e6ea;padding-top:.5rem;overflow-wrap:anywhere}
.doc table{border-collapse:collapse;max-width:100%;display:block;overflow-x:auto}
.doc td,.doc th{border:1px solid #ccc;padding:.25rem .5rem}
.doc img{max-width:100%;height:auto}
.doc mark,.doc .redaction,.doc [data-redaction],.legend .swatch{background:#fde68a;color:#1a1a1a;outline:2px solid #92400e;outline-offset:0;border-radius:2px;padding:0 .1em}
.legend{display:flex;flex-wrap:wrap;gap:.25rem 1.25rem;list-style:none;padding:0}
.notice{border-left:4px solid #92400e;background:#fff7e6;padding:.5rem .75rem;margin:.5rem 0}
.error{border-left:4px solid #a50e0e;background:#fdecec;padding:.5rem .75rem;margin:.5rem 0;font-weight:600}
.finding{margin:0 0 .75rem}
.finding q{quotes:"“" "”"}
.muted{color:#444;font-size:.95rem}
label{display:block;font-weight:600;margin:.5rem 0 .25rem}
textarea{width:100%;min-height:8rem;font:inherit;padding:.5rem;border:2px solid #6b7280;border-radius:4px;background:#fff;color:#1a1a1a}
textarea[aria-invalid="true"]{border-color:#a50e0e}
.actions{display:flex;flex-wrap:wrap;gap:.75rem;margin-top:.75rem}
button{font:inherit;font-weight:700;min-height:3rem;min-width:8rem;padding:.5rem 1.5rem;border-radius:4px;border:2px solid transparent;cursor:pointer}
.approve{background:#0a6b2c;color:#fff}
.reject{background:#fff;color:#a50e0e;border-color:#a50e0e}
footer{padding-bottom:2rem;color:#444;font-size:.9rem}
html.elder{font-size:130%}
.elder body{line-height:1.8;background:#fff;color:#000}
.elder section,.elder article{border:2px solid #000}
.elder a{color:#00379e;text-decoration-thickness:2px}
.elder .muted,.elder dt,.elder .eyebrow,.elder footer{color:#000}
.elder .doc mark,.elder .doc .redaction,.elder .doc [data-redaction],.elder .legend .swatch{background:#ffd400;color:#000;outline:3px solid #000}
.elder button{min-height:3.5rem}
.elder textarea{border:3px solid #000;color:#000}
.elder :focus-visible{outline:4px solid #000;outline-offset:3px;box-shadow:0 0 0 7px #ffd400}
`;

/** The document frame every page shares: zh-CN, no script, no external resource. */
export function pageShell(title: string, options: PageOptions, content: SafeHtml): string {
  return html`<!doctype html>
<html lang="zh-CN"${options.elder ? html` class="elder"` : ''}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>${title}</title>
<style>${trustedHtml(STYLE)}</style>
</head>
<body>
<a class="skip" href="#main">跳到主要内容</a>
${content}
<footer role="contentinfo"><p>政务公开发布系统 · 审核链接仅供收件人本人使用，请勿转发。</p></footer>
</body>
</html>`.toString();
}

function displayToggle(options: PageOptions): SafeHtml {
  return html`<p class="display">${
    options.elder
      ? html`<a href="?elder=0">切换到标准版</a>`
      : html`<a href="?elder=1">切换到长者版（大字、高对比）</a>`
  }</p>`;
}

/** A page that only says something: 404, 409, 410, 403, 500, and the result after a decision. */
export function renderNoticePage(input: {
  heading: string;
  message: string;
  options: PageOptions;
  role?: 'status' | 'alert';
}): string {
  return pageShell(
    input.heading,
    input.options,
    html`<header role="banner"><p class="eyebrow">政务公开 · 文件审核</p>${displayToggle(input.options)}</header>
<main id="main" tabindex="-1">
<section aria-labelledby="notice-heading">
<h1 id="notice-heading">${input.heading}</h1>
<p role="${input.role ?? 'status'}">${input.message}</p>
</section>
</main>`,
  );
}

function metadataList(submission: Submission): SafeHtml {
  const { metadata } = submission;
  const row = (label: string, value: string | SafeHtml | undefined) =>
    value === undefined || value === '' ? '' : html`<dt>${label}</dt><dd>${value}</dd>`;
  const disclosure = metadata.disclosure;
  return html`<dl>
${row('标题', metadata.title)}
${row('发布机构', metadata.issuingBody)}
${row('责任部门', metadata.responsibleDepartment)}
${row('文号', metadata.documentNumber ?? '（无文号）')}
${row('成文日期', metadata.writtenDate)}
${row('主题分类', metadata.subjectCategory)}
${row('公开属性', DISCLOSURE_ATTRIBUTE_LABELS[disclosure.attribute])}
${row('不公开或删减理由', disclosure.reason)}
${row('法律依据', disclosure.legalBasis)}
${row(
  '删减内容',
  disclosure.removals !== undefined && disclosure.removals.length > 0
    ? html`<ul>${disclosure.removals.map((removal) => html`<li>${removal.description}（理由：${removal.reason}）</li>`)}</ul>`
    : undefined,
)}
${row(
  '隐私豁免',
  metadata.privacyExemption === undefined
    ? undefined
    : `${PRIVACY_EXEMPTION_LABELS[metadata.privacyExemption.kind]}（依据：${metadata.privacyExemption.basis}）`,
)}
${row('第一解读人', `${metadata.firstInterpreter.name}（${metadata.firstInterpreter.position}）`)}
${row('计划发布时间', metadata.plannedReleaseAt === undefined ? '审签通过后发布' : formatBeijingTime(metadata.plannedReleaseAt))}
${row('起草人', submission.drafter.name)}
${row('修订版本', `第 ${submission.revision} 版`)}
</dl>`;
}

function approverList(approvers: readonly Person[], approverId: string): SafeHtml {
  return html`<ul>${approvers.map(
    (person) => html`<li>${person.name}${person.id === approverId ? html`<strong>（您）</strong>` : ''}</li>`,
  )}</ul>`;
}

function legend(material: ReviewMaterial): SafeHtml {
  if (!material.deidentified) {
    return html`<p>本文件公开属性为依申请公开或不予公开，不对外发布，因此未做去标识化处理；下方显示的是安全处理后的原始内容。</p>`;
  }
  if (material.redactions === undefined) {
    return html`<p class="notice">去标识化报告暂时无法读取。文中的标记仍以高亮显示；如有疑问，请退回并说明。</p>`;
  }
  if (material.redactions.total === 0) {
    return html`<p>去标识化未发现需要处理的个人信息。</p>`;
  }
  return html`<p>共处理 <strong>${material.redactions.total}</strong> 处，文中以 <mark class="swatch">高亮</mark> 标出：</p>
<ul class="legend">${material.redactions.counts.map(
    (row) => html`<li><span class="swatch">${row.label}</span> ${row.count} 处</li>`,
  )}</ul>`;
}

function findingsList(material: ReviewMaterial): SafeHtml {
  if (material.findings === undefined) {
    return html`<p class="notice">一致性核对结果暂时无法读取，请自行核对解读中的数字、日期和文号。</p>`;
  }
  if (material.findings.length === 0) {
    return html`<p>解读中引用的数字、金额、百分比、日期、期限和文号均能在原文中找到。</p>`;
  }
  return html`<p>以下 <strong>${material.findings.length}</strong> 处请核对：</p>
<ol>${material.findings.map(
    (finding) =>
      html`<li class="finding"><p>${finding.message}</p>${
        finding.interpretationExcerpt === undefined
          ? ''
          : html`<p class="muted">解读原句：<q>${finding.interpretationExcerpt}</q></p>`
      }${finding.policyExcerpt === undefined ? '' : html`<p class="muted">原文相近句：<q>${finding.policyExcerpt}</q></p>`}</li>`,
  )}</ol>`;
}

function documentsSection(material: ReviewMaterial): SafeHtml {
  return html`<div class="columns">${material.documents.map(
    (document, index) => html`<article aria-labelledby="doc-${index}-heading">
<h3 id="doc-${index}-heading">${document.roleLabel}：${document.title}</h3>
${
  document.content === undefined
    ? html`<p class="notice">${document.notice ?? ''}</p>`
    : html`<div class="doc" role="region" tabindex="0" aria-labelledby="doc-${index}-heading">${document.content}</div>`
}
</article>`,
  )}</div>`;
}

/** The approval page: metadata, step, legend, findings, 原文 and 解读 side by side, and the form. */
export function renderApprovalPage(view: ApprovalPageView, options: PageOptions): string {
  const { submission, step } = view;
  const comment = view.comment ?? '';
  const stepLabel = `第 ${view.stepIndex + 1} 个审查环节（共 ${submission.metadata.reviewSteps.length} 个）`;
  return pageShell(
    `审核：${submission.metadata.title}`,
    options,
    html`<header role="banner">
<p class="eyebrow">政务公开 · 文件审核 · ${step.name}</p>
<h1>${submission.metadata.title}</h1>
${displayToggle(options)}
</header>
<main id="main" tabindex="-1">
<section aria-labelledby="step-heading">
<h2 id="step-heading">审查环节：${step.name}</h2>
<p>${stepLabel}。本环节任一审核人作出决定即完成本环节。${view.attempt > 0 ? html`<strong>这是第 ${view.attempt} 次提醒。</strong>` : ''}</p>
<p>审核期限：<strong>${formatBeijingTime(view.expiresAt)}</strong></p>
<p>本环节审核人：</p>
${approverList(step.approvers, view.approverId)}
</section>
<section aria-labelledby="meta-heading">
<h2 id="meta-heading">文件信息</h2>
${metadataList(submission)}
</section>
<section aria-labelledby="legend-heading">
<h2 id="legend-heading">去标识化标记</h2>
${legend(view.material)}
</section>
<section aria-labelledby="consistency-heading">
<h2 id="consistency-heading">原文与解读一致性核对</h2>
${findingsList(view.material)}
</section>
<section aria-labelledby="documents-heading">
<h2 id="documents-heading">原文与解读对照</h2>
<p class="muted">原文与解读同步审签、同步发布。宽屏并排显示，手机上依次显示。</p>
${documentsSection(view.material)}
</section>
<section id="decision" aria-labelledby="decision-heading">
<h2 id="decision-heading">审核决定</h2>
${view.formError === undefined ? '' : html`<p class="error" role="alert" id="form-error">${view.formError}</p>`}
<form method="post">
<input type="hidden" name="form_token" value="${view.formToken}">
<label for="comment">审核意见（退回时必填，同意时可不填）</label>
<textarea id="comment" name="comment" rows="6" maxlength="2000" aria-describedby="comment-help${view.formError === undefined ? '' : ' form-error'}"${view.formError === undefined ? '' : html` aria-invalid="true"`}>${comment}</textarea>
<p id="comment-help" class="muted">退回时请写明需要修改的内容，起草人将按此修改后重新提交。决定提交后不能更改。</p>
<div class="actions">
<button type="submit" name="decision" value="approve" class="approve">同意</button>
<button type="submit" name="decision" value="reject" class="reject">退回修改</button>
</div>
</form>
</section>
</main>`,
  );
}

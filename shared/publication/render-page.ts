import { html, type SafeHtml, trustedHtml } from '../http/html.js';

/** The metadata block every page of a bundle shows (the 政府信息公开 header of a portal page). */
export interface PageMetadata {
  indexNumber: string;
  issuingBody: string;
  documentNumber?: string;
  writtenDate: string;
  publishedDate: string;
  disclosureLabel: string;
  validityLabel: string;
  subjectCategory: string;
  firstInterpreter: { name: string; position: string };
}

/** A link from one page of the bundle to another (原文 ⇄ 解读, attachments). */
export interface PageLink {
  href: string;
  title: string;
  /** 原文, 解读 or 附件. */
  kind: string;
}

/** What one page shows. */
export interface PageContent {
  title: string;
  /** 原文, 解读 or 附件: what this page is. */
  kind: string;
  metadata: PageMetadata;
  /** Sanitized document HTML (the de-identified body); inserted as it is. */
  bodyHtml: string;
  links: readonly PageLink[];
}

/** Id of the element that holds the document itself; Verify re-scans its text. */
export const DOCUMENT_BODY_ID = 'document-body';

/** No script, no external resource, nothing but inline style; links navigate, nothing loads. */
const PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

const STYLE = `
body{margin:0;font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;line-height:1.8;color:#1a1a1a;background:#fff}
main{max-width:52rem;margin:0 auto;padding:1rem}
h1{font-size:1.5rem;line-height:1.4;margin:1rem 0}
.kind{display:inline-block;padding:0 .5rem;border:1px solid #8a1c1c;color:#8a1c1c;border-radius:.25rem;font-size:.9rem}
dl.metadata{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:0;padding:1rem;background:#f6f6f6;border:1px solid #ddd}
dl.metadata dt{font-weight:bold}
dl.metadata dd{margin:0}
nav ul{padding-left:1.25rem}
a{color:#0645ad}
a:focus{outline:3px solid #f9a825}
article{margin-top:1.5rem}
table{border-collapse:collapse}
td,th{border:1px solid #999;padding:.25rem .5rem}
@media (max-width:36rem){dl.metadata{grid-template-columns:1fr}dl.metadata dd{margin-bottom:.5rem}}
`.trim();

function metadataRows(metadata: PageMetadata): SafeHtml {
  const rows: Array<[string, string | SafeHtml]> = [
    ['索引号', metadata.indexNumber],
    ['发布机构', metadata.issuingBody],
    ['文号', metadata.documentNumber ?? '无'],
    ['成文日期', html`<time datetime="${metadata.writtenDate}">${metadata.writtenDate}</time>`],
    ['发布日期', html`<time datetime="${metadata.publishedDate}">${metadata.publishedDate}</time>`],
    ['公开属性', metadata.disclosureLabel],
    ['效力状态', metadata.validityLabel],
    ['主题分类', metadata.subjectCategory],
    ['第一解读人', `${metadata.firstInterpreter.name}（${metadata.firstInterpreter.position}）`],
  ];
  return html`${rows.map(([term, value]) => html`<dt>${term}</dt><dd>${value}</dd>\n`)}`;
}

/**
 * A complete, standalone, accessible HTML page for one document of a bundle: `lang="zh-CN"`, the
 * metadata block, links to the other documents of the same release, the document body. No script,
 * no external resource (a meta CSP says so too, for copies served without our headers).
 * Deterministic: the same content always renders to the same bytes.
 */
export function renderDocumentPage(page: PageContent): string {
  const linkList =
    page.links.length === 0
      ? html``
      : html`<nav aria-labelledby="related-heading">
<h2 id="related-heading">相关文件</h2>
<ul>
${page.links.map((link) => html`<li>${link.kind}：<a href="${link.href}">${link.title}</a></li>\n`)}</ul>
</nav>
`;
  return html`<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${PAGE_CSP}">
<meta name="referrer" content="no-referrer">
<title>${page.title}</title>
<style>${trustedHtml(STYLE)}</style>
</head>
<body>
<main>
<header>
<p class="kind">${page.kind}</p>
<h1>${page.title}</h1>
</header>
<section aria-labelledby="metadata-heading">
<h2 id="metadata-heading">文件信息</h2>
<dl class="metadata">
${metadataRows(page.metadata)}</dl>
</section>
${linkList}<article id="${DOCUMENT_BODY_ID}" aria-labelledby="body-heading">
<h2 id="body-heading">正文</h2>
${trustedHtml(page.bodyHtml)}
</article>
</main>
</body>
</html>
`.value;
}

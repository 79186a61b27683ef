import { html, type SafeHtml, trustedHtml } from '../http/html.js';

/** Display options every page shares. */
export interface WebPageOptions {
  /** 长者版: larger type, higher contrast (`?elder=1`), kept on every link and form of the page. */
  elder: boolean;
}

/** Which part of the site a page belongs to: decides the banner and the navigation. */
export type Area = 'drafter' | 'portal';

/**
 * The drafter's and the portal preview's style: the approval page's look (same palette, focus ring,
 * 长者版 scaling the root font), plus form controls. Inline, because pages load nothing external.
 */
const STYLE = `
*,*::before,*::after{box-sizing:border-box}
html{font-size:100%;-webkit-text-size-adjust:100%}
body{margin:0;font-family:system-ui,-apple-system,"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC",sans-serif;font-size:1rem;line-height:1.7;color:#1a1a1a;background:#f6f7f9;overflow-wrap:anywhere}
a{color:#0b4fb3}
:focus-visible{outline:3px solid #b45309;outline-offset:2px}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.skip{position:absolute;left:-9999px;top:0;background:#fff;padding:.5rem 1rem;z-index:10}
.skip:focus{left:.5rem;top:.5rem}
header,main,footer{max-width:64rem;margin:0 auto;padding:0 1rem}
header{padding-top:1rem}
.eyebrow{margin:0;color:#444;font-size:.9rem}
nav ul{list-style:none;display:flex;flex-wrap:wrap;gap:.25rem 1.25rem;padding:0;margin:.25rem 0}
h1{font-size:1.5rem;line-height:1.4;margin:.25rem 0 .5rem}
h2{font-size:1.2rem;margin:0 0 .5rem}
h3{font-size:1.05rem;margin:0 0 .5rem}
.display{margin:0 0 1rem;font-size:.95rem}
section,article,fieldset{background:#fff;border:1px solid #d0d4da;border-radius:6px;padding:1rem;margin:0 0 1rem;min-width:0}
legend{font-weight:700;padding:0 .25rem}
fieldset fieldset{background:#f9fafb}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:0}
dt{font-weight:600;color:#333}
dd{margin:0;min-width:0}
@media (max-width:32rem){dl{grid-template-columns:1fr}dd{margin-bottom:.5rem}}
ul,ol{padding-left:1.25rem;margin:.25rem 0}
.cards{list-style:none;padding:0}
.cards>li{background:#fff;border:1px solid #d0d4da;border-radius:6px;padding:.75rem 1rem;margin:0 0 .75rem}
.cards h2,.cards h3{margin:0 0 .25rem}
.notice{border-left:4px solid #92400e;background:#fff7e6;padding:.5rem .75rem;margin:.5rem 0}
.ok{border-left:4px solid #0a6b2c;background:#ecfdf3;padding:.5rem .75rem;margin:.5rem 0}
.error-summary{border:3px solid #a50e0e;background:#fdecec;padding:.75rem 1rem;margin:0 0 1rem;border-radius:6px}
.error-summary h2{color:#8a0b0b}
.field-error{color:#8a0b0b;font-weight:600;margin:.25rem 0}
.muted{color:#444;font-size:.95rem}
.badge{display:inline-block;border:2px solid currentColor;border-radius:4px;padding:0 .4rem;font-weight:700;font-size:.95rem}
.field{margin:0 0 .75rem}
label{display:block;font-weight:600;margin:.5rem 0 .25rem}
.choice label{display:inline;font-weight:400;margin:0 0 0 .35rem}
.choice{margin:.25rem 0}
input[type=text],input[type=email],input[type=number],input[type=date],input[type=datetime-local],select,textarea{width:100%;max-width:100%;font:inherit;padding:.5rem;border:2px solid #6b7280;border-radius:4px;background:#fff;color:#1a1a1a;min-height:2.75rem}
input[type=file]{font:inherit;max-width:100%}
textarea{min-height:5rem}
[aria-invalid="true"]{border-color:#a50e0e!important;border-width:3px!important}
.hint{color:#444;font-size:.9rem;margin:.1rem 0 .25rem}
.row{display:grid;gap:0 1rem;grid-template-columns:1fr}
@media (min-width:40rem){.row{grid-template-columns:1fr 1fr}}
.actions{display:flex;flex-wrap:wrap;gap:.75rem;margin-top:.75rem}
button,.button{font:inherit;font-weight:700;min-height:3rem;padding:.5rem 1.5rem;border-radius:4px;border:2px solid transparent;cursor:pointer;background:#0b4fb3;color:#fff;text-decoration:none;display:inline-block}
.secondary{background:#fff;color:#0b4fb3;border-color:#0b4fb3}
footer{padding-bottom:2rem;color:#444;font-size:.9rem}
html.elder{font-size:130%}
.elder body{line-height:1.8;background:#fff;color:#000}
.elder section,.elder article,.elder fieldset,.elder .cards>li{border:2px solid #000}
.elder a{color:#00379e;text-decoration-thickness:2px}
.elder .muted,.elder dt,.elder .eyebrow,.elder footer,.elder .hint{color:#000}
.elder input,.elder select,.elder textarea{border:3px solid #000;color:#000}
.elder button,.elder .button{min-height:3.5rem}
.elder a.button{color:#fff;background:#00379e}
.elder a.button.secondary{color:#00379e;background:#fff}
.elder :focus-visible{outline:4px solid #000;outline-offset:3px;box-shadow:0 0 0 7px #ffd400}
`;

/** `path` with `elder=1` added when the page is in 长者版, so the choice survives navigation. */
export function link(path: string, options: WebPageOptions): string {
  if (!options.elder) return path;
  return `${path}${path.includes('?') ? '&' : '?'}elder=1`;
}

function displayToggle(path: string, options: WebPageOptions): SafeHtml {
  const base = path.split('?')[0] ?? path;
  return html`<p class="display">${
    options.elder
      ? html`<a href="${base}?elder=0">切换到标准版</a>`
      : html`<a href="${base}?elder=1">切换到长者版（大字、高对比）</a>`
  }</p>`;
}

function navigation(area: Area, options: WebPageOptions, signedInAs: string | undefined): SafeHtml {
  if (area === 'portal') {
    return html`<nav aria-label="门户预览"><ul><li><a href="${link('/portal/view', options)}">公开目录</a></li></ul></nav>`;
  }
  return html`<nav aria-label="起草人"><ul>
<li><a href="${link('/app', options)}">我的提交</a></li>
<li><a href="${link('/app/submissions/new', options)}">新建提交</a></li>
<li><a href="${link('/portal/view', options)}">公开目录预览</a></li>
</ul></nav>${signedInAs === undefined ? '' : html`<p class="muted">当前登录：${signedInAs}</p>`}`;
}

/** Everything around a page's main content. */
export interface ShellInput {
  title: string;
  area: Area;
  /** The page's own path (with query, if any), for the 长者版 toggle. */
  path: string;
  options: WebPageOptions;
  /** Name of the signed-in drafter, shown under the navigation. */
  signedInAs?: string;
  main: SafeHtml;
}

/** The document frame: zh-CN, landmarks, skip link, 长者版 toggle; no script, no external resource. */
export function pageShell(input: ShellInput): string {
  const eyebrow = input.area === 'portal' ? '政务公开 · 门户预览' : '政务公开 · 起草人工作台';
  return html`<!doctype html>
<html lang="zh-CN"${input.options.elder ? html` class="elder"` : ''}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>${input.title} - 政务公开发布系统</title>
<style>${trustedHtml(STYLE)}</style>
</head>
<body>
<a class="skip" href="#main">跳到主要内容</a>
<header role="banner">
<p class="eyebrow">${eyebrow}</p>
${navigation(input.area, input.options, input.signedInAs)}
${displayToggle(input.path, input.options)}
</header>
<main id="main" tabindex="-1">
${input.main}
</main>
<footer role="contentinfo"><p>政务公开发布系统 · 原文与解读同步起草、同步审签、同步发布。</p></footer>
</body>
</html>`.toString();
}

/** A page that only says something (404, 403, 500 …). */
export function noticePage(input: {
  heading: string;
  message: string;
  area: Area;
  path: string;
  options: WebPageOptions;
  signedInAs?: string;
}): string {
  return pageShell({
    title: input.heading,
    area: input.area,
    path: input.path,
    options: input.options,
    ...(input.signedInAs === undefined ? {} : { signedInAs: input.signedInAs }),
    main: html`<section aria-labelledby="notice-heading"><h1 id="notice-heading">${input.heading}</h1><p role="alert">${input.message}</p></section>`,
  });
}

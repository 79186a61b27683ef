/**
 * Document model of the generator: a document is a list of blocks whose text is made of plain
 * strings and labelled tokens. Rendering to a format records where each token lands, so labels are
 * taken from the rendered text itself (including line breaks that hard wrapping put inside a value).
 */
import {
  type DocLabels,
  extractHtml,
  housePart,
  type LabelItem,
  maskValues,
  normKeep,
  normName,
  normNum,
} from '../score.js';

export type Kind = 'redact' | 'keep' | 'debatable';

export interface Tok {
  text: string;
  kind: Kind;
  type: string;
  house?: string;
  why?: string;
  /** a punished person's name in a punishment document (kept under --exemption) */
  exempt?: boolean;
}

export type Piece = string | Tok;
export type Line = Piece[];

export type Block =
  | { t: 'title'; line: Line }
  | { t: 'h'; line: Line }
  | { t: 'p'; line: Line; align?: 'right' | 'center' }
  | { t: 'table'; head: string[]; rows: Line[][] }
  | { t: 'list'; items: Line[] };

export interface DocSpec {
  genre: string;
  key: string;
  punishment: boolean;
  blocks: Block[];
  /** site name, address and phone for the HTML page chrome */
  site: { name: Tok; address: Tok; phone: Tok };
}

export type Format = 'txt' | 'txt-tsv' | 'txt-aligned' | 'txt-wrapped' | 'md' | 'html';

export interface RenderStyle {
  format: Format;
  /** hard-wrap width for txt-wrapped */
  width: number;
  indent: boolean;
  listStyle: 'dot' | 'dun' | 'paren';
  publishDate: string;
  views: number;
  /** replace redact tokens (except exempt ones when `keepExempt`) by ＊ — for validation */
  mask?: { keepExempt: boolean };
}

/** Tagged template: `L\`当事人：${tok}\`` gives a Line. Arrays are spliced in. */
export function L(strings: TemplateStringsArray, ...values: Array<Piece | Piece[] | number>): Line {
  const line: Line = [];
  strings.forEach((s, i) => {
    if (s) line.push(s);
    if (i < values.length) {
      const v = values[i] as Piece | Piece[] | number;
      if (Array.isArray(v)) line.push(...v);
      else if (typeof v === 'number') line.push(String(v));
      else line.push(v);
    }
  });
  return line;
}

/** Joins lines with a separator piece. */
export function join(parts: Line[], sep: string): Line {
  const out: Line = [];
  parts.forEach((p, i) => {
    if (i > 0) out.push(sep);
    out.push(...p);
  });
  return out;
}

interface Span {
  tok: Tok;
  start: number;
  end: number;
}

interface Out {
  text: string;
  spans: Span[];
}

class Writer implements Out {
  text = '';
  spans: Span[] = [];

  constructor(private readonly style: RenderStyle) {}

  piece(p: Piece, encode: (s: string) => string = (s) => s): void {
    if (typeof p === 'string') {
      this.text += encode(p);
      return;
    }
    const masked =
      this.style.mask !== undefined && p.kind === 'redact' && !(p.exempt && this.style.mask.keepExempt);
    const shown = masked ? [...p.text].map((c) => (c === '\n' ? c : '＊')).join('') : p.text;
    const start = this.text.length;
    this.text += encode(shown);
    this.spans.push({ tok: p, start, end: this.text.length });
  }

  line(line: Line, encode?: (s: string) => string): void {
    for (const p of line) this.piece(p, encode);
  }

  raw(s: string): void {
    this.text += s;
  }
}

const plain = (line: Line): string => line.map((p) => (typeof p === 'string' ? p : p.text)).join('');
/** Display width: CJK and full-width characters count 2. */
const width = (s: string): number =>
  [...s].reduce((w, c) => w + (/[\u1100-\uffdc]/.test(c) && c !== '·' ? 2 : 1), 0);

function listMarker(style: RenderStyle, i: number): string {
  const cn = '一二三四五六七八九十';
  if (style.listStyle === 'dun') return `${i + 1}、`;
  if (style.listStyle === 'paren') return `（${cn[i] ?? String(i + 1)}）`;
  return `${i + 1}. `;
}

function renderText(doc: DocSpec, style: RenderStyle): Writer {
  const w = new Writer(style);
  const indent = style.indent ? '　　' : '';
  const tableStyle = style.format === 'txt-tsv' ? 'tsv' : 'aligned';
  doc.blocks.forEach((b, bi) => {
    if (bi > 0) w.raw('\n');
    switch (b.t) {
      case 'title':
        w.line(b.line);
        w.raw('\n');
        break;
      case 'h':
        w.line(b.line);
        break;
      case 'p':
        if (b.align === 'right') w.raw('　　　　　　　　');
        else if (b.align !== 'center') w.raw(indent);
        w.line(b.line);
        break;
      case 'list':
        b.items.forEach((item, i) => {
          if (i > 0) w.raw('\n');
          w.raw(indent + listMarker(style, i));
          w.line(item);
        });
        break;
      case 'table': {
        const rows: Line[][] = [b.head.map((h) => [h]), ...b.rows];
        if (tableStyle === 'tsv') {
          rows.forEach((row, ri) => {
            if (ri > 0) w.raw('\n');
            row.forEach((cell, ci) => {
              if (ci > 0) w.raw('\t');
              w.line(cell);
            });
          });
        } else {
          const widths = b.head.map((_, ci) => Math.max(...rows.map((r) => width(plain(r[ci] ?? [])))));
          rows.forEach((row, ri) => {
            if (ri > 0) w.raw('\n');
            row.forEach((cell, ci) => {
              if (ci > 0) w.raw('  ');
              w.line(cell);
              if (ci < row.length - 1) w.raw(' '.repeat((widths[ci] ?? 0) - width(plain(cell))));
            });
          });
        }
        break;
      }
    }
  });
  return w;
}

function renderMarkdown(doc: DocSpec, style: RenderStyle): Writer {
  const w = new Writer(style);
  const md = (s: string): string => s.replace(/\|/g, '\\|');
  doc.blocks.forEach((b, bi) => {
    if (bi > 0) w.raw('\n\n');
    switch (b.t) {
      case 'title':
        w.raw('# ');
        w.line(b.line);
        break;
      case 'h':
        w.raw('## ');
        w.line(b.line);
        break;
      case 'p':
        w.line(b.line);
        break;
      case 'list':
        b.items.forEach((item, i) => {
          if (i > 0) w.raw('\n');
          w.raw(`${i + 1}. `);
          w.line(item);
        });
        break;
      case 'table':
        w.raw(`| ${b.head.join(' | ')} |\n|${b.head.map(() => ' --- |').join('')}`);
        for (const row of b.rows) {
          w.raw('\n| ');
          row.forEach((cell, ci) => {
            if (ci > 0) w.raw(' | ');
            w.line(cell, md);
          });
          w.raw(' |');
        }
        break;
    }
  });
  return w;
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function renderHtml(doc: DocSpec, style: RenderStyle): Writer {
  const w = new Writer(style);
  const title = plain(doc.blocks.find((b) => b.t === 'title')?.line ?? []);
  const site = doc.site.name.text;
  w.raw(
    `<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n<title>${esc(title)} - ${esc(site)}</title>\n`,
  );
  w.raw(
    '<meta name="ColumnName" content="信息公开">\n<script>var _hmt = _hmt || [];</script>\n</head>\n<body>\n',
  );
  w.raw(
    '<div class="top-bar"><a href="/">网站首页</a> | <a href="/wza/">无障碍浏览</a> | <a href="/m/">手机版</a></div>\n',
  );
  w.raw('<div class="banner"><span class="site-name">');
  w.piece(doc.site.name, esc);
  w.raw(
    '</span></div>\n<div class="crumb">您的位置：<a href="/">首页</a> &raquo; <a href="/xxgk/">信息公开</a> &raquo; 公示公告</div>\n',
  );
  w.raw('<div class="detail">\n');
  for (const b of doc.blocks) {
    switch (b.t) {
      case 'title':
        w.raw('<h2 class="detail-title">');
        w.line(b.line, esc);
        w.raw(
          `</h2>\n<div class="detail-meta">发布日期：${style.publishDate}　　阅读次数：${style.views}</div>\n<div class="TRS_Editor">\n`,
        );
        break;
      case 'h':
        w.raw('<p style="text-indent:2em"><strong>');
        w.line(b.line, esc);
        w.raw('</strong></p>\n');
        break;
      case 'p':
        w.raw(
          b.align === 'right'
            ? '<p style="text-align:right">'
            : b.align === 'center'
              ? '<p style="text-align:center">'
              : '<p style="text-indent:2em">',
        );
        w.line(b.line, esc);
        w.raw('</p>\n');
        break;
      case 'list':
        w.raw('<ol>\n');
        for (const item of b.items) {
          w.raw('<li>');
          w.line(item, esc);
          w.raw('</li>\n');
        }
        w.raw('</ol>\n');
        break;
      case 'table':
        w.raw(
          '<table class="MsoTable" border="1" cellspacing="0" cellpadding="4" width="100%">\n<tbody>\n<tr>',
        );
        for (const h of b.head) w.raw(`<td style="text-align:center"><strong>${esc(h)}</strong></td>`);
        w.raw('</tr>\n');
        for (const row of b.rows) {
          w.raw('<tr>');
          for (const cell of row) {
            w.raw('<td>');
            w.line(cell, esc);
            w.raw('</td>');
          }
          w.raw('</tr>\n');
        }
        w.raw('</tbody>\n</table>\n');
        break;
    }
  }
  w.raw('</div>\n</div>\n<div class="footer">\n<p>主办：');
  w.piece(doc.site.name, esc);
  w.raw('　地址：');
  w.piece(doc.site.address, esc);
  w.raw('　电话：');
  w.piece(doc.site.phone, esc);
  w.raw('</p>\n<p>技术支持：政务信息中心　<a href="/sitemap/">网站地图</a></p>\n</div>\n</body>\n</html>\n');
  return w;
}

/**
 * Hard-wraps every line longer than `width` characters anywhere (inside names and numbers too),
 * never leaving whitespace at a line end (intake strips trailing whitespace). Spans are moved.
 */
function hardWrap(w: Out, widthChars: number): Out {
  const src = w.text;
  const map: number[] = new Array(src.length + 1);
  let out = '';
  let col = 0;
  for (let i = 0; i < src.length; i++) {
    const c = src[i] as string;
    if (c === '\n') {
      map[i] = out.length;
      out += c;
      col = 0;
      continue;
    }
    const next = src[i + 1];
    if (
      col >= widthChars &&
      !/\s/.test(out[out.length - 1] ?? '') &&
      !/\s/.test(c) &&
      next !== '\n' &&
      next !== undefined
    ) {
      out += '\n';
      col = 0;
    }
    map[i] = out.length;
    out += c;
    col++;
  }
  map[src.length] = out.length;
  return {
    text: out,
    spans: w.spans.map((s) => ({ tok: s.tok, start: map[s.start] ?? 0, end: (map[s.end - 1] ?? 0) + 1 })),
  };
}

function render(doc: DocSpec, style: RenderStyle): Out {
  switch (style.format) {
    case 'md':
      return renderMarkdown(doc, style);
    case 'html':
      return renderHtml(doc, style);
    case 'txt-wrapped':
      return hardWrap(renderText(doc, style), style.width);
    default:
      return renderText(doc, style);
  }
}

export interface Rendered {
  text: string;
  labels: DocLabels;
}

/** Renders a document and takes its labels from where the tokens landed. */
export function renderDocument(doc: DocSpec, style: RenderStyle): Rendered {
  const w = render(doc, { ...style, mask: undefined });
  const labels: DocLabels = {
    genre: doc.genre,
    format: style.format,
    punishment: doc.punishment,
    exempt: [],
    redact: [],
    keep: [],
    debatable: [],
  };
  const seen = new Set<string>();
  const isHtml = style.format === 'html';
  for (const s of w.spans) {
    const value = isHtml ? s.tok.text : w.text.slice(s.start, s.end);
    const key = `${s.tok.kind}|${s.tok.type}|${value}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const item: LabelItem = { type: s.tok.type, value };
    if (s.tok.house !== undefined) item.house = s.tok.house;
    if (s.tok.why !== undefined) item.why = s.tok.why;
    labels[s.tok.kind].push(item);
    if (s.tok.exempt) labels.exempt.push(value);
  }
  return { text: w.text, labels };
}

/**
 * Checks a rendered document's labels; returns the problems (empty when sound):
 * values are in the text; no value is both private and public; no private name hides inside a keep
 * value; and masking exactly the labelled occurrences removes every probe the scorer looks for
 * (so a name that also occurs elsewhere in the text, unlabelled, is caught).
 */
export function checkDocument(doc: DocSpec, style: RenderStyle, rendered: Rendered): string[] {
  const problems: string[] = [];
  const { labels } = rendered;
  const text = style.format === 'html' ? extractHtml(rendered.text) : rendered.text;
  const all = [...labels.redact, ...labels.keep, ...labels.debatable];
  for (const item of all) {
    if (!text.includes(item.value)) problems.push(`not in text: ${item.type} ${JSON.stringify(item.value)}`);
    if (item.type === 'address' && !normNum(item.value).includes(normNum(housePart(item)))) {
      problems.push(`house not in address: ${item.value}`);
    }
  }
  const keepNorm = labels.keep.map((k) => ({ k, name: normName(k.value), num: normNum(k.value) }));
  for (const item of [...labels.redact, ...labels.debatable]) {
    const n = normName(item.value);
    for (const { k, name, num } of keepNorm) {
      if (item.type === 'name' ? name.includes(n) : num.includes(normNum(item.value)) || name === n) {
        problems.push(
          `private ${item.type} ${JSON.stringify(item.value)} inside keep ${k.type} ${JSON.stringify(k.value)}`,
        );
      }
    }
  }
  for (const keepExempt of labels.exempt.length > 0 ? [false, true] : [false]) {
    const masked = render(doc, { ...style, mask: { keepExempt } });
    const maskedText = style.format === 'html' ? extractHtml(masked.text) : masked.text;
    const mNum = normNum(maskedText);
    const mName = normName(maskedText);
    const exempt = new Set(keepExempt ? labels.exempt.map(normName) : []);
    for (const item of labels.redact) {
      if (item.type === 'name' && exempt.has(normName(item.value))) continue;
      const present =
        item.type === 'name'
          ? mName.includes(normName(item.value))
          : item.type === 'address'
            ? mNum.includes(normNum(housePart(item)))
            : mNum.includes(normNum(item.value));
      if (present) problems.push(`occurs unlabelled: ${item.type} ${JSON.stringify(item.value)}`);
    }
    // keep counts after masking by value must match masking by occurrence
    const byValue = normKeep(
      maskValues(
        text,
        labels.redact
          .filter((r) => !(r.type === 'name' && exempt.has(normName(r.value))))
          .map((r) => r.value),
      ),
    );
    const byOccurrence = normKeep(maskedText);
    for (const k of labels.keep) {
      const v = normKeep(k.value);
      if (byValue.split(v).length !== byOccurrence.split(v).length) {
        problems.push(`keep count differs when masking: ${k.type} ${JSON.stringify(k.value)}`);
      }
    }
  }
  return problems;
}

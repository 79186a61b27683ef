/**
 * De-identification of (already sanitized) HTML. Only text nodes change; every byte of markup and
 * of untouched text is copied through. Detection runs on the document's text with block
 * boundaries turned into line breaks (cells into tabs), so a value split over inline elements
 * (<b>张</b>三, an ID across <span>s) is still one value, while two paragraphs never merge.
 */
import { Parser } from 'htmlparser2';
import { escapeHtml } from '../http/html.js';
import { detect } from './detect.js';
import { buildReport, type Edit, planEdits } from './policy.js';
import type { RedactionPolicy, RedactionReport } from './types.js';

const BLOCK_TAGS = new Set([
  'p',
  'div',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'ul',
  'ol',
  'li',
  'table',
  'thead',
  'tbody',
  'tfoot',
  'tr',
  'caption',
  'blockquote',
  'section',
  'article',
  'header',
  'footer',
  'br',
  'hr',
  'dl',
  'dt',
  'dd',
  'pre',
  'figure',
  'figcaption',
  'nav',
  'aside',
  'main',
  'address',
  'body',
  'html',
  'title',
  'colgroup',
  'col',
]);
const CELL_TAGS = new Set(['td', 'th']);
const OPAQUE_TAGS = new Set(['script', 'style', 'textarea', 'template']);

interface Chunk {
  /** Raw range in the HTML. */
  rawStart: number;
  rawEnd: number;
  /** Decoded text. */
  text: string;
  /** The raw range is exactly `text` (no entity), so positions map one to one. */
  verbatim: boolean;
  /** Offset in the detection text (blocks as line breaks). */
  vStart: number;
  /** Offset in the plain text content (what removal ranges and the report refer to). */
  cStart: number;
}

function parseChunks(html: string): { chunks: Chunk[]; detectionText: string } {
  const chunks: Chunk[] = [];
  const pieces: string[] = [];
  let vLength = 0;
  let cLength = 0;
  let opaque = 0;
  const separator = (s: string): void => {
    pieces.push(s);
    vLength += s.length;
  };
  const parser = new Parser(
    {
      ontext(data) {
        if (opaque > 0) return;
        const rawStart = parser.startIndex;
        const rawEnd = parser.endIndex + 1;
        const verbatim = html.slice(rawStart, rawEnd) === data;
        chunks.push({ rawStart, rawEnd, text: data, verbatim, vStart: vLength, cStart: cLength });
        pieces.push(data);
        vLength += data.length;
        cLength += data.length;
      },
      onopentag(name) {
        if (OPAQUE_TAGS.has(name)) opaque++;
        if (BLOCK_TAGS.has(name)) separator('\n');
        else if (CELL_TAGS.has(name)) separator('\t');
      },
      onclosetag(name) {
        if (OPAQUE_TAGS.has(name)) opaque = Math.max(0, opaque - 1);
        if (BLOCK_TAGS.has(name)) separator('\n');
        else if (CELL_TAGS.has(name)) separator('\t');
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();
  return { chunks, detectionText: pieces.join('') };
}

/** Index of the last chunk whose `key` start is ≤ pos. */
function chunkAt(chunks: Chunk[], pos: number, key: 'vStart' | 'cStart'): number {
  let lo = 0;
  let hi = chunks.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((chunks[mid]?.[key] ?? 0) <= pos) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

function contentToDetection(chunks: Chunk[], pos: number, isEnd: boolean): number {
  const i = chunkAt(chunks, isEnd ? pos - 1 : pos, 'cStart');
  const c = chunks[i];
  if (c === undefined) return 0;
  return c.vStart + (pos - c.cStart);
}

function detectionToContent(chunks: Chunk[], pos: number, isEnd: boolean): number {
  const i = chunkAt(chunks, isEnd ? pos - 1 : pos, 'vStart');
  const c = chunks[i];
  if (c === undefined) return 0;
  return c.cStart + Math.min(c.text.length, Math.max(0, pos - c.vStart));
}

function decodeAttribute(value: string): string {
  const decoded = value
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');
  try {
    return decodeURIComponent(decoded);
  } catch {
    return decoded;
  }
}

/**
 * Link targets can carry what the text redaction removes (`mailto:` a private address, `tel:` a
 * mobile, an ID in a query string). Markup is otherwise left alone, so a target with any finding
 * is dropped whole; the link text stays and is redacted like any text.
 */
function scrubLinkTargets(html: string): string {
  return html.replace(/\s(?:href|src)\s*=\s*"([^"]*)"/gi, (whole, value: string) =>
    detect(decodeAttribute(value).replace(/^(?:mailto|tel):/i, ' ')).length > 0 ? '' : whole,
  );
}

/**
 * De-identify HTML text nodes. Removal ranges and report offsets count characters of the
 * document's text content (all text nodes, entities decoded, markup excluded). With
 * `highlight: true` each replacement is wrapped in
 * `<mark class="gk-redaction" data-pii="TYPE">…</mark>` for the approval page.
 */
export function deidentifyHtml(
  html: string,
  policy: RedactionPolicy & { highlight?: boolean } = {},
): { html: string; report: RedactionReport } {
  const scrubbed = scrubLinkTargets(html);
  if (scrubbed !== html) return deidentifyHtml(scrubbed, policy);
  const { chunks, detectionText } = parseChunks(html);
  const removals = (policy.removals ?? []).map((r) => ({
    start: contentToDetection(chunks, r.start, false),
    end: contentToDetection(chunks, r.end, true),
    reason: r.reason,
  }));
  const edits = planEdits(detectionText, detect(detectionText), { ...policy, removals });
  if (edits.length === 0) return { html, report: { total: 0, counts: {}, items: [] } };

  // Per chunk: the local [start, end) to cut and what to insert there.
  const ops = new Map<number, { start: number; end: number; insert: string }[]>();
  for (const e of edits) {
    let first = true;
    for (let i = Math.max(0, chunkAt(chunks, e.start, 'vStart')); i < chunks.length; i++) {
      const c = chunks[i];
      if (c === undefined || c.vStart >= e.end) break;
      const ls = Math.max(0, e.start - c.vStart);
      const le = Math.min(c.text.length, e.end - c.vStart);
      if (le < ls || (le === ls && !first)) continue;
      if (ls >= c.text.length && !first) continue;
      const insert = first ? wrap(e, policy.highlight === true) : '';
      first = false;
      const list = ops.get(i) ?? [];
      list.push({ start: ls, end: le, insert });
      ops.set(i, list);
    }
  }
  const out: string[] = [];
  let cursor = 0;
  chunks.forEach((c, i) => {
    const list = ops.get(i);
    if (list === undefined) return;
    out.push(html.slice(cursor, c.rawStart));
    if (c.verbatim) {
      let k = 0;
      for (const op of list) {
        out.push(html.slice(c.rawStart + k, c.rawStart + op.start), op.insert);
        k = op.end;
      }
      out.push(html.slice(c.rawStart + k, c.rawEnd));
    } else {
      // An entity: re-encode the whole (tiny) chunk.
      let k = 0;
      for (const op of list) {
        out.push(escapeHtml(c.text.slice(k, op.start)), op.insert);
        k = op.end;
      }
      out.push(escapeHtml(c.text.slice(k)));
    }
    cursor = c.rawEnd;
  });
  out.push(html.slice(cursor));

  const report = buildReport(edits);
  for (const item of report.items) {
    item.start = detectionToContent(chunks, item.start, false);
    item.end = detectionToContent(chunks, item.end, true);
  }
  return { html: out.join(''), report };
}

function wrap(e: Edit, highlight: boolean): string {
  const text = escapeHtml(e.replacement);
  return highlight ? `<mark class="gk-redaction" data-pii="${escapeHtml(e.item.type)}">${text}</mark>` : text;
}

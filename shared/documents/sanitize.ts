import { Parser } from 'htmlparser2';
import { CorruptDocumentError } from './errors.js';

/**
 * Deepest element nesting accepted. Real documents stay far below it; beyond it htmlparser2's
 * element stack (Array#unshift) makes parsing quadratic, so 50 000 nested tags would take minutes.
 */
export const MAX_NESTING_DEPTH = 256;

/** Elements kept as they are. Everything else is either dropped with its content or unwrapped. */
const ALLOWED = new Set([
  'p',
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
  'tr',
  'th',
  'td',
  'strong',
  'em',
  'b',
  'i',
  'u',
  'br',
  'blockquote',
  'pre',
  'code',
  'span',
  'a',
]);

/** Block-level elements of the allowlist: inline content is never left loose beside them. */
const BLOCK = new Set([
  'p',
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
  'tr',
  'th',
  'td',
  'blockquote',
  'pre',
]);

/** Dropped together with everything inside them: active content, external resources, metadata. */
const DROP_WITH_CONTENT = new Set([
  'script',
  'style',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'noscript',
  'noembed',
  'noframes',
  'template',
  'head',
  'title',
  'meta',
  'link',
  'base',
  'svg',
  'math',
  'canvas',
  'audio',
  'video',
  'picture',
  'source',
  'track',
  'select',
  'textarea',
  'button',
  'input',
  'option',
  'xmp',
  'plaintext',
  'param',
]);

/** Unknown containers that separate blocks; unwrapped, but they end the current paragraph. */
const BLOCK_CONTAINERS = new Set([
  'div',
  'section',
  'article',
  'header',
  'footer',
  'main',
  'nav',
  'aside',
  'figure',
  'figcaption',
  'address',
  'center',
  'dl',
  'dt',
  'dd',
  'hr',
  'form',
  'fieldset',
  'caption',
  'tfoot',
  'body',
  'html',
  'details',
  'summary',
]);

const VOID = new Set(['br']);

/** Elements whose direct inline children need no wrapping paragraph. */
const HOLDS_INLINE = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'li', 'th', 'td', 'pre']);

/**
 * Cleans HTML down to the publishing allowlist.
 *
 * Kept: p, h1–h6, ul, ol, li, table/thead/tbody/tr/th/td, strong, em, b, i, u, br, blockquote, pre,
 * code, span, and a (only `href`, only http(s)/mailto/# targets). Dropped with their content:
 * script, style, iframe, object, embed, img, forms' controls, svg and the like. No attribute other
 * than `a href` survives (so no `on*`, no `style`, no `src`): the result loads no external
 * resource and runs nothing. Other elements are unwrapped; loose inline text between blocks is
 * wrapped in `<p>`. All text and attribute values are re-escaped, and every element is closed.
 *
 * @throws CorruptDocumentError when elements nest deeper than {@link MAX_NESTING_DEPTH}
 */
export function sanitizeHtml(html: string): string {
  const out: string[] = [];
  // Mirrors the parser's open elements: the tag we emitted for each, or null if we emitted none.
  const stack: Array<{ emitted: string | null; dropped: boolean }> = [];
  let dropDepth = 0;
  let emittedOpen = 0;
  // How many emitted elements were open when we opened a wrapping <p> of our own (null: none open).
  let autoParagraphAt: number | null = null;

  const inlineContext = (): boolean => {
    if (autoParagraphAt !== null) return true;
    for (let index = stack.length - 1; index >= 0; index--) {
      const emitted = stack[index]?.emitted;
      if (emitted && HOLDS_INLINE.has(emitted)) return true;
      if (emitted && BLOCK.has(emitted)) return false;
    }
    return false;
  };
  const openAutoParagraph = (): void => {
    if (!inlineContext()) {
      out.push('<p>');
      autoParagraphAt = emittedOpen;
    }
  };
  // Closes our <p> only when nothing opened inside it is still open, so the output stays balanced.
  const closeAutoParagraph = (): void => {
    if (autoParagraphAt !== null && autoParagraphAt === emittedOpen) {
      out.push('</p>');
      autoParagraphAt = null;
    }
  };

  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (stack.length >= MAX_NESTING_DEPTH) {
          throw new CorruptDocumentError(
            `文档的嵌套层级过深（超过 ${MAX_NESTING_DEPTH} 层），可能是异常或恶意构造的文件`,
          );
        }
        const isVoid = VOID_HTML.has(name);
        if (dropDepth > 0 || DROP_WITH_CONTENT.has(name) || name === 'img') {
          if (!isVoid) dropDepth++;
          stack.push({ emitted: null, dropped: !isVoid });
          return;
        }
        if (!ALLOWED.has(name)) {
          if (BLOCK_CONTAINERS.has(name)) closeAutoParagraph();
          stack.push({ emitted: null, dropped: false });
          return;
        }
        if (BLOCK.has(name)) closeAutoParagraph();
        else openAutoParagraph();
        out.push(
          `<${name}${name === 'a' ? linkAttributes(attributes) : name === 'ol' ? listStart(attributes) : ''}>`,
        );
        if (VOID.has(name)) {
          stack.push({ emitted: null, dropped: false });
          return;
        }
        stack.push({ emitted: name, dropped: false });
        emittedOpen++;
      },
      onclosetag(name) {
        const frame = stack.pop();
        if (!frame) return;
        if (frame.dropped) {
          dropDepth--;
          return;
        }
        if (frame.emitted) {
          // A paragraph we opened directly inside this element closes before it does.
          closeAutoParagraph();
          out.push(`</${frame.emitted}>`);
          emittedOpen--;
        } else if (BLOCK_CONTAINERS.has(name)) {
          closeAutoParagraph();
        }
      },
      ontext(text) {
        if (dropDepth > 0) return;
        if (!inlineContext()) {
          if (text.trim() === '') return;
          openAutoParagraph();
        }
        // Control characters mean nothing on a page and can hide text from a reviewer.
        out.push(escapeText(text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '')));
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();
  // htmlparser2 closes every element still open at end(), so only our own paragraph may remain.
  closeAutoParagraph();
  return out.join('');
}

/** Void elements never receive a close tag event we could balance a drop counter with. */
const VOID_HTML = new Set([
  'img',
  'meta',
  'link',
  'base',
  'input',
  'source',
  'track',
  'param',
  'embed',
  'area',
  'col',
  'wbr',
  'keygen',
]);

/** An ordered list keeps its first number (a Markdown list may start at 3), as a plain integer only. */
function listStart(attributes: Record<string, string>): string {
  const start = attributes.start ?? '';
  return /^\d{1,6}$/.test(start) && start !== '1' ? ` start="${start}"` : '';
}

function linkAttributes(attributes: Record<string, string>): string {
  const href = safeHref(attributes.href);
  return href === null ? '' : ` href="${escapeAttribute(href)}"`;
}

/** Allows http(s), mailto and in-page anchors only; judged after removing what browsers ignore. */
function safeHref(raw: string | undefined): string | null {
  if (raw === undefined) return null;
  const href = raw.trim();
  const probe = href.replace(/[\u0000-\u0020\u007f-\u009f]/g, '').toLowerCase();
  if (probe.startsWith('#')) return href;
  if (/^(?:https?:\/\/|mailto:)/.test(probe) && /^(?:https?:\/\/|mailto:)/i.test(href)) return href;
  return null;
}

/** Escapes text for an HTML text node. */
export function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Escapes text for a double-quoted HTML attribute value. */
export function escapeAttribute(text: string): string {
  return escapeText(text).replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Elements after which plain text starts a new line. */
const LINE_BREAKING = new Set([
  'p',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'li',
  'tr',
  'blockquote',
  'pre',
  'table',
  'ul',
  'ol',
]);

/**
 * Plain text of (sanitized) HTML: one line per block, table cells separated by tabs, `br` as a
 * line break, whitespace collapsed outside `pre`.
 */
export function htmlToText(html: string): string {
  const lines: string[] = [];
  let line = '';
  let preDepth = 0;
  let cellsInRow = 0;
  // Numbers of the open ordered lists: a list item keeps its number (1. 2. …) as it reads on the page.
  const listNumbers: (number | null)[] = [];
  const breakLine = (): void => {
    // Table cells stay tab-separated, so that a row is still a row of cells for de-identification.
    const text =
      preDepth > 0
        ? line
        : line
            .replace(/ *\t[ \t]*/g, '\t')
            .replace(/ {2,}/g, ' ')
            .replace(/^ +| +$/g, '');
    if (text !== '' || preDepth > 0) lines.push(text);
    line = '';
  };
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (LINE_BREAKING.has(name)) breakLine();
        if (name === 'ol') listNumbers.push(Number.parseInt(attributes.start ?? '1', 10) || 1);
        if (name === 'ul') listNumbers.push(null);
        if (name === 'li') {
          const n = listNumbers[listNumbers.length - 1];
          if (n !== undefined && n !== null) {
            line += `${n}. `;
            listNumbers[listNumbers.length - 1] = n + 1;
          }
        }
        if (name === 'pre') preDepth++;
        if (name === 'tr') cellsInRow = 0;
        if (name === 'td' || name === 'th') {
          if (cellsInRow > 0) line += '\t';
          cellsInRow++;
        }
        if (name === 'br') {
          if (preDepth > 0) line += '\n';
          else breakLine();
        }
      },
      onclosetag(name) {
        if (LINE_BREAKING.has(name)) breakLine();
        if (name === 'ol' || name === 'ul') listNumbers.pop();
        if (name === 'pre') preDepth = Math.max(0, preDepth - 1);
      },
      ontext(text) {
        line += preDepth > 0 ? text : text.replace(/[\r\n\f]+/g, ' ');
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(html);
  parser.end();
  breakLine();
  return lines.join('\n');
}

/** Text of the first h1–h6 in the HTML, or null. */
export function firstHeading(html: string): string | null {
  let depth = 0;
  let text = '';
  let found: string | null = null;
  const parser = new Parser(
    {
      onopentag(name) {
        if (found === null && /^h[1-6]$/.test(name)) depth++;
      },
      onclosetag(name) {
        if (depth > 0 && /^h[1-6]$/.test(name)) {
          depth--;
          const trimmed = text.replace(/\s+/g, ' ').trim();
          if (depth === 0) {
            if (trimmed !== '') found = trimmed;
            text = '';
          }
        }
      },
      ontext(chunk) {
        if (depth > 0 && found === null) text += chunk;
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  return found;
}

import MarkdownIt from 'markdown-it';
import { docxToHtml } from './docx.js';
import {
  CorruptDocumentError,
  DocumentTooLargeError,
  EmptyDocumentError,
  UnsupportedFormatError,
} from './errors.js';
import { type DocumentFormat, formatFromFileName, sniffMagic } from './format.js';
import { type IntakeLimits, resolveLimits } from './limits.js';
import { normalizeText, pickTitle, textToHtml } from './normalize.js';
import { firstHeading, htmlToText, sanitizeHtml } from './sanitize.js';
import { decodeText } from './text-decode.js';

/** A document as intake hands it on: sanitized HTML, plain text, and what was detected. */
export interface NormalizedDocument {
  format: DocumentFormat;
  /** Encoding of a text upload (TXT, Markdown, HTML); null for DOCX and for UTF-16 with BOM. */
  encoding: 'utf-8' | 'gb18030' | null;
  /** Normalised plain text (LF line ends, one line per paragraph). */
  text: string;
  /** HTML restricted to the `sanitizeHtml` allowlist. */
  html: string;
  /** First heading, else first non-empty line, at most 200 characters; null if none. */
  title: string | null;
}

/**
 * Reads an uploaded policy or interpretation document into normalised text and safe HTML.
 *
 * Checks run cheapest first: format (by name), emptiness and size, content signature, then the
 * format's own guard (zip/XML inspection for DOCX, encoding detection for text). `fileName` only
 * picks the format; it is never used as a storage key.
 *
 * @throws DocumentRejectedError (one of its named subclasses) when the document is refused
 */
export async function readDocument(
  bytes: Uint8Array,
  fileName: string,
  limits?: Partial<IntakeLimits>,
): Promise<NormalizedDocument> {
  const resolved = resolveLimits(limits);
  const format = formatFromFileName(fileName);
  if (bytes.length === 0) throw new EmptyDocumentError();
  if (bytes.length > resolved.maxBytes) throw new DocumentTooLargeError(resolved.maxBytes);

  if (format === 'docx') {
    const magic = sniffMagic(bytes);
    if (magic === 'pdf') throw new UnsupportedFormatError('扩展名为 .docx 但内容是 PDF 的文件');
    if (magic === 'ole') {
      throw new UnsupportedFormatError('旧版 Word/WPS 格式或加密的文档（请取消密码保护）');
    }
    if (magic !== 'zip') throw new CorruptDocumentError('文件不是有效的 DOCX（内容不是 DOCX 压缩包）');
    const html = sanitizeHtml(await docxToHtml(bytes, resolved));
    return finish(format, null, html);
  }

  const { text: decoded, encoding } = decodeText(bytes);
  if (format === 'txt') {
    const text = normalizeText(decoded);
    if (text.trim() === '') throw new EmptyDocumentError();
    return { format, encoding, text, html: textToHtml(text), title: pickTitle(null, text) };
  }
  const rawHtml = format === 'markdown' ? markdown.render(decoded) : decoded;
  return finish(format, encoding, sanitizeHtml(rawHtml));
}

// html: false renders inline/block HTML in Markdown as text; linkify off keeps URLs as plain text.
// breaks: true keeps the author's line breaks, so that a line of a form (姓名：…) never runs into
// the next one.
const markdown = new MarkdownIt({ html: false, linkify: false, typographer: false, breaks: true });

function finish(
  format: DocumentFormat,
  encoding: NormalizedDocument['encoding'],
  html: string,
): NormalizedDocument {
  const text = normalizeText(htmlToText(html));
  if (text.trim() === '') throw new EmptyDocumentError();
  return { format, encoding, text, html, title: pickTitle(firstHeading(html), text) };
}

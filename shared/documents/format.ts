import { UnsupportedFormatError } from './errors.js';

/** The document formats intake accepts. */
export type DocumentFormat = 'docx' | 'txt' | 'markdown' | 'html';

const FORMAT_BY_EXTENSION: Readonly<Record<string, DocumentFormat>> = {
  docx: 'docx',
  txt: 'txt',
  text: 'txt',
  md: 'markdown',
  markdown: 'markdown',
  html: 'html',
  htm: 'html',
};

/** Formats drafters commonly try, so the rejection can name what it saw. */
const KNOWN_UNSUPPORTED: Readonly<Record<string, string>> = {
  pdf: 'PDF 文件',
  ofd: 'OFD 版式文件',
  wps: 'WPS 文字（.wps）文件',
  doc: '旧版 Word（.doc）文件',
  rtf: 'RTF 文件',
  odt: 'ODT 文件',
  xls: 'Excel 文件',
  xlsx: 'Excel 文件',
  et: 'WPS 表格文件',
  ppt: 'PowerPoint 文件',
  pptx: 'PowerPoint 文件',
  zip: '压缩包',
  rar: '压缩包',
  '7z': '压缩包',
  jpg: '图片文件',
  jpeg: '图片文件',
  png: '图片文件',
};

/**
 * Picks the document format from a file name's extension (case-insensitive).
 *
 * The name is used for nothing else: it is never a storage key, so path separators, `..` or
 * bidirectional-override characters in it are harmless — only the text after the last dot counts.
 *
 * @throws UnsupportedFormatError for PDF, OFD, WPS and every other extension.
 */
export function formatFromFileName(fileName: string): DocumentFormat {
  const extension = extensionOf(fileName);
  const format = FORMAT_BY_EXTENSION[extension];
  if (format) return format;
  throw new UnsupportedFormatError(KNOWN_UNSUPPORTED[extension] ?? '该文件格式');
}

function extensionOf(fileName: string): string {
  // Trailing whitespace and dots are dropped by some upload widgets and by Windows; strip them alike.
  const trimmed = fileName.replace(/[\s.]+$/u, '');
  const base = trimmed.slice(Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\')) + 1);
  const dot = base.lastIndexOf('.');
  return dot <= 0 ? '' : base.slice(dot + 1).toLowerCase();
}

/** What the first bytes say a file is, for the magic numbers that matter at intake. */
export type Magic = 'zip' | 'pdf' | 'ole' | 'other-binary' | null;

const BINARY_SIGNATURES: ReadonlyArray<readonly [Magic, readonly number[]]> = [
  ['zip', [0x50, 0x4b, 0x03, 0x04]],
  ['zip', [0x50, 0x4b, 0x05, 0x06]],
  ['zip', [0x50, 0x4b, 0x07, 0x08]],
  ['pdf', [0x25, 0x50, 0x44, 0x46, 0x2d]], // %PDF-
  ['ole', [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]], // .doc, .wps, encrypted .docx
  ['other-binary', [0x7f, 0x45, 0x4c, 0x46]], // ELF
  ['other-binary', [0x89, 0x50, 0x4e, 0x47]], // PNG
  ['other-binary', [0xff, 0xd8, 0xff]], // JPEG
  ['other-binary', [0x47, 0x49, 0x46, 0x38]], // GIF8
  ['other-binary', [0x1f, 0x8b]], // gzip
  ['other-binary', [0x52, 0x61, 0x72, 0x21]], // Rar!
  ['other-binary', [0x37, 0x7a, 0xbc, 0xaf]], // 7z
  ['other-binary', [0x7b, 0x5c, 0x72, 0x74, 0x66]], // {\rtf
];

/** Recognises a few binary file signatures from the leading bytes. */
export function sniffMagic(bytes: Uint8Array): Magic {
  for (const [magic, signature] of BINARY_SIGNATURES) {
    if (bytes.length >= signature.length && signature.every((byte, index) => bytes[index] === byte)) {
      return magic;
    }
  }
  return null;
}

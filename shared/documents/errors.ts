import { GongkaiError } from '../errors.js';

/** The formats the drafter may upload, as named in every rejection message. */
export const ACCEPTED_FORMATS_TEXT = 'DOCX（.docx）、纯文本（.txt）、Markdown（.md）、HTML（.html/.htm）';

/**
 * Base class of every reason an uploaded document is refused at intake.
 *
 * Subclasses have stable `name`s (matched by the state machine's Catch and the HTTP error table);
 * messages tell the drafter what was wrong and what to do, and never quote document content.
 */
export class DocumentRejectedError extends GongkaiError {}

/** The file's type (by extension or by content) is not one of DOCX, TXT, Markdown, HTML. */
export class UnsupportedFormatError extends DocumentRejectedError {
  override readonly httpStatus: number = 415;

  /** @param detail what was recognised, e.g. `PDF 文件`; shown before the list of accepted formats. */
  constructor(detail = '该文件格式', options?: { cause?: unknown }) {
    super(`${detail}不受支持。请另存为以下格式之一后重新上传：${ACCEPTED_FORMATS_TEXT}。`, options);
  }
}

/** The file has no bytes, or nothing but whitespace after decoding. */
export class EmptyDocumentError extends DocumentRejectedError {
  constructor(options?: { cause?: unknown }) {
    super('上传的文件是空的（没有任何正文内容）。请检查是否选错了文件后重新上传。', options);
  }
}

/** The file is larger than the intake limit. */
export class DocumentTooLargeError extends DocumentRejectedError {
  override readonly httpStatus: number = 413;

  constructor(maxBytes: number, options?: { cause?: unknown }) {
    super(
      `文件超过大小上限（${formatBytes(maxBytes)}）。请删除不必要的图片或附件、压缩后重新上传，或将附件单独上传。`,
      options,
    );
  }
}

/** A DOCX whose zip structure would expand far beyond its size (a "zip bomb"), or has too many parts. */
export class ZipBombError extends DocumentRejectedError {
  /** @param reason which limit was exceeded, in Chinese, without document content. */
  constructor(reason: string, options?: { cause?: unknown }) {
    super(
      `DOCX 文件的压缩结构异常（${reason}），疑似“压缩炸弹”，已拒绝处理。请用 Word 或 WPS 打开后重新另存为 DOCX 再上传。`,
      options,
    );
  }
}

/** A DOCX part declares a DOCTYPE or XML entities — never legitimate in Office files, a classic XXE vector. */
export class UnsafeXmlError extends DocumentRejectedError {
  constructor(options?: { cause?: unknown }) {
    super(
      'DOCX 文件内部含有 DOCTYPE 或实体声明，这在正常的 Word 文档中不会出现，可能存在安全风险，已拒绝处理。请用 Word 或 WPS 重新另存为 DOCX 后再上传。',
      options,
    );
  }
}

/** A file named as text (.txt/.md/.html) whose content is binary (e.g. a renamed PDF or executable). */
export class BinaryContentError extends DocumentRejectedError {
  constructor(options?: { cause?: unknown }) {
    super(
      '文件扩展名表明是文本文件，但内容是二进制数据（可能是改了扩展名的 PDF、Word 或其他文件）。请上传真正的文本文件，或将原文件另存为 DOCX 后上传。',
      options,
    );
  }
}

/** Text that is neither valid UTF-8 nor valid GB18030 (or UTF-16 with a byte-order mark). */
export class UndecodableTextError extends DocumentRejectedError {
  constructor(options?: { cause?: unknown }) {
    super(
      '无法识别文本文件的字符编码（既不是 UTF-8，也不是 GB18030/GBK）。请在编辑器中将文件另存为 UTF-8 编码后重新上传。',
      options,
    );
  }
}

/** The file claims a supported format but cannot be read as one (truncated zip, missing document part…). */
export class CorruptDocumentError extends DocumentRejectedError {
  constructor(detail = '文件已损坏或不完整', options?: { cause?: unknown }) {
    super(`${detail}，无法读取。请用 Word 或 WPS 打开确认无误后，重新另存为 DOCX 再上传。`, options);
  }
}

function formatBytes(bytes: number): string {
  const mebibytes = bytes / (1024 * 1024);
  if (mebibytes >= 1) return `${Number.isInteger(mebibytes) ? mebibytes : mebibytes.toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

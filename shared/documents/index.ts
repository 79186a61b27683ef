/**
 * Document intake (DOCX, TXT, Markdown, HTML → safe HTML + normalised text) and the
 * 原文⇄解读 consistency checker. The CLI and the Lambda handlers use exactly this surface.
 */
export { type ConsistencyFinding, checkConsistency } from './consistency.js';
export {
  BinaryContentError,
  CorruptDocumentError,
  DocumentRejectedError,
  DocumentTooLargeError,
  EmptyDocumentError,
  UndecodableTextError,
  UnsafeXmlError,
  UnsupportedFormatError,
  ZipBombError,
} from './errors.js';
export { type DocumentFormat, formatFromFileName } from './format.js';
export { DEFAULT_INTAKE_LIMITS, type IntakeLimits } from './limits.js';
export { type NormalizedDocument, readDocument } from './read-document.js';
export { sanitizeHtml } from './sanitize.js';

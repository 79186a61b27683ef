import { ACCEPTED_FORMATS_TEXT } from '../documents/errors.js';
import {
  DEFAULT_INTAKE_LIMITS,
  type DocumentFormat,
  DocumentTooLargeError,
  formatFromFileName,
  UnsupportedFormatError,
} from '../documents/index.js';
import { DOCUMENT_ROLE_LABELS, type DocumentRole, type SubmissionRuleViolation } from '../domain/index.js';

/** Content types a browser may declare for each format intake reads. */
const CONTENT_TYPES: Readonly<Record<DocumentFormat, readonly string[]>> = {
  docx: ['application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
  txt: ['text/plain'],
  markdown: ['text/markdown', 'text/x-markdown', 'text/plain'],
  html: ['text/html'],
};

/** Step ids travel through the state machine and into task inputs, whose contract allows only these. */
const STEP_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** The media type without parameters, lower-cased: what the presigned URL is signed for. */
export function baseContentType(contentType: string): string {
  return (contentType.split(';')[0] ?? '').trim().toLowerCase();
}

function position(index: number, role: unknown): string {
  const label =
    typeof role === 'string' && role in DOCUMENT_ROLE_LABELS
      ? DOCUMENT_ROLE_LABELS[role as DocumentRole]
      : undefined;
  return label === undefined ? `第 ${index + 1} 个文件` : `第 ${index + 1} 个文件（${label}）`;
}

/**
 * What intake will refuse, said before anything is uploaded: the format (by extension and by
 * declared content type — PDF, OFD, WPS and the rest are refused with the list of what is
 * accepted) and the size limit. Only fields of the right type are checked; the schema reports
 * the others.
 */
export function uploadViolations(
  documents: readonly { role?: unknown; fileName?: unknown; contentType?: unknown; size?: unknown }[],
  maxBytes: number = DEFAULT_INTAKE_LIMITS.maxBytes,
): SubmissionRuleViolation[] {
  const violations: SubmissionRuleViolation[] = [];
  documents.forEach((document, index) => {
    const where = position(index, document.role);
    let format: DocumentFormat | undefined;
    if (typeof document.fileName === 'string' && document.fileName.trim() !== '') {
      try {
        format = formatFromFileName(document.fileName);
      } catch (error) {
        if (!(error instanceof UnsupportedFormatError)) throw error;
        violations.push({
          field: `documents.${index}.fileName`,
          code: 'UNSUPPORTED_FORMAT',
          message: `${where}：${error.message}`,
        });
      }
    }
    if (format !== undefined && typeof document.contentType === 'string') {
      const declared = baseContentType(document.contentType);
      if (!CONTENT_TYPES[format].includes(declared)) {
        violations.push({
          field: `documents.${index}.contentType`,
          code: 'CONTENT_TYPE_MISMATCH',
          message: `${where}的文件类型「${declared || '（空）'}」与文件扩展名不符，或不是可接受的格式。可接受的格式：${ACCEPTED_FORMATS_TEXT}。`,
        });
      }
    }
    if (typeof document.size === 'number' && document.size > maxBytes) {
      violations.push({
        field: `documents.${index}.size`,
        code: 'DOCUMENT_TOO_LARGE',
        message: `${where}：${new DocumentTooLargeError(maxBytes).message}`,
      });
    }
  });
  return violations;
}

/** Review step ids the workflow contract cannot carry (`[A-Za-z0-9_-]{1,64}`). */
export function reviewStepIdViolations(reviewSteps: unknown): SubmissionRuleViolation[] {
  if (!Array.isArray(reviewSteps)) return [];
  return reviewSteps.flatMap((step: unknown, index): SubmissionRuleViolation[] => {
    const id = step !== null && typeof step === 'object' ? (step as { id?: unknown }).id : undefined;
    if (typeof id !== 'string' || id.trim() === '' || STEP_ID_PATTERN.test(id.trim())) return [];
    return [
      {
        field: `metadata.reviewSteps.${index}.id`,
        code: 'REVIEW_STEP_ID_INVALID',
        message: `第 ${index + 1} 个审查环节的「环节编号」只能由英文字母、数字、下划线和连字符组成（例如 sign-off），请修改。`,
      },
    ];
  });
}

import type { Submission } from '../domain/index.js';
import { DOCUMENT_ROLE_LABELS, isPublishedAttribute } from '../domain/index.js';
import { type SafeHtml, trustedHtml } from '../http/html.js';
import type { ObjectStore } from '../ports/object-store.js';
import { workKeys } from '../storage-keys.js';
import { redactionTypeLabel } from './format.js';
import { type ReviewLogger, SILENT_LOGGER } from './logger.js';

/** Largest document the page embeds; a Lambda answer is limited to 6 MB in all. */
const MAX_DOCUMENT_BYTES = 1_500_000;
const MAX_REPORT_BYTES = 2_000_000;
const MAX_FINDINGS = 200;

/** One document as the approver sees it. */
export interface ReviewDocument {
  role: 'policy' | 'interpretation';
  roleLabel: string;
  title: string;
  /** The sanitized (and, for published attributes, redaction-highlighted) HTML; undefined when unavailable. */
  content?: SafeHtml;
  /** Why the content is not shown, in Chinese. */
  notice?: string;
}

/** One row of the redaction legend. */
export interface RedactionCount {
  type: string;
  label: string;
  count: number;
}

/** One 原文⇄解读 consistency finding, reduced to what the page shows. */
export interface ReviewFinding {
  message: string;
  quoted?: string;
  interpretationExcerpt?: string;
  policyExcerpt?: string;
}

/** Everything the page shows besides the metadata. `undefined` parts were not available. */
export interface ReviewMaterial {
  documents: ReviewDocument[];
  /** De-identification runs only for published attributes; the others show the safe HTML. */
  deidentified: boolean;
  redactions?: { total: number; counts: RedactionCount[] };
  findings?: ReviewFinding[];
}

/**
 * Reads what Validate and De-identify left in `work` for the revision. Each part is optional and read
 * defensively: a missing or malformed object becomes a notice on the page, never a failure, because
 * the approver can still decide (and may reject because something is missing).
 */
export async function loadReviewMaterial(
  submission: Submission,
  work: Pick<ObjectStore, 'get'>,
  logger: ReviewLogger = SILENT_LOGGER,
): Promise<ReviewMaterial> {
  const deidentified = isPublishedAttribute(submission.metadata.disclosure.attribute);
  const read = async (key: string, limit: number, part: string): Promise<string | undefined> => {
    try {
      const bytes = await work.get(key);
      if (bytes === undefined) return undefined;
      if (bytes.byteLength > limit) {
        logger.warn('review material too large to show', { part, bytes: bytes.byteLength });
        return undefined;
      }
      return new TextDecoder('utf-8', { fatal: false }).decode(bytes);
    } catch (error) {
      logger.warn('review material unreadable', { part, errorName: errorName(error) });
      return undefined;
    }
  };

  const reviewed = submission.documents.filter(
    (document): document is typeof document & { role: 'policy' | 'interpretation' } =>
      document.role === 'policy' || document.role === 'interpretation',
  );
  // 原文 first, then each 解读 in the order the drafter gave them.
  reviewed.sort((a, b) => (a.role === b.role ? 0 : a.role === 'policy' ? -1 : 1));
  const documents = await Promise.all(
    reviewed.map(async (document): Promise<ReviewDocument> => {
      const key = deidentified
        ? workKeys.highlightedHtml(submission.id, submission.revision, document.id)
        : workKeys.html(submission.id, submission.revision, document.id);
      const content = await read(key, MAX_DOCUMENT_BYTES, `document:${document.role}`);
      const base = {
        role: document.role,
        roleLabel: DOCUMENT_ROLE_LABELS[document.role],
        title: document.title ?? document.fileName,
      };
      return content === undefined
        ? {
            ...base,
            notice:
              '该文件的内容暂时无法显示（处理结果缺失或过大）。如需核对，请联系起草人；您也可以退回并说明原因。',
          }
        : { ...base, content: trustedHtml(content) };
    }),
  );

  const material: ReviewMaterial = { documents, deidentified };
  if (deidentified) {
    const report = await read(
      workKeys.redactionReport(submission.id, submission.revision),
      MAX_REPORT_BYTES,
      'redaction-report',
    );
    const redactions = report === undefined ? undefined : parseRedactionCounts(report);
    if (redactions !== undefined) material.redactions = redactions;
  }
  const consistency = await read(
    workKeys.consistency(submission.id, submission.revision),
    MAX_REPORT_BYTES,
    'consistency',
  );
  const findings = consistency === undefined ? undefined : parseFindings(consistency);
  if (findings !== undefined) material.findings = findings;
  return material;
}

function errorName(error: unknown): string {
  return error instanceof Error && /^[A-Za-z][A-Za-z0-9_.]{0,80}$/.test(error.name) ? error.name : 'Error';
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Counts by type from the redaction report. Accepts one report (`{ counts }`), or several — an
 * array, or `{ documents: [...] }` — whose counts are summed; without `counts`, items are counted.
 */
export function parseRedactionCounts(text: string): { total: number; counts: RedactionCount[] } | undefined {
  const root = parseJson(text);
  const reports: unknown[] = Array.isArray(root)
    ? root
    : isRecord(root) && Array.isArray(root.documents)
      ? root.documents
      : [root];
  const sums = new Map<string, number>();
  let understood = false;
  for (const entry of reports) {
    const report = isRecord(entry) && isRecord(entry.report) ? entry.report : entry;
    if (!isRecord(report)) continue;
    if (isRecord(report.counts)) {
      understood = true;
      for (const [type, value] of Object.entries(report.counts)) {
        if (typeof value === 'number' && Number.isInteger(value) && value > 0)
          sums.set(type, (sums.get(type) ?? 0) + value);
      }
    } else if (Array.isArray(report.items)) {
      understood = true;
      for (const item of report.items) {
        if (isRecord(item) && typeof item.type === 'string')
          sums.set(item.type, (sums.get(item.type) ?? 0) + 1);
      }
    }
  }
  if (!understood) return undefined;
  const counts = [...sums.entries()]
    .filter(([type]) => /^[A-Za-z][A-Za-z0-9-]{0,40}$/.test(type))
    .map(([type, count]) => ({ type, label: redactionTypeLabel(type), count }))
    .sort((a, b) => b.count - a.count || a.type.localeCompare(b.type));
  return { total: counts.reduce((sum, row) => sum + row.count, 0), counts };
}

/**
 * The consistency findings: an array of findings, `{ findings: [...] }`, or per-interpretation
 * entries each with `findings`. A finding needs a `message`; other fields are shown when present.
 */
export function parseFindings(text: string): ReviewFinding[] | undefined {
  const root = parseJson(text);
  const groups: unknown[] = [];
  const collect = (value: unknown): boolean => {
    if (Array.isArray(value)) {
      groups.push(...value);
      return true;
    }
    if (!isRecord(value)) return false;
    if (Array.isArray(value.findings)) return collect(value.findings);
    for (const key of ['interpretations', 'documents', 'results']) {
      const nested = value[key];
      if (Array.isArray(nested)) {
        for (const entry of nested)
          if (isRecord(entry) && Array.isArray(entry.findings)) groups.push(...entry.findings);
        return true;
      }
    }
    return false;
  };
  if (!collect(root)) return undefined;
  const text200 = (value: unknown): string | undefined =>
    typeof value === 'string' && value.trim() !== '' ? Array.from(value).slice(0, 400).join('') : undefined;
  const findings: ReviewFinding[] = [];
  for (const entry of groups) {
    if (!isRecord(entry)) continue;
    const message = text200(entry.message);
    if (message === undefined) continue;
    const finding: ReviewFinding = { message };
    const quoted = text200(entry.quoted);
    const interpretationExcerpt = text200(entry.interpretationExcerpt);
    const policyExcerpt = text200(entry.policyExcerpt);
    if (quoted !== undefined) finding.quoted = quoted;
    if (interpretationExcerpt !== undefined) finding.interpretationExcerpt = interpretationExcerpt;
    if (policyExcerpt !== undefined) finding.policyExcerpt = policyExcerpt;
    findings.push(finding);
    if (findings.length >= MAX_FINDINGS) break;
  }
  return findings;
}

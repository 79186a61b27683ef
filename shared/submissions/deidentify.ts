import { StaleRevisionError } from '../adapters/dynamo-submission-store.js';
import type { RedactionPolicy, RedactionReport } from '../deid/types.js';
import { assertTransition, type DocumentRef, type Submission } from '../domain/index.js';
import type { AuditLog } from '../ports/audit-log.js';
import type { ObjectStore } from '../ports/object-store.js';
import type { SubmissionStore } from '../ports/submission-store.js';
import { workKeys } from '../storage-keys.js';
import { WorkProductMissingError } from './errors.js';
import { auditOnce, type Clock, loadSubmission, SYSTEM_ACTOR } from './support.js';

/** The de-identification engine (`shared/deid`), injected so the operation can be tested on its own. */
export interface DeidentificationEngine {
  deidentifyText(
    text: string,
    policy?: RedactionPolicy,
  ): { text: string; report: RedactionReport } | Promise<{ text: string; report: RedactionReport }>;
  deidentifyHtml(
    html: string,
    policy: RedactionPolicy & { highlight?: boolean },
  ): { html: string; report: RedactionReport } | Promise<{ html: string; report: RedactionReport }>;
}

/** What deidentify needs. */
export interface DeidentifyDependencies {
  submissions: SubmissionStore;
  audit: AuditLog;
  work: ObjectStore;
  engine: DeidentificationEngine;
  now: Clock;
}

/** The revision's redaction report in `work`: types, positions and masked previews, never raw values. */
export interface RevisionRedactionReport {
  total: number;
  counts: Record<string, number>;
  exemption: RedactionPolicy['exemption'] | null;
  documents: { documentId: string; role: DocumentRef['role']; report: RedactionReport }[];
}

function policyOf(submission: Submission): RedactionPolicy {
  const exemption = submission.metadata.privacyExemption?.kind;
  return exemption === undefined ? {} : { exemption };
}

async function readText(work: ObjectStore, key: string, documentId: string): Promise<string> {
  const bytes = await work.get(key);
  if (bytes === undefined) throw new WorkProductMissingError(documentId);
  return new TextDecoder().decode(bytes);
}

/**
 * Task De-identify: for every document, the engine over Validate's normalized text and safe HTML
 * (with the exemption the metadata declares), writing the redacted text, the redacted HTML (what
 * is published), the highlighted HTML (what approvers see) and one report for the revision to
 * `work`; then DEIDENTIFYING → IN_REVIEW and an audit event with the count. Returns only the
 * count: no text travels through the execution. Rewriting the same outputs makes a retry harmless.
 */
export async function deidentifySubmission(
  deps: DeidentifyDependencies,
  input: { submissionId: string; revision: number },
): Promise<{ redactionCount: number }> {
  const now = deps.now();
  const submission = await loadSubmission(deps.submissions, input.submissionId);
  if (submission.revision !== input.revision)
    throw new StaleRevisionError(input.revision, submission.revision);
  // Refuse before the heavy work when the revision is not (or no longer) being de-identified.
  if (submission.status !== 'IN_REVIEW') {
    assertTransition(submission.status, 'IN_REVIEW', submission.metadata.disclosure.attribute);
  }
  const { id, revision } = submission;
  const policy = policyOf(submission);
  const report: RevisionRedactionReport = {
    total: 0,
    counts: {},
    exemption: policy.exemption ?? null,
    documents: [],
  };

  for (const document of submission.documents) {
    const text = await readText(deps.work, workKeys.text(id, revision, document.id), document.id);
    const html = await readText(deps.work, workKeys.html(id, revision, document.id), document.id);
    const redactedText = await deps.engine.deidentifyText(text, policy);
    const redactedHtml = await deps.engine.deidentifyHtml(html, policy);
    const highlighted = await deps.engine.deidentifyHtml(html, { ...policy, highlight: true });
    await deps.work.put(workKeys.redactedText(id, revision, document.id), redactedText.text, {
      contentType: 'text/plain; charset=utf-8',
    });
    await deps.work.put(workKeys.redactedHtml(id, revision, document.id), redactedHtml.html, {
      contentType: 'text/html; charset=utf-8',
    });
    await deps.work.put(workKeys.highlightedHtml(id, revision, document.id), highlighted.html, {
      contentType: 'text/html; charset=utf-8',
    });
    report.documents.push({ documentId: document.id, role: document.role, report: redactedText.report });
    report.total += redactedText.report.total;
    for (const [type, count] of Object.entries(redactedText.report.counts)) {
      report.counts[type] = (report.counts[type] ?? 0) + (count ?? 0);
    }
  }
  await deps.work.put(workKeys.redactionReport(id, revision), JSON.stringify(report), {
    contentType: 'application/json',
  });

  const { from } = await deps.submissions.transition(id, revision, 'IN_REVIEW', { now });
  await auditOnce(deps.audit, {
    submissionId: id,
    revision,
    at: now,
    actor: SYSTEM_ACTOR,
    action: 'DEIDENTIFIED',
    fromStatus: from,
    toStatus: 'IN_REVIEW',
    detail: { redactionCount: report.total },
  });
  return { redactionCount: report.total };
}

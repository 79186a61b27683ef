/**
 * Every S3 key gongkai writes, in one place. Keys are built from system ids only — never from a
 * file name or any other user input — so no upload can steer where an object lands.
 */
function revisionPrefix(submissionId: string, revision: number): string {
  return `submissions/${submissionId}/r${revision}`;
}

/** `uploads` bucket: the drafter's original file, PUT through a presigned URL. */
export function uploadKey(submissionId: string, revision: number, documentId: string): string {
  return `${revisionPrefix(submissionId, revision)}/${documentId}`;
}

/** `work` bucket: what Validate and De-identify produce for one document. */
export const workKeys = {
  /** Normalized plain text of a document (Validate). */
  text: (submissionId: string, revision: number, documentId: string) =>
    `${revisionPrefix(submissionId, revision)}/documents/${documentId}/text.txt`,
  /** Sanitized HTML of a document (Validate). */
  html: (submissionId: string, revision: number, documentId: string) =>
    `${revisionPrefix(submissionId, revision)}/documents/${documentId}/safe.html`,
  /** De-identified plain text (De-identify). */
  redactedText: (submissionId: string, revision: number, documentId: string) =>
    `${revisionPrefix(submissionId, revision)}/documents/${documentId}/redacted.txt`,
  /** De-identified HTML (De-identify): what gets published. */
  redactedHtml: (submissionId: string, revision: number, documentId: string) =>
    `${revisionPrefix(submissionId, revision)}/documents/${documentId}/redacted.html`,
  /** De-identified HTML with every redaction marked: what approvers see. */
  highlightedHtml: (submissionId: string, revision: number, documentId: string) =>
    `${revisionPrefix(submissionId, revision)}/documents/${documentId}/highlighted.html`,
  /** The redaction report of the revision (types, positions, masked previews; never raw values). */
  redactionReport: (submissionId: string, revision: number) =>
    `${revisionPrefix(submissionId, revision)}/redaction-report.json`,
  /** The 原文⇄解读 consistency findings of the revision (Validate). */
  consistency: (submissionId: string, revision: number) =>
    `${revisionPrefix(submissionId, revision)}/consistency.json`,
};

/** `published` bucket: immutable bundles and the static feeds. */
export const publishedKeys = {
  bundlePrefix: (bundleId: string) => `bundles/${bundleId}/`,
  manifest: (bundleId: string) => `bundles/${bundleId}/manifest.json`,
  file: (bundleId: string, name: string) => `bundles/${bundleId}/${name}`,
  /** Where Verify moves a bundle that failed its checks; the portal never reads here. */
  quarantine: (bundleId: string, name: string) => `quarantine/${bundleId}/${name}`,
};

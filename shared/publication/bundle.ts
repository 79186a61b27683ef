import { sanitizeHtml } from '../documents/index.js';
import {
  DISCLOSURE_ATTRIBUTE_LABELS,
  type DocumentRef,
  PRIVACY_EXEMPTION_LABELS,
  type Submission,
  VALIDITY_STATUS_LABELS,
} from '../domain/index.js';
import { chinaDate, FORMAT_VERSION, MEDIA_TYPES, sha256Hex, utf8 } from './format.js';
import type { BundleManifest, ManifestFile } from './manifest.js';
import { type PageLink, type PageMetadata, renderDocumentPage } from './render-page.js';

/** The de-identified content of one document, as De-identify left it in `work`. */
export interface DocumentContent {
  /** De-identified HTML (a fragment or a page: it is sanitized again here). */
  html: string;
  /** De-identified plain text. */
  text: string;
}

/** A file of the bundle with its bytes, ready to write. */
export interface BundleFile extends ManifestFile {
  body: Uint8Array;
}

/** Everything Publish writes: the files in order, then the manifest. */
export interface AssembledBundle {
  files: BundleFile[];
  manifest: BundleManifest;
  /** The manifest's bytes (pretty-printed JSON with a final newline). */
  manifestBody: Uint8Array;
}

/** A submission that Publish has given its bundle id, 索引号 and 发布日期. */
export type PublishableSubmission = Submission & {
  bundleId: string;
  indexNumber: string;
  publishedAt: string;
};

interface PlannedDocument {
  id: string;
  ref: DocumentRef;
  role: ManifestFile['role'];
  kind: string;
  title: string;
}

/** The documents of the bundle in publication order: 原文, 解读 1…n, 附件 1…n. */
export function planDocuments(submission: Submission): PlannedDocument[] {
  const policy = submission.documents.find((document) => document.role === 'policy');
  if (policy === undefined) throw new Error('a submission without a policy document cannot be published');
  const interpretations = submission.documents.filter((document) => document.role === 'interpretation');
  const attachments = submission.documents.filter((document) => document.role === 'attachment');
  const title = submission.metadata.title;
  return [
    { id: 'policy', ref: policy, role: 'policy', kind: '原文', title },
    ...interpretations.map(
      (ref, index): PlannedDocument => ({
        id: `interpretation-${index + 1}`,
        ref,
        role: 'interpretation',
        kind: '解读',
        title:
          ref.title ??
          (interpretations.length === 1 ? `《${title}》解读` : `《${title}》解读（${index + 1}）`),
      }),
    ),
    // File names are shown to people only and may name persons: never used as titles here.
    ...attachments.map(
      (ref, index): PlannedDocument => ({
        id: `attachment-${index + 1}`,
        ref,
        role: 'attachment',
        kind: '附件',
        title: ref.title ?? `附件${index + 1}`,
      }),
    ),
  ];
}

function linksFor(document: PlannedDocument, all: readonly PlannedDocument[]): PageLink[] {
  const link = (target: PlannedDocument): PageLink => ({
    href: `${target.id}.html`,
    title: target.title,
    kind: target.kind,
  });
  if (document.role === 'policy') return all.filter((other) => other.role !== 'policy').map(link);
  const policy = all.filter((other) => other.role === 'policy').map(link);
  const siblings = all
    .filter((other) => other.role === 'interpretation' && other.id !== document.id)
    .map(link);
  return document.role === 'interpretation' ? [...policy, ...siblings] : policy;
}

/**
 * Builds every file of a bundle and its manifest from the submission and the de-identified content
 * of its documents. Pure and deterministic: the same input gives byte-identical output, so a retried
 * Publish rewrites exactly what the first attempt wrote.
 *
 * @param contents de-identified content by document id (`DocumentRef.id`).
 */
export function assembleBundle(
  submission: PublishableSubmission,
  contents: ReadonlyMap<string, DocumentContent>,
  options: { supersedes?: readonly string[] } = {},
): AssembledBundle {
  const { metadata } = submission;
  const publishedDate = chinaDate(submission.publishedAt);
  const pageMetadata: PageMetadata = {
    indexNumber: submission.indexNumber,
    issuingBody: metadata.issuingBody,
    ...(metadata.documentNumber === undefined ? {} : { documentNumber: metadata.documentNumber }),
    writtenDate: metadata.writtenDate,
    publishedDate,
    disclosureLabel: DISCLOSURE_ATTRIBUTE_LABELS[metadata.disclosure.attribute],
    validityLabel: VALIDITY_STATUS_LABELS.VALID,
    subjectCategory: metadata.subjectCategory,
    firstInterpreter: { name: metadata.firstInterpreter.name, position: metadata.firstInterpreter.position },
  };
  const documents = planDocuments(submission);
  const files: BundleFile[] = [];
  for (const document of documents) {
    const content = contents.get(document.ref.id);
    if (content === undefined) throw new Error(`no content for document ${document.ref.id}`);
    const page = renderDocumentPage({
      title: document.title,
      kind: document.kind,
      metadata: pageMetadata,
      bodyHtml: sanitizeHtml(content.html),
      links: linksFor(document, documents),
    });
    for (const [name, mediaType, text] of [
      [`${document.id}.html`, MEDIA_TYPES.html, page],
      [`${document.id}.txt`, MEDIA_TYPES.text, content.text],
    ] as const) {
      const body = utf8(text);
      files.push({
        name,
        role: document.role,
        document: document.id,
        mediaType,
        sha256: sha256Hex(body),
        size: body.byteLength,
        body,
      });
    }
  }
  const entryOf = (document: PlannedDocument) => ({
    id: document.id,
    title: document.title,
    files: { html: `${document.id}.html`, text: `${document.id}.txt` },
  });
  const interpretations = documents.filter((document) => document.role === 'interpretation');
  const exemption = metadata.privacyExemption;
  const manifest: BundleManifest = {
    formatVersion: FORMAT_VERSION,
    bundleId: submission.bundleId,
    submissionId: submission.id,
    revision: submission.revision,
    indexNumber: submission.indexNumber,
    title: metadata.title,
    issuingBody: metadata.issuingBody,
    responsibleDepartment: metadata.responsibleDepartment,
    ...(metadata.documentNumber === undefined ? {} : { documentNumber: metadata.documentNumber }),
    writtenDate: metadata.writtenDate,
    publishedAt: submission.publishedAt,
    publishedDate,
    disclosure: {
      attribute: metadata.disclosure.attribute,
      label: DISCLOSURE_ATTRIBUTE_LABELS[metadata.disclosure.attribute],
    },
    validity: { status: 'VALID', label: '有效' },
    subjectCategory: metadata.subjectCategory,
    firstInterpreter: { name: metadata.firstInterpreter.name, position: metadata.firstInterpreter.position },
    ...(exemption === undefined
      ? {}
      : {
          privacyExemption: {
            kind: exemption.kind,
            label: PRIVACY_EXEMPTION_LABELS[exemption.kind],
            basis: exemption.basis,
          },
        }),
    policy: {
      ...entryOf(documents[0] as PlannedDocument),
      id: 'policy',
      interpretations: interpretations.map((document) => document.id),
    },
    interpretations: interpretations.map((document) => ({
      ...entryOf(document),
      interprets: 'policy' as const,
    })),
    attachments: documents
      .filter((document) => document.role === 'attachment')
      .map((document) => ({ ...entryOf(document), attachedTo: 'policy' as const })),
    supersedes: [...(options.supersedes ?? [])],
    files: files.map(({ body: _body, ...file }) => file),
  };
  return { files, manifest, manifestBody: utf8(`${JSON.stringify(manifest, null, 2)}\n`) };
}

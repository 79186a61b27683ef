import { Parser } from 'htmlparser2';
import { htmlToText } from '../documents/sanitize.js';
import type { Submission } from '../domain/index.js';
import type { CatalogStore } from '../ports/catalog-store.js';
import type { ObjectStore } from '../ports/object-store.js';
import type { SubmissionStore } from '../ports/submission-store.js';
import { publishedKeys } from '../storage-keys.js';
import {
  BundleMismatchError,
  BundleNotFoundError,
  BundleQuarantinedError,
  PublicationNotAllowedError,
  PublicationRevisionMismatchError,
  PublicationSubjectNotFoundError,
  type QuarantineProblem,
} from './errors.js';
import { type StaticFeedOptions, writeStaticFeeds } from './feeds.js';
import { fromUtf8, MANIFEST_NAME, sha256Hex } from './format.js';
import { type BundleManifest, parseManifest } from './manifest.js';
import { DOCUMENT_BODY_ID } from './render-page.js';
import { personalDataLeft } from './scan.js';

/** What Verify needs. */
export interface VerifyDependencies {
  submissions: SubmissionStore;
  published: ObjectStore;
  catalog: CatalogStore;
  now: () => Date;
  feeds?: StaticFeedOptions;
}

/** What Verify did with a bundle that passed. */
export interface VerifyResult {
  bundleId: string;
  /** The catalog sequence of its PUBLISHED event. */
  sequence: number;
}

/** Catalog event id of a bundle's publication: a retried Verify appends the same event. */
export function publishedEventId(bundleId: string): string {
  return `PUBLISHED#${bundleId}`;
}

/** Text inside the page's document body (`<article id="document-body">`): the part that came from the drafter. */
export function documentBodyText(page: string): string {
  const parts: string[] = [];
  let depth = 0;
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (depth > 0) {
          depth += 1;
          parts.push(`<${name}>`);
        } else if (attributes.id === DOCUMENT_BODY_ID) depth = 1;
      },
      onclosetag(name) {
        if (depth === 0) return;
        depth -= 1;
        if (depth > 0) parts.push(`</${name}>`);
      },
      ontext(text) {
        // Re-escape: htmlToText decodes entities again.
        if (depth > 0) parts.push(text.replaceAll('&', '&amp;').replaceAll('<', '&lt;'));
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(page);
  parser.end();
  return htmlToText(parts.join(''));
}

function checkIdentity(manifest: BundleManifest, submission: Submission): boolean {
  return (
    manifest.bundleId === submission.bundleId &&
    manifest.submissionId === submission.id &&
    manifest.revision === submission.revision &&
    manifest.indexNumber === submission.indexNumber &&
    manifest.publishedAt === submission.publishedAt
  );
}

/** Checks every file of the manifest: present, size, SHA-256, and no personal data left in any text. */
async function inspect(
  manifest: BundleManifest,
  submission: Submission,
  published: ObjectStore,
): Promise<QuarantineProblem[]> {
  const problems: QuarantineProblem[] = [];
  const exemption = submission.metadata.privacyExemption?.kind;
  for (const file of manifest.files) {
    const body = await published.get(publishedKeys.file(manifest.bundleId, file.name));
    if (body === undefined) {
      problems.push({ file: file.name, problem: 'missing' });
      continue;
    }
    if (body.byteLength !== file.size) problems.push({ file: file.name, problem: 'size-mismatch' });
    else if (sha256Hex(body) !== file.sha256) problems.push({ file: file.name, problem: 'hash-mismatch' });
    const text = fromUtf8(body);
    const scanned = file.name.endsWith('.html') ? documentBodyText(text) : text;
    const counts = personalDataLeft(scanned, exemption);
    if (Object.keys(counts).length > 0) {
      problems.push({ file: file.name, problem: 'personal-data', counts: counts as Record<string, number> });
    }
  }
  return problems;
}

/**
 * Moves a bundle out of `bundles/` into `quarantine/` (copy, then delete; the manifest is deleted
 * first so the bundle stops being complete at once). The portal never reads `quarantine/`.
 */
export async function quarantineBundle(
  bundleId: string,
  names: readonly string[],
  published: ObjectStore,
): Promise<void> {
  // Whatever else lies under the bundle's prefix goes too: a CDN reading the bucket must not serve it.
  const prefix = publishedKeys.bundlePrefix(bundleId);
  const stored = (await published.list(prefix)).map((key) => key.slice(prefix.length));
  const all = [...new Set([MANIFEST_NAME, ...names, ...stored])];
  for (const name of all) {
    const body = await published.get(publishedKeys.file(bundleId, name));
    if (body !== undefined) await published.put(publishedKeys.quarantine(bundleId, name), body);
  }
  for (const name of all) await published.delete(publishedKeys.file(bundleId, name));
}

/**
 * Verify: re-reads the bundle Publish wrote — the manifest, then every file, checking size and
 * SHA-256 — and re-scans every text with the de-identification detector under the publish policy.
 *
 * - Any problem: the bundle goes to `quarantine/`, nothing is listed, `BundleQuarantinedError` fails
 *   the execution (the FAILED path records it).
 * - All good: the PUBLISHED catalog event and entry are appended (idempotent by event id), then the
 *   static feeds are regenerated. The revision's status becomes PUBLISHED in the next state
 *   (RecordPublished), so the catalog lists only verified bundles.
 */
export async function verifyBundle(
  input: { submissionId: string; revision: number; bundleId: string },
  deps: VerifyDependencies,
): Promise<VerifyResult> {
  const submission = await deps.submissions.get(input.submissionId);
  if (submission === undefined) throw new PublicationSubjectNotFoundError();
  if (submission.revision !== input.revision)
    throw new PublicationRevisionMismatchError(input.revision, submission.revision);
  if (submission.bundleId !== input.bundleId) throw new BundleMismatchError(input.bundleId);
  if (submission.status !== 'SCHEDULED' && submission.status !== 'PUBLISHED') {
    throw new PublicationNotAllowedError(submission.status);
  }

  const manifestBody = await deps.published.get(publishedKeys.manifest(input.bundleId));
  if (manifestBody === undefined) {
    // A retry after this bundle was quarantined must fail the same way, not pass.
    if ((await deps.published.get(publishedKeys.quarantine(input.bundleId, MANIFEST_NAME))) !== undefined) {
      throw new BundleQuarantinedError(input.bundleId, [{ file: MANIFEST_NAME, problem: 'missing' }]);
    }
    throw new BundleNotFoundError(input.bundleId);
  }
  const manifest = parseManifest(manifestBody);
  let problems: QuarantineProblem[];
  if (manifest === undefined) problems = [{ file: MANIFEST_NAME, problem: 'manifest-invalid' }];
  else if (!checkIdentity(manifest, submission))
    problems = [{ file: MANIFEST_NAME, problem: 'manifest-mismatch' }];
  else problems = await inspect(manifest, submission, deps.published);

  if (problems.length > 0 || manifest === undefined) {
    await quarantineBundle(input.bundleId, manifest?.files.map((file) => file.name) ?? [], deps.published);
    throw new BundleQuarantinedError(input.bundleId, problems);
  }

  const manifestKey = publishedKeys.manifest(manifest.bundleId);
  const event = await deps.catalog.append(
    {
      eventId: publishedEventId(manifest.bundleId),
      type: 'PUBLISHED',
      bundleId: manifest.bundleId,
      at: deps.now().toISOString(),
      validity: 'VALID',
      manifestKey,
    },
    {
      bundleId: manifest.bundleId,
      submissionId: manifest.submissionId,
      revision: manifest.revision,
      indexNumber: manifest.indexNumber,
      title: manifest.title,
      issuingBody: manifest.issuingBody,
      ...(manifest.documentNumber === undefined ? {} : { documentNumber: manifest.documentNumber }),
      writtenDate: manifest.writtenDate,
      publishedAt: manifest.publishedAt,
      subjectCategory: manifest.subjectCategory,
      validity: 'VALID',
      manifestKey,
      manifestSha256: sha256Hex(manifestBody),
    },
  );
  await writeStaticFeeds(deps.catalog, deps.published, deps.feeds);
  return { bundleId: manifest.bundleId, sequence: event.sequence };
}

import { formatIndexNumber, isPublishedAttribute, type Submission } from '../domain/index.js';
import type { ObjectStore } from '../ports/object-store.js';
import type { SubmissionStore } from '../ports/submission-store.js';
import { publishedKeys, workKeys } from '../storage-keys.js';
import { assembleBundle, type DocumentContent, type PublishableSubmission, planDocuments } from './bundle.js';
import {
  MissingWorkProductError,
  PublicationNotAllowedError,
  PublicationRevisionMismatchError,
  PublicationSubjectNotFoundError,
} from './errors.js';
import { bundleIdFor, chinaDate, fromUtf8, IMMUTABLE_CACHE_CONTROL, MEDIA_TYPES } from './format.js';

/**
 * Numbers from a named counter, the same number for the same holder until it is released
 * (`DynamoSequenceAllocator` implements it).
 */
export interface SequenceAllocator {
  allocate(counter: string, holder: string): Promise<number>;
  release(counter: string, holder: string): Promise<void>;
}

/** What Publish needs. */
export interface PublishDependencies {
  submissions: SubmissionStore;
  sequences: SequenceAllocator;
  /** The `work` bucket: De-identify's output. */
  work: ObjectStore;
  /** The `published` bucket. */
  published: ObjectStore;
  now: () => Date;
}

/** What Publish returns to the state machine (kept at `$.publication`). */
export interface PublishResult {
  bundleId: string;
  indexNumber: string;
}

/** Counter of the 索引号 of one body and year: numbers restart every year, per body. */
export function indexNumberCounter(bodyCode: string, year: number): string {
  return `INDEX#${bodyCode}#${year}`;
}

/** Holder of a revision's 索引号 allocation: the execution name, one per revision. */
export function indexNumberHolder(submissionId: string, revision: number): string {
  return `${submissionId}-r${revision}`;
}

async function loadRevision(deps: PublishDependencies, submissionId: string, revision: number) {
  const submission = await deps.submissions.get(submissionId);
  if (submission === undefined) throw new PublicationSubjectNotFoundError();
  if (submission.revision !== revision)
    throw new PublicationRevisionMismatchError(revision, submission.revision);
  return submission;
}

function isComplete(submission: Submission): submission is PublishableSubmission {
  return (
    submission.bundleId !== undefined &&
    submission.indexNumber !== undefined &&
    submission.publishedAt !== undefined
  );
}

/**
 * Gives the revision its bundle id, 发布日期 and 索引号, each stored on the submission before anything
 * is written, so that a retry reuses them: first bundle id + 发布日期 (one patch), then the 索引号 from
 * the counter of the 发布日期's year (the allocator returns the same number to the same holder until
 * it is released, and the number is released only once it is stored).
 */
async function assignPublicationIdentity(
  submission: Submission,
  deps: PublishDependencies,
): Promise<PublishableSubmission> {
  let current = submission;
  if (current.bundleId === undefined || current.publishedAt === undefined) {
    current = await deps.submissions.patch(
      current.id,
      current.revision,
      {
        bundleId: current.bundleId ?? bundleIdFor(current.id, current.revision, current.createdAt),
        publishedAt: current.publishedAt ?? deps.now().toISOString(),
      },
      { now: deps.now() },
    );
  }
  const year = Number(chinaDate(current.publishedAt as string).slice(0, 4));
  const counter = indexNumberCounter(current.metadata.bodyCode, year);
  const holder = indexNumberHolder(current.id, current.revision);
  if (current.indexNumber === undefined) {
    const sequence = await deps.sequences.allocate(counter, holder);
    const indexNumber = formatIndexNumber(current.metadata.bodyCode, year, sequence);
    current = await deps.submissions.patch(
      current.id,
      current.revision,
      { indexNumber },
      { now: deps.now() },
    );
  }
  // Also after a retry: an earlier attempt may have stored the number and died before releasing it.
  await deps.sequences.release(counter, holder);
  if (!isComplete(current)) throw new Error('publication identity was not stored');
  return current;
}

async function readContents(
  submission: Submission,
  work: ObjectStore,
): Promise<Map<string, DocumentContent>> {
  const contents = new Map<string, DocumentContent>();
  for (const { ref } of planDocuments(submission)) {
    const [html, text] = await Promise.all([
      work.get(workKeys.redactedHtml(submission.id, submission.revision, ref.id)),
      work.get(workKeys.redactedText(submission.id, submission.revision, ref.id)),
    ]);
    if (html === undefined) throw new MissingWorkProductError(ref.id, 'html');
    if (text === undefined) throw new MissingWorkProductError(ref.id, 'text');
    contents.set(ref.id, { html: fromUtf8(html), text: fromUtf8(text) });
  }
  return contents;
}

/**
 * Publish: writes the revision's bundle to the `published` bucket — every file first, then
 * `manifest.json` last, so a bundle with a manifest is complete. Idempotent: a retry after any
 * partial failure writes the same bundle id, the same 索引号 and byte-identical objects.
 *
 * The revision stays SCHEDULED: it becomes PUBLISHED (RecordPublished) only after Verify has checked
 * the bundle and listed it in the catalog, so the portal never lists an unverified bundle.
 */
export async function publishRevision(
  input: { submissionId: string; revision: number },
  deps: PublishDependencies,
): Promise<PublishResult> {
  const submission = await loadRevision(deps, input.submissionId, input.revision);
  if (submission.status === 'PUBLISHED' && isComplete(submission)) {
    return { bundleId: submission.bundleId, indexNumber: submission.indexNumber };
  }
  if (submission.status !== 'SCHEDULED' || !isPublishedAttribute(submission.metadata.disclosure.attribute)) {
    throw new PublicationNotAllowedError(submission.status);
  }
  // Read before taking a 索引号: a revision whose work products are missing should not use one up.
  const contents = await readContents(submission, deps.work);
  let publishable = await assignPublicationIdentity(submission, deps);
  // A duplicate run at the same time can store its own 发布日期 (the store's patch retries with its
  // values) after this run read it back. So the bundle is written again from what is stored until the
  // two agree: every run's last write then carries the stored identity, which Verify compares with.
  for (let attempt = 1; ; attempt += 1) {
    await writeBundle(assembleBundle(publishable, contents), publishable.bundleId, deps.published);
    const stored = await loadRevision(deps, input.submissionId, input.revision);
    if (sameIdentity(stored, publishable)) break;
    if (!isComplete(stored) || attempt >= MAX_BUNDLE_WRITES)
      throw new Error('publication identity keeps changing');
    publishable = stored;
  }
  return { bundleId: publishable.bundleId, indexNumber: publishable.indexNumber };
}

/** How often one run writes its bundle before it gives up on a publication identity that keeps changing. */
const MAX_BUNDLE_WRITES = 3;

function sameIdentity(stored: Submission, written: PublishableSubmission): boolean {
  return (
    stored.bundleId === written.bundleId &&
    stored.indexNumber === written.indexNumber &&
    stored.publishedAt === written.publishedAt
  );
}

/** Every file of the bundle, then `manifest.json` last, so a bundle with a manifest is complete. */
async function writeBundle(
  bundle: ReturnType<typeof assembleBundle>,
  bundleId: string,
  published: ObjectStore,
): Promise<void> {
  for (const file of bundle.files) {
    await published.put(publishedKeys.file(bundleId, file.name), file.body, {
      contentType: file.mediaType,
      cacheControl: IMMUTABLE_CACHE_CONTROL,
    });
  }
  await published.put(publishedKeys.manifest(bundleId), bundle.manifestBody, {
    contentType: MEDIA_TYPES.json,
    cacheControl: IMMUTABLE_CACHE_CONTROL,
  });
}

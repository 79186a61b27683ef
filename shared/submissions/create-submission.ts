import { RevisionNotAllowedError, StaleRevisionError } from '../adapters/dynamo-submission-store.js';
import {
  type DocumentRef,
  newId,
  type Submission,
  SubmissionDraftSchema,
  SubmissionInvalidError,
  validateSubmission,
} from '../domain/index.js';
import type { AuditLog } from '../ports/audit-log.js';
import type { ObjectStore } from '../ports/object-store.js';
import type { SubmissionStore } from '../ports/submission-store.js';
import { uploadKey } from '../storage-keys.js';
import { type Actor, auditOnce, type Clock, loadOwnSubmission } from './support.js';
import { baseContentType, reviewStepIdViolations, uploadViolations } from './upload-rules.js';

/** What create-submission needs. */
export interface CreateSubmissionDependencies {
  submissions: SubmissionStore;
  audit: AuditLog;
  /** The `uploads` bucket: presigned PUT URLs point here. */
  uploads: ObjectStore;
  now: Clock;
  /** Lifetime of each presigned PUT URL. */
  uploadUrlTtlSeconds: number;
  /** Largest accepted upload; defaults to intake's limit. */
  maxUploadBytes?: number;
  /** Id generator (tests pin it). */
  newId?: () => string;
}

/** One presigned upload the drafter's browser must perform. */
export interface UploadInstruction {
  documentId: string;
  role: DocumentRef['role'];
  fileName: string;
  url: string;
  method: 'PUT';
  /** Headers the PUT must carry exactly: the URL is signed for them. */
  headers: { 'content-type': string };
  expiresAt: string;
}

/** The answer to a created submission or revision. */
export interface CreatedSubmission {
  submissionId: string;
  revision: number;
  status: 'DRAFT';
  uploads: UploadInstruction[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * The drafter's draft from a request body: metadata as given, the drafter from the sign-in (never
 * from the body), and each document with a generated id and key (never derived from its name).
 * Fields are passed through untyped so the schema reports each problem at its own path.
 */
function draftFromBody(
  body: unknown,
  drafter: Actor,
  submissionId: string,
  revision: number,
  generateId: () => string,
): { draft: Record<string, unknown>; rawDocuments: Record<string, unknown>[] } {
  const input = isRecord(body) ? body : {};
  const rawDocuments = Array.isArray(input.documents)
    ? input.documents.map((d) => (isRecord(d) ? d : {}))
    : [];
  const documents = Array.isArray(input.documents)
    ? rawDocuments.map((raw) => {
        const id = generateId();
        return {
          id,
          key: uploadKey(submissionId, revision, id),
          role: raw.role,
          fileName: raw.fileName,
          contentType:
            typeof raw.contentType === 'string' ? baseContentType(raw.contentType) : raw.contentType,
          size: raw.size,
        };
      })
    : input.documents;
  return {
    draft: {
      drafter: { id: drafter.id, name: drafter.name, email: drafter.email },
      metadata: input.metadata,
      documents,
    },
    rawDocuments,
  };
}

function checkDraft(
  draft: Record<string, unknown>,
  rawDocuments: readonly Record<string, unknown>[],
  now: Date,
  maxUploadBytes: number | undefined,
) {
  const violations = [
    ...validateSubmission(draft, { now }),
    ...uploadViolations(rawDocuments, maxUploadBytes),
    ...reviewStepIdViolations(isRecord(draft.metadata) ? draft.metadata.reviewSteps : undefined),
  ];
  if (violations.length > 0) throw new SubmissionInvalidError(violations);
  return SubmissionDraftSchema.parse(draft);
}

async function presignUploads(
  deps: CreateSubmissionDependencies,
  documents: readonly DocumentRef[],
  now: Date,
): Promise<UploadInstruction[]> {
  const expiresAt = new Date(now.getTime() + deps.uploadUrlTtlSeconds * 1000).toISOString();
  return Promise.all(
    documents.map(async (document) => ({
      documentId: document.id,
      role: document.role,
      fileName: document.fileName,
      url: await deps.uploads.presignPut(document.key, {
        contentType: document.contentType,
        contentLength: document.size,
        expiresInSeconds: deps.uploadUrlTtlSeconds,
      }),
      method: 'PUT' as const,
      headers: { 'content-type': document.contentType },
      expiresAt,
    })),
  );
}

/**
 * POST /submissions: checks the metadata and the declared documents against the rules and what
 * intake accepts, stores revision 1 as DRAFT, audits CREATED, and returns one presigned PUT URL per
 * document, each limited to the declared content type and length.
 *
 * @throws SubmissionInvalidError with every field-level violation
 */
export async function createSubmission(
  deps: CreateSubmissionDependencies,
  request: { caller: Actor; body: unknown },
): Promise<CreatedSubmission> {
  const now = deps.now();
  const generateId = deps.newId ?? newId;
  const submissionId = generateId();
  const { draft: raw, rawDocuments } = draftFromBody(
    request.body,
    request.caller,
    submissionId,
    1,
    generateId,
  );
  const draft = checkDraft(raw, rawDocuments, now, deps.maxUploadBytes);
  const submission: Submission = {
    ...draft,
    id: submissionId,
    revision: 1,
    status: 'DRAFT',
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
  await deps.submissions.create(submission);
  await deps.audit.append({
    submissionId,
    revision: 1,
    at: now.toISOString(),
    actor: { id: request.caller.id, role: 'drafter' },
    action: 'CREATED',
    toStatus: 'DRAFT',
  });
  return {
    submissionId,
    revision: 1,
    status: 'DRAFT',
    uploads: await presignUploads(deps, draft.documents, now),
  };
}

/**
 * POST /submissions/{id}/revisions: after RETURNED or FAILED, the drafter's corrected metadata and
 * documents become the next revision, in DRAFT, with fresh upload URLs. `body.revision`, when
 * given, is the revision the drafter corrected: a stale form cannot overwrite a newer revision.
 *
 * @throws SubmissionInvalidError, RevisionNotAllowedError (409), StaleRevisionError (409)
 */
export async function createRevision(
  deps: CreateSubmissionDependencies,
  request: { caller: Actor; submissionId: string; body: unknown },
): Promise<CreatedSubmission> {
  const now = deps.now();
  const generateId = deps.newId ?? newId;
  const current = await loadOwnSubmission(deps.submissions, request.submissionId, request.caller);
  const expected =
    isRecord(request.body) && typeof request.body.revision === 'number'
      ? request.body.revision
      : current.revision;
  if (expected !== current.revision) throw new StaleRevisionError(expected, current.revision);
  if (current.status !== 'RETURNED' && current.status !== 'FAILED')
    throw new RevisionNotAllowedError(current.status);
  const revision = current.revision + 1;
  // The drafter stays the one who created the submission: only they may revise it.
  const drafter = { id: current.drafter.id, name: current.drafter.name, email: current.drafter.email };
  const { draft: raw, rawDocuments } = draftFromBody(request.body, drafter, current.id, revision, generateId);
  const draft = checkDraft(raw, rawDocuments, now, deps.maxUploadBytes);
  const next = await deps.submissions.newRevision(current.id, current.revision, draft, { now });
  await auditOnce(deps.audit, {
    submissionId: next.id,
    revision: next.revision,
    at: now,
    actor: { id: request.caller.id, role: 'drafter' },
    action: 'UPDATED',
    toStatus: 'DRAFT',
  });
  return {
    submissionId: next.id,
    revision: next.revision,
    status: 'DRAFT',
    uploads: await presignUploads(deps, next.documents, now),
  };
}

import { describe, expect, it } from 'vitest';
import { SubmissionInvalidError } from '../../../shared/domain/index.js';
import { ForbiddenError } from '../../../shared/lambda/http-handler.js';
import { createRevision, createSubmission } from '../../../shared/submissions/index.js';
import { aDrafter, aMetadata, aSubmission, IDS, SUBMITTED_AT } from '../../support/builders.js';
import { InMemoryAuditLog, InMemoryObjectStore, InMemorySubmissionStore } from '../../support/fakes.js';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

function setup(initial = [] as ReturnType<typeof aSubmission>[]) {
  const submissions = new InMemorySubmissionStore(initial);
  const audit = new InMemoryAuditLog();
  const uploads = new InMemoryObjectStore();
  let counter = 0;
  const deps = {
    submissions,
    audit,
    uploads,
    now: () => SUBMITTED_AT,
    uploadUrlTtlSeconds: 900,
    newId: () => `01J0000000000000000000${String(counter++).padStart(4, '0')}`,
  };
  return { deps, submissions, audit, uploads };
}

function aBody(overrides: Record<string, unknown> = {}) {
  return {
    metadata: aMetadata(),
    documents: [
      { role: 'policy', fileName: '实施方案.docx', contentType: DOCX, size: 48_213 },
      {
        role: 'interpretation',
        fileName: '解读.md',
        contentType: 'text/markdown; charset=utf-8',
        size: 2_048,
      },
    ],
    ...overrides,
  };
}

function violationsOf(error: unknown) {
  expect(error).toBeInstanceOf(SubmissionInvalidError);
  return (error as SubmissionInvalidError).violations;
}

describe('createSubmission', () => {
  it('stores a DRAFT with generated document ids and keys and audits CREATED', async () => {
    // Prepare
    const { deps, submissions, audit } = setup();
    // Act
    const created = await createSubmission(deps, { caller: aDrafter(), body: aBody() });
    // Assess
    const stored = submissions.items.get(created.submissionId);
    expect(stored?.status).toBe('DRAFT');
    expect(stored?.revision).toBe(1);
    expect(stored?.documents.map((document) => document.key)).toEqual(
      created.uploads.map((upload) => `submissions/${created.submissionId}/r1/${upload.documentId}`),
    );
    expect(audit.events).toMatchObject([
      { action: 'CREATED', toStatus: 'DRAFT', actor: { id: 'drafter-001', role: 'drafter' } },
    ]);
  });

  it('returns one presigned PUT per document, limited to its content type and length', async () => {
    const { deps, uploads } = setup();
    const created = await createSubmission(deps, { caller: aDrafter(), body: aBody() });
    expect(created).toMatchObject({ revision: 1, status: 'DRAFT' });
    expect(created.uploads).toHaveLength(2);
    expect(created.uploads[1]).toMatchObject({
      role: 'interpretation',
      method: 'PUT',
      headers: { 'content-type': 'text/markdown' },
      expiresAt: new Date(SUBMITTED_AT.getTime() + 900_000).toISOString(),
    });
    expect(uploads.presigned).toEqual([
      expect.objectContaining({ contentType: DOCX, contentLength: 48_213, expiresInSeconds: 900 }),
      expect.objectContaining({ contentType: 'text/markdown', contentLength: 2_048 }),
    ]);
  });

  it('takes the drafter from the sign-in and never a key or id from the body', async () => {
    const { deps, submissions } = setup();
    const body = aBody({
      drafter: { id: 'someone-else', name: '冒名', email: 'x@example.gov.cn' },
      documents: [
        {
          role: 'policy',
          fileName: '../../etc/passwd.docx',
          contentType: DOCX,
          size: 10,
          key: 'evil/key',
          id: IDS.policy,
        },
        { role: 'interpretation', fileName: '解读.txt', contentType: 'text/plain', size: 10 },
      ],
    });
    const created = await createSubmission(deps, { caller: aDrafter(), body });
    const stored = submissions.items.get(created.submissionId);
    expect(stored?.drafter.id).toBe('drafter-001');
    expect(stored?.documents[0]?.key).not.toContain('evil');
    expect(stored?.documents[0]?.key).not.toContain('passwd');
    expect(stored?.documents[0]?.id).not.toBe(IDS.policy);
  });

  it('refuses a PDF beside its field, naming the formats that are accepted', async () => {
    const { deps, submissions } = setup();
    const body = aBody({
      documents: [
        { role: 'policy', fileName: '方案.pdf', contentType: 'application/pdf', size: 100 },
        { role: 'interpretation', fileName: '解读.ofd', contentType: 'application/ofd', size: 100 },
      ],
    });
    const error = await createSubmission(deps, { caller: aDrafter(), body }).catch(
      (caught: unknown) => caught,
    );
    const violations = violationsOf(error);
    expect(violations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'documents.0.fileName', code: 'UNSUPPORTED_FORMAT' }),
        expect.objectContaining({ field: 'documents.1.fileName', code: 'UNSUPPORTED_FORMAT' }),
      ]),
    );
    expect(violations[0]?.message).toContain('PDF');
    expect(violations[0]?.message).toContain('DOCX');
    expect(submissions.items.size).toBe(0);
  });

  it('refuses a content type that does not match the extension, and a file over the size limit', async () => {
    const { deps } = setup();
    const body = aBody({
      documents: [
        { role: 'policy', fileName: '方案.docx', contentType: 'application/pdf', size: 100 },
        { role: 'interpretation', fileName: '解读.txt', contentType: 'text/plain', size: 21 * 1024 * 1024 },
      ],
    });
    const violations = violationsOf(
      await createSubmission(deps, { caller: aDrafter(), body }).catch((e: unknown) => e),
    );
    expect(violations.map((violation) => [violation.field, violation.code])).toEqual(
      expect.arrayContaining([
        ['documents.0.contentType', 'CONTENT_TYPE_MISMATCH'],
        ['documents.1.size', 'DOCUMENT_TOO_LARGE'],
      ]),
    );
  });

  it('reports metadata problems by field path with Chinese messages', async () => {
    const { deps } = setup();
    const body = aBody({
      metadata: aMetadata({ title: undefined, disclosure: { attribute: 'NOT_DISCLOSED' } }),
    });
    const violations = violationsOf(
      await createSubmission(deps, { caller: aDrafter(), body }).catch((e: unknown) => e),
    );
    const fields = violations.map((violation) => violation.field);
    expect(fields).toContain('metadata.title');
    expect(fields).toContain('metadata.disclosure.legalBasis');
    expect(violations.every((violation) => /\p{Script=Han}/u.test(violation.message))).toBe(true);
  });

  it('refuses a review step id the workflow cannot carry', async () => {
    const { deps } = setup();
    const metadata = aMetadata();
    const body = aBody({
      metadata: { ...metadata, reviewSteps: [{ ...metadata.reviewSteps[0], id: '审签' }] },
    });
    const violations = violationsOf(
      await createSubmission(deps, { caller: aDrafter(), body }).catch((e: unknown) => e),
    );
    expect(violations).toContainEqual(
      expect.objectContaining({ field: 'metadata.reviewSteps.0.id', code: 'REVIEW_STEP_ID_INVALID' }),
    );
  });

  it('reports a body that is not an object as missing fields', async () => {
    const { deps } = setup();
    const violations = violationsOf(
      await createSubmission(deps, { caller: aDrafter(), body: 'nonsense' }).catch((e: unknown) => e),
    );
    expect(violations.map((violation) => violation.field)).toEqual(
      expect.arrayContaining(['metadata', 'documents']),
    );
  });
});

describe('createRevision', () => {
  it('turns a RETURNED submission into the next revision in DRAFT with fresh upload keys', async () => {
    const { deps, submissions, audit } = setup([
      aSubmission({ status: 'RETURNED', returnedComment: '请补充' }),
    ]);
    const created = await createRevision(deps, {
      caller: aDrafter(),
      submissionId: IDS.submission,
      body: aBody(),
    });
    expect(created).toMatchObject({ submissionId: IDS.submission, revision: 2, status: 'DRAFT' });
    const stored = submissions.items.get(IDS.submission);
    expect(stored?.returnedComment).toBeUndefined();
    expect(
      stored?.documents.every((document) => document.key.startsWith(`submissions/${IDS.submission}/r2/`)),
    ).toBe(true);
    expect(audit.events).toMatchObject([{ action: 'UPDATED', revision: 2, toStatus: 'DRAFT' }]);
  });

  it('refuses a revision while the current one is still in review', async () => {
    const { deps } = setup([aSubmission({ status: 'IN_REVIEW' })]);
    await expect(
      createRevision(deps, { caller: aDrafter(), submissionId: IDS.submission, body: aBody() }),
    ).rejects.toMatchObject({ name: 'RevisionNotAllowedError', httpStatus: 409 });
  });

  it('refuses a revision of a form made from an older revision', async () => {
    const { deps } = setup([aSubmission({ status: 'RETURNED', revision: 3 })]);
    await expect(
      createRevision(deps, {
        caller: aDrafter(),
        submissionId: IDS.submission,
        body: { ...aBody(), revision: 2 },
      }),
    ).rejects.toMatchObject({ name: 'StaleRevisionError' });
  });

  it('refuses someone else’s submission', async () => {
    const { deps } = setup([aSubmission({ status: 'RETURNED' })]);
    await expect(
      createRevision(deps, {
        caller: aDrafter({ id: 'drafter-002' }),
        submissionId: IDS.submission,
        body: aBody(),
      }),
    ).rejects.toBeInstanceOf(ForbiddenError);
  });
});

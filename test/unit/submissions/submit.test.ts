import { describe, expect, it } from 'vitest';
import { SubmissionNotFoundError } from '../../../shared/adapters/dynamo-submission-store.js';
import type { Submission } from '../../../shared/domain/index.js';
import { ForbiddenError } from '../../../shared/lambda/http-handler.js';
import { submitSubmission, UploadMissingError } from '../../../shared/submissions/index.js';
import { aDrafter, aSubmission, IDS, SUBMITTED_AT } from '../../support/builders.js';
import {
  FakeWorkflow,
  InMemoryAuditLog,
  InMemoryObjectStore,
  InMemorySubmissionStore,
} from '../../support/fakes.js';

function setup(submission: Submission = aSubmission(), uploaded: 'all' | 'none' | 'policy' = 'all') {
  const submissions = new InMemorySubmissionStore([submission]);
  const audit = new InMemoryAuditLog();
  const uploads = new InMemoryObjectStore();
  const workflow = new FakeWorkflow();
  for (const document of submission.documents) {
    if (uploaded === 'all' || (uploaded === 'policy' && document.role === 'policy')) {
      uploads.objects.set(document.key, { body: new Uint8Array(document.size) });
    }
  }
  const deps = { submissions, audit, uploads, workflow, now: () => SUBMITTED_AT };
  return { deps, submissions, audit, uploads, workflow };
}

const request = { caller: aDrafter(), submissionId: IDS.submission };

describe('submitSubmission', () => {
  it('moves DRAFT to SUBMITTED, audits SUBMITTED and starts the revision’s execution', async () => {
    const { deps, submissions, audit, workflow } = setup();
    const result = await submitSubmission(deps, request);
    expect(result).toEqual({
      submissionId: IDS.submission,
      revision: 1,
      status: 'SUBMITTED',
      executionName: `${IDS.submission}-r1`,
      started: true,
    });
    expect(submissions.items.get(IDS.submission)?.status).toBe('SUBMITTED');
    expect(audit.events).toMatchObject([{ action: 'SUBMITTED', fromStatus: 'DRAFT', toStatus: 'SUBMITTED' }]);
    expect(workflow.started).toEqual([
      { name: `${IDS.submission}-r1`, input: { submissionId: IDS.submission, revision: 1 } },
    ]);
  });

  it('starts nothing new and audits nothing new when the same revision is submitted again', async () => {
    const { deps, audit, workflow } = setup();
    await submitSubmission(deps, request);
    const again = await submitSubmission(deps, request);
    expect(again).toMatchObject({ status: 'SUBMITTED', started: false });
    expect(workflow.started).toHaveLength(1);
    expect(audit.actions()).toEqual(['SUBMITTED']);
  });

  it('starts the execution of a revision left SUBMITTED by a crash before the start', async () => {
    const { deps, workflow, audit } = setup(aSubmission({ status: 'SUBMITTED' }));
    const result = await submitSubmission(deps, request);
    expect(result.started).toBe(true);
    expect(workflow.started).toHaveLength(1);
    expect(audit.actions()).toEqual(['SUBMITTED']);
  });

  it('answers a submit of a revision already in review without starting anything', async () => {
    const { deps, workflow } = setup(aSubmission({ status: 'IN_REVIEW' }));
    expect(await submitSubmission(deps, request)).toMatchObject({ status: 'IN_REVIEW', started: false });
    expect(workflow.started).toEqual([]);
  });

  it('refuses to submit while an upload is missing, naming the document in Chinese', async () => {
    const { deps, submissions, workflow } = setup(aSubmission(), 'policy');
    const error = await submitSubmission(deps, request).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UploadMissingError);
    expect((error as UploadMissingError).httpStatus).toBe(409);
    expect((error as UploadMissingError).violations).toEqual([
      expect.objectContaining({ field: 'documents.1', code: 'UPLOAD_MISSING' }),
    ]);
    expect((error as Error).message).toContain('解读「实施方案解读.docx」');
    expect(submissions.items.get(IDS.submission)?.status).toBe('DRAFT');
    expect(workflow.started).toEqual([]);
  });

  it('refuses an upload whose size differs from the declared one', async () => {
    const { deps, uploads } = setup();
    const policy = aSubmission().documents[0];
    uploads.objects.set(policy?.key ?? '', { body: new Uint8Array(3) });
    await expect(submitSubmission(deps, request)).rejects.toMatchObject({
      violations: [expect.objectContaining({ code: 'UPLOAD_SIZE_MISMATCH', field: 'documents.0' })],
    });
  });

  it('checks the rules again at the moment of submitting', async () => {
    const { deps } = setup(aSubmission({ metadata: { plannedReleaseAt: '2019-07-18T09:00:00+08:00' } }));
    await expect(submitSubmission(deps, request)).rejects.toMatchObject({
      name: 'SubmissionInvalidError',
      violations: [expect.objectContaining({ field: 'metadata.plannedReleaseAt' })],
    });
  });

  it('asks for a new revision when the current one was returned', async () => {
    const { deps } = setup(aSubmission({ status: 'RETURNED' }));
    await expect(submitSubmission(deps, request)).rejects.toMatchObject({
      name: 'NewRevisionRequiredError',
      httpStatus: 409,
    });
  });

  it('refuses a stale revision named in the body', async () => {
    const { deps } = setup();
    await expect(submitSubmission(deps, { ...request, body: { revision: 2 } })).rejects.toMatchObject({
      name: 'StaleRevisionError',
    });
  });

  it('refuses a caller who is not the drafter, and an unknown id', async () => {
    const { deps } = setup();
    await expect(
      submitSubmission(deps, { ...request, caller: aDrafter({ id: 'other' }) }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    await expect(submitSubmission(deps, { ...request, submissionId: IDS.bundle })).rejects.toBeInstanceOf(
      SubmissionNotFoundError,
    );
  });
});

import { describe, expect, it } from 'vitest';
import { SUBMISSION_REJECTED_ERRORS } from '../../../shared/config/workflow.js';
import type { DocumentRef, Submission } from '../../../shared/domain/index.js';
import { workKeys } from '../../../shared/storage-keys.js';
import { validateSubmissionTask } from '../../../shared/submissions/index.js';
import {
  aMetadata,
  anInterpretationDocument,
  aPolicyDocument,
  aSubmission,
  IDS,
} from '../../support/builders.js';
import { InMemoryAuditLog, InMemoryObjectStore, InMemorySubmissionStore } from '../../support/fakes.js';

const NOW = new Date('2019-07-19T10:00:00+08:00');
const TITLE = aMetadata().title;
const POLICY_TEXT = `${TITLE}\n\n一、到2019年底，政府信息主动公开率达到95%。\n二、联系电话：0951-1234567。`;
const INTERPRETATION_TEXT = `# 关于《${TITLE}》的解读\n\n方案要求到2019年底主动公开率达到95%。`;

const encoder = new TextEncoder();

function textDocument(base: DocumentRef, fileName: string, content: string | Uint8Array): DocumentRef {
  const bytes = typeof content === 'string' ? encoder.encode(content) : content;
  return { ...base, fileName, contentType: 'text/plain', size: bytes.length };
}

function setup(
  options: {
    policy?: string | Uint8Array;
    policyName?: string;
    interpretation?: string;
    submission?: Partial<Submission>;
  } = {},
) {
  const policyContent = options.policy ?? POLICY_TEXT;
  const interpretationContent = options.interpretation ?? INTERPRETATION_TEXT;
  const policy = textDocument(aPolicyDocument(), options.policyName ?? '实施方案.txt', policyContent);
  const interpretation = textDocument(anInterpretationDocument(), '解读.md', interpretationContent);
  const submission = aSubmission({
    status: 'SUBMITTED',
    documents: [policy, interpretation],
    ...options.submission,
  });
  const submissions = new InMemorySubmissionStore([submission]);
  const audit = new InMemoryAuditLog();
  const uploads = new InMemoryObjectStore();
  const work = new InMemoryObjectStore();
  uploads.objects.set(policy.key, {
    body: typeof policyContent === 'string' ? encoder.encode(policyContent) : policyContent,
  });
  uploads.objects.set(interpretation.key, { body: encoder.encode(interpretationContent) });
  const deps = { submissions, audit, uploads, work, now: () => NOW };
  return { deps, submissions, audit, uploads, work, policy, interpretation };
}

const input = { submissionId: IDS.submission, revision: 1 };

describe('validateSubmissionTask', () => {
  it('writes text and safe HTML of every document to work and moves a 主动公开 revision to DEIDENTIFYING', async () => {
    const { deps, submissions, work, audit, policy, interpretation } = setup();
    const output = await validateSubmissionTask(deps, input);
    expect(output).toEqual({
      attribute: 'PROACTIVE',
      releaseAt: NOW.toISOString(),
      reviewSteps: [
        { stepId: 'disclosure-review', timeoutSeconds: 72 * 3600 },
        { stepId: 'sign-off', timeoutSeconds: 72 * 3600 },
      ],
    });
    expect(submissions.items.get(IDS.submission)?.status).toBe('DEIDENTIFYING');
    expect(work.text(workKeys.text(IDS.submission, 1, policy.id))).toContain('0951-1234567');
    expect(work.text(workKeys.html(IDS.submission, 1, interpretation.id))).toContain('<h1>');
    expect(audit.events).toMatchObject([
      { action: 'VALIDATED', fromStatus: 'VALIDATING', toStatus: 'DEIDENTIFYING' },
    ]);
  });

  it('moves a 依申请公开 revision straight to review', async () => {
    const { deps, submissions } = setup({
      submission: {
        metadata: aMetadata({ disclosure: { attribute: 'ON_REQUEST', reason: '涉及内部事务' } }),
      },
    });
    expect((await validateSubmissionTask(deps, input)).attribute).toBe('ON_REQUEST');
    expect(submissions.items.get(IDS.submission)?.status).toBe('IN_REVIEW');
  });

  it('releases at the planned time when it is still ahead', async () => {
    const planned = '2019-07-25T09:00:00+08:00';
    const { deps } = setup({ submission: { metadata: aMetadata({ plannedReleaseAt: planned }) } });
    expect((await validateSubmissionTask(deps, input)).releaseAt).toBe(planned);
  });

  it('writes the consistency findings of each 解读 without blocking', async () => {
    const { deps, work, interpretation } = setup({
      interpretation: `关于《${TITLE}》的解读：到2019年底主动公开率达到98%。`,
    });
    await validateSubmissionTask(deps, input);
    const report = JSON.parse(work.text(workKeys.consistency(IDS.submission, 1)) ?? '{}');
    expect(report.interpretations[0].documentId).toBe(interpretation.id);
    expect(report.interpretations[0].findings).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'percentage', quoted: '98%' })]),
    );
  });

  it('returns a refused file to the drafter, naming its role and file name, and throws a RETURNED-path error', async () => {
    const pdf = encoder.encode('%PDF-1.7 binary');
    const { deps, submissions, audit, work } = setup({ policy: pdf, policyName: '方案.docx' });
    const error = await validateSubmissionTask(deps, input).catch((caught: unknown) => caught);
    expect((SUBMISSION_REJECTED_ERRORS as readonly string[]).includes((error as Error).name)).toBe(true);
    expect((error as Error).name).toBe('UnsupportedFormatError');
    expect((error as Error).message).not.toContain('方案.docx');
    const stored = submissions.items.get(IDS.submission);
    expect(stored?.status).toBe('RETURNED');
    expect(stored?.returnedComment).toContain('原文「方案.docx」');
    expect(stored?.returnedComment).toContain('PDF');
    expect(audit.events).toMatchObject([
      { action: 'RETURNED', fromStatus: 'VALIDATING', toStatus: 'RETURNED' },
    ]);
    expect(work.objects.size).toBe(0);
  });

  it('returns a 解读 that names neither the title nor the 文号 of its 原文', async () => {
    const { deps, submissions } = setup({ interpretation: '本解读介绍一项新政策的主要内容。' });
    await expect(validateSubmissionTask(deps, input)).rejects.toMatchObject({
      name: 'SubmissionInvalidError',
      violations: [expect.objectContaining({ field: 'documents.1', code: 'INTERPRETATION_NOT_LINKED' })],
    });
    expect(submissions.items.get(IDS.submission)?.returnedComment).toContain('解读「解读.md」');
  });

  it('returns a revision whose upload has disappeared', async () => {
    const { deps, uploads, policy, submissions } = setup();
    uploads.objects.delete(policy.key);
    await expect(validateSubmissionTask(deps, input)).rejects.toMatchObject({
      name: 'DocumentRejectedError',
    });
    expect(submissions.items.get(IDS.submission)?.status).toBe('RETURNED');
  });

  it('answers a retry after success with the same output and no second audit event', async () => {
    const { deps, audit } = setup();
    const first = await validateSubmissionTask(deps, input);
    const second = await validateSubmissionTask(deps, input);
    expect(second).toEqual(first);
    expect(audit.actions()).toEqual(['VALIDATED']);
  });

  it('repairs a missing VALIDATED event when a retry finds the revision already moved on', async () => {
    const { deps, audit, work } = setup({ submission: { status: 'DEIDENTIFYING' } });
    await validateSubmissionTask(deps, input);
    expect(audit.events).toMatchObject([{ action: 'VALIDATED', toStatus: 'DEIDENTIFYING' }]);
    expect(work.objects.size).toBe(0);
  });

  it('throws a RETURNED-path error again when a retry finds the revision already returned', async () => {
    const { deps } = setup({ submission: { status: 'RETURNED', returnedComment: '请修改' } });
    await expect(validateSubmissionTask(deps, input)).rejects.toMatchObject({
      name: 'SubmissionInvalidError',
    });
  });

  it('throws the same refusal again when a retry finds the revision returned by it', async () => {
    // Prepare: a policy that is not text, so intake refuses it by name.
    const { deps, audit } = setup({ policy: Uint8Array.from({ length: 256 }, (_, index) => index % 7) });
    const refusal = await validateSubmissionTask(deps, input).catch((error: unknown) => error);
    expect(refusal).toMatchObject({ name: 'BinaryContentError' });

    // Act: the retry Step Functions (or a Lambda retry) makes with the same input.
    const retry = await validateSubmissionTask(deps, input).catch((error: unknown) => error);

    // Assess: the same name (RecordStatus records it), still routed to RETURNED, audited once.
    expect(retry).toMatchObject({ name: 'BinaryContentError' });
    expect(SUBMISSION_REJECTED_ERRORS).toContain((retry as Error).name);
    expect(audit.actions()).toEqual(['RETURNED']);
  });
});

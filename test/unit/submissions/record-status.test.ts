import { describe, expect, it } from 'vitest';
import type { Submission } from '../../../shared/domain/index.js';
import type { ReviewStepRecord } from '../../../shared/ports/approval-store.js';
import { type RecordStatusRequest, recordStatus } from '../../../shared/submissions/index.js';
import { aPublishedSubmission, aSubmission, IDS } from '../../support/builders.js';
import { InMemoryApprovalStore, InMemoryAuditLog, InMemorySubmissionStore } from '../../support/fakes.js';

const NOW = new Date('2019-07-22T10:00:00+08:00');

function aStep(overrides: Partial<ReviewStepRecord> = {}): ReviewStepRecord {
  return {
    submissionId: IDS.submission,
    revision: 1,
    stepId: 'sign-off',
    status: 'PENDING',
    attempt: 2,
    linkHashes: ['c'.repeat(64)],
    requestedAt: '2019-07-19T02:00:00.000Z',
    expiresAt: '2019-07-22T02:00:00.000Z',
    ...overrides,
  };
}

async function setup(submission: Submission, steps: ReviewStepRecord[] = []) {
  const submissions = new InMemorySubmissionStore([submission]);
  const audit = new InMemoryAuditLog();
  const approvals = new InMemoryApprovalStore();
  for (const step of steps) {
    await approvals.openStep(
      step,
      step.linkHashes.map((hash) => ({
        hash,
        submissionId: step.submissionId,
        revision: step.revision,
        stepId: step.stepId,
        attempt: step.attempt,
        approverId: 'approver-001',
        taskToken: 'token',
        createdAt: step.requestedAt,
        expiresAt: step.expiresAt,
        status: 'PENDING' as const,
      })),
    );
  }
  return { deps: { submissions, audit, approvals, now: () => NOW }, submissions, audit, approvals };
}

const base = { submissionId: IDS.submission, revision: 1 };
const request = (fields: Omit<RecordStatusRequest, 'submissionId' | 'revision'>): RecordStatusRequest => ({
  ...base,
  ...fields,
});

describe('recordStatus', () => {
  it('schedules an approved 主动公开 revision and audits SCHEDULED', async () => {
    const { deps, submissions, audit } = await setup(aSubmission({ status: 'IN_REVIEW' }));
    const result = await recordStatus(deps, request({ status: 'SCHEDULED', reason: 'REVIEW_APPROVED' }));
    expect(result).toEqual({ status: 'SCHEDULED', changed: true, audited: true });
    expect(submissions.items.get(IDS.submission)?.status).toBe('SCHEDULED');
    expect(audit.events).toMatchObject([
      { action: 'SCHEDULED', fromStatus: 'IN_REVIEW', toStatus: 'SCHEDULED', actor: { role: 'system' } },
    ]);
  });

  it('registers an approved 依申请公开 revision', async () => {
    const submission = aSubmission({
      status: 'IN_REVIEW',
      metadata: { disclosure: { attribute: 'ON_REQUEST', reason: '内部事务' } },
    });
    const { deps, audit } = await setup(submission);
    await recordStatus(deps, request({ status: 'REGISTERED', reason: 'REVIEW_APPROVED' }));
    expect(audit.events).toMatchObject([{ action: 'REGISTERED', toStatus: 'REGISTERED' }]);
  });

  it('records a publication with its 索引号 and bundle', async () => {
    const { deps, audit } = await setup(aPublishedSubmission({ status: 'SCHEDULED' }));
    await recordStatus(deps, request({ status: 'PUBLISHED', reason: 'BUNDLE_VERIFIED' }));
    expect(audit.events).toMatchObject([
      {
        action: 'PUBLISHED',
        toStatus: 'PUBLISHED',
        detail: { bundleId: IDS.bundle, indexNumber: '640100-141/2019-00064' },
      },
    ]);
  });

  it('keeps the comment approval-page stored on a rejection', async () => {
    const { deps, submissions } = await setup(
      aSubmission({ status: 'IN_REVIEW', returnedComment: '请补充法律依据' }),
    );
    await recordStatus(
      deps,
      request({ status: 'RETURNED', reason: 'REVIEW_REJECTED', error: { Error: 'ReviewRejected' } }),
    );
    expect(submissions.items.get(IDS.submission)).toMatchObject({
      status: 'RETURNED',
      returnedComment: '请补充法律依据',
    });
  });

  it('takes the rejected step’s comment when the submission has none', async () => {
    const { deps, submissions, audit } = await setup(aSubmission({ status: 'IN_REVIEW' }), [
      aStep({ status: 'REJECTED', comment: '数字与原文不一致' }),
    ]);
    await recordStatus(deps, request({ status: 'RETURNED', reason: 'REVIEW_REJECTED' }));
    expect(submissions.items.get(IDS.submission)?.returnedComment).toBe('数字与原文不一致');
    expect(audit.events[0]?.detail).toMatchObject({ reviewStepId: 'sign-off' });
  });

  it('revokes the step’s links when a review expires, and records FAILED with the error name only', async () => {
    const { deps, submissions, audit, approvals } = await setup(aSubmission({ status: 'IN_REVIEW' }), [
      aStep(),
    ]);
    await recordStatus(
      deps,
      request({
        status: 'FAILED',
        reason: 'REVIEW_EXPIRED',
        stepId: 'sign-off',
        error: { Error: 'States.Timeout', Cause: 'secret cause text' },
      }),
    );
    expect(approvals.steps[0]?.status).toBe('EXPIRED');
    expect(approvals.links.get('c'.repeat(64))?.status).toBe('REVOKED');
    expect(submissions.items.get(IDS.submission)?.status).toBe('FAILED');
    expect(audit.events).toMatchObject([
      {
        action: 'APPROVAL_TIMED_OUT',
        toStatus: 'FAILED',
        detail: { reviewStepId: 'sign-off', errorName: 'States.Timeout' },
      },
    ]);
    expect(JSON.stringify(audit.events)).not.toContain('secret cause text');
  });

  it('records a failed notification without changing the status', async () => {
    const { deps, submissions, audit } = await setup(
      aSubmission({ status: 'RETURNED', returnedComment: '改' }),
    );
    const result = await recordStatus(
      deps,
      request({ status: 'FAILED', reason: 'NOTIFY_FAILED', error: { Error: 'MessageRejected' } }),
    );
    expect(result.changed).toBe(false);
    expect(submissions.items.get(IDS.submission)?.status).toBe('RETURNED');
    expect(audit.events).toEqual([
      expect.objectContaining({ action: 'FAILED', detail: { errorName: 'MessageRejected' } }),
    ]);
    expect(audit.events[0]?.toStatus).toBeUndefined();
  });

  it('records a failure after a withdrawal without reviving the revision', async () => {
    const { deps, submissions, audit } = await setup(aSubmission({ status: 'WITHDRAWN' }));
    await recordStatus(
      deps,
      request({ status: 'FAILED', reason: 'TASK_FAILED', error: { Error: 'Lambda.Unknown' } }),
    );
    expect(submissions.items.get(IDS.submission)?.status).toBe('WITHDRAWN');
    expect(audit.actions()).toEqual(['FAILED']);
  });

  it('replaces an error name unfit for the audit log', async () => {
    const { deps, audit } = await setup(aSubmission({ status: 'SUBMITTED' }));
    await recordStatus(
      deps,
      request({ status: 'FAILED', reason: 'TASK_FAILED', error: { Error: '<script>' } }),
    );
    expect(audit.events[0]?.detail?.errorName).toBe('UnknownError');
  });

  it('is idempotent: a repeated call changes nothing and audits once', async () => {
    const { deps, audit } = await setup(aSubmission({ status: 'IN_REVIEW' }));
    await recordStatus(deps, request({ status: 'SCHEDULED', reason: 'REVIEW_APPROVED' }));
    const again = await recordStatus(deps, request({ status: 'SCHEDULED', reason: 'REVIEW_APPROVED' }));
    expect(again).toEqual({ status: 'SCHEDULED', changed: false, audited: false });
    expect(audit.actions()).toEqual(['SCHEDULED']);
  });

  it('refuses a reason that does not go with the status', async () => {
    const { deps } = await setup(aSubmission({ status: 'IN_REVIEW' }));
    await expect(
      recordStatus(deps, request({ status: 'PUBLISHED', reason: 'REVIEW_REJECTED' })),
    ).rejects.toMatchObject({
      name: 'UnexpectedStatusReasonError',
    });
  });
});

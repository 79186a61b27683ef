import { describe, expect, it } from 'vitest';
import { ForbiddenError } from '../../../shared/lambda/http-handler.js';
import type { ReviewStepRecord } from '../../../shared/ports/approval-store.js';
import { workKeys } from '../../../shared/storage-keys.js';
import { getSubmissionView, listOwnSubmissions } from '../../../shared/submissions/index.js';
import { aDrafter, anAuditEvent, aSubmission, IDS } from '../../support/builders.js';
import {
  InMemoryApprovalStore,
  InMemoryAuditLog,
  InMemoryObjectStore,
  InMemorySubmissionStore,
} from '../../support/fakes.js';

const NOW = new Date('2019-07-22T10:00:00+08:00');

function aStep(overrides: Partial<ReviewStepRecord> = {}): ReviewStepRecord {
  return {
    submissionId: IDS.submission,
    revision: 1,
    stepId: 'disclosure-review',
    status: 'APPROVED',
    attempt: 0,
    linkHashes: ['f'.repeat(64)],
    requestedAt: '2019-07-19T02:00:00.000Z',
    expiresAt: '2019-07-22T02:00:00.000Z',
    decidedBy: 'approver-002',
    decidedAt: '2019-07-19T03:00:00.000Z',
    comment: '同意',
    ...overrides,
  };
}

async function setup() {
  const submissions = new InMemorySubmissionStore([aSubmission({ status: 'IN_REVIEW' })]);
  const audit = new InMemoryAuditLog();
  await audit.append(anAuditEvent());
  const approvals = new InMemoryApprovalStore();
  approvals.steps.push(aStep());
  approvals.steps.push(
    aStep({
      stepId: 'sign-off',
      status: 'PENDING',
      decidedBy: undefined,
      decidedAt: undefined,
      comment: undefined,
    }),
  );
  const work = new InMemoryObjectStore();
  const deps = { submissions, audit, approvals, work, now: () => NOW };
  return { deps, approvals, work, audit };
}

const request = { caller: aDrafter(), submissionId: IDS.submission };

describe('getSubmissionView', () => {
  it('shows the status in Chinese with what the drafter can do, and the 及时公开 deadline', async () => {
    const { deps } = await setup();
    const view = await getSubmissionView(deps, request);
    expect(view).toMatchObject({
      submissionId: IDS.submission,
      revision: 1,
      status: 'IN_REVIEW',
      statusLabel: '审查审签中',
      disclosureLabel: '主动公开',
      deadline: { deadline: '2019-08-16', state: 'due' },
    });
    expect(view.statusHint).toContain('撤回');
    expect(view.documents[0]).toMatchObject({ role: 'policy', roleLabel: '原文', fileName: '实施方案.docx' });
  });

  it('lists review progress by step without link hashes, and a comment only on a rejection', async () => {
    const { deps, approvals } = await setup();
    const first = approvals.steps[0];
    if (first !== undefined) Object.assign(first, { status: 'REJECTED', comment: '请补充依据' });
    const view = await getSubmissionView(deps, request);
    expect(view.review.steps).toEqual([
      expect.objectContaining({
        stepId: 'disclosure-review',
        name: '公开审查',
        status: 'REJECTED',
        comment: '请补充依据',
        decidedBy: '赵审',
      }),
      expect.objectContaining({
        stepId: 'sign-off',
        name: '审签',
        status: 'PENDING',
        statusLabel: '待审核',
        comment: null,
      }),
    ]);
    expect(JSON.stringify(view)).not.toContain('f'.repeat(64));
  });

  it('hides an approver’s comment on an approval and shows steps not yet requested', async () => {
    const { deps, approvals } = await setup();
    approvals.steps.splice(1, 1);
    const view = await getSubmissionView(deps, request);
    expect(view.review.steps[0]?.comment).toBeNull();
    expect(view.review.steps[1]).toMatchObject({ stepId: 'sign-off', status: 'NOT_STARTED', attempt: null });
  });

  it('includes the audit trail with labels, the consistency findings and the redaction counts from work', async () => {
    const { deps, work } = await setup();
    await work.put(
      workKeys.consistency(IDS.submission, 1),
      JSON.stringify({ interpretations: [{ findings: [{ kind: 'figure' }] }] }),
    );
    await work.put(
      workKeys.redactionReport(IDS.submission, 1),
      JSON.stringify({ total: 3, counts: { mobile: 3 } }),
    );
    const view = await getSubmissionView(deps, request);
    expect(view.audit).toEqual([expect.objectContaining({ action: 'SUBMITTED', actionLabel: '提交' })]);
    expect(view.consistency).toEqual({ interpretations: [{ findings: [{ kind: 'figure' }] }] });
    expect(view.redactions).toEqual({ total: 3, counts: { mobile: 3 } });
  });

  it('falls back to the audited redaction count when work cannot be read', async () => {
    const { deps, audit } = await setup();
    await audit.append(
      anAuditEvent({
        action: 'DEIDENTIFIED',
        actor: { id: 'system', role: 'system' },
        fromStatus: 'DEIDENTIFYING',
        toStatus: 'IN_REVIEW',
        detail: { redactionCount: 4 },
      }),
    );
    const { work: _work, ...withoutWork } = deps;
    const view = await getSubmissionView(withoutWork, request);
    expect(view.redactions).toEqual({ total: 4, counts: {} });
    expect(view.consistency).toBeNull();
  });

  it('refuses anyone but the drafter', async () => {
    const { deps } = await setup();
    await expect(
      getSubmissionView(deps, { ...request, caller: aDrafter({ id: 'other' }) }),
    ).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe('listOwnSubmissions', () => {
  it('lists only the caller’s submissions, newest first, with a cursor for the next page', async () => {
    const submissions = new InMemorySubmissionStore([
      aSubmission(),
      aSubmission({
        id: IDS.bundle,
        createdAt: '2019-07-20T01:00:00.000Z',
        updatedAt: '2019-07-20T01:00:00.000Z',
      }),
      aSubmission({ id: IDS.attachment, drafter: { id: 'other', email: 'o@example.gov.cn' } }),
    ]);
    const page = await listOwnSubmissions({ submissions, now: () => NOW }, { caller: aDrafter(), limit: 1 });
    expect(page.items.map((item) => item.submissionId)).toEqual([IDS.bundle]);
    expect(page.items[0]).toMatchObject({ statusLabel: '草稿', deadline: { state: 'due' } });
    expect(page.cursor).not.toBeNull();
    const next = await listOwnSubmissions(
      { submissions, now: () => NOW },
      { caller: aDrafter(), cursor: page.cursor ?? '' },
    );
    expect(next.items.map((item) => item.submissionId)).toEqual([IDS.submission]);
  });
});

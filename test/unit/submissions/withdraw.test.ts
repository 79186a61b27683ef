import { describe, expect, it } from 'vitest';
import { IllegalTransitionError, type Submission } from '../../../shared/domain/index.js';
import type { CatalogEntry } from '../../../shared/ports/catalog-store.js';
import { RequestInvalidError, withdrawSubmission } from '../../../shared/submissions/index.js';
import { aDrafter, aPublishedSubmission, aSubmission, IDS } from '../../support/builders.js';
import {
  FakeWorkflow,
  InMemoryApprovalStore,
  InMemoryAuditLog,
  InMemoryCatalogStore,
  InMemoryObjectStore,
  InMemorySubmissionStore,
} from '../../support/fakes.js';

const NOW = new Date('2019-09-01T10:00:00+08:00');
const REPLACEMENT = '01HZY8K3Q4M5N6P7R8S9T0V1B2';

function anEntry(bundleId: string = IDS.bundle): CatalogEntry {
  return {
    bundleId,
    submissionId: IDS.submission,
    revision: 1,
    indexNumber: '640100-141/2019-00064',
    title: '银川市大数据产业发展服务中心2019年政务公开实施方案',
    issuingBody: '银川市大数据产业发展服务中心',
    writtenDate: '2019-07-19',
    publishedAt: '2019-07-19T08:00:00.000Z',
    subjectCategory: '综合政务/政务公开',
    validity: 'VALID',
    manifestKey: `bundles/${bundleId}/manifest.json`,
    manifestSha256: 'b'.repeat(64),
    lastSequence: 1,
  };
}

function setup(submission: Submission) {
  const submissions = new InMemorySubmissionStore([submission]);
  const audit = new InMemoryAuditLog();
  const approvals = new InMemoryApprovalStore();
  const catalog = new InMemoryCatalogStore([anEntry(), anEntry(REPLACEMENT)]);
  const workflow = new FakeWorkflow();
  workflow.running.add(`${IDS.submission}-r1`);
  const published = new InMemoryObjectStore();
  const deps = { submissions, audit, approvals, catalog, workflow, published, now: () => NOW };
  return { deps, submissions, audit, approvals, catalog, workflow, published };
}

const request = { caller: aDrafter(), submissionId: IDS.submission };

describe('withdrawSubmission before publication', () => {
  it('withdraws a submission in review: stops its execution, revokes pending links, audits WITHDRAWN', async () => {
    const { deps, submissions, approvals, workflow, audit } = setup(aSubmission({ status: 'IN_REVIEW' }));
    await approvals.openStep(
      {
        submissionId: IDS.submission,
        revision: 1,
        stepId: 'sign-off',
        status: 'PENDING',
        attempt: 0,
        linkHashes: ['a'.repeat(64)],
        requestedAt: '2019-07-19T02:00:00.000Z',
        expiresAt: '2019-07-22T02:00:00.000Z',
      },
      [],
    );
    const result = await withdrawSubmission(deps, { ...request, body: { explanation: '政策需重新论证' } });
    expect(result).toEqual({
      submissionId: IDS.submission,
      revision: 1,
      status: 'WITHDRAWN',
      catalogSequence: null,
    });
    expect(submissions.items.get(IDS.submission)?.status).toBe('WITHDRAWN');
    expect(workflow.stopped).toEqual([`${IDS.submission}-r1`]);
    expect(approvals.steps[0]?.status).toBe('REVOKED');
    expect(audit.events).toMatchObject([
      { action: 'WITHDRAWN', fromStatus: 'IN_REVIEW', toStatus: 'WITHDRAWN', actor: { role: 'drafter' } },
    ]);
  });

  it('requires an explanation, reported beside its field', async () => {
    const { deps, submissions } = setup(aSubmission({ status: 'SCHEDULED' }));
    const error = await withdrawSubmission(deps, { ...request, body: { explanation: '  ' } }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RequestInvalidError);
    expect((error as RequestInvalidError).violations).toEqual([
      expect.objectContaining({ field: 'explanation', code: 'EXPLANATION_REQUIRED' }),
    ]);
    expect(submissions.items.get(IDS.submission)?.status).toBe('SCHEDULED');
  });

  it('refuses to withdraw during a short machine step', async () => {
    const { deps } = setup(aSubmission({ status: 'VALIDATING' }));
    await expect(
      withdrawSubmission(deps, { ...request, body: { explanation: '撤回' } }),
    ).rejects.toBeInstanceOf(IllegalTransitionError);
  });

  it('repeats the clean-up but not the audit when withdrawn again', async () => {
    const { deps, audit, workflow } = setup(aSubmission({ status: 'SCHEDULED' }));
    await withdrawSubmission(deps, { ...request, body: { explanation: '撤回' } });
    await withdrawSubmission(deps, { ...request, body: { explanation: '撤回' } });
    expect(audit.actions()).toEqual(['WITHDRAWN']);
    expect(workflow.stopped).toHaveLength(2);
  });
});

describe('withdrawSubmission after publication', () => {
  it('appends a WITHDRAWN catalog event with the new 效力状态 and keeps the bundle', async () => {
    const { deps, catalog, submissions, audit, published } = setup(aPublishedSubmission());
    const result = await withdrawSubmission(deps, {
      ...request,
      body: { validity: 'EXPIRED', explanation: '有效期届满' },
    });
    expect(result).toMatchObject({ status: 'WITHDRAWN', catalogSequence: 2 });
    expect(catalog.events).toEqual([
      expect.objectContaining({
        eventId: `WITHDRAWN#${IDS.bundle}`,
        type: 'WITHDRAWN',
        validity: 'EXPIRED',
        explanation: '有效期届满',
        manifestKey: `bundles/${IDS.bundle}/manifest.json`,
      }),
    ]);
    expect(catalog.entries.get(IDS.bundle)).toMatchObject({
      validity: 'EXPIRED',
      lastSequence: 2,
      indexNumber: '640100-141/2019-00064',
    });
    expect(submissions.items.get(IDS.submission)?.status).toBe('WITHDRAWN');
    expect(audit.events).toMatchObject([{ action: 'WITHDRAWN', detail: { bundleId: IDS.bundle } }]);
    // The static feeds are regenerated from the catalog; nothing under bundles/ is written.
    expect([...published.objects.keys()].some((key) => key.startsWith('bundles/'))).toBe(false);
    const feeds = [...published.objects.keys()].map((key) => published.text(key) ?? '').join('\n');
    expect(feeds).toContain('EXPIRED');
  });

  it('supersedes a publication when a replacement bundle is named', async () => {
    const { deps, catalog, submissions } = setup(aPublishedSubmission());
    await withdrawSubmission(deps, {
      ...request,
      body: { validity: 'REPEALED', explanation: '已由新政策替代', replacementBundleId: REPLACEMENT },
    });
    expect(catalog.events[0]).toMatchObject({
      type: 'SUPERSEDED',
      supersededBy: REPLACEMENT,
      validity: 'REPEALED',
    });
    expect(submissions.items.get(IDS.submission)?.status).toBe('SUPERSEDED');
  });

  it('refuses a replacement that is not in the catalog', async () => {
    const { deps, catalog } = setup(aPublishedSubmission());
    await expect(
      withdrawSubmission(deps, {
        ...request,
        body: {
          validity: 'REPEALED',
          explanation: '替代',
          replacementBundleId: '01HZY8K3Q4M5N6P7R8S9T0V1B9',
        },
      }),
    ).rejects.toMatchObject({ name: 'ReplacementNotFoundError' });
    expect(catalog.events).toEqual([]);
  });

  it('requires the new 效力状态 of a published document', async () => {
    const { deps } = setup(aPublishedSubmission());
    await expect(
      withdrawSubmission(deps, { ...request, body: { explanation: '撤回' } }),
    ).rejects.toMatchObject({
      violations: [expect.objectContaining({ field: 'validity', code: 'VALIDITY_REQUIRED' })],
    });
  });

  it('records one catalog event when the withdrawal is repeated', async () => {
    const { deps, catalog, audit } = setup(aPublishedSubmission());
    const body = { validity: 'EXPIRED', explanation: '有效期届满' };
    await withdrawSubmission(deps, { ...request, body });
    await withdrawSubmission(deps, { ...request, body });
    expect(catalog.events).toHaveLength(1);
    expect(audit.actions()).toEqual(['WITHDRAWN']);
  });
});

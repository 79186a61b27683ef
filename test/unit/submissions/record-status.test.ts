import { describe, expect, it } from 'vitest';
import type { Submission } from '../../../shared/domain/index.js';
import type { ReviewStepRecord } from '../../../shared/ports/approval-store.js';
import type { CatalogEntry } from '../../../shared/ports/catalog-store.js';
import { STATIC_FEED_KEYS } from '../../../shared/publication/feeds.js';
import { type RecordStatusRequest, recordStatus } from '../../../shared/submissions/index.js';
import { aPublishedSubmission, aSubmission, IDS } from '../../support/builders.js';
import {
  InMemoryApprovalStore,
  InMemoryAuditLog,
  InMemoryCatalogStore,
  InMemoryObjectStore,
  InMemorySubmissionStore,
} from '../../support/fakes.js';

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

/** The catalog entry Verify wrote for the submission's bundle. */
function aListedEntry(overrides: Partial<CatalogEntry> = {}): CatalogEntry {
  return {
    bundleId: IDS.bundle,
    submissionId: IDS.submission,
    revision: 1,
    indexNumber: '640100-141/2019-00064',
    title: '银川市大数据产业发展服务中心2019年政务公开实施方案',
    issuingBody: '银川市大数据产业发展服务中心',
    writtenDate: '2019-07-19',
    publishedAt: '2019-07-19T08:00:00.000Z',
    subjectCategory: '综合政务/政务公开',
    validity: 'VALID',
    manifestKey: `bundles/${IDS.bundle}/manifest.json`,
    manifestSha256: 'b'.repeat(64),
    lastSequence: 1,
    ...overrides,
  };
}

/** A published bucket whose writes fail while `failing` is set, as when S3 keeps answering 503. */
class FlakyObjectStore extends InMemoryObjectStore {
  failing = false;

  override async put(key: string, body: Uint8Array | string, options: { contentType?: string } = {}) {
    if (this.failing) throw new Error('S3 unavailable');
    await super.put(key, body, options);
  }
}

async function setup(submission: Submission, steps: ReviewStepRecord[] = [], entries: CatalogEntry[] = []) {
  const submissions = new InMemorySubmissionStore([submission]);
  const audit = new InMemoryAuditLog();
  const approvals = new InMemoryApprovalStore();
  const catalog = new InMemoryCatalogStore(entries);
  const published = new FlakyObjectStore();
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
  return {
    deps: { submissions, audit, approvals, catalog, published, now: () => NOW },
    submissions,
    audit,
    approvals,
    catalog,
    published,
  };
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

describe('recordStatus after Verify listed the bundle', () => {
  const failed = request({ status: 'FAILED', reason: 'TASK_FAILED', error: { Error: 'ServiceUnavailable' } });
  /** Validity of the bundle in each static feed that names it, by feed. */
  function feedValidity(published: InMemoryObjectStore): { catalog: unknown[]; feed: unknown[] } {
    const catalog = JSON.parse(published.text(STATIC_FEED_KEYS.basicCatalogJson) ?? '{"items":[]}') as {
      items: { bundleId: string; validity: string }[];
    };
    const feed = JSON.parse(published.text(STATIC_FEED_KEYS.jsonFeed) ?? '{"items":[]}') as {
      items: { _gongkai: { bundleId: string; validity: string } }[];
    };
    return {
      catalog: catalog.items.filter((item) => item.bundleId === IDS.bundle).map((item) => item.validity),
      feed: feed.items
        .filter((item) => item._gongkai.bundleId === IDS.bundle)
        .map((item) => item._gongkai.validity),
    };
  }

  it('unlists the bundle of a revision that fails, rewrites the feeds, then records FAILED', async () => {
    const { deps, submissions, catalog, published, audit } = await setup(
      aPublishedSubmission({ status: 'SCHEDULED', publishedAt: undefined }),
      [],
      [aListedEntry()],
    );
    const result = await recordStatus(deps, failed);
    expect(result).toEqual({ status: 'FAILED', changed: true, audited: true });
    expect(submissions.items.get(IDS.submission)?.status).toBe('FAILED');
    expect(catalog.events).toEqual([
      expect.objectContaining({
        eventId: `WITHDRAWN#${IDS.bundle}`,
        type: 'WITHDRAWN',
        bundleId: IDS.bundle,
        validity: 'EXPIRED',
        sequence: 2,
      }),
    ]);
    expect(catalog.entries.get(IDS.bundle)).toMatchObject({ validity: 'EXPIRED', lastSequence: 2 });
    expect(feedValidity(published)).toEqual({ catalog: ['EXPIRED'], feed: ['EXPIRED'] });
    expect(audit.events).toMatchObject([
      {
        action: 'FAILED',
        fromStatus: 'SCHEDULED',
        toStatus: 'FAILED',
        detail: { errorName: 'ServiceUnavailable', bundleId: IDS.bundle },
      },
    ]);
  });

  it('adds nothing when run again: one catalog event, one audit event, the same feeds', async () => {
    const { deps, catalog, published, audit } = await setup(
      aPublishedSubmission({ status: 'SCHEDULED', publishedAt: undefined }),
      [],
      [aListedEntry()],
    );
    await recordStatus(deps, failed);
    const feeds = published.text(STATIC_FEED_KEYS.basicCatalogJson);
    const again = await recordStatus(deps, failed);
    expect(again).toEqual({ status: 'FAILED', changed: false, audited: false });
    expect(catalog.events).toHaveLength(1);
    expect(audit.events).toHaveLength(1);
    expect(published.text(STATIC_FEED_KEYS.basicCatalogJson)).toBe(feeds);
  });

  it('leaves the revision unsettled when the feeds cannot be written, and a retry finishes the job', async () => {
    const { deps, submissions, catalog, published, audit } = await setup(
      aPublishedSubmission({ status: 'SCHEDULED', publishedAt: undefined }),
      [],
      [aListedEntry()],
    );
    published.failing = true;
    await expect(recordStatus(deps, failed)).rejects.toThrow('S3 unavailable');
    expect(submissions.items.get(IDS.submission)?.status).toBe('SCHEDULED');
    expect(audit.events).toEqual([]);

    published.failing = false;
    await recordStatus(deps, failed);
    expect(catalog.events).toHaveLength(1);
    expect(feedValidity(published)).toEqual({ catalog: ['EXPIRED'], feed: ['EXPIRED'] });
    expect(submissions.items.get(IDS.submission)?.status).toBe('FAILED');
    expect(audit.events).toMatchObject([{ action: 'FAILED', detail: { bundleId: IDS.bundle } }]);
  });

  it('changes no catalog when the failed revision has no listed bundle', async () => {
    const { deps, catalog, published, submissions } = await setup(
      aPublishedSubmission({ status: 'SCHEDULED', publishedAt: undefined }),
    );
    await recordStatus(deps, failed);
    expect(submissions.items.get(IDS.submission)?.status).toBe('FAILED');
    expect(catalog.events).toEqual([]);
    expect(catalog.entries.size).toBe(0);
    expect(published.objects.size).toBe(0);
  });

  it('keeps the listing of a revision already recorded PUBLISHED (a failure after RecordPublished)', async () => {
    const { deps, catalog, published, submissions, audit } = await setup(
      aPublishedSubmission(),
      [],
      [aListedEntry()],
    );
    await recordStatus(deps, failed);
    await recordStatus(deps, request({ status: 'FAILED', reason: 'NOTIFY_FAILED' }));
    expect(submissions.items.get(IDS.submission)?.status).toBe('PUBLISHED');
    expect(catalog.events).toEqual([]);
    expect(catalog.entries.get(IDS.bundle)?.validity).toBe('VALID');
    expect(published.objects.size).toBe(0);
    expect(audit.events.map((event) => event.action)).toEqual(['FAILED']);
  });
});

import { describe, expect, it, vi } from 'vitest';
import { deidentifyHtml, deidentifyText } from '../../../shared/deid/index.js';
import type { Submission } from '../../../shared/domain/index.js';
import { workKeys } from '../../../shared/storage-keys.js';
import { type DeidentificationEngine, deidentifySubmission } from '../../../shared/submissions/index.js';
import { aMetadata, aSubmission, IDS } from '../../support/builders.js';
import { InMemoryAuditLog, InMemoryObjectStore, InMemorySubmissionStore } from '../../support/fakes.js';

const NOW = new Date('2019-07-19T10:05:00+08:00');
const PHONE = '13912345678';
const POLICY_TEXT = `实施方案\n举报人王某某，联系手机${PHONE}。`;
const INTERPRETATION_TEXT = '关于实施方案的解读。';

async function setup(
  overrides: Partial<Submission> = {},
  engine: DeidentificationEngine = { deidentifyText, deidentifyHtml },
) {
  const submission = aSubmission({ status: 'DEIDENTIFYING', ...overrides });
  const submissions = new InMemorySubmissionStore([submission]);
  const audit = new InMemoryAuditLog();
  const work = new InMemoryObjectStore();
  const [policy, interpretation] = submission.documents;
  if (policy === undefined || interpretation === undefined) throw new Error('builder changed');
  await work.put(workKeys.text(IDS.submission, 1, policy.id), POLICY_TEXT);
  await work.put(
    workKeys.html(IDS.submission, 1, policy.id),
    `<p>${POLICY_TEXT.replace('\n', '</p><p>')}</p>`,
  );
  await work.put(workKeys.text(IDS.submission, 1, interpretation.id), INTERPRETATION_TEXT);
  await work.put(workKeys.html(IDS.submission, 1, interpretation.id), `<p>${INTERPRETATION_TEXT}</p>`);
  const deps = { submissions, audit, work, engine, now: () => NOW };
  return { deps, submissions, audit, work, policy, interpretation };
}

const input = { submissionId: IDS.submission, revision: 1 };

describe('deidentifySubmission', () => {
  it('writes redacted text, redacted and highlighted HTML for every document and moves to IN_REVIEW', async () => {
    const { deps, work, submissions, audit, policy } = await setup();
    const result = await deidentifySubmission(deps, input);
    expect(result.redactionCount).toBeGreaterThan(0);
    expect(Object.keys(result)).toEqual(['redactionCount']);
    expect(work.text(workKeys.redactedText(IDS.submission, 1, policy.id))).not.toContain(PHONE);
    expect(work.text(workKeys.redactedHtml(IDS.submission, 1, policy.id))).not.toContain(PHONE);
    expect(work.text(workKeys.highlightedHtml(IDS.submission, 1, policy.id))).toContain('<mark');
    expect(submissions.items.get(IDS.submission)?.status).toBe('IN_REVIEW');
    expect(audit.events).toMatchObject([
      { action: 'DEIDENTIFIED', toStatus: 'IN_REVIEW', detail: { redactionCount: result.redactionCount } },
    ]);
  });

  it('writes one report for the revision with counts and masked previews, never the raw value', async () => {
    const { deps, work } = await setup();
    const { redactionCount } = await deidentifySubmission(deps, input);
    const raw = work.text(workKeys.redactionReport(IDS.submission, 1)) ?? '';
    expect(raw).not.toContain(PHONE);
    const report = JSON.parse(raw);
    expect(report.total).toBe(redactionCount);
    expect(report.counts.mobile).toBe(1);
    expect(report.documents).toHaveLength(2);
  });

  it('passes the declared privacy exemption to the engine', async () => {
    const engine = {
      deidentifyText: vi.fn((text: string) => ({ text, report: { total: 0, counts: {}, items: [] } })),
      deidentifyHtml: vi.fn((html: string) => ({ html, report: { total: 0, counts: {}, items: [] } })),
    };
    const metadata = aMetadata({
      privacyExemption: { kind: 'punishment-publicity', basis: '行政处罚公示规定' },
    });
    const { deps } = await setup({ metadata }, engine);
    await deidentifySubmission(deps, input);
    expect(engine.deidentifyText).toHaveBeenCalledWith(expect.any(String), {
      exemption: 'punishment-publicity',
    });
    expect(engine.deidentifyHtml).toHaveBeenCalledWith(expect.any(String), {
      exemption: 'punishment-publicity',
      highlight: true,
    });
  });

  it('fails when Validate’s text is missing rather than publishing nothing', async () => {
    const { deps, work, policy, submissions } = await setup();
    await work.delete(workKeys.text(IDS.submission, 1, policy.id));
    await expect(deidentifySubmission(deps, input)).rejects.toMatchObject({
      name: 'WorkProductMissingError',
    });
    expect(submissions.items.get(IDS.submission)?.status).toBe('DEIDENTIFYING');
  });

  it('audits once when retried after success', async () => {
    const { deps, audit } = await setup();
    await deidentifySubmission(deps, input);
    await deidentifySubmission(deps, input);
    expect(audit.actions()).toEqual(['DEIDENTIFIED']);
  });

  it('refuses a revision that is not being de-identified', async () => {
    const { deps, work } = await setup({ status: 'SCHEDULED' });
    const before = work.objects.size;
    await expect(deidentifySubmission(deps, input)).rejects.toMatchObject({ name: 'IllegalTransitionError' });
    expect(work.objects.size).toBe(before);
  });
});

import { describe, expect, it } from 'vitest';
import type { Submission } from '../../../shared/domain/index.js';
import { notifyDrafter } from '../../../shared/submissions/index.js';
import { aPublishedSubmission, aSubmission, IDS } from '../../support/builders.js';
import { FakeMailer, InMemoryAuditLog, InMemorySubmissionStore } from '../../support/fakes.js';

const NOW = new Date('2019-07-22T10:00:00+08:00');

function setup(submission: Submission) {
  const submissions = new InMemorySubmissionStore([submission]);
  const audit = new InMemoryAuditLog();
  const mailer = new FakeMailer();
  return { deps: { submissions, audit, mailer, now: () => NOW }, audit, mailer };
}

const base = { submissionId: IDS.submission, revision: 1 };

describe('notifyDrafter', () => {
  it('tells the drafter of a publication with its 索引号 and bundle, and audits NOTIFIED', async () => {
    const { deps, mailer, audit } = setup(aPublishedSubmission());
    expect(await notifyDrafter(deps, { ...base, outcome: 'PUBLISHED', bundleId: IDS.bundle })).toEqual({
      sent: true,
    });
    expect(mailer.sent).toHaveLength(1);
    const mail = mailer.sent[0];
    expect(mail?.to).toBe('liwen@example.gov.cn');
    expect(mail?.subject).toContain('已发布');
    expect(mail?.text).toContain('索引号：640100-141/2019-00064');
    expect(mail?.html).toContain(IDS.bundle);
    expect(audit.events).toMatchObject([
      { action: 'NOTIFIED', actor: { role: 'system' }, detail: { bundleId: IDS.bundle } },
    ]);
  });

  it('sends the approver’s comment on a return, escaped in the HTML', async () => {
    const { deps, mailer } = setup(
      aSubmission({ status: 'RETURNED', returnedComment: '<script>alert(1)</script> 请补充' }),
    );
    await notifyDrafter(deps, { ...base, outcome: 'RETURNED' });
    const mail = mailer.sent[0];
    expect(mail?.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; 请补充');
    expect(mail?.html).not.toContain('<script>');
    expect(mail?.text).toContain('退回意见：<script>alert(1)</script> 请补充');
  });

  it('escapes the title in the HTML body', async () => {
    const { deps, mailer } = setup(
      aSubmission({ status: 'REGISTERED', metadata: { title: '方案<b>"x"</b>' } }),
    );
    await notifyDrafter(deps, { ...base, outcome: 'REGISTERED' });
    expect(mailer.sent[0]?.html).toContain('方案&lt;b&gt;&quot;x&quot;&lt;/b&gt;');
  });

  it('explains a failure in general terms with what to do', async () => {
    const { deps, mailer } = setup(aSubmission({ status: 'FAILED' }));
    await notifyDrafter(deps, { ...base, outcome: 'FAILED' });
    expect(mailer.sent[0]?.text).toContain('新的修订版本');
    expect(mailer.sent[0]?.text).toContain(IDS.submission);
  });

  it('does not mail twice for one revision', async () => {
    const { deps, mailer, audit } = setup(aPublishedSubmission());
    await notifyDrafter(deps, { ...base, outcome: 'PUBLISHED' });
    expect(await notifyDrafter(deps, { ...base, outcome: 'PUBLISHED' })).toEqual({ sent: false });
    expect(mailer.sent).toHaveLength(1);
    expect(audit.actions()).toEqual(['NOTIFIED']);
  });
});

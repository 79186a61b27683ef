import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ReviewStepClosedError, UnknownReviewStepError } from '../../../shared/review/errors.js';
import { requestApproval } from '../../../shared/review/request-approval.js';
import { aMetadata, aReviewStep } from '../../support/builders.js';
import {
  APPROVAL_BASE_URL,
  aTaskToken,
  createReviewWorld,
  FIRST_APPROVER,
  SECOND_APPROVER,
  secretsFromMails,
} from '../../support/review-fakes.js';

const sha256 = (value: string) => createHash('sha256').update(value, 'utf8').digest('hex');

describe('Function: requestApproval', () => {
  it('mails each approver of the step its own link and stores only the hash of each secret', async () => {
    // Prepare
    const world = createReviewWorld();

    // Act
    const secrets = await world.request(0, aTaskToken());

    // Assess
    expect(world.mailer.sent.map((mail) => mail.to).sort()).toEqual(
      [FIRST_APPROVER.email, SECOND_APPROVER.email].sort(),
    );
    expect(secrets.size).toBe(2);
    const [first, second] = [...secrets.values()];
    expect(first).not.toBe(second);
    const stored = JSON.stringify([...world.approvals.links.values(), ...world.approvals.steps.values()]);
    for (const secret of secrets.values()) {
      expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(world.approvals.links.get(sha256(secret))).toMatchObject({
        approverId: expect.stringMatching(/^approver-00[12]$/),
        taskToken: aTaskToken(),
        attempt: 0,
        status: 'PENDING',
      });
      expect(stored).not.toContain(secret);
    }
    const mailToFirst = world.mailer.sent.find((mail) => mail.to === FIRST_APPROVER.email);
    expect(mailToFirst?.text).toContain(`${APPROVAL_BASE_URL}/${secrets.get(FIRST_APPROVER.email)}`);
  });

  it('sets the links to expire after the step time limit', async () => {
    // Prepare
    const world = createReviewWorld();

    // Act
    await world.request();

    // Assess: 72 hours after 2019-07-19T02:00Z
    const step = world.approvals.steps.values().next().value;
    expect(step?.expiresAt).toBe('2019-07-22T02:00:00.000Z');
    for (const link of world.approvals.links.values())
      expect(link.expiresAt).toBe('2019-07-22T02:00:00.000Z');
  });

  it('writes the title, issuing body, document number, step and deadline into the mail, never the task token', async () => {
    // Prepare
    const world = createReviewWorld();
    const token = aTaskToken('secret-token');

    // Act
    await world.request(0, token);

    // Assess
    for (const mail of world.mailer.sent) {
      for (const part of [mail.subject, mail.text, mail.html]) expect(part).not.toContain(token);
      expect(mail.text).toContain(world.submission.metadata.title);
      expect(mail.text).toContain('发布机构：银川市大数据产业发展服务中心');
      expect(mail.text).toContain('文号：银大数发〔2019〕12号');
      expect(mail.text).toContain('审查环节：审签');
      expect(mail.text).toContain('2019年7月22日 10:00（北京时间）');
      expect(mail.subject).toMatch(/^【待审核】/);
    }
  });

  it('escapes a hostile title in the mail', async () => {
    // Prepare
    const hostile = '<script>alert(1)</script>"><img src=x onerror=alert(2)>';
    const world = createReviewWorld({ metadata: { title: hostile } });

    // Act
    await world.request();

    // Assess
    const mail = world.mailer.sent[0];
    expect(mail?.html).not.toContain('<script>alert(1)');
    expect(mail?.html).not.toContain('<img src=x');
    expect(mail?.html).toContain(
      '&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(2)&gt;',
    );
  });

  it('records APPROVAL_REQUESTED by the system with the step id and no personal data', async () => {
    // Prepare
    const world = createReviewWorld();

    // Act
    await world.request();

    // Assess
    expect(world.audit.events).toEqual([
      expect.objectContaining({
        action: 'APPROVAL_REQUESTED',
        actor: { id: 'system', role: 'system' },
        detail: { reviewStepId: 'sign-off', reviewStepIndex: 0 },
      }),
    ]);
  });

  it('sends no second mail when the same attempt is retried, and points the links at the new task token', async () => {
    // Prepare
    const world = createReviewWorld();
    await world.request(0, aTaskToken('before-retry'));

    // Act
    const again = await world.request(0, aTaskToken('after-retry'));

    // Assess
    expect(again.size).toBe(0);
    expect(world.mailer.sent).toHaveLength(2);
    for (const link of world.approvals.links.values()) expect(link.taskToken).toBe(aTaskToken('after-retry'));
    expect(world.audit.events).toHaveLength(1);
  });

  it('stores the links before mailing, so a link works the moment its mail arrives', async () => {
    // Prepare
    const world = createReviewWorld();
    const storedWhenMailed: boolean[] = [];
    const send = world.mailer.send.bind(world.mailer);
    world.mailer.send = async (message) => {
      const secret = [...secretsFromMails([message]).values()][0] ?? '';
      storedWhenMailed.push(world.approvals.links.has(sha256(secret)));
      await send(message);
    };

    // Act
    await world.request();

    // Assess
    expect(storedWhenMailed).toEqual([true, true]);
    expect(world.approvals.steps.values().next().value?.mailedAt).toBe(world.clock.now().toISOString());
  });

  it('issues a fresh set when mailing failed, and the earlier links no longer decide', async () => {
    // Prepare
    const world = createReviewWorld();
    world.mailer.failAt = 1;
    const failed = world.request();
    await expect(failed).rejects.toThrow('Throttling');
    const [early] = secretsFromMails(world.mailer.sent).values();
    if (early === undefined) throw new Error('no mail before the failure');

    // Act
    const secrets = await world.request();

    // Assess
    const step = world.approvals.steps.values().next().value;
    expect(step?.linkHashes.sort()).toEqual([...secrets.values()].map(sha256).sort());
    expect(step?.mailedAt).toBeDefined();
    expect(secrets.size).toBe(2);
    const earlyLink = world.approvals.links.get(sha256(early));
    if (earlyLink === undefined) throw new Error('the early link was not stored');
    expect(
      await world.approvals.decide(earlyLink, { status: 'APPROVED', at: world.clock.now().toISOString() }),
    ).toBe(false);
    expect(world.audit.events.filter((event) => event.action === 'APPROVAL_REQUESTED')).toHaveLength(1);
  });

  it('records the request once, and mails once, when its audit write failed and the task is retried', async () => {
    // Prepare
    const world = createReviewWorld();
    const append = world.audit.append.bind(world.audit);
    world.audit.append = async () => {
      throw Object.assign(new Error('ServiceUnavailable'), { name: 'ServiceUnavailable' });
    };
    await expect(world.request(0, aTaskToken('before-retry'))).rejects.toThrow('ServiceUnavailable');
    world.audit.append = append;

    // Act
    await world.request(0, aTaskToken('after-retry'));
    await world.request(0, aTaskToken('second-retry'));

    // Assess
    expect(world.mailer.sent).toHaveLength(2);
    expect(world.audit.events.map((event) => event.action)).toEqual(['APPROVAL_REQUESTED']);
  });

  it('sends a reminder with new links that replace the old ones and counts an approval near its deadline', async () => {
    // Prepare
    const world = createReviewWorld();
    const first = await world.request(0);
    world.clock.advanceHours(72);

    // Act
    const reminder = await world.request(1, aTaskToken('reminder'));

    // Assess
    expect(world.metrics.nearDeadline).toBe(1);
    const step = world.approvals.steps.values().next().value;
    expect(step).toMatchObject({ attempt: 1, status: 'PENDING' });
    expect(step?.linkHashes.sort()).toEqual([...reminder.values()].map(sha256).sort());
    for (const secret of first.values()) expect(step?.linkHashes).not.toContain(sha256(secret));
    const reminderMails = world.mailer.sent.slice(2);
    expect(reminderMails).toHaveLength(2);
    for (const mail of reminderMails) {
      expect(mail.subject).toMatch(/^【审核提醒·第1次】/);
      expect(mail.text).toContain('此前发送的审核链接已作废');
    }
  });

  it('counts no approval near its deadline on the first request', async () => {
    // Prepare
    const world = createReviewWorld();

    // Act
    await world.request(0);

    // Assess
    expect(world.metrics.nearDeadline).toBe(0);
  });

  it('refuses a step that the revision does not have', async () => {
    // Prepare
    const world = createReviewWorld();

    // Act
    const result = requestApproval(
      {
        submissionId: world.submission.id,
        revision: 1,
        stepId: 'no-such-step',
        attempt: 0,
        taskToken: aTaskToken(),
      },
      world.requestDependencies,
    );

    // Assess
    await expect(result).rejects.toBeInstanceOf(UnknownReviewStepError);
    expect(world.mailer.sent).toHaveLength(0);
  });

  it('hands a decision that was not delivered to the reminder task, and mails nobody', async () => {
    // Prepare: approved, but the page's hand-over never reached the workflow
    const world = createReviewWorld();
    await world.request(0);
    const link = world.approvals.links.values().next().value;
    if (link === undefined) throw new Error('no link');
    await world.approvals.decide(link, { status: 'APPROVED', at: world.clock.now().toISOString() });

    // Act
    await world.request(1, aTaskToken('reminder'));
    await world.request(1, aTaskToken('reminder-retry'));

    // Assess
    expect(world.mailer.sent).toHaveLength(2);
    expect(world.workflow.answers).toEqual([
      { kind: 'success', taskToken: aTaskToken('reminder'), output: { decision: 'APPROVED' } },
      { kind: 'success', taskToken: aTaskToken('reminder-retry'), output: { decision: 'APPROVED' } },
    ]);
    const approvals = world.audit.events.filter((event) => event.action === 'APPROVED');
    expect(approvals).toEqual([
      expect.objectContaining({ actor: { id: link.approverId, role: 'approver' }, revision: 1 }),
    ]);
  });

  it('records the request a failed invocation could not, when its retry finds the step decided', async () => {
    // Prepare: stored and mailed, the audit write failed, and an approver decided before the retry
    const world = createReviewWorld();
    const append = world.audit.append.bind(world.audit);
    world.audit.append = async () => {
      throw Object.assign(new Error('ServiceUnavailable'), { name: 'ServiceUnavailable' });
    };
    await expect(world.request(0, aTaskToken('before-retry'))).rejects.toThrow('ServiceUnavailable');
    world.audit.append = append;
    const link = world.approvals.links.values().next().value;
    if (link === undefined) throw new Error('no link');
    await world.approvals.decide(link, { status: 'APPROVED', at: world.clock.now().toISOString() });

    // Act
    await world.request(0, aTaskToken('after-retry'));

    // Assess
    expect(world.audit.events.map((event) => event.action)).toEqual(['APPROVAL_REQUESTED', 'APPROVED']);
    expect(world.workflow.answers.map((answer) => answer.taskToken)).toEqual([aTaskToken('after-retry')]);
  });

  it('hands a rejection over with its comment when the retried task finds the step decided', async () => {
    // Prepare: the rejection landed between a failed invocation and its retry
    const world = createReviewWorld();
    await world.request(0, aTaskToken('before-retry'));
    const link = world.approvals.links.values().next().value;
    if (link === undefined) throw new Error('no link');
    await world.approvals.decide(link, {
      status: 'REJECTED',
      comment: '请补充政策依据。',
      at: world.clock.now().toISOString(),
    });

    // Act
    await world.request(0, aTaskToken('after-retry'));

    // Assess
    expect(world.workflow.answers).toEqual([
      expect.objectContaining({
        kind: 'failure',
        taskToken: aTaskToken('after-retry'),
        error: 'ReviewRejected',
      }),
    ]);
    expect(world.submissions.patches).toEqual([{ returnedComment: '请补充政策依据。' }]);
    expect(JSON.stringify(world.workflow.answers)).not.toContain('政策依据');
  });

  it('hands over a decision that lands while a retry moves the links to its token', async () => {
    // Prepare: the decision is written after the retry read the step, before it re-reads it
    const world = createReviewWorld();
    await world.request(0, aTaskToken('before-retry'));
    const link = world.approvals.links.values().next().value;
    if (link === undefined) throw new Error('no link');
    const setTaskToken = world.approvals.setTaskToken.bind(world.approvals);
    world.approvals.setTaskToken = async (hashes, token) => {
      await world.approvals.decide(link, { status: 'APPROVED', at: world.clock.now().toISOString() });
      await setTaskToken(hashes, token);
    };

    // Act
    await world.request(0, aTaskToken('after-retry'));

    // Assess
    expect(world.workflow.answers).toEqual([
      { kind: 'success', taskToken: aTaskToken('after-retry'), output: { decision: 'APPROVED' } },
    ]);
  });

  it('refuses a reminder for a step whose review expired', async () => {
    // Prepare
    const world = createReviewWorld();
    await world.request(0);
    await world.approvals.revokeStep(world.submission.id, 1, 'sign-off', 'EXPIRED');

    // Act
    const reminder = world.request(1);

    // Assess
    await expect(reminder).rejects.toBeInstanceOf(ReviewStepClosedError);
    expect(world.mailer.sent).toHaveLength(2);
  });

  it('audits a step id the audit schema cannot hold by its index only', async () => {
    // Prepare
    const world = createReviewWorld({
      metadata: aMetadata({ reviewSteps: [aReviewStep({ id: '1st-review', approvers: [FIRST_APPROVER] })] }),
    });

    // Act
    await requestApproval(
      {
        submissionId: world.submission.id,
        revision: 1,
        stepId: '1st-review',
        attempt: 0,
        taskToken: aTaskToken(),
      },
      world.requestDependencies,
    );

    // Assess
    expect(world.audit.events[0]?.detail).toEqual({ reviewStepIndex: 0 });
  });

  it('logs neither the link secrets nor the task token', async () => {
    // Prepare
    const world = createReviewWorld();
    const token = aTaskToken('log-canary');

    // Act
    const secrets = await world.request(0, token);
    await world.request(0, aTaskToken('log-canary-retry'));

    // Assess
    expect(world.logger.lines.length).toBeGreaterThan(0);
    expect(world.logger.text).not.toContain('log-canary');
    for (const secret of secrets.values()) {
      expect(world.logger.text).not.toContain(secret);
      expect(world.logger.text).not.toContain(sha256(secret));
    }
    expect(secretsFromMails(world.mailer.sent).size).toBe(2);
  });
});

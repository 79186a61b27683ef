import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PAGE_SECURITY_HEADERS } from '../../../shared/http/security-headers.js';
import type { ApprovalHttpResponse } from '../../../shared/review/approval-page.js';
import { workKeys } from '../../../shared/storage-keys.js';
import {
  aTaskToken,
  createReviewWorld,
  FIRST_APPROVER,
  formPost,
  formTokenOf,
  SECOND_APPROVER,
} from '../../support/review-fakes.js';

const sha256 = (value: string) => createHash('sha256').update(value, 'utf8').digest('hex');

/** A world with links sent, and the first approver's secret and rendered form token. */
async function openReview(overrides?: Parameters<typeof createReviewWorld>[0]) {
  const world = createReviewWorld(overrides);
  const secrets = await world.request(0, aTaskToken());
  const secret = secrets.get(FIRST_APPROVER.email) ?? '';
  const other = secrets.get(SECOND_APPROVER.email) ?? '';
  const page = await world.page({ secret });
  return { world, secret, other, formToken: formTokenOf(page.body), page };
}

function expectSecurityHeaders(response: ApprovalHttpResponse) {
  for (const [name, value] of Object.entries(PAGE_SECURITY_HEADERS))
    expect(response.headers[name]).toBe(value);
  expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(response.headers['content-security-policy']).toContain("form-action 'self'");
  expect(response.headers['x-content-type-options']).toBe('nosniff');
  expect(response.headers['referrer-policy']).toBe('no-referrer');
  expect(response.headers['cache-control']).toBe('no-store');
}

/** Replaces one character of a secret with another valid one. */
function alter(secret: string): string {
  const last = secret.at(-1) === 'A' ? 'B' : 'A';
  return `${secret.slice(0, -1)}${last}`;
}

describe('Function: serveApproval (GET and HEAD)', () => {
  it('shows the metadata, the step with its approvers, the legend, the findings and both documents', async () => {
    // Prepare / Act
    const { page } = await openReview();

    // Assess
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<html lang="zh-CN"');
    expect(page.body).toContain('银川市大数据产业发展服务中心2019年政务公开实施方案');
    expect(page.body).toContain('银大数发〔2019〕12号');
    expect(page.body).toContain('审查环节：审签');
    expect(page.body).toContain('赵审<strong>（您）</strong>');
    expect(page.body).toContain('钱核');
    expect(page.body).toContain('<span class="swatch">姓名</span> 2 处');
    expect(page.body).toContain('<span class="swatch">手机号码</span> 1 处');
    expect(page.body).toContain('解读中的百分比“30%”在原文中未找到');
    expect(page.body).toContain('原文：实施方案.docx');
    expect(page.body).toContain('解读：实施方案解读.docx');
    expect(page.body).toContain('<mark class="redaction" data-type="person-name">王*</mark>');
    expect(page.body).toMatch(
      /<form method="post">[\s\S]*name="decision" value="approve"[\s\S]*name="decision" value="reject"/,
    );
    expect(page.body).toContain('<textarea id="comment" name="comment"');
    expect(page.body).not.toMatch(/<script|<link |src="http/);
  });

  it('never decides on GET or HEAD, however often a scanner fetches the link', async () => {
    // Prepare
    const { world, secret } = await openReview();
    const writesBefore = world.approvals.writes.length;

    // Act
    for (let index = 0; index < 3; index++) {
      await world.page({ secret, method: 'GET' });
      await world.page({ secret, method: 'HEAD' });
    }

    // Assess
    expect(world.approvals.writes.slice(writesBefore)).toEqual([]);
    expect(world.workflow.answers).toEqual([]);
    expect(world.approvals.steps.values().next().value?.status).toBe('PENDING');
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    // Prepare
    const { world, secret } = await openReview();

    // Act
    const head = await world.page({ secret, method: 'HEAD' });

    // Assess
    expect(head.statusCode).toBe(200);
    expect(head.body).toBe('');
    expectSecurityHeaders(head);
  });

  it('shows the 长者版 with larger type when asked with ?elder=1', async () => {
    // Prepare
    const { world, secret } = await openReview();

    // Act
    const elder = await world.page({ secret, query: { elder: '1' } });

    // Assess
    expect(elder.body).toContain('<html lang="zh-CN" class="elder">');
    expect(elder.body).toContain('href="?elder=0"');
    expect(elder.body).toContain('html.elder{font-size:130%}');
  });

  it('escapes a hostile title everywhere on the page', async () => {
    // Prepare / Act
    const hostile = '<script>alert(1)</script>"><img src=x onerror=alert(2)>';
    const { page } = await openReview({ metadata: { title: hostile } });

    // Assess
    expect(page.body).not.toContain('<script>');
    expect(page.body).not.toContain('<img src=x');
    expect(page.body).toContain(
      '&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(2)&gt;',
    );
  });

  it('shows the safe HTML without a redaction legend for 依申请公开', async () => {
    // Prepare / Act
    const { page } = await openReview({
      metadata: { disclosure: { attribute: 'ON_REQUEST', reason: '涉及内部管理信息，依申请提供' } },
    });

    // Assess
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<p>安全正文 policy</p>');
    expect(page.body).toContain('未做去标识化处理');
    expect(page.body).not.toContain('data-type="person-name"');
  });

  it('still shows the page, with notices, when the work objects are missing', async () => {
    // Prepare
    const { world, secret } = await openReview();
    world.work.objects.clear();

    // Act
    const page = await world.page({ secret });

    // Assess
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('该文件的内容暂时无法显示');
    expect(page.body).toContain('去标识化报告暂时无法读取');
    expect(page.body).toContain('一致性核对结果暂时无法读取');
  });

  it('answers 404 for an altered secret and for malformed ones', async () => {
    // Prepare
    const { world, secret } = await openReview();

    // Act
    const answers = await Promise.all(
      [alter(secret), 'abc', '../../etc/passwd', `${secret}x`, ''].map((candidate) =>
        world.page({ secret: candidate }),
      ),
    );

    // Assess
    for (const answer of answers) {
      expect(answer.statusCode).toBe(404);
      expectSecurityHeaders(answer);
    }
  });

  it('answers 410 once the link has expired', async () => {
    // Prepare
    const { world, secret } = await openReview();
    world.clock.advanceHours(72);

    // Act
    const page = await world.page({ secret });

    // Assess
    expect(page.statusCode).toBe(410);
    expect(page.body).toContain('审核链接已过期');
  });
});

describe('Function: serveApproval (POST)', () => {
  it('approves: ends the task once with APPROVED, marks the link delivered and audits the approver', async () => {
    // Prepare
    const { world, secret, formToken } = await openReview();

    // Act
    const result = await world.page(
      formPost(secret, { form_token: formToken, decision: 'approve', comment: '' }),
    );

    // Assess
    expect(result.statusCode).toBe(200);
    expect(result.body).toContain('已处理：同意');
    expectSecurityHeaders(result);
    expect(world.workflow.answers).toEqual([
      { kind: 'success', taskToken: aTaskToken(), output: { decision: 'APPROVED' } },
    ]);
    expect(world.approvals.links.get(sha256(secret))).toMatchObject({ status: 'APPROVED', delivered: true });
    expect(world.approvals.steps.values().next().value).toMatchObject({
      status: 'APPROVED',
      decidedBy: FIRST_APPROVER.id,
    });
    expect(world.audit.events.filter((event) => event.action === 'APPROVED')).toEqual([
      expect.objectContaining({
        actor: { id: FIRST_APPROVER.id, role: 'approver' },
        detail: { reviewStepId: 'sign-off', reviewStepIndex: 0 },
      }),
    ]);
  });

  it('rejects: stores the comment on the submission and fails the task with ReviewRejected and a generic cause', async () => {
    // Prepare
    const { world, secret, formToken } = await openReview();
    const comment = '第三条补贴比例与解读不一致，请核对后重新提交。';

    // Act
    const result = await world.page(formPost(secret, { form_token: formToken, decision: 'reject', comment }));

    // Assess
    expect(result.statusCode).toBe(200);
    expect(result.body).toContain('已处理：退回修改');
    expect(world.workflow.answers).toEqual([
      { kind: 'failure', taskToken: aTaskToken(), error: 'ReviewRejected', cause: 'rejected by reviewer' },
    ]);
    expect((await world.submissions.get(world.submission.id))?.returnedComment).toBe(comment);
    expect(world.approvals.steps.values().next().value).toMatchObject({ status: 'REJECTED', comment });
    expect(world.audit.events.map((event) => event.action)).toContain('REJECTED');
  });

  it('refuses a rejection without a comment with 400 and records nothing', async () => {
    // Prepare
    const { world, secret, formToken } = await openReview();

    // Act
    const result = await world.page(
      formPost(secret, { form_token: formToken, decision: 'reject', comment: '   ' }),
    );

    // Assess
    expect(result.statusCode).toBe(400);
    expect(result.body).toContain('退回时必须填写审核意见');
    expect(result.body).toContain('aria-invalid="true"');
    expectSecurityHeaders(result);
    expect(world.approvals.writes).not.toContain('decide');
    expect(world.workflow.answers).toEqual([]);
    expect(world.submissions.patches).toEqual([]);
    expect(world.approvals.steps.values().next().value?.status).toBe('PENDING');
  });

  it('refuses a form without a decision and a comment over 2,000 characters with 400', async () => {
    // Prepare
    const { world, secret, formToken } = await openReview();

    // Act
    const noDecision = await world.page(formPost(secret, { form_token: formToken, comment: '好' }));
    const tooLong = await world.page(
      formPost(secret, { form_token: formToken, decision: 'approve', comment: '长'.repeat(2001) }),
    );

    // Assess
    expect(noDecision.statusCode).toBe(400);
    expect(tooLong.statusCode).toBe(400);
    expect(world.workflow.answers).toEqual([]);
  });

  it('answers 409 when the same link is used again, and the task is answered only once', async () => {
    // Prepare
    const { world, secret, formToken } = await openReview();
    await world.page(formPost(secret, { form_token: formToken, decision: 'approve' }));

    // Act
    const again = await world.page(
      formPost(secret, { form_token: formToken, decision: 'reject', comment: '改主意了' }),
    );

    // Assess
    expect(again.statusCode).toBe(409);
    expect(world.workflow.answers).toHaveLength(1);
    expect(world.approvals.steps.values().next().value?.status).toBe('APPROVED');
  });

  it('shows 已处理 when the deciding approver opens the link again', async () => {
    // Prepare
    const { world, secret, formToken } = await openReview();
    await world.page(formPost(secret, { form_token: formToken, decision: 'approve' }));

    // Act
    const page = await world.page({ secret });

    // Assess
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('已处理：同意');
    expect(page.body).not.toContain('<form');
  });

  it('answers 409 to another approver of the same step once the step is decided', async () => {
    // Prepare
    const { world, secret, other, formToken } = await openReview();
    const otherToken = formTokenOf((await world.page({ secret: other })).body);
    await world.page(formPost(secret, { form_token: formToken, decision: 'approve' }));

    // Act
    const otherPost = await world.page(
      formPost(other, { form_token: otherToken, decision: 'reject', comment: '不同意' }),
    );
    const otherGet = await world.page({ secret: other });

    // Assess
    expect(otherPost.statusCode).toBe(409);
    expect(otherGet.statusCode).toBe(409);
    expect(world.workflow.answers).toHaveLength(1);
    expect(world.submissions.patches).toEqual([]);
  });

  it('answers 404 to a POST with an altered or malformed secret', async () => {
    // Prepare
    const { world, secret, formToken } = await openReview();

    // Act
    const altered = await world.page(formPost(alter(secret), { form_token: formToken, decision: 'approve' }));
    const malformed = await world.page(
      formPost('not-a-secret', { form_token: formToken, decision: 'approve' }),
    );

    // Assess
    expect(altered.statusCode).toBe(404);
    expect(malformed.statusCode).toBe(404);
    expect(world.workflow.answers).toEqual([]);
  });

  it('answers 410 to a POST after the link expired and records nothing', async () => {
    // Prepare
    const { world, secret, formToken } = await openReview();
    world.clock.advanceHours(72);

    // Act
    const result = await world.page(formPost(secret, { form_token: formToken, decision: 'approve' }));

    // Assess
    expect(result.statusCode).toBe(410);
    expect(world.approvals.writes).not.toContain('decide');
    expect(world.workflow.answers).toEqual([]);
  });

  it('answers 410 for a link replaced by a reminder, while the reminder link decides', async () => {
    // Prepare
    const { world, secret, formToken } = await openReview();
    world.clock.advanceHours(72);
    const reminder = await world.request(1, aTaskToken('reminder'));
    const newSecret = reminder.get(FIRST_APPROVER.email) ?? '';
    world.clock.advanceHours(1);

    // Act
    const oldGet = await world.page({ secret });
    const oldPost = await world.page(formPost(secret, { form_token: formToken, decision: 'approve' }));
    const newToken = formTokenOf((await world.page({ secret: newSecret })).body);
    const newPost = await world.page(formPost(newSecret, { form_token: newToken, decision: 'approve' }));

    // Assess
    expect(oldGet.statusCode).toBe(410);
    expect(oldPost.statusCode).toBe(410);
    expect(newPost.statusCode).toBe(200);
    expect(world.workflow.answers).toEqual([
      { kind: 'success', taskToken: aTaskToken('reminder'), output: { decision: 'APPROVED' } },
    ]);
  });

  it('answers 410 for a link whose review was withdrawn', async () => {
    // Prepare
    const { world, secret, formToken } = await openReview();
    await world.approvals.revokeStep(world.submission.id, 1, 'sign-off', 'REVOKED');

    // Act
    const result = await world.page(formPost(secret, { form_token: formToken, decision: 'approve' }));

    // Assess
    expect(result.statusCode).toBe(410);
    expect(world.workflow.answers).toEqual([]);
  });

  it.each([
    ['Sec-Fetch-Site cross-site', { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' }],
    ['Sec-Fetch-Site same-site', { 'sec-fetch-site': 'same-site' }],
    ['a foreign Origin', { origin: 'https://evil.example' }],
    ['a malformed Origin', { origin: 'not a url' }],
  ])('refuses a POST with %s with 403 and records nothing', async (_label, headers) => {
    // Prepare
    const { world, secret, formToken } = await openReview();

    // Act
    const result = await world.page(
      formPost(secret, { form_token: formToken, decision: 'approve' }, headers),
    );

    // Assess
    expect(result.statusCode).toBe(403);
    expectSecurityHeaders(result);
    expect(world.approvals.writes).not.toContain('decide');
    expect(world.workflow.answers).toEqual([]);
  });

  it('accepts the page own POST from its origin, or with Origin null as no-referrer browsers send it', async () => {
    // Prepare
    const sameOrigin = await openReview();
    const nullOrigin = await openReview();

    // Act
    const fromOrigin = await sameOrigin.world.page(
      formPost(
        sameOrigin.secret,
        { form_token: sameOrigin.formToken, decision: 'approve' },
        { origin: 'https://review.example.gov.cn' },
      ),
    );
    const fromNull = await nullOrigin.world.page(
      formPost(
        nullOrigin.secret,
        { form_token: nullOrigin.formToken, decision: 'approve' },
        { 'sec-fetch-site': 'same-origin', origin: 'null' },
      ),
    );

    // Assess
    expect(fromOrigin.statusCode).toBe(200);
    expect(fromNull.statusCode).toBe(200);
  });

  it.each([
    ['no form token', undefined],
    ['an empty form token', ''],
    ['a wrong form token', 'A'.repeat(43)],
  ])('refuses a POST with %s with 403 and records nothing', async (_label, token) => {
    // Prepare
    const { world, secret } = await openReview();
    const fields: Record<string, string> = { decision: 'approve' };
    if (token !== undefined) fields.form_token = token;

    // Act
    const result = await world.page(formPost(secret, fields));

    // Assess
    expect(result.statusCode).toBe(403);
    expect(world.approvals.writes).not.toContain('decide');
    expect(world.workflow.answers).toEqual([]);
  });

  it('refuses the form token of another approver link with 403', async () => {
    // Prepare
    const { world, secret, other } = await openReview();
    const otherToken = formTokenOf((await world.page({ secret: other })).body);

    // Act
    const result = await world.page(formPost(secret, { form_token: otherToken, decision: 'approve' }));

    // Assess
    expect(result.statusCode).toBe(403);
    expect(world.workflow.answers).toEqual([]);
  });

  it('refuses a body that is not the page form with 400', async () => {
    // Prepare
    const { world, secret, formToken } = await openReview();

    // Act
    const result = await world.page({
      method: 'POST',
      secret,
      headers: { 'content-type': 'text/plain', 'sec-fetch-site': 'same-origin' },
      body: `form_token=${formToken}&decision=approve`,
    });

    // Assess
    expect(result.statusCode).toBe(400);
    expect(world.workflow.answers).toEqual([]);
  });

  it('finishes an interrupted delivery on the next POST instead of answering 409', async () => {
    // Prepare
    const { world, secret, formToken } = await openReview();
    const completeTask = world.workflow.completeTask.bind(world.workflow);
    let calls = 0;
    world.workflow.completeTask = async (token, output) => {
      calls += 1;
      if (calls === 1) throw Object.assign(new Error('ServiceUnavailable'), { name: 'ServiceUnavailable' });
      return completeTask(token, output);
    };
    const interrupted = await world.page(formPost(secret, { form_token: formToken, decision: 'approve' }));

    // Act
    const finished = await world.page(formPost(secret, { form_token: formToken, decision: 'approve' }));
    const reused = await world.page(formPost(secret, { form_token: formToken, decision: 'approve' }));

    // Assess
    expect(interrupted.statusCode).toBe(500);
    expectSecurityHeaders(interrupted);
    expect(finished.statusCode).toBe(200);
    expect(reused.statusCode).toBe(409);
    expect(world.workflow.answers).toEqual([
      { kind: 'success', taskToken: aTaskToken(), output: { decision: 'APPROVED' } },
    ]);
    expect(world.approvals.links.get(sha256(secret))?.delivered).toBe(true);
    expect(world.audit.events.filter((event) => event.action === 'APPROVED')).toHaveLength(1);
  });

  it('finishes a delivery interrupted by an audit failure when the approver reopens the link', async () => {
    // Prepare
    const { world, secret, formToken } = await openReview();
    const append = world.audit.append.bind(world.audit);
    world.audit.append = async () => {
      throw Object.assign(new Error('ServiceUnavailable'), { name: 'ServiceUnavailable' });
    };
    const interrupted = await world.page(formPost(secret, { form_token: formToken, decision: 'approve' }));
    world.audit.append = append;

    // Act
    const reopened = await world.page({ secret });
    const again = await world.page({ secret });

    // Assess
    expect(interrupted.statusCode).toBe(500);
    expect(reopened.statusCode).toBe(200);
    expect(reopened.body).toContain('已处理：同意');
    expect(again.statusCode).toBe(200);
    expect(world.workflow.answers).toEqual([
      { kind: 'success', taskToken: aTaskToken(), output: { decision: 'APPROVED' } },
    ]);
    expect(world.approvals.links.get(sha256(secret))?.delivered).toBe(true);
    expect(world.audit.events.filter((event) => event.action === 'APPROVED')).toHaveLength(1);
  });

  it('decides nothing on a GET of a link whose step another link decided', async () => {
    // Prepare
    const { world, secret, formToken } = await openReview();
    await world.page(formPost(secret, { form_token: formToken, decision: 'approve' }));
    const other = [...world.approvals.links.values()].find((link) => link.hash !== sha256(secret));
    if (other === undefined) throw new Error('no second link');
    const answers = world.workflow.answers.length;

    // Act
    const writesBefore = world.approvals.writes.length;
    await world.page({ secret, method: 'HEAD' });

    // Assess
    expect(world.workflow.answers).toHaveLength(answers);
    expect(world.approvals.writes.length).toBe(writesBefore);
  });

  it('answers the task token a retried request moved the link to', async () => {
    // Prepare: request-approval was retried after the page read the link
    const { world, secret, formToken } = await openReview();
    world.workflow.gone.add(aTaskToken());
    const decide = world.approvals.decide.bind(world.approvals);
    world.approvals.decide = async (link, decision) => {
      await world.approvals.setTaskToken([link.hash], aTaskToken('retried'));
      return decide(link, decision);
    };

    // Act
    const result = await world.page(formPost(secret, { form_token: formToken, decision: 'approve' }));

    // Assess
    expect(result.statusCode).toBe(200);
    expect(world.workflow.answers.map((answer) => answer.taskToken)).toEqual([
      aTaskToken(),
      aTaskToken('retried'),
    ]);
    expect(world.logger.text).not.toContain('no longer waiting');
  });

  it('hands over its own decision when the store reports the write as lost', async () => {
    // Prepare: the conditional write took effect, but its reply was lost and the retry failed the condition
    const { world, secret, formToken } = await openReview();
    const decide = world.approvals.decide.bind(world.approvals);
    world.approvals.decide = async (link, decision) => {
      await decide(link, decision);
      return false;
    };

    // Act
    const result = await world.page(formPost(secret, { form_token: formToken, decision: 'approve' }));

    // Assess
    expect(result.statusCode).toBe(200);
    expect(world.workflow.answers).toEqual([
      { kind: 'success', taskToken: aTaskToken(), output: { decision: 'APPROVED' } },
    ]);
    expect(world.audit.events.filter((event) => event.action === 'APPROVED')).toHaveLength(1);
  });

  it('answers 410 and decides nothing once the revision has ended FAILED', async () => {
    // Prepare
    const { world, secret, formToken } = await openReview();
    const stored = world.submissions.submissions.get(world.submission.id);
    if (stored === undefined) throw new Error('no submission');
    world.submissions.submissions.set(world.submission.id, { ...stored, status: 'FAILED' });

    // Act
    const shown = await world.page({ secret });
    const posted = await world.page(formPost(secret, { form_token: formToken, decision: 'approve' }));

    // Assess
    expect(shown.statusCode).toBe(410);
    expect(posted.statusCode).toBe(410);
    expect(world.approvals.writes).not.toContain('decide');
    expect(world.workflow.answers).toEqual([]);
  });

  it('keeps the decision and says so when the task no longer waits', async () => {
    // Prepare
    const { world, secret, formToken } = await openReview();
    world.workflow.gone.add(aTaskToken());

    // Act
    const result = await world.page(formPost(secret, { form_token: formToken, decision: 'approve' }));

    // Assess
    expect(result.statusCode).toBe(200);
    expect(world.approvals.links.get(sha256(secret))?.delivered).toBe(true);
    expect(world.logger.text).toContain('review task no longer waiting');
  });

  it('answers 405 to other methods', async () => {
    // Prepare
    const { world, secret } = await openReview();

    // Act
    const result = await world.page({ secret, method: 'DELETE' });

    // Assess
    expect(result.statusCode).toBe(405);
    expect(result.headers.allow).toBe('GET, HEAD, POST');
  });
});

describe('Function: serveApproval (secrets)', () => {
  it('puts neither the task token, the link secret nor its hash in any page or log line', async () => {
    // Prepare
    const { world, secret, formToken, page } = await openReview();
    const token = aTaskToken();
    const hash = sha256(secret);

    // Act
    const bodies = [
      page.body,
      (await world.page({ secret: alter(secret) })).body,
      (await world.page(formPost(secret, { form_token: formToken, decision: 'reject', comment: '' }))).body,
      (await world.page(formPost(secret, { form_token: formToken, decision: 'reject', comment: '请修改' })))
        .body,
      (await world.page(formPost(secret, { form_token: formToken, decision: 'approve' }))).body,
      (await world.page({ secret })).body,
    ];

    // Assess
    expect(world.logger.lines.length).toBeGreaterThan(3);
    for (const text of [...bodies, world.logger.text]) {
      expect(text).not.toContain(token);
      expect(text).not.toContain(secret);
      expect(text).not.toContain(hash);
    }
    expect(world.logger.text).not.toContain('请修改');
    expect(world.logger.text).not.toContain(FIRST_APPROVER.email);
  });

  it('keeps the comment out of the task failure cause', async () => {
    // Prepare
    const { world, secret, formToken } = await openReview();

    // Act
    await world.page(
      formPost(secret, { form_token: formToken, decision: 'reject', comment: '涉及个人隐私 13912345678' }),
    );

    // Assess
    expect(JSON.stringify(world.workflow.answers)).not.toContain('13912345678');
    expect(JSON.stringify(world.audit.events)).not.toContain('13912345678');
  });

  it('reads the highlighted HTML of the revision under review', async () => {
    // Prepare
    const { world, secret } = await openReview();
    const policy = world.submission.documents.find((document) => document.role === 'policy');
    world.work.put(workKeys.highlightedHtml(world.submission.id, 1, policy?.id ?? ''), '<p>改过的原文</p>');

    // Act
    const page = await world.page({ secret });

    // Assess
    expect(page.body).toContain('<p>改过的原文</p>');
  });
});

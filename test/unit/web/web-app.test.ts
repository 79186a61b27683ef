import { describe, expect, it } from 'vitest';
import { workKeys } from '../../../shared/storage-keys.js';
import { formTokenForSession } from '../../../shared/web/index.js';
import { aMetadata, aSubmission, IDS } from '../../support/builders.js';
import {
  aFormPost,
  anIssuer,
  aRequest,
  aWebApp,
  HOST,
  multipart,
  serve,
  stored,
  tokenFor,
  VALID_FILES,
  validFields,
} from './support.js';

const HOSTILE_TITLE = '<script>alert(1)</script>"><img src=x onerror=alert(2)>';

describe('Web pages: rendering', () => {
  it('escapes every stored value on the list and the status page', async () => {
    // Prepare
    const { deps, issuer } = aWebApp();
    await stored(
      deps,
      aSubmission({
        metadata: aMetadata({ title: HOSTILE_TITLE, issuingBody: '"><svg onload=alert(3)>' }),
        status: 'RETURNED',
        returnedComment: '<b onmouseover=alert(4)>请补充</b>',
      }),
    );
    const token = tokenFor(issuer);

    // Act
    const list = await serve(deps, aRequest({ token }));
    const status = await serve(deps, aRequest({ token, path: `/app/submissions/${IDS.submission}` }));

    // Assess
    for (const page of [list, status]) {
      expect(page.statusCode).toBe(200);
      expect(page.body).not.toContain('<script>alert');
      expect(page.body).not.toContain('<img src=x');
      expect(page.body).not.toContain('<svg');
      expect(page.body).toContain(
        '&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(2)&gt;',
      );
    }
    expect(status.body).not.toContain('<b onmouseover');
    // The resubmit form carries the title as an attribute value, escaped too.
    expect(status.body).toContain('value="&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img');
  });

  it('escapes the entered values when the form is shown again with errors', async () => {
    // Prepare
    const { deps, issuer } = aWebApp();
    const token = tokenFor(issuer);
    const fields = { ...validFields(token), 'metadata.title': HOSTILE_TITLE, 'metadata.writtenDate': '' };

    // Act
    const page = await serve(deps, await aFormPost('/app/submissions', token, fields));

    // Assess
    expect(page.statusCode).toBe(400);
    expect(page.body).not.toContain('<script>alert');
    expect(page.body).not.toContain('<img src=x');
    expect(page.body).toContain(
      'value="&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"',
    );
  });

  it('serves every page as zh-CN with the page security headers and no script', async () => {
    // Prepare
    const { deps, issuer } = aWebApp();
    const token = tokenFor(issuer);

    // Act
    const pages = await Promise.all(
      ['/app', '/app/submissions/new', '/portal/view'].map((path) => serve(deps, aRequest({ token, path }))),
    );

    // Assess
    for (const page of pages) {
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('<html lang="zh-CN"');
      expect(page.body).not.toMatch(/<script/i);
      expect(page.headers['content-security-policy']).toContain("default-src 'none'");
      expect(page.headers['cache-control']).toBe('no-store');
      expect(page.body).toMatch(/<a href="[^"]+\?elder=1">切换到长者版/);
    }
  });

  it('keeps 长者版 on every link and on the form when ?elder=1', async () => {
    // Prepare
    const { deps, issuer } = aWebApp();
    const token = tokenFor(issuer);

    // Act
    const page = await serve(deps, aRequest({ token, path: '/app/submissions/new', query: { elder: '1' } }));

    // Assess
    expect(page.body).toContain('<html lang="zh-CN" class="elder">');
    expect(page.body).toContain('action="/app/submissions?elder=1"');
    expect(page.body).toContain('href="/app?elder=1"');
    expect(page.body).toContain('切换到标准版');
  });
});

describe('Web pages: the submission form', () => {
  it('puts each violation next to its field, links it from the summary, and keeps the entered values', async () => {
    // Prepare
    const { deps, issuer } = aWebApp();
    const token = tokenFor(issuer);
    const fields = {
      ...validFields(token),
      'metadata.disclosure.attribute': 'NOT_DISCLOSED',
      'metadata.title': '',
      'metadata.reviewSteps.1.approvers.0.email': 'not-an-address',
      'metadata.issuingBody': '银川市某局',
    };

    // Act
    const page = await serve(deps, await aFormPost('/app/submissions', token, fields));

    // Assess
    expect(page.statusCode).toBe(400);
    const body = page.body;
    for (const id of [
      'f-metadata-title',
      'f-metadata-disclosure-reason',
      'f-metadata-disclosure-legalBasis',
      'f-metadata-reviewSteps-1-approvers-0-email',
    ]) {
      expect(body, id).toContain(`<a href="#${id}">`);
      expect(body, id).toMatch(new RegExp(`<p class="field-error" id="${id}-error">[^<]+`));
      expect(body, id).toMatch(
        new RegExp(`id="${id}" name="[^"]+" aria-describedby="${id}-error[^"]*" aria-invalid="true"`),
      );
    }
    expect(body).toContain('必须写明法律依据');
    expect(body).toContain('value="银川市某局"');
    expect(body).toContain('value="not-an-address"');
    expect(body).toMatch(/value="NOT_DISCLOSED" checked/);
    expect(body).toContain('请重新选择');
    expect(deps.submissions.items.size).toBe(0);
  });

  it('maps a document violation to the file input it concerns', async () => {
    // Prepare
    const { deps, issuer } = aWebApp();
    const token = tokenFor(issuer);
    const policyOnly = VALID_FILES.filter((file) => file.name === 'documents.policy');

    // Act
    const page = await serve(
      deps,
      await aFormPost('/app/submissions', token, validFields(token), policyOnly),
    );

    // Assess
    expect(page.statusCode).toBe(400);
    expect(page.body).toMatch(/<p class="field-error" id="f-documents-interpretation-error">缺少解读材料/);
  });

  it('creates, stores each file under its generated key, submits, and redirects to the status page', async () => {
    // Prepare
    const { deps, issuer } = aWebApp();
    const token = tokenFor(issuer);

    // Act
    const response = await serve(deps, await aFormPost('/app/submissions', token, validFields(token)));

    // Assess
    expect(response.statusCode).toBe(303);
    const [submission] = [...deps.submissions.items.values()];
    expect(response.headers.location).toBe(`/app/submissions/${submission?.id}`);
    expect(submission?.status).toBe('SUBMITTED');
    expect(submission?.drafter.id).toBe('drafter-001');
    expect(submission?.metadata.plannedReleaseAt).toBe('2019-07-22T09:00:00+08:00');
    expect(submission?.metadata.reviewSteps.map((step) => step.approvers[0]?.email)).toEqual([
      'qian@example.gov.cn',
      'zhaoshen@example.gov.cn',
    ]);
    expect(submission?.documents.map((document) => [document.role, document.fileName])).toEqual([
      ['policy', '实施方案.txt'],
      ['interpretation', '解读.txt'],
    ]);
    for (const document of submission?.documents ?? []) {
      expect(deps.uploads.objects.get(document.key)?.body.byteLength).toBe(document.size);
    }
    expect(deps.uploads.text(submission?.documents[1]?.key ?? '')).toContain('政务公开实施方案》解读');
    expect(deps.workflow.started.map((start) => start.name)).toEqual([`${submission?.id}-r1`]);
  });

  it('reads UTF-8 field names, values and quoted file names from a multipart body', async () => {
    // Prepare
    const { deps, issuer } = aWebApp();
    const token = tokenFor(issuer);
    const files = [
      { ...VALID_FILES[0]!, fileName: '方案 "终稿"; v2.txt' },
      {
        ...VALID_FILES[1]!,
        content: '解读\r\n--boundary-lookalike\r\n《银川市大数据产业发展服务中心2019年政务公开实施方案》',
      },
    ];

    // Act
    const response = await serve(deps, await aFormPost('/app/submissions', token, validFields(token), files));

    // Assess
    expect(response.statusCode).toBe(303);
    const [submission] = [...deps.submissions.items.values()];
    expect(submission?.documents[0]?.fileName).toBe('方案 "终稿"; v2.txt');
    expect(deps.uploads.text(submission?.documents[1]?.key ?? '')).toContain('--boundary-lookalike');
  });

  it('refuses a body that is not a form', async () => {
    // Prepare
    const { deps, issuer } = aWebApp();
    const token = tokenFor(issuer);

    // Act
    const response = await serve(
      deps,
      aRequest({
        method: 'POST',
        path: '/app/submissions',
        token,
        headers: { host: HOST, 'content-type': 'application/json', 'sec-fetch-site': 'same-origin' },
        body: new TextEncoder().encode('{}'),
      }),
    );

    // Assess
    expect(response.statusCode).toBe(400);
  });
});

describe('Web pages: session and CSRF', () => {
  it.each([
    ['no cookie', () => undefined],
    ['a malformed cookie', () => 'not-a-jwt'],
  ])('redirects to sign-in with %s', async (_label, token) => {
    // Prepare
    const { deps } = aWebApp();

    // Act
    const response = await serve(
      deps,
      aRequest({ path: '/app/submissions/new', ...(token() === undefined ? {} : { token: token() }) }),
    );

    // Assess
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/local/sign-in?next=%2Fapp%2Fsubmissions%2Fnew');
  });

  it('redirects to sign-in with an expired token', async () => {
    // Prepare
    const issuer = anIssuer({ now: () => new Date(Date.now() - 9 * 3600_000) });
    const { deps } = aWebApp(issuer);

    // Act
    const response = await serve(deps, aRequest({ token: tokenFor(issuer) }));

    // Assess
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toMatch(/^\/local\/sign-in\?next=/);
  });

  it('redirects to sign-in with a token forged under the trusted key id', async () => {
    // Prepare
    const { deps } = aWebApp(anIssuer({ kid: 'test-key' }));
    const forger = anIssuer({ kid: 'test-key' });

    // Act
    const response = await serve(deps, aRequest({ token: tokenFor(forger) }));

    // Assess
    expect(response.statusCode).toBe(303);
  });

  it('redirects to sign-in with a token for another audience', async () => {
    // Prepare
    const issuer = anIssuer();
    const { deps } = aWebApp(issuer);
    const other = anIssuer({ audience: 'another-app' });

    // Act
    const response = await serve(deps, aRequest({ token: tokenFor(other) }));

    // Assess
    expect(response.statusCode).toBe(303);
  });

  it.each([
    ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }],
    ['an Origin of another site', { origin: 'https://evil.example' }],
  ])('refuses a POST with %s (403) and creates nothing', async (_label, extra) => {
    // Prepare
    const { deps, issuer } = aWebApp();
    const token = tokenFor(issuer);
    const request = await aFormPost('/app/submissions', token, validFields(token));
    const { 'sec-fetch-site': _site, origin: _origin, ...headers } = request.headers;

    // Act
    const response = await serve(deps, { ...request, headers: { ...headers, ...extra } });

    // Assess
    expect(response.statusCode).toBe(403);
    expect(deps.submissions.items.size).toBe(0);
  });

  it('refuses a POST whose form token belongs to another session (403)', async () => {
    // Prepare
    const { deps, issuer } = aWebApp();
    const token = tokenFor(issuer);
    const other = tokenFor(issuer, { id: 'drafter-009', name: '某人', email: 'someone@example.gov.cn' });
    const fields = { ...validFields(token), form_token: formTokenForSession(other) };

    // Act
    const response = await serve(deps, await aFormPost('/app/submissions', token, fields));

    // Assess
    expect(response.statusCode).toBe(403);
    expect(deps.submissions.items.size).toBe(0);
  });

  it("does not show a drafter another drafter's submission", async () => {
    // Prepare
    const { deps, issuer } = aWebApp();
    await stored(deps, aSubmission());
    const intruder = tokenFor(issuer, { id: 'drafter-002', name: '周敏', email: 'zhoumin@example.gov.cn' });

    // Act
    const response = await serve(
      deps,
      aRequest({ token: intruder, path: `/app/submissions/${IDS.submission}` }),
    );
    const list = await serve(deps, aRequest({ token: intruder }));

    // Assess
    expect(response.statusCode).toBe(403);
    expect(response.body).not.toContain('银川市大数据产业发展服务中心2019年政务公开实施方案');
    expect(list.body).not.toContain(IDS.submission);
  });

  it('answers an unknown submission with 404', async () => {
    // Prepare
    const { deps, issuer } = aWebApp();

    // Act
    const response = await serve(
      deps,
      aRequest({ token: tokenFor(issuer), path: `/app/submissions/${IDS.bundle}` }),
    );

    // Assess
    expect(response.statusCode).toBe(404);
  });
});

describe('Web pages: status and resubmission', () => {
  it('shows a returned revision with the comment and a pre-filled resubmit form', async () => {
    // Prepare
    const { deps, issuer } = aWebApp();
    await stored(deps, aSubmission({ status: 'RETURNED', returnedComment: '请补充公开时限依据。' }));
    await deps.work.put(
      workKeys.consistency(IDS.submission, 1),
      JSON.stringify({
        interpretations: [{ findings: [{ message: '解读中的期限“30个工作日”在原文中未找到。' }] }],
      }),
    );

    // Act
    const page = await serve(
      deps,
      aRequest({ token: tokenFor(issuer), path: `/app/submissions/${IDS.submission}` }),
    );

    // Assess
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('已退回');
    expect(page.body).toContain('请补充公开时限依据。');
    expect(page.body).toContain('解读中的期限“30个工作日”在原文中未找到。');
    expect(page.body).toContain(`action="/app/submissions/${IDS.submission}/revisions"`);
    expect(page.body).toContain('name="revision" value="1"');
    expect(page.body).toContain('value="银川市大数据产业发展服务中心2019年政务公开实施方案"');
    expect(page.body).toContain('value="qian@example.gov.cn"');
  });

  it('creates and submits the next revision from the resubmit form', async () => {
    // Prepare
    const { deps, issuer } = aWebApp();
    await stored(deps, aSubmission({ status: 'RETURNED', returnedComment: '请修改。' }));
    const token = tokenFor(issuer);
    const fields = { ...validFields(token), revision: '1' };

    // Act
    const response = await serve(
      deps,
      await aFormPost(`/app/submissions/${IDS.submission}/revisions`, token, fields),
    );

    // Assess
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`/app/submissions/${IDS.submission}`);
    const current = await deps.submissions.get(IDS.submission);
    expect(current).toMatchObject({ revision: 2, status: 'SUBMITTED' });
    expect(deps.workflow.started.map((start) => start.name)).toEqual([`${IDS.submission}-r2`]);
  });

  it('shows the resubmit form again with the violations, on the status page', async () => {
    // Prepare
    const { deps, issuer } = aWebApp();
    await stored(deps, aSubmission({ status: 'RETURNED', returnedComment: '请修改。' }));
    const token = tokenFor(issuer);
    const fields = { ...validFields(token), revision: '1', 'metadata.bodyCode': '' };

    // Act
    const page = await serve(
      deps,
      await aFormPost(`/app/submissions/${IDS.submission}/revisions`, token, fields),
    );

    // Assess
    expect(page.statusCode).toBe(400);
    expect(page.body).toContain('<a href="#f-metadata-bodyCode">');
    expect(page.body).toContain('请修改。');
    expect((await deps.submissions.get(IDS.submission))?.revision).toBe(1);
  });
});

describe('Web pages: multipart helper', () => {
  it('builds bodies the WHATWG parser reads back', async () => {
    // Act
    const { body, contentType } = await multipart({ a: '甲' }, [
      { name: 'f', fileName: 'x.txt', type: 'text/plain', content: 'x' },
    ]);
    const data = await new Request('http://x.invalid/', {
      method: 'POST',
      headers: { 'content-type': contentType },
      body,
    }).formData();

    // Assess
    expect(data.get('a')).toBe('甲');
    expect((data.get('f') as File).name).toBe('x.txt');
  });
});

import { Parser } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import {
  assembleBundle,
  type DocumentContent,
  documentBodyText,
  ManifestSchema,
  type PublishableSubmission,
} from '../../../shared/publication/index.js';
import { anAttachment, IDS } from '../../support/builders.js';
import { aScheduledSubmission, WORK_CONTENT } from '../../support/publication-fakes.js';

function publishable(overrides: Parameters<typeof aScheduledSubmission>[0] = {}): PublishableSubmission {
  return {
    ...aScheduledSubmission(overrides),
    bundleId: IDS.bundle,
    indexNumber: '640100-141/2019-00064',
    publishedAt: '2019-07-22T01:30:00.000Z',
  } as PublishableSubmission;
}

function contents(extra: Record<string, DocumentContent> = {}): Map<string, DocumentContent> {
  return new Map(Object.entries({ ...WORK_CONTENT, ...extra }));
}

function page(name: string, submission = publishable(), docs = contents()): string {
  const file = assembleBundle(submission, docs).files.find((candidate) => candidate.name === name);
  if (file === undefined) throw new Error(`no ${name}`);
  return new TextDecoder().decode(file.body);
}

/** Tag names and attributes of a page, as a browser's parser sees them. */
function elements(html: string): Array<{ name: string; attributes: Record<string, string> }> {
  const found: Array<{ name: string; attributes: Record<string, string> }> = [];
  const parser = new Parser({ onopentag: (name, attributes) => found.push({ name, attributes }) });
  parser.write(html);
  parser.end();
  return found;
}

describe('Function: assembleBundle', () => {
  it('renders byte-identical output for the same input', () => {
    // Act
    const first = assembleBundle(publishable(), contents());
    const second = assembleBundle(publishable(), contents());

    // Assess
    expect(Buffer.from(second.manifestBody).equals(Buffer.from(first.manifestBody))).toBe(true);
    expect(second.files.map((file) => file.sha256)).toEqual(first.files.map((file) => file.sha256));
  });

  it('renders a standalone zh-CN page with the metadata block', () => {
    // Act
    const html = page('policy.html');

    // Assess
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="zh-CN">')).toBe(true);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain('<title>银川市大数据产业发展服务中心2019年政务公开实施方案</title>');
    for (const label of [
      '索引号',
      '发布机构',
      '文号',
      '成文日期',
      '发布日期',
      '公开属性',
      '效力状态',
      '主题分类',
      '第一解读人',
    ]) {
      expect(html).toContain(`<dt>${label}</dt>`);
    }
    expect(html).toContain('<dd>640100-141/2019-00064</dd>');
    expect(html).toContain('<dd>银大数发〔2019〕12号</dd>');
    expect(html).toContain('<time datetime="2019-07-22">2019-07-22</time>');
    expect(html).toContain('<dd>主动公开</dd>');
    expect(html).toContain('<dd>有效</dd>');
    expect(html).toContain('<dd>王川（中心主任）</dd>');
  });

  it('links the 原文 to its 解读 and the 解读 back to the 原文', () => {
    // Act
    const policyLinks = elements(page('policy.html')).filter((element) => element.name === 'a');
    const interpretationLinks = elements(page('interpretation-1.html')).filter(
      (element) => element.name === 'a',
    );

    // Assess
    expect(policyLinks.map((link) => link.attributes.href)).toEqual(['interpretation-1.html']);
    expect(interpretationLinks.map((link) => link.attributes.href)).toEqual(['policy.html']);
  });

  it('puts no script, no external resource and no event handler into a page, even from hostile content', () => {
    // Prepare
    const hostile = contents({
      [IDS.policy]: {
        html: '<p onclick="x()">正文</p><script>alert(1)</script><img src="https://evil.example/t.gif"><link rel="stylesheet" href="https://evil.example/s.css"><iframe src="https://evil.example"></iframe><a href="javascript:alert(1)">链接</a>',
        text: '正文\n',
      },
    });

    // Act
    const found = elements(page('policy.html', publishable(), hostile));

    // Assess
    const names = found.map((element) => element.name);
    for (const forbidden of ['script', 'img', 'link', 'iframe', 'object', 'embed'])
      expect(names).not.toContain(forbidden);
    for (const element of found) {
      expect(Object.keys(element.attributes).filter((name) => name.startsWith('on'))).toEqual([]);
      expect(element.attributes.src).toBeUndefined();
      expect(element.attributes.href ?? '').not.toMatch(/^javascript:/i);
    }
  });

  it('escapes metadata, so a title cannot inject markup', () => {
    // Act
    const html = page('policy.html', publishable({ metadata: { title: '关于<script>的通知' } }));

    // Assess
    expect(html).toContain('<title>关于&lt;script&gt;的通知</title>');
    expect(elements(html).map((element) => element.name)).not.toContain('script');
  });

  it('writes the de-identified text as the .txt file, unchanged', () => {
    // Act / Assess
    expect(page('policy.txt')).toBe(WORK_CONTENT[IDS.policy]?.text);
  });

  it('titles attachments by number, never by their uploaded file name', () => {
    // Prepare
    const submission = publishable({
      documents: [...aScheduledSubmission().documents, anAttachment({ fileName: '张三身份证复印件.docx' })],
    });
    const docs = contents({ [IDS.attachment]: { html: '<p>附件内容</p>', text: '附件内容\n' } });

    // Act
    const bundle = assembleBundle(submission, docs);

    // Assess
    expect(bundle.manifest.attachments).toEqual([
      {
        id: 'attachment-1',
        title: '附件1',
        files: { html: 'attachment-1.html', text: 'attachment-1.txt' },
        attachedTo: 'policy',
      },
    ]);
    expect(new TextDecoder().decode(bundle.manifestBody)).not.toContain('张三');
  });

  it('produces a manifest that satisfies the manifest schema and carries the publication facts', () => {
    // Act
    const { manifest } = assembleBundle(publishable(), contents());

    // Assess
    expect(ManifestSchema.safeParse(manifest).success).toBe(true);
    expect(manifest).toMatchObject({
      formatVersion: '1.0',
      bundleId: IDS.bundle,
      submissionId: IDS.submission,
      revision: 1,
      indexNumber: '640100-141/2019-00064',
      publishedDate: '2019-07-22',
      disclosure: { attribute: 'PROACTIVE', label: '主动公开' },
      validity: { status: 'VALID', label: '有效' },
      firstInterpreter: { name: '王川', position: '中心主任' },
      policy: { interpretations: ['interpretation-1'] },
      interpretations: [{ id: 'interpretation-1', interprets: 'policy' }],
      supersedes: [],
    });
  });
});

describe('Function: documentBodyText', () => {
  it('returns only the document body of a page, not its metadata block', () => {
    // Act
    const text = documentBodyText(page('policy.html'));

    // Assess
    expect(text).toContain('第一条 为做好政务公开工作，制定本方案。');
    expect(text).not.toContain('第一解读人');
    expect(text).not.toContain('640100-141/2019-00064');
  });
});

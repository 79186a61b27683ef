import { describe, expect, it } from 'vitest';
import { deidentifyHtml } from '../../../shared/deid/index.js';
import { residentId } from './helpers.js';

const ID = residentId('640104', '19850612', '123');

describe('Function: deidentifyHtml', () => {
  it('keeps markup byte for byte outside the redacted text', () => {
    // Prepare
    const html =
      '<h1 class="t">处罚决定书</h1>\n<p style="text-indent:2em">当事人：张三，联系电话：13995123456。</p>' +
      '<table border="1"><tr><td>执法人员</td><td>王川</td></tr></table><p><a href="/x?a=1&amp;b=2">附件</a></p>';
    // Act
    const { html: out, report } = deidentifyHtml(html);
    // Assess
    expect(out).toBe(
      '<h1 class="t">处罚决定书</h1>\n<p style="text-indent:2em">当事人：张某，联系电话：139****3456。</p>' +
        '<table border="1"><tr><td>执法人员</td><td>王川</td></tr></table><p><a href="/x?a=1&amp;b=2">附件</a></p>',
    );
    expect(report.total).toBe(2);
  });

  it('handles a name split across inline elements', () => {
    const { html } = deidentifyHtml('<p>申请人<b>张</b>三提出申请。</p>');
    expect(html).toBe('<p>申请人<b>张某</b>提出申请。</p>');
  });

  it('keeps a pseudonym split across inline elements', () => {
    const source = '<p>申请人<b>王</b>某某提出申请。</p>';
    expect(deidentifyHtml(source).html).toBe(source);
  });

  it('handles an ID split across spans', () => {
    const { html } = deidentifyHtml(
      `<p>身份证号<span>${ID.slice(0, 6)}</span><span>${ID.slice(6, 14)}</span><em>${ID.slice(14)}</em>。</p>`,
    );
    expect(html).toBe('<p>身份证号<span>640104************</span><span></span><em></em>。</p>');
  });

  it('does not join text across block boundaries', () => {
    const source = '<p>13995</p><p>123456</p><ul><li>张三</li><li>男</li></ul>';
    expect(deidentifyHtml(source).html).toBe(source);
  });

  it('binds a name to the ID in the same table row', () => {
    const { html } = deidentifyHtml(
      `<table><tr><td>李四</td><td>${ID}</td></tr><tr><td>王五</td><td>无</td></tr></table>`,
    );
    expect(html).toBe(
      '<table><tr><td>李某</td><td>640104************</td></tr><tr><td>王五</td><td>无</td></tr></table>',
    );
  });

  it('wraps each replacement in a highlight mark when asked to', () => {
    const { html } = deidentifyHtml('<p>当事人：张三，手机13995123456</p>', { highlight: true });
    expect(html).toBe(
      '<p>当事人：<mark class="gk-redaction" data-pii="person-name">张某</mark>，手机' +
        '<mark class="gk-redaction" data-pii="mobile">139****3456</mark></p>',
    );
  });

  it('escapes the text it writes and keeps entities it does not touch', () => {
    const source = '<p>A &amp; B &lt;c&gt;，申请人张三。</p>';
    const { html } = deidentifyHtml(source, { removals: [{ start: 0, end: 1, reason: '<机密>' }] });
    expect(html).toBe('<p>〔此处删减：&lt;机密&gt;〕 &amp; B &lt;c&gt;，申请人张某。</p>');
  });

  it('reports offsets into the text content', () => {
    const { report } = deidentifyHtml('<p>当事人：<b>张三</b></p>');
    const [item] = report.items;
    expect('当事人：张三'.slice(item?.start, item?.end)).toBe('张三');
  });
});

describe('Function: deidentifyHtml — link targets', () => {
  it('drops a mailto or tel target that carries personal data and keeps an office link', () => {
    // Prepare
    const input =
      '<p>联系<a href="mailto:zhangsan1988@qq.com">邮箱</a>或<a href="tel:13912345678">电话</a>，' +
      '详见<a href="https://www.yinchuan.gov.cn/xxgk/">政府网站</a></p>';
    // Act
    const { html } = deidentifyHtml(input);
    // Assess
    expect(html).not.toContain('zhangsan1988');
    expect(html).not.toContain('13912345678');
    expect(html).toContain('href="https://www.yinchuan.gov.cn/xxgk/"');
  });
});

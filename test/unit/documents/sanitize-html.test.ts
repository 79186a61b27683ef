import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CorruptDocumentError, sanitizeHtml } from '../../../shared/documents/index.js';
import { MAX_NESTING_DEPTH } from '../../../shared/documents/sanitize.js';

describe('Function: sanitizeHtml', () => {
  it.each([
    ['<p>a<script>alert(1)</script>b</p>', '<p>ab</p>'],
    ['<p onclick="x()" style="color:red" class="c">a</p>', '<p>a</p>'],
    ['<img src="https://evil.example/t.png" onerror="alert(1)">', ''],
    ['<iframe src="https://evil.example">x</iframe><p>y</p>', '<p>y</p>'],
    ['<object data="x.swf"><embed src="x.swf"></object><p>y</p>', '<p>y</p>'],
    [
      '<link rel="stylesheet" href="https://evil.example/a.css"><meta http-equiv="refresh" content="0"><p>y</p>',
      '<p>y</p>',
    ],
    ['<form action="https://evil.example"><input name="q"><p>y</p></form>', '<p>y</p>'],
    ['<svg><script>alert(1)</script><a href="#">x</a></svg><p>y</p>', '<p>y</p>'],
    ['<style>body{background:url(x)}</style><p>y</p>', '<p>y</p>'],
  ])('removes active content and external resources from %s', (input, expected) => {
    expect(sanitizeHtml(input)).toBe(expected);
  });

  it.each([
    ['javascript:alert(1)'],
    [' JaVaScRiPt:alert(1)'],
    ['java\tscript:alert(1)'],
    ['data:text/html,<script>alert(1)</script>'],
    ['vbscript:msgbox(1)'],
    ['//evil.example/x'],
  ])('drops the href %s but keeps the link text', (href) => {
    expect(sanitizeHtml(`<a href="${href}" onclick="x">链接</a>`)).toBe('<p><a>链接</a></p>');
  });

  it.each([
    ['https://www.gov.cn/a?b=1&c=2'],
    ['http://example.cn'],
    ['mailto:gk@example.cn'],
    ['#section-2'],
  ])('keeps the href %s, escaped', (href) => {
    const html = sanitizeHtml(`<p><a href="${href.replace(/&/g, '&amp;')}" target="_blank">x</a></p>`);

    expect(html).toBe(`<p><a href="${href.replace(/&/g, '&amp;')}">x</a></p>`);
  });

  it('keeps the allowlisted structure', () => {
    const input =
      '<h1>标题</h1><blockquote><p>引</p></blockquote><ul><li><strong>a</strong><em>b</em></li></ul><table><thead><tr><th>h</th></tr></thead><tbody><tr><td>c<br>d</td></tr></tbody></table><pre><code>x &lt; y</code></pre>';

    expect(sanitizeHtml(input)).toBe(input.replace('<br>', '<br>'));
  });

  it('escapes text so that decoded entities cannot become markup', () => {
    expect(sanitizeHtml('<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; "q"</p>')).toBe(
      '<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; "q"</p>',
    );
  });

  it('escapes quotes in attribute values', () => {
    expect(sanitizeHtml('<a href=\'https://x.cn/"onmouseover="alert(1)\'>x</a>')).toBe(
      '<p><a href="https://x.cn/&quot;onmouseover=&quot;alert(1)">x</a></p>',
    );
  });

  it('wraps loose text between block containers in paragraphs', () => {
    expect(sanitizeHtml('<div>一<div>二</div>三</div>')).toBe('<p>一</p><p>二</p><p>三</p>');
  });

  it('accepts nesting up to the depth limit', () => {
    const depth = MAX_NESTING_DEPTH - 1;

    const html = sanitizeHtml(`${'<span>'.repeat(depth)}深${'</span>'.repeat(depth)}`);

    expect(html).toContain('深');
  });

  it('refuses 50 000 nested elements quickly instead of parsing them', () => {
    // Prepare
    const deep = `${'<div><span>'.repeat(50_000)}深${'</span></div>'.repeat(50_000)}`;

    // Act
    const started = performance.now();
    const act = () => sanitizeHtml(deep);

    // Assess
    expect(act).toThrow(CorruptDocumentError);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('never lets a tag, event handler or script URL through for any input', () => {
    // Assess: a property over random mixes of dangerous fragments
    const fragment = fc.constantFrom(
      '<script>',
      '</script>',
      '<img src=x onerror=alert(1)>',
      '<a href="javascript:alert(1)">',
      '<a href="https://ok.cn">',
      '</a>',
      '<p>',
      '</p>',
      '<svg onload=alert(1)>',
      '<!--',
      '-->',
      '<![CDATA[',
      '"',
      "'",
      '<',
      '>',
      '&lt;script&gt;',
      '<style>',
      '<iframe>',
      '<div>',
      'text',
      '<p onclick=alert(1)>',
      '<textarea>',
      '</textarea>',
    );
    fc.assert(
      fc.property(fc.array(fragment, { maxLength: 30 }), (parts) => {
        const html = sanitizeHtml(parts.join(''));
        const tags = html.match(/<\/?([a-z0-9]+)/g) ?? [];
        for (const tag of tags) {
          expect(['p', 'a', 'span', 'strong', 'em', 'b', 'i', 'u', 'br', 'code', 'pre']).toContain(
            tag.replace(/[</]/g, ''),
          );
        }
        expect(html).not.toMatch(/on\w+=|javascript:|<script|<img|<svg|<iframe|<style|<textarea/i);
      }),
      { numRuns: 300 },
    );
  });
});

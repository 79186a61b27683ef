import { describe, expect, it } from 'vitest';
import { escapeHtml } from '../../shared/http/html.js';
import { encodedForms, occurrences, runCanary } from './canary.js';
import { START_TIMEOUT_MS } from './support.js';

/** Non-ASCII characters as numeric character references, as some HTML writers emit them. */
function references(text: string, radix: 10 | 16): string {
  return Array.from(text, (char) => {
    const code = char.codePointAt(0) ?? 0;
    if (code < 0x7f) return char;
    return radix === 16 ? `&#x${code.toString(16)};` : `&#${code};`;
  }).join('');
}

describe('Resilience: canary', () => {
  describe('the search for encoded values', () => {
    // A space, so that form encoding (`+`) differs from URL encoding (`%20`).
    const name = '王建国 先生';
    const forms = encodedForms(name);

    it('finds the value base64- and base64url-encoded at every position of a longer encoded text', () => {
      for (let lead = 0; lead < 6; lead += 1) {
        // Prepare: the value inside a longer text, shifted through every 3-byte alignment
        const bytes = Buffer.from(`${'x'.repeat(lead)}申请人${name}的材料`, 'utf8');

        // Act
        const base64 = occurrences(bytes.toString('base64'), forms);
        const base64url = occurrences(bytes.toString('base64url'), forms);

        // Assess: where both alphabets read the same, the form is listed once, as base64
        expect(base64, `lead ${lead}`).toContain('base64');
        expect(base64url, `lead ${lead}`).toEqual(
          expect.arrayContaining([expect.stringMatching(/^base64(?:url)?$/)]),
        );
      }
    });

    it('finds the value URL-, form-, JSON- and HTML-encoded', () => {
      const texts = {
        'URL-encoded': `https://example.gov.cn/?q=${encodeURIComponent(`申请 ${name}`)}`,
        'URL-encoded (lower-case)': `/p/${encodeURIComponent(name).toLowerCase()}/`,
        'form-encoded': new URLSearchParams({ comment: `联系人 ${name} 请核对` }).toString(),
        'JSON \\u-escaped': JSON.stringify({ comment: name }).replace(
          /[\u007f-\uffff]/g,
          (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
        ),
        'HTML hex references': `<p>${references(name, 16)}</p>`,
        'HTML numeric references': `<p>${references(name, 10)}</p>`,
      };
      for (const [encoding, text] of Object.entries(texts)) {
        expect(occurrences(text, forms), encoding).toContain(encoding);
      }
      expect(occurrences(escapeHtml(`"${name}"`), encodedForms(`"${name}"`))).toContain('HTML-escaped');
    });

    it('finds nothing in a text that does not hold the value in any form', () => {
      const text = `王建国先生 王建 国 先生 ${Buffer.from('王建国').toString('base64')} ${encodeURIComponent('王建国+先生')} \\u738b\\u5efa\\u56fd`;

      expect(occurrences(text, forms)).toEqual([]);
    });
  });

  it(
    'finds no planted personal data, link secret or task token, raw or encoded, in any log line, execution history, audit event or mail',
    async () => {
      const report = await runCanary({ submissions: 1 });

      expect(report.problems).toEqual([]);
      expect(report.outcomes.occurrences).toBe(0);
      expect(report.outcomes['log lines']).toBeGreaterThan(10);
      expect(report.outcomes['faults injected']).toBeGreaterThan(0);
      expect(report.outcomes.RETURNED).toBeGreaterThanOrEqual(1);
      expect(report.outcomes['task errors']).toBeGreaterThanOrEqual(1);
      expect(report.outcomes['audit pages']).toBeGreaterThan(1);
    },
    START_TIMEOUT_MS + 120_000,
  );
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { deidentifyHtml, deidentifyText, detect } from '../../../shared/deid/index.js';

const SEED = readFileSync(new URL('../../fixtures/seed/000_cf883fa431da65ec.txt', import.meta.url), 'utf8');

describe('Seed document: 银川市大数据产业发展服务中心2019年政务公开实施方案', () => {
  it('comes through with zero redactions', () => {
    const { text, report } = deidentifyText(SEED);
    expect(detect(SEED)).toEqual([]);
    expect(report.total).toBe(0);
    expect(text).toBe(SEED);
  });

  it('keeps the officials 王川, 马皓 and 杨锐超 and every number', () => {
    const { text } = deidentifyText(SEED);
    for (const kept of [
      '王川',
      '马皓',
      '杨锐超',
      '银政办发〔2019〕76号',
      '640100-141/2019-00064',
      '银党厅字〔2018〕1号',
    ]) {
      expect(text).toContain(kept);
    }
    const numbers = (s: string) => s.match(/\d+/g) ?? [];
    expect(numbers(text)).toEqual(numbers(SEED));
  });

  it('comes through unchanged as HTML paragraphs', () => {
    const html = SEED.split('\n')
      .map((line) => `<p>${line.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</p>`)
      .join('\n');
    const result = deidentifyHtml(html, { highlight: true });
    expect(result.report.total).toBe(0);
    expect(result.html).toBe(html);
  });
});

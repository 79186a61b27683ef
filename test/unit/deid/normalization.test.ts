import { describe, expect, it } from 'vitest';
import { deidentifyText, detect, normalize } from '../../../shared/deid/index.js';
import { digitsOnly, fullWidth, luhnCard, residentId } from './helpers.js';

const ID = residentId('640104', '19850612', '123');

describe('Function: normalize', () => {
  it('folds full-width digits and letters to ASCII (NFKC)', () => {
    expect(normalize('ＱＱ：１２３４５').text).toBe('QQ：12345');
  });

  it('drops zero-width and other format characters', () => {
    expect(normalize('1\u200b3\u200c9\u200d\ufeff\u2060\u00ad5').text).toBe('1395');
  });

  it('drops spaces, hyphens and · between digits and letters but not elsewhere', () => {
    expect(normalize('139 1234-5678').text).toBe('13912345678');
    expect(normalize('宁A·12345').text).toBe('宁A12345');
    expect(normalize('第一 条').text).toBe('第一 条');
  });

  it('maps every normalized span back to the exact original span', () => {
    const text = '电话：１\u200b３９ ９５１２-３４５６。';
    const n = normalize(text);
    const at = n.text.indexOf('13995123456');
    const back = n.toOriginal(at, at + 11);
    expect(text.slice(back.start, back.end)).toBe('１\u200b３９ ９５１２-３４５６');
  });

  it('folds mathematical digits outside the BMP', () => {
    expect(normalize('𝟏𝟑𝟗').text).toBe('139');
  });
});

describe('Evasions', () => {
  it('finds an ID written with full-width digits', () => {
    const text = `身份证号：${fullWidth(ID)}。`;
    const [d] = detect(text);
    expect(d?.type).toBe('resident-id');
    expect(text.slice(d?.start, d?.end)).toBe(fullWidth(ID));
  });

  it('finds an ID with zero-width characters inside', () => {
    const hidden = [...ID].join('\u200b');
    const text = `身份证号${hidden}。`;
    const { text: out } = deidentifyText(text);
    expect(digitsOnly(normalize(out).text)).not.toContain(ID.slice(6));
    expect(out).toBe('身份证号640104************。');
  });

  it('finds an ID and a card written in groups with spaces and hyphens', () => {
    const card = luhnCard('622848', 19);
    const text = `身份证 ${ID.slice(0, 6)} ${ID.slice(6, 14)} ${ID.slice(14)}，卡号 ${card.slice(0, 4)}-${card.slice(4, 8)}-${card.slice(8)}。`;
    expect(detect(text).map((d) => d.type)).toEqual(['resident-id', 'bank-card']);
  });

  it('finds a mobile number mixing full-width digits, zero-width characters and hyphens', () => {
    const text = `手机：１３９\u200d-９５１２-\u2060３４５６`;
    const { text: out } = deidentifyText(text);
    expect(out).toBe('手机：139****3456');
  });

  it('finds an e-mail address with a full-width @', () => {
    expect(deidentifyText('邮箱：ｚｈａｎｇｓａｎ＠ｑｑ．ｃｏｍ').text).toBe('邮箱：z***@qq.com');
  });
});

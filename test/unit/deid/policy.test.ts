import { describe, expect, it } from 'vitest';
import {
  deidentifyText,
  InvalidExemptionError,
  InvalidRemovalRangeError,
  parseExemption,
} from '../../../shared/deid/index.js';
import { luhnCard, residentId } from './helpers.js';

const ID = residentId('640104', '19850612', '123');
const CARD = luhnCard('622848', 19);
const DOC =
  `当事人：张三，男，1985年6月12日出生，公民身份号码：${ID}，住址：宁夏银川市兴庆区解放东街100号3栋2单元502室，` +
  `联系电话：13995123456，银行卡号${CARD}，车牌号宁A12345，邮箱zhangsan85@qq.com，QQ：85123456。`;

describe('Policy: transforms', () => {
  it('masks each type with its own transform', () => {
    // Act
    const { text, report } = deidentifyText(DOC);
    // Assess
    expect(text).toBe(
      '当事人：张某，男，1985年*月**日出生，公民身份号码：640104************，住址：宁夏银川市兴庆区***，' +
        `联系电话：139****3456，银行卡号6228${'*'.repeat(11)}${CARD.slice(-4)}，车牌号宁A*****，邮箱z***@qq.com，QQ：8*******。`,
    );
    expect(report.counts).toEqual({
      'person-name': 1,
      'birth-date': 1,
      'resident-id': 1,
      'home-address': 1,
      mobile: 1,
      'bank-card': 1,
      'licence-plate': 1,
      email: 1,
      'im-account': 1,
    });
    expect(report.total).toBe(9);
  });

  it('reports original offsets and masked previews', () => {
    const { report } = deidentifyText(DOC);
    const id = report.items.find((i) => i.type === 'resident-id');
    expect(id).toBeDefined();
    expect(DOC.slice(id?.start, id?.end)).toBe(ID);
    expect(id?.preview).toBe('640104************');
    expect(report.items.find((i) => i.type === 'person-name')?.preview).toBe('张*');
  });

  it('never holds a raw value anywhere in the report', () => {
    const { report } = deidentifyText(DOC);
    const json = JSON.stringify(report);
    for (const raw of [
      ID,
      CARD,
      '13995123456',
      '张三',
      'zhangsan85',
      '85123456',
      '解放东街100号',
      '宁A12345',
      '6月12日',
    ]) {
      expect(json).not.toContain(raw);
    }
  });
});

describe('Policy: exemptions', () => {
  it('keeps the names under 惩戒公示 but still removes identifiers, phones, cards and addresses', () => {
    const { text, report } = deidentifyText(DOC, { exemption: 'punishment-publicity' });
    expect(text).toContain('当事人：张三，');
    expect(text).not.toContain(ID);
    expect(text).not.toContain('13995123456');
    expect(text).not.toContain(CARD);
    expect(text).not.toContain('解放东街');
    expect(report.counts['person-name']).toBeUndefined();
  });

  it('parses the accepted exemption names', () => {
    expect(parseExemption('惩戒公示')).toBe('punishment-publicity');
    expect(parseExemption(' 强制性信息披露 ')).toBe('mandatory-disclosure');
    expect(parseExemption('punishment-publicity')).toBe('punishment-publicity');
    expect(parseExemption('mandatory-disclosure')).toBe('mandatory-disclosure');
  });

  it('rejects an unknown exemption with a named error listing the accepted values', () => {
    expect(() => parseExemption('全部公开')).toThrow(InvalidExemptionError);
    try {
      parseExemption('全部公开');
    } catch (error) {
      expect((error as Error).name).toBe('InvalidExemptionError');
      expect((error as Error).message).toContain('惩戒公示');
      expect((error as Error).message).toContain('强制性信息披露');
    }
  });
});

describe('Policy: 删减后公开 removals', () => {
  it('replaces a removal range with a marker that gives the reason', () => {
    const text = '一、总体要求。二、涉及国家秘密的内容。三、工作要点。';
    const start = text.indexOf('二');
    const end = text.indexOf('三');
    const result = deidentifyText(text, { removals: [{ start, end, reason: '涉及国家秘密' }] });
    expect(result.text).toBe('一、总体要求。〔此处删减：涉及国家秘密〕三、工作要点。');
    expect(result.report.counts.removal).toBe(1);
    expect(result.report.items[0]?.preview).not.toContain('国家秘密的内容');
  });

  it('grows a removal over a detection it overlaps so no part of the value is left', () => {
    const text = `附件：身份证号${ID}等材料。`;
    const start = text.indexOf(ID) + 5;
    const result = deidentifyText(text, {
      removals: [{ start, end: text.indexOf('等'), reason: '个人信息' }],
    });
    expect(result.text).toBe('附件：身份证号〔此处删减：个人信息〕等材料。');
  });

  it('rejects a removal outside the text', () => {
    expect(() => deidentifyText('短文', { removals: [{ start: 1, end: 10, reason: 'x' }] })).toThrow(
      InvalidRemovalRangeError,
    );
  });
});

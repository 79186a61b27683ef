import { describe, expect, it } from 'vitest';
import { deidentifyText, detect } from '../../../shared/deid/index.js';
import { residentId } from './helpers.js';

function names(text: string): string[] {
  return detect(text)
    .filter((d) => d.type === 'person-name')
    .map((d) => text.slice(d.start, d.end));
}

const ID = residentId('640104', '19850612', '123');

describe('Names: private persons are redacted', () => {
  it('redacts a name after a private cue as surname + 某', () => {
    expect(deidentifyText('申请人张三于2023年5月6日提出申请。').text).toBe(
      '申请人张某于2023年5月6日提出申请。',
    );
  });

  it.each([
    ['投诉人李四反映'],
    ['举报人：李四，'],
    ['患者李四入院'],
    ['救助对象李四，'],
    ['社区居民李四称'],
    ['当事人：李四，'],
    ['户主李四家'],
    ['被处罚人李四对'],
    ['信访人李四：'],
  ])('redacts the name in "%s"', (text) => {
    expect(names(text)).toEqual(['李四']);
  });

  it('redacts every name of a list after a cue', () => {
    expect(names('救助对象：赵六、钱七、欧阳娜娜。')).toEqual(['赵六', '钱七', '欧阳娜娜']);
  });

  it('redacts a name bound to an ID number in the same clause', () => {
    expect(names(`王五，男，汉族，身份证号码${ID}，现住银川市。`)).toEqual(['王五']);
  });

  it('redacts a name bound to a phone number or home address in the same clause', () => {
    expect(names('赵敏，联系电话13995123456。')).toEqual(['赵敏']);
    expect(names('孙丽，家住兴庆区丽景北街8号。')).toEqual(['孙丽']);
  });

  it('redacts every later mention of a name once it is known to be private', () => {
    const text = '申请人刘洋提出申请。经审查，刘洋的申请符合条件，现对刘洋予以救助。';
    expect(names(text)).toEqual(['刘洋', '刘洋', '刘洋']);
    expect(deidentifyText(text).text).toBe(
      '申请人刘某提出申请。经审查，刘某的申请符合条件，现对刘某予以救助。',
    );
  });

  it('redacts a name in the 姓名 column of a list of private persons', () => {
    const text = '临时救助对象公示\n序号\t姓名\t救助金额\n1\t马国强\t500元\n2\t周小红\t800元\n';
    expect(names(text)).toEqual(['马国强', '周小红']);
  });
});

describe('Names: officials and pseudonyms stay', () => {
  it('keeps officials named with their title before or after the name', () => {
    const text = `组长为中心党组书记、主任王川，副组长为中心副主任马皓，中心综合科主任杨锐超兼任办公室主任。`;
    expect(names(text)).toEqual([]);
  });

  it('keeps an official even in a clause with a personal identifier', () => {
    expect(names(`经办人：王川，当事人身份证号${ID}。`)).toEqual([]);
    expect(names('联系人：马皓，手机13995123456。')).toEqual([]);
    expect(names('执法人员王川、马皓，执法证号64000123。')).toEqual([]);
    expect(names('王川主任，电话13995123456。')).toEqual([]);
  });

  it('keeps already pseudonymized names', () => {
    expect(names('申请人刘某，投诉人张某某，当事人王×。')).toEqual([]);
    expect(names(`当事人李某，身份证号${ID}。`)).toEqual([]);
  });

  it('keeps ordinary words after a cue', () => {
    expect(names('当事人陈述、申辩的权利，当事人应当在收到决定书之日起履行。居民收入稳步增长。')).toEqual([]);
  });

  it('keeps the names in an honours list without private context', () => {
    expect(names('授予王川、马皓、杨锐超同志“优秀公务员”称号。\n姓名\t单位\n王小明\t综合科\n')).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { detect } from '../../../shared/deid/index.js';
import { isValidUscc } from '../../../shared/deid/validators.js';
import { luhnCard, residentId, uscc } from './helpers.js';

/** The detected substrings of `text`, as [type, value] pairs. */
function found(text: string): [string, string][] {
  return detect(text).map((d) => [d.type, text.slice(d.start, d.end)]);
}

function valuesOf(text: string, type: string): string[] {
  return found(text)
    .filter(([t]) => t === type)
    .map(([, v]) => v);
}

const ID = residentId('640104', '19850612', '123');
const ID_X = residentId('640104', '19900101', '123');

/** An all-digit unified social credit code (a public institution, 12…). */
function allDigitUscc(): string {
  for (let k = 0; k < 1000; k++) {
    const code = uscc(`126401004556${String(10000 + k)}`);
    if (/^\d{18}$/.test(code)) return code;
  }
  throw new Error('no all-digit code found');
}

describe('Detector: resident ID (18 digits)', () => {
  it('finds a valid ID after an ID keyword', () => {
    expect(valuesOf(`公民身份号码：${ID}。`, 'resident-id')).toEqual([ID]);
  });

  it('finds a valid ID without any keyword', () => {
    expect(valuesOf(`张某某${ID}已登记`, 'resident-id')).toEqual([ID]);
  });

  it('finds an ID whose check character is X, in upper or lower case', () => {
    expect(valuesOf(`证件号${ID_X}。`, 'resident-id')).toEqual([ID_X]);
    const lower = ID_X.replace('X', 'x');
    expect(valuesOf(`证件号${lower}。`, 'resident-id')).toEqual([lower]);
  });

  it('finds a Hong Kong / Macau / Taiwan residence permit number (810000/820000/830000)', () => {
    const permit = residentId('810000', '19880808', '001');
    expect(valuesOf(`港澳台居民居住证号码${permit}`, 'resident-id')).toEqual([permit]);
  });

  it('finds a foreign permanent-residence ID (9 + province + nationality)', () => {
    const foreign = residentId('931156', '19800101', '002');
    expect(valuesOf(`外国人永久居留身份证${foreign}`, 'resident-id')).toEqual([foreign]);
  });

  it('keeps an 18-digit number whose check digit is wrong', () => {
    const wrong = ID.slice(0, 17) + String((Number(ID[17]) + 1) % 10);
    expect(detect(`编号${wrong}`)).toEqual([]);
  });

  it('keeps an 18-digit number with an impossible region code', () => {
    const fake = residentId('990104', '19850612', '123');
    expect(valuesOf(`编号${fake}`, 'resident-id')).toEqual([]);
  });

  it('keeps an 18-digit number with an impossible date', () => {
    const fake = residentId('640104', '19851332', '123');
    expect(valuesOf(`编号${fake}`, 'resident-id')).toEqual([]);
  });

  it('keeps an 18-digit number whose birth date lies in the future', () => {
    const fake = residentId('640104', '20991231', '123');
    expect(valuesOf(`编号${fake}`, 'resident-id')).toEqual([]);
  });
});

describe('Detector: unified social credit codes stay', () => {
  it('keeps a code with letters', () => {
    const code = uscc('91640100MA76ABCD1');
    expect(isValidUscc(code)).toBe(true);
    expect(detect(`统一社会信用代码：${code}`)).toEqual([]);
  });

  it('keeps an all-digit unified social credit code', () => {
    const code = allDigitUscc();
    expect(detect(`统一社会信用代码：${code}。`)).toEqual([]);
    expect(detect(`单位代码${code}`)).toEqual([]);
  });

  it('keeps an ID-valid number introduced as a credit code', () => {
    expect(detect(`统一社会信用代码：${ID}`)).toEqual([]);
  });
});

describe('Detector: resident ID (15 digits, legacy)', () => {
  it('finds a 15-digit ID after an ID keyword', () => {
    expect(valuesOf('身份证号：640104850612123，', 'resident-id-legacy')).toEqual(['640104850612123']);
  });

  it('keeps a 15-digit number without an ID keyword', () => {
    expect(valuesOf('合同编号640104850612123', 'resident-id-legacy')).toEqual([]);
  });
});

describe('Detector: mobile numbers', () => {
  it('finds a plain mobile number', () => {
    expect(valuesOf('联系电话13995123456。', 'mobile')).toEqual(['13995123456']);
  });

  it('finds a mobile number with +86 and 0086 prefixes', () => {
    expect(valuesOf('电话+86 139 9512 3456', 'mobile')).toEqual(['+86 139 9512 3456']);
    expect(valuesOf('电话0086-13995123456', 'mobile')).toEqual(['0086-13995123456']);
  });

  it('finds a mobile number written with hyphens or spaces', () => {
    expect(valuesOf('手机139-9512-3456', 'mobile')).toEqual(['139-9512-3456']);
    expect(valuesOf('手机 199 0000 1111 ', 'mobile')).toEqual(['199 0000 1111']);
  });

  it('keeps an 11-digit number with a prefix not in service', () => {
    expect(valuesOf('编号12012345678', 'mobile')).toEqual([]);
    expect(valuesOf('编号15412345678', 'mobile')).toEqual([]);
  });

  it('keeps a 12-digit number that contains a mobile-looking run', () => {
    expect(valuesOf('流水号139951234567', 'mobile')).toEqual([]);
  });

  it('separates a date from a mobile number that follows it', () => {
    expect(valuesOf('2019-07-19 13995123456', 'mobile')).toEqual(['13995123456']);
  });
});

describe('Detector: landlines', () => {
  it('finds a private landline of an applicant', () => {
    expect(valuesOf('申请人张三，家庭电话0951-5012345。', 'landline')).toEqual(['0951-5012345']);
  });

  it('finds a landline written with the area code in brackets', () => {
    expect(valuesOf('申请人张三，电话（0951）5012345。', 'landline')).toEqual(['（0951）5012345']);
  });

  it("keeps an office's telephone numbers", () => {
    expect(detect('咨询电话：0951-6888888。')).toEqual([]);
    expect(detect('办公电话：010-65001234，传真：010-65001235。')).toEqual([]);
    expect(detect('联系人：王川，联系电话：0951-6888888。')).toEqual([]);
  });

  it('keeps hotlines', () => {
    expect(detect('请拨打12345政务服务便民热线，或12315、110、400-123-4567。')).toEqual([]);
  });
});

describe('Detector: e-mail addresses', () => {
  it('finds a private e-mail address at a free provider', () => {
    expect(valuesOf('邮箱 zhangsan88@qq.com ', 'email')).toEqual(['zhangsan88@qq.com']);
  });

  it('finds any e-mail address of a private person', () => {
    expect(valuesOf('投诉人李四，电子邮箱li.si@example.com。', 'email')).toEqual(['li.si@example.com']);
  });

  it('keeps government and organisational addresses', () => {
    expect(detect('监督邮箱：xxgk@yinchuan.gov.cn')).toEqual([]);
    expect(detect('投稿邮箱：ycdsj@163.com，欢迎来稿。')).toEqual([]);
    expect(detect('联系邮箱：office@nxu.edu.cn')).toEqual([]);
  });
});

describe('Detector: bank cards', () => {
  it('finds a Luhn-valid 16 and 19 digit card without a keyword', () => {
    const c16 = luhnCard('622202', 16);
    const c19 = luhnCard('622848', 19);
    expect(valuesOf(`转入${c16}和${c19}`, 'bank-card')).toEqual([c16, c19]);
  });

  it('finds a card number in groups of four', () => {
    const c = luhnCard('622848', 19);
    const grouped = `${c.slice(0, 4)} ${c.slice(4, 8)} ${c.slice(8, 12)} ${c.slice(12, 16)} ${c.slice(16)}`;
    expect(valuesOf(`卡号：${grouped}。`, 'bank-card')).toEqual([grouped]);
  });

  it('finds a card number that fails Luhn after a card keyword', () => {
    expect(valuesOf('银行账号：6228480012345678900。', 'bank-card')).toEqual(['6228480012345678900']);
  });

  it('keeps a 16-digit number that fails Luhn and has no keyword', () => {
    const c = luhnCard('622202', 16);
    const broken = c.slice(0, 15) + String((Number(c[15]) + 1) % 10);
    expect(detect(`编号${broken}`)).toEqual([]);
  });
});

describe('Detector: passports and travel permits', () => {
  it('finds a passport number after 护照', () => {
    expect(valuesOf('护照号码：E12345678。', 'passport')).toEqual(['E12345678']);
    expect(valuesOf('护照号EA1234567，', 'passport')).toEqual(['EA1234567']);
  });

  it('finds permit numbers after 港澳通行证 / 台胞证', () => {
    expect(valuesOf('往来港澳通行证C12345678', 'travel-permit')).toEqual(['C12345678']);
    expect(valuesOf('台胞证号码：12345678。', 'travel-permit')).toEqual(['12345678']);
  });

  it('keeps the same shapes without a keyword', () => {
    expect(detect('型号E12345678')).toEqual([]);
  });
});

describe('Detector: licence plates', () => {
  it('finds ordinary and new-energy plates, with · or space', () => {
    expect(valuesOf('车牌号宁A12345，', 'licence-plate')).toEqual(['宁A12345']);
    expect(valuesOf('宁A·12345', 'licence-plate')).toEqual(['宁A·12345']);
    expect(valuesOf('京 AD12345', 'licence-plate')).toEqual(['京 AD12345']);
    expect(valuesOf('粤B12345D号', 'licence-plate')).toEqual(['粤B12345D']);
  });

  it('keeps letter-number codes that are no plates', () => {
    expect(detect('宁ABCDEF')).toEqual([]);
    expect(detect('第A12345号')).toEqual([]);
  });
});

describe('Detector: home addresses', () => {
  it('finds a home address after 住址 down to the room', () => {
    expect(valuesOf('住址：宁夏银川市兴庆区解放东街100号3栋2单元502室，', 'home-address')).toEqual([
      '宁夏银川市兴庆区解放东街100号3栋2单元502室',
    ]);
  });

  it('finds a home address after 家住 and 户籍地', () => {
    expect(valuesOf('张某某家住金凤区阅海湾小区5号楼。', 'home-address')).toEqual(['金凤区阅海湾小区5号楼']);
    expect(valuesOf('户籍地：甘肃省会宁县某某乡某某村三组，', 'home-address')).toEqual([
      '甘肃省会宁县某某乡某某村三组',
    ]);
  });

  it('keeps an office address', () => {
    expect(detect('办公地址：银川市金凤区北京中路168号。')).toEqual([]);
  });
});

describe('Detector: dates of birth', () => {
  it('finds a date after 出生 and before 出生/生', () => {
    expect(valuesOf('出生日期：1985-06-12，', 'birth-date')).toEqual(['1985-06-12']);
    expect(valuesOf('男，1985年6月12日出生，', 'birth-date')).toEqual(['1985年6月12日']);
    expect(valuesOf('男，1985年6月12日生，汉族', 'birth-date')).toEqual(['1985年6月12日']);
  });

  it('keeps other dates', () => {
    expect(detect('本办法自2019年7月19日起施行，2019年7月1日生效。')).toEqual([]);
  });
});

describe('Detector: QQ and WeChat ids', () => {
  it('finds QQ numbers and WeChat ids after their keywords', () => {
    expect(valuesOf('QQ：12345678，', 'im-account')).toEqual(['12345678']);
    expect(valuesOf('QQ12345678，', 'im-account')).toEqual(['12345678']);
    expect(valuesOf('微信号：wang_wu88。', 'im-account')).toEqual(['wang_wu88']);
  });

  it('keeps QQ group numbers and official accounts', () => {
    expect(detect('QQ群：123456789')).toEqual([]);
    expect(detect('微信公众号：yinchuanfabu')).toEqual([]);
  });
});

describe('Detector: look-alikes stay', () => {
  it('keeps 文号, 索引号, dates, amounts, percentages, postal codes and years', () => {
    const text =
      '索引号：640100-141/2019-00064，文号：银政办发〔2019〕76号，成文日期：2019-07-19。' +
      '补偿金额356,000元，合计1234567.89万元，增长12.5%，邮编750001，2019年，共计300个数据集。' +
      '项目编号202107190000123456，订单号20190719123456789012。';
    expect(found(text)).toEqual([]);
  });
});

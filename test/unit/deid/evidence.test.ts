/**
 * The evidence model of DEID.md, one class of evidence per test: names decided by position, role
 * classes, neighbourhood and lists; public capacity kept; identifiers across line breaks and table
 * cells; the exemption by role. The sentences are written for these tests, not taken from any
 * evaluation set.
 */
import { describe, expect, it } from 'vitest';
import { deidentifyText, detect, type PiiType } from '../../../shared/deid/index.js';
import { luhnCard, residentId } from './helpers.js';

function found(text: string, type: PiiType = 'person-name'): string[] {
  return detect(text)
    .filter((d) => d.type === type)
    .map((d) => text.slice(d.start, d.end));
}

const ID = residentId('150102', '19790304', '215');
const ID2 = residentId('640104', '19620711', '037');

describe('Names by role: person nouns, kinship terms and honorifics as classes', () => {
  it.each([
    ['其女刘佳怡陪同前来办理。', '刘佳怡'],
    ['同住人韩立军表示不知情。', '韩立军'],
    ['工友蒋大鹏作证。', '蒋大鹏'],
    ['邻居凌超称其长期占用通道。', '凌超'],
    ['证人何培源的证言在卷。', '何培源'],
    ['车内乘客戴云飞受轻伤。', '戴云飞'],
    ['委托代理人邵立群代为签收。', '邵立群'],
    ['由其子迟敬和（139****0714）代领。', '迟敬和'],
    ['台胞阴承（台胞证0*******）来电。', '阴承'],
    ['来电人付学义先生反映噪音。', '付学义'],
    ['慰问了卢桂兰大娘。', '卢桂兰'],
  ])('masks the person in "%s"', (text, name) => {
    expect(found(text)).toContain(name);
    expect(deidentifyText(text).text).not.toContain(name);
  });

  it('reads names without a known surname and dotted names whole', () => {
    const text = '申请人：旦增曲珍，配偶巴图孟和，证人热依拉·艾买提到场。';
    const out = deidentifyText(text).text;
    for (const name of ['旦增曲珍', '巴图孟和', '艾买提']) expect(out).not.toContain(name);
  });

  it('ends a name where the dictionary starts a word (消费者殷颖销售…)', () => {
    expect(found('当事人向消费者殷颖销售过期食品。')).toEqual(['殷颖']);
  });
});

describe('Names by position: columns, labels with any spacing, the addressee, lists', () => {
  it('masks every cell of a person column of a private list, padded names included', () => {
    const table = `序号\t户主姓名\t身份证号\t家庭住址\n1\t闫　冰\t${ID}\t新华街道东园小区3号楼2单元402室\n2\t朝鲁门\t${ID2}\t幸福路88号`;
    const out = deidentifyText(table).text;
    for (const v of ['闫　冰', '朝鲁门', '3号楼2单元402室', '幸福路88号']) expect(out).not.toContain(v);
  });

  it('reads a label whose characters are spaced out (当 事 人：)', () => {
    expect(found('当 事 人：祁永平 性别：男')).toEqual(['祁永平']);
  });

  it('masks the addressee of a reply letter', () => {
    expect(found('韦振华：\n你于2024年3月1日提出的信访事项收悉。')).toEqual(['韦振华']);
  });

  it('makes a whole 、-list private when it closes with 等N户', () => {
    const out = deidentifyText('工作组走访了乔丽娜、侯文斌等2户困难家庭。').text;
    expect(out).not.toContain('乔丽娜');
    expect(out).not.toContain('侯文斌');
  });

  it('masks a later full mention, in any spelling, of a name found private once', () => {
    const text = `申请人：邝丽萍，身份证号${ID}。\n经核查，邝　丽萍家庭收入符合条件，邝丽\n萍已签字确认。`;
    const out = deidentifyText(text).text;
    expect(out.replace(/\s/g, '')).not.toContain('邝丽萍');
  });
});

describe('Public capacity and public text stay untouched', () => {
  it.each([
    ['办公室主任王川负责组织实施。'],
    ['承办人：方红梅，联系电话：0951-5012345。'],
    ['审判员杨柳青。'],
    ['本决定书符合和标准化建设要求，应向户籍所在地提出申请，当日13时许，高一年级学生参加。'],
  ])('leaves "%s" as it is', (text) => {
    expect(deidentifyText(text).text).toBe(text);
  });

  it('keeps nominees and their birth months in an appointment list (职务 columns)', () => {
    const table =
      '姓名\t性别\t出生年月\t现任职务\t拟任职务\n袁世发\t男\t1977年8月\t太平乡副乡长\t县民政局局长';
    expect(deidentifyText(table).text).toBe(table);
  });

  it('keeps an office address, phone and non-tax account beside a private person', () => {
    const text = `当事人：吕建平，身份证号${ID}。罚款缴至财政局非税收入专户（账号：600986277455205465），本机关地址：兴庆区文化街88号，电话：0951-6011234。`;
    const out = deidentifyText(text).text;
    for (const v of ['600986277455205465', '文化街88号', '0951-6011234']) expect(out).toContain(v);
    expect(out).not.toContain('吕建平');
  });
});

describe('Identifiers across line breaks, table cells and new types', () => {
  it('joins an ID number and a phone cut by the line breaks of hard-wrapped text', () => {
    const wrapped = [
      '经核查，死者苟明哲，男，31岁，伊犁哈萨克自治州喀拉亚尕奇乡人，',
      `身份证号${ID.slice(0, 9)}`,
      `${ID.slice(9)}，系伊犁天润石油化工有限公司临时工，联系电话139`,
      '12345678，事故中当场死亡，其家属已于次日赶到现场进行协助。',
      '调查组对现场进行了勘察，对相关人员进行了询问，调取了监控视频。',
    ]
      .map((line) => line.padEnd(33, '。'))
      .join('\n');
    const out = deidentifyText(wrapped).text.replace(/\s/g, '');
    expect(out).not.toContain(ID);
    expect(out).not.toContain('13912345678');
  });

  it('reads a phone cut at the end of a long line whatever the rest of the text looks like', () => {
    const text =
      '二、临时救助对象：突发重大疾病，救助3600元，由监护人柳某（191-2512-74\n04）代领。\n三、公示期为7天。';
    expect(found(text, 'mobile').map((v) => v.replace(/\D/g, ''))).toEqual(['19125127404']);
    expect(found('电话\n13995\n123456', 'mobile')).toEqual([]);
  });

  it('splits table cells instead of merging them, so a valid ID next to a number is still found', () => {
    const row = `2  魏铭泽  4403049080163166  ${ID}  2014.11  2031.05`;
    expect(found(row, 'resident-id')).toEqual([ID]);
  });

  it.each([
    ['住院号2023181255，', '2023181255'],
    ['病案号：BA20240512', 'BA20240512'],
    ['残疾人证号：64010419620711037X44', '64010419620711037X44'],
    ['社会保障卡（卡号R85003393）', 'R85003393'],
    ['学号2021908395，', '2021908395'],
    ['不慎遗失京（2017）北京市不动产权第0006166号不动产权证书', '京（2017）北京市不动产权第0006166号'],
  ])('masks the record number in "%s"', (text, value) => {
    expect(found(text, 'record-number')).toEqual([value]);
  });

  it('finds a vehicle identification number by its check digit and leaves a wrong one', () => {
    expect(found('车辆识别代号LSVAU218XN2183294。', 'vehicle-id')).toEqual(['LSVAU218XN2183294']);
    expect(found('编号LSVAU2181N2183294。', 'vehicle-id')).toEqual([]);
  });

  it('masks a bank card column and a birth-date column of a private list', () => {
    const card = luhnCard('622202', 19);
    const table = `姓名\t出生日期\t一卡通账号\n马秀兰\t1951.10.11\t${card}`;
    const out = deidentifyText(table).text;
    expect(out).not.toContain(card);
    expect(out).toContain('1951.**.**');
  });
});

describe('Exemption by role: under 惩戒公示 only the persons concerned keep their names', () => {
  it('keeps the punished party and masks the spouse, the witness and every identifier', () => {
    const text = `当事人：丁建军，身份证号${ID}。证人钱晓梅、当事人之配偶罗小燕均在场。`;
    const out = deidentifyText(text, { exemption: 'punishment-publicity' }).text;
    expect(out).toContain('丁建军');
    expect(out).not.toContain(ID);
    expect(out).not.toContain('钱晓梅');
    expect(out).not.toContain('罗小燕');
  });

  it('keeps the entries of a punishment list and nothing in a welfare list', () => {
    const punished =
      '现将违法行为人名单予以曝光：\n1、上官君娟，女，未经批准占用耕地建房，被处以罚款1300元。';
    expect(deidentifyText(punished, { exemption: 'punishment-publicity' }).text).toContain('上官君娟');
    const welfare = `低保对象名单：\n序号\t姓名\t身份证号\n1\t庞国庆\t${ID}`;
    expect(deidentifyText(welfare, { exemption: 'punishment-publicity' }).text).not.toContain('庞国庆');
  });
});

describe('Reasons never quote the document', () => {
  it('names the kind of evidence, not the label as written (a label may hold a name)', () => {
    const text = `序号\t魏国庆户主姓名\t魏国庆家庭住址\t魏国庆残疾证号\n1\t闫　冰\t幸福路88号3单元201室\t64010419620711037X44\n魏国庆住址：解放街12号3单元501室`;
    const { report } = deidentifyText(text);
    expect(report.total).toBeGreaterThanOrEqual(3);
    for (const item of report.items) expect(item.reason).not.toContain('魏国庆');
  });
});

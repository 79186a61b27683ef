/**
 * What a label announces. The same classifier reads a table's column header (户主姓名, 家庭住址,
 * 残疾人证号) and the label of a key-value line (当 事 人：…, 送达地址：…), so that a value is judged by
 * its position whatever the layout. Labels are matched by their meaning-bearing ending, not as a
 * closed list: any label that ends in 人/者/户/姓名 names a person, any that ends in 地址/住址/坐落
 * an address, so that 同住人, 申领人 or 被征收房屋坐落 need no entry of their own.
 */

/** Kind of value a label announces. */
export type FieldKind =
  | 'person' // a private person's name (申请人, 户主姓名, 来电人 …)
  | 'subject' // the person a punishment publicity is about (当事人, 被执行人 …)
  | 'official' // a person acting for an office (承办人, 审判员, 联系人 …)
  | 'address'
  | 'office-address'
  | 'birth'
  | 'id'
  | 'number' // a personal record or certificate number (病案号, 残疾证号, 学籍号 …)
  | 'vin'
  | 'account' // a personal bank account
  | 'office-account'
  | 'phone'
  | 'public' // a column that shows public capacity (职务, 拟任职务, 荣誉称号 …)
  | 'gender'
  | 'other';

/** Whitespace inside a label is layout (`当 事 人`), not meaning. */
export function compactLabel(label: string): string {
  let out = '';
  for (const ch of label) if (ch !== ' ' && ch !== '\u3000' && ch !== '\t') out += ch;
  return out;
}

const SUBJECT_LABELS = [
  '法定代表人',
  '当事人',
  '被执行人',
  '失信被执行人',
  '被处罚人',
  '被处罚单位或个人',
  '违法行为人',
  '违法人',
  '违法人员',
  '行政相对人',
  '驾驶人',
  '违法驾驶人',
  '被惩戒人',
  '失信主体',
];

/** Persons acting for an office: their names are public in the document. */
export const OFFICIAL_LABELS: readonly string[] = [
  '承办人',
  '经办人',
  '审核人',
  '审批人',
  '签发人',
  '批准人',
  '执法人员',
  '办案人员',
  '执法人',
  '审判长',
  '审判员',
  '人民陪审员',
  '陪审员',
  '书记员',
  '执行员',
  '法官助理',
  '联系人',
  '负责人',
  '起草人',
  '核稿人',
  '记录人',
  '调查人',
  '送达人',
  '发布人',
  '填报人',
  '监督人',
  '责任领导',
  '包联干部',
  '网格员',
  '工作人员',
  '推荐单位',
];

/** Ordinary endings of a label for a person. */
const PERSON_ENDINGS = [
  '姓名',
  '名字',
  '人',
  '者',
  '户主',
  '户',
  '对象',
  '家属',
  '亲属',
  '男方',
  '女方',
  '车主',
  '业主',
  '房主',
  '驾驶员',
  '学生',
  '患者',
  '老人',
];

/** Ordinary labels ending like a person label that are not about a person. */
const NOT_PERSON = [
  '人数',
  '保障人数',
  '户数',
  '人口',
  '收入',
  '个人',
  '本人',
  '人员类别',
  '对象类别',
  '救助对象类别',
  '人员类型',
  '对象类型',
  '申请人数',
  '家庭人口',
  '签收人',
  '单位',
  '地方',
  '甲方',
  '乙方',
  '双方',
  '各方',
  '官方',
  '处方',
  '配方',
  '平方',
  '立方',
  '自主',
];

const ADDRESS_ENDINGS = [
  '房号',
  '门牌号',
  '房源',
  '房屋',
  '地址',
  '住址',
  '住所',
  '坐落',
  '居住地',
  '户籍地',
  '所在地',
  '家住',
  '现住',
  '住处',
];
const OFFICE_ADDRESS_MARKS = [
  '单位',
  '办公',
  '机关',
  '受理',
  '接待',
  '来访',
  '窗口',
  '服务',
  '本局',
  '本院',
  '本机关',
  '法院',
  '大厅',
];

const NUMBER_LABELS: [string, string][] = [
  ['病案号', '病案号'],
  ['住院号', '住院号'],
  ['门诊号', '门诊号'],
  ['就诊号', '就诊号'],
  ['病历号', '病历号'],
  ['残疾人证号', '残疾人证号'],
  ['残疾证号', '残疾人证号'],
  ['残疾证', '残疾人证号'],
  ['社会保障卡号', '社保卡号'],
  ['社保卡号', '社保卡号'],
  ['社保号', '社保卡号'],
  ['社保编号', '社保卡号'],
  ['社会保障号', '社保卡号'],
  ['医保编号', '医保号'],
  ['医保卡号', '医保号'],
  ['医保号', '医保号'],
  ['医疗保险号', '医保号'],
  ['参保编号', '医保号'],
  ['参保号', '医保号'],
  ['个人编号', '医保号'],
  ['学籍号', '学籍号'],
  ['学号', '学籍号'],
  ['不动产权证号', '不动产权证号'],
  ['不动产权证书号', '不动产权证号'],
  ['不动产权证', '不动产权证号'],
  ['不动产证号', '不动产权证号'],
  ['产权证号', '不动产权证号'],
  ['房产证号', '不动产权证号'],
  ['房屋所有权证号', '不动产权证号'],
  ['土地证号', '不动产权证号'],
  ['权证号', '不动产权证号'],
  ['优待证号', '优待证号'],
  ['优待证编号', '优待证号'],
  ['退役军人证号', '优待证号'],
  ['结婚证字号', '结婚证号'],
  ['结婚证号', '结婚证号'],
  ['离婚证号', '结婚证号'],
  ['驾驶证号', '驾驶证号'],
  ['驾驶证', '驾驶证号'],
  ['工号', '工号'],
  ['档案号', '档案号'],
  ['证书编号', '证书编号'],
  ['救助证号', '救助证号'],
  ['低保证号', '救助证号'],
  ['特困证号', '救助证号'],
  ['供养证号', '救助证号'],
];

/** The record-number kind a label names (病案号, 残疾人证号 …), or undefined. */
export function numberKind(label: string): string | undefined {
  let l = compactLabel(label);
  if (l.endsWith('码')) l = l.slice(0, -1);
  // Only labels ending in one of the endings' last characters (号, 证 …) can match.
  const candidates = NUMBER_LABELS_BY_LAST.get(l[l.length - 1] ?? '');
  if (candidates === undefined) return undefined;
  for (const [ending, kind] of candidates) if (l.endsWith(ending)) return kind;
  return undefined;
}

const NUMBER_LABELS_BY_LAST = new Map<string, [string, string][]>();
for (const entry of NUMBER_LABELS) {
  const last = entry[0][entry[0].length - 1] ?? '';
  NUMBER_LABELS_BY_LAST.set(last, [...(NUMBER_LABELS_BY_LAST.get(last) ?? []), entry]);
}

const ends = (l: string, words: readonly string[]): boolean => words.some((w) => l.endsWith(w));
const has = (l: string, words: readonly string[]): boolean => words.some((w) => l.includes(w));

/**
 * Classify a label (column header or key-value label). Whitespace is ignored; a trailing 码/号码
 * or bracketed unit (（元）) does not change the meaning.
 */
export function classifyLabel(label: string): FieldKind {
  let l = compactLabel(label).replace(/[（(][^）)]*[）)]$/, '');
  if (l.length === 0 || l.length > 14) return 'other';
  if (l.endsWith('：') || l.endsWith(':')) l = l.slice(0, -1);
  if (/^[一二三四五六七八九十]/.test(l) && l.length > 6) return 'other';
  if (has(l, ['身份证', '身份号', '证件号', '公民身份', '证件号码'])) return 'id';
  if (has(l, ['车架号', '车辆识别代号', '车辆识别码', 'VIN'])) return 'vin';
  if (numberKind(l) !== undefined) return 'number';
  if (has(l, ['非税', '专户', '对公', '收款单位', '缴款账户', '单位账号', '国库'])) return 'office-account';
  if (has(l, ['卡号', '账号', '帐号', '账户', '帐户', '存折', '一卡通', '银行卡', '折号'])) return 'account';
  if (has(l, ['电话', '手机', '联系方式', '号码'])) return 'phone';
  if (has(l, ['出生', '生日', '出生年月'])) return 'birth';
  if (l === '性别' || l === '民族') return 'gender';
  if (ends(l, ADDRESS_ENDINGS) || l === '住' || l === '籍贯住址') {
    return has(l, OFFICE_ADDRESS_MARKS) ? 'office-address' : 'address';
  }
  if (
    has(l, [
      '职务',
      '拟任',
      '现任',
      '职称',
      '荣誉',
      '称号',
      '工作单位',
      '所在单位',
      '任职',
      '学历',
      '职级',
      '表彰',
    ])
  ) {
    return 'public';
  }
  if (SUBJECT_LABELS.includes(l) || (l.endsWith('姓名') && SUBJECT_LABELS.includes(l.slice(0, -2)))) {
    return 'subject';
  }
  if (ends(l, OFFICIAL_LABELS)) return 'official';
  if (NOT_PERSON.includes(l) || ends(l, ['人数', '户数', '金额', '标准', '类别', '类型'])) return 'other';
  if (ends(l, PERSON_ENDINGS)) return 'person';
  return 'other';
}

/** Kinds whose values are personal data when the record is about a private person. */
export const PRIVATE_VALUE_KINDS: ReadonlySet<FieldKind> = new Set([
  'address',
  'birth',
  'id',
  'number',
  'vin',
  'account',
  'phone',
]);

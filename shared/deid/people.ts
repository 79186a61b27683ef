/**
 * Who in a text is a private person. Names are decided by evidence, combined:
 *
 * - position: a cell under a person column of a private list, the value of a person label
 *   (`当 事 人：…`, `来电人：…`), the addressee line of a letter (`韦振华：` then 你/您 …);
 * - role as a class: a person noun, kinship term or honorific right before or after the name
 *   (同住人韩立军, 其女刘佳怡, 工友蒋大鹏, 付学义先生, 张三大爷) — person nouns by their productive
 *   endings (…人, …者, …户, …人员, …对象), the rest (村民, 工友, 乘客 …) and kinship terms as words;
 * - the entries of a numbered list whose title announces aid recipients (4、强妹娇，…);
 * - neighbourhood: 性别/年龄/民族 right after the name (张三，男，…), or a personal identifier in the
 *   same clause with the name at a clause boundary;
 * - lists: one private member of a 、-list makes the list private; a list closed by 等N人/户 is private.
 *
 * Public capacity wins over weak evidence: a title or unit beside the name (主任王川), an official
 * label (承办人：…, 审判员 …), a table with 职务/荣誉 columns and no personal data, a record that
 * speaks of appointment or honour (拟任, 现任, 授予 …). The caller masks every mention of a private
 * name (coreference); this module only decides who is private and where the evidence was.
 */

import type { Field, Table } from './layout.js';
import { isCjk, itemMarkerAt, opensItem, type Span } from './layout.js';
import { COMMON_WORDS, PRIVATE_CUES } from './lexicon.js';
import {
  isGivenChar,
  isNameBoundary,
  isOfficialRole,
  OFFICIAL_ROLES,
  PSEUDONYM_MARKS,
  parseName,
  surnameAt,
  TITLE_WORDS,
  WordIndex,
} from './name-shape.js';
import { WordBreaks } from './word-breaks.js';

/** What is known about one private name. */
export interface PrivatePerson {
  reason: string;
  /** The person a punishment publicity is about (kept under the 惩戒公示 exemption). */
  concerned: boolean;
}

/** Evidence gathered in one document. */
export class People {
  readonly private = new Map<string, PrivatePerson>();
  readonly words: WordBreaks;
  readonly public = new Set<string>();
  /** Positions of private names, for 、-lists. */
  readonly spans: Span[] = [];

  /**
   * Whether the document publishes a list of persons for a punishment or a mandatory disclosure
   * (处罚, 失信, 曝光, 拟聘用 …): only then are the entries of its lists persons concerned.
   */
  readonly publishesPersons: boolean;

  /**
   * Whether the title announces a list of private persons (救助, 补贴, 低保, 资助 …), not of persons
   * in public capacity (表彰, 任前, 拟聘用 …): the numbered entries of its lists are private.
   */
  readonly listsPrivatePersons: boolean;

  constructor(t: string) {
    this.words = new WordBreaks(t);
    // The title says what a publicity is about (关于…失信被执行人名单的公告, …曝光): its first lines.
    const title = titleOf(t);
    this.publishesPersons = PUBLICITY_OF_PERSONS.test(title);
    this.listsPrivatePersons = AID_LIST.test(title) && !PUBLIC_LIST.test(title);
  }

  addPrivate(t: string, span: Span, reason: string, concerned = false): void {
    const name = compactName(t.slice(span.start, span.end));
    if (name.length < 2 || isPseudonym(name)) return;
    const known = this.private.get(name);
    if (known === undefined) this.private.set(name, { reason, concerned });
    else if (concerned) known.concerned = true;
    this.spans.push(span);
  }

  addPublic(t: string, span: Span): void {
    const name = compactName(t.slice(span.start, span.end));
    if (name.length >= 2) this.public.add(name);
  }
}

/** Words of a publicity about persons: punishment (惩戒公示) or mandatory disclosure. */
const PUBLICITY_OF_PERSONS =
  /处罚|违法|失信|曝光|惩戒|罚款|被执行人|吊销|拘留|限制消费|通报批评|拟聘用|拟录用|拟任|录取/;

const AID_LIST =
  /救助|补贴|补助|低保|最低生活|特困|资助|助学|慰问|优待|殡葬|征收|补偿|公租房|医疗|残疾|困难|危房|报销/;
const PUBLIC_LIST = /表彰|任前|拟任|先进|优秀|劳动模范|拟聘|录用|中标|招聘/;

/** The first three non-empty lines of a text (a web page's navigation may come before its title). */
function titleOf(t: string): string {
  const out: string[] = [];
  let s = 0;
  while (s < t.length && out.length < 6) {
    let e = t.indexOf('\n', s);
    if (e < 0) e = t.length;
    if (e - s > 0) out.push(t.slice(s, Math.min(e, s + 80)));
    s = e + 1;
  }
  return out.join('\n');
}

/** A name as compared across mentions: spaces and line breaks inside removed. */
export function compactName(s: string): string {
  let out = '';
  for (const ch of s)
    if (ch !== ' ' && ch !== '\u3000' && ch !== '\n' && ch !== '\r' && ch !== '\t') out += ch;
  return out;
}

function isPseudonym(name: string): boolean {
  for (const ch of name) if (PSEUDONYM_MARKS.has(ch) || ch === '某') return true;
  return false;
}

const NAME_DOTS = '·•・．.‧∙⋅';
const isDot = (c: string | undefined): boolean => c !== undefined && c !== '' && NAME_DOTS.includes(c);

/** Words that end an organisation, a place or a category, never a person's name. */
const NOT_A_NAME_ENDINGS = [
  '公司',
  '局',
  '委',
  '办',
  '厅',
  '院',
  '所',
  '站',
  '队',
  '部',
  '中心',
  '村',
  '镇',
  '乡',
  '街道',
  '社区',
  '委员会',
  '店',
  '厂',
  '社',
  '行',
  '校',
  '学',
  '会',
  '馆',
  '场',
  '组',
  '区',
  '县',
  '市',
  '省',
  '路',
  '街',
  '号',
  '室',
  '楼',
  '供养',
  '护理',
  '自理',
  '补贴',
  '补助',
  '救助',
  '残疾',
  '家庭',
  '对象',
  '人员',
  '合计',
  '小计',
  '总计',
  '本人',
  '无',
  '同上',
  '户主',
  '之子',
  '之女',
  '之妻',
  '之夫',
  '之父',
  '之母',
  '之孙',
  '配偶',
  '子女',
  '父母',
];
const NOT_A_NAME = new Set([
  '性别',
  '名单',
  '年龄',
  '民族',
  '姓名',
  '男',
  '女',
  '汉族',
  '回族',
  '已婚',
  '未婚',
  '其他',
  '不详',
  '待定',
  '暂无',
  '空缺',
]);

/**
 * A whole cell or field value that is a person's name: a dotted name (热依拉·艾买提), a name padded
 * with a space (闫　冰), or 2–8 Chinese characters that are not an organisation, place, category
 * or pseudonym. Position already says it is a name; the shape only has to not contradict it.
 */
export function nameInSlot(t: string, start: number, end: number): Span | null {
  let s = start;
  let e = end;
  while (s < e && (t[s] === ' ' || t[s] === '\u3000')) s++;
  while (e > s && (t[e - 1] === ' ' || t[e - 1] === '\u3000')) e--;
  // A bracket after the name says more about it (张三（户主）, 艾尼瓦尔·吐尔地（艾氏便利店经营者）).
  for (let k = s; k < e; k++) {
    if (t[k] === '（' || t[k] === '(') {
      e = k;
      break;
    }
  }
  // 付学义先生 / 王芳女士: the honorific is not part of the name.
  for (const suffix of HONORIFICS) {
    if (e - s > suffix.length + 1 && t.startsWith(suffix, e - suffix.length)) {
      e -= suffix.length;
      break;
    }
  }
  const value = t.slice(s, e);
  const name = compactName(value);
  if (name.length < 2 || name.length > 12 || NOT_A_NAME.has(name) || isPseudonym(name)) return null;
  let dots = 0;
  for (let k = 0; k < name.length; k++) {
    const ch = name[k] ?? '';
    if (isDot(ch)) {
      dots++;
      if (k === 0 || k === name.length - 1 || isDot(name[k + 1])) return null;
    } else if (!isCjk(ch.charCodeAt(0))) return null;
  }
  if (dots === 0 && name.length > 6) return null;
  // 于先生, 王女士: already a pseudonymous form.
  if (HONORIFICS.some((h) => name.endsWith(h))) return null;
  if (NOT_A_NAME_ENDINGS.some((w) => name.endsWith(w))) return null;
  // Whitespace inside is padding only when it splits a surname from a one- or two-character name.
  if (name.length !== value.length && (dots > 0 || name.length > 4)) return null;
  return { start: s, end: e };
}

/** A dotted transliterated name starting at `p` (艾尼瓦尔·吐尔地), or null. */
export function dottedNameAt(t: string, p: number, words: WordBreaks): Span | null {
  let k = p;
  let parts = 0;
  for (;;) {
    const s = k;
    while (k < t.length && k - s < 8 && isCjk(t.charCodeAt(k))) k++;
    if (k === s) return null;
    parts++;
    if (isDot(t[k]) && isCjk(t.charCodeAt(k + 1)) && parts < 4) {
      k++;
      continue;
    }
    break;
  }
  if (parts < 2) return null;
  // The first part starts at p; a long run before the dot is a sentence, not a name.
  const firstDot = [...t.slice(p, k)].findIndex((c) => isDot(c));
  if (firstDot > 6) return null;
  return { start: p, end: lastPartEnd(t, k, words) };
}

/**
 * Where the last part of a dotted name ends: transliterated syllables are unknown to the dictionary
 * (托|乎|提), so the part ends before the first word it knows or a particle (托乎提|销售, 艾力|系).
 */
function lastPartEnd(t: string, k: number, words: WordBreaks): number {
  let s = k;
  while (s > 0 && isCjk(t.charCodeAt(s - 1))) s--;
  let e = s;
  while (e < k) {
    const w = Math.min(k, words.wordEnd(e));
    // A syllable the dictionary happens to know (阿|不都|热合曼, 托|乎提) stays in a part that is
    // still short; a known word after three characters or more ends it (艾买提|到场).
    if (e > s && (DOTTED_STOP.includes(t[e] ?? '') || (w - e > 1 && e - s >= 3))) break;
    e = w;
  }
  return Math.max(e, s + 1);
}

/** Particles that end a transliterated name; fewer than NAME_STOP (提, 都, 不 spell syllables there). */
const DOTTED_STOP = '在的称说诉受因于向对是系为等和与及被把将已曾从到家，。';

/** The dotted name ending at `e`, if any. */
function dottedNameEndingAt(t: string, e: number, limit: number): Span | null {
  let k = e;
  let sawDot = false;
  while (k > limit && e - k < 24) {
    const ch = t[k - 1];
    if (isCjk(t.charCodeAt(k - 1))) k--;
    else if (isDot(ch) && k - 1 > limit && isCjk(t.charCodeAt(k - 2))) {
      sawDot = true;
      k--;
    } else break;
  }
  return sawDot ? { start: k, end: e } : null;
}

/** A name that starts at `p` in running text: dotted, or a surname with a one- or two-character given name. */
export function nameAt(t: string, p: number, words: WordBreaks): Span | null {
  const dotted = dottedNameAt(t, p, words);
  if (dotted !== null) return dotted;
  const span = parseName(t, p);
  if (span !== null) return span;
  // 闫　冰: a surname, a padding space, a one-character given name.
  const sl = surnameAt(t, p);
  if (sl > 0 && (t[p + sl] === '\u3000' || t[p + sl] === ' ') && isGivenChar(t, p + sl + 1)) {
    const end = p + sl + 2;
    if (end >= t.length || !isCjk(t.charCodeAt(end)) || isNameBoundary(t, end)) return { start: p, end };
  }
  return null;
}

const HONORIFICS = [
  '先生',
  '女士',
  '老人',
  '大爷',
  '大妈',
  '大娘',
  '大伯',
  '阿姨',
  '奶奶',
  '爷爷',
  '婆婆',
  '老师傅',
  '师傅',
  '同学',
  '小朋友',
  '夫妇',
  '老两口',
  '一家',
];

/** Kinship terms and relations that introduce a private person. */
const KINSHIP = [
  '父亲',
  '母亲',
  '妻子',
  '丈夫',
  '儿子',
  '女儿',
  '儿媳',
  '女婿',
  '孙子',
  '孙女',
  '外孙',
  '外孙女',
  '哥哥',
  '弟弟',
  '姐姐',
  '妹妹',
  '爷爷',
  '奶奶',
  '外公',
  '外婆',
  '祖父',
  '祖母',
  '婆婆',
  '岳父',
  '岳母',
  '老伴',
  '前妻',
  '前夫',
  '养子',
  '养女',
  '继子',
  '继女',
  '侄子',
  '侄女',
  '叔叔',
  '舅舅',
  '姑姑',
  '伯伯',
  '其父',
  '其母',
  '其子',
  '其女',
  '其妻',
  '其夫',
  '之子',
  '之女',
  '之妻',
  '之夫',
  '长子',
  '次子',
  '长女',
  '次女',
  '男子',
  '女子',
  '男孩',
  '女孩',
  '同学',
  '学生',
  '幼儿',
  '儿童',
  '孤儿',
  '老兵',
  '群众',
  '党员',
  '邻居',
  '同事',
  '朋友',
  '亲戚',
  '家长',
  '房东',
  '配偶',
  '爱人',
  '包工头',
  '工头',
  '老板',
  '老人',
];
const KINSHIP_SET = new Set(KINSHIP);
const KINSHIP_WORDS = new WordIndex(KINSHIP);

/** Last characters of a person noun (同住人, 患者, 低保户, 村民, 工友, 乘客, 家属, 邻居 …). */
const PERSON_NOUN_END = new Uint8Array(65536);
for (const ch of '人者户') PERSON_NOUN_END[ch.charCodeAt(0)] = 1;

/**
 * Person nouns outside the productive endings above (…人, …者, …户, …人员, …对象): words for
 * residents, companions and parties that end in characters too common to treat as a class.
 */
const PERSON_NOUNS = [
  '人员',
  '对象',
  '村民',
  '居民',
  '市民',
  '农民',
  '牧民',
  '渔民',
  '网民',
  '灾民',
  '股民',
  '工友',
  '病友',
  '室友',
  '战友',
  '好友',
  '乘客',
  '游客',
  '旅客',
  '房客',
  '租客',
  '顾客',
  '家属',
  '亲属',
  '遗属',
  '台胞',
  '侨胞',
  '原告',
  '被告',
  '户主',
  '车主',
  '业主',
  '房主',
  '雇主',
  '店主',
  '驾驶员',
  '学员',
  '队员',
  '社员',
  '职员',
  '党员',
  '会员',
];
const PERSON_NOUN_WORDS = new WordIndex(PERSON_NOUNS);
const PRIVATE_CUE_WORDS = new WordIndex(PRIVATE_CUES);

/** Person nouns ending like the class but naming no private person right after them. */
const NOT_ROLE = [
  '民主',
  '自主',
  '为主',
  '公主',
  '君主',
  '细胞',
  '现象',
  '形象',
  '印象',
  '气象',
  '景象',
  '抽象',
  '报告',
  '公告',
  '通告',
  '广告',
  '警告',
  '预告',
  '宣告',
  '官员',
  '成员',
  '委员',
  '动员',
  '个人',
  '本人',
  '他人',
  '人民',
  '法人',
  '等人',
  '名人',
  '某人',
  '每人',
  '人人',
  '住户',
  '商户',
  '账户',
  '帐户',
  '用户',
  '客户',
  '开户',
  '立户',
  '落户',
  '入户',
  '分户',
  '户户',
  '国民',
  '公民',
  '移民',
];

/** The role word that ends at `e` (after skipping a colon or space), if any, and whether it names the concerned person. */
function roleBefore(
  t: string,
  e: number,
): { kind: 'private' | 'official' | 'concerned'; start: number; known: boolean } | null {
  let b = e;
  while (b > 0 && (t[b - 1] === '：' || t[b - 1] === ':' || t[b - 1] === ' ' || t[b - 1] === '\u3000')) b--;
  // 登记所有人为夏侯晶 / 申请人系张三: a copula between the role and the name.
  if (b === e && b > 2 && '为系是'.includes(t[b - 1] ?? '')) b--;
  if (b < 2) return null;
  const title = TITLE_WORDS.endingAt(t, b);
  if (title !== undefined) return { kind: 'official', start: b - title.length, known: true };
  // The role words of labels (执行员, 承办人, 审判员 …) are read by the same classifier as labels.
  const official = OFFICIAL_ROLES.endingAt(t, b);
  if (official !== undefined) return { kind: 'official', start: b - official.length, known: true };
  const kin = KINSHIP_WORDS.endingAt(t, b);
  if (kin !== undefined) return { kind: 'private', start: b - kin.length, known: true };
  const noun = PERSON_NOUN_WORDS.endingAt(t, b);
  const last = t.charCodeAt(b - 1);
  if (noun === undefined && (PERSON_NOUN_END[last] !== 1 || !isCjk(t.charCodeAt(b - 2)))) return null;
  const two = t.slice(b - 2, b);
  if (NOT_ROLE.includes(two)) return null;
  // 以下人员, 有关人员, 上述人员: personnel in general, not a role that introduces a person.
  if (two === '人员' && '下列述关等有名该此各'.includes(t[b - 3] ?? '')) return null;
  for (const w of CONCERNED_ROLES)
    if (b >= w.length && t.startsWith(w, b - w.length))
      return { kind: 'concerned', start: b - w.length, known: true };
  if (noun !== undefined) return { kind: 'private', start: b - noun.length, known: true };
  // A role of the productive class (…人, …者, …户) whose word the cue list knows needs no segmenter.
  const cue = PRIVATE_CUE_WORDS.endingAt(t, b);
  if (cue !== undefined) return { kind: 'private', start: b - cue.length, known: true };
  return { kind: 'private', start: b - 2, known: false };
}

/** Roles of the person a punishment publicity is about. */
const CONCERNED_ROLES = [
  '当事人',
  '被执行人',
  '被处罚人',
  '违法行为人',
  '违法人员',
  '违法人',
  '驾驶人',
  '失信人',
  '被惩戒人',
];

/** Words in a record that show public capacity: appointment, honour, office. */
const PUBLIC_CAPACITY = [
  '拟任',
  '拟提任',
  '拟提名',
  '拟推荐',
  '现任',
  '任命',
  '免去',
  '任职',
  '试用期',
  '提名为',
  '授予',
  '荣获',
  '评为',
  '表彰',
  '先进',
  '劳动模范',
  '优秀',
  '嘉奖',
  '记功',
  '学历',
  '参加工作',
  '入党',
  '职称',
  '拟聘',
  '拟录用',
];

export function hasPublicCapacity(t: string, s: number, e: number): boolean {
  const text = t.slice(s, e);
  return PUBLIC_CAPACITY.some((w) => text.includes(w));
}

/** What the caller knows of the document's structure. */
export interface DocumentLayout {
  lines: Span[];
  tables: Table[];
  fields: Field[];
  /** Private identifiers (ID, phone, card …), sorted by start. */
  anchors: Span[];
}

/** Start offsets of the lines that are table headers or rows: columns, not prose, decide there. */
function tableLines(tables: Table[]): Set<number> {
  const out = new Set<number>();
  for (const table of tables) {
    out.add(table.headerStart);
    for (const row of table.rows) out.add(row.span.start);
  }
  return out;
}

/** Collect the evidence about persons in `t`. */
export function findPeople(t: string, layout: DocumentLayout): People {
  const people = new People(t);
  fromTables(t, layout.tables, people);
  fromFields(t, layout.fields, people);
  const inTables = tableLines(layout.tables);
  const prose = layout.lines.filter((line) => !inTables.has(line.start));
  for (const line of prose) fromProse(t, line, people);
  fromIdentifiers(t, prose, layout.anchors, people);
  fromLists(t, people);
  for (const name of people.private.keys()) people.public.delete(name);
  return people;
}

function fromTables(t: string, tables: Table[], people: People): void {
  for (const table of tables) {
    for (const row of table.rows) {
      for (const cell of row.cells) {
        if (cell.kind !== 'person' && cell.kind !== 'subject' && cell.kind !== 'official') continue;
        const span = nameInSlot(t, cell.start, cell.end);
        if (span === null) continue;
        if (cell.kind === 'official' || !table.isPrivate) people.addPublic(t, span);
        else people.addPrivate(t, span, '姓名（名单的姓名列）', isConcernedColumn(table, cell, people));
      }
    }
  }
}

/**
 * The persons a publicity is about: a subject column (被执行人, 当事人, 驾驶人 …), or the plain
 * 姓名 column of a list that names no subject (拟聘用人员名单 under 强制性信息披露).
 */
function isConcernedColumn(table: Table, cell: { kind: string; header: string }, people: People): boolean {
  if (cell.kind === 'subject') return true;
  if (!people.publishesPersons) return false;
  const header = compactName(cell.header);
  return !table.kinds.includes('subject') && (header === '姓名' || header === '名字');
}

function fromFields(t: string, fields: Field[], people: People): void {
  for (const f of fields) {
    if (f.kind !== 'person' && f.kind !== 'subject' && f.kind !== 'official') continue;
    const span = valueName(t, f.value, people.words);
    if (span === null) continue;
    if (f.kind === 'official' || isOfficialRole(t, span.start, span.end, false)) people.addPublic(t, span);
    else people.addPrivate(t, span, '姓名（姓名栏）', f.kind === 'subject');
  }
}

/**
 * A value in a name's position that also has a name's shape: a known surname, a dotted name, or
 * (旦增曲珍, 巴特尔) three to six characters that can be given-name characters and that the
 * dictionary does not know as a word.
 */
function plausibleName(t: string, span: Span, words: WordBreaks): boolean {
  if (surnameAt(t, span.start) > 0 || dottedNameAt(t, span.start, words) !== null) return true;
  return surnamelessNameEnds(t, span.start, span.end) && words.allSingle(span.start, span.end);
}

/** The name at the start of a field value: the whole value when short, else a name with a boundary. */
function valueName(t: string, value: Span, words: WordBreaks): Span | null {
  const whole = nameInSlot(t, value.start, value.end);
  // The label says a person's name follows: the shape only has to allow one (多吉旦增).
  if (
    whole !== null &&
    whole.end - whole.start <= 5 &&
    (plausibleName(t, whole, words) || surnamelessNameEnds(t, whole.start, whole.end))
  ) {
    return whole;
  }
  if (whole !== null && dottedNameAt(t, whole.start, words)?.end === whole.end) return whole;
  const span = nameAt(t, value.start, words);
  if (span === null || span.end > value.end) return null;
  const name = t.slice(span.start, span.end);
  return HONORIFICS.some((h) => name.endsWith(h) || t.startsWith(h, span.end - 1)) ? null : span;
}

const GENDER_AFTER =
  /^[，,（(]\s*(男|女)[，,）)、；;。\s]|^[，,（(]\s*\d{1,3}岁|^[，,（(]\s*[\u4e00-\u9fff]{1,3}族[，,）)]/;

function fromProse(t: string, line: Span, people: People): void {
  const { start, end } = line;
  for (let k = start; k < end; k++) {
    const c = t.charCodeAt(k);
    // One lookup rejects the characters that can start no rule below.
    if (ROLE_TRIGGER[t.charCodeAt(k - 1)] !== 1 && HONORIFIC_START[c] !== 1 && GENDER_TRIGGER[c] !== 1)
      continue;
    // 1. A role word right before (同住人韩立军, 其女刘佳怡, 邻居凌超, 当事人之配偶买买提江•艾力).
    if (k > start + 1 && ROLE_TRIGGER[t.charCodeAt(k - 1)] === 1 && isCjk(c)) {
      // The role first (a table lookup or two), the name after it (the segmenter) only then.
      const role = couldStartName(t, k, end) ? roleBefore(t, k) : null;
      const span =
        role === null
          ? null
          : (delimitedName(t, k, end, people.words, role.known) ??
            // An official's name needs no segmenter: it stays whatever its extent.
            ((surnameAt(t, k) > 0 || dotFollows(t, k, end)) && role.kind !== 'official'
              ? roleName(t, k, end, people.words, role.known)
              : null) ??
            bracketedName(t, k, end));
      if (role !== null && span !== null && span.end <= end) {
        const official =
          role.kind === 'official' &&
          !(NEUTRAL_ROLES.has(t.slice(role.start, k)) && bracketsContact(t, span.end));
        if (official || isOfficialRole(t, span.start, span.end, false)) people.addPublic(t, span);
        else people.addPrivate(t, span, '姓名（前有个人身份词）', role.kind === 'concerned');
        k = span.end - 1;
        continue;
      }
    }
    // 2. An honorific or relation right after (付学义先生, 张三大爷, 纳鑫之孙).
    if (HONORIFIC_START[c] === 1 && k > start) {
      const honorific = HONORIFIC_WORDS.startingAt(t, k);
      if (honorific !== undefined) {
        const span = nameEndingAt(t, k, start);
        if (span !== null && !isOfficialRole(t, span.start, span.end))
          people.addPrivate(t, span, '姓名（后有称谓）');
      }
    }
    // 3. Gender, age or ethnicity right after a name at a clause boundary (苟明哲，男，31岁).
    if (
      GENDER_TRIGGER[c] === 1 &&
      GENDER_NEXT[t.charCodeAt(k + 1)] === 1 &&
      GENDER_AFTER.test(t.slice(k, k + 8))
    ) {
      const span = nameEndingAt(t, k, start, true);
      if (
        span !== null &&
        !isOfficialRole(t, span.start, span.end) &&
        !hasPublicCapacity(t, line.start, line.end)
      ) {
        people.addPrivate(
          t,
          span,
          '姓名（后有性别、年龄或民族）',
          people.publishesPersons && opensEntry(t, span.start, start),
        );
      } else if (span !== null) people.addPublic(t, span);
    }
  }
  // 4. The addressee of a letter: a line that is a name and a colon, the text addressed with 你/您.
  addressee(t, line, people);
  // 5. The entries of a list of aid recipients (4、强妹娇，突发重大疾病，救助3600元).
  if (people.listsPrivatePersons) listEntry(t, line, people);
}

/**
 * A cheap first look before the role and the segmenter: a name starts with a known surname, or is
 * dotted, or (without a known surname) is closed by punctuation or a bracket within eight characters.
 */
function couldStartName(t: string, p: number, lineEnd: number): boolean {
  // Another role word (申请人申请人…, 群众家属) starts no name.
  if (PRIVATE_CUE_WORDS.startingAt(t, p) !== undefined || KINSHIP_WORDS.startingAt(t, p) !== undefined)
    return false;
  if (surnameAt(t, p) > 0) return true;
  if (NOT_NAME_START.includes(t[p] ?? '') || !isGivenChar(t, p)) return false;
  // Without a known surname: closed by punctuation, a bracket or a dot within eight characters.
  for (let k = p + 1; k < lineEnd && k - p <= 8; k++) {
    const c = t.charCodeAt(k);
    if (!isCjk(c)) return k - p >= 2;
  }
  return false;
}

/** A dotted name starts here (热依拉·艾买提): a name dot within its first eight characters. */
function dotFollows(t: string, p: number, lineEnd: number): boolean {
  for (let k = p + 1; k < lineEnd && k - p <= 8; k++) {
    if (isDot(t[k])) return true;
    if (!isCjk(t.charCodeAt(k))) return false;
  }
  return false;
}

/**
 * Roles held for offices and private parties alike (物业负责人, 由联系人…提交): public unless the
 * name is followed by a personal contact in brackets (闵子成（155****0373）).
 */
const NEUTRAL_ROLES = new Set(['联系人', '负责人']);

/** A bracket right after a name that holds a phone number, an ID or a certificate: personal contact. */
function bracketsContact(t: string, e: number): boolean {
  if (t[e] !== '（' && t[e] !== '(') return false;
  const inside = t.slice(e + 1, e + 14);
  return (
    /^\+?[\d*＊][\d*＊ -]{6,}/.test(inside) || /电话|手机|身份证|证件|证号|台胞证|护照|回乡证/.test(inside)
  );
}

/**
 * A name right after a role word that punctuation closes (配偶吉木子洛，…, 证人：巴图孟和。): the whole
 * run of two to five characters when it has a name's shape.
 */
function delimitedName(
  t: string,
  p: number,
  lineEnd: number,
  words: WordBreaks,
  knownRole: boolean,
): Span | null {
  let e = p;
  while (e < lineEnd && e - p < 6 && (isCjk(t.charCodeAt(e)) || isDot(t[e]))) e++;
  if (e < lineEnd && !'，,。；;、（(：: \u3000'.includes(t[e] ?? '')) return null;
  // 户主李四家, 居民李四称 (at a line's end): the particle is not part of the name.
  if (e - p > 2 && '家称说讲'.includes(t[e - 1] ?? '')) e--;
  if (e - p < 2 || e - p > 5) return null;
  if (TITLE_WORDS.startingAt(t, p) !== undefined) return null;
  const name = t.slice(p, e);
  if (KINSHIP_SET.has(name) || COMMON_WORDS.has(name) || NOT_A_NAME.has(name)) return null;
  const sl = surnameAt(t, p);
  if (sl > 0) {
    // A given name has one or two characters: 玉心楠家 is 玉心楠 at home.
    if (e - p > sl + 2) {
      if (!NAME_STOP.has(t[p + sl + 2] ?? '') || e - p > sl + 3) return null;
      e = p + sl + 2;
    }
    for (let k = p + sl; k < e; k++) if (!isGivenChar(t, k)) return null;
  } else if (!surnamelessNameEnds(t, p, e)) return null;
  // The segmenter last, only for a candidate that passed everything else: does the role word
  // really end here (人民|政府 has no role 市人)? A role word from a list is known to.
  if (!knownRole && !words.isStart(p) && isCjk(t.charCodeAt(p - 1))) return null;
  if (sl === 0 && !words.allSingle(p, e)) return null;
  return nameInSlot(t, p, e);
}

/**
 * A name right after a role word that the dictionary cannot delimit (那仁格日勒, 阴承) but a bracket
 * with a personal contact closes: 由代理人那仁格日勒（173****0514）代领.
 */
function bracketedName(t: string, p: number, lineEnd: number): Span | null {
  let e = p;
  while (e < lineEnd && e - p < 8 && (isCjk(t.charCodeAt(e)) || isDot(t[e]))) e++;
  if (e - p < 2 || !bracketsContact(t, e) || NOT_NAME_START.includes(t[p] ?? '')) return null;
  return nameInSlot(t, p, e);
}

const GENDER_TRIGGER = new Uint8Array(65536);
for (const ch of '，,（(') GENDER_TRIGGER[ch.charCodeAt(0)] = 1;
/** What may follow the comma: 男, 女, an age, an ethnicity (汉族, 蒙古族 …), a space. */
const GENDER_NEXT = new Uint8Array(65536);
for (const ch of '男女0123456789 汉回藏蒙维壮苗彝满朝土哈傣黎白') GENDER_NEXT[ch.charCodeAt(0)] = 1;

/** Characters after which a role word may have ended (its last character, a colon, a copula). */
const ROLE_TRIGGER = new Uint8Array(65536);
for (const w of KINSHIP) ROLE_TRIGGER[w.charCodeAt(w.length - 1)] = 1;
for (const w of PERSON_NOUNS) ROLE_TRIGGER[w.charCodeAt(w.length - 1)] = 1;
for (const ch of '人者户长任记官理事表：: \u3000为系是') ROLE_TRIGGER[ch.charCodeAt(0)] = 1;

/** Characters that end a name in running text (张三称…, 丁峰受伤, 邹春生诉你 …). */
const NAME_STOP = new Set([
  ...'称说家入因于在的向对等到去反提申投诉被把将已曾及与并但却就也都又还仍不未没是系之所从按依据持领获享签拨办交缴取送寄收购买租借欠男女住户现今年岁为受诉',
]);

/**
 * The name right after a role word: a dotted name, or the characters up to the first word that is
 * not part of it. ICU's dictionary segmenter leaves an unknown name as single characters (殷|颖|销售,
 * 马|海|木|呷|的) and keeps dictionary words whole, so a name never swallows the word after it
 * (和|标准, 向|户籍). A single surname takes at most three characters unless a stop follows; a name
 * without a known surname (旦增曲珍, 巴特尔) needs a stop or punctuation right after it.
 */
function roleName(t: string, p: number, lineEnd: number, words: WordBreaks, knownRole: boolean): Span | null {
  // The role word must end where a word starts (社区主任|沙吾提 has no role 区主 before 任).
  if (!knownRole && !words.isStart(p) && isCjk(t.charCodeAt(p - 1))) return null;
  const dotted = dottedNameAt(t, p, words);
  if (dotted !== null) return dotted;
  if (TITLE_WORDS.startingAt(t, p) !== undefined || (NAME_STOP.has(t[p] ?? '') && surnameAt(t, p) === 0))
    return null;
  const windowEnd = Math.min(lineEnd, p + 12);
  const window = t.slice(p, windowEnd);
  let length = 0;
  let segments = 0;
  let stopped = false;
  for (let w = p; w < windowEnd; ) {
    const next = Math.min(windowEnd, words.wordEnd(w));
    const segment = t.slice(w, next);
    w = next;
    const single = segment.length === 1 && isCjk(segment.charCodeAt(0));
    if (segments === 0) {
      if (!isCjk(segment.charCodeAt(0)) || segment.length > 3) return null;
      // A name without a known surname is unknown to the dictionary: single characters only.
      if (segment.length > 1 && surnameAt(t, p) === 0) return null;
      length = segment.length;
    } else if (single && !NAME_STOP.has(segment) && length < 6) {
      length += 1;
    } else if (segments === 1 && length === 1 && segment.length === 2 && isCjk(segment.charCodeAt(0))) {
      // 户主李|四家: the word ends with a particle that follows names (家, 称 …): a one-character name.
      if ('家称说讲'.includes(segment[1] ?? '')) {
        length += 1;
        stopped = true;
        break;
      }
      // 邹|春生诉你, 蒋|大鹏|作证: a given name the dictionary knows, ending where a word starts;
      // after a surname that is also a conjunction or preposition only when a stop follows
      // (群众和|重点|人群 holds no name).
      const ended = isStopAt(t, p + 3) || (words.isStart(p + 3) && !FUNCTION_SURNAMES.includes(t[p] ?? ''));
      if (!ended) return null;
      length += 2;
      segments++;
      stopped = true;
      break;
    } else {
      stopped =
        NAME_STOP.has(segment[0] ?? '') ||
        !isCjk(segment.charCodeAt(0)) ||
        HONORIFICS.some((h) => window.startsWith(h, length));
      break;
    }
    segments++;
  }
  if (segments > 0 && p + length >= Math.min(lineEnd, p + 12)) stopped = true;
  if (length < 2) return null;
  const surname = surnameAt(t, p);
  const limit = surname === 0 ? 6 : surname + (stopped ? 3 : 2);
  if (length > limit) {
    if (surname === 0) return null;
    length = surname + 2;
  }
  if (surname === 0 && !surnamelessNameEnds(t, p, p + length)) return null;
  const span = { start: p, end: p + length };
  for (let k = p + Math.max(surname, 1); k < span.end; k++) if (!isGivenChar(t, k)) return null;
  // 采购人信息：… is a heading: a dictionary word before a colon is no name (信访人李四：… is).
  if (segments === 1 && length >= 2 && (t[span.end] === '：' || t[span.end] === ':')) return null;
  const name = t.slice(span.start, span.end);
  if (KINSHIP_SET.has(name) || isPseudonym(name) || NOT_A_NAME.has(name) || COMMON_WORDS.has(name))
    return null;
  return nameInSlot(t, span.start, span.end) === null ? null : span;
}

/** Characters that start ordinary words, never a name without a surname (有异议, 要求 …). */
const NOT_NAME_START = '有要能会可应需请让使令予给作做进出开关上下来去拉看说问帮送带';

/**
 * A name without a known surname (旦增曲珍, 哈斯其其格) is taken after a role word only when it is at
 * least three characters of possible given-name characters and ends at punctuation, an honorific,
 * a 之-relation or a particle (在, 的, 称 …).
 */
function surnamelessNameEnds(t: string, s: number, e: number): boolean {
  if (e - s < 3 || NOT_NAME_START.includes(t[s] ?? '')) return false;
  for (let k = s; k < e; k++) if (!isGivenChar(t, k)) return false;
  if (e >= t.length || !isCjk(t.charCodeAt(e))) return true;
  if (HONORIFICS.some((h) => t.startsWith(h, e)) || RELATION_AFTER.some((h) => t.startsWith(h, e)))
    return true;
  return NAME_STOP.has(t[e] ?? '');
}

/** Surnames that are far more often a conjunction or preposition (和, 向, 于 …). */
const FUNCTION_SURNAMES = '和向于及与同对把将从以为在';

function isStopAt(t: string, k: number): boolean {
  return k >= t.length || !isCjk(t.charCodeAt(k)) || NAME_STOP.has(t[k] ?? '') || isNameBoundary(t, k);
}

const RELATION_AFTER = ['之子', '之女', '之妻', '之夫', '之孙', '之父', '之母', '之孙女', '之外孙'];
const HONORIFIC_WORDS = new WordIndex([...HONORIFICS, ...RELATION_AFTER]);
const HONORIFIC_START = new Uint8Array(65536);
for (const w of [...HONORIFICS, ...RELATION_AFTER]) HONORIFIC_START[w.charCodeAt(0)] = 1;

const HARD_LEFT = new Uint8Array(65536);
for (const ch of '，,。；;：:、（(）)“”"\'《》【】 \u3000\t|') HARD_LEFT[ch.charCodeAt(0)] = 1;

/**
 * The name that ends at `e`: dotted, or a surname and one or two given characters whose left side
 * is a boundary (line start, punctuation, a role word). With `surnameless`, a run of 2–6 characters
 * after a hard boundary also counts (巴图孟和，男，…): the evidence after it is strong.
 */
function nameEndingAt(t: string, e: number, lineStart: number, surnameless = false): Span | null {
  const dotted = dottedNameEndingAt(t, e, lineStart);
  if (
    dotted !== null &&
    (dotted.start === lineStart ||
      HARD_LEFT[t.charCodeAt(dotted.start - 1)] === 1 ||
      roleBefore(t, dotted.start) !== null)
  ) {
    return dotted;
  }
  for (const len of [3, 2, 4]) {
    const s = e - len;
    if (s < lineStart) continue;
    const sl = surnameAt(t, s);
    if (sl === 0 || len - sl < 1 || len - sl > 2) continue;
    let ok = true;
    for (let k = s + sl; k < e; k++) if (!isGivenChar(t, k)) ok = false;
    if (!ok) continue;
    const leftOk =
      s === lineStart ||
      !isCjk(t.charCodeAt(s - 1)) ||
      roleBefore(t, s) !== null ||
      VERB_BEFORE_NAME.includes(t[s - 1] ?? '');
    if (!leftOk) continue;
    // What ends the name (a comma, an honorific, 等) is already known: the shape decides.
    return { start: s, end: e };
  }
  if (surnameless) {
    let s = e;
    while (s > lineStart && e - s < 6 && isCjk(t.charCodeAt(s - 1))) s--;
    if ((s === lineStart || HARD_LEFT[t.charCodeAt(s - 1)] === 1) && e - s >= 2) return nameInSlot(t, s, e);
  }
  return null;
}

/** Verbs that often stand right before a person's name (慰问张三, 看望李四, 委托王五). */
const VERB_BEFORE_NAME = '望问托将向给对由和与及同请叫让帮了';

const NOT_ADDRESSEE = [
  '附件',
  '抄送',
  '主送',
  '备注',
  '说明',
  '注',
  '特此',
  '此复',
  '联系人',
  '地址',
  '电话',
  '邮编',
  '日期',
  '时间',
  '事由',
  '标题',
  '关于',
  '各位',
  '各单位',
];

function addressee(t: string, line: Span, people: People): void {
  let s = line.start;
  while (s < line.end && (t[s] === ' ' || t[s] === '\u3000')) s++;
  let colon = s;
  while (colon < line.end && colon - s <= 14 && t[colon] !== '：' && t[colon] !== ':') colon++;
  if (colon >= line.end || colon - s < 2 || (t[colon] !== '：' && t[colon] !== ':')) return;
  const label = t.slice(s, colon);
  if (NOT_ADDRESSEE.some((w) => label.startsWith(w) || label.endsWith(w))) return;
  // What follows is addressed to the person: 你/您 on this line or the next.
  const body = t.slice(colon + 1, colon + 200);
  if (!body.includes('你') && !body.includes('您')) return;
  if (colon + 1 < line.end && line.end - colon > 40) {
    // A label inside running text (情况说明：…) is no addressee line.
    const rest = t.slice(colon + 1, line.end).trimStart();
    if (!rest.startsWith('你') && !rest.startsWith('您') && !rest.startsWith('本')) return;
  }
  const span = nameInSlot(t, s, colon);
  // A name, not a label (当前位置：): a known surname, a dotted name, or no word the dictionary knows.
  if (
    span === null ||
    !(
      surnameAt(t, span.start) > 0 ||
      dottedNameAt(t, span.start, people.words) !== null ||
      people.words.allSingle(span.start, span.end)
    )
  )
    return;
  people.addPrivate(t, span, '姓名（答复书的收件人）');
}

/** Private identifiers bind a name at a clause boundary in the same clause (张三，身份证号…). */
function fromIdentifiers(t: string, lines: Span[], anchors: Span[], people: People): void {
  if (anchors.length === 0) return;
  let a = 0;
  for (const line of lines) {
    while (a < anchors.length && (anchors[a]?.end ?? 0) <= line.start) a++;
    if (a >= anchors.length) break;
    const first = anchors[a];
    if (first === undefined || first.start >= line.end) continue;
    if (hasPublicCapacity(t, line.start, line.end)) continue;
    // Clauses of the line that hold an anchor.
    let cs = line.start;
    while (cs < line.end) {
      let ce = cs;
      while (ce < line.end && !'。；;！？'.includes(t[ce] ?? '')) ce++;
      let holds = false;
      for (let k = a; k < anchors.length && (anchors[k]?.start ?? Infinity) < ce; k++)
        if ((anchors[k]?.start ?? 0) >= cs) holds = true;
      if (holds) bindInClause(t, cs, ce, people);
      cs = ce + 1;
    }
  }
}

function bindInClause(t: string, s: number, e: number, people: People): void {
  for (let k = s; k < e; k++) {
    const left = t.charCodeAt(k - 1);
    if (k > s && HARD_LEFT[left] !== 1 && !isDigitCode(left) && !VERB_BEFORE_NAME.includes(t[k - 1] ?? ''))
      continue;
    const span = nameAt(t, k, people.words) ?? itemName(t, k, e, people.words);
    if (span === null || span.end > e) continue;
    const after = t[span.end] ?? '';
    if (!'，,（(、 \u3000\t：:'.includes(after) && span.end !== e && !isNameBoundary(t, span.end)) continue;
    // A name ends where a word starts (高职|一年级 holds no name 高职一).
    if (isCjk(t.charCodeAt(span.end)) && !people.words.isStart(span.end)) continue;
    // 户名：…, 事由：… are labels; a name before a colon only opens a numbered item (（一）况滢：…).
    if ((after === '：' || after === ':') && !opensItem(t, span.start)) continue;
    if (isOfficialRole(t, span.start, span.end)) continue;
    people.addPrivate(
      t,
      span,
      '姓名（与个人证件号、电话或住址同句）',
      people.publishesPersons && opensItem(t, span.start),
    );
    k = span.end - 1;
  }
}

function listEntry(t: string, line: Span, people: People): void {
  let p = line.start;
  while (p < line.end && (t[p] === ' ' || t[p] === '\u3000')) p++;
  const marker = itemMarkerAt(t, p);
  if (marker === 0) return;
  const start = p + marker;
  const span = itemName(t, start, line.end, people.words);
  if (span !== null && !isOfficialRole(t, span.start, span.end))
    people.addPrivate(t, span, '姓名（救助名单的条目）');
}

/**
 * Does the name open an entry of the list a publicity is about (a numbered item or a line of its
 * own)? Such a name is a person concerned: under 惩戒公示 it stays, unlike the witnesses, spouses
 * and informants that role words introduce inside the entries.
 */
function opensEntry(t: string, p: number, lineStart: number): boolean {
  if (opensItem(t, p)) return true;
  let k = lineStart;
  while (k < p && (t[k] === ' ' || t[k] === '\u3000')) k++;
  return k === p;
}

/**
 * A name without a known surname that opens a numbered item and ends at a comma or colon
 * (2. 其木格，学号…): the item's identifiers make it private.
 */
function itemName(t: string, p: number, e: number, words: WordBreaks): Span | null {
  if (!opensItem(t, p)) return null;
  let k = p;
  while (k < e && k - p < 8 && (isCjk(t.charCodeAt(k)) || isDot(t[k]))) k++;
  if (!'，,：:（('.includes(t[k] ?? '')) return null;
  const span = { start: p, end: k };
  // A bracket with a personal contact closes a name whatever the dictionary says (次仁多吉（身份证号…）).
  if (bracketsContact(t, k) && surnamelessNameEnds(t, p, k)) return span;
  return plausibleName(t, span, words) ? span : null;
}

function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** 、-lists: a private member makes its neighbours private; 等N人/户 closes a private list. */
function fromLists(t: string, people: People): void {
  const queue = [...people.spans];
  const seen = new Set<number>();
  while (queue.length > 0) {
    const span = queue.pop() as Span;
    if (seen.has(span.start)) continue;
    seen.add(span.start);
    if (t[span.end] === '、') {
      const next = nameAt(t, span.end + 1, people.words) ?? listItem(t, span.end + 1, people.words);
      if (next !== null && !people.public.has(compactName(t.slice(next.start, next.end)))) {
        people.addPrivate(t, next, '姓名（与个人同列）');
        queue.push(next);
      }
    }
    if (span.start > 0 && t[span.start - 1] === '、') {
      const prev = nameEndingAt(t, span.start - 1, Math.max(0, span.start - 12));
      if (prev !== null && !people.public.has(compactName(t.slice(prev.start, prev.end)))) {
        people.addPrivate(t, prev, '姓名（与个人同列）');
        queue.push(prev);
      }
    }
  }
  // 乔丽娜、侯文斌等2户 / 等3人: the list before is about private persons.
  for (let k = t.indexOf('等'); k >= 0; k = t.indexOf('等', k + 1)) {
    const m = /^等[0-9一二三四五六七八九十两]{1,3}(户|人|位|名)/.exec(t.slice(k, k + 6));
    if (m === null || t.startsWith('同志', k + m[0].length) || t.startsWith('先进', k + m[0].length))
      continue;
    let e = k;
    for (let item = 0; item < 50; item++) {
      // 尹宇航、耿某、费某等3户: step over the members already pseudonymized.
      const pseudonym = /[\u4e00-\u9fff]{1,2}某{1,2}$/.exec(t.slice(Math.max(0, e - 4), e));
      if (pseudonym !== null) {
        const s = e - pseudonym[0].length;
        if (t[s - 1] !== '、') break;
        e = s - 1;
        continue;
      }
      const span = nameEndingAt(t, e, Math.max(0, e - 14));
      if (span === null || isOfficialRole(t, span.start, span.end)) break;
      if (hasPublicCapacity(t, Math.max(0, span.start - 30), Math.min(t.length, k + 20))) break;
      people.addPrivate(t, span, '姓名（等N户/人名单）');
      if (t[span.start - 1] !== '、') break;
      e = span.start - 1;
    }
  }
}

/** A list item that is a short run of Chinese characters up to the next 、 or 等 (旦增曲珍、…). */
function listItem(t: string, p: number, words: WordBreaks): Span | null {
  let e = p;
  while (e < t.length && e - p < 6 && isCjk(t.charCodeAt(e)) && t[e] !== '等') e++;
  if (t[e] !== '、' && t[e] !== '等' && t[e] !== '，' && t[e] !== '。') return null;
  const span = nameInSlot(t, p, e);
  return span !== null && words.allSingle(span.start, span.end) ? span : null;
}

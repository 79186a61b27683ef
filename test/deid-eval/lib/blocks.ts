/** Small helpers shared by the genre templates. */
import type { Ctx, Person } from './ctx.js';
import type { Block, Line, Piece, Tok } from './doc.js';

export interface Genre {
  key: string;
  genre: string;
  punishment?: boolean;
  /** suffix of the site owner (appended to the county), e.g. 人民政府, 民政局 */
  site?: string;
  make: (c: Ctx) => Block[];
}

const asLine = (x: Line | string): Line => (typeof x === 'string' ? [x] : x);
export const title = (x: Line | string): Block => ({ t: 'title', line: asLine(x) });
export const h = (x: Line | string): Block => ({ t: 'h', line: asLine(x) });
export const p = (x: Line | string, align?: 'right' | 'center'): Block =>
  align === undefined ? { t: 'p', line: asLine(x) } : { t: 'p', line: asLine(x), align };
export const table = (head: string[], rows: Array<Array<Line | Piece>>): Block => ({
  t: 'table',
  head,
  rows: rows.map((row) => row.map((cell) => (Array.isArray(cell) ? cell : [cell]))),
});
export const list = (items: Line[]): Block => ({ t: 'list', items });

/** Signature: issuing body and date, right-aligned. */
export function sign(c: Ctx, agency: Tok | string, month?: number): Block[] {
  const m = month ?? c.rng.int(1, 12);
  return [p([agency], 'right'), p([c.date(c.year, m, c.rng.int(1, 28))], 'right')];
}

export const gender = (x: Person): string => (x.male ? '男' : '女');
export const yuan = (n: number): string => (Number.isInteger(n) ? String(n) : n.toFixed(2));

export const RELATIVES_FAMILY = [
  '其女',
  '其子',
  '配偶',
  '其妻',
  '其夫',
  '孙子',
  '孙女',
  '其母',
  '其父',
  '儿媳',
];
export const RELATIVES_OTHER = [
  '同住人',
  '邻居',
  '工友',
  '证人',
  '乘客',
  '负责人',
  '代理人',
  '监护人',
  '联系人',
  '见证人',
];

/** 、-list of names closed by 等N人 / 等N户. */
export function nameList(c: Ctx, people: Person[], unit: '人' | '户' | '名'): Line {
  const out: Line = [];
  people.forEach((x, i) => {
    if (i > 0) out.push('、');
    out.push(c.name(x));
  });
  out.push(`等${people.length + c.rng.int(0, 6)}${unit}`);
  return out;
}

/** A few sentences planting ordinary words that start with a surname character. */
export function plainWords(c: Ctx, which: string[]): Line {
  const lines: Record<string, () => Line> = {
    和标准: () => [`各地要严格按照政策规定`, c.word('和标准'), '审核，不得擅自扩大范围。'],
    向户籍: () => ['对公示结果有异议的，可', c.word('向户籍'), '所在地乡镇人民政府（街道办事处）书面反映。'],
    时许: () => [`当日`, c.word(`${c.rng.int(8, 22)}时许`), '，工作人员到达现场。'],
    高一: () => ['受助学生中', c.word('高一'), '年级占比最高。'],
    马上: () => ['对群众反映的问题要', c.word('马上'), '就办、办就办好。'],
    温度: () => ['把党和政府的', c.word('温度'), '传递到困难群众心坎上。'],
    常规: () => ['本次审核已纳入', c.word('常规'), '核查程序。'],
    白天: () => ['工作人员利用', c.word('白天'), '入户、晚上汇总的方式推进核查。'],
    包括: () => ['公示内容', c.word('包括'), '救助对象基本情况和救助金额。'],
    管理: () => ['请各村（社区）加强动态', c.word('管理'), '。'],
    江河: () => ['汛期', c.word('江河'), '水位上涨，请注意防范。'],
    方案: () => ['严格执行实施', c.word('方案'), '。'],
    任务: () => ['全面完成年度目标', c.word('任务'), '。'],
    石油: () => ['该处位于', c.word('石油'), '管道保护范围内。'],
    金额: () => ['发放', c.word('金额'), '以银行实际到账为准。'],
    林地: () => ['涉及', c.word('林地'), '的，按有关规定另行补偿。'],
    黄金周: () => ['国庆', c.word('黄金周'), '期间暂停现场受理。'],
    周末: () => [c.word('周末'), '及法定节假日不受理现场申请。'],
    万元: () => ['累计发放资金', c.amount(`${c.rng.int(12, 980)}.${c.rng.int(1, 9)}`), c.word('万元'), '。'],
    何时: () => ['群众最关心的是补助', c.word('何时'), '到账。'],
    于是: () => [c.word('于是'), '工作人员当即联系相关部门。'],
    明确: () => ['文件', c.word('明确'), '了申请条件和办理流程。'],
  };
  const out: Line = [];
  for (const w of which) out.push(...(lines[w]?.() ?? []));
  return out;
}

export const ALL_WORDS = [
  '和标准',
  '向户籍',
  '时许',
  '高一',
  '马上',
  '温度',
  '常规',
  '白天',
  '包括',
  '管理',
  '江河',
  '方案',
  '任务',
  '石油',
  '金额',
  '林地',
  '黄金周',
  '周末',
  '万元',
  '何时',
  '于是',
  '明确',
];

/** Enforcement and court genres: 行政处罚, 失信, 公告送达, 执行裁定, 事故认定, 违法曝光. */
import {
  ALL_WORDS,
  type Genre,
  gender,
  h,
  list,
  nameList,
  p,
  plainWords,
  RELATIVES_OTHER,
  sign,
  table,
  title,
} from './blocks.js';
import type { Ctx, Person } from './ctx.js';
import { L, type Line, type Tok } from './doc.js';

const words = (c: Ctx, n: number): Line => plainWords(c, c.rng.sample(ALL_WORDS, n));
const officerNo = (c: Ctx): string => `${c.place.code.slice(0, 2)}${c.rng.digits(6)}`;

const OFFENCES: Array<{ agency: string; fact: string; law: string; basis: string }> = [
  {
    agency: '城市管理局',
    fact: '未经批准擅自在临街店面外搭建彩钢棚',
    law: '中华人民共和国城乡规划法',
    basis: '第四十条',
  },
  {
    agency: '市场监督管理局',
    fact: '销售超过保质期的预包装食品',
    law: '中华人民共和国食品安全法',
    basis: '第三十四条第（十）项',
  },
  {
    agency: '生态环境局',
    fact: '露天焚烧废旧轮胎产生有毒有害烟尘',
    law: '中华人民共和国大气污染防治法',
    basis: '第一百一十九条',
  },
  {
    agency: '自然资源局',
    fact: '未经批准非法占用耕地建房',
    law: '中华人民共和国土地管理法',
    basis: '第七十七条',
  },
  {
    agency: '应急管理局',
    fact: '未按规定对从业人员进行安全生产教育和培训',
    law: '中华人民共和国安全生产法',
    basis: '第二十八条',
  },
  { agency: '农业农村局', fact: '在禁渔期使用电鱼方式捕捞', law: '中华人民共和国渔业法', basis: '第三十条' },
  { agency: '林业局', fact: '未经批准擅自改变林地用途', law: '中华人民共和国森林法', basis: '第三十九条' },
];

function party(c: Ctx, who: Person, spaced: boolean): Line[] {
  const lbl = (s: string): string => (spaced ? [...s].join(' ') : s);
  const addrLabel = c.rng.pick(['住址', '住所', '户籍地', '现住']);
  return [
    L`${lbl('当事人')}：${c.name(who)}`,
    L`性别：${gender(who)}　${c.rng.pick(['出生日期', '出生年月日'])}：${c.birth(who)}`,
    c.rng.chance(0.8)
      ? L`${c.rng.pick(['公民身份号码', '身份证号码', '居民身份证号'])}：${c.idCard(who)}`
      : c.rng.pick([
          () => L`往来港澳通行证号码：${c.hkMacau()}`,
          () => L`台湾居民来往大陆通行证号码：${c.twPermit()}`,
          () => L`护照号码：${c.passport()}`,
        ])(),
    L`${spaced ? lbl(addrLabel) : addrLabel}：${c.address()}`,
    c.rng.chance(0.7)
      ? L`${c.rng.pick(['联系电话', '联系方式', '手机'])}：${c.mobile()}`
      : L`联系电话：${c.landline()}　电子邮箱：${c.email()}`,
  ];
}

export const xzcfJds: Genre = {
  key: 'xzcf-jds',
  genre: '行政处罚决定书',
  make(c) {
    const off = c.rng.pick(OFFENCES);
    const ag = c.agency(off.agency);
    const who = c.person({ minAge: 22, maxAge: 70 });
    const witness = c.person();
    const o1 = c.publicName('officer');
    const o2 = c.publicName('officer');
    const fine = `${c.rng.int(2, 50) * 1000}`;
    const v = c.rng.int(0, 2);
    const head = party(c, who, v === 1).map((line) => p(line));
    const d1 = c.someDate(6);
    const facts =
      v === 2
        ? L`经查明：${d1.tok}${c.word(`${c.rng.int(8, 20)}时许`)}，执法人员${o1}（执法证号${officerNo(c)}）、${o2}（执法证号${officerNo(c)}）在巡查中发现当事人${off.fact}。现场${c.rng.pick(RELATIVES_OTHER.slice(0, 5))}${c.name(witness)}（${c.mobile()}）证实了上述情况。`
        : L`${d1.tok}，本机关接群众举报，依法对当事人${off.fact}一案立案调查。经查，当事人的行为事实清楚，有现场笔录、照片及证人${c.name(witness)}的证言为证。`;
    return [
      title(L`${ag}行政处罚决定书`),
      p([c.docNo(v === 0 ? '罚决字' : '综执罚')], 'center'),
      ...head,
      p(facts),
      p(
        L`本机关认为，当事人的上述行为违反了${c.law(off.law)}${off.basis}的规定。依据有关规定，决定给予如下行政处罚：罚款${c.amount(`${fine}元`)}。${words(c, 1)}`,
      ),
      p(
        L`当事人应当自收到本决定书之日起十五日内，将罚款缴至${c.agency('财政局')}非税收入汇缴专户（账号：${c.account()}），逾期不缴纳的，每日按罚款数额的百分之三加处罚款。`,
      ),
      p(
        L`如不服本决定，可在收到本决定书之日起六十日内向${c.agency('人民政府')}申请行政复议，也可在六个月内向${c.agency('人民法院')}提起行政诉讼。当事人${c.name(who)}已于${c.date(c.year, d1.m + 1, c.rng.int(1, 28))}签收本决定书。`,
      ),
      p(L`承办人：${o1}、${o2}　本机关地址：${c.agencyAddress()}　联系电话：${c.agencyPhone()}`),
      ...sign(c, ag, Math.min(12, d1.m + 2)),
    ];
  },
};

export const xzcfGs: Genre = {
  key: 'xzcf-gs',
  genre: '行政处罚信息公示',
  punishment: true,
  make(c) {
    const v = c.rng.int(0, 2);
    if (v === 0) {
      const rows = Array.from({ length: c.rng.int(4, 8) }, () => {
        const off = c.rng.pick(OFFENCES);
        const who = c.person({ minAge: 22 });
        return [
          [c.docNo('罚')],
          [c.exempt(who)],
          [off.fact],
          [c.law(off.law)],
          [c.amount(`罚款${c.rng.int(1, 30) * 500}元`)],
          [c.agency(off.agency)],
        ];
      });
      return [
        title(`${c.place.county}${c.year}年${c.rng.int(1, 12)}月行政处罚案件信息公示`),
        p(
          L`根据${c.law('中华人民共和国行政处罚法')}第四十八条，现将本月作出的具有一定社会影响的行政处罚决定公示如下：`,
        ),
        table(['决定书文号', '当事人', '违法行为', '处罚依据', '处罚内容', '处罚机关'], rows),
        p(L`公示期限自公示之日起六个月。${words(c, 1)}`),
      ];
    }
    if (v === 1) {
      const off = c.rng.pick(OFFENCES);
      const who = c.person({ minAge: 25 });
      const rep = c.person({ minAge: 25 });
      const comp = c.company();
      return [
        title('行政处罚信息公示表'),
        list([
          L`行政处罚决定书文号：${c.docNo('市监处罚')}`,
          L`被处罚单位：${comp}（统一社会信用代码：${c.creditCode()}）`,
          L`法定代表人（负责人）：${c.debatableName(rep, '被处罚单位的法定代表人随企业处罚信息公示，但本人并非被处罚人')}`,
          L`直接责任人员：${c.exempt(who)}，身份证号码：${c.idCard(who)}`,
          L`违法事实：${off.fact}`,
          L`处罚依据：${c.law(off.law)}${off.basis}`,
          L`处罚结果：罚款${c.amount(`${c.rng.int(1, 20)}万元`)}，没收违法所得`,
          L`处罚机关：${c.agency(off.agency)}　地址：${c.agencyAddress()}　电话：${c.agencyPhone()}`,
        ]),
        p(L`信息来源：${c.agency(off.agency)}。举报人${c.name(c.person())}的信息依法予以保密。`),
      ];
    }
    const off = c.rng.pick(OFFENCES);
    const ps = Array.from({ length: c.rng.int(3, 5) }, () => c.person({ minAge: 20 }));
    const items = ps.map(
      (x) =>
        L`${c.exempt(x)}，${gender(x)}，${off.fact}，被处以罚款${c.rng.int(2, 20) * 100}元（${c.docNo('罚')}）。`,
    );
    return [
      title(`${c.agency(off.agency).text}关于对违法行为人予以公开曝光的通报`),
      p(L`为强化警示教育，现将近期查处的违法行为人${items.length}人名单予以公开：`),
      list(items),
      p(L`以上当事人均已履行处罚决定。${words(c, 2)}`),
      ...sign(c, c.agency(off.agency)),
    ];
  },
};

export const shixin: Genre = {
  key: 'shixin',
  genre: '失信被执行人名单',
  punishment: true,
  site: '人民法院',
  make(c) {
    const court = c.agency('人民法院');
    const v = c.rng.int(0, 2);
    if (v === 0) {
      const rows = Array.from({ length: c.rng.int(5, 9) }, () => {
        const x = c.person({ minAge: 25 });
        return [
          c.exempt(x),
          gender(x),
          String(x.age),
          c.rng.chance(0.5) ? c.premaskedId(x) : c.idCard(x),
          c.caseNo('执'),
          String(c.rng.int(2, 300) * 1000),
          c.rng.pick(['有履行能力而拒不履行', '违反财产报告制度', '违反限制消费令']),
        ];
      });
      return [
        title(`${court.text}失信被执行人名单（${c.year}年第${c.rng.int(1, 12)}期）`),
        p(
          L`根据${c.law('最高人民法院关于公布失信被执行人名单信息的若干规定')}，现将以下失信被执行人予以公布：`,
        ),
        table(['姓名', '性别', '年龄', '身份证号码', '执行案号', '未履行金额（元）', '失信情形'], rows),
        p(L`请以上人员尽快履行义务。知悉被执行人财产线索的，请与执行局联系，电话：${c.agencyPhone()}。`),
        ...sign(c, court),
      ];
    }
    if (v === 1) {
      const comp = c.company();
      const legal = c.person({ minAge: 30 });
      const x = c.person({ minAge: 25 });
      const judge = c.publicName('officer');
      return [
        title('曝光台：失信被执行人'),
        p(
          L`被执行人${c.exempt(x)}，${gender(x)}，${c.rng.pick(['汉族', '回族', '苗族', '蒙古族'])}，${x.birth.y}年${x.birth.m}月生，住${c.address()}，身份证号${c.idCard(x)}。案号${c.caseNo('执')}，执行标的${c.amount(`${c.rng.int(3, 90)}万元`)}。`,
        ),
        p(
          L`被执行单位${comp}（统一社会信用代码${c.creditCode()}），法定代表人${c.exempt(legal)}。案号${c.caseNo('执恢')}，执行法官${judge}。`,
        ),
        p(
          L`${c.exempt(x)}的${c.rng.pick(['配偶', '其子', '代理人'])}${c.name(c.person())}曾表示愿意协调还款，但至今未履行。${words(c, 1)}`,
        ),
        p(L`举报电话：${c.agencyPhone()}`),
      ];
    }
    const ps = Array.from({ length: c.rng.int(4, 6) }, () => c.person({ minAge: 25 }));
    return [
      title(`关于公布一批拒不履行生效法律文书义务的失信被执行人的公告`),
      p(
        L`经${court}依法审查，${ps.map((x) => c.exempt(x)).flatMap((t, i) => (i ? ['、', t] : [t]))}等${ps.length}人有履行能力而拒不履行生效法律文书确定的义务，依法纳入失信被执行人名单。`,
      ),
      list(ps.map((x) => L`${c.exempt(x)}，公民身份号码${c.idCard(x)}，案号${c.caseNo('执')}`)),
      p(L`被纳入名单的人员在乘坐飞机、高铁等方面将受到限制。${words(c, 1)}`),
      ...sign(c, court),
    ];
  },
};

export const songda: Genre = {
  key: 'songda',
  genre: '法院公告送达',
  site: '人民法院',
  make(c) {
    const court = c.agency('人民法院');
    const v = c.rng.int(0, 2);
    const plaintiff = c.person({ minAge: 25 });
    const def = c.person({ minAge: 25 });
    const judge = c.publicName('judge');
    const clerk = c.publicName('judge');
    const caseNo = c.caseNo(c.rng.pick(['民初', '民初', '执']));
    const foreign =
      v === 2 || c.rng.chance(0.4)
        ? c.rng.pick([
            () => L`（港澳居民来往内地通行证号码${c.hkMacau(true)}）`,
            () => L`（台湾居民来往大陆通行证号码${c.twPermit()}）`,
            () => L`（护照号码${c.passport()}）`,
          ])()
        : [];
    return [
      title(v === 0 ? `${court.text}公告` : L`${c.name(def)}：`),
      ...(v === 0 ? [p(L`${c.name(def)}：`)] : []),
      p(
        L`本院受理原告${c.name(plaintiff)}诉被告${c.name(def)}${foreign}${c.rng.pick(['民间借贷纠纷', '离婚纠纷', '房屋租赁合同纠纷', '劳务合同纠纷'])}一案（案号${caseNo}），因你下落不明，依照${c.law('中华人民共和国民事诉讼法')}第九十五条的规定，向你公告送达起诉状副本、应诉通知书、举证通知书及开庭传票。`,
      ),
      p(
        L`原告诉称：被告${c.rng.pick(['出生于', '生于'])}${c.birth(def)}，原${c.rng.pick(['住', '户籍地为', '通讯地址为'])}${c.address()}，身份证号${c.idCard(def)}，${c.rng.pick(['于', '自'])}${c.year - 2}年起下落不明。${words(c, 1)}`,
      ),
      p(
        L`自公告之日起经过三十日即视为送达。本案定于${c.date(c.year, c.rng.int(6, 12), c.rng.int(1, 28))}上午9时在本院第${c.rng.int(1, 12)}法庭公开开庭审理，逾期将依法缺席判决。`,
      ),
      p(
        L`承办法官：${judge}　书记员：${clerk}　联系电话：${c.agencyPhone()}　本院地址：${c.agencyAddress()}`,
      ),
      ...sign(c, court),
    ];
  },
};

export const zhixing: Genre = {
  key: 'zhixing',
  genre: '执行裁定书',
  site: '人民法院',
  make(c) {
    const court = c.agency('人民法院');
    const v = c.rng.int(0, 2);
    const applicant = c.person({ minAge: 25 });
    const debtor = c.person({ minAge: 25 });
    const agent = c.person({ minAge: 25 });
    const judge = c.publicName('judge');
    const judge2 = c.publicName('judge');
    const clerk = c.publicName('judge');
    const caseNo = c.caseNo('执');
    const assets: Line =
      v === 0
        ? L`冻结、划拨被执行人${c.name(debtor)}在中国农业银行账户${c.bankCard()}内存款${c.amount(`${c.rng.int(1, 30) * 1000}元`)}`
        : v === 1
          ? L`查封被执行人${c.name(debtor)}名下位于${c.address({ rural: false })}的房产（不动产权证号${c.propertyCert()}）`
          : L`扣押被执行人${c.name(debtor)}所有的车牌号为${c.plate()}、车辆识别代号${c.vin()}的小型轿车一辆`;
    const lbl = (s: string): string => (v === 2 ? [...s].join(' ') : s);
    return [
      title(`${court.text}执行裁定书`),
      p([caseNo], 'right'),
      p(
        L`${lbl('申请执行人')}：${c.name(applicant)}，${gender(applicant)}，${c.birth(applicant)}出生，${c.rng.pick(['汉族', '汉族', '壮族', '土家族'])}，${c.rng.pick(['住', '住址', '现住'])}${c.address()}。`,
      ),
      p(
        L`委托诉讼${c.rng.pick(['代理人', '代理人：'])}${c.name(agent)}，${c.place.city}${c.rng.pick(['明德', '正义', '同舟'])}律师事务所律师。`,
      ),
      p(
        L`${lbl('被执行人')}：${c.name(debtor)}，${gender(debtor)}，${c.birth(debtor, 'cn')}出生，公民身份号码${c.idCard(debtor)}。`,
      ),
      p(
        L`本院在执行申请执行人${c.name(applicant)}与被执行人${c.name(debtor)}民间借贷纠纷一案中，因被执行人未按执行通知履行法律文书确定的义务，依照${c.law('中华人民共和国民事诉讼法')}第二百五十三条规定，裁定如下：`,
      ),
      p(L`${assets}。`),
      p(L`本裁定立即执行。${words(c, 1)}`),
      p(L`审判长　${judge}`, 'right'),
      p(L`审判员　${judge2}`, 'right'),
      ...sign(c, court).slice(1),
      p(L`书记员　${clerk}`, 'right'),
    ];
  },
};

export const shigu: Genre = {
  key: 'shigu',
  genre: '道路交通事故认定书',
  site: '公安局交通警察大队',
  make(c) {
    const police = c.agency('公安局交通警察大队');
    const v = c.rng.int(0, 2);
    const driver = c.person({ minAge: 20, maxAge: 65 });
    const other = c.person({ minAge: 20, maxAge: 75 });
    const passenger = c.person();
    const officer = c.publicName('officer');
    const officer2 = c.publicName('officer');
    const d = c.someDate(11);
    const hour = c.rng.int(0, 23);
    const place = `${c.place.county}${c.rng.pick(['人民路与建设路交叉口', '国道G210线K1234处', '滨河路中段', '县道X021线', '工业园区三号路'])}`;
    const parties: Line[] = [
      L`当事人${c.name(driver)}，${gender(driver)}，${driver.age}岁，身份证号${c.idCard(driver)}，住${c.address()}，电话${c.mobile()}，驾驶${c.plate()}号小型${c.rng.pick(['轿车', '普通客车', '越野车'])}（车辆识别代号${c.vin()}）。`,
      L`当事人${c.name(other)}，${gender(other)}，${other.age}岁，身份证号${c.idCard(other)}，驾驶${c.plate(false)}号${c.rng.pick(['电动自行车', '两轮摩托车', '轻型货车'])}，${c.rng.pick(['乘客', '同车人'])}${c.name(passenger)}。`,
    ];
    return [
      title(`道路交通事故认定书（${c.rng.pick(['简易程序', '', ''])}）`.replace('（）', '')),
      p([c.docNo('公交认字')], 'right'),
      ...(v === 1 ? [list(parties)] : parties.map((l) => p(l))),
      p(
        L`交通事故时间：${d.tok}${c.word(`${hour}时许`)}；交通事故地点：${place}。天气：${c.rng.pick(['晴', '阴', '小雨'])}，${c.word('白天')}。`,
      ),
      p(
        L`交通事故经过：${c.name(driver)}驾车行驶至事故地点时，与${c.name(other)}驾驶的车辆发生碰撞，造成${c.name(other)}受伤、两车损坏。${c.name(other)}被送往医院救治，住院号${c.medicalRecord()}。${v === 2 ? words(c, 1) : ''}`,
      ),
      p(
        L`根据${c.law('中华人民共和国道路交通安全法实施条例')}第九十一条，认定${c.name(driver)}承担此事故${c.rng.pick(['全部', '主要'])}责任，${c.name(other)}${c.rng.pick(['无责任', '承担次要责任'])}。`,
      ),
      p(L`当事人对本认定有异议的，可自送达之日起三日内向上一级公安机关交通管理部门提出书面复核申请。`),
      p(L`交通警察：${officer}、${officer2}`),
      ...sign(c, police),
    ];
  },
};

export const jiaotong: Genre = {
  key: 'jiaotong',
  genre: '交通违法曝光',
  punishment: true,
  site: '公安局交通警察大队',
  make(c) {
    const police = c.agency('公安局交通警察大队');
    const v = c.rng.int(0, 2);
    const offences = [
      '醉酒驾驶机动车',
      '饮酒后驾驶机动车',
      '无证驾驶',
      '驾驶报废车辆',
      '超员载客',
      '闯红灯',
      '逆向行驶',
    ];
    if (v === 0) {
      const rows = Array.from({ length: c.rng.int(5, 9) }, () => {
        const x = c.person({ minAge: 20, maxAge: 65 });
        return [
          c.exempt(x),
          c.plate(),
          c.rng.pick(offences),
          `${c.place.county}${c.rng.pick(['人民路', '环城路', '迎宾大道'])}`,
          c.rng.pick(['罚款2000元', '吊销驾驶证', '拘留10日']),
        ] as Array<Tok | string>;
      });
      return [
        title(`${police.text}关于${c.year}年第${c.rng.int(1, 20)}期严重交通违法行为的曝光`),
        p(L`为警示广大驾驶人，现将近期查处的严重交通违法行为予以曝光：`),
        table(['驾驶人', '号牌号码', '违法行为', '违法地点', '处理结果'], rows),
        p(L`${words(c, 2)}举报电话：${c.hotline('122')}。`),
        ...sign(c, police),
      ];
    }
    const items = Array.from({ length: c.rng.int(3, 5) }, () => {
      const x = c.person({ minAge: 20, maxAge: 65 });
      const pass = c.person();
      return v === 1
        ? L`驾驶人${c.exempt(x)}（身份证号码${c.idCard(x)}）驾驶${c.plate()}，${c.rng.pick(offences)}，车内${c.rng.pick(['乘客', '同车人'])}${c.name(pass)}未系安全带。`
        : L`${c.exempt(x)}驾驶车辆识别代号为${c.vin()}的${c.rng.pick(['重型货车', '中型客车', '小型轿车'])}（号牌${c.plate()}），${c.rng.pick(offences)}，已依法处理。`;
    });
    return [
      title(`曝光台｜${c.year}年${c.rng.int(1, 12)}月交通违法典型案例`),
      h('违法记录'),
      list(items),
      p(L`${words(c, 1)}交警部门提醒：${c.word('周末')}、节假日将持续开展酒驾醉驾专项整治。`),
      ...sign(c, police),
    ];
  },
};

export const LEGAL: Genre[] = [xzcfJds, xzcfGs, shixin, songda, zhixing, shigu, jiaotong];
export { nameList };

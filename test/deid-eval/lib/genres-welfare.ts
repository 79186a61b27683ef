/** Welfare genres: 低保, 临时救助, 医疗救助, 残疾人补贴, 住院报销, 学生资助, 公租房, 征收补偿. */
import {
  ALL_WORDS,
  type Genre,
  gender,
  h,
  list,
  nameList,
  p,
  plainWords,
  RELATIVES_FAMILY,
  sign,
  table,
  title,
} from './blocks.js';
import type { Ctx, Person } from './ctx.js';
import { type Block, L, type Line } from './doc.js';

const words = (c: Ctx, n: number): Line => plainWords(c, c.rng.sample(ALL_WORDS, n));
const people = (c: Ctx, n: number, opts: Parameters<Ctx['person']>[0] = {}): Person[] =>
  Array.from({ length: n }, () => c.person(opts));
const mbMonthly = (c: Ctx): string => String(c.rng.int(3, 18) * 50);

export const dibao: Genre = {
  key: 'dibao',
  genre: '最低生活保障审批公示',
  site: '民政局',
  make(c) {
    const town = c.town();
    const v = c.rng.int(0, 2);
    const ag = c.agency('民政局');
    const phone = c.agencyPhone();
    if (v === 0) {
      const rows = people(c, c.rng.int(5, 10)).map((x, i) => [
        String(i + 1),
        c.rng.chance(0.3) ? c.padded(x) : c.name(x),
        c.rng.chance(0.2) ? c.premaskedId(x) : c.idCard(x),
        String(c.rng.int(1, 5)),
        c.rng.pick(['A类', 'B类', 'C类']),
        mbMonthly(c),
        c.address(),
      ]);
      return [
        title(`${town}${c.year}年第${c.rng.int(1, 4)}季度城乡最低生活保障新增对象审批公示`),
        p(
          L`根据${c.law('社会救助暂行办法')}和我省最低生活保障审核确认办法，经本人申请、入户调查、信息核对和乡镇审核，现将拟新增低保对象予以公示。${words(c, 2)}`,
        ),
        table(['序号', '户主姓名', '身份证号码', '保障人口', '保障类别', '月保障金（元）', '家庭住址'], rows),
        p(L`公示期为7天。如有异议，请拨打监督电话${phone}或${c.hotline()}反映。`),
        ...sign(c, ag),
      ];
    }
    if (v === 1) {
      const rows = people(c, c.rng.int(5, 9)).map((x) => [
        c.name(x),
        gender(x),
        c.birth(x, c.rng.pick(['dot', 'dash'] as const)),
        c.village(),
        c.rng.pick([
          '家庭收入超标',
          '死亡注销',
          '外出务工收入增加',
          '拥有机动车辆',
          '户籍迁出',
          '家庭成员就业',
        ]),
        c.rng.chance(0.5) ? c.mobile() : c.premaskedMobile(),
      ]);
      return [
        title(`关于${c.year}年${c.rng.int(1, 12)}月城乡低保对象动态调整情况的公示`),
        p(
          L`为进一步规范低保动态${c.word('管理')}，${ag}会同${town}对在保对象开展了复核，以下人员因情况变化拟停止或调整低保待遇：`,
        ),
        table(['姓名', '性别', '出生日期', '所在村（社区）', '调整原因', '联系方式'], rows),
        p(L`${words(c, 2)}监督举报电话：${phone}。`),
        ...sign(c, ag),
      ];
    }
    const hh = people(c, c.rng.int(3, 5), { minAge: 30 });
    const items = hh.map((x) => {
      const rel = c.person();
      const relWord = c.rng.pick(RELATIVES_FAMILY);
      return L`户主${c.name(x)}，${gender(x)}，${c.rng.pick(['身份证号', '公民身份号码', '身份证'])}：${c.idCard(x)}，${c.rng.pick(['家住', '现住', '户籍地'])}${c.address({ rural: true })}，共同生活成员${c.rng.int(2, 5)}人（${relWord}${c.name(rel)}），月人均收入${c.rng.int(150, 600)}元，拟核定保障金${mbMonthly(c)}元/月，${c.rng.pick(['联系电话', '家庭电话', '电话'])}${c.rng.chance(0.5) ? c.landline() : c.mobile()}。`;
    });
    return [
      title(`${town}拟纳入农村低保对象名单公示`),
      p(
        L`经民主评议和入户核查，拟将${nameList(c, c.rng.sample(hh, 2), '户')}纳入农村最低生活保障范围，具体情况如下：`,
      ),
      list(items),
      p(L`${words(c, 3)}公示时间自公布之日起7日。联系电话：${phone}。`),
      ...sign(c, `${town}人民政府`),
    ];
  },
};

export const linshi: Genre = {
  key: 'linshi',
  genre: '临时救助审批公示',
  site: '民政局',
  make(c) {
    const v = c.rng.int(0, 2);
    const ag = c.agency('民政局');
    const phone = c.agencyPhone();
    const reasons = [
      '突发重大疾病',
      '火灾致房屋受损',
      '交通事故致伤',
      '子女上学困难',
      '家庭成员意外死亡',
      '遭受洪涝灾害',
    ];
    if (v === 0) {
      const rows = people(c, c.rng.int(5, 10)).map((x, i) => [
        String(i + 1),
        c.name(x),
        c.rng.pick(reasons),
        String(c.rng.int(5, 60) * 100),
        c.rng.chance(0.15) ? c.premaskedCard() : c.bankCard(),
        c.rng.pick(['农村信用社', '邮储银行', '农业银行', '建设银行']),
      ]);
      return [
        title(`${c.place.county}${c.year}年${c.rng.int(1, 12)}月临时救助审批结果公示`),
        p(
          L`根据${c.law('社会救助暂行办法')}，现将本月临时救助审批结果公示如下，救助资金通过社会化发放渠道直接打卡到户。`,
        ),
        table(['序号', '姓名', '救助原因', '救助金额（元）', '发放账号', '开户银行'], rows),
        p(L`${words(c, 2)}如有异议请在7个工作日内向${ag}反映，电话：${phone}。`),
        ...sign(c, ag),
      ];
    }
    if (v === 1) {
      const a = c.person({ minAge: 25, maxAge: 70 });
      const rel = c.person();
      const hour = c.rng.int(1, 23);
      return [
        title('急难型临时救助“先行救助”情况公示'),
        p(
          L`申请人${c.name(a)}（公民身份号码${c.idCard(a)}，联系电话${c.mobile()}），${c.rng.pick(['家住', '现住', '现居住于'])}${c.address()}。${c.year}年${c.rng.int(1, 12)}月${c.rng.int(1, 28)}日${c.word(`${hour}时许`)}，${c.name(a)}的${c.rng.pick(RELATIVES_FAMILY)}${c.name(rel)}${c.rng.pick(reasons)}，家庭基本生活陷入困境。`,
        ),
        p(
          L`经${c.agency('民政局')}审批，给予先行救助${c.amount(`${c.rng.int(10, 50) * 100}元`)}，资金已转入申请人${c.rng.pick(['银行账户', '社保卡金融账户'])}${c.bankCard('spaced')}。${words(c, 2)}`,
        ),
        p(L`监督电话：${phone}`),
        ...sign(c, ag),
      ];
    }
    const rows = people(c, c.rng.int(3, 5)).map((x) => {
      const guardian = c.person({ minAge: 30 });
      return L`${c.name(x)}，${c.rng.pick(reasons)}，救助${c.rng.int(8, 40) * 100}元，由${c.rng.pick(['监护人', '代理人', '其女', '其子'])}${c.name(guardian)}（${c.mobile()}）代领。`;
    });
    return [
      title(`${c.town()}临时救助对象审批公示（第${c.rng.int(1, 12)}批）`),
      h('一、救助对象'),
      list(rows),
      h('二、监督方式'),
      p(L`公示期间，任何单位和个人均可实名反映。${words(c, 3)}受理电话：${phone}。`),
      ...sign(c, ag),
    ];
  },
};

export const yiliao: Genre = {
  key: 'yiliao',
  genre: '医疗救助结算公示',
  site: '医疗保障局',
  make(c) {
    const v = c.rng.int(0, 2);
    const ag = c.agency('医疗保障局');
    const hosp = `${c.place.city}第${c.rng.pick(['一', '二', '三'])}人民医院`;
    if (v === 0) {
      const rows = people(c, c.rng.int(5, 9), { minAge: 20 }).map((x, i) => [
        String(i + 1),
        c.name(x),
        c.idCard(x),
        c.medicalInsurance(),
        c.rng.pick([hosp, `${c.place.county}人民医院`, `${c.place.county}中医医院`]),
        c.medicalRecord(),
        String(c.rng.int(3000, 90000)),
        String(c.rng.int(500, 20000)),
      ]);
      return [
        title(`${c.year}年${c.rng.int(1, 4)}季度医疗救助“一站式”结算情况公示`),
        p(
          L`为接受社会监督，现将本季度医疗救助“一站式”结算情况予以公示。结算${c.word('金额')}已由定点医疗机构直接减免。`,
        ),
        table(
          [
            '序号',
            '姓名',
            '身份证号',
            '医保编号',
            '就诊医院',
            '住院号',
            '医疗总费用（元）',
            '救助金额（元）',
          ],
          rows,
        ),
        p(L`咨询电话：${c.agencyPhone()}。`),
        ...sign(c, ag),
      ];
    }
    if (v === 1) {
      const expert = c.official();
      const items = people(c, c.rng.int(3, 5), { minAge: 30 }).map(
        (x) =>
          L`${c.name(x)}，${gender(x)}，${x.age}岁，病案号${c.medicalRecord()}，医保个人编号${c.medicalInsurance()}，于${c.rng.int(1, 12)}月在${hosp}住院，核定二次救助${c.rng.int(20, 150) * 100}元。`,
      );
      return [
        title('重特大疾病二次医疗救助对象公示'),
        p(
          L`经${c.agency('医疗保障局')}会同民政部门审核，并经专家组（组长：${hosp}主任医师${expert}）评估，以下${items.length}名患者符合重特大疾病二次救助条件：`,
        ),
        list(items),
        p(L`${words(c, 2)}公示期5个工作日，监督电话${c.agencyPhone()}，也可拨打${c.hotline()}。`),
        ...sign(c, ag),
      ];
    }
    const a = c.person({ minAge: 40 });
    const b = c.person({ minAge: 40 });
    return [
      title(`${c.place.county}医疗救助资金使用情况通报`),
      p(
        L`${c.year}年以来，全县累计救助${c.rng.int(300, 5000)}人次。其中，${c.name(a)}（医保号${c.medicalInsurance()}，身份证${c.idCard(a)}）因尿毒症长期透析，年度个人自付费用${c.rng.int(2, 9)}万余元，获得救助${c.amount(`${c.rng.int(1, 3)}.${c.rng.int(1, 9)}万元`)}；${c.name(b)}（住院号${c.medicalRecord()}）在${hosp}手术后申请救助，经核实后给予救助。`,
      ),
      p(
        L`${c.name(a)}的${c.rng.pick(RELATIVES_FAMILY)}${c.name(c.person())}表示，救助资金解决了家里的燃眉之急。${words(c, 2)}`,
      ),
      ...sign(c, ag),
    ];
  },
};

export const canji: Genre = {
  key: 'canji',
  genre: '残疾人两项补贴名单',
  site: '残疾人联合会',
  make(c) {
    const v = c.rng.int(0, 2);
    const ag = c.agency('残疾人联合会');
    const kinds = ['视力', '听力', '言语', '肢体', '智力', '精神', '多重'];
    const grades = ['一级', '二级', '三级', '四级'];
    if (v === 0) {
      const rows = people(c, c.rng.int(6, 10)).map((x) => [
        c.rng.chance(0.35) ? c.padded(x) : c.name(x),
        c.disabilityCert(x),
        c.rng.pick(kinds),
        c.rng.pick(grades),
        c.rng.pick(['生活补贴', '护理补贴', '生活补贴、护理补贴']),
        String(c.rng.int(6, 20) * 10),
        c.mobile(),
      ]);
      return [
        title(`${c.year}年${c.rng.int(1, 12)}月困难残疾人生活补贴和重度残疾人护理补贴发放名单`),
        p(
          L`根据${c.law('国务院关于全面建立困难残疾人生活补贴和重度残疾人护理补贴制度的意见')}，现将本月新增补贴对象公示如下：`,
        ),
        table(['姓名', '残疾证号', '残疾类别', '残疾等级', '补贴类别', '月补贴（元）', '联系电话'], rows),
        p(L`${words(c, 2)}监督电话：${c.agencyPhone()}`),
        ...sign(c, ag),
      ];
    }
    if (v === 1) {
      const rows = people(c, c.rng.int(5, 8), { maxAge: 17, minAge: 3 }).map((x) => {
        const g = c.person({ minAge: 28 });
        return [
          c.name(x),
          c.disabilityCert(x),
          c.rng.pick(kinds),
          c.name(g),
          c.socialSecurity(),
          c.bankCard(),
        ];
      });
      return [
        title('残疾儿童护理补贴申领审核结果'),
        p(L`以下残疾儿童护理补贴由监护人代为申领，补贴资金发放至监护人社会保障卡。`),
        table(['儿童姓名', '残疾证号', '残疾类别', '监护人', '监护人社保卡号', '银行账号'], rows),
        p(L`${words(c, 2)}`),
        ...sign(c, ag),
      ];
    }
    const ps = people(c, c.rng.int(4, 6));
    return [
      title(`关于停发部分残疾人两项补贴的公告`),
      p(
        L`经与公安、民政等部门数据比对，${nameList(c, ps.slice(0, 3), '人')}因死亡、户籍迁出或享受特困供养等原因，自${c.year}年${c.rng.int(1, 12)}月起停发两项补贴。名单如下：`,
      ),
      table(
        ['姓名', '残疾证号', '停发原因'],
        ps.map((x) => [
          c.name(x),
          c.disabilityCert(x),
          c.rng.pick(['死亡', '户籍迁出', '纳入特困供养', '残疾证过期']),
        ]),
      ),
      p(L`如有异议，请${c.word('向户籍')}所在地乡镇（街道）残联专职委员反映。联系电话：${c.agencyPhone()}。`),
      ...sign(c, ag),
    ];
  },
};

export const zhuyuan: Genre = {
  key: 'zhuyuan',
  genre: '住院医疗费用报销公示',
  site: '医疗保障局',
  make(c) {
    const v = c.rng.int(0, 2);
    const ag = c.agency('医疗保障局');
    if (v === 0) {
      const rows = people(c, c.rng.int(5, 9), { minAge: 30 }).map((x) => {
        const inM = c.rng.int(1, 10);
        return [
          c.name(x),
          c.socialSecurity(),
          c.medicalRecord(),
          `${c.year}-${String(inM).padStart(2, '0')}-${String(c.rng.int(1, 15)).padStart(2, '0')}`,
          `${c.year}-${String(inM + 1).padStart(2, '0')}-${String(c.rng.int(1, 28)).padStart(2, '0')}`,
          String(c.rng.int(8000, 200000)),
          String(c.rng.int(3000, 120000)),
        ];
      });
      return [
        title(`城乡居民医保大额住院费用报销情况公示（${c.year}年第${c.rng.int(1, 4)}期）`),
        p(
          L`现将单次住院医疗费用超过5万元的报销情况公示如下，${c.word('包括')}基本医保、大病保险和医疗救助三重保障。`,
        ),
        table(['参保人', '社保卡号', '住院号', '入院日期', '出院日期', '医疗总费用', '报销金额'], rows),
        p(L`监督电话：${c.agencyPhone()}。`),
        ...sign(c, ag),
      ];
    }
    if (v === 1) {
      const items = people(c, c.rng.int(3, 5), { minAge: 30 }).map((x) => {
        const contact = c.person();
        return L`参保人${c.name(x)}（社会保障卡号${c.socialSecurity()}，医保编号${c.medicalInsurance()}），病案号${c.medicalRecord()}，在外地就医未备案，由${c.rng.pick(['其女', '其子', '配偶', '联系人'])}${c.name(contact)}（${c.mobile()}）提交手工报销材料，报销比例按${c.rng.int(50, 70)}%执行。`;
      });
      return [
        title('异地就医手工报销审核结果公示'),
        p(L`根据${c.law('基本医疗保险跨省异地就医直接结算经办规程')}，${words(c, 1)}`),
        list(items),
        ...sign(c, ag),
      ];
    }
    const a = c.person({ minAge: 50 });
    return [
      title('关于一起医保基金违规报销问题的通报'),
      p(
        L`经查，${c.place.county}某定点医院在为参保人${c.name(a)}（住院号：${c.medicalRecord()}，医保卡号：${c.medicalInsurance()}）办理出院结算时，存在串换项目收费问题，涉及${c.word('金额')}${c.amount(`${c.rng.int(1000, 9000)}元`)}。`,
      ),
      p(L`${c.name(a)}本人对此不知情。医保部门已追回违规资金并约谈医院负责人。${words(c, 2)}`),
      p(L`举报电话：${c.agencyPhone()}；举报邮箱：ybjb@${c.place.code}.gov.cn`),
      ...sign(c, ag),
    ];
  },
};

export const xuesheng: Genre = {
  key: 'xuesheng',
  genre: '学生资助名单',
  site: '教育局',
  make(c) {
    const v = c.rng.int(0, 2);
    const ag = c.agency('教育局');
    const school = `${c.place.county}第${c.rng.pick(['一', '二', '三', '四'])}中学`;
    if (v === 0) {
      const rows = people(c, c.rng.int(6, 10), { minAge: 14, maxAge: 18 }).map((x, i) => {
        const g = c.person({ minAge: 35, maxAge: 60 });
        return [
          String(i + 1),
          c.name(x),
          c.rng.pick(['高一', '高二', '高三']),
          c.studentNo(x),
          c.rng.pick(['国家助学金', '免学杂费', '县级励志奖学金']),
          c.name(g),
          c.bankCard(),
        ];
      });
      return [
        title(`${school}${c.year}年秋季学期普通高中国家助学金受助学生名单公示`),
        p(
          L`根据${c.law('学生资助资金管理办法')}，经学生申请、班级评议、学校审核，现将受助学生名单公示如下：`,
        ),
        table(['序号', '姓名', '年级', '学籍号', '资助项目', '监护人', '发放账号'], rows),
        p(L`${plainWords(c, ['高一'])}公示期5天，监督电话：${c.agencyPhone()}。`),
        ...sign(c, school),
      ];
    }
    if (v === 1) {
      const items = people(c, c.rng.int(4, 6), { minAge: 17, maxAge: 22 }).map(
        (x) =>
          L`${c.name(x)}，学号${c.studentNo(x)}，${c.rng.pick(['中职一年级', '中职二年级', '高职一年级'])}，家长电话${c.mobile()}`,
      );
      return [
        title('“雨露计划”职业教育补助学生名单公示'),
        p(L`为做好脱贫家庭新成长劳动力职业教育补助工作，现将第一批审核通过学生名单公示如下：`),
        list(items),
        p(L`${words(c, 2)}`),
        ...sign(c, c.agency('乡村振兴局')),
      ];
    }
    const ps = people(c, c.rng.int(3, 4), { minAge: 7, maxAge: 15 });
    return [
      title(`${c.place.county}义务教育阶段家庭经济困难学生生活补助发放情况`),
      p(
        L`本学期共资助${c.rng.int(300, 3000)}人，发放补助${c.amount(`${c.rng.int(20, 300)}.${c.rng.int(1, 9)}万元`)}。以下为部分受助学生信息（已征得监护人同意）：`,
      ),
      table(
        ['学生', '全国学籍号', '就读学校', '监护人手机'],
        ps.map((x) => [c.name(x), c.studentNo(x), `${c.village()}小学`, c.mobile()]),
      ),
      p(L`${words(c, 2)}`),
      ...sign(c, ag),
    ];
  },
};

export const gongzufang: Genre = {
  key: 'gongzufang',
  genre: '公租房配租公示',
  site: '住房和城乡建设局',
  make(c) {
    const v = c.rng.int(0, 2);
    const ag = c.agency('住房和城乡建设局');
    if (v === 0) {
      const rows = people(c, c.rng.int(6, 10), { minAge: 22 }).map((x, i) => [
        `GZ${c.year}${String(i + c.rng.int(1, 300)).padStart(4, '0')}`,
        c.name(x),
        c.idCard(x),
        String(c.rng.int(1, 5)),
        c.address({ rural: false }),
      ]);
      return [
        title(`${c.year}年第${c.rng.int(1, 3)}批公共租赁住房摇号配租结果公示`),
        p(
          L`${c.year}年${c.rng.int(1, 12)}月${c.rng.int(1, 28)}日，在公证机构现场监督下进行了公开摇号，摇号结果如下：`,
        ),
        table(['轮候号', '申请人', '身份证号', '家庭人口', '配租房源'], rows),
        p(
          L`根据${c.law('公共租赁住房管理办法')}，${words(c, 1)}咨询电话：${c.agencyPhone()}；地址：${c.agencyAddress()}。`,
        ),
        ...sign(c, ag),
      ];
    }
    if (v === 1) {
      const items = people(c, c.rng.int(3, 5), { minAge: 25 }).map((x) => {
        const spouse = c.person();
        return L`申请人${c.name(x)}，配偶${c.name(spouse)}，现租住${c.address()}，人均住房面积${c.rng.int(5, 14)}平方米，符合保障条件。`;
      });
      return [
        title('公共租赁住房保障资格审核结果公示'),
        p(L`以下家庭经街道初审、区住建局复审，拟认定公租房保障资格：`),
        list(items),
        p(L`${words(c, 2)}公示期10日。`),
        ...sign(c, ag),
      ];
    }
    const a = c.person({ minAge: 30 });
    return [
      title('关于取消部分承租人公租房承租资格的公告'),
      p(
        L`经核查，承租人${c.name(a)}（身份证号${c.idCard(a, 'spaced')}）承租的${c.address({ rural: false })}公租房存在转租行为，违反了${c.law('公共租赁住房管理办法')}第二十七条规定。`,
      ),
      p(
        L`现决定取消${c.name(a)}的承租资格，请于30日内腾退。如有疑问请致电${c.agencyPhone()}。${words(c, 1)}`,
      ),
      ...sign(c, ag),
    ];
  },
};

export const zhengshou: Genre = {
  key: 'zhengshou',
  genre: '征收补偿公示',
  site: '人民政府',
  make(c) {
    const v = c.rng.int(0, 2);
    const ag = c.agency('房屋征收与补偿办公室');
    const project = `${c.place.county}${c.rng.pick(['老城区棚户区改造', '滨河路拓宽工程', '火车站片区更新', '城中村改造'])}项目`;
    const appraiser = c.official();
    const company = c.company();
    if (v === 0) {
      const rows = people(c, c.rng.int(5, 8), { minAge: 30 }).map((x, i) => [
        String(i + 1),
        c.name(x),
        c.address({ rural: false, prefix: 'none' }),
        c.propertyCert(),
        `${c.rng.int(40, 180)}.${c.rng.int(10, 99)}`,
        String(c.rng.int(200000, 1800000)),
        c.bankCard(),
      ]);
      return [
        title(`${project}房屋征收补偿结果公示`),
        p(L`根据${c.law('国有土地上房屋征收与补偿条例')}，现将${project}已签约被征收人补偿情况公示如下：`),
        table(
          ['序号', '被征收人', '房屋坐落', '不动产权证号', '建筑面积（㎡）', '补偿总额（元）', '收款账号'],
          rows,
        ),
        p(L`评估机构：${company}，注册房地产估价师：${appraiser}。${words(c, 1)}`),
        p(L`监督电话：${c.agencyPhone()}。`),
        ...sign(c, ag),
      ];
    }
    if (v === 1) {
      const a = c.person({ minAge: 35 });
      const rel = c.person();
      return [
        title('房屋征收补偿决定书'),
        p([c.docNo('征补')]),
        p(
          L`被征收人：${c.name(a)}，${gender(a)}，${c.birth(a)}出生，身份证号码${c.idCard(a)}，联系电话${c.mobile()}。`,
        ),
        p(
          L`被征收房屋：房屋坐落于${c.address({ rural: false })}，产权证号${c.propertyCert()}，同住人${c.name(rel)}（联系电话${c.landline()}，微信${c.wechat()}）。`,
        ),
        p(
          L`因${project}建设需要，本机关依法作出征收决定。经${company}评估（估价师${appraiser}），补偿总额为${c.amount(`${c.rng.int(30, 180)}万元`)}。${words(c, 2)}`,
        ),
        p(L`被征收人对本决定不服的，可依法申请行政复议或提起行政诉讼。`),
        ...sign(c, c.agency('人民政府')),
      ];
    }
    const ps = people(c, c.rng.int(4, 6), { minAge: 35 });
    return [
      title(`${project}集体土地征收地上附着物补偿明细`),
      p(L`经${c.town()}${c.village()}村民委员会核实，涉及${c.word('林地')}、耕地及地上附着物补偿如下：`),
      list(
        ps.map(
          (x) =>
            L`${c.name(x)}：${c.rng.pick(['果树', '房屋', '水井', '坟墓迁移'])}补偿${c.rng.int(2, 90) * 100}元，${c.rng.pick(['联系电话', '手机'])}${c.mobile()}，收款卡号${c.bankCard()}`,
        ),
      ),
      p(L`${words(c, 2)}`),
      ...sign(c, ag),
    ];
  },
};

export const WELFARE: Genre[] = [dibao, linshi, yiliao, canji, zhuyuan, xuesheng, gongzufang, zhengshou];
export type { Block };

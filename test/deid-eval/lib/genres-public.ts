/** Correspondence, personnel and news genres: 信访, 依申请公开, 12345, 任前公示, 表彰, 拟聘用, 不动产, 慰问. */
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
  RELATIVES_OTHER,
  sign,
  table,
  title,
} from './blocks.js';
import type { Ctx, Person } from './ctx.js';
import { L, type Line } from './doc.js';
import { HONOUR_ROLES } from './pools.js';

const words = (c: Ctx, n: number): Line => plainWords(c, c.rng.sample(ALL_WORDS, n));

/** 某某：opening line with the addressee's name, as letters start. */
const addressee = (c: Ctx, x: Person): Line => L`${c.rng.chance(0.3) ? c.padded(x) : c.name(x)}：`;

function contactLine(c: Ctx): Line {
  const kinds = c.rng.sample(['mobile', 'landline', 'email', 'qq', 'wechat'] as const, c.rng.int(1, 3));
  const parts: Line[] = kinds.map((k) => {
    switch (k) {
      case 'mobile':
        return L`${c.rng.pick(['手机', '联系电话', '电话'])}${c.rng.pick(['：', ''])}${c.mobile()}`;
      case 'landline':
        return L`${c.rng.pick(['固定电话', '座机', '家庭电话'])}：${c.landline()}`;
      case 'email':
        return L`${c.rng.pick(['电子邮箱', '邮箱', 'E-mail'])}：${c.email()}`;
      case 'qq':
        return L`QQ${c.rng.pick(['：', '号', '号码：'])}${c.qq()}`;
      default:
        return L`${c.rng.pick(['微信号', '微信'])}：${c.wechat()}`;
    }
  });
  return parts.flatMap((x, i) => (i ? ['，', ...x] : x));
}

export const xinfang: Genre = {
  key: 'xinfang',
  genre: '信访事项答复意见书',
  make(c) {
    const v = c.rng.int(0, 2);
    const ag = c.agency(c.rng.pick(['住房和城乡建设局', '人力资源和社会保障局', '自然资源局', '信访局']));
    const x = c.person({ minAge: 30 });
    const other = c.person();
    const handler = c.publicName('officer');
    const d = c.someDate(10);
    const topic = c.rng.pick([
      '小区物业收费',
      '拖欠农民工工资',
      '宅基地确权',
      '房屋漏水维修',
      '征地补偿款分配',
    ]);
    const body: Line[] = [
      L`你于${d.tok}通过${c.rng.pick(['网上信访平台', '来信', '来访', '“12345”热线转办'])}反映的${topic}问题收悉。${c.rng.pick(['现答复如下', '经调查核实，现将处理意见答复如下'])}：`,
      L`经查，你${c.rng.pick(['现住', '家住', '户籍地为'])}${c.address()}，${c.rng.chance(0.75) ? L`身份证号${c.idCard(x)}` : c.rng.pick([L`往来港澳通行证号码${c.hkMacau()}`, L`台湾居民来往大陆通行证号码${c.twPermit()}`, L`护照号码${c.passport()}`])}，${c.rng.pick(['联系电话', '预留电话'])}${c.mobile()}。你反映的问题涉及${c.rng.pick(RELATIVES_OTHER.slice(0, 3))}${c.name(other)}${c.rng.pick(['，其', '，该人'])}与你存在纠纷。${words(c, 2)}`,
      L`根据${c.law('信访工作条例')}第三十二条规定，${c.rng.pick(['你的诉求部分予以支持', '你的诉求不予支持', '该问题已责成相关部门限期整改'])}。`,
      L`如对本意见不服，可自收到本意见书之日起30日内向${c.agency('人民政府')}${c.rng.pick(['信访工作机构', '信访局'])}申请复查。`,
    ];
    const blocks = [
      title(v === 2 ? '信访事项处理意见书' : `${ag.text}信访事项答复意见书`),
      p([c.docNo('信复')], 'center'),
      p(addressee(c, x)),
      ...body.map((l) => p(l)),
    ];
    if (v === 1)
      blocks.push(
        p(L`${c.name(x)}同志，感谢你对我们工作的监督。你预留的联系方式（${contactLine(c)}）已登记备查。`),
      );
    else blocks.push(p(L`来信人联系方式：${contactLine(c)}。`));
    blocks.push(p(L`承办人：${handler}　联系电话：${c.agencyPhone()}　通讯地址：${c.agencyAddress()}`));
    blocks.push(...sign(c, ag, Math.min(12, d.m + 1)));
    return blocks;
  },
};

export const ysqgk: Genre = {
  key: 'ysqgk',
  genre: '政府信息依申请公开答复书',
  make(c) {
    const v = c.rng.int(0, 2);
    const ag = c.agency(c.rng.pick(['人民政府办公室', '自然资源局', '财政局', '交通运输局']));
    const x = c.person({ minAge: 25 });
    const d = c.someDate(10);
    const ident = c.rng.pick([
      () => L`身份证号：${c.idCard(x)}`,
      () => L`公民身份号码${c.idCard(x)}`,
      () => L`护照号：${c.passport()}`,
      () => L`普通护照号码${c.passport()}`,
      () => L`港澳居民来往内地通行证：${c.hkMacau(true)}`,
      () => L`往来港澳通行证号码${c.hkMacau()}`,
      () => L`台湾居民来往大陆通行证号码：${c.twPermit()}`,
      () => L`台胞证号${c.twPermit()}`,
    ])();
    const request = `${c.place.county}${c.rng.pick(['2019年度征地补偿安置方案', '老旧小区改造资金使用明细', '某道路工程立项批复', '城区停车场收费标准'])}`;
    const officer = c.publicName('officer');
    const tail = [
      p(L`联系人：${officer}　电话：${c.agencyPhone()}　地址：${c.agencyAddress()}`),
      ...sign(c, ag, Math.min(12, d.m + 1)),
    ];
    if (v === 1) {
      return [
        title('政府信息公开告知书'),
        p([c.docNo('政公开告')], 'right'),
        p(L`申请人：${c.name(x)}（${ident}）`),
        list([
          L`申请日期：${d.tok}`,
          L`申请内容：“${request}”`,
          L`告知事项：经检索，${c.rng.pick(['该信息已主动公开，可在本机关门户网站查阅', '该信息由其他行政机关制作，建议向其咨询'])}。${words(c, 1)}`,
          L`送达方式：${c.rng.pick(['邮寄', '电子邮件'])}，${c.rng.pick(['通讯地址', '收件地址'])}${c.address()}，${contactLine(c)}`,
        ]),
        p(L`依据${c.law('中华人民共和国政府信息公开条例')}第三十六条作出本告知。`),
        ...tail,
      ];
    }
    if (v === 2) {
      return [
        title('政府信息公开申请补正通知书'),
        p(addressee(c, x)),
        p(
          L`你（${ident}）于${d.tok}提出的政府信息公开申请内容不够明确。请你自收到本通知之日起15个工作日内，说明所需信息的名称、文号或者便于检索的其他特征性描述。`,
        ),
        p(
          L`补正材料可寄至本机关，或发送电子邮件。我们将按你提供的联系方式（${contactLine(c)}）与你联系。逾期未补正的，视为放弃申请。${words(c, 1)}`,
        ),
        ...tail,
      ];
    }
    return [
      title(`政府信息公开申请答复书`),
      p([c.docNo('依申公开')], 'right'),
      p(addressee(c, x)),
      p(
        L`本机关于${d.tok}收到你（${ident}）提交的政府信息公开申请，申请获取“${c.place.county}${c.rng.pick(['2019年度征地补偿安置方案', '老旧小区改造资金使用明细', '某道路工程立项批复', '城区停车场收费标准'])}”。`,
      ),
      p(
        L`经审查，${c.rng.pick(['你申请的信息属于公开范围，现提供给你', '你申请的信息不存在', '你申请的信息属于内部管理信息，不予公开'])}。根据${c.law('中华人民共和国政府信息公开条例')}第三十六条，${words(c, 1)}`,
      ),
      p(
        L`本答复书将${c.rng.pick(['邮寄至', '以挂号信寄至', '送达至'])}你填写的${c.rng.pick(['通讯地址', '邮寄地址'])}${c.address()}（收件人：${c.name(x)}，${contactLine(c)}）。`,
      ),
      p(L`如对本答复不服，可在收到之日起60日内申请行政复议，或在6个月内提起行政诉讼。`),
      ...tail,
    ];
  },
};

export const rexian: Genre = {
  key: 'rexian',
  genre: '12345热线工单通报',
  make(c) {
    const v = c.rng.int(0, 2);
    const ag = c.agency('政务服务和数据管理局');
    const n = c.rng.int(3, 5);
    const issues = [
      '噪音扰民',
      '小区停车位被占',
      '路灯损坏',
      '占道经营',
      '楼上渗水',
      '餐馆油烟',
      '公交站台破损',
      '房东不退押金',
    ];
    const tickets = Array.from({ length: n }, (_, i) => {
      const x = c.person({ minAge: 20 });
      const ticket = `${c.year}${String(c.rng.int(1, 12)).padStart(2, '0')}${c.rng.digits(6)}`;
      const intro = c.rng.pick([
        () => L`市民${c.name(x)}（${contactLine(c)}）来电反映`,
        () => L`${c.name(x)}${c.rng.pick(['女士', '先生'])}来电称`,
        () => L`来电人${c.name(x)}，诉求地址：${c.address()}，反映`,
        () =>
          L`${c.name(x)}${c.rng.pick(['老人', '大爷', '阿姨'])}（${c.rng.pick(['独居', '退休职工', '低保户'])}，${contactLine(c)}）来电反映`,
        () => L`港澳居民${c.name(x)}（回乡证号码${c.hkMacau(true)}，${contactLine(c)}）来电反映`,
        () => L`台胞${c.name(x)}（台胞证${c.twPermit()}）通过网络留言（${contactLine(c)}）反映`,
        () =>
          L`来电人${c.name(x)}（护照号${c.passport()}，回访电话${c.rng.chance(0.5) ? c.mobile() : c.landline()}）反映`,
      ])();
      const neighbour = c.person();
      const extra = c.rng.chance(0.5)
        ? L`，并称${c.rng.pick(['邻居', '房东', '物业负责人'])}${c.name(neighbour)}（${c.mobile()}）拒不配合`
        : [];
      return L`工单${ticket}：${intro}${c.rng.pick(issues)}问题${extra}。${c.rng.pick(['已转', '已派', '已交'])}${c.agency(c.rng.pick(['城市管理局', '住房和城乡建设局', '生态环境局', '市场监督管理局']))}办理，${c.rng.pick(['已办结', '正在办理', '已回访，群众满意'])}。${i === 0 ? words(c, 1) : ''}`;
    });
    if (v === 0) {
      return [
        title(`${c.year}年${c.rng.int(1, 12)}月${c.hotline().text}政务服务便民热线典型工单通报`),
        p(
          L`本月热线共受理群众诉求${c.rng.int(8000, 60000)}件，按时办结率${c.rng.int(95, 99)}%。现将部分典型工单通报如下：`,
        ),
        list(tickets),
        p(L`${words(c, 1)}`),
        ...sign(c, ag),
      ];
    }
    if (v === 1) {
      return [
        title('“接诉即办”工单办理情况周报'),
        h('一、重点工单'),
        ...tickets.map((t) => p(t)),
        h('二、工作要求'),
        p(L`各承办单位要对群众诉求${c.word('马上')}响应，${words(c, 1)}`),
        ...sign(c, ag),
      ];
    }
    const x = c.person({ minAge: 40 });
    return [
      title('热线回访：一张工单背后的民生温度'),
      p(
        L`“电话打过去第二天就有人来了。”${c.rng.pick(['家住', '住在'])}${c.address()}的${c.name(x)}告诉记者。此前，${c.name(x)}拨打${c.hotline()}热线，反映${c.rng.pick(issues)}问题。`,
      ),
      p(
        L`据了解，该工单（编号${c.year}${c.rng.digits(8)}）由${c.agency('城市管理局')}承办，工作人员${c.publicName('officer')}三次上门协调。${c.name(x)}的${c.rng.pick(RELATIVES_FAMILY)}${c.name(c.person())}也对处理结果表示满意。`,
      ),
      list(tickets.slice(0, 2)),
      p(L`${words(c, 2)}`),
    ];
  },
};

export const renqian: Genre = {
  key: 'renqian',
  genre: '干部任前公示',
  site: '县委组织部',
  make(c) {
    const v = c.rng.int(0, 2);
    const n = c.rng.int(3, 6);
    const posts = [
      '乡镇党委书记',
      '县民政局局长',
      '县财政局副局长',
      '乡镇长',
      '县教育局党组书记',
      '街道办事处主任',
      '县卫健局副局长',
    ];
    const people = Array.from({ length: n }, () => {
      const male = c.rng.chance(0.7);
      const name = c.publicName('nominee', male);
      const y = c.year - c.rng.int(30, 52);
      const m = c.rng.int(1, 12);
      return {
        male,
        name,
        born: c.keep('date', `${y}年${m}月`),
        bornDot: c.keep('date', `${y}.${String(m).padStart(2, '0')}`),
      };
    });
    const phone = c.agencyPhone();
    const tail = [
      p(
        L`公示时间：${c.date(c.year, c.rng.int(1, 12), c.rng.int(1, 20))}至${c.rng.int(5, 10)}个工作日。${words(c, 1)}`,
      ),
      p(
        L`受理电话：${phone}（传真同号），${c.hotline('12380')}；来信请寄${c.agencyAddress()}县委组织部干部监督室。`,
      ),
      ...sign(c, `中共${c.place.county}委组织部`),
    ];
    if (v === 0) {
      return [
        title(`${c.place.county}县管干部任前公示`),
        p(L`根据${c.law('党政领导干部选拔任用工作条例')}，经县委研究，现将拟任职人选予以公示：`),
        list(
          people.map(
            (x) =>
              L`${x.name}，${x.male ? '男' : '女'}，${c.rng.pick(['汉族', '汉族', '回族', '彝族', '藏族'])}，${x.born}生，${c.rng.pick(['大学', '研究生', '在职研究生'])}学历，中共党员，现任${c.town()}党委副书记，拟任${c.rng.pick(posts)}。`,
          ),
        ),
        ...tail,
      ];
    }
    return [
      title('任前公示公告'),
      p(L`经${c.place.county}委常委会研究，拟提拔任用以下同志，现予公示：`),
      table(
        ['姓名', '性别', '出生年月', '现任职务', '拟任职务'],
        people.map((x) => [
          x.name,
          x.male ? '男' : '女',
          v === 1 ? x.bornDot : x.born,
          `${c.town()}副镇长`,
          c.rng.pick(posts),
        ]),
      ),
      ...tail,
    ];
  },
};

export const biaozhang: Genre = {
  key: 'biaozhang',
  genre: '表彰决定',
  make(c) {
    const v = c.rng.int(0, 2);
    const honorees = Array.from({ length: c.rng.int(5, 10) }, () => ({
      name: c.publicName('honoree'),
      role: c.rng.pick(HONOUR_ROLES),
      unit: c.rng.chance(0.5) ? c.town() : c.village(),
    }));
    const gov = c.agency(c.rng.pick(['人民政府', '民政局', '应急管理局']));
    const intro = p(
      L`${c.year - 1}年，全县上下${c.word('明确')}目标${c.word('任务')}，涌现出一批先进典型。为表彰先进，决定对以下${honorees.length}名同志予以通报表彰：`,
    );
    const body =
      v === 0
        ? [p(honorees.flatMap((x, i) => [...(i ? ['；'] : []), `${x.unit}${x.role}`, x.name]).concat(['。']))]
        : v === 1
          ? [list(honorees.map((x) => L`${x.name}　${x.unit}${x.role}`))]
          : [
              table(
                ['序号', '姓名', '单位及职务'],
                honorees.map((x, i) => [String(i + 1), x.name, `${x.unit}${x.role}`]),
              ),
            ];
    return [
      title(`关于表彰${c.year - 1}年度社会救助工作先进个人的决定`),
      p([c.docNo('政发')], 'center'),
      intro,
      h('先进个人名单'),
      ...body,
      p(L`希望受表彰的同志珍惜荣誉，再创佳绩。${words(c, 1)}`),
      ...sign(c, gov),
    ];
  },
};

export const zhaopin: Genre = {
  key: 'zhaopin',
  genre: '事业单位拟聘用人员公示',
  site: '人力资源和社会保障局',
  make(c) {
    const v = c.rng.int(0, 2);
    const why = '拟聘用人员依《事业单位公开招聘人员暂行规定》须公示姓名，但其为普通应聘者';
    const hires = Array.from({ length: c.rng.int(5, 9) }, () => c.person({ minAge: 22, maxAge: 35 }));
    const units = ['县人民医院', '县疾控中心', '县第一中学', '乡镇农业服务中心', '县档案馆', '县融媒体中心'];
    const ag = c.agency('人力资源和社会保障局');
    const rows = hires.map((x, i) => [
      String(i + 1),
      c.debatableName(x, why),
      gender(x),
      v === 2 ? c.premaskedId(x) : c.idCard(x),
      c.rng.pick(units),
      `${c.rng.int(60, 85)}.${c.rng.int(0, 9)}`,
    ]);
    return [
      title(`${c.place.county}${c.year}年事业单位公开招聘拟聘用人员公示`),
      p(L`根据${c.law('事业单位人事管理条例')}，经笔试、面试、体检和考察，现将拟聘用人员予以公示：`),
      table(['序号', '姓名', '性别', '身份证号', '拟聘单位', '总成绩'], rows),
      p(
        L`${c.rng.pick(['公示期7个工作日', '公示期为7天'])}。${words(c, 1)}监督电话：${c.agencyPhone()}。考生${c.debatableName(hires[0] as Person, why)}如放弃聘用，请联系${c.rng.pick(['工作人员', '负责人'])}（${c.agencyPhone()}）。`,
      ),
      ...sign(c, ag),
    ];
  },
};

export const budongchan: Genre = {
  key: 'budongchan',
  genre: '不动产首次登记公告',
  site: '自然资源局',
  make(c) {
    const v = c.rng.int(0, 2);
    const ag = c.agency('不动产登记中心');
    const why = '首次登记公告须载明不动产坐落，但宅基地坐落即权利人住址';
    const owners = Array.from({ length: c.rng.int(3, 7) }, () => c.person({ minAge: 30 }));
    const unit = (): string => `${c.place.code}${c.rng.digits(6)}JC${c.rng.digits(5)}F${c.rng.digits(8)}`;
    const deb = (): ReturnType<Ctx['address']> => ({
      ...c.address({ rural: true, prefix: 'county' }),
      kind: 'debatable',
      why,
    });
    const intro = p(
      L`经初步审定，我机构拟对下列不动产权利予以首次登记，根据${c.law('不动产登记暂行条例实施细则')}第十七条的规定，现予公告。如有异议，请自本公告之日起十五个工作日内将异议书面材料送达我机构。逾期无人提出异议或者异议不成立的，我机构将予以登记。`,
    );
    const tail = [
      p(L`异议书面材料送达地址：${c.agencyAddress()}　联系电话：${c.agencyPhone()}`),
      ...sign(c, ag),
    ];
    if (v === 0) {
      return [
        title(`${c.place.county}不动产首次登记公告（${c.year}年第${c.rng.int(1, 40)}号）`),
        intro,
        table(
          ['序号', '权利人', '不动产权利类型', '坐落', '不动产单元号', '面积（㎡）'],
          owners.map((x, i) => [
            String(i + 1),
            c.name(x),
            '宅基地使用权/房屋所有权',
            deb(),
            unit(),
            `${c.rng.int(80, 300)}.${c.rng.int(10, 99)}`,
          ]),
        ),
        ...tail,
      ];
    }
    if (v === 1) {
      return [
        title('不动产更正登记公告'),
        p(
          L`权利人${c.name(owners[0] as Person)}申请对其${c.rng.pick(['房屋', '宅基地'])}（原不动产权证号${c.propertyCert()}）进行更正登记，现予公告。${c.rng.pick(['共有人', '配偶', '其子'])}${c.name(owners[1] as Person)}已书面同意。`,
        ),
        p(L`该不动产位于${deb()}，${words(c, 1)}`),
        ...tail,
      ];
    }
    return [
      title('不动产权证书遗失补发公告'),
      list(
        owners
          .slice(0, 4)
          .map(
            (x) =>
              L`${c.name(x)}（身份证号${c.idCard(x)}）不慎遗失${c.propertyCert()}不动产权证书，坐落${deb()}，现声明作废。`,
          ),
      ),
      p(L`${words(c, 1)}`),
      ...tail,
    ];
  },
};

export const weiwen: Genre = {
  key: 'weiwen',
  genre: '走访慰问新闻稿',
  make(c) {
    const v = c.rng.int(0, 3);
    const sec = c.official(true);
    const mayor = c.official();
    const vill = c.village();
    const town = c.town();
    const oldMember = c.person({ minAge: 75, maxAge: 95, male: true });
    const poor = c.person({ minAge: 40, maxAge: 80 });
    const widow = c.person({ minAge: 60, maxAge: 90, male: false });
    const kid = c.person({ minAge: 6, maxAge: 14 });
    const festival = c.rng.pick(['春节', '中秋', '元旦', '七一']);
    const p1 =
      v === 0
        ? L`${festival}前夕，县委书记${sec}带队深入${town}${vill}，走访慰问老党员、困难群众，送去节日的问候和慰问品。`
        : v === 1
          ? L`近日，县委副书记、县长${mayor}一行来到${town}，看望慰问困难群众和老党员。县委常委、副县长${sec}陪同。`
          : v === 2
            ? L`${festival}将至，${c.agency('民政局')}局长${mayor}与${town}党委书记${sec}一同入户开展“送温暖”活动。`
            : L`${c.year}年${c.rng.int(1, 12)}月${c.rng.int(1, 28)}日，${sec}同志到${vill}开展${festival}走访慰问，${c.word('于是')}有了下面这一幕。`;
    const lastName = (x: Person): string =>
      /^[\u4e00-\u9fff]{2,3}$/.test(x.name) &&
      !/^(旦增|次仁|扎西|格桑|索朗|尼玛|达瓦|拉巴|普布|边巴|白玛|多吉)/.test(x.name)
        ? x.name.slice(0, 1)
        : `${x.name}`;
    const p2 = c.rng.pick([
      () =>
        L`在${c.rng.int(50, 70)}年党龄的老党员${c.name(oldMember)}家中，${sec}握着老人的手，详细询问其身体状况。${c.name(oldMember)}老人激动地说：“感谢党和政府一直记挂着我们。”`,
      () =>
        L`${c.rng.int(80, 95)}岁的${lastName(oldMember)}大爷是一名有着${c.rng.int(50, 70)}年党龄的老党员，${sec}坐在${c.name(oldMember)}身边，听他讲述当年的故事。`,
    ])();
    const p3 = L`随后，一行人来到困难群众${c.name(poor)}家。${c.name(poor)}${c.rng.pick(['因病致贫', '因残致贫', '独自抚养孙子'])}，${c.rng.pick(['其女', '其子', '孙子', '孙女'])}${c.name(kid)}正在上小学。${sec}叮嘱随行的${c.agency('民政局')}负责同志，要落实好救助政策，${words(c, 1)}`;
    const p4 = L`在独居老人${c.name(widow)}${c.rng.pick(['女士', '阿姨', '老人'])}家，${mayor}查看了取暖设施，叮嘱村干部多上门看看。${c.rng.pick(['邻居', '同住人', '工友'])}${c.name(c.person())}说，村里经常有人来照顾${c.name(widow)}。`;
    const p5 = L`此次共走访慰问老党员、困难群众${c.rng.int(20, 200)}户，发放慰问金${c.amount(`${c.rng.int(2, 30)}万元`)}。${words(c, 1)}`;
    return [
      title(
        L`${v === 1 ? mayor : sec}${c.rng.pick(['走访慰问困难群众和老党员', '深入基层开展节日慰问', '看望慰问生活困难群众'])}`,
      ),
      p(L`来源：${c.place.county}融媒体中心　记者 ${c.official()}`),
      p(p1),
      p(p2),
      p(p3),
      p(p4),
      p(p5),
    ];
  },
};

export const PUBLIC: Genre[] = [xinfang, ysqgk, rexian, renqian, biaozhang, zhaopin, budongchan, weiwen];
export { gender, nameList, RELATIVES_OTHER };

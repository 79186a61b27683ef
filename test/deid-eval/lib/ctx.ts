/** Per-document generation context: the place, invented people, and labelled-token constructors. */
import type { Tok } from './doc.js';
import {
  bankCard,
  creditCode,
  disabilityCertNo,
  fullWidth,
  group,
  hkMacauPermit,
  legacyId,
  localNumber,
  medicalInsuranceNo,
  medicalRecordNo,
  mobile,
  passport,
  plate,
  qq,
  randomDate,
  residentId,
  socialSecurityNo,
  twPermit,
  vin,
  type Ymd,
} from './ids.js';
import {
  COMMON_SURNAMES,
  COMPANY_STEMS,
  COMPANY_TRADES,
  COMPOUND_SURNAMES,
  ESTATES,
  FEMALE_CHARS,
  MALE_CHARS,
  MONGOLIAN_NAMES,
  PLACES,
  type Place,
  RARE_SURNAMES,
  ROADS,
  TIBETAN_PARTS,
  TOWN_STEMS,
  UYGHUR_GIVEN,
  VILLAGE_STEMS,
  YI_NAMES,
} from './pools.js';
import type { Rng } from './rng.js';

export interface Person {
  name: string;
  male: boolean;
  birth: Ymd;
  age: number;
  id: string;
  place: Place;
}

const R = (type: string, text: string, extra: Partial<Tok> = {}): Tok => ({
  kind: 'redact',
  type,
  text,
  ...extra,
});
const K = (type: string, text: string): Tok => ({ kind: 'keep', type, text });
const CN = '〇一二三四五六七八九';
const cnNum = (n: number): string =>
  n <= 10
    ? n === 10
      ? '十'
      : (CN[n] ?? '')
    : n < 20
      ? `十${CN[n - 10]}`
      : `${CN[Math.floor(n / 10)]}十${n % 10 ? CN[n % 10] : ''}`;
const PINYIN = [
  'zhang',
  'wang',
  'li',
  'liu',
  'chen',
  'yang',
  'xiao',
  'ming',
  'hua',
  'jun',
  'lin',
  'fang',
  'hong',
  'yu',
  'xin',
  'hai',
  'tao',
  'jie',
  'wen',
  'jing',
  'mei',
  'lei',
  'qiang',
  'ping',
  'yan',
  'bo',
  'dong',
  'xue',
];

export class Ctx {
  readonly year: number;
  private readonly names = new Set<string>();
  private readonly numbers = new Set<string>();

  constructor(
    readonly rng: Rng,
    readonly place: Place,
  ) {
    this.year = rng.pick([2023, 2024, 2024, 2025]);
  }

  // ---------------------------------------------------------------- names

  private hanName(male: boolean, surnameKind?: 'rare' | 'compound'): string {
    const r = this.rng;
    const roll = r.next();
    const surname =
      surnameKind === 'rare' || (surnameKind === undefined && roll < 0.08)
        ? r.pick(RARE_SURNAMES)
        : surnameKind === 'compound' || (surnameKind === undefined && roll < 0.13)
          ? r.pick(COMPOUND_SURNAMES)
          : r.pick(COMMON_SURNAMES);
    const chars = male ? MALE_CHARS : FEMALE_CHARS;
    const given = r.chance(0.3) ? r.pick(chars) : r.pick(chars) + r.pick(chars);
    return surname + given;
  }

  private minorityName(male: boolean, kind: NonNullable<Place['ethnic']>): string {
    const r = this.rng;
    switch (kind) {
      case 'tibetan': {
        const [a, b] = r.sample(TIBETAN_PARTS, 2);
        return `${a}${b}`;
      }
      case 'mongolian':
        return r.pick(MONGOLIAN_NAMES);
      case 'yi':
        return r.pick(YI_NAMES);
      case 'uyghur': {
        const [a, b] = r.sample(UYGHUR_GIVEN, 2);
        return `${a}${r.pick(['·', '·', '·', '•', '・'])}${b}`;
      }
    }
    return this.hanName(male);
  }

  /** A name not used in this document and not a substring/superstring of one that is. */
  newName(
    male = this.rng.chance(0.5),
    options: { minority?: boolean; surname?: 'rare' | 'compound' } = {},
  ): string {
    for (let attempt = 0; attempt < 200; attempt++) {
      const minority =
        options.minority ?? (this.place.ethnic !== undefined ? this.rng.chance(0.55) : this.rng.chance(0.05));
      const kind = this.place.ethnic ?? this.rng.pick(['tibetan', 'mongolian', 'uyghur', 'yi'] as const);
      const name = minority ? this.minorityName(male, kind) : this.hanName(male, options.surname);
      const plainName = name.replace(/[·•・]/g, '');
      let clash = false;
      for (const used of this.names) {
        const u = used.replace(/[·•・]/g, '');
        if (u.includes(plainName) || plainName.includes(u)) clash = true;
      }
      if (!clash) {
        this.names.add(name);
        return name;
      }
    }
    throw new Error('name pool exhausted');
  }

  person(
    options: { minAge?: number; maxAge?: number; male?: boolean; minority?: boolean; local?: boolean } = {},
  ): Person {
    const male = options.male ?? this.rng.chance(0.5);
    const age = this.rng.int(options.minAge ?? 18, options.maxAge ?? 85);
    const birth = randomDate(this.rng, this.year - age, this.year - age);
    const place = options.local === false || this.rng.chance(0.12) ? this.rng.pick(PLACES) : this.place;
    const name = this.newName(male, options.minority === undefined ? {} : { minority: options.minority });
    // a few holders of 港澳台居民居住证, whose numbers follow the resident-ID format (810000/820000/830000)
    const idRegion = this.rng.chance(0.03) ? this.rng.pick(['810000', '820000', '830000']) : place.code;
    return { name, male, birth, age, id: residentId(this.rng, idRegion, birth, male), place };
  }

  /** A unique number-like string for this document (regenerates on collision). */
  private unique(make: () => string): string {
    for (let i = 0; i < 50; i++) {
      const v = make();
      if (!this.numbers.has(v)) {
        this.numbers.add(v);
        return v;
      }
    }
    throw new Error('number collision');
  }

  // ---------------------------------------------------------------- private tokens

  name(who: Person | string): Tok {
    return R('name', typeof who === 'string' ? who : who.name);
  }

  /** Two-character names padded with a full-width space, as in aligned tables (闫　冰). */
  padded(who: Person | string): Tok {
    const n = typeof who === 'string' ? who : who.name;
    return R('name', n.length === 2 ? `${n[0]}　${n[1]}` : n);
  }

  exempt(who: Person | string): Tok {
    return R('name', typeof who === 'string' ? who : who.name, { exempt: true });
  }

  debatableName(who: Person | string, why: string): Tok {
    return { kind: 'debatable', type: 'name', text: typeof who === 'string' ? who : who.name, why };
  }

  idCard(p: Person, style?: 'plain' | 'spaced' | 'dashed' | 'full' | 'legacy' | 'lower'): Tok {
    const r = this.rng;
    const s =
      style ??
      (p.birth.y < 1970 && r.chance(0.25)
        ? 'legacy'
        : r.pick([
            'plain',
            'plain',
            'plain',
            'plain',
            'plain',
            'spaced',
            'spaced',
            'dashed',
            'full',
            'lower',
          ] as const));
    let v = p.id;
    if (s === 'legacy') v = legacyId(r, p.place.code, p.birth, p.male);
    else if (s === 'spaced') v = r.chance(0.5) ? group(p.id, [6, 8, 4], ' ') : group(p.id, [6, 4, 4, 4], ' ');
    else if (s === 'dashed') v = group(p.id, [6, 8, 4], '-');
    else if (s === 'full') v = fullWidth(p.id);
    else if (s === 'lower') v = p.id.endsWith('X') ? p.id.replace(/X$/, 'x') : p.id;
    return R('id_card', v);
  }

  /** An already-masked ID (not labelled): 4403**********1234 and similar. */
  premaskedId(p: Person, markdown = false): string {
    const star = markdown ? '×' : this.rng.pick(['*', '*', '＊', 'X']);
    return this.rng.chance(0.5)
      ? `${p.id.slice(0, 6)}${star.repeat(8)}${p.id.slice(14)}`
      : `${p.id.slice(0, 4)}${star.repeat(10)}${p.id.slice(14)}`;
  }

  mobile(style?: 'plain' | 'spaced' | 'dashed' | 'full'): Tok {
    const m = this.unique(() => mobile(this.rng));
    const s =
      style ?? this.rng.pick(['plain', 'plain', 'plain', 'plain', 'spaced', 'dashed', 'full'] as const);
    const v =
      s === 'spaced'
        ? group(m, [3, 4, 4], ' ')
        : s === 'dashed'
          ? group(m, [3, 4, 4], '-')
          : s === 'full'
            ? fullWidth(m)
            : m;
    return R('mobile', v);
  }

  premaskedMobile(markdown = false): string {
    const m = mobile(this.rng);
    return `${m.slice(0, 3)}${(markdown ? '×' : '*').repeat(4)}${m.slice(7)}`;
  }

  landline(place: Place = this.place): Tok {
    const local = this.unique(() => localNumber(this.rng, place.area));
    const v = this.rng.pick([
      `${place.area}-${local}`,
      `${place.area}-${local}`,
      `${place.area}－${local}`,
      `（${place.area}）${local}`,
      `(${place.area})${local}`,
      `${place.area} ${local}`,
    ]);
    return R('landline', v);
  }

  bankCard(style?: 'plain' | 'spaced'): Tok {
    const card = this.unique(() => bankCard(this.rng));
    const s = style ?? this.rng.pick(['plain', 'plain', 'plain', 'spaced'] as const);
    return R('bank_card', s === 'spaced' ? group(card, [4, 4, 4, 4, 4], ' ') : card);
  }

  premaskedCard(): string {
    const card = bankCard(this.rng);
    return `${card.slice(0, 4)} **** **** ${card.slice(-4)}`;
  }

  email(): Tok {
    const r = this.rng;
    const user = r.chance(0.3)
      ? qq(r)
      : `${r.pick(PINYIN)}${r.chance(0.5) ? r.pick(['_', '.', '']) : ''}${r.pick(PINYIN)}${r.chance(0.6) ? r.int(1, 2024) : ''}`;
    const domain = /^\d+$/.test(user)
      ? 'qq.com'
      : r.pick([
          '163.com',
          '126.com',
          'sina.com',
          'foxmail.com',
          'hotmail.com',
          'yeah.net',
          'sohu.com',
          'aliyun.com',
        ]);
    return R('email', `${user}@${domain}`);
  }

  qq(): Tok {
    return R(
      'qq',
      this.unique(() => qq(this.rng)),
    );
  }

  wechat(): Tok {
    const r = this.rng;
    const alnum = 'abcdefghjkmnpqrstuvwxyz0123456789';
    const v = r.chance(0.4)
      ? `wxid_${Array.from({ length: 12 }, () => r.pick([...alnum])).join('')}`
      : `${r.pick(PINYIN)}${r.pick(['_', '-', ''])}${r.pick(PINYIN)}${r.int(10, 9999)}`;
    return R('wechat', v);
  }

  birth(p: Person, style?: 'cn' | 'dot' | 'dash' | 'slash'): Tok {
    const { y, m, d } = p.birth;
    const pad2 = (n: number): string => String(n).padStart(2, '0');
    const s = style ?? this.rng.pick(['cn', 'cn', 'dot', 'dash', 'slash'] as const);
    const v =
      s === 'cn'
        ? `${y}年${m}月${d}日`
        : s === 'dot'
          ? `${y}.${pad2(m)}.${pad2(d)}`
          : s === 'dash'
            ? `${y}-${pad2(m)}-${pad2(d)}`
            : `${y}/${m}/${d}`;
    return R('birth_date', v);
  }

  plate(newEnergy = this.rng.chance(0.35), place: Place = this.place): Tok {
    let v = this.unique(() => plate(this.rng, place.plate, newEnergy));
    if (this.rng.chance(0.15)) v = `${v.slice(0, 2)}·${v.slice(2)}`;
    return R('plate', v);
  }

  vin(): Tok {
    return R(
      'vin',
      this.unique(() => vin(this.rng)),
    );
  }

  passport(): Tok {
    return R(
      'passport',
      this.unique(() => passport(this.rng)),
    );
  }

  /** `resident`: a 港澳居民来往内地通行证 (H/M…) rather than a mainland 往来港澳通行证 (C…). */
  hkMacau(resident = false): Tok {
    return R(
      'hk_macau_permit',
      this.unique(() => hkMacauPermit(this.rng, resident)),
    );
  }

  twPermit(): Tok {
    return R(
      'tw_permit',
      this.unique(() => twPermit(this.rng)),
    );
  }

  socialSecurity(): Tok {
    return R(
      'social_security_no',
      this.unique(() => socialSecurityNo(this.rng)),
    );
  }

  medicalInsurance(): Tok {
    return R(
      'medical_insurance_no',
      this.unique(() => medicalInsuranceNo(this.rng, this.place.code)),
    );
  }

  medicalRecord(): Tok {
    return R(
      'medical_record_no',
      this.unique(() => medicalRecordNo(this.rng)),
    );
  }

  disabilityCert(p: Person): Tok {
    const v = disabilityCertNo(this.rng, p.id);
    return R('disability_cert_no', this.rng.chance(0.15) ? fullWidth(v) : v);
  }

  studentNo(p: Person): Tok {
    const r = this.rng;
    const v = r.pick([
      `G${p.id}`,
      `G${p.id}`,
      `L${p.place.code}${r.digits(12)}`,
      `${this.year - r.int(0, 3)}${r.digits(6)}`,
    ]);
    return R(
      'student_no',
      this.unique(() => v),
    );
  }

  propertyCert(): Tok {
    const r = this.rng;
    const y = this.year - r.int(0, 8);
    const v = r.chance(0.75)
      ? `${this.place.plateShort}（${y}）${this.place.city.replace(/市$/, '')}${r.chance(0.5) ? '市' : ''}不动产权第${r.digits(7)}号`
      : `${this.place.short}房权证${r.pick(['城', '字', '私'])}字第${r.digits(r.int(5, 8))}号`;
    return R(
      'property_cert_no',
      this.unique(() => v),
    );
  }

  /** A private address; `house` is the most specific part (building/unit/room, group/number). */
  address(options: { rural?: boolean; prefix?: 'city' | 'county' | 'none' } = {}): Tok {
    const r = this.rng;
    const pl = this.place;
    const prefix = options.prefix ?? r.pick(['city', 'county', 'none', 'county'] as const);
    const head =
      prefix === 'city'
        ? `${pl.city === pl.prov ? '' : pl.prov}${pl.city}${pl.county}`
        : prefix === 'county'
          ? pl.county
          : '';
    const rural = options.rural ?? r.chance(0.35);
    let body: string;
    let house: string;
    if (rural) {
      const town = `${r.pick(TOWN_STEMS)}${r.pick(['镇', '镇', '乡', '街道'])}`;
      const village = `${r.pick(VILLAGE_STEMS)}村`;
      const g = r.int(1, 14);
      const n = r.int(1, 168);
      const groupPart = r.chance(0.4)
        ? `${cnNum(g)}组`
        : r.chance(0.5)
          ? `${g}组`
          : `${r.pick(['上', '下', '中', '东', '西'])}屯`;
      house = `${groupPart}${n}号`;
      body = `${town}${village}${house}`;
    } else {
      const road = r.pick(ROADS);
      const n = r.int(1, 399);
      const estate = r.pick(ESTATES);
      const b = r.int(1, 32);
      const u = r.int(1, 6);
      const floor = r.int(1, 28);
      const room = `${floor}${String(r.int(1, 6)).padStart(2, '0')}`;
      switch (r.int(0, 4)) {
        case 0:
          house = `${b}栋${u}单元${room}室`;
          body = `${road}${n}号${estate}${house}`;
          break;
        case 1:
          house = `${b}号楼${u}单元${room}室`;
          body = `${road}${n}号${estate}${house}`;
          break;
        case 2:
          house = `${n}弄${b}号${room}室`;
          body = `${road}${house}`;
          break;
        case 3:
          house = `${b}幢${room}室`;
          body = `${estate}${house}`;
          break;
        default:
          house = `${n}号附${b}号`;
          body = `${road}${house}`;
      }
    }
    return R('address', head + body, { house });
  }

  /** An address shown already masked (not labelled). */
  premaskedAddress(): string {
    return `${this.place.county}${this.rng.pick(ROADS)}***号`;
  }

  // ---------------------------------------------------------------- public tokens

  keep(type: string, text: string): Tok {
    return K(type, text);
  }

  official(male?: boolean): Tok {
    return K('official', this.newName(male));
  }

  publicName(type: 'official' | 'nominee' | 'honoree' | 'judge' | 'officer', male?: boolean): Tok {
    return K(type, this.newName(male));
  }

  agency(suffix: string): Tok {
    return K('agency', `${this.place.county}${suffix}`);
  }

  agencyAddress(): Tok {
    return K('agency_address', `${this.place.county}${this.rng.pick(ROADS)}${this.rng.int(1, 260)}号`);
  }

  agencyPhone(): Tok {
    const local = this.unique(() => localNumber(this.rng, this.place.area));
    return K('agency_phone', `${this.place.area}-${local}`);
  }

  docNo(middle: string): Tok {
    return K('doc_no', `${this.place.short}${middle}〔${this.year}〕${this.rng.int(1, 199)}号`);
  }

  indexNo(): Tok {
    return K(
      'index_no',
      `${this.place.code}${this.rng.digits(3)}/${this.year}-${String(this.rng.int(1, 9999)).padStart(5, '0')}`,
    );
  }

  caseNo(kind: string): Tok {
    const p = this.place;
    return K(
      'case_no',
      `（${this.year - this.rng.int(0, 1)}）${p.plateShort}${p.code.slice(2)}${kind}${this.rng.int(1, 3999)}号`,
    );
  }

  creditCode(kind: 'company' | 'agency' = 'company'): Tok {
    return K(
      'credit_code',
      this.unique(() => creditCode(this.rng, this.place.code, kind)),
    );
  }

  company(): Tok {
    return K(
      'company',
      `${this.place.city.replace(/(市|地区|盟|自治州)$/, '')}${this.rng.pick(COMPANY_STEMS)}${this.rng.pick(COMPANY_TRADES)}`,
    );
  }

  account(): Tok {
    return K(
      'account',
      this.unique(() => `${this.rng.int(1, 9)}${this.rng.digits(this.rng.pick([17, 19, 20]))}`),
    );
  }

  law(name: string): Tok {
    return K('law', `《${name}》`);
  }

  date(y: number, m: number, d: number): Tok {
    return K('date', `${y}年${m}月${d}日`);
  }

  /** A date in this document's year, before `before` month if given. */
  someDate(maxMonth = 12): { y: number; m: number; d: number; tok: Tok } {
    const m = this.rng.int(1, maxMonth);
    const d = this.rng.int(1, 28);
    return { y: this.year, m, d, tok: this.date(this.year, m, d) };
  }

  amount(text: string): Tok {
    return K('amount', text);
  }

  word(text: string): Tok {
    return K('word', text);
  }

  hotline(text = '12345'): Tok {
    return K('hotline', text);
  }

  town(): string {
    return `${this.rng.pick(TOWN_STEMS)}${this.rng.pick(['镇', '街道', '乡'])}`;
  }

  village(): string {
    return `${this.rng.pick(VILLAGE_STEMS)}${this.rng.pick(['村', '社区'])}`;
  }
}

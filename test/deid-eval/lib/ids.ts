/**
 * Identifier generators. Every number carries the check digit its standard defines, so an engine
 * that validates check digits sees valid numbers: GB 11643 resident IDs (ISO 7064 MOD 11-2),
 * Luhn bank cards, GB 32100 unified social credit codes, ISO 3779 VINs.
 */
import type { Rng } from './rng.js';

export interface Ymd {
  y: number;
  m: number;
  d: number;
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function randomDate(rng: Rng, fromYear: number, toYear: number): Ymd {
  const y = rng.int(fromYear, toYear);
  const m = rng.int(1, 12);
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const max = m === 2 && leap ? 29 : (DAYS[m - 1] ?? 28);
  return { y, m, d: rng.int(1, max) };
}

export const ymdCompact = (b: Ymd): string => `${b.y}${pad(b.m, 2)}${pad(b.d, 2)}`;

/** GB 11643 check character of the first 17 digits. */
export function idCheck(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (weights[i] ?? 0);
  return '10X98765432'[sum % 11] as string;
}

export function residentId(rng: Rng, region: string, birth: Ymd, male: boolean): string {
  const seq = rng.int(0, 99) * 10 + (male ? rng.pick([1, 3, 5, 7, 9]) : rng.pick([0, 2, 4, 6, 8]));
  const first17 = `${region}${ymdCompact(birth)}${pad(seq, 3)}`;
  return first17 + idCheck(first17);
}

/** First-generation 15-digit ID (two-digit year, no check digit). */
export function legacyId(rng: Rng, region: string, birth: Ymd, male: boolean): string {
  const seq = rng.int(0, 99) * 10 + (male ? rng.pick([1, 3, 5, 7, 9]) : rng.pick([0, 2, 4, 6, 8]));
  return `${region}${String(birth.y).slice(2)}${pad(birth.m, 2)}${pad(birth.d, 2)}${pad(seq, 3)}`;
}

export function luhnDigit(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let v = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) {
      v *= 2;
      if (v > 9) v -= 9;
    }
    sum += v;
  }
  return String((10 - (sum % 10)) % 10);
}

export const luhnValid = (card: string): boolean => luhnDigit(card.slice(0, -1)) === card.slice(-1);

/** Debit-card BINs of large Chinese banks (ICBC, CCB, ABC, BOC, CMB, PSBC, BoCom, CIB, rural credit). */
const BINS: ReadonlyArray<[string, number]> = [
  ['622202', 19],
  ['621226', 19],
  ['621700', 19],
  ['622700', 19],
  ['622848', 19],
  ['623052', 19],
  ['621661', 19],
  ['621785', 19],
  ['622588', 16],
  ['621483', 16],
  ['621799', 19],
  ['622262', 19],
  ['622908', 18],
  ['623059', 19],
  ['621336', 19],
];

export function bankCard(rng: Rng): string {
  const [bin, length] = rng.pick(BINS);
  const body = bin + rng.digits(length - bin.length - 1);
  return body + luhnDigit(body);
}

const MOBILE_PREFIXES = [
  '130',
  '131',
  '132',
  '133',
  '134',
  '135',
  '136',
  '137',
  '138',
  '139',
  '145',
  '147',
  '150',
  '151',
  '152',
  '153',
  '155',
  '156',
  '157',
  '158',
  '159',
  '166',
  '173',
  '175',
  '176',
  '177',
  '178',
  '180',
  '181',
  '182',
  '183',
  '184',
  '185',
  '186',
  '187',
  '188',
  '189',
  '191',
  '195',
  '198',
  '199',
];

export function mobile(rng: Rng): string {
  return rng.pick(MOBILE_PREFIXES) + String(rng.int(1, 9)) + rng.digits(7);
}

/** Local number after an area code: 8 digits for 3-digit codes, 7 or 8 for 4-digit ones. */
export function localNumber(rng: Rng, areaCode: string): string {
  const len = areaCode.length === 3 ? 8 : rng.pick([7, 8]);
  return String(rng.int(2, 8)) + rng.digits(len - 1);
}

const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** GB 11714 check character of an 8-character organisation code body. */
export function orgCodeCheck(body: string): string {
  const weights = [3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const c = body[i] as string;
    const v = /\d/.test(c) ? Number(c) : c.charCodeAt(0) - 55;
    sum += v * (weights[i] ?? 0);
  }
  const r = 11 - (sum % 11);
  return r === 10 ? 'X' : r === 11 ? '0' : String(r);
}

/** GB 32100 check character of the first 17 characters. */
export function usccCheck(first17: string): string {
  const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_CHARS.indexOf(first17[i] as string) * (weights[i] ?? 0);
  const r = (31 - (sum % 31)) % 31;
  return USCC_CHARS[r] as string;
}

/** 统一社会信用代码: 9 (工商) + 1/2 (企业/个体) + region + organisation code + check. */
export function creditCode(rng: Rng, region: string, kind: 'company' | 'agency' = 'company'): string {
  const head = kind === 'agency' ? '11' : rng.pick(['91', '91', '92', '93']);
  const body = rng.pick(['MA', '7', '0', '5', '3']);
  const orgBody = (body + rng.digits(8)).slice(0, 8);
  const first17 = head + region + orgBody + orgCodeCheck(orgBody);
  return first17 + usccCheck(first17);
}

const VIN_CHARS = 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789';
const VIN_VALUE: Record<string, number> = {
  A: 1,
  B: 2,
  C: 3,
  D: 4,
  E: 5,
  F: 6,
  G: 7,
  H: 8,
  J: 1,
  K: 2,
  L: 3,
  M: 4,
  N: 5,
  P: 7,
  R: 9,
  S: 2,
  T: 3,
  U: 4,
  V: 5,
  W: 6,
  X: 7,
  Y: 8,
  Z: 9,
};
const VIN_WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];

export function vinCheck(vin: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const c = vin[i] as string;
    const v = /\d/.test(c) ? Number(c) : (VIN_VALUE[c] ?? 0);
    sum += v * (VIN_WEIGHTS[i] ?? 0);
  }
  const r = sum % 11;
  return r === 10 ? 'X' : String(r);
}

const WMI = [
  'LSV',
  'LFV',
  'LGB',
  'LVS',
  'LHG',
  'LBV',
  'LGW',
  'LC0',
  'LRW',
  'LZW',
  'LVH',
  'LDC',
  'LGX',
  'LSG',
];

export function vin(rng: Rng): string {
  const chars = (n: number): string => {
    let s = '';
    for (let i = 0; i < n; i++) s += rng.pick([...VIN_CHARS]);
    return s;
  };
  const year = rng.pick(['J', 'K', 'L', 'M', 'N', 'P', 'R']);
  const draft = `${rng.pick(WMI)}${chars(5)}0${year}${chars(1)}${rng.digits(6)}`;
  return draft.slice(0, 8) + vinCheck(draft) + draft.slice(9);
}

const PLATE_LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';

/** 7-character plate, or 8-character new-energy plate (D/F after the city letter, or at the end). */
export function plate(rng: Rng, prefix: string, newEnergy: boolean): string {
  const alnum = (n: number): string => {
    let s = '';
    for (let i = 0; i < n; i++) s += rng.chance(0.75) ? String(rng.int(0, 9)) : rng.pick([...PLATE_LETTERS]);
    return s;
  };
  if (!newEnergy) return prefix + alnum(5);
  if (rng.chance(0.8))
    return `${prefix}${rng.pick(['D', 'F'])}${rng.pick([...PLATE_LETTERS, '0', '1', '2', '3'])}${rng.digits(4)}`;
  return `${prefix}${rng.digits(5)}${rng.pick(['D', 'F'])}`;
}

export const passport = (rng: Rng): string =>
  rng.chance(0.8) ? `E${rng.int(1, 9)}${rng.digits(7)}` : `G${rng.int(1, 9)}${rng.digits(7)}`;
/** 往来港澳通行证 (mainland residents): C + 8 digits; 港澳居民来往内地通行证 (回乡证): H/M + 8 digits. */
export const hkMacauPermit = (rng: Rng, resident = false): string =>
  resident ? `${rng.pick(['H', 'M'])}${rng.int(0, 1)}${rng.digits(7)}` : `C${rng.int(1, 9)}${rng.digits(7)}`;
export const twPermit = (rng: Rng): string => `${rng.int(0, 1)}${rng.int(1, 9)}${rng.digits(6)}`;
export const qq = (rng: Rng): string => String(rng.int(1, 9)) + rng.digits(rng.int(6, 9));
/** 社会保障卡卡号: 9 characters, a letter then 8 digits (letters not used by passports or permits). */
export const socialSecurityNo = (rng: Rng): string => rng.pick([...'ABDFJKLMN']) + rng.digits(8);
/** 医保个人编号: 2-digit province, 4-digit city, then 10 digits. */
export const medicalInsuranceNo = (rng: Rng, region: string): string =>
  `${region.slice(0, 4)}${rng.pick(['00', '99'])}${rng.digits(10)}`;
export const medicalRecordNo = (rng: Rng): string =>
  rng.pick([
    `${rng.int(2019, 2024)}${rng.digits(6)}`,
    `${rng.int(1, 9)}${rng.digits(6)}`,
    `ZY${rng.digits(8)}`,
  ]);
/** 残疾人证号: the holder's ID number, then category (1–7) and grade (1–4). */
export const disabilityCertNo = (rng: Rng, id: string): string => `${id}${rng.int(1, 7)}${rng.int(1, 4)}`;

/** Full-width digits and letters (what some CMS editors paste). */
export const fullWidth = (s: string): string =>
  s.replace(/[0-9A-Za-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

/** Splits after the given group sizes, joined by `sep`. */
export function group(s: string, sizes: number[], sep: string): string {
  const parts: string[] = [];
  let i = 0;
  for (const size of sizes) {
    if (i >= s.length) break;
    parts.push(s.slice(i, i + size));
    i += size;
  }
  if (i < s.length) parts.push(s.slice(i));
  return parts.join(sep);
}

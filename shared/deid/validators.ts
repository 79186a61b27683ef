/**
 * Checksums and plausibility checks. All functions read ASCII character codes from a typed array
 * window (`codes[offset … offset + length)`) so the scanner can validate a candidate without first
 * building a string.
 */

/** Province-level codes of GB/T 2260 (plus 83 for Taiwan residence permits). */
const PROVINCES = new Set([
  11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61,
  62, 63, 64, 65, 71, 81, 82, 83,
]);

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

const D0 = 48;

function digitAt(codes: ArrayLike<number>, index: number): number {
  return (codes[index] ?? 0) - D0;
}

function isDigitCode(code: number | undefined): boolean {
  return code !== undefined && code >= 48 && code <= 57;
}

/** True when `codes[offset … offset+length)` are all ASCII digits. */
export function allDigits(codes: ArrayLike<number>, offset: number, length: number): boolean {
  for (let k = offset; k < offset + length; k++) if (!isDigitCode(codes[k])) return false;
  return true;
}

function twoDigits(codes: ArrayLike<number>, index: number): number {
  return digitAt(codes, index) * 10 + digitAt(codes, index + 1);
}

/** Is year/month/day a real calendar date, not in the future and not before 1900? */
export function isRealDate(year: number, month: number, day: number, now: Date = new Date()): boolean {
  if (year < 1900 || month < 1 || month > 12 || day < 1) return false;
  const days = [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  if (day > days) return false;
  const y = now.getFullYear();
  if (year > y) return false;
  if (year === y && (month > now.getMonth() + 1 || (month === now.getMonth() + 1 && day > now.getDate())))
    return false;
  return true;
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/**
 * Region part of a resident ID: a real province code, a non-zero prefecture, and for the
 * province-only codes 810000/820000/830000 (港澳台居民居住证) the all-zero remainder. The new
 * foreign permanent-residence ID (外国人永久居留身份证, 2023) starts with 9 followed by a province.
 */
export function isPlausibleRegion(codes: ArrayLike<number>, offset: number): boolean {
  let province = twoDigits(codes, offset);
  if (digitAt(codes, offset) === 9) {
    // 9 + province (2) + nationality code (3): only the province can be checked.
    province = twoDigits(codes, offset + 1);
    return PROVINCES.has(province);
  }
  if (!PROVINCES.has(province)) return false;
  const prefecture = twoDigits(codes, offset + 2);
  const county = twoDigits(codes, offset + 4);
  if (province >= 81) return prefecture === 0 && county === 0;
  return prefecture !== 0;
}

/** GB 11643 MOD 11-2 check character of the 18-digit resident ID. */
export function idCheckChar(codes: ArrayLike<number>, offset: number): string {
  let sum = 0;
  for (let k = 0; k < 17; k++) sum += digitAt(codes, offset + k) * (ID_WEIGHTS[k] ?? 0);
  return ID_CHECK[sum % 11] ?? '';
}

/** A complete 18-character resident ID: region, real birth date, MOD 11-2 check character. */
export function isValidResidentId18(codes: ArrayLike<number>, offset: number, now?: Date): boolean {
  if (!allDigits(codes, offset, 17)) return false;
  const last = codes[offset + 17];
  if (!(isDigitCode(last) || last === 88 || last === 120)) return false;
  if (!isPlausibleRegion(codes, offset)) return false;
  const year = twoDigits(codes, offset + 6) * 100 + twoDigits(codes, offset + 8);
  if (!isRealDate(year, twoDigits(codes, offset + 10), twoDigits(codes, offset + 12), now)) return false;
  const expected = idCheckChar(codes, offset);
  const actual = last === 120 ? 'X' : String.fromCharCode(last ?? 0);
  return expected === actual;
}

/** A 15-digit first-generation ID: region and a real 19YYMMDD date (no check digit exists). */
export function isPlausibleResidentId15(codes: ArrayLike<number>, offset: number): boolean {
  if (!allDigits(codes, offset, 15)) return false;
  if (!isPlausibleRegion(codes, offset)) return false;
  return isRealDate(
    1900 + twoDigits(codes, offset + 6),
    twoDigits(codes, offset + 8),
    twoDigits(codes, offset + 10),
  );
}

/** Luhn (mod 10) check over an all-digit window. */
export function luhnValid(codes: ArrayLike<number>, offset: number, length: number): boolean {
  let sum = 0;
  for (let k = 0; k < length; k++) {
    let d = digitAt(codes, offset + length - 1 - k);
    if (k % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** Issuer prefixes of cards issued in China (UnionPay 62/60, Visa 4, Mastercard 5, JCB/Amex 3, old domestic 9). */
export function plausibleCardPrefix(codes: ArrayLike<number>, offset: number): boolean {
  const d = digitAt(codes, offset);
  return d === 3 || d === 4 || d === 5 || d === 6 || d === 9;
}

/** Mobile number prefixes in service (MIIT numbering plan): 13x, 145-149, 15x (not 154), 162/165-167, 170-178, 18x, 19x (not 194). */
export function isMobilePrefix(codes: ArrayLike<number>, offset: number): boolean {
  if (digitAt(codes, offset) !== 1) return false;
  const b = digitAt(codes, offset + 1);
  const c = digitAt(codes, offset + 2);
  switch (b) {
    case 3:
    case 8:
      return true;
    case 4:
      return c >= 5;
    case 5:
      return c !== 4;
    case 6:
      return c === 2 || c === 5 || c === 6 || c === 7;
    case 7:
      return c <= 8;
    case 9:
      return c !== 4;
    default:
      return false;
  }
}

/** An 11-digit mobile number with a prefix in service. */
export function isValidMobile(codes: ArrayLike<number>, offset: number): boolean {
  return allDigits(codes, offset, 11) && isMobilePrefix(codes, offset);
}

/**
 * Length of the area code that starts a landline number (010, 02x, or 0 + three digits), or 0
 * when the digits cannot start a Chinese trunk code.
 */
export function areaCodeLength(codes: ArrayLike<number>, offset: number): number {
  if (digitAt(codes, offset) !== 0) return 0;
  const b = digitAt(codes, offset + 1);
  if (b === 1) return digitAt(codes, offset + 2) === 0 ? 3 : 0;
  if (b === 2) return 3;
  if (b >= 3 && b <= 9) return 4;
  return 0;
}

/** Area code + a 7 or 8 digit local number that starts with 2-9. */
export function isValidLandline(codes: ArrayLike<number>, offset: number, length: number): boolean {
  if (!allDigits(codes, offset, length)) return false;
  const area = areaCodeLength(codes, offset);
  if (area === 0) return false;
  const local = length - area;
  if (local !== 7 && local !== 8) return false;
  return digitAt(codes, offset + area) >= 2;
}

const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** GB 32100 unified social credit code: 18 characters from the code alphabet, mod-31 check character. */
export function isValidUscc(value: string): boolean {
  if (value.length !== 18) return false;
  let sum = 0;
  for (let k = 0; k < 17; k++) {
    const v = USCC_ALPHABET.indexOf(value[k] ?? '');
    if (v < 0) return false;
    sum += v * (USCC_WEIGHTS[k] ?? 0);
  }
  const check = (31 - (sum % 31)) % 31;
  return value[17] === USCC_ALPHABET[check];
}

/** The USCC check character for 17 leading characters (used by tests to build valid codes). */
export function usccCheckChar(first17: string): string {
  let sum = 0;
  for (let k = 0; k < 17; k++) sum += USCC_ALPHABET.indexOf(first17[k] ?? '0') * (USCC_WEIGHTS[k] ?? 0);
  return USCC_ALPHABET[(31 - (sum % 31)) % 31] ?? '0';
}

/** The MOD 11-2 check character for 17 leading digits (used by tests and fixtures). */
export function residentIdCheckChar(first17: string): string {
  const codes: number[] = [];
  for (let k = 0; k < 17; k++) codes.push(first17.charCodeAt(k));
  return idCheckChar(codes, 0);
}

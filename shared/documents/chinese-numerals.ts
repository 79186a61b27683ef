const DIGITS: Readonly<Record<string, number>> = {
  零: 0,
  〇: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};
const SMALL_UNITS: Readonly<Record<string, number>> = { 十: 10, 百: 100, 千: 1000 };
const LARGE_UNITS: Readonly<Record<string, number>> = { 万: 10_000, 亿: 100_000_000 };

/**
 * Value of a Chinese numeral such as 二十, 一百零五, 三万五千, 二〇一九 (read digit by digit), or
 * 三点五; null when the string is not a well-formed numeral.
 */
export function chineseNumeralValue(numeral: string): number | null {
  if (numeral === '') return null;
  const [integerPart = '', fractionPart, extra] = numeral.split('点');
  if (extra !== undefined) return null;
  const integer = integerValue(integerPart);
  if (integer === null) return null;
  if (fractionPart === undefined) return integer;
  let digits = '';
  for (const character of fractionPart) {
    const digit = DIGITS[character];
    if (digit === undefined) return null;
    digits += String(digit);
  }
  return digits === '' ? null : Number(`${integer}.${digits}`);
}

function integerValue(numeral: string): number | null {
  if (numeral === '') return null;
  // Years and codes are written digit by digit (二〇一九): no 十/百/千/万 at all.
  if ([...numeral].every((character) => DIGITS[character] !== undefined)) {
    if (numeral.length === 1) return DIGITS[numeral] ?? null;
    return Number([...numeral].map((character) => DIGITS[character]).join(''));
  }
  let total = 0;
  let section = 0;
  let digit: number | null = null;
  for (const character of numeral) {
    const value = DIGITS[character];
    if (value !== undefined) {
      digit = value;
      continue;
    }
    const small = SMALL_UNITS[character];
    if (small !== undefined) {
      // 十 alone means 一十.
      section += (digit ?? 1) * small;
      digit = null;
      continue;
    }
    const large = LARGE_UNITS[character];
    if (large !== undefined) {
      // 亿 scales everything before it; 万 only its own section (一亿三千万 = 1亿 + 3000万).
      total =
        large === 100_000_000
          ? (total + section + (digit ?? 0)) * large
          : total + (section + (digit ?? 0)) * large;
      section = 0;
      digit = null;
      continue;
    }
    return null;
  }
  return total + section + (digit ?? 0);
}

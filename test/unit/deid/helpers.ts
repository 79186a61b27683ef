/** Builders for valid (checksummed) test identifiers. None of these belongs to a real person. */
import { residentIdCheckChar, usccCheckChar } from '../../../shared/deid/validators.js';

/** An 18-digit resident ID with a correct MOD 11-2 check character. */
export function residentId(region: string, birth: string, sequence: string): string {
  const first17 = `${region}${birth}${sequence}`;
  return first17 + residentIdCheckChar(first17);
}

/** A card number of `length` digits with a correct Luhn check digit. */
export function luhnCard(prefix: string, length: number, fill = '1234567890123456789'): string {
  const body = (prefix + fill).slice(0, length - 1);
  for (let d = 0; d <= 9; d++) {
    const candidate = body + d;
    if (luhn(candidate)) return candidate;
  }
  throw new Error('unreachable');
}

/** Luhn check over a digit string. */
export function luhn(digits: string): boolean {
  let sum = 0;
  for (let k = 0; k < digits.length; k++) {
    let d = Number(digits[digits.length - 1 - k]);
    if (k % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** A GB 32100 unified social credit code with a correct check character. */
export function uscc(first17: string): string {
  return first17 + usccCheckChar(first17);
}

/** Full-width form of the ASCII digits and letters in `s`. */
export function fullWidth(s: string): string {
  return s.replace(/[0-9A-Za-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
}

/** Keep only ASCII digits (and X). */
export function digitsOnly(s: string): string {
  return s.replace(/[^0-9Xx]/g, '');
}

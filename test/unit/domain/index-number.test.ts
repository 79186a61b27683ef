import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatIndexNumber,
  IndexNumberSchema,
  InvalidIndexNumberError,
  parseIndexNumber,
} from '../../../shared/domain/index.js';

describe('索引号', () => {
  it('formats the seed document’s index number', () => {
    expect(formatIndexNumber('640100-141', 2019, 64)).toBe('640100-141/2019-00064');
  });

  it('parses the seed document’s index number into its parts', () => {
    expect(parseIndexNumber('640100-141/2019-00064')).toEqual({
      bodyCode: '640100-141',
      year: 2019,
      sequence: 64,
    });
  });

  it('round-trips every valid body code, year and sequence (property)', () => {
    const bodyCode = fc
      .array(fc.stringMatching(/^[0-9A-Za-z]{1,8}$/), { minLength: 1, maxLength: 3 })
      .map((parts) => parts.join('-'));
    fc.assert(
      fc.property(
        bodyCode,
        fc.integer({ min: 1000, max: 9999 }),
        fc.integer({ min: 1, max: 99_999 }),
        (b, y, s) => {
          const formatted = formatIndexNumber(b, y, s);
          expect(IndexNumberSchema.safeParse(formatted).success).toBe(true);
          expect(parseIndexNumber(formatted)).toEqual({ bodyCode: b, year: y, sequence: s });
        },
      ),
    );
  });

  it.each([
    ['a sequence of zero', '640100-141', 2019, 0],
    ['a sequence beyond five digits', '640100-141', 2019, 100_000],
    ['a fractional sequence', '640100-141', 2019, 1.5],
    ['a two-digit year', '640100-141', 19, 1],
    ['a body code with a slash', '640100/141', 2019, 1],
    ['an empty body code', '', 2019, 1],
    ['a body code with Chinese characters', '银川-141', 2019, 1],
  ])('refuses to format %s', (_case, bodyCode, year, sequence) => {
    expect(() => formatIndexNumber(bodyCode, year, sequence)).toThrow(InvalidIndexNumberError);
  });

  it.each([
    '640100-141/2019-64',
    '640100-141/19-00064',
    '640100-141-2019-00064',
    '640100-141/2019-00000',
    '/2019-00064',
    '640100-141/2019-000641',
    ' 640100-141/2019-00064',
  ])('refuses to parse %j', (value) => {
    expect(() => parseIndexNumber(value)).toThrow(InvalidIndexNumberError);
    expect(IndexNumberSchema.safeParse(value).success).toBe(false);
  });

  it('names its error and explains the expected form in Chinese', () => {
    const error = (() => {
      try {
        parseIndexNumber('2019-64');
      } catch (caught) {
        return caught as InvalidIndexNumberError;
      }
      throw new Error('expected a throw');
    })();
    expect(error.name).toBe('InvalidIndexNumberError');
    expect(error.message).toContain('640100-141/2019-00064');
  });
});

import * as z from 'zod/mini';
import { useEnglishZodMessages } from '../zod-locale.js';
import { InvalidIndexNumberError } from './errors.js';

useEnglishZodMessages();

/**
 * 机构代码 used in a 索引号: region code and body code joined by hyphens, e.g. `640100-141`.
 * Letters are allowed because some bodies' codes contain them; `/` is not, since it separates the parts.
 */
export const BODY_CODE_PATTERN = /^[0-9A-Za-z]+(?:-[0-9A-Za-z]+)*$/;

/** Largest sequence that fits the 5-digit field. */
export const MAX_INDEX_SEQUENCE = 99_999;

const INDEX_NUMBER_PATTERN = /^([0-9A-Za-z]+(?:-[0-9A-Za-z]+)*)\/(\d{4})-(\d{5})$/;

/** 索引号, e.g. `640100-141/2019-00064`: `<bodyCode>/<year>-<5-digit sequence>`, sequence ≥ 1. */
export const IndexNumberSchema = z.string().check(
  z.regex(INDEX_NUMBER_PATTERN, { error: '索引号应形如 640100-141/2019-00064（机构代码/年份-5 位序号）' }),
  z.refine((value: string) => !value.endsWith('-00000'), { error: '索引号的序号从 00001 开始' }),
);

/** 索引号. */
export type IndexNumber = z.infer<typeof IndexNumberSchema>;

/** The parts of a 索引号. */
export interface IndexNumberParts {
  bodyCode: string;
  year: number;
  sequence: number;
}

/**
 * Formats a 索引号 from its parts: `formatIndexNumber('640100-141', 2019, 64)` → `640100-141/2019-00064`.
 * @throws InvalidIndexNumberError when a part cannot be represented.
 */
export function formatIndexNumber(bodyCode: string, year: number, sequence: number): IndexNumber {
  const shown = `${bodyCode}/${year}-${sequence}`;
  if (!BODY_CODE_PATTERN.test(bodyCode)) {
    throw new InvalidIndexNumberError(shown, '机构代码只能由字母、数字和连字符组成');
  }
  if (!Number.isInteger(year) || year < 1000 || year > 9999) {
    throw new InvalidIndexNumberError(shown, '年份应为 4 位数字');
  }
  if (!Number.isInteger(sequence) || sequence < 1 || sequence > MAX_INDEX_SEQUENCE) {
    throw new InvalidIndexNumberError(shown, `序号应为 1 到 ${MAX_INDEX_SEQUENCE} 之间的整数`);
  }
  return `${bodyCode}/${year}-${String(sequence).padStart(5, '0')}`;
}

/**
 * Splits a 索引号 into its parts; the inverse of {@link formatIndexNumber}.
 * @throws InvalidIndexNumberError when `value` is not a 索引号.
 */
export function parseIndexNumber(value: string): IndexNumberParts {
  const match = INDEX_NUMBER_PATTERN.exec(value);
  if (match === null) throw new InvalidIndexNumberError(value, '格式不符');
  const [, bodyCode = '', year = '', sequence = ''] = match;
  const parsedSequence = Number(sequence);
  if (parsedSequence < 1) throw new InvalidIndexNumberError(value, '序号从 00001 开始');
  return { bodyCode, year: Number(year), sequence: parsedSequence };
}

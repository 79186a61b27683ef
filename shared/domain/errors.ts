import { GongkaiError } from '../errors.js';

/**
 * A date given to the working-day calendar is not a real `YYYY-MM-DD` date.
 * Raised by the deadline functions; a schema-validated submission never triggers it.
 */
export class InvalidCalendarDateError extends GongkaiError {
  constructor(readonly value: string) {
    // The value is a date string we were handed, never document text.
    super(`日期「${value}」无效，应为真实存在的日期，格式 YYYY-MM-DD（例如 2019-07-19）。`);
  }
}

/** A 索引号 (or one of its parts) does not have the form `640100-141/2019-00064`. */
export class InvalidIndexNumberError extends GongkaiError {
  constructor(
    readonly value: string,
    detail: string,
  ) {
    super(
      `索引号「${value}」无效：${detail}。索引号应形如 640100-141/2019-00064（机构代码/年份-5 位序号）。`,
    );
  }
}

/** Input to a deadline computation contradicts itself (e.g. 已发布 without a 发布日期). */
export class InvalidDeadlineInputError extends GongkaiError {
  override readonly httpStatus: number = 500;
}

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

/**
 * The official holiday calendar (chinese-days) has no data for a date the computation needs.
 * Working days outside the covered years cannot be known, so we refuse rather than guess:
 * a weekday-only guess would silently misstate a legal deadline.
 */
export class CalendarCoverageError extends GongkaiError {
  override readonly httpStatus: number = 500;

  constructor(
    readonly date: string,
    readonly firstYear: number,
    readonly lastYear: number,
  ) {
    super(
      `官方节假日与调休日历只覆盖 ${firstYear}—${lastYear} 年，无法判断 ${date} 是否为工作日，` +
        `因此算不出及时公开期限。请联系运维人员更新节假日日历（chinese-days）后再试。`,
    );
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

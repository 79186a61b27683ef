import chineseDays from 'chinese-days';
import { InvalidCalendarDateError, InvalidDeadlineInputError } from './errors.js';
import type { SubmissionStatus } from './lifecycle.js';

/** 及时公开: publish within 20 working days of the information being made (条例 Art. 26). */
export const TIMELY_DISCLOSURE_WORKING_DAYS = 20;

/** Default number of remaining working days at which a deadline counts as near. */
export const DEFAULT_NEAR_DUE_WORKING_DAYS = 5;

const DAY_MS = 86_400_000;
/** China has kept UTC+8 without daylight saving since 1991, so a fixed offset is exact for our dates. */
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a `YYYY-MM-DD` date; validates that the date exists. */
function toDayNumber(date: string): number {
  const match = DATE_PATTERN.exec(date);
  if (match === null) throw new InvalidCalendarDateError(date);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const utc = Date.UTC(year, month - 1, day);
  if (new Date(utc).toISOString().slice(0, 10) !== date) throw new InvalidCalendarDateError(date);
  return utc / DAY_MS;
}

function fromDayNumber(dayNumber: number): string {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}

/**
 * chinese-days formats dates with the machine's local getters but parses `YYYY-MM-DD` strings as
 * UTC, so west of Greenwich a string lands on the previous day. Handing it a local-time Date at
 * noon of the wanted day is correct in every time zone.
 */
function localNoon(dayNumber: number): Date {
  const utc = new Date(dayNumber * DAY_MS);
  return new Date(utc.getUTCFullYear(), utc.getUTCMonth(), utc.getUTCDate(), 12);
}

let coverage: { firstYear: number; lastYear: number } | undefined;

/**
 * The years for which the official holiday and 调休 arrangement is known (2004–2026 in
 * chinese-days 1.5.7). Detected from the data rather than hard-coded, so upgrading the package
 * extends it: a year counts when its 10-01 is marked as the 国庆节 holiday, which every
 * arrangement since 1999 includes.
 */
export function calendarCoverage(): { firstYear: number; lastYear: number } {
  if (coverage === undefined) {
    const years: number[] = [];
    for (let year = 1990; year <= 2100; year++) {
      const detail = chineseDays.getDayDetail(new Date(year, 9, 1, 12));
      if (!detail.work && detail.name.includes('国庆')) years.push(year);
    }
    coverage = { firstYear: Math.min(...years), lastYear: Math.max(...years) };
  }
  return coverage;
}

/** True when the official arrangement of the day's year is known. */
function isCovered(dayNumber: number): boolean {
  const { firstYear, lastYear } = calendarCoverage();
  const year = new Date(dayNumber * DAY_MS).getUTCFullYear();
  return year >= firstYear && year <= lastYear;
}

/**
 * Working day on the official calendar. For a year the calendar does not cover yet (the State
 * Council announces each year's arrangement late in the year before), Monday to Friday stand in,
 * and callers that need to say so ask {@link isCovered}: a deadline is then an estimate, which is
 * better than no deadline at all for a document written in late December.
 */
function isWorkdayNumber(dayNumber: number): boolean {
  if (isCovered(dayNumber)) return chineseDays.isWorkday(localNoon(dayNumber));
  const weekday = new Date(dayNumber * DAY_MS).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/**
 * True when `date` (`YYYY-MM-DD`) is a working day on the official calendar: holidays are off,
 * 调休 weekend days are on.
 * @throws InvalidCalendarDateError
 */
export function isOfficialWorkday(date: string): boolean {
  return isWorkdayNumber(toDayNumber(date));
}

/**
 * The `count`-th working day after `date` (the day itself never counts).
 * @throws InvalidCalendarDateError
 */
export function addWorkingDays(date: string, count: number): string {
  if (!Number.isInteger(count) || count < 1) throw new RangeError('count must be a positive integer');
  let dayNumber = toDayNumber(date);
  let remaining = count;
  while (remaining > 0) {
    dayNumber += 1;
    if (isWorkdayNumber(dayNumber)) remaining -= 1;
  }
  return fromDayNumber(dayNumber);
}

/**
 * Last day to publish under 及时公开: the 20th working day after the 成文日期, counting from the
 * next day, on the official calendar.
 * @param writtenDate 成文日期, `YYYY-MM-DD`
 * @returns `YYYY-MM-DD`
 * @throws InvalidCalendarDateError
 */
export function publicationDeadline(writtenDate: string): string {
  return addWorkingDays(writtenDate, TIMELY_DISCLOSURE_WORKING_DAYS);
}

/**
 * True when the deadline of `writtenDate` was counted partly on weekdays only, because the
 * official calendar does not cover a year it spans yet (see {@link calendarCoverage}).
 */
export function isDeadlineEstimated(writtenDate: string): boolean {
  const deadline = publicationDeadline(writtenDate);
  return !isCovered(toDayNumber(writtenDate)) || !isCovered(toDayNumber(deadline));
}

/** The calendar date (`YYYY-MM-DD`) in Asia/Shanghai at `instant`. */
export function shanghaiDate(instant: Date): string {
  if (Number.isNaN(instant.getTime())) throw new InvalidCalendarDateError(String(instant));
  return new Date(instant.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/**
 * Working days left on `day` until `deadline`: today counts when it is a working day, so the
 * deadline day itself shows 1. Past the deadline it is minus the working days elapsed since
 * (0 when only rest days have passed — the state still says overdue).
 */
function workingDaysLeftOn(day: string, deadline: string): number {
  const from = toDayNumber(day);
  const to = toDayNumber(deadline);
  let count = 0;
  if (from <= to) {
    for (let d = from; d <= to; d++) if (isWorkdayNumber(d)) count += 1;
    return count;
  }
  for (let d = to + 1; d <= from; d++) if (isWorkdayNumber(d)) count += 1;
  return -count;
}

/** Where a submission stands against its 及时公开 deadline. */
export type DeadlineState =
  | {
      /** Last day to publish, `YYYY-MM-DD`. */
      deadline: string;
      /** See {@link deadlineState}. */
      workingDaysLeft: number;
      /** due: time left; near-due: within the warning window; overdue: past it; met: published in time. */
      state: 'due' | 'near-due' | 'overdue' | 'met';
      /** True once the outcome can no longer change (it was published). */
      settled: boolean;
    }
  | {
      deadline: string;
      workingDaysLeft: null;
      /** Registered (依申请公开/不予公开) or withdrawn before publication: nothing is to be published. */
      state: 'not-applicable';
      settled: true;
    };

/** What {@link deadlineState} needs to know about a submission. */
export interface DeadlineSubject {
  writtenDate: string;
  status: SubmissionStatus;
  /** 发布日期 (ISO timestamp), present once published. */
  publishedAt?: string | undefined;
}

/**
 * Where `subject` stands against its 及时公开 deadline at `now`, on the Asia/Shanghai calendar.
 *
 * - published (publishedAt present): `met` if published on or before the deadline, else `overdue`;
 *   `workingDaysLeft` is frozen at the publication day and `settled` is true;
 * - REGISTERED, or WITHDRAWN before publication: `not-applicable`;
 * - otherwise (including RETURNED and FAILED: the clock keeps running while the drafter fixes it):
 *   `overdue` after the deadline, `near-due` when at most `nearDueWorkdays` working days are left
 *   (today included), else `due`.
 *
 * @throws InvalidCalendarDateError, InvalidDeadlineInputError
 */
export function deadlineState(
  subject: DeadlineSubject,
  now: Date,
  nearDueWorkdays: number = DEFAULT_NEAR_DUE_WORKING_DAYS,
): DeadlineState {
  const deadline = publicationDeadline(subject.writtenDate);
  if (subject.publishedAt !== undefined) {
    const publishedOn = shanghaiDate(new Date(subject.publishedAt));
    const workingDaysLeft = workingDaysLeftOn(publishedOn, deadline);
    return { deadline, workingDaysLeft, state: publishedOn <= deadline ? 'met' : 'overdue', settled: true };
  }
  if (subject.status === 'PUBLISHED' || subject.status === 'SUPERSEDED') {
    throw new InvalidDeadlineInputError('已发布的文件缺少发布日期，无法判断是否及时公开。');
  }
  if (subject.status === 'REGISTERED' || subject.status === 'WITHDRAWN') {
    return { deadline, workingDaysLeft: null, state: 'not-applicable', settled: true };
  }
  const today = shanghaiDate(now);
  const workingDaysLeft = workingDaysLeftOn(today, deadline);
  const state = today > deadline ? 'overdue' : workingDaysLeft <= nearDueWorkdays ? 'near-due' : 'due';
  return { deadline, workingDaysLeft, state, settled: false };
}

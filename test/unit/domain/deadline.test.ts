import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import {
  addWorkingDays,
  calendarCoverage,
  deadlineState,
  InvalidCalendarDateError,
  InvalidDeadlineInputError,
  isDeadlineEstimated,
  isOfficialWorkday,
  publicationDeadline,
  shanghaiDate,
} from '../../../shared/domain/index.js';

/** Noon in Beijing time on `date`. */
const beijing = (date: string, time = '12:00:00') => new Date(`${date}T${time}+08:00`);

describe('Official calendar', () => {
  it.each([
    ['2019-09-29', '2019 国庆 调休 Sunday'],
    ['2019-10-12', '2019 国庆 调休 Saturday'],
    ['2024-02-04', '2024 春节 调休 Sunday'],
    ['2024-02-18', '2024 春节 调休 Sunday'],
    ['2025-09-28', '2025 国庆 调休 Sunday'],
    ['2025-10-11', '2025 国庆 调休 Saturday'],
  ])('counts %s (%s) as a working day', (date) => {
    expect(isOfficialWorkday(date)).toBe(true);
  });

  it.each([
    ['2019-10-01', '国庆节'],
    ['2019-10-07', '国庆 last day, a Monday'],
    ['2024-02-12', '春节, a Monday'],
    ['2025-10-08', '国庆/中秋 last day, a Wednesday'],
    ['2025-02-04', '春节 last day, a Tuesday'],
    ['2019-07-20', 'an ordinary Saturday'],
  ])('counts %s (%s) as a day off', (date) => {
    expect(isOfficialWorkday(date)).toBe(false);
  });

  it('covers at least 2004 to 2026', () => {
    const { firstYear, lastYear } = calendarCoverage();
    expect(firstYear).toBeLessThanOrEqual(2004);
    expect(lastYear).toBeGreaterThanOrEqual(2026);
  });

  it('reads dates in Asia/Shanghai, not UTC', () => {
    expect(shanghaiDate(new Date('2019-10-23T16:30:00Z'))).toBe('2019-10-24');
    expect(shanghaiDate(new Date('2019-10-23T15:59:59Z'))).toBe('2019-10-23');
  });
});

describe('publicationDeadline (及时公开, 20 working days)', () => {
  it('gives the seed document, written 2019-07-19, until 2019-08-16', () => {
    expect(publicationDeadline('2019-07-19')).toBe('2019-08-16');
  });

  it('skips the 2019 国庆 week and counts both 调休 days', () => {
    // Weekdays only would give 2019-10-18; the holidays push it out, the two 调休 days pull it back.
    expect(publicationDeadline('2019-09-20')).toBe('2019-10-23');
  });

  it('skips 2024 春节 and counts the 调休 Sundays before and after it', () => {
    expect(publicationDeadline('2024-01-31')).toBe('2024-03-04');
  });

  it('skips 2025 春节 and counts the 调休 Sunday and Saturday', () => {
    expect(publicationDeadline('2025-01-20')).toBe('2025-02-21');
  });

  it('skips the eight-day 2025 国庆/中秋 holiday', () => {
    expect(publicationDeadline('2025-09-25')).toBe('2025-10-29');
  });

  it('starts counting the day after the written date, even when it is written on a holiday', () => {
    expect(publicationDeadline('2019-10-01')).toBe(addWorkingDays('2019-10-07', 20));
  });

  it('always lands on a working day exactly 20 working days later (property)', () => {
    const day = fc.date({
      min: new Date('2004-01-01T00:00:00Z'),
      max: new Date('2026-10-31T00:00:00Z'),
      noInvalidDate: true,
    });
    fc.assert(
      fc.property(day, (instant) => {
        const written = instant.toISOString().slice(0, 10);
        const deadline = publicationDeadline(written);
        expect(isOfficialWorkday(deadline)).toBe(true);
        let count = 0;
        for (let d = addDays(written, 1); d <= deadline; d = addDays(d, 1)) if (isOfficialWorkday(d)) count++;
        expect(count).toBe(20);
        const span = (Date.parse(deadline) - Date.parse(written)) / 86_400_000;
        expect(span).toBeGreaterThanOrEqual(20);
        expect(span).toBeLessThanOrEqual(45);
      }),
      { numRuns: 200 },
    );
  });

  it.each(['2019-02-30', '2019-7-19', '19-07-19', '2019-13-01', ''])(
    'rejects the impossible date %j',
    (date) => {
      expect(() => publicationDeadline(date)).toThrow(InvalidCalendarDateError);
    },
  );

  it('counts weekdays past the last year the official calendar covers, and flags the deadline as estimated', () => {
    const { lastYear } = calendarCoverage();
    // Prepare: a Friday late in the last covered year, so the deadline falls in the next year.
    const writtenDate = `${lastYear}-12-18`;
    // Act
    const deadline = publicationDeadline(writtenDate);
    // Assess: 20 working days later, in the uncovered year, counted Monday to Friday.
    expect(deadline > `${lastYear}-12-31`).toBe(true);
    expect(isDeadlineEstimated(writtenDate)).toBe(true);
    expect(isDeadlineEstimated('2019-07-19')).toBe(false);
    expect(publicationDeadline(`${lastYear + 1}-03-05`)).toBe(addWeekdays(`${lastYear + 1}-03-05`, 20));
  });

  describe('on a machine outside China', () => {
    const original = process.env.TZ;
    afterEach(() => {
      if (original === undefined) delete process.env.TZ;
      else process.env.TZ = original;
    });

    it.each([
      ['America/Los_Angeles', 420],
      ['Pacific/Kiritimati', -840],
    ])('computes the same deadline in %s', (zone, offsetMinutes) => {
      process.env.TZ = zone;
      // Guard: the zone really took effect in this process, or the test would prove nothing.
      expect(new Date(2019, 9, 1, 12).getTimezoneOffset()).toBe(offsetMinutes);
      expect(publicationDeadline('2019-09-20')).toBe('2019-10-23');
      expect(isOfficialWorkday('2019-10-12')).toBe(true);
      expect(isOfficialWorkday('2019-10-01')).toBe(false);
    });
  });
});

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

describe('deadlineState', () => {
  // Written 2019-09-20, due 2019-10-23 (see above).
  const inReview = { writtenDate: '2019-09-20', status: 'IN_REVIEW' as const };

  it('is due with 20 working days left on the first working day', () => {
    expect(deadlineState(inReview, beijing('2019-09-23'))).toEqual({
      deadline: '2019-10-23',
      workingDaysLeft: 20,
      state: 'due',
      settled: false,
    });
  });

  it('is still due with 6 working days left', () => {
    expect(deadlineState(inReview, beijing('2019-10-16'))).toMatchObject({
      workingDaysLeft: 6,
      state: 'due',
    });
  });

  it('is near due with 5 working days left, today included', () => {
    expect(deadlineState(inReview, beijing('2019-10-17'))).toMatchObject({
      workingDaysLeft: 5,
      state: 'near-due',
    });
  });

  it('is near due on the deadline day itself', () => {
    expect(deadlineState(inReview, beijing('2019-10-23', '23:59:00'))).toMatchObject({
      workingDaysLeft: 1,
      state: 'near-due',
    });
  });

  it('honours a custom near-due window', () => {
    expect(deadlineState(inReview, beijing('2019-10-16'), 10).state).toBe('near-due');
    expect(deadlineState(inReview, beijing('2019-10-17'), 2).state).toBe('due');
  });

  it('is overdue the day after the deadline', () => {
    expect(deadlineState(inReview, beijing('2019-10-24'))).toMatchObject({
      workingDaysLeft: -1,
      state: 'overdue',
    });
  });

  it('is overdue on a rest day after the deadline, counting only working days late', () => {
    expect(deadlineState(inReview, beijing('2019-10-27'))).toMatchObject({
      workingDaysLeft: -2,
      state: 'overdue',
    });
  });

  it('turns overdue at midnight Beijing time, while it is still the deadline day in UTC', () => {
    expect(deadlineState(inReview, new Date('2019-10-23T16:30:00Z')).state).toBe('overdue');
  });

  it('keeps the clock running while a returned or failed submission is being fixed', () => {
    expect(deadlineState({ ...inReview, status: 'RETURNED' }, beijing('2019-10-24')).state).toBe('overdue');
    expect(deadlineState({ ...inReview, status: 'FAILED' }, beijing('2019-10-17')).state).toBe('near-due');
  });

  it('is met, and settled, when published on or before the deadline', () => {
    const published = { ...inReview, status: 'PUBLISHED' as const, publishedAt: '2019-10-23T02:00:00Z' };
    expect(deadlineState(published, beijing('2020-01-10'))).toEqual({
      deadline: '2019-10-23',
      workingDaysLeft: 1,
      state: 'met',
      settled: true,
    });
  });

  it('stays overdue, settled, when published after the deadline', () => {
    const late = { ...inReview, status: 'PUBLISHED' as const, publishedAt: '2019-10-25T02:00:00Z' };
    expect(deadlineState(late, beijing('2020-01-10'))).toMatchObject({
      workingDaysLeft: -2,
      state: 'overdue',
      settled: true,
    });
  });

  it('judges a publication by its Beijing date', () => {
    // 2019-10-23T16:30Z is already 10-24 in Beijing.
    const published = { ...inReview, status: 'PUBLISHED' as const, publishedAt: '2019-10-23T16:30:00Z' };
    expect(deadlineState(published, beijing('2020-01-10')).state).toBe('overdue');
  });

  it('still judges a withdrawn or superseded publication by when it was published', () => {
    const publishedAt = '2019-10-10T02:00:00Z';
    expect(
      deadlineState({ ...inReview, status: 'WITHDRAWN', publishedAt }, beijing('2020-01-10')).state,
    ).toBe('met');
    expect(
      deadlineState({ ...inReview, status: 'SUPERSEDED', publishedAt }, beijing('2020-01-10')).state,
    ).toBe('met');
  });

  it('does not apply to a registered (依申请公开 / 不予公开) or unpublished withdrawn submission', () => {
    for (const status of ['REGISTERED', 'WITHDRAWN'] as const) {
      expect(deadlineState({ ...inReview, status }, beijing('2019-12-01'))).toEqual({
        deadline: '2019-10-23',
        workingDaysLeft: null,
        state: 'not-applicable',
        settled: true,
      });
    }
  });

  it('rejects a published submission without a publication date', () => {
    expect(() => deadlineState({ ...inReview, status: 'PUBLISHED' }, beijing('2019-10-01'))).toThrow(
      InvalidDeadlineInputError,
    );
  });
});

/** Reference count of Monday-to-Friday days, for years with no official arrangement. */
function addWeekdays(date: string, count: number): string {
  const day = new Date(`${date}T00:00:00Z`);
  let remaining = count;
  while (remaining > 0) {
    day.setUTCDate(day.getUTCDate() + 1);
    if (day.getUTCDay() !== 0 && day.getUTCDay() !== 6) remaining -= 1;
  }
  return day.toISOString().slice(0, 10);
}

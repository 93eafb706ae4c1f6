import { describe, expect, it } from 'vitest';
import { expandSeries, MAX_RANGE_DAYS, parseDateList, seriesDates, timeOfDayProblems, type SeriesDays } from '../../src/slots/series.ts';
import { toDbInstant } from '../../src/time/stockholm.ts';

const WEEKDAYS = [1, 2, 3, 4, 5];
const dates = (days: SeriesDays) => {
  const result = seriesDates(days);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.dates;
};
const utc = (days: SeriesDays, start: string, end: string) => {
  const result = expandSeries(days, start, end, 'sv');
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.occurrences.map((o) => [toDbInstant(o.startsAt), toDbInstant(o.endsAt)]);
};

describe('seriesDates', () => {
  it('gives every weekday morning of weeks 11–12 of 2027 (ten days, no weekend)', () => {
    expect(dates({ kind: 'weekly', from: '2027-03-15', to: '2027-03-26', weekdays: WEEKDAYS })).toEqual([
      '2027-03-15', '2027-03-16', '2027-03-17', '2027-03-18', '2027-03-19',
      '2027-03-22', '2027-03-23', '2027-03-24', '2027-03-25', '2027-03-26',
    ]);
  });

  it('includes both the first and the last day', () => {
    expect(dates({ kind: 'weekly', from: '2027-03-16', to: '2027-03-16', weekdays: [2] })).toEqual(['2027-03-16']);
  });

  it('keeps only the chosen weekdays (Tuesdays and Thursdays)', () => {
    expect(dates({ kind: 'weekly', from: '2027-03-15', to: '2027-03-28', weekdays: [2, 4] })).toEqual(['2027-03-16', '2027-03-18', '2027-03-23', '2027-03-25']);
  });

  it('counts Sunday as 7', () => {
    expect(dates({ kind: 'weekly', from: '2027-03-22', to: '2027-03-28', weekdays: [7] })).toEqual(['2027-03-28']);
  });

  it('sorts a list of dates and drops repeats', () => {
    expect(dates({ kind: 'dates', dates: ['2027-03-18', '2027-03-16', '2027-03-18'] })).toEqual(['2027-03-16', '2027-03-18']);
  });

  it('refuses a last day before the first', () => {
    expect(seriesDates({ kind: 'weekly', from: '2027-03-20', to: '2027-03-19', weekdays: WEEKDAYS })).toEqual({ ok: false, problems: { toDate: { key: 'slots.last_before_first' } } });
  });

  it('refuses a range longer than a year, so a typo cannot make thousands of slots', () => {
    expect(seriesDates({ kind: 'weekly', from: '2027-03-16', to: '2028-03-16', weekdays: WEEKDAYS })).toMatchObject({ ok: false, problems: { toDate: { key: 'slots.range_too_long', params: { max: MAX_RANGE_DAYS } } } });
    expect(seriesDates({ kind: 'weekly', from: '2027-03-16', to: '2028-03-15', weekdays: WEEKDAYS }).ok).toBe(true);
  });

  it('asks for the first day, the last day and at least one weekday', () => {
    expect(seriesDates({ kind: 'weekly', from: '', to: '2027-13-01', weekdays: [] })).toEqual({
      ok: false,
      problems: { fromDate: { key: 'field.required' }, toDate: { key: 'field.invalid' }, weekdays: { key: 'slots.choose_weekday' } },
    });
  });
});

describe('parseDateList', () => {
  it('reads dates one per line, with commas or semicolons', () => {
    expect(parseDateList('2027-03-16\n2027-03-17, 2027-03-18;2027-03-19\r\n')).toEqual({ ok: true, dates: ['2027-03-16', '2027-03-17', '2027-03-18', '2027-03-19'] });
  });

  it('names the first word that is not a date', () => {
    expect(parseDateList('2027-03-16, 16/3, 2027-02-30')).toEqual({ ok: false, word: '16/3' });
    expect(parseDateList('2027-02-30')).toEqual({ ok: false, word: '2027-02-30' });
  });
});

describe('timeOfDayProblems', () => {
  it('accepts 08:00 and the Swedish 08.00, and refuses 24:00, 8:00 and an empty time', () => {
    expect(timeOfDayProblems({ a: '08:00', b: '08.00', c: '23:59' })).toEqual({});
    expect(timeOfDayProblems({ a: '24:00', b: '8:00', c: '' })).toEqual({
      a: { key: 'slots.time_of_day_invalid' },
      b: { key: 'slots.time_of_day_invalid' },
      c: { key: 'field.required' },
    });
  });
});

describe('expandSeries', () => {
  it('keeps 08.00 local time on both sides of the spring DST change', () => {
    // Fri 26 March is winter time (UTC+1); Mon 29 March is summer time (UTC+2).
    expect(utc({ kind: 'dates', dates: ['2027-03-26', '2027-03-29'] }, '08:00', '12:00')).toEqual([
      ['2027-03-26T07:00:00.000Z', '2027-03-26T11:00:00.000Z'],
      ['2027-03-29T06:00:00.000Z', '2027-03-29T10:00:00.000Z'],
    ]);
  });

  it('keeps 08.00 local time on both sides of the autumn DST change', () => {
    expect(utc({ kind: 'weekly', from: '2027-10-29', to: '2027-11-01', weekdays: WEEKDAYS }, '08:00', '12:00')).toEqual([
      ['2027-10-29T06:00:00.000Z', '2027-10-29T10:00:00.000Z'],
      ['2027-11-01T07:00:00.000Z', '2027-11-01T11:00:00.000Z'],
    ]);
  });

  it('takes a normal time on a DST day (2027-03-28 08.00 is 06.00 UTC)', () => {
    expect(utc({ kind: 'dates', dates: ['2027-03-28'] }, '08:00', '09:00')).toEqual([['2027-03-28T06:00:00.000Z', '2027-03-28T07:00:00.000Z']]);
  });

  it('refuses 02.30 on 2027-03-28, which does not exist, naming the date instead of shifting it', () => {
    expect(expandSeries({ kind: 'dates', dates: ['2027-03-27', '2027-03-28'] }, '02:30', '04:00', 'sv')).toEqual({
      ok: false,
      problems: { dates: { key: 'slot.series_date_problem', reason: 'slot.time_nonexistent', params: { date: 'sön 28 mars 2027, 02.30' } } },
    });
  });

  it('refuses 02.30 on 2027-10-31, which happens twice', () => {
    expect(expandSeries({ kind: 'weekly', from: '2027-10-25', to: '2027-10-31', weekdays: [6, 7] }, '01:00', '02:30', 'en')).toEqual({
      ok: false,
      problems: { dates: { key: 'slot.series_date_problem', reason: 'slot.time_ambiguous', params: { date: 'Sun 31 October 2027, 02:30' } } },
    });
  });

  it('asks for at least one day when the weekdays match none of the range', () => {
    expect(expandSeries({ kind: 'weekly', from: '2027-03-20', to: '2027-03-21', weekdays: WEEKDAYS }, '08:00', '12:00', 'sv')).toEqual({ ok: false, problems: { dates: { key: 'slot.no_dates' } } });
  });

  it('checks the times of day before the days', () => {
    expect(expandSeries({ kind: 'dates', dates: [] }, '', '25:00', 'sv')).toEqual({
      ok: false,
      problems: { startTime: { key: 'field.required' }, endTime: { key: 'slots.time_of_day_invalid' } },
    });
  });
});

import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { minorsProblems, type MinorsProblem } from '../../src/slots/minors.ts';

// Prao for åk 7–9: a weekday, between 06.00 and 20.00 (Stockholm time), at most 7 hours.
// Wednesday 28 April 2027 is an ordinary weekday in summer time.

/** An instant given by its Stockholm wall-clock time (or with an explicit offset on the DST days). */
const t = (iso: string) => DateTime.fromISO(iso, { zone: 'Europe/Stockholm' });
const problems = (start: string, end: string, grades: string[] = ['8']) => minorsProblems(t(start), t(end), grades);

describe('the rules for åk 7–9, on an ordinary weekday', () => {
  const cases: [string, string, string, MinorsProblem[]][] = [
    ['starts at 06.00 exactly', '2027-04-28T06:00', '2027-04-28T12:00', []],
    ['starts at 05.59', '2027-04-28T05:59', '2027-04-28T12:00', ['slot.minors_hours']],
    ['ends at 20.00 exactly', '2027-04-28T14:00', '2027-04-28T20:00', []],
    ['ends at 20.01', '2027-04-28T14:00', '2027-04-28T20:01', ['slot.minors_hours']],
    ['lasts 7 hours exactly', '2027-04-28T08:00', '2027-04-28T15:00', []],
    ['lasts 7 hours and 1 minute', '2027-04-28T08:00', '2027-04-28T15:01', ['slot.minors_too_long']],
    ['runs 06.00–20.00 (both limits kept, but 14 hours)', '2027-04-28T06:00', '2027-04-28T20:00', ['slot.minors_too_long']],
    ['ends at midnight, the next day', '2027-04-28T18:00', '2027-04-29T00:00', ['slot.minors_one_day']],
    ['is on a Friday', '2027-04-30T08:00', '2027-04-30T12:00', []],
    ['is on a Saturday', '2027-05-01T08:00', '2027-05-01T12:00', ['slot.minors_weekday']],
    ['is on a Sunday', '2027-05-02T08:00', '2027-05-02T12:00', ['slot.minors_weekday']],
  ];
  it.each(cases)('a slot that %s', (_label, start, end, expected) => {
    expect(problems(start, end)).toEqual(expected);
  });

  it('reads the hours in Stockholm time, not UTC (06.00 in summer is 04.00 UTC)', () => {
    expect(minorsProblems(DateTime.fromISO('2027-04-28T04:00:00Z'), DateTime.fromISO('2027-04-28T08:00:00Z'), ['7'])).toEqual([]);
    expect(minorsProblems(DateTime.fromISO('2027-04-28T03:59:00Z'), DateTime.fromISO('2027-04-28T08:00:00Z'), ['7'])).toEqual(['slot.minors_hours']);
  });

  it('names every rule a slot breaks', () => {
    expect(problems('2027-05-01T05:00', '2027-05-01T21:00')).toEqual(['slot.minors_weekday', 'slot.minors_hours', 'slot.minors_too_long']);
  });
});

describe('who the rules are for', () => {
  it.each([['7'], ['8'], ['9']])('binds a slot open to åk %s', (grade) => {
    expect(problems('2027-05-01T08:00', '2027-05-01T12:00', [grade])).toEqual(['slot.minors_weekday']);
  });

  it('binds a slot open to åk 9 and gymnasium alike (the youngest pupils decide)', () => {
    expect(problems('2027-05-01T08:00', '2027-05-01T12:00', ['9', 'gy1'])).toEqual(['slot.minors_weekday']);
  });

  it('exempts a slot only for gymnasium and YH: Saturday night, 10 hours', () => {
    expect(problems('2027-05-01T12:00', '2027-05-01T22:00', ['gy1', 'gy2', 'gy3', 'yh'])).toEqual([]);
  });
});

// Both DST days of 2027 are Sundays and the change is at night, so a slot for åk 7–9 across
// one is always refused anyway (weekday, hours). What these cases pin is how the 7-hour limit
// is measured: in real elapsed time, as the pupil lives it, not on the wall clock.
describe('the 7-hour limit across a DST change (real elapsed time)', () => {
  it('counts 01.00–08.00 on 28 March 2027 (spring forward) as 6 hours: not too long', () => {
    const start = t('2027-03-28T01:00');
    const end = t('2027-03-28T08:00');
    expect(end.diff(start, 'hours').hours).toBe(6);
    expect(problems('2027-03-28T01:00', '2027-03-28T08:00')).not.toContain('slot.minors_too_long');
  });

  it('counts 01.00–08.00 on 31 October 2027 (fall back) as 8 hours: too long', () => {
    const start = t('2027-10-31T01:00');
    const end = t('2027-10-31T08:00');
    expect(end.diff(start, 'hours').hours).toBe(8);
    expect(problems('2027-10-31T01:00', '2027-10-31T08:00')).toContain('slot.minors_too_long');
  });

  it('counts 01.00–07.00 on 31 October 2027 as exactly 7 hours: not too long', () => {
    expect(problems('2027-10-31T01:00', '2027-10-31T07:00')).toEqual(['slot.minors_weekday', 'slot.minors_hours']);
  });

  it('counts 01.00–09.00 on 28 March 2027 as 7 hours: not too long, although the clock shows 8', () => {
    expect(problems('2027-03-28T01:00', '2027-03-28T09:00')).toEqual(['slot.minors_weekday', 'slot.minors_hours']);
  });
});

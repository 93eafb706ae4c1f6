import { describe, expect, it } from 'vitest';
import { localDateTime, parseInstant, stockholmParts, type LocalTimeProblem } from '../../src/time/local-time.ts';

// Times as people and scripts write them: local Stockholm time or an exact instant. The two
// DST change days of 2027: 28 March (02.00 → 03.00) and 31 October (03.00 → 02.00).

const utc = (value: string) => {
  const parsed = parseInstant(value);
  if (!parsed.ok) throw new Error(`${value}: ${parsed.problem}`);
  return parsed.instant.toISO();
};
const problem = (value: string) => {
  const parsed = parseInstant(value);
  return parsed.ok ? 'ok' : parsed.problem;
};

describe('local Stockholm time', () => {
  it.each([
    ['a winter morning', '2027-03-16T08:00', '2027-03-16T07:00:00.000Z'],
    ['a summer morning', '2027-06-15T08:00', '2027-06-15T06:00:00.000Z'],
    ['the Swedish way of writing it', '2027-03-16 08.00', '2027-03-16T07:00:00.000Z'],
    ['with seconds', '2027-03-16T08:00:30', '2027-03-16T07:00:30.000Z'],
    ['with spaces around it', ' 2027-03-16T08:00 ', '2027-03-16T07:00:00.000Z'],
    ['01.59 before the spring change', '2027-03-28T01:59', '2027-03-28T00:59:00.000Z'],
    ['03.00 after the spring change', '2027-03-28T03:00', '2027-03-28T01:00:00.000Z'],
    ['01.59 before the autumn change', '2027-10-31T01:59', '2027-10-30T23:59:00.000Z'],
    ['03.00 after the autumn change', '2027-10-31T03:00', '2027-10-31T02:00:00.000Z'],
    ['midnight', '2027-03-16T00:00', '2027-03-15T23:00:00.000Z'],
  ])('reads %s', (_label, value, expected) => {
    expect(utc(value)).toBe(expected);
  });

  it.each<[string, string, LocalTimeProblem]>([
    ['02.30 on 28 March 2027: does not exist', '2027-03-28T02:30', 'nonexistent'],
    ['02.00 on 28 March 2027: does not exist', '2027-03-28T02:00', 'nonexistent'],
    ['02.59 on 28 March 2027: does not exist', '2027-03-28 02.59', 'nonexistent'],
    ['02.30 on 31 October 2027: occurs twice', '2027-10-31T02:30', 'ambiguous'],
    ['02.00 on 31 October 2027: occurs twice', '2027-10-31T02:00', 'ambiguous'],
    ['02.59 on 31 October 2027: occurs twice', '2027-10-31T02:59', 'ambiguous'],
  ])('refuses %s, never shifting it', (_label, value, expected) => {
    expect(problem(value)).toBe(expected);
  });

  it('finds the same gap with a separate date and time (as the series form gives them)', () => {
    expect(localDateTime('2027-03-28', '02.30')).toEqual({ ok: false, problem: 'nonexistent' });
    expect(localDateTime('2027-03-16', '08.00')).toMatchObject({ ok: true });
  });
});

describe('exact instants', () => {
  it.each([
    ['Z', '2027-03-28T02:30Z', '2027-03-28T02:30:00.000Z'],
    ['lower-case z', '2027-03-28T02:30:00z', '2027-03-28T02:30:00.000Z'],
    ['an offset', '2027-03-16T08:00+01:00', '2027-03-16T07:00:00.000Z'],
    ['an offset without colon', '2027-03-16T08:00:00.000+0100', '2027-03-16T07:00:00.000Z'],
    ['a negative offset', '2027-03-16T02:00-05:00', '2027-03-16T07:00:00.000Z'],
    ['02.30 on the autumn day, first time (summer time)', '2027-10-31T02:30+02:00', '2027-10-31T00:30:00.000Z'],
    ['02.30 on the autumn day, second time (winter time)', '2027-10-31T02:30+01:00', '2027-10-31T01:30:00.000Z'],
  ])('reads a time with %s as that instant, whatever the day', (_label, value, expected) => {
    expect(utc(value)).toBe(expected);
  });
});

describe('garbage', () => {
  it.each([
    ['an empty string', ''],
    ['words', 'tisdag klockan åtta'],
    ['a date without a time', '2027-03-16'],
    ['a date that does not exist', '2027-02-30T08:00'],
    ['a month that does not exist', '2027-13-01T08:00'],
    ['hour 24', '2027-03-16T24:00'],
    ['minute 60', '2027-03-16T08:60'],
    ['an hour-only offset', '2027-03-16T08:00+01'],
    ['a time without a date', '08:00'],
    ['a number', '1789545600000'],
  ])('calls %s invalid', (_label, value) => {
    expect(problem(value)).toBe('invalid');
  });
});

describe('stockholmParts', () => {
  it('gives the Stockholm weekday, minutes and date of an instant', () => {
    const parsed = parseInstant('2027-03-28T23:30:00Z');
    if (!parsed.ok) throw new Error('unreadable');
    expect(stockholmParts(parsed.instant)).toEqual({ weekday: 1, minutesOfDay: 90, date: '2027-03-29' });
  });
});

import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, formatDeadline, formatRange, fromDbInstant, toDbInstant } from '../../src/time/stockholm.ts';

describe('Stockholm time formatting', () => {
  it('shows a winter morning in Swedish conventions', () => {
    expect(formatRange('2027-03-16T07:00:00.000Z', '2027-03-16T11:00:00.000Z', 'sv')).toBe('tis 16 mars 2027, 08.00–12.00');
  });

  it('shows the same range in English', () => {
    expect(formatRange('2027-03-16T07:00:00.000Z', '2027-03-16T11:00:00.000Z', 'en')).toBe('Tue 16 March 2027, 08:00–12:00');
  });

  it('shows summer time one hour further from UTC', () => {
    expect(formatDateTime('2027-06-15T06:00:00.000Z', 'sv')).toBe('tis 15 juni 2027, 08.00');
  });

  it('spans the spring DST change (28 March 2027, 02.00 → 03.00) as a 2-hour interval shown as 01.00–04.00', () => {
    expect(formatRange('2027-03-28T00:00:00.000Z', '2027-03-28T02:00:00.000Z', 'sv')).toBe('sön 28 mars 2027, 01.00–04.00');
  });

  it('spans the autumn DST change (31 October 2027, 03.00 → 02.00) as a 3-hour interval shown as 01.00–03.00', () => {
    expect(formatRange('2027-10-30T23:00:00.000Z', '2027-10-31T02:00:00.000Z', 'sv')).toBe('sön 31 oktober 2027, 01.00–03.00');
  });

  it('shows a deadline at local midnight as 24.00 of the last day, in both languages', () => {
    expect(formatDeadline('2027-03-31T22:00:00.000Z', 'sv')).toBe('ons 31 mars 2027, 24.00');
    expect(formatDeadline('2027-03-31T22:00:00.000Z', 'en')).toBe('Wed 31 March 2027, 24:00');
  });

  it('finds the last day of a deadline at midnight around both DST changes', () => {
    expect(formatDeadline('2027-03-27T23:00:00.000Z', 'sv')).toBe('lör 27 mars 2027, 24.00');
    expect(formatDeadline('2027-03-28T22:00:00.000Z', 'sv')).toBe('sön 28 mars 2027, 24.00');
    expect(formatDeadline('2027-10-31T23:00:00.000Z', 'sv')).toBe('sön 31 oktober 2027, 24.00');
  });

  it('shows any other deadline as its own time', () => {
    expect(formatDeadline('2027-03-31T21:59:00.000Z', 'sv')).toBe('ons 31 mars 2027, 23.59');
  });

  it('names both days for a range across midnight', () => {
    expect(formatRange('2027-03-16T21:00:00.000Z', '2027-03-17T01:00:00.000Z', 'sv')).toBe('tis 16 mars 2027, 22.00 – ons 17 mars 2027, 02.00');
  });

  it('uses the Stockholm date, not the UTC date, near midnight', () => {
    expect(formatDate('2027-03-16T23:30:00.000Z', 'sv')).toBe('ons 17 mars 2027');
  });
});

describe('stored instants', () => {
  it('are UTC ISO strings of fixed width that sort like time', () => {
    const a = toDbInstant(DateTime.fromISO('2027-03-16T08:00:00', { zone: 'Europe/Stockholm' }));
    const b = toDbInstant(DateTime.fromISO('2027-03-16T10:00:00+02:00'));
    expect(a).toBe('2027-03-16T07:00:00.000Z');
    expect(b).toBe('2027-03-16T08:00:00.000Z');
    expect(a < b).toBe(true);
    expect(a).toHaveLength(24);
  });

  it('round-trip through the database format', () => {
    const instant = '2027-10-31T01:30:00.000Z';
    expect(toDbInstant(fromDbInstant(instant))).toBe(instant);
  });
});

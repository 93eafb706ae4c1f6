import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { overlaps, type Interval } from '../../src/bookings/overlap.ts';
import { toDbInstant } from '../../src/time/stockholm.ts';

// overlaps(a, b) on half-open intervals [start, end): the one rule behind "a pupil is never in
// two places at once". Named boundary cases first, then properties against a brute-force
// reference that knows nothing of the implementation.

/** A Stockholm wall-clock time with an explicit offset (unambiguous, even in the repeated hour), as stored. */
const at = (iso: string) => toDbInstant(DateTime.fromISO(iso, { setZone: true }));
const local = (iso: string) => toDbInstant(DateTime.fromISO(iso, { zone: 'Europe/Stockholm' }));
const span = (start: string, end: string): Interval<string> => ({ start, end });
const n = (start: number, end: number): Interval<number> => ({ start, end });

interface Case {
  name: string;
  a: Interval;
  b: Interval;
  expected: boolean;
}

const cases: Case[] = [
  { name: 'a ends exactly when b starts', a: n(8, 12), b: n(12, 15), expected: false },
  { name: 'b ends exactly when a starts', a: n(12, 15), b: n(8, 12), expected: false },
  { name: 'a overlaps the start of b by one unit', a: n(8, 13), b: n(12, 15), expected: true },
  { name: 'a overlaps the end of b by one unit', a: n(14, 18), b: n(12, 15), expected: true },
  { name: 'a contains b', a: n(8, 16), b: n(10, 12), expected: true },
  { name: 'a is contained in b', a: n(10, 12), b: n(8, 16), expected: true },
  { name: 'a contains b sharing its start', a: n(8, 16), b: n(8, 10), expected: true },
  { name: 'a contains b sharing its end', a: n(8, 16), b: n(14, 16), expected: true },
  { name: 'identical intervals', a: n(8, 12), b: n(8, 12), expected: true },
  { name: 'disjoint with a gap, a first', a: n(8, 10), b: n(11, 12), expected: false },
  { name: 'disjoint with a gap, b first', a: n(11, 12), b: n(8, 10), expected: false },
  { name: 'a zero-length a inside b', a: n(10, 10), b: n(8, 12), expected: false },
  { name: 'a zero-length b inside a', a: n(8, 12), b: n(10, 10), expected: false },
  { name: 'two identical zero-length intervals', a: n(10, 10), b: n(10, 10), expected: false },
  { name: 'a reversed a covering b', a: n(16, 8), b: n(10, 12), expected: false },
  { name: 'a reversed b covering a', a: n(10, 12), b: n(16, 8), expected: false },
  { name: 'two identical reversed intervals', a: n(12, 8), b: n(12, 8), expected: false },
  { name: 'negative numbers overlapping', a: n(-5, 1), b: n(0, 3), expected: true },
  {
    name: 'an evening slot across midnight and a morning slot the next day that starts when it ends',
    a: span(local('2027-04-06T22:00'), local('2027-04-07T02:00')),
    b: span(local('2027-04-07T02:00'), local('2027-04-07T06:00')),
    expected: false,
  },
  {
    name: 'an evening slot across midnight and an early morning slot inside it',
    a: span(local('2027-04-06T22:00'), local('2027-04-07T02:00')),
    b: span(local('2027-04-07T00:30'), local('2027-04-07T01:00')),
    expected: true,
  },
  {
    name: 'a slot ending at midnight and one starting at midnight',
    a: span(local('2027-04-06T20:00'), local('2027-04-07T00:00')),
    b: span(local('2027-04-07T00:00'), local('2027-04-07T03:00')),
    expected: false,
  },
  {
    // 28 March 2027: clocks go from 02.00 to 03.00, so 01.00–02.00 CET ends at the instant 03.00 CEST starts.
    name: 'spring DST day: 01.00–03.00 local (one real hour) and 03.00–04.00 local touch',
    a: span(local('2027-03-28T01:00'), local('2027-03-28T03:00')),
    b: span(local('2027-03-28T03:00'), local('2027-03-28T04:00')),
    expected: false,
  },
  {
    name: 'spring DST day: a slot 01.30–03.30 local overlaps one 03.00–04.00 local',
    a: span(local('2027-03-28T01:30'), local('2027-03-28T03:30')),
    b: span(local('2027-03-28T03:00'), local('2027-03-28T04:00')),
    expected: true,
  },
  {
    name: 'spring DST day: 00.00–02.00 CET (which is 03.00 CEST) and 03.00–05.00 CEST touch',
    a: span(at('2027-03-28T00:00+01:00'), at('2027-03-28T02:00+01:00')),
    b: span(at('2027-03-28T03:00+02:00'), at('2027-03-28T05:00+02:00')),
    expected: false,
  },
  {
    // 31 October 2027: 03.00 CEST becomes 02.00 CET, so 02.00–03.00 happens twice.
    name: 'autumn DST day: the first 02.00–02.59 (CEST) and the second (CET) are different hours',
    a: span(at('2027-10-31T02:00+02:00'), at('2027-10-31T03:00+02:00')),
    b: span(at('2027-10-31T02:00+01:00'), at('2027-10-31T03:00+01:00')),
    expected: false,
  },
  {
    name: 'autumn DST day: 02.30 CEST–02.30 CET (one real hour) overlaps the second 02.00–03.00',
    a: span(at('2027-10-31T02:30+02:00'), at('2027-10-31T02:30+01:00')),
    b: span(at('2027-10-31T02:00+01:00'), at('2027-10-31T03:00+01:00')),
    expected: true,
  },
  {
    name: 'autumn DST day: 01.00–03.00 local (three real hours) contains the repeated hour',
    a: span(local('2027-10-31T01:00'), at('2027-10-31T03:00+01:00')),
    b: span(at('2027-10-31T02:15+02:00'), at('2027-10-31T02:45+02:00')),
    expected: true,
  },
];

describe('overlaps on half-open intervals', () => {
  for (const c of cases) {
    it(`${c.expected ? 'overlaps' : 'does not overlap'}: ${c.name}`, () => {
      expect(overlaps(c.a, c.b)).toBe(c.expected);
      expect(overlaps(c.b, c.a)).toBe(c.expected);
    });
  }

  it('reads the DST-day instants as the real UTC instants they are', () => {
    expect(local('2027-03-28T03:00')).toBe('2027-03-28T01:00:00.000Z');
    expect(local('2027-03-28T01:00')).toBe('2027-03-28T00:00:00.000Z');
    expect(at('2027-10-31T02:00+02:00')).toBe('2027-10-31T00:00:00.000Z');
    expect(at('2027-10-31T02:00+01:00')).toBe('2027-10-31T01:00:00.000Z');
  });
});

/** The rule in its plainest form: some whole minute m lies in both [a.start, a.end) and [b.start, b.end). */
function sharesAMinute(a: Interval<number>, b: Interval<number>): boolean {
  for (let m = Math.min(a.start, b.start); m < Math.max(a.end, b.end); m++) {
    if (a.start <= m && m < a.end && b.start <= m && m < b.end) return true;
  }
  return false;
}

const small = fc.integer({ min: -20, max: 20 });
const interval = fc.record({ start: small, end: small });

describe('overlaps, as properties', () => {
  it('agrees with the brute-force minute-by-minute reference on small integer intervals, reversed and empty ones included', () => {
    fc.assert(
      fc.property(interval, interval, (a, b) => overlaps(a, b) === sharesAMinute(a, b)),
      { numRuns: 2000 },
    );
  });

  it('is symmetric', () => {
    fc.assert(fc.property(interval, interval, (a, b) => overlaps(a, b) === overlaps(b, a)), { numRuns: 1000 });
  });

  it('never lets an interval overlap one that starts when it ends', () => {
    fc.assert(fc.property(small, small, small, (s, m, e) => !overlaps({ start: s, end: m }, { start: m, end: e })));
  });

  it('gives the same answer on stored UTC ISO strings as on epoch milliseconds', () => {
    // 2000–2100 at whole minutes: fixed-width ISO text sorts like time, so the stored form may be compared as text.
    const instant = fc.integer({ min: 946_684_800_000 / 60_000, max: 4_102_444_800_000 / 60_000 }).map((minute) => minute * 60_000);
    const near = (base: number) => fc.integer({ min: -600, max: 600 }).map((d) => base + d * 60_000);
    const four = instant.chain((base) => fc.tuple(near(base), near(base), near(base), near(base)));
    const iso = (ms: number) => toDbInstant(DateTime.fromMillis(ms, { zone: 'Europe/Stockholm' }));
    fc.assert(
      fc.property(four, ([s1, e1, s2, e2]) => {
        const asText = overlaps({ start: iso(s1), end: iso(e1) }, { start: iso(s2), end: iso(e2) });
        return asText === overlaps({ start: s1, end: e1 }, { start: s2, end: e2 });
      }),
      { numRuns: 1000 },
    );
  });
});

import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { freeBookingOpenedUncommitted, roundHoldsNow } from '../../src/scheduler/round-holds.ts';

const NOW = DateTime.fromISO('2027-03-16T08:00:00.000Z', { zone: 'utc' });
const round = (over: { wishesOpenAt?: string; freeBookingOpensAt?: string | null; committedAllocationId?: string | null } = {}) => ({
  wishesOpenAt: '2027-03-01T07:00:00.000Z',
  freeBookingOpensAt: null,
  committedAllocationId: null,
  ...over,
});

/** A round holds from the moment its wishes open until free booking opens by its date, or without a date until the commit. */
describe('roundHoldsNow', () => {
  it.each([
    ['before its wishes open', false, round({ wishesOpenAt: '2027-03-16T08:00:00.001Z' })],
    ['from the very moment its wishes open', true, round({ wishesOpenAt: '2027-03-16T08:00:00.000Z' })],
    ['without a free-booking day, until the commit', true, round()],
    ['without a free-booking day, not once committed', false, round({ committedAllocationId: 'a' })],
    ['before its free-booking day, not committed', true, round({ freeBookingOpensAt: '2027-03-20T08:00:00.000Z' })],
    ['before its free-booking day, though committed', true, round({ freeBookingOpensAt: '2027-03-20T08:00:00.000Z', committedAllocationId: 'a' })],
    ['not from the very moment its free-booking day comes', false, round({ freeBookingOpensAt: '2027-03-16T08:00:00.000Z' })],
    ['not after its free-booking day, though not committed', false, round({ freeBookingOpensAt: '2027-03-16T07:00:00.000Z' })],
  ])('%s → holds: %s', (_name, holds, r) => {
    expect(roundHoldsNow(r, NOW)).toBe(holds);
  });
});

describe('freeBookingOpenedUncommitted', () => {
  it.each([
    ['free booking opened by its day without a commit', true, round({ freeBookingOpensAt: '2027-03-16T07:00:00.000Z' })],
    ['free booking opened by its day after a commit', false, round({ freeBookingOpensAt: '2027-03-16T07:00:00.000Z', committedAllocationId: 'a' })],
    ['the free-booking day still to come', false, round({ freeBookingOpensAt: '2027-03-20T08:00:00.000Z' })],
    ['no free-booking day', false, round()],
  ])('%s → warn: %s', (_name, expected, r) => {
    expect(freeBookingOpenedUncommitted(r, NOW)).toBe(expected);
  });
});

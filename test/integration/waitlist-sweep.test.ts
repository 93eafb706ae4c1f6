import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepWaitingSeats } from '../../src/bookings/waitlist-sweep.ts';
import { roundHolds } from '../../src/scheduler/round-holds.ts';
import { createTestContext, TEST_NOW, type TestContext } from '../support/app.ts';
import { apiCancel, book, worldSlot } from '../support/bookings.ts';
import { outboxTo } from '../support/flows.ts';
import { allocationWorld, bookBeforeRound, commitRun, runAllocation } from '../support/allocation.ts';
import type { RoundOptions } from '../support/rounds.ts';

// A pupil a round holds is skipped when a seat frees on a waitlist they are first in (the
// round's seats are its to give). Once the hold is over they must still get the seat.

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

/** The background sweep, as the server runs it every 15 minutes (over every slot of the database). */
const sweep = () => sweepWaitingSeats(ctx.db, { mailer: ctx.mailer, config: ctx.config }, ctx.clock.now());

/** The sweep as it runs at `instant` (the test clock set back afterwards). */
async function sweepAt(instant: string): Promise<number> {
  ctx.clock.set(instant);
  try {
    return await sweep();
  } finally {
    ctx.clock.set(TEST_NOW);
  }
}

const statusOf = async (slotId: string, pupilId: string) =>
  (await ctx.db.selectFrom('bookings').select('status').where('slot_id', '=', slotId).where('pupil_id', '=', pupilId).where('status', '<>', 'cancelled').executeTakeFirst())?.status ?? null;

/** One seat, taken by A; B waits (both queued before the round held the slot); then A cancels while the round holds it. */
async function waitingBehindAHold(round: RoundOptions = {}) {
  const world = await allocationWorld(ctx, { pupils: 2, round });
  const side = world.schools[0]!;
  const [a, b] = side.pupils;
  const slot = (await worldSlot(ctx, world, '2027-04-06T08:00', '2027-04-06T12:00', { capacity: 1 })).id;
  const [seat] = await bookBeforeRound(ctx, world, side, slot, [a!]);
  await bookBeforeRound(ctx, world, side, slot, [b!], true);
  expect((await apiCancel(ctx, side, seat!.id)).status).toBe(200);
  // While the round holds the slot, B is not moved up: the seat is the round's.
  expect(await statusOf(slot, b!.id)).toBe('waitlisted');
  return { world, side, b: b!, slot };
}

describe('a pupil kept waiting by a round', () => {
  it('moves up at the commit when the round has no free-booking date, and the counsellor is told', async () => {
    const { world, side, b, slot } = await waitingBehindAHold();
    await commitRun(ctx, world, (await runAllocation(ctx, world, { seed: 1 })).id);
    expect(await statusOf(slot, b.id)).toBe('confirmed');
    const mails = (await outboxTo(ctx, side.counsellor.user.email)).filter((m) => m.subject.startsWith('Plats från väntelistan'));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.body_text).toContain(`${b.givenName} ${b.familyName}`);
  });

  it('waits through the commit while free booking has not opened, then moves up in the sweep once it has', async () => {
    const { world, b, slot } = await waitingBehindAHold({ freeBookingOpensAt: '2027-03-20T07:00:00.000Z' });
    await commitRun(ctx, world, (await runAllocation(ctx, world, { seed: 1 })).id);
    expect(await statusOf(slot, b.id)).toBe('waitlisted');
    await sweep();
    expect(await statusOf(slot, b.id)).toBe('waitlisted');
    expect(await sweepAt('2027-03-20T08:00:00.000Z')).toBeGreaterThanOrEqual(1);
    expect(await statusOf(slot, b.id)).toBe('confirmed');
  });

  it('moves up in the sweep when free booking opens although nobody committed', async () => {
    const { b, slot } = await waitingBehindAHold({ freeBookingOpensAt: '2027-03-20T07:00:00.000Z' });
    expect(await sweepAt('2027-03-20T08:00:00.000Z')).toBeGreaterThanOrEqual(1);
    expect(await statusOf(slot, b.id)).toBe('confirmed');
  });

  it('moves up when the clash that kept them waiting is cancelled', async () => {
    const world = await allocationWorld(ctx, { pupils: 2, round: { freeBookingOpensAt: '2027-03-16T07:00:00.000Z' } });
    const side = world.schools[0]!;
    const [a, b] = side.pupils;
    const slot = (await worldSlot(ctx, world, '2027-04-06T08:00', '2027-04-06T12:00', { capacity: 1 })).id;
    const other = (await worldSlot(ctx, world, '2027-04-06T09:00', '2027-04-06T11:00', { capacity: 1 }, 1)).id;
    const [seat] = await book(ctx, side, slot, [a!]);
    await book(ctx, side, slot, [b!], true);
    const [clash] = await book(ctx, side, other, [b!]);
    expect((await apiCancel(ctx, side, seat!.id)).status).toBe(200);
    expect(await statusOf(slot, b!.id)).toBe('waitlisted');
    expect((await apiCancel(ctx, side, clash!.id)).status).toBe(200);
    expect(await sweep()).toBeGreaterThanOrEqual(1);
    expect(await statusOf(slot, b!.id)).toBe('confirmed');
  });
});

describe("a slot past its company's last day to book", () => {
  it('is not held: the round can no longer place it', async () => {
    const world = await allocationWorld(ctx, { pupils: 1 });
    const slot = await worldSlot(ctx, world, '2027-04-06T08:00', '2027-04-06T12:00');
    const row = await ctx.db.selectFrom('slots').select(['id', 'company_id', 'starts_at', 'ends_at']).where('id', '=', slot.id).executeTakeFirstOrThrow();
    const schoolId = world.schools[0]!.school.id;
    expect(await roundHolds(ctx.db, row, schoolId, ctx.clock.now())).toHaveLength(1);
    await ctx.db.updateTable('slots').set({ booking_closes_at: '2027-03-10T23:00:00.000Z' }).where('id', '=', slot.id).execute();
    expect(await roundHolds(ctx.db, row, schoolId, ctx.clock.now())).toEqual([]);
  });
});

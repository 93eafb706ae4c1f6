import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookingsAgainstRound, setBookingsAgainst } from '../../src/scheduler/eligibility.ts';
import { placementsOfRound, placementsForPupil } from '../../src/scheduler/placements.ts';
import { createTestContext, type TestContext } from '../support/app.ts';
import { book, worldSlot } from '../support/bookings.ts';
import { makeRound, makeRoundWorld, type RoundWorld } from '../support/rounds.ts';
import { makeSeries } from '../support/slots.ts';

describe("a round's placements", () => {
  let ctx: TestContext;
  let world: RoundWorld;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    ctx = await createTestContext();
    // The wish window opens after TEST_NOW, so the round does not yet hold its slots against booking by hand.
    world = await makeRoundWorld(ctx, { schools: 2, pupils: 2, hosts: 4, round: { wishesOpenAt: '2027-03-19T23:00:00.000Z' } });
    ids.inside = (await worldSlot(ctx, world, '2027-04-06T08:00', '2027-04-06T12:00')).id;
    ids.gy = (await worldSlot(ctx, world, '2027-04-07T08:00', '2027-04-07T12:00', { grades: ['gy1'] }, 1)).id;
    ids.later = (await worldSlot(ctx, world, '2027-04-13T08:00', '2027-04-13T12:00', {}, 2)).id;
    ids.series = (await makeSeries(ctx, world.coordinator, [world.storyIds[3]!], ['2027-04-08', '2027-04-09'])).seriesId;
    ids.straddling = (await makeSeries(ctx, world.coordinator, [world.storyIds[2]!], ['2027-04-09', '2027-04-12'], ['13:00', '15:00'])).seriesId;
  });
  afterAll(() => ctx.close());

  it("offers the network's slots and whole series inside a school's dates", async () => {
    const { all } = await placementsOfRound(ctx.db, world.round, ctx.clock.now());
    expect(all.map((p) => p.id).sort()).toEqual([ids.inside, ids.gy, ids.series].sort());
    const series = all.find((p) => p.id === ids.series)!;
    expect(series.kind).toBe('series');
    expect(series.slotIds).toHaveLength(2);
  });

  it('gives each school only what lies inside its own dates', async () => {
    const round = await makeRound(ctx, world, null, { wishesOpenAt: '2027-03-19T23:00:00.000Z', dates: [{ from: '2027-04-05', to: '2027-04-09' }, { from: '2027-04-12', to: '2027-04-16' }] });
    const { bySchool } = await placementsOfRound(ctx.db, round, ctx.clock.now());
    expect(bySchool.get(world.schools[1]!.school.id)!.map((p) => p.id)).toEqual([ids.later]);
  });

  it("offers a pupil only placements their grade may take", async () => {
    const { bySchool } = await placementsOfRound(ctx.db, world.round, ctx.clock.now());
    const forPupil = placementsForPupil(bySchool, world.schools[0]!.school.id, '8').map((p) => p.id);
    expect(forPupil).not.toContain(ids.gy);
    expect(forPupil).toContain(ids.inside);
  });

  it('counts seats booked by hand, and knows who is booked into the round by hand', async () => {
    const side = world.schools[0]!;
    await book(ctx, side, ids.inside!, [side.pupils[0]!]);
    const { all, bySchool } = await placementsOfRound(ctx.db, world.round, ctx.clock.now());
    expect(all.find((p) => p.id === ids.inside)!.freeSeats).toBe(3);
    const against = await bookingsAgainstRound(ctx.db, bySchool, ctx.clock.now());
    expect(against.bookedByHand.get(side.pupils[0]!.id)).toBe(ids.inside);
    expect(against.bookedByHand.has(side.pupils[1]!.id)).toBe(false);
  });

  it('finds placements that overlap a booking outside the round, and none that only touch it', async () => {
    const { all } = await placementsOfRound(ctx.db, world.round, ctx.clock.now());
    const own = new Map([['s', all]]);
    const booking = (startsAt: string, endsAt: string) => ({ pupil_id: 'p', school_id: 's', slot_id: 'elsewhere', status: 'confirmed' as const, starts_at: startsAt, ends_at: endsAt });
    // 6 April 08.00–12.00 Stockholm (summer time) is 06.00–10.00 UTC.
    expect([...setBookingsAgainst(own, [booking('2027-04-06T09:00:00.000Z', '2027-04-06T11:00:00.000Z')]).clashes.get('p')!]).toEqual([ids.inside]);
    expect(setBookingsAgainst(own, [booking('2027-04-06T10:00:00.000Z', '2027-04-06T12:00:00.000Z')]).clashes.has('p')).toBe(false);
    // One of the series' two mornings is enough to clash with the whole series.
    expect([...setBookingsAgainst(own, [booking('2027-04-09T07:00:00.000Z', '2027-04-09T08:00:00.000Z')]).clashes.get('p')!]).toEqual([ids.series]);
  });
});

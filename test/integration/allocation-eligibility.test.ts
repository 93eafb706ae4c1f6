import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actorOf } from '../../src/bookings/booking.service.ts';
import { cancelSlotWithBookings } from '../../src/bookings/slot-changes.ts';
import { inTransaction } from '../../src/db/transaction.ts';
import { issueLink } from '../../src/pupils/links.ts';
import type { Pupil } from '../../src/pupils/pupils.service.ts';
import { setBookingsAgainst, type PupilBooking } from '../../src/scheduler/eligibility.ts';
import { placementsOfRound, type Placement } from '../../src/scheduler/placements.ts';
import { agentOf, putWishes, type RoundWorld } from '../support/rounds.ts';
import { createTestContext, TEST_NOW, type TestContext } from '../support/app.ts';
import { apiCancel, book, slotTruth, worldSlot } from '../support/bookings.ts';
import { makeSeries } from '../support/slots.ts';
import { allocationWorld, beforeTheRound, bookBeforeRound, commitRun, reloadRound, resultOf, resultsOf, runAllocation } from '../support/allocation.ts';

const wish = (...ids: string[]) => ids.map((id) => ({ id }));

const liveBookings = (ctx: TestContext, slotId: string, pupilId: string) =>
  ctx.db.selectFrom('bookings').selectAll().where('slot_id', '=', slotId).where('pupil_id', '=', pupilId).where('status', '<>', 'cancelled').execute();

describe('a pupil waiting on the waitlist of a placement with free seats', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(() => ctx.close());

  /**
   * The way it happens: P queues for X (full), P is booked into Z at the same time, X's seat
   * frees up but promotion skips P (the clash with Z), then P's booking in Z is cancelled.
   * P is left waiting for X while X has a free seat, and P wishes for X.
   */
  async function waitingWithFreeSeat() {
    const world = await allocationWorld(ctx, { pupils: 2 });
    const side = world.schools[0]!;
    const [other, waiting] = side.pupils as [Pupil, Pupil];
    const x = (await worldSlot(ctx, world, '2027-04-06T08:00', '2027-04-06T12:00', { capacity: 1 }, 0)).id;
    const z = (await worldSlot(ctx, world, '2027-04-06T09:00', '2027-04-06T11:00', { capacity: 2 }, 1)).id;
    await beforeTheRound(ctx, world, async () => {
      const [otherInX] = await book(ctx, side, x, [other]);
      await book(ctx, side, x, [waiting], true);
      const [waitingInZ] = await book(ctx, side, z, [waiting]);
      expect((await apiCancel(ctx, side, otherInX!.id)).status).toBe(200);
      expect((await apiCancel(ctx, side, waitingInZ!.id)).status).toBe(200);
    });
    expect(await slotTruth(ctx, x)).toMatchObject({ bookedCount: 0, waitlisted: 1 });
    await putWishes(ctx, world.round.id, waiting.id, wish(x));
    return { world, side, waiting, x };
  }

  it('commits, confirming the waitlist place itself: one live booking, counted once, audited with the run', async () => {
    const { world, waiting, x } = await waitingWithFreeSeat();
    const run = await runAllocation(ctx, world, { seed: 1 });
    expect(resultOf(await resultsOf(ctx, run.id), waiting)).toMatchObject({ placementId: x, rank: 1 });
    expect(await commitRun(ctx, world, run.id)).toMatchObject({ status: 'committed', bookings: 1 });
    const rows = await liveBookings(ctx, x, waiting.id);
    expect(rows).toHaveLength(1);
    // As the booking engine promotes: out of the queue, with the time the pupil joined it kept.
    expect(rows[0]).toMatchObject({ status: 'confirmed', confirmed_at: TEST_NOW, waitlist_position: null });
    expect(rows[0]!.waitlisted_at).not.toBeNull();
    expect(await slotTruth(ctx, x)).toMatchObject({ bookedCount: 1, confirmed: 1, waitlisted: 0 });
    const events = await ctx.db.selectFrom('booking_events').selectAll().where('booking_id', '=', rows[0]!.id).where('action', '=', 'promoted').execute();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ from_status: 'waitlisted', to_status: 'confirmed' });
    expect(JSON.parse(events[0]!.detail!)).toMatchObject({ allocationId: run.id, roundId: world.round.id });
  });

  it('refuses the commit as stale when the pupil left the waitlist after the preview', async () => {
    const { world, side, waiting, x } = await waitingWithFreeSeat();
    const run = await runAllocation(ctx, world, { seed: 1 });
    const [queued] = await liveBookings(ctx, x, waiting.id);
    expect((await apiCancel(ctx, side, queued!.id)).status).toBe(200);
    await expect(commitRun(ctx, world, run.id)).rejects.toMatchObject({ code: 'allocation_stale' });
  });
});

describe("a booking in another school's week", () => {
  let ctx: TestContext;
  let world: RoundWorld;
  const slot: Record<string, string> = {};
  let pupil: Pupil;
  let withoutWishes: Pupil;

  beforeAll(async () => {
    ctx = await createTestContext();
    world = await allocationWorld(ctx, { schools: 2, pupils: 2, round: { dates: [{ from: '2027-04-05', to: '2027-04-09' }, { from: '2027-04-12', to: '2027-04-16' }] } });
    slot.early = (await worldSlot(ctx, world, '2027-04-06T08:00', '2027-04-06T12:00', {}, 0)).id;
    slot.later = (await worldSlot(ctx, world, '2027-04-13T08:00', '2027-04-13T12:00', {}, 1)).id;
    const side = world.schools[0]!;
    [pupil, withoutWishes] = side.pupils as [Pupil, Pupil];
    // Booked by hand on 13 April (school B's week, not A's) before the round began.
    await bookBeforeRound(ctx, world, side, slot.later, [pupil, withoutWishes]);
    await putWishes(ctx, world.round.id, pupil.id, wish(slot.early!));
  });
  afterAll(() => ctx.close());

  it("is only a clash for the pupil's own placements, never their place in the round", () => {
    const at = (id: string, startsAt: string, endsAt: string): Placement =>
      ({ id, kind: 'slot', slotIds: [id], times: [{ startsAt, endsAt }] }) as Placement;
    const ownA = at('a1', '2027-04-12T06:00:00.000Z', '2027-04-12T10:00:00.000Z');
    const ofB = at('b1', '2027-04-12T06:00:00.000Z', '2027-04-12T10:00:00.000Z');
    const bySchool = new Map([
      ['A', [ownA]],
      ['B', [ofB]],
    ]);
    const booking: PupilBooking = { pupil_id: 'p', school_id: 'A', slot_id: 'b1', status: 'confirmed', starts_at: '2027-04-12T06:00:00.000Z', ends_at: '2027-04-12T10:00:00.000Z' };
    const against = setBookingsAgainst(bySchool, [booking]);
    expect(against.bookedByHand.has('p')).toBe(false);
    expect([...against.clashes.get('p')!]).toEqual(['a1']);
    expect(setBookingsAgainst(bySchool, [{ ...booking, school_id: 'B' }]).bookedByHand.get('p')).toBe('b1');
  });

  it("counts the pupil's wishes for their own week, and places them", async () => {
    const run = await runAllocation(ctx, world, { seed: 3 });
    expect(resultOf(await resultsOf(ctx, run.id), pupil)).toMatchObject({ outcome: 'placed', placementId: slot.early, rank: 1 });
  });

  it('shows the same on the wish page: no place by hand for the pupil', async () => {
    const counsellor = await agentOf(ctx, world.schools[0]!.counsellor.user);
    const page = await counsellor.get(`/school/rounds/${world.round.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(pupil.givenName);
    expect(page.text).not.toContain('Redan bokad i omgången');
  });

  it('commits the place, and offers free seats to the pupil left without one', async () => {
    const run = await runAllocation(ctx, world, { seed: 3 });
    await commitRun(ctx, world, run.id);
    world = await reloadRound(ctx, world);
    const counsellor = await agentOf(ctx, world.schools[0]!.counsellor.user);
    const page = await counsellor.get(`/school/rounds/${world.round.id}/results`);
    expect(page.status).toBe(200);
    const free = page.text.slice(page.text.indexOf('id="free-title"'));
    expect(free).toContain(withoutWishes.givenName);
    expect(free).toContain(`/school/slots/${slot.early}/book`);
    expect(await liveBookings(ctx, slot.early!, pupil.id)).toHaveLength(1);
  });
});

describe("a slot's own last day to book", () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(() => ctx.close());

  const closeBooking = (slotId: string, at: string | null, column: 'booking_closes_at' | 'booking_opens_at' = 'booking_closes_at') =>
    ctx.db.updateTable('slots').set({ [column]: at }).where('id', '=', slotId).execute();

  async function world2() {
    const world = await allocationWorld(ctx, { pupils: 1 });
    const first = (await worldSlot(ctx, world, '2027-04-06T08:00', '2027-04-06T12:00', {}, 0)).id;
    const second = (await worldSlot(ctx, world, '2027-04-07T08:00', '2027-04-07T12:00', {}, 1)).id;
    const pupil = world.schools[0]!.pupils[0]!;
    await putWishes(ctx, world.round.id, pupil.id, wish(first, second));
    return { world, first, second, pupil };
  }

  it('is not placed once booking has closed, and the wish is explained as no longer to be had', async () => {
    const { world, first, second, pupil } = await world2();
    await closeBooking(first, '2027-03-10T23:00:00.000Z');
    const run = await runAllocation(ctx, world, { seed: 1 });
    const result = resultOf(await resultsOf(ctx, run.id), pupil);
    expect(result).toMatchObject({ placementId: second, rank: 2 });
    expect(result.explanation.wishes).toEqual([expect.objectContaining({ rank: 1, placementId: first, reason: 'unavailable' })]);
  });

  it('refuses a commit after booking closed, and a new preview leaves the slot out', async () => {
    const { world, first, second, pupil } = await world2();
    await closeBooking(first, '2027-03-17T23:00:00.000Z');
    const run = await runAllocation(ctx, world, { seed: 1 });
    expect(resultOf(await resultsOf(ctx, run.id), pupil)).toMatchObject({ placementId: first });
    ctx.clock.set('2027-03-18T08:00:00.000Z');
    try {
      await expect(commitRun(ctx, world, run.id)).rejects.toMatchObject({ code: 'allocation_stale' });
      const again = await runAllocation(ctx, world, { seed: 1 });
      expect(resultOf(await resultsOf(ctx, again.id), pupil)).toMatchObject({ placementId: second });
    } finally {
      ctx.clock.set(TEST_NOW);
    }
  });

  it('leaves out a whole series when one of its slots has closed', async () => {
    const world = await allocationWorld(ctx, { pupils: 1 });
    const series = await makeSeries(ctx, world.coordinator, [world.storyIds[2]!], ['2027-04-08', '2027-04-09']);
    const slots = await ctx.db.selectFrom('slots').select('id').where('series_id', '=', series.seriesId).orderBy('starts_at').execute();
    await closeBooking(slots[1]!.id, '2027-03-10T23:00:00.000Z');
    const { all } = await placementsOfRound(ctx.db, world.round, ctx.clock.now());
    expect(all.map((p) => p.id)).not.toContain(series.seriesId);
  });

  it('does not wait for booking to open: the round decides when its seats are given', async () => {
    const { world, first, pupil } = await world2();
    await closeBooking(first, '2027-03-30T08:00:00.000Z', 'booking_opens_at');
    const run = await runAllocation(ctx, world, { seed: 1 });
    expect(resultOf(await resultsOf(ctx, run.id), pupil)).toMatchObject({ placementId: first, rank: 1 });
  });
});

describe("the pupil's result page after the school cancelled the place", () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(() => ctx.close());

  async function committed(placement: (world: RoundWorld) => Promise<string>) {
    const world = await allocationWorld(ctx, { pupils: 1 });
    const side = world.schools[0]!;
    const pupil = side.pupils[0]!;
    await putWishes(ctx, world.round.id, pupil.id, wish(await placement(world)));
    await commitRun(ctx, world, (await runAllocation(ctx, world, { seed: 1 })).id);
    const token = await issueLink(ctx.db, ctx.config.sessionSecret, pupil.id, ctx.clock.now());
    const bookings = await ctx.db.selectFrom('bookings').select('id').where('pupil_id', '=', pupil.id).where('status', '=', 'confirmed').orderBy('starts_at').execute();
    const page = async () => (await supertest(ctx.app).get(`/p/${token}/rounds/${world.round.id}`)).text;
    const counsellor = await agentOf(ctx, side.counsellor.user);
    const schoolPage = async () => (await counsellor.get(`/school/rounds/${world.round.id}/results`)).text;
    return { side, bookings, page, schoolPage };
  }

  it('says plainly that the place is cancelled, instead of where to be', async () => {
    const { side, bookings, page } = await committed(async (world) => (await worldSlot(ctx, world, '2027-04-06T08:00', '2027-04-06T12:00')).id);
    expect(await page()).toContain('Du ska vara hos Företag');
    expect((await apiCancel(ctx, side, bookings[0]!.id)).status).toBe(200);
    const text = await page();
    expect(text).not.toContain('Du ska vara hos');
    expect(text).not.toContain('Du fick ditt önskemål 1!');
    expect(text).toContain('Din plats är avbokad: Företag');
    expect(text).toContain('Prata med din studie- och yrkesvägledare.');
  });

  it("marks the place as cancelled on the counsellor's results too", async () => {
    const { side, bookings, schoolPage } = await committed(async (world) => (await worldSlot(ctx, world, '2027-04-06T08:00', '2027-04-06T12:00')).id);
    expect(await schoolPage()).not.toContain('Avbokad efter fördelningen');
    expect((await apiCancel(ctx, side, bookings[0]!.id)).status).toBe(200);
    expect(await schoolPage()).toContain('Avbokad efter fördelningen: Företag');
  });

  /** The counsellor's list of pupils offered free places (empty when the page has none). */
  const freeSection = (html: string) => (html.includes('id="free-title"') ? html.slice(html.indexOf('id="free-title"')) : '');

  it("offers free places on the counsellor's page to a pupil whose place was cancelled", async () => {
    const { side, bookings, schoolPage } = await committed(async (world) => (await worldSlot(ctx, world, '2027-04-06T08:00', '2027-04-06T12:00')).id);
    const pupil = side.pupils[0]!;
    expect(freeSection(await schoolPage())).not.toContain(pupil.familyName);
    expect((await apiCancel(ctx, side, bookings[0]!.id)).status).toBe(200);
    const free = freeSection(await schoolPage());
    expect(free).toContain(`${pupil.givenName} ${pupil.familyName}`);
    expect(free).toContain('/book');
  });

  it('marks a place booked by hand before the round and cancelled since, and offers that pupil free places', async () => {
    const world = await allocationWorld(ctx, { pupils: 1 });
    const side = world.schools[0]!;
    const pupil = side.pupils[0]!;
    const slot = (await worldSlot(ctx, world, '2027-04-07T08:00', '2027-04-07T12:00')).id;
    const [booking] = await bookBeforeRound(ctx, world, side, slot, [pupil]);
    const run = await runAllocation(ctx, world, { seed: 1 });
    expect(resultOf(await resultsOf(ctx, run.id), pupil)).toMatchObject({ outcome: 'already_booked' });
    await commitRun(ctx, world, run.id);
    const counsellor = await agentOf(ctx, side.counsellor.user);
    const page = async () => (await counsellor.get(`/school/rounds/${world.round.id}/results`)).text;
    expect(await page()).not.toContain('Avbokad efter fördelningen');
    expect((await apiCancel(ctx, side, booking!.id)).status).toBe(200);
    const text = await page();
    expect(text).toContain('Avbokad efter fördelningen: Företag');
    expect(freeSection(text)).toContain(`${pupil.givenName} ${pupil.familyName}`);
  });

  it('tells a pupil whose every wish became impossible why they got a place they did not wish for', async () => {
    const world = await allocationWorld(ctx, { pupils: 1, round: { placeWithoutWishes: true } });
    const side = world.schools[0]!;
    const pupil = side.pupils[0]!;
    const gone = (await worldSlot(ctx, world, '2027-04-06T08:00', '2027-04-06T12:00')).id;
    await worldSlot(ctx, world, '2027-04-07T08:00', '2027-04-07T12:00');
    await putWishes(ctx, world.round.id, pupil.id, wish(gone));
    await inTransaction(ctx.db, (trx) => cancelSlotWithBookings(trx, { mailer: ctx.mailer, config: ctx.config }, world.coordinator, actorOf(world.coordinator, 'ui', null), gone, null, ctx.clock.now()));
    await commitRun(ctx, world, (await runAllocation(ctx, world, { seed: 1 })).id);
    const token = await issueLink(ctx.db, ctx.config.sessionSecret, pupil.id, ctx.clock.now());
    const page = (await supertest(ctx.app).get(`/p/${token}/rounds/${world.round.id}`)).text;
    expect(page).toContain('Inget av dina önskemål gick att få, så du fick en plats som var ledig: Företag');
    expect(page).toContain('Så här gick det med dina önskemål:');
    expect(page).not.toContain('Du hade inga önskemål');
    const counsellor = await agentOf(ctx, side.counsellor.user);
    expect((await counsellor.get(`/school/rounds/${world.round.id}/results`)).text).toContain('Inget av önskemålen gick längre att få, så eleven fick en ledig plats.');
  });

  it('says so when one day of a series is cancelled', async () => {
    const { side, bookings, page } = await committed(async (world) => (await makeSeries(ctx, world.coordinator, [world.storyIds[2]!], ['2027-04-08', '2027-04-09'])).seriesId!);
    expect(bookings).toHaveLength(2);
    expect((await apiCancel(ctx, side, bookings[1]!.id)).status).toBe(200);
    const text = await page();
    expect(text).not.toContain('Du ska vara hos');
    expect(text).toContain('En del av din plats är avbokad: Företag');
  });
});

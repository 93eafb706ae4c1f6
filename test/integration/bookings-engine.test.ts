import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actorOf, bookPupils, cancelBooking, cancelLiveBookingsOfPupils, type BookingActor } from '../../src/bookings/booking.service.ts';
import { cancelSeriesWithBookings, cancelSlotWithBookings, updateSlotAndFill } from '../../src/bookings/slot-changes.ts';
import type { Db } from '../../src/db/database.ts';
import type { SessionUser } from '../../src/http/context.ts';
import { AppError } from '../../src/http/errors.ts';
import type { Pupil } from '../../src/pupils/pupils.service.ts';
import type { Slot } from '../../src/slots/slots.service.ts';
import { formatRange, fromDbInstant } from '../../src/time/stockholm.ts';
import { createTestContext, type TestContext } from '../support/app.ts';
import { apiUser } from '../support/api.ts';
import { apiBook, apiCancel, book, makeBookingWorld, slotTruth, worldSlot, type BookingWorld, type SchoolSide } from '../support/bookings.ts';
import { outboxTo } from '../support/flows.ts';
import { makePupil } from '../support/pupils.ts';
import { makeSeries, slotFields } from '../support/slots.ts';

// The booking engine at the service level, on a real migrated database with a fixed clock
// (Tuesday 16 March 2027, 09.00): groups, waitlists, cancellations by either party, the
// audit trail and the mails they queue.

let ctx: TestContext;
let world: BookingWorld;
beforeAll(async () => {
  ctx = await createTestContext();
  world = await makeBookingWorld(ctx, { schools: 2, pupils: 6 });
});
afterAll(() => ctx.close());

const side = () => world.schools[0]!;
const other = () => world.schools[1]!;
const deps = () => ({ mailer: ctx.mailer, config: ctx.config });
const now = () => ctx.clock.now();
const company = (): BookingActor => actorOf(world.coordinator, 'ui', '198.51.100.7');
const inTrx = <T>(work: (trx: Db) => Promise<T>) => ctx.db.transaction().execute(work);

/** The error a piece of work failed with (or fails the test if it succeeded). */
async function failure(work: Promise<unknown>): Promise<AppError> {
  const error = await work.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

/** Mails to an address about one slot (its time is in every subject). */
async function mailsAbout(address: string, slot: Pick<Slot, 'startsAt' | 'endsAt'>, locale: 'sv' | 'en' = 'sv') {
  const when = formatRange(slot.startsAt, slot.endsAt, locale);
  return (await outboxTo(ctx, address)).filter((m) => m.subject.includes(when));
}

const bookingsOf = (slotId: string) =>
  ctx.db.selectFrom('bookings').select(['id', 'pupil_id', 'status', 'cancelled_party', 'cancel_reason', 'waitlist_position']).where('slot_id', '=', slotId).orderBy('created_at').orderBy('id').execute();
/** Each pupil's booking status in a slot (a group's rows share one instant, so rows have no order of their own). */
const statusByPupil = async (slotId: string) => Object.fromEntries((await bookingsOf(slotId)).map((r) => [r.pupil_id, r.status]));
/** The audit trail of a booking in the order things happen (one change's events share one instant). */
const ACTION_ORDER = ['booked', 'waitlisted', 'promoted', 'cancelled'];
const eventsOfSlot = (slotId: string) => ctx.db.selectFrom('booking_events').selectAll().where('slot_id', '=', slotId).orderBy('at').orderBy('id').execute();
const eventsOf = async (bookingId: string) =>
  (await ctx.db.selectFrom('booking_events').selectAll().where('booking_id', '=', bookingId).orderBy('at').execute()).sort(
    (x, y) => x.at.localeCompare(y.at) || ACTION_ORDER.indexOf(x.action) - ACTION_ORDER.indexOf(y.action),
  );

/** Books as a given counsellor user (not the side's default one). */
function bookAs(user: SessionUser, slotId: string, pupils: Pupil[], waitlist = false) {
  return inTrx((trx) => bookPupils(trx, deps(), user, actorOf(user, 'ui', null), { slotId, pupilIds: pupils.map((p) => p.id), waitlist }, now()));
}

const cancelAs = (s: SchoolSide, bookingId: string, reason: string | null = null) => inTrx((trx) => cancelBooking(trx, deps(), s.counsellor.user, actorOf(s.counsellor.user, 'ui', null), bookingId, reason, now()));

/** Moves a slot and its bookings to a time that has already started (the clock is fixed). */
async function moveToStarted(slot: Slot) {
  const times = { starts_at: '2027-03-16T07:00:00.000Z', ends_at: '2027-03-16T11:00:00.000Z' };
  await ctx.db.updateTable('slots').set(times).where('id', '=', slot.id).execute();
  await ctx.db.updateTable('bookings').set(times).where('slot_id', '=', slot.id).execute();
}

describe('booking a group', () => {
  it('books nobody when one pupil of the group is already booked elsewhere at the same time, naming only that pupil', async () => {
    const slot = await worldSlot(ctx, world, '2027-04-06T08:00', '2027-04-06T12:00', {}, 0);
    const elsewhere = await worldSlot(ctx, world, '2027-04-06T10:00', '2027-04-06T11:00', {}, 1);
    const [a, b, c] = side().pupils;
    await book(ctx, side(), elsewhere.id, [b!]);
    const error = await failure(book(ctx, side(), slot.id, [a!, b!, c!]));
    expect(error.code).toBe('pupil_overlap');
    expect(Object.keys(error.fields ?? {})).toEqual([b!.id]);
    expect(error.fields![b!.id]!.params).toMatchObject({ pupil: `${b!.givenName} ${b!.familyName}` });
    expect(await slotTruth(ctx, slot.id)).toMatchObject({ bookedCount: 0, confirmed: 0, waitlisted: 0 });
    expect(await eventsOfSlot(slot.id)).toEqual([]);
    expect(await mailsAbout(side().counsellor.user.email, slot)).toEqual([]);
  });

  it('names every problem pupil of a refused group, and answers with the most basic problem first', async () => {
    const slot = await worldSlot(ctx, world, '2027-04-07T08:00', '2027-04-07T12:00', { grades: ['8'] }, 0);
    const elsewhere = await worldSlot(ctx, world, '2027-04-07T11:00', '2027-04-07T13:00', {}, 1);
    const ninth = await makePupil(ctx.db, side().school.id, { className: '9A' });
    const [fine, already, clashing] = side().pupils;
    await book(ctx, side(), slot.id, [already!]);
    await book(ctx, side(), elsewhere.id, [clashing!]);
    const error = await failure(book(ctx, side(), slot.id, [fine!, clashing!, ninth, already!], true));
    expect(error.code).toBe('not_eligible');
    expect(Object.keys(error.fields ?? {}).sort()).toEqual([already!.id, clashing!.id, ninth.id].sort());
    expect(error.fields![ninth.id]!.key).toBe('bookings.problem_grade');
    expect(error.fields![already!.id]!.key).toBe('bookings.problem_already');
    expect(error.fields![clashing!.id]!.key).toBe('bookings.problem_overlap');
    expect(await slotTruth(ctx, slot.id)).toMatchObject({ confirmed: 1, waitlisted: 0 });
  });

  it("gives the seats to the first pupils in the counsellor's order and waitlists the rest in that order", async () => {
    const slot = await worldSlot(ctx, world, '2027-04-08T08:00', '2027-04-08T12:00', { capacity: 2 });
    const order = [...side().pupils.slice(0, 4)].reverse();
    const made = await book(ctx, side(), slot.id, order, true);
    expect(made.map((b) => [b.pupilId, b.status])).toEqual([
      [order[0]!.id, 'confirmed'],
      [order[1]!.id, 'confirmed'],
      [order[2]!.id, 'waitlisted'],
      [order[3]!.id, 'waitlisted'],
    ]);
    const rows = await ctx.db.selectFrom('bookings').select(['pupil_id']).where('slot_id', '=', slot.id).where('status', '=', 'waitlisted').orderBy('waitlist_position').execute();
    expect(rows.map((r) => r.pupil_id)).toEqual([order[2]!.id, order[3]!.id]);
    expect(await slotTruth(ctx, slot.id)).toMatchObject({ bookedCount: 2, confirmed: 2, waitlisted: 2 });
  });

  it('refuses a group larger than the seats left without the waitlist, booking nobody', async () => {
    const slot = await worldSlot(ctx, world, '2027-04-09T08:00', '2027-04-09T12:00', { capacity: 2 });
    await book(ctx, other(), slot.id, other().pupils.slice(0, 1));
    const error = await failure(book(ctx, side(), slot.id, side().pupils.slice(0, 2)));
    expect(error.code).toBe('slot_full');
    expect(error.options.params).toMatchObject({ left: 1, count: 2 });
    expect(await slotTruth(ctx, slot.id)).toMatchObject({ bookedCount: 1, confirmed: 1, waitlisted: 0 });
  });
});

describe('a company cancelling', () => {
  it('cancels every live booking of a cancelled slot as the company, and mails each school once, to the counsellor who booked', async () => {
    const slot = await worldSlot(ctx, world, '2027-04-12T08:00', '2027-04-12T12:00', { capacity: 2 });
    const [a, b, c] = side().pupils;
    await book(ctx, side(), slot.id, [a!, b!]);
    await book(ctx, other(), slot.id, other().pupils.slice(0, 2), true);
    const [early] = await book(ctx, side(), slot.id, [c!], true);
    await cancelAs(side(), early!.id, 'Ändrade planer');
    await inTrx((trx) => cancelSlotWithBookings(trx, deps(), world.coordinator, company(), slot.id, 'Vattenläcka', now()));

    const rows = await bookingsOf(slot.id);
    expect(rows.filter((r) => r.status !== 'cancelled')).toEqual([]);
    expect(rows.filter((r) => r.cancelled_party === 'company')).toHaveLength(4);
    expect(rows.filter((r) => r.cancelled_party === 'company').every((r) => r.cancel_reason === 'Vattenläcka')).toBe(true);
    expect(rows.find((r) => r.id === early!.id)).toMatchObject({ cancelled_party: 'school', cancel_reason: 'Ändrade planer' });
    expect(await slotTruth(ctx, slot.id)).toMatchObject({ bookedCount: 0, confirmed: 0, waitlisted: 0, cancelled: 5 });

    for (const s of [side(), other()]) {
      const called = (await mailsAbout(s.counsellor.user.email, slot)).filter((m) => m.subject.startsWith('Inställt'));
      expect(called).toHaveLength(1);
      expect(called[0]!.body_text).toContain('Vattenläcka');
    }
    const toSide = (await mailsAbout(side().counsellor.user.email, slot)).find((m) => m.subject.startsWith('Inställt'))!;
    expect(toSide.body_text).toContain(`${a!.givenName} ${a!.familyName}`);
    expect(toSide.body_text).toContain(`${b!.givenName} ${b!.familyName}`);
    expect(toSide.body_text).not.toContain(`${c!.givenName} ${c!.familyName}`);
  });

  it('cancels the bookings of every slot of a cancelled series, one mail per slot', async () => {
    const { slotIds } = await makeSeries(ctx, world.coordinator, [world.storyIds[2]!], ['2027-04-13', '2027-04-14']);
    for (const id of slotIds) {
      await book(ctx, side(), id, side().pupils.slice(0, 1));
      await book(ctx, other(), id, other().pupils.slice(0, 1));
    }
    const seriesId = (await ctx.db.selectFrom('slots').select('series_id').where('id', '=', slotIds[0]!).executeTakeFirstOrThrow()).series_id!;
    expect(await inTrx((trx) => cancelSeriesWithBookings(trx, deps(), world.coordinator, company(), seriesId, 'Sjukdom', now()))).toBe(2);
    for (const id of slotIds) {
      expect(await slotTruth(ctx, id)).toMatchObject({ bookedCount: 0, confirmed: 0, cancelled: 2 });
      expect((await bookingsOf(id)).every((r) => r.cancelled_party === 'company')).toBe(true);
      const slot = await ctx.db.selectFrom('slots').select(['starts_at', 'ends_at']).where('id', '=', id).executeTakeFirstOrThrow();
      for (const s of [side(), other()]) {
        const mails = (await mailsAbout(s.counsellor.user.email, { startsAt: slot.starts_at, endsAt: slot.ends_at })).filter((m) => m.subject.startsWith('Inställt'));
        expect(mails).toHaveLength(1);
      }
    }
  });

  it('records each cancellation in the audit trail as the coordinator, with the status it had', async () => {
    const slot = await worldSlot(ctx, world, '2027-04-12T13:00', '2027-04-12T16:00', { capacity: 1 });
    const [seat] = await book(ctx, side(), slot.id, side().pupils.slice(3, 4));
    const [waiting] = await book(ctx, side(), slot.id, side().pupils.slice(4, 5), true);
    await inTrx((trx) => cancelSlotWithBookings(trx, deps(), world.coordinator, company(), slot.id, null, now()));
    const cancelled = (await eventsOfSlot(slot.id)).filter((e) => e.action === 'cancelled');
    expect(cancelled.map((e) => ({ booking: e.booking_id, from: e.from_status, to: e.to_status, actor: e.actor_id, role: e.actor_role, via: e.via, ip: e.ip })).sort((x, y) => (x.from! < y.from! ? -1 : 1))).toEqual([
      { booking: seat!.id, from: 'confirmed', to: 'cancelled', actor: world.coordinator.id, role: 'company_coordinator', via: 'ui', ip: '198.51.100.7' },
      { booking: waiting!.id, from: 'waitlisted', to: 'cancelled', actor: world.coordinator.id, role: 'company_coordinator', via: 'ui', ip: '198.51.100.7' },
    ]);
    expect(JSON.parse(cancelled[0]!.detail!)).toMatchObject({ party: 'company' });
  });
});

describe('filling freed seats from the waitlist', () => {
  it('promotes waitlisted pupils in order when the company raises the capacity, and mails the counsellor who booked them', async () => {
    const slot = await worldSlot(ctx, world, '2027-04-15T08:00', '2027-04-15T12:00', { capacity: 1 });
    const [a, b, c, d] = side().pupils;
    await book(ctx, side(), slot.id, [a!, b!, c!, d!], true);
    const fields = slotFields([world.storyId], { capacity: 3 });
    const occurrence = { startsAt: fromDbInstant(slot.startsAt), endsAt: fromDbInstant(slot.endsAt) };
    await inTrx((trx) => updateSlotAndFill(trx, deps(), world.coordinator, company(), slot.id, fields, occurrence, now()));

    expect(await statusByPupil(slot.id)).toEqual({ [a!.id]: 'confirmed', [b!.id]: 'confirmed', [c!.id]: 'confirmed', [d!.id]: 'waitlisted' });
    expect(await slotTruth(ctx, slot.id)).toMatchObject({ capacity: 3, bookedCount: 3 });
    // Promoted pupils leave the queue (no position) and keep the time they joined it; d stays first in line.
    const rows = await ctx.db.selectFrom('bookings').select(['pupil_id', 'waitlisted_at', 'waitlist_position']).where('slot_id', '=', slot.id).execute();
    const row = (pupilId: string) => rows.find((r) => r.pupil_id === pupilId)!;
    for (const p of [b!, c!]) expect(row(p.id)).toMatchObject({ waitlisted_at: expect.any(String), waitlist_position: null });
    expect(row(d!.id).waitlist_position).not.toBeNull();
    const promotedMail = (await mailsAbout(side().counsellor.user.email, slot)).filter((m) => m.subject.startsWith('Plats från väntelistan'));
    expect(promotedMail).toHaveLength(1);
    expect(promotedMail[0]!.body_text).toContain(`${b!.givenName} ${b!.familyName}`);
    expect(promotedMail[0]!.body_text).toContain(`${c!.givenName} ${c!.familyName}`);
    expect(promotedMail[0]!.body_text).not.toContain(`${d!.givenName} ${d!.familyName}`);
    const promoted = (await eventsOfSlot(slot.id)).filter((e) => e.action === 'promoted');
    expect(promoted.map((e) => [e.pupil_id, e.from_status, e.to_status, e.actor_id, e.actor_role]).sort()).toEqual([
      [b!.id, 'waitlisted', 'confirmed', world.coordinator.id, 'company_coordinator'],
      [c!.id, 'waitlisted', 'confirmed', world.coordinator.id, 'company_coordinator'],
    ].sort());
  });

  it('skips a waitlisted pupil whose grade the slot no longer takes', async () => {
    const slot = await worldSlot(ctx, world, '2027-04-15T13:00', '2027-04-15T16:00', { capacity: 1 });
    const ninth = await makePupil(ctx.db, side().school.id, { className: '9C' });
    const [a, eighth] = side().pupils;
    await book(ctx, side(), slot.id, [a!]);
    await book(ctx, side(), slot.id, [eighth!, ninth], true);
    const fields = slotFields([world.storyId], { capacity: 3, grades: ['9'] });
    const occurrence = { startsAt: fromDbInstant(slot.startsAt), endsAt: fromDbInstant(slot.endsAt) };
    await inTrx((trx) => updateSlotAndFill(trx, deps(), world.coordinator, company(), slot.id, fields, occurrence, now()));
    expect(await statusByPupil(slot.id)).toEqual({ [a!.id]: 'confirmed', [eighth!.id]: 'waitlisted', [ninth.id]: 'confirmed' });
  });

  it("cancels only the pupils' live bookings that have not started, and promotes the waitlist into the freed seats", async () => {
    const leaving = await makePupil(ctx.db, side().school.id);
    const staying = side().pupils[5]!;
    const seat = await worldSlot(ctx, world, '2027-04-16T08:00', '2027-04-16T12:00', { capacity: 1 });
    const queue = await worldSlot(ctx, world, '2027-04-19T08:00', '2027-04-19T12:00', { capacity: 1 });
    const started = await worldSlot(ctx, world, '2027-04-20T08:00', '2027-04-20T12:00');
    const [seatBooking] = await book(ctx, side(), seat.id, [leaving]);
    const [behind] = await book(ctx, other(), seat.id, other().pupils.slice(5, 6), true);
    await book(ctx, side(), queue.id, [staying]);
    const [queued] = await book(ctx, side(), queue.id, [leaving], true);
    const [past] = await book(ctx, side(), started.id, [leaving]);
    await moveToStarted(started);

    const count = await inTrx((trx) => cancelLiveBookingsOfPupils(trx, deps(), side().counsellor.user, [leaving.id], 'Slutat skolan', now(), 'ui'));
    expect(count).toBe(2);
    const status = async (id: string) => (await ctx.db.selectFrom('bookings').select(['status', 'cancelled_party', 'cancel_reason']).where('id', '=', id).executeTakeFirstOrThrow());
    expect(await status(seatBooking!.id)).toEqual({ status: 'cancelled', cancelled_party: 'school', cancel_reason: 'Slutat skolan' });
    expect((await status(queued!.id)).status).toBe('cancelled');
    expect((await status(past!.id)).status).toBe('confirmed');
    expect((await status(behind!.id)).status).toBe('confirmed');
    expect(await slotTruth(ctx, seat.id)).toMatchObject({ bookedCount: 1, confirmed: 1, waitlisted: 0 });
    const promotedMail = (await mailsAbout(other().counsellor.user.email, seat)).filter((m) => m.subject.startsWith('Plats från väntelistan'));
    expect(promotedMail).toHaveLength(1);
  });

  it("refuses to cancel another school's pupils' bookings", async () => {
    const slot = await worldSlot(ctx, world, '2027-04-16T13:00', '2027-04-16T16:00');
    await book(ctx, other(), slot.id, other().pupils.slice(0, 1));
    const error = await failure(inTrx((trx) => cancelLiveBookingsOfPupils(trx, deps(), side().counsellor.user, [other().pupils[0]!.id], null, now(), 'ui')));
    expect(error.code).toBe('forbidden');
    expect(await slotTruth(ctx, slot.id)).toMatchObject({ confirmed: 1 });
  });

  // KNOWN ENGINE BUG (reported to the lead; remove `.fails` once fixed): a slot with only a
  // waitlist may be moved, but its waitlisted bookings keep the old time, and promoteWaitlisted
  // checks clashes (and the database its overlap guarantee) against that stale copy.
  it("checks a waitlisted pupil against the slot's new time when a slot that only has a waitlist is moved", async () => {
    const moved = await worldSlot(ctx, world, '2027-04-26T08:00', '2027-04-26T12:00', { capacity: 1 }, 0);
    const clash = await worldSlot(ctx, world, '2027-04-26T09:00', '2027-04-26T11:00', {}, 1);
    const newTime = await worldSlot(ctx, world, '2027-04-27T08:00', '2027-04-27T12:00', {}, 1);
    const [first, pupil] = other().pupils;
    const [seat] = await book(ctx, other(), moved.id, [first!]);
    await book(ctx, other(), moved.id, [pupil!], true);
    const [clashing] = await book(ctx, other(), clash.id, [pupil!]);
    await cancelAs(other(), seat!.id); // the pupil is skipped: booked elsewhere at that time
    await book(ctx, other(), newTime.id, [pupil!]);
    await cancelAs(other(), clashing!.id);
    expect(await slotTruth(ctx, moved.id)).toMatchObject({ bookedCount: 0, waitlisted: 1 });

    const occurrence = { startsAt: fromDbInstant(newTime.startsAt), endsAt: fromDbInstant(newTime.endsAt) };
    await inTrx((trx) => updateSlotAndFill(trx, deps(), world.coordinator, company(), moved.id, slotFields([world.storyIds[0]!], { capacity: 1 }), occurrence, now()));

    const confirmed = await ctx.db
      .selectFrom('bookings as b')
      .innerJoin('slots as s', 's.id', 'b.slot_id')
      .select(['s.id', 's.starts_at', 's.ends_at'])
      .where('b.pupil_id', '=', pupil!.id)
      .where('b.status', '=', 'confirmed')
      .execute();
    const clashes = confirmed.filter((x) => confirmed.some((y) => y.id !== x.id && x.starts_at < y.ends_at && y.starts_at < x.ends_at));
    expect(clashes, 'the pupil is confirmed in two slots at the same time').toEqual([]);
  });
});

describe('the audit trail', () => {
  it("records an API booking and cancellation with the counsellor, 'api', the caller's IP and the change of status", async () => {
    const slot = await worldSlot(ctx, world, '2027-04-21T08:00', '2027-04-21T12:00', { capacity: 1 });
    const booked = await apiBook(ctx, side(), { slotId: slot.id, pupilId: side().pupils[0]!.id });
    const waiting = await apiBook(ctx, side(), { slotId: slot.id, pupilId: side().pupils[1]!.id, waitlist: true });
    expect([booked.status, waiting.status]).toEqual([201, 201]);
    expect((await apiCancel(ctx, side(), booked.body.id, { reason: 'Sjuk' })).status).toBe(200);

    const who = { actor_id: side().counsellor.user.id, actor_role: 'counsellor', via: 'api', ip: expect.stringMatching(/127\.0\.0\.1|::1/) };
    const seatEvents = await eventsOf(booked.body.id);
    expect(seatEvents).toEqual([
      expect.objectContaining({ action: 'booked', from_status: null, to_status: 'confirmed', pupil_id: side().pupils[0]!.id, school_id: side().school.id, ...who }),
      expect.objectContaining({ action: 'cancelled', from_status: 'confirmed', to_status: 'cancelled', ...who }),
    ]);
    expect(JSON.parse(seatEvents[1]!.detail!)).toEqual({ party: 'school', reason: 'Sjuk', late: false });
    expect(await eventsOf(waiting.body.id)).toEqual([
      expect.objectContaining({ action: 'waitlisted', from_status: null, to_status: 'waitlisted', ...who }),
      expect.objectContaining({ action: 'promoted', from_status: 'waitlisted', to_status: 'confirmed', ...who }),
    ]);
  });

  it("records a booking made through a page as 'ui' with the IP it came from", async () => {
    const slot = await worldSlot(ctx, world, '2027-04-21T13:00', '2027-04-21T16:00');
    const user = side().counsellor.user;
    const [made] = await inTrx((trx) => bookPupils(trx, deps(), user, actorOf(user, 'ui', '203.0.113.5'), { slotId: slot.id, pupilIds: [side().pupils[2]!.id], waitlist: false }, now()));
    expect(await eventsOf(made!.id)).toEqual([
      expect.objectContaining({ action: 'booked', from_status: null, to_status: 'confirmed', actor_id: user.id, actor_role: 'counsellor', via: 'ui', ip: '203.0.113.5', at: '2027-03-16T08:00:00.000Z' }),
    ]);
  });
});

describe('mails about bookings', () => {
  it('names a protected pupil in every mail only as pupil, class, school and code (mails rest in the outbox the admin reads)', async () => {
    const slot = await worldSlot(ctx, world, '2027-04-22T08:00', '2027-04-22T12:00');
    const secret = await makePupil(ctx.db, side().school.id, { givenName: 'Hemlig', familyName: 'Persson', protectedIdentity: true });
    await book(ctx, side(), slot.id, [secret]);
    const toCompany = await mailsAbout(world.coordinator.email, slot);
    expect(toCompany).toHaveLength(1);
    expect(toCompany[0]!.body_text).toContain(`Elev, 8B, ${side().school.name} (kod ${secret.code})`);
    expect(JSON.stringify(toCompany[0])).not.toContain('Hemlig');
    expect(JSON.stringify(toCompany[0])).not.toContain('Persson');
    const toSchool = await mailsAbout(side().counsellor.user.email, slot);
    expect(toSchool).toHaveLength(1);
    expect(toSchool[0]!.body_text).toContain(`Elev, 8B, ${side().school.name} (kod ${secret.code})`);
    expect(JSON.stringify(toSchool[0])).not.toContain('Hemlig');
  });

  it("writes to a counsellor whose language is English in English, while the company's Swedish coordinator gets Swedish", async () => {
    const slot = await worldSlot(ctx, world, '2027-04-23T08:00', '2027-04-23T12:00');
    const english = await apiUser(ctx, 'counsellor', side().school.id);
    await ctx.db.updateTable('users').set({ locale: 'en' }).where('id', '=', english.user.id).execute();
    await bookAs({ ...english.user, locale: 'en' }, slot.id, side().pupils.slice(0, 1));
    const mails = await mailsAbout(english.user.email, slot, 'en');
    expect(mails.map((m) => m.subject)).toEqual([`Booked: ${world.company.name}, Fri 23 April 2027, 08:00–12:00`]);
    expect(mails[0]!.body_text).toContain('These pupils are booked');
    expect(await mailsAbout(world.coordinator.email, slot, 'sv')).toEqual([expect.objectContaining({ subject: `Ny bokning: ${world.company.name}, fre 23 april 2027, 08.00–12.00` })]);
  });
});

describe('cancelling a booking', () => {
  // lateCancellationHours is 72 in the tests; now is 16 March 2027, 08.00 UTC.
  it('marks a cancellation 71 hours before the start as late', async () => {
    const slot = await worldSlot(ctx, world, '2027-03-19T08:00', '2027-03-19T12:00', {}, 0); // 07.00 UTC: now + 71 h
    expect(fromDbInstant(slot.startsAt).diff(now(), 'hours').hours).toBe(71);
    const [b] = await book(ctx, side(), slot.id, side().pupils.slice(0, 1));
    const { cancelled } = await cancelAs(side(), b!.id);
    expect(cancelled.cancelledLate).toBe(true);
    expect((await ctx.db.selectFrom('bookings').select('cancelled_late').where('id', '=', b!.id).executeTakeFirstOrThrow()).cancelled_late).toBe(1);
  });

  it('does not mark a cancellation 73 hours before the start as late', async () => {
    const slot = await worldSlot(ctx, world, '2027-03-19T10:00', '2027-03-19T14:00', {}, 1); // 09.00 UTC: now + 73 h
    expect(fromDbInstant(slot.startsAt).diff(now(), 'hours').hours).toBe(73);
    const [b] = await book(ctx, side(), slot.id, side().pupils.slice(1, 2));
    const { cancelled } = await cancelAs(side(), b!.id);
    expect(cancelled.cancelledLate).toBe(false);
  });

  it('never marks leaving a waitlist as late', async () => {
    const slot = await worldSlot(ctx, world, '2027-03-18T08:00', '2027-03-18T12:00', { capacity: 1 }, 2);
    await book(ctx, side(), slot.id, side().pupils.slice(2, 3));
    const [waiting] = await book(ctx, side(), slot.id, side().pupils.slice(3, 4), true);
    const { cancelled } = await cancelAs(side(), waiting!.id);
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelledLate: false });
  });

  it('refuses to cancel a booking of a slot that has started with 409 booking_past', async () => {
    const slot = await worldSlot(ctx, world, '2027-04-28T08:00', '2027-04-28T12:00');
    const booked = await apiBook(ctx, side(), { slotId: slot.id, pupilId: side().pupils[0]!.id });
    await moveToStarted(slot);
    const res = await apiCancel(ctx, side(), booked.body.id);
    expect({ status: res.status, code: res.body.error?.code }).toEqual({ status: 409, code: 'booking_past' });
    expect(await slotTruth(ctx, slot.id)).toMatchObject({ confirmed: 1, cancelled: 0 });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Slot } from '../../src/slots/slots.service.ts';
import { createTestContext, type TestContext } from '../support/app.ts';
import { makeBookingWorld, slotTruth, worldSlot, type BookingWorld } from '../support/bookings.ts';
import { bookingGuards, dropBookingGuards } from '../support/guards.ts';
import { addressOf, startApps, stopApps, type AppProcess, type Reply } from '../support/processes.ts';

// Real concurrency: three app processes on one database (a SQLite file, or PostgreSQL when
// TEST_DATABASE_URL is set), and bursts of simultaneous POST /api/v1/bookings spread over
// them. Then the naive check-then-insert booking (test-only BOOKING_UNSAFE_CONTROL) under the
// same bursts: the database's own guards still hold; and with them dropped, it overbooks —
// the control that shows these bursts do produce double bookings when nothing prevents them.

const INSTANCES = 3;
const CAPACITY = 5;
const PUPILS = 40;
/** Spawning processes and firing bursts takes seconds, not the usual milliseconds. */
const SLOW = 30_000;
const SLOW_SETUP = 60_000;

interface Attempt {
  body: { slotId: string; pupilId: string };
  key?: string;
}

/** Opens keep-alive connections to every instance and runs the booking path once, so a burst starts warm. */
async function warmUp(apps: AppProcess[], token: string): Promise<void> {
  const auth = { authorization: `Bearer ${token}` };
  await Promise.all(apps.flatMap((app) => Array.from({ length: 16 }, () => app.request('GET', '/healthz'))));
  const answers = await Promise.all(apps.map((app) => app.request('POST', '/api/v1/bookings', { body: { slotId: 'no-such-slot', pupilId: 'no-such-pupil' }, headers: auth })));
  expect(answers.map((a) => a.status)).toEqual(apps.map(() => 404));
}

/** Sends every attempt at once, attempt i to instance i mod n, as the school's counsellor. */
function burst(apps: AppProcess[], token: string, attempts: Attempt[]): Promise<Reply[]> {
  return Promise.all(
    attempts.map((attempt, i) => {
      const headers: Record<string, string> = { authorization: `Bearer ${token}` };
      if (attempt.key) headers['idempotency-key'] = attempt.key;
      return apps[i % apps.length]!.request('POST', '/api/v1/bookings', { body: attempt.body, headers });
    }),
  );
}

/** How many answers of each kind: "201", "409 slot_full", … (a 5xx shows up here too). */
function tally(replies: Reply[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of replies) {
    const kind = r.status === 201 ? '201' : `${r.status} ${r.body?.error?.code ?? ''}`.trim();
    counts[kind] = (counts[kind] ?? 0) + 1;
  }
  return counts;
}

/** Six slots of six hosts on one day that all share 11.00–12.00, ten seats each. */
async function sixOverlappingSlots(ctx: TestContext, world: BookingWorld, date: string): Promise<Slot[]> {
  const slots: Slot[] = [];
  for (let host = 0; host < 6; host++) slots.push(await worldSlot(ctx, world, `${date}T${String(8 + (host % 3)).padStart(2, '0')}:00`, `${date}T${12 + (host % 2)}:00`, { capacity: 10 }, host));
  return slots;
}

async function confirmedOfPupil(ctx: TestContext, pupilId: string, slotIds: string[]) {
  return ctx.db.selectFrom('bookings').select(['id', 'slot_id']).where('pupil_id', '=', pupilId).where('slot_id', 'in', slotIds).where('status', '=', 'confirmed').execute();
}

describe(`booking through ${INSTANCES} app processes on one database at the same moment`, () => {
  let ctx: TestContext;
  let world: BookingWorld;
  let apps: AppProcess[] = [];
  const token = () => world.schools[0]!.counsellor.token;
  const pupils = () => world.schools[0]!.pupils;

  beforeAll(async () => {
    ctx = await createTestContext();
    world = await makeBookingWorld(ctx, { pupils: PUPILS, hosts: 6 });
    apps = await startApps(INSTANCES, { database: await addressOf(ctx.database) });
    await warmUp(apps, token());
  }, SLOW_SETUP);
  afterAll(async () => {
    await stopApps(apps);
    await ctx?.close();
  });

  it(
    'gives a slot exactly its free seats when 40 pupils are booked at once, and refuses the rest as slot_full',
    async () => {
      const slot = await worldSlot(ctx, world, '2027-04-06T08:00', '2027-04-06T12:00', { capacity: CAPACITY });
      const replies = await burst(apps, token(), pupils().map((p) => ({ body: { slotId: slot.id, pupilId: p.id } })));

      expect(tally(replies)).toEqual({ '201': CAPACITY, '409 slot_full': PUPILS - CAPACITY });
      expect(replies.filter((r) => r.status === 201).every((r) => r.body.status === 'confirmed')).toBe(true);
      expect(await slotTruth(ctx, slot.id)).toMatchObject({ capacity: CAPACITY, bookedCount: CAPACITY, confirmed: CAPACITY, waitlisted: 0 });
    },
    SLOW,
  );

  it(
    'books a pupil into only one of six overlapping slots asked for at the same moment, and refuses the others as pupil_overlap',
    async () => {
      // Five pupils each try all six slots at once.
      const slots = await sixOverlappingSlots(ctx, world, '2027-04-07');
      const who = pupils().slice(0, 5);
      const attempts = who.flatMap((p) => slots.map((s) => ({ body: { slotId: s.id, pupilId: p.id } })));
      const replies = await burst(apps, token(), attempts);

      expect(tally(replies)).toEqual({ '201': who.length, '409 pupil_overlap': who.length * (slots.length - 1) });
      for (const p of who) expect(await confirmedOfPupil(ctx, p.id, slots.map((s) => s.id))).toHaveLength(1);
      for (const s of slots) {
        const truth = await slotTruth(ctx, s.id);
        expect(truth.bookedCount).toBe(truth.confirmed);
      }
    },
    SLOW,
  );

  it(
    'makes one booking when the same Idempotency-Key reaches every instance at the same moment, and answers each copy with it',
    async () => {
      const slot = await worldSlot(ctx, world, '2027-04-08T08:00', '2027-04-08T12:00', { capacity: CAPACITY });
      const pupil = pupils()[10]!;
      const copies = Array.from({ length: INSTANCES * 4 }, () => ({ body: { slotId: slot.id, pupilId: pupil.id }, key: `same-moment-${slot.id}` }));
      const replies = await burst(apps, token(), copies);

      expect(tally(replies)).toEqual({ '201': copies.length });
      expect(new Set(replies.map((r) => r.body.id)).size).toBe(1);
      expect(await confirmedOfPupil(ctx, pupil.id, [slot.id])).toEqual([{ id: replies[0]!.body.id, slot_id: slot.id }]);
      expect(await slotTruth(ctx, slot.id)).toMatchObject({ bookedCount: 1, confirmed: 1 });
      const events = await ctx.db.selectFrom('booking_events').select('id').where('slot_id', '=', slot.id).where('action', '=', 'booked').execute();
      expect(events).toHaveLength(1);
    },
    SLOW,
  );
});

describe('the naive check-then-insert booking (test-only BOOKING_UNSAFE_CONTROL) from every instance at once', () => {
  let ctx: TestContext;
  let world: BookingWorld;
  let apps: AppProcess[] = [];
  const token = () => world.schools[0]!.counsellor.token;
  const pupils = () => world.schools[0]!.pupils;

  beforeAll(async () => {
    ctx = await createTestContext();
    world = await makeBookingWorld(ctx, { pupils: PUPILS, hosts: 6 });
    apps = await startApps(INSTANCES, { database: await addressOf(ctx.database), env: { NODE_ENV: 'test', BOOKING_UNSAFE_CONTROL: '1' } });
    await warmUp(apps, token());
  }, SLOW_SETUP);
  afterAll(async () => {
    await stopApps(apps);
    await ctx?.close();
  });

  // The naive code does not translate the database's refusals, so they surface as 500s here;
  // what counts is what was stored.
  it(
    "is still kept from overbooking by the database's own count and check",
    async () => {
      const slot = await worldSlot(ctx, world, '2027-04-06T08:00', '2027-04-06T12:00', { capacity: CAPACITY });
      const replies = await burst(apps, token(), pupils().map((p) => ({ body: { slotId: slot.id, pupilId: p.id } })));

      const truth = await slotTruth(ctx, slot.id);
      expect(truth).toMatchObject({ bookedCount: truth.confirmed });
      expect(truth.confirmed).toBeLessThanOrEqual(CAPACITY);
      expect(replies.filter((r) => r.status === 201)).toHaveLength(truth.confirmed);
    },
    SLOW,
  );

  it(
    "is still kept from putting a pupil in two overlapping slots by the database's own constraint",
    async () => {
      const slots = await sixOverlappingSlots(ctx, world, '2027-04-07');
      const who = pupils().slice(0, 5);
      const replies = await burst(apps, token(), who.flatMap((p) => slots.map((s) => ({ body: { slotId: s.id, pupilId: p.id } }))));

      for (const p of who) expect((await confirmedOfPupil(ctx, p.id, slots.map((s) => s.id))).length).toBeLessThanOrEqual(1);
      expect(replies.filter((r) => r.status === 201).length).toBeLessThanOrEqual(who.length);
    },
    SLOW,
  );

  // The control. It runs last in this file: it removes the guards for good.
  it(
    'overbooks a slot under the same burst once the guards are dropped, so the tests above would catch a double booking',
    async () => {
      await dropBookingGuards(ctx.db);
      expect(await bookingGuards(ctx.db)).toEqual([]);
      // A race is a race: a few bursts on fresh slots (on different days, so no pupil clashes), at most five.
      const stored: number[] = [];
      for (let round = 0; round < 5 && !stored.some((n) => n > CAPACITY); round++) {
        const day = String(12 + round).padStart(2, '0');
        const slot = await worldSlot(ctx, world, `2027-04-${day}T08:00`, `2027-04-${day}T12:00`, { capacity: CAPACITY });
        const replies = await burst(apps, token(), pupils().map((p) => ({ body: { slotId: slot.id, pupilId: p.id } })));
        const confirmed = (await slotTruth(ctx, slot.id)).confirmed;
        expect(replies.filter((r) => r.status === 201)).toHaveLength(confirmed);
        stored.push(confirmed);
      }
      expect(Math.max(...stored)).toBeGreaterThan(CAPACITY);
    },
    SLOW,
  );
});

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actorOf, bookPupils, cancelBooking } from '../../src/bookings/booking.service.ts';
import { overlaps } from '../../src/bookings/overlap.ts';
import { cancelSlotWithBookings, updateSlotAndFill } from '../../src/bookings/slot-changes.ts';
import type { BookingStatus, CancelParty } from '../../src/db/types.ts';
import { AppError } from '../../src/http/errors.ts';
import type { Pupil } from '../../src/pupils/pupils.service.ts';
import { fromDbInstant } from '../../src/time/stockholm.ts';
import { createTestContext, type TestContext } from '../support/app.ts';
import { makeBookingWorld, worldSlot, type BookingWorld } from '../support/bookings.ts';
import { makePupil } from '../support/pupils.ts';
import { slotFields } from '../support/slots.ts';

// Model-based test of the booking engine: random sequences of commands (book a group, cancel a
// booking, cancel a slot, change a slot's seats and grades) run against the real services on
// a real migrated database and against a small in-memory model of the rules. After every step
// the outcomes, every booking's status, the waitlists' order and the database's invariants
// must agree. Time is fixed (the test clock); every slot is in the future.

let ctx: TestContext;
let world: BookingWorld;
/** Per school: grades 7, 8, 8, 9 (classes 7A, 8B, 8C, 9A). */
const pupils: Pupil[][] = [];
beforeAll(async () => {
  ctx = await createTestContext();
  world = await makeBookingWorld(ctx, { schools: 2, pupils: 0, hosts: 3 });
  for (const side of world.schools) {
    const own: Pupil[] = [];
    for (const className of ['7A', '8B', '8C', '9A']) own.push(await makePupil(ctx.db, side.school.id, { className }));
    pupils.push(own);
  }
});
afterAll(() => ctx.close());

// ---- The slots of a run: overlapping and touching times on one day, hosts that never clash. ----

/** Tuesday 6 April 2027, local times; [start, end) in hours for the model. */
const LAYOUT = [
  { start: 8, end: 12, host: 0 },
  { start: 10, end: 13, host: 1 }, // overlaps 0
  { start: 12, end: 15, host: 0 }, // touches 0, overlaps 1
] as const;
const GRADE_SETS = [['7', '8', '9'], ['8', '9'], ['8'], ['9']] as const;
/** Mostly open to every pupil, so that refusals by grade do not hide the other rules. */
const gradeSetArb = fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 2, arbitrary: fc.integer({ min: 1, max: GRADE_SETS.length - 1 }) });
const hh = (h: number) => `2027-04-06T${String(h).padStart(2, '0')}:00`;

// ---- Commands ----

type Command =
  | { kind: 'book'; school: number; slot: number; pupils: number[]; waitlist: boolean; intruder: boolean }
  | { kind: 'cancel'; pick: number; seat: boolean; again: boolean; wrongSchool: boolean }
  | { kind: 'cancelSlot'; slot: number }
  | { kind: 'edit'; slot: number; capacity: number; grades: number };

/** 1–3 places, mostly few, so that slots fill up and waitlists form. */
const capacityArb = fc.oneof({ weight: 2, arbitrary: fc.constant(1) }, { weight: 2, arbitrary: fc.constant(2) }, { weight: 1, arbitrary: fc.constant(3) });
const rarely = fc.nat(9).map((n) => n === 0);
const mostly = fc.nat(2).map((n) => n > 0);
const slotIndex = fc.nat(LAYOUT.length - 1);
const commandArb: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 16,
    arbitrary: fc.record({
      kind: fc.constant('book' as const),
      school: fc.nat(1),
      slot: slotIndex,
      pupils: fc.uniqueArray(fc.nat(3), { minLength: 1, maxLength: 4 }),
      waitlist: mostly,
      intruder: rarely,
    }),
  },
  { weight: 12, arbitrary: fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat(), seat: mostly, again: rarely, wrongSchool: rarely }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancelSlot' as const), slot: slotIndex }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('edit' as const), slot: slotIndex, capacity: fc.integer({ min: 1, max: 3 }), grades: gradeSetArb }) },
);
const setupArb = fc.record({
  capacities: fc.array(capacityArb, { minLength: LAYOUT.length, maxLength: LAYOUT.length }),
  grades: fc.array(gradeSetArb, { minLength: LAYOUT.length, maxLength: LAYOUT.length }),
});

// ---- The model: the rules in their plainest form ----

type Outcome = 'ok' | 'skip' | string;
interface ModelSlot {
  start: number;
  end: number;
  capacity: number;
  grades: readonly string[];
  cancelled: boolean;
}
interface ModelBooking {
  id: string;
  slot: number;
  pupil: Pupil;
  status: BookingStatus;
  /** Waitlist order: the order in which pupils were waitlisted in the slot. */
  position: number;
  party: CancelParty | null;
}

class Model {
  bookings: ModelBooking[] = [];
  /** How many pupils moved up from a waitlist (to show the sequences reach promotion at all). */
  promotions = 0;
  private positions = 0;
  constructor(readonly slots: ModelSlot[]) {}

  confirmedIn = (slot: number) => this.bookings.filter((b) => b.slot === slot && b.status === 'confirmed').length;
  private clashes = (pupil: Pupil, slot: number) =>
    this.bookings.some((b) => b.pupil.id === pupil.id && b.status === 'confirmed' && b.slot !== slot && overlaps(this.slots[b.slot]!, this.slots[slot]!));

  book(slotIndex: number, school: string, group: Pupil[], waitlist: boolean): { outcome: Outcome; created: ModelBooking[] } {
    const slot = this.slots[slotIndex]!;
    const refuse = (outcome: string) => ({ outcome, created: [] });
    if (slot.cancelled) return refuse('slot_not_open');
    if (group.some((p) => p.schoolId !== school)) return refuse('forbidden');
    // Each pupil's first problem; the group is refused with the most basic one.
    const problems = group.map((p) => {
      if (!slot.grades.includes(p.grade)) return 'not_eligible';
      if (this.bookings.some((b) => b.slot === slotIndex && b.pupil.id === p.id && b.status !== 'cancelled')) return 'already_booked';
      if (this.clashes(p, slotIndex)) return 'pupil_overlap';
      return null;
    });
    const problem = (['not_eligible', 'already_booked', 'pupil_overlap'] as const).find((code) => problems.includes(code));
    if (problem) return refuse(problem);
    const left = slot.capacity - this.confirmedIn(slotIndex);
    if (group.length > left && !waitlist) return refuse('slot_full');
    const created = group.map(
      (pupil, i): ModelBooking => ({ id: '', slot: slotIndex, pupil, status: i < left ? 'confirmed' : 'waitlisted', position: i < left ? 0 : ++this.positions, party: null }),
    );
    this.bookings.push(...created);
    return { outcome: 'ok', created };
  }

  cancel(booking: ModelBooking, asSchool: string): Outcome {
    // Another school's booking is not found: its id tells nothing.
    if (booking.pupil.schoolId !== asSchool) return 'not_found';
    if (booking.status === 'cancelled') return 'ok';
    const wasConfirmed = booking.status === 'confirmed';
    Object.assign(booking, { status: 'cancelled', party: 'school' });
    if (wasConfirmed) this.promote(booking.slot);
    return 'ok';
  }

  cancelSlot(slotIndex: number): Outcome {
    this.slots[slotIndex]!.cancelled = true;
    for (const b of this.bookings) if (b.slot === slotIndex && b.status !== 'cancelled') Object.assign(b, { status: 'cancelled', party: 'company' });
    return 'ok';
  }

  edit(slotIndex: number, capacity: number, grades: readonly string[]): Outcome {
    const slot = this.slots[slotIndex]!;
    if (slot.cancelled) return 'slot_cancelled';
    if (capacity < this.confirmedIn(slotIndex)) return 'validation_failed';
    Object.assign(slot, { capacity, grades });
    this.promote(slotIndex);
    return 'ok';
  }

  /** Free seats go to the first waitlisted pupils (in order) whose grade fits and who have no confirmed clash. */
  private promote(slotIndex: number) {
    const slot = this.slots[slotIndex]!;
    if (slot.cancelled) return;
    let left = slot.capacity - this.confirmedIn(slotIndex);
    for (const b of this.waitlist(slotIndex)) {
      if (left <= 0) break;
      if (!slot.grades.includes(b.pupil.grade) || this.clashes(b.pupil, slotIndex)) continue;
      b.status = 'confirmed';
      this.promotions++;
      left--;
    }
  }

  waitlist = (slotIndex: number) => this.bookings.filter((b) => b.slot === slotIndex && b.status === 'waitlisted').sort((a, b) => a.position - b.position);
}

// ---- Running a command on the engine, one transaction each, as the routes do ----

const deps = () => ({ mailer: ctx.mailer, config: ctx.config });
const counsellor = (school: number) => world.schools[school]!.counsellor.user;
const company = () => actorOf(world.coordinator, 'ui', null);

/** The engine's outcome: 'ok' with its result, or the error code it refused with. Anything but an AppError fails the test. */
async function attempt<T>(work: () => Promise<T>): Promise<{ outcome: Outcome; result?: T }> {
  try {
    return { outcome: 'ok', result: await work() };
  } catch (error) {
    if (error instanceof AppError) return { outcome: error.code };
    throw error;
  }
}

interface Run {
  model: Model;
  slotIds: string[];
}

async function runCommand(run: Run, cmd: Command): Promise<{ engine: Outcome; model: Outcome }> {
  const { model, slotIds } = run;
  const now = ctx.clock.now();
  switch (cmd.kind) {
    case 'book': {
      const group = cmd.pupils.map((i) => pupils[cmd.school]![i]!);
      if (cmd.intruder) group.push(pupils[1 - cmd.school]![0]!);
      const school = world.schools[cmd.school]!.school.id;
      const expected = model.book(cmd.slot, school, group, cmd.waitlist);
      const user = counsellor(cmd.school);
      const request = { slotId: slotIds[cmd.slot]!, pupilIds: group.map((p) => p.id), waitlist: cmd.waitlist };
      const got = await attempt(() => ctx.db.transaction().execute((trx) => bookPupils(trx, deps(), user, actorOf(user, 'ui', null), request, now)));
      if (got.outcome === 'ok' && expected.outcome === 'ok') {
        // The engine answers in the counsellor's order, as the model made them.
        expect(got.result!.map((b) => [b.pupilId, b.status])).toEqual(expected.created.map((b) => [b.pupil.id, b.status]));
        got.result!.forEach((b, i) => (expected.created[i]!.id = b.id));
      }
      return { engine: got.outcome, model: expected.outcome };
    }
    case 'cancel': {
      // Mostly a seat (which frees it for the waitlist), else a waitlist place, now and then one already cancelled (which changes nothing).
      const status = cmd.again ? 'cancelled' : cmd.seat ? 'confirmed' : 'waitlisted';
      const preferred = model.bookings.filter((b) => b.status === status);
      const pool = preferred.length > 0 ? preferred : model.bookings;
      if (pool.length === 0) return { engine: 'skip', model: 'skip' };
      const booking = pool[cmd.pick % pool.length]!;
      const ownSchool = world.schools.findIndex((s) => s.school.id === booking.pupil.schoolId);
      const as = cmd.wrongSchool ? 1 - ownSchool : ownSchool;
      const expected = model.cancel(booking, world.schools[as]!.school.id);
      const user = counsellor(as);
      const got = await attempt(() => ctx.db.transaction().execute((trx) => cancelBooking(trx, deps(), user, actorOf(user, 'ui', null), booking.id, null, now)));
      return { engine: got.outcome, model: expected };
    }
    case 'cancelSlot': {
      const expected = model.cancelSlot(cmd.slot);
      const got = await attempt(() => ctx.db.transaction().execute((trx) => cancelSlotWithBookings(trx, deps(), world.coordinator, company(), slotIds[cmd.slot]!, null, now)));
      return { engine: got.outcome, model: expected };
    }
    case 'edit': {
      const grades = GRADE_SETS[cmd.grades]!;
      const expected = model.edit(cmd.slot, cmd.capacity, grades);
      const layout = LAYOUT[cmd.slot]!;
      const fields = slotFields([world.storyIds[layout.host]!], { capacity: cmd.capacity, grades });
      const slot = await ctx.db.selectFrom('slots').select(['starts_at', 'ends_at']).where('id', '=', slotIds[cmd.slot]!).executeTakeFirstOrThrow();
      const occurrence = { startsAt: fromDbInstant(slot.starts_at), endsAt: fromDbInstant(slot.ends_at) };
      const got = await attempt(() => ctx.db.transaction().execute((trx) => updateSlotAndFill(trx, deps(), world.coordinator, company(), slotIds[cmd.slot]!, fields, occurrence, now)));
      return { engine: got.outcome, model: expected };
    }
  }
}

// ---- What must hold after every step ----

async function expectAgreement(run: Run, step: string) {
  const { model, slotIds } = run;
  const rows = await ctx.db
    .selectFrom('bookings')
    .select(['id', 'slot_id', 'pupil_id', 'status', 'cancelled_party', 'waitlist_position'])
    .where('slot_id', 'in', slotIds)
    .execute();
  const stored = rows.map((r) => ({ id: r.id, slot: slotIds.indexOf(r.slot_id), pupil: r.pupil_id, status: r.status, party: r.cancelled_party }));
  const modelled = model.bookings.map((b) => ({ id: b.id, slot: b.slot, pupil: b.pupil.id, status: b.status, party: b.party }));
  const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  expect(stored.sort(byId), `${step}: every booking and its status`).toEqual(modelled.sort(byId));

  const slots = await ctx.db.selectFrom('slots').select(['id', 'capacity', 'booked_count', 'status']).where('id', 'in', slotIds).execute();
  for (const [index, id] of slotIds.entries()) {
    const slot = slots.find((s) => s.id === id)!;
    const confirmed = rows.filter((r) => r.slot_id === id && r.status === 'confirmed').length;
    expect({ booked: slot.booked_count, confirmed, capacity: slot.capacity, cancelled: slot.status === 'cancelled' }, `${step}: slot ${index}`).toEqual({
      booked: model.confirmedIn(index),
      confirmed: model.confirmedIn(index),
      capacity: model.slots[index]!.capacity,
      cancelled: model.slots[index]!.cancelled,
    });
    expect(slot.booked_count, `${step}: slot ${index} within capacity`).toBeLessThanOrEqual(slot.capacity);
    const waitlist = rows.filter((r) => r.slot_id === id && r.status === 'waitlisted').sort((a, b) => a.waitlist_position! - b.waitlist_position!);
    expect(waitlist.map((r) => r.id), `${step}: slot ${index} waitlist order`).toEqual(model.waitlist(index).map((b) => b.id));
  }

  // Straight from the database, by the slots' own times: nobody in two places, one live booking per slot and pupil.
  const confirmed = await ctx.db
    .selectFrom('bookings as b')
    .innerJoin('slots as s', 's.id', 'b.slot_id')
    .select(['b.pupil_id', 'b.slot_id', 's.starts_at', 's.ends_at'])
    .where('b.status', '=', 'confirmed')
    .where('b.slot_id', 'in', slotIds)
    .execute();
  const doubleBooked = confirmed.filter((x) => confirmed.some((y) => y.pupil_id === x.pupil_id && y.slot_id !== x.slot_id && overlaps({ start: x.starts_at, end: x.ends_at }, { start: y.starts_at, end: y.ends_at })));
  expect(doubleBooked, `${step}: a pupil confirmed in two overlapping slots`).toEqual([]);
  const live = rows.filter((r) => r.status !== 'cancelled').map((r) => `${r.slot_id} ${r.pupil_id}`);
  expect(new Set(live).size, `${step}: two live bookings of one pupil in one slot`).toBe(live.length);
}

/** A fresh run: the previous run's slots and bookings removed, the layout's slots made anew (in one transaction, for speed). */
function startRun(setup: { capacities: number[]; grades: number[] }): Promise<Run> {
  return ctx.db.transaction().execute(async (trx) => {
    for (const table of ['booking_events', 'bookings', 'outbox', 'slots'] as const) await trx.deleteFrom(table).execute();
    const slotIds: string[] = [];
    const slots: ModelSlot[] = [];
    for (const [i, layout] of LAYOUT.entries()) {
      const grades = GRADE_SETS[setup.grades[i]!]!;
      const capacity = setup.capacities[i]!;
      slotIds.push((await worldSlot({ ...ctx, db: trx }, world, hh(layout.start), hh(layout.end), { capacity, grades }, layout.host)).id);
      slots.push({ start: layout.start, end: layout.end, capacity, grades, cancelled: false });
    }
    return { model: new Model(slots), slotIds };
  });
}

describe('the booking engine against a model of its rules', () => {
  it('agrees with the model on every outcome and every booking, and keeps the invariants, after every step of random command sequences', async () => {
    const seen = new Map<Outcome, number>();
    let promotions = 0;
    await fc.assert(
      fc.asyncProperty(setupArb, fc.array(commandArb, { minLength: 10, maxLength: 25, size: 'max' }), async (setup, commands) => {
        const run = await startRun(setup);
        for (const [i, cmd] of commands.entries()) {
          const { engine, model } = await runCommand(run, cmd);
          const step = `step ${i + 1} ${JSON.stringify(cmd)}`;
          expect(engine, `${step}: outcome`).toBe(model);
          await expectAgreement(run, step);
          seen.set(engine, (seen.get(engine) ?? 0) + 1);
        }
        promotions += run.model.promotions;
      }),
      { numRuns: 60 },
    );
    // The sequences really reach every rule (a property whose steps all fail alike proves little).
    for (const outcome of ['ok', 'slot_full', 'already_booked', 'pupil_overlap', 'not_eligible', 'forbidden', 'not_found', 'slot_not_open', 'slot_cancelled', 'validation_failed']) {
      expect(seen.get(outcome) ?? 0, `no step ended in ${outcome}`).toBeGreaterThan(0);
    }
    expect(promotions, 'no pupil was ever promoted from a waitlist').toBeGreaterThan(0);
  }, 120_000);
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/auth/secrets.ts';
import type { BookingRow } from '../../src/bookings/bookings.repository.ts';
import type { Pupil } from '../../src/pupils/pupils.service.ts';
import type { Slot } from '../../src/slots/slots.service.ts';
import { createTestContext, TEST_NOW, type TestContext } from '../support/app.ts';
import { makeBookingWorld, slotTruth, worldSlot, type BookingWorld } from '../support/bookings.ts';
import { makePupil } from '../support/pupils.ts';

// The database keeps the booking guarantees on its own: these tests bypass the service and
// write bookings with plain Kysely, as a bug or a hand-made fix in production could. The same
// file runs on SQLite (triggers) and PostgreSQL (exclusion constraint, trigger, checks).

let ctx: TestContext;
let world: BookingWorld;
beforeAll(async () => {
  ctx = await createTestContext();
  world = await makeBookingWorld(ctx, { schools: 1, pupils: 4 });
});
afterAll(() => ctx.close());

const pupils = () => world.schools[0]!.pupils;

/** A booking row of the pupil in the slot, confirmed unless told otherwise. */
function row(slot: Slot, pupil: Pupil, extra: Partial<BookingRow> = {}): BookingRow {
  const waitlisted = extra.status === 'waitlisted';
  return {
    id: newId(),
    slot_id: slot.id,
    pupil_id: pupil.id,
    school_id: pupil.schoolId,
    status: 'confirmed',
    starts_at: slot.startsAt,
    ends_at: slot.endsAt,
    waitlisted_at: waitlisted ? TEST_NOW : null,
    waitlist_position: waitlisted ? 1 : null,
    confirmed_at: waitlisted ? null : TEST_NOW,
    booked_by: null,
    cancelled_at: extra.status === 'cancelled' ? TEST_NOW : null,
    cancelled_by: null,
    cancelled_party: extra.status === 'cancelled' ? 'school' : null,
    cancel_reason: null,
    cancelled_late: 0,
    attendance: null,
    attendance_at: null,
    attendance_by: null,
    created_at: TEST_NOW,
    updated_at: TEST_NOW,
    ...extra,
  };
}

const insert = (r: BookingRow) => ctx.db.insertInto('bookings').values(r).execute();
const setStatus = (id: string, status: 'confirmed' | 'waitlisted' | 'cancelled') =>
  ctx.db
    .updateTable('bookings')
    .set({ status, cancelled_at: status === 'cancelled' ? TEST_NOW : null })
    .where('id', '=', id)
    .execute();

type Guarantee = 'capacity' | 'overlap' | 'one_live';

/**
 * How each dialect names the guarantee it enforced: PostgreSQL by SQLSTATE and constraint name,
 * SQLite by its constraint error code and the constraint's (or trigger's) message.
 */
const refusals: Record<'sqlite' | 'postgres', Record<Guarantee, { code: string; named: string }>> = {
  postgres: {
    capacity: { code: '23514', named: 'slots_never_overbooked' },
    overlap: { code: '23P01', named: 'bookings_pupil_no_overlap' },
    one_live: { code: '23505', named: 'bookings_one_live_per_pupil_and_slot' },
  },
  sqlite: {
    capacity: { code: 'SQLITE_CONSTRAINT_CHECK', named: 'slots_never_overbooked' },
    overlap: { code: 'SQLITE_CONSTRAINT_TRIGGER', named: 'pupil_overlap' },
    one_live: { code: 'SQLITE_CONSTRAINT_UNIQUE', named: 'UNIQUE constraint failed: bookings.slot_id, bookings.pupil_id' },
  },
};

/** Awaits a write that must be refused by exactly this guarantee (not by any other error). */
async function expectRefusedBy(guarantee: Guarantee, write: Promise<unknown>) {
  const error = (await write.then(
    () => null,
    (e: unknown) => e,
  )) as { code?: string; constraint?: string; message?: string } | null;
  expect(error, `the database accepted a write that breaks ${guarantee}`).not.toBeNull();
  const expected = refusals[ctx.database.dialect];
  const named = ctx.database.dialect === 'postgres' ? error!.constraint : error!.message;
  expect({ code: error!.code, named }).toEqual({ code: expected[guarantee].code, named: expect.stringContaining(expected[guarantee].named) });
}

const liveRows = (slotId: string) => ctx.db.selectFrom('bookings').select(['id', 'pupil_id', 'status']).where('slot_id', '=', slotId).where('status', '<>', 'cancelled').execute();

describe('the slot counter and capacity', () => {
  it('raises booked_count for a confirmed booking and not for a waitlisted one', async () => {
    const slot = await worldSlot(ctx, world, '2027-04-06T08:00', '2027-04-06T12:00', { capacity: 2 });
    await insert(row(slot, pupils()[0]!));
    await insert(row(slot, pupils()[1]!, { status: 'waitlisted' }));
    expect(await slotTruth(ctx, slot.id)).toMatchObject({ bookedCount: 1, confirmed: 1, waitlisted: 1 });
  });

  it('refuses a confirmed booking over capacity: the trigger raises booked_count and the check refuses it', async () => {
    const slot = await worldSlot(ctx, world, '2027-04-07T08:00', '2027-04-07T12:00', { capacity: 1 });
    await insert(row(slot, pupils()[0]!));
    await expectRefusedBy('capacity', insert(row(slot, pupils()[1]!)));
    expect(await slotTruth(ctx, slot.id)).toMatchObject({ capacity: 1, bookedCount: 1, confirmed: 1 });
  });

  it('takes a waitlisted booking in a full slot', async () => {
    const slot = await worldSlot(ctx, world, '2027-04-08T08:00', '2027-04-08T12:00', { capacity: 1 });
    await insert(row(slot, pupils()[0]!));
    await insert(row(slot, pupils()[1]!, { status: 'waitlisted' }));
    expect(await slotTruth(ctx, slot.id)).toMatchObject({ bookedCount: 1, confirmed: 1, waitlisted: 1 });
  });

  it('refuses an update that confirms a waitlisted booking in a full slot', async () => {
    const slot = await worldSlot(ctx, world, '2027-04-09T08:00', '2027-04-09T12:00', { capacity: 1 });
    await insert(row(slot, pupils()[0]!));
    const waiting = row(slot, pupils()[1]!, { status: 'waitlisted' });
    await insert(waiting);
    await expectRefusedBy('capacity', setStatus(waiting.id, 'confirmed'));
    expect(await slotTruth(ctx, slot.id)).toMatchObject({ bookedCount: 1, confirmed: 1, waitlisted: 1 });
  });

  it('lowers booked_count when a confirmed booking is cancelled by an UPDATE, so the seat can be taken again', async () => {
    const slot = await worldSlot(ctx, world, '2027-04-12T08:00', '2027-04-12T12:00', { capacity: 1 });
    const first = row(slot, pupils()[0]!);
    await insert(first);
    await setStatus(first.id, 'cancelled');
    expect(await slotTruth(ctx, slot.id)).toMatchObject({ bookedCount: 0, confirmed: 0, cancelled: 1 });
    await insert(row(slot, pupils()[1]!));
    expect(await slotTruth(ctx, slot.id)).toMatchObject({ bookedCount: 1, confirmed: 1 });
  });

  it('keeps booked_count when a confirmed booking is set to confirmed again in a full slot', async () => {
    const slot = await worldSlot(ctx, world, '2027-04-13T08:00', '2027-04-13T12:00', { capacity: 1 });
    const only = row(slot, pupils()[0]!);
    await insert(only);
    await setStatus(only.id, 'confirmed');
    expect(await slotTruth(ctx, slot.id)).toMatchObject({ bookedCount: 1, confirmed: 1 });
  });

  it('lowers booked_count when a pupil with a confirmed booking is deleted (the booking goes with them)', async () => {
    const slot = await worldSlot(ctx, world, '2027-04-14T08:00', '2027-04-14T12:00', { capacity: 2 });
    const leaving = await makePupil(ctx.db, world.schools[0]!.school.id);
    await insert(row(slot, leaving));
    await insert(row(slot, pupils()[0]!));
    expect(await slotTruth(ctx, slot.id)).toMatchObject({ bookedCount: 2 });
    await ctx.db.deleteFrom('pupils').where('id', '=', leaving.id).execute();
    expect(await slotTruth(ctx, slot.id)).toMatchObject({ bookedCount: 1, confirmed: 1 });
  });

  it('lowers booked_count when a confirmed booking row is deleted, but not for a waitlisted one', async () => {
    const slot = await worldSlot(ctx, world, '2027-04-15T08:00', '2027-04-15T12:00', { capacity: 2 });
    const seat = row(slot, pupils()[0]!);
    const waiting = row(slot, pupils()[1]!, { status: 'waitlisted' });
    await insert(seat);
    await insert(row(slot, pupils()[2]!));
    await insert(waiting);
    await ctx.db.deleteFrom('bookings').where('id', '=', waiting.id).execute();
    expect(await slotTruth(ctx, slot.id)).toMatchObject({ bookedCount: 2 });
    await ctx.db.deleteFrom('bookings').where('id', '=', seat.id).execute();
    expect(await slotTruth(ctx, slot.id)).toMatchObject({ bookedCount: 1, confirmed: 1 });
  });
});

describe('a pupil in one place at a time', () => {
  it('refuses a second confirmed booking of a pupil that overlaps the first', async () => {
    const morning = await worldSlot(ctx, world, '2027-04-20T08:00', '2027-04-20T12:00', {}, 0);
    const midday = await worldSlot(ctx, world, '2027-04-20T11:59', '2027-04-20T14:00', {}, 1);
    await insert(row(morning, pupils()[0]!));
    await expectRefusedBy('overlap', insert(row(midday, pupils()[0]!)));
    expect(await slotTruth(ctx, midday.id)).toMatchObject({ bookedCount: 0, confirmed: 0 });
  });

  it('refuses a confirmed booking inside a longer one of the same pupil', async () => {
    const day = await worldSlot(ctx, world, '2027-04-21T08:00', '2027-04-21T15:00', {}, 0);
    const hour = await worldSlot(ctx, world, '2027-04-21T10:00', '2027-04-21T11:00', {}, 1);
    await insert(row(day, pupils()[0]!));
    await expectRefusedBy('overlap', insert(row(hour, pupils()[0]!)));
  });

  it('takes two confirmed bookings of a pupil that touch (one ends when the other starts)', async () => {
    const morning = await worldSlot(ctx, world, '2027-04-22T08:00', '2027-04-22T12:00', {}, 0);
    const afternoon = await worldSlot(ctx, world, '2027-04-22T12:00', '2027-04-22T15:00', {}, 1);
    await insert(row(morning, pupils()[0]!));
    await insert(row(afternoon, pupils()[0]!));
    expect((await slotTruth(ctx, afternoon.id)).confirmed).toBe(1);
  });

  it('takes overlapping bookings of two different pupils, and an overlapping waitlisted booking of the same pupil', async () => {
    const morning = await worldSlot(ctx, world, '2027-04-23T08:00', '2027-04-23T12:00', {}, 0);
    const midday = await worldSlot(ctx, world, '2027-04-23T10:00', '2027-04-23T14:00', {}, 1);
    await insert(row(morning, pupils()[0]!));
    await insert(row(midday, pupils()[1]!));
    await insert(row(midday, pupils()[0]!, { status: 'waitlisted' }));
    expect(await slotTruth(ctx, midday.id)).toMatchObject({ confirmed: 1, waitlisted: 1 });
  });

  it('refuses an update that confirms a waitlisted booking overlapping a confirmed one of the same pupil', async () => {
    const morning = await worldSlot(ctx, world, '2027-04-26T08:00', '2027-04-26T12:00', {}, 0);
    const midday = await worldSlot(ctx, world, '2027-04-26T10:00', '2027-04-26T14:00', {}, 1);
    await insert(row(morning, pupils()[0]!));
    const waiting = row(midday, pupils()[0]!, { status: 'waitlisted' });
    await insert(waiting);
    await expectRefusedBy('overlap', setStatus(waiting.id, 'confirmed'));
    expect(await slotTruth(ctx, midday.id)).toMatchObject({ bookedCount: 0, waitlisted: 1 });
  });

  it('refuses an update that moves a confirmed booking onto another of the same pupil', async () => {
    const morning = await worldSlot(ctx, world, '2027-04-27T08:00', '2027-04-27T10:00', {}, 0);
    const later = await worldSlot(ctx, world, '2027-04-27T11:00', '2027-04-27T13:00', {}, 1);
    await insert(row(morning, pupils()[0]!));
    const second = row(later, pupils()[0]!);
    await insert(second);
    await expectRefusedBy('overlap', ctx.db.updateTable('bookings').set({ starts_at: morning.startsAt }).where('id', '=', second.id).execute());
  });

  it('takes a confirmed booking overlapping a cancelled one of the same pupil', async () => {
    const morning = await worldSlot(ctx, world, '2027-04-28T08:00', '2027-04-28T12:00', {}, 0);
    const midday = await worldSlot(ctx, world, '2027-04-28T10:00', '2027-04-28T14:00', {}, 1);
    const first = row(morning, pupils()[0]!);
    await insert(first);
    await setStatus(first.id, 'cancelled');
    await insert(row(midday, pupils()[0]!));
    expect((await slotTruth(ctx, midday.id)).confirmed).toBe(1);
  });
});

describe('one live booking per pupil and slot', () => {
  it('refuses a waitlisted booking of a pupil who already has a confirmed one in the slot', async () => {
    const slot = await worldSlot(ctx, world, '2027-05-03T08:00', '2027-05-03T12:00');
    await insert(row(slot, pupils()[0]!));
    // Waitlisted, so only the unique index can refuse it (a second confirmed row would also overlap the first).
    await expectRefusedBy('one_live', insert(row(slot, pupils()[0]!, { status: 'waitlisted' })));
    expect(await liveRows(slot.id)).toHaveLength(1);
  });

  it('refuses a waitlisted booking next to a waitlisted one of the same pupil in a slot', async () => {
    const slot = await worldSlot(ctx, world, '2027-05-04T08:00', '2027-05-04T12:00');
    await insert(row(slot, pupils()[1]!, { status: 'waitlisted' }));
    await expectRefusedBy('one_live', insert(row(slot, pupils()[1]!, { status: 'waitlisted', waitlist_position: 2 })));
  });

  it('takes a new booking of the pupil in the slot after the old one was cancelled', async () => {
    const slot = await worldSlot(ctx, world, '2027-05-05T08:00', '2027-05-05T12:00');
    const first = row(slot, pupils()[0]!);
    await insert(first);
    await setStatus(first.id, 'cancelled');
    await insert(row(slot, pupils()[0]!));
    expect(await slotTruth(ctx, slot.id)).toMatchObject({ bookedCount: 1, confirmed: 1, cancelled: 1 });
  });

  it('refuses bringing a cancelled booking back to life next to a live one of the same pupil', async () => {
    const slot = await worldSlot(ctx, world, '2027-05-06T08:00', '2027-05-06T12:00');
    const old = row(slot, pupils()[0]!, { status: 'cancelled' });
    await insert(old);
    await insert(row(slot, pupils()[0]!, { status: 'waitlisted' }));
    await expectRefusedBy('one_live', setStatus(old.id, 'waitlisted'));
  });
});

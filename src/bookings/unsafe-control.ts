import type { DateTime } from 'luxon';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Db } from '../db/database.ts';
import type { SessionUser } from '../http/context.ts';
import { AppError, notFound } from '../http/errors.ts';
import { toDbInstant } from '../time/stockholm.ts';
import { newBookingRow, toBooking, type Booking } from './booking.ts';

/**
 * TEST-ONLY (BOOKING_UNSAFE_CONTROL, refused outside NODE_ENV=test). The naive way to book:
 * read the count, then insert, with no lock between them — the open race of many booking
 * systems. The concurrency tests drop the database's guards and run this to show that their
 * harness really does produce overbookings when nothing prevents them.
 */
export async function bookPupilUnsafely(db: Db, user: SessionUser, slotId: string, pupilId: string, now: DateTime): Promise<Booking> {
  const slot = await db.selectFrom('slots').select(['id', 'capacity', 'status', 'starts_at', 'ends_at']).where('id', '=', slotId).executeTakeFirst();
  if (!slot) throw notFound();
  const { count } = await db
    .selectFrom('bookings')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('slot_id', '=', slotId)
    .where('status', '=', 'confirmed')
    .executeTakeFirstOrThrow();
  if (Number(count) >= slot.capacity) throw new AppError('slot_full', { params: { left: 0, count: 1 } });
  await sleep(5); // the time a slower check would take
  const at = toDbInstant(now);
  const row = newBookingRow({ slot, pupilId, schoolId: user.schoolId!, bookedBy: user.id, at }, null);
  await db.insertInto('bookings').values(row).execute();
  return toBooking(row);
}

import type { DateTime } from 'luxon';
import type { Db } from '../db/database.ts';
import type { SessionUser } from '../http/context.ts';
import type { Locale } from '../i18n/index.ts';
import type { Occurrence, Slot } from '../slots/slots.service.ts';
import * as slots from '../slots/slots.service.ts';
import type { SlotFields } from '../slots/slots.schemas.ts';
import type { BookingActor } from './booking.ts';
import * as repo from './bookings.repository.ts';
import { cancelBookingsOfCancelledSlots } from './cancellation.service.ts';
import type { NotifyDeps } from './notifications.ts';
import { fillWaitingSeats } from './waitlist-sweep.ts';

/**
 * What a company's change to its slots means for bookings, in the same transaction: a
 * cancelled slot cancels its bookings and tells each school; more seats go to the waitlist.
 */

export async function cancelSlotWithBookings(db: Db, deps: NotifyDeps, user: SessionUser, actor: BookingActor, slotId: string, reason: string | null, now: DateTime): Promise<Slot> {
  await repo.lockSlot(db, slotId);
  await slots.cancelSlot(db, user, slotId, reason, now);
  await cancelBookingsOfCancelledSlots(db, deps, actor, [slotId], reason, now);
  return slots.getSlot(db, slotId);
}

export async function cancelSeriesWithBookings(db: Db, deps: NotifyDeps, user: SessionUser, actor: BookingActor, seriesId: string, reason: string | null, now: DateTime): Promise<number> {
  const ids = (await slots.getSeries(db, user, seriesId)).map((s) => s.id);
  await repo.lockSlots(db, ids);
  const count = await slots.cancelSeries(db, user, seriesId, reason, now);
  await cancelBookingsOfCancelledSlots(db, deps, actor, ids, reason, now);
  return count;
}

export async function updateSlotAndFill(db: Db, deps: NotifyDeps, user: SessionUser, actor: BookingActor, slotId: string, fields: SlotFields, occurrence: Occurrence, now: DateTime): Promise<Slot> {
  // Lock first, so the booked count the edit is checked against cannot change under it.
  await repo.lockSlot(db, slotId);
  await slots.updateSlot(db, user, slotId, fields, occurrence, now);
  // A slot with seats taken cannot move (slots.service), but one with only a waitlist can:
  // its waitlist places move with it, so every check and the database see the real time.
  await repo.moveLiveBookingsWithSlot(db, slotId);
  await fillWaitingSeats(db, deps, actor, [slotId], now);
  return slots.getSlot(db, slotId);
}

export async function updateSeriesAndFill(db: Db, deps: NotifyDeps, user: SessionUser, actor: BookingActor, seriesId: string, fields: SlotFields, now: DateTime, locale: Locale): Promise<number> {
  await repo.lockSlots(db, (await slots.getSeries(db, user, seriesId)).map((s) => s.id));
  const count = await slots.updateSeries(db, user, seriesId, fields, now, locale);
  await fillWaitingSeats(db, deps, actor, (await slots.getSeries(db, user, seriesId)).map((s) => s.id), now);
  return count;
}

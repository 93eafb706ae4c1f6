import type { DateTime } from 'luxon';
import type { Db } from '../db/database.ts';
import type { CancelParty } from '../db/types.ts';
import type { SessionUser } from '../http/context.ts';
import { AppError, forbidden, notFound } from '../http/errors.ts';
import { holdOn, roundHolds, type RoundHold } from '../scheduler/round-holds.ts';
import { fromDbInstant, toDbInstant } from '../time/stockholm.ts';
import { recordChanges, type BookingChange } from './audit.ts';
import { promotionPatch, toBooking, type Booking, type BookingActor } from './booking.ts';
import * as repo from './bookings.repository.ts';
import { rethrowAsBookingError } from './constraints.ts';
import { sendNotices, type Notice, type NotifyDeps } from './notifications.ts';

export interface Cancellation {
  cancelled: Booking;
  /** Pupils moved up from the waitlist into the freed seat (none if nobody fitted). */
  promoted: Booking[];
}

/** Is a cancellation this close to the start late? (LATE_CANCELLATION_HOURS) */
export function isLate(startsAt: string, now: DateTime, lateHours: number): boolean {
  return fromDbInstant(startsAt).diff(now, 'hours').hours < lateHours;
}

/**
 * A counsellor cancels one of their school's bookings, with a reason. Cancelling a cancelled
 * booking changes nothing. A freed seat goes to the first waitlisted pupil who still fits, in
 * the same transaction.
 */
export async function cancelBooking(db: Db, deps: NotifyDeps, user: SessionUser, actor: BookingActor, bookingId: string, reason: string | null, now: DateTime): Promise<Cancellation> {
  const found = await repo.findBooking(db, bookingId);
  if (user.role !== 'counsellor') throw forbidden();
  // Another school's booking is not found, as on the pages: its id tells nothing.
  if (!found || user.schoolId !== found.school_id) throw notFound();
  await repo.lockSlot(db, found.slot_id);
  // Read again under the slot's lock: another request may have changed it meanwhile.
  const row = (await repo.findBooking(db, bookingId))!;
  if (row.status === 'cancelled') return { cancelled: toBooking(row), promoted: [] };
  if (row.starts_at <= toDbInstant(now)) throw new AppError('booking_past');
  const notices: Notice[] = [];
  const cancelled = await cancelRow(db, row, { party: 'school', reason, userId: user.id }, now, deps.config.lateCancellationHours);
  await recordChanges(db, actor, [cancelled.change], now);
  notices.push({ kind: 'cancelled', slotId: row.slot_id, schoolId: row.school_id, pupilIds: [row.pupil_id], party: 'school', reason, counsellorIds: [user.id], confirmed: row.status === 'confirmed' });
  const promoted = row.status === 'confirmed' ? await promoteWaitlisted(db, actor, row.slot_id, now, notices) : [];
  await sendNotices(db, deps, notices, now);
  return { cancelled: cancelled.booking, promoted };
}

interface How {
  party: CancelParty;
  reason: string | null;
  userId: string | null;
}

async function cancelRow(db: Db, row: repo.BookingRow, how: How, now: DateTime, lateHours: number): Promise<{ booking: Booking; change: BookingChange }> {
  const at = toDbInstant(now);
  // Only giving up a seat can be late; leaving a waitlist never is.
  const late = row.status === 'confirmed' && isLate(row.starts_at, now, lateHours) ? 1 : 0;
  const patch = { status: 'cancelled' as const, cancelled_at: at, cancelled_by: how.userId, cancelled_party: how.party, cancel_reason: how.reason, cancelled_late: late, updated_at: at };
  await repo.updateBooking(db, row.id, patch);
  return {
    booking: toBooking({ ...row, ...patch }),
    change: { booking: row, action: 'cancelled', from: row.status, to: 'cancelled', detail: { party: how.party, reason: how.reason, late: late === 1 } },
  };
}

/**
 * Fills the slot's free seats from its waitlist, first come first served, skipping pupils who
 * meanwhile got a clashing booking, who no longer fit the grades, or whom a round holds (its
 * wishes are open: the seat is the round's to give, as bookPupils refuses them too). Skipped
 * pupils keep their place in the queue. The caller holds the slot's lock. Adds the counsellors'
 * and the company's notices to `notices`.
 */
export async function promoteWaitlisted(db: Db, actor: BookingActor, slotId: string, now: DateTime, notices: Notice[]): Promise<Booking[]> {
  const slot = await repo.lockSlot(db, slotId);
  if (!slot || slot.status !== 'published' || slot.starts_at <= toDbInstant(now)) return [];
  let left = slot.capacity - slot.booked_count;
  if (left <= 0) return [];
  const grades = await repo.gradesOfSlot(db, slotId);
  const promoted: repo.BookingRow[] = [];
  const waitlist = await repo.waitlistOf(db, slotId);
  // Lock them all at once, in id order like every other booking, so two changes never wait on each other in a circle.
  const pupils = new Map((await repo.lockPupils(db, waitlist.map((w) => w.pupil_id))).map((p) => [p.id, p]));
  const holds = new Map<string, RoundHold[]>();
  for (const waiting of waitlist) {
    if (left <= 0) break;
    const pupil = pupils.get(waiting.pupil_id);
    if (!pupil || !grades.includes(pupil.grade)) continue;
    if (!holds.has(pupil.school_id)) holds.set(pupil.school_id, await roundHolds(db, slot, pupil.school_id, now));
    if (holdOn(holds.get(pupil.school_id)!, pupil.grade)) continue;
    // The slot's own time, not the booking's copy: the slot may have moved since the pupil queued.
    if ((await repo.confirmedClashes(db, [pupil.id], slot.starts_at, slot.ends_at, slotId)).length > 0) continue;
    const at = toDbInstant(now);
    const patch = promotionPatch(slot, at);
    await repo.updateBooking(db, waiting.id, patch).catch(rethrowAsBookingError);
    promoted.push({ ...waiting, ...patch });
    left--;
  }
  await recordChanges(db, actor, promoted.map((row) => ({ booking: row, action: 'promoted', from: 'waitlisted', to: 'confirmed' })), now);
  for (const schoolId of new Set(promoted.map((r) => r.school_id))) {
    const ofSchool = promoted.filter((r) => r.school_id === schoolId);
    notices.push({ kind: 'promoted', slotId, schoolId, pupilIds: ofSchool.map((r) => r.pupil_id), counsellorIds: ofSchool.flatMap((r) => (r.booked_by ? [r.booked_by] : [])) });
  }
  return promoted.map(toBooking);
}

/**
 * After a company cancelled slots (slots.service), cancels their live bookings and tells each
 * school, once per slot. Runs in the transaction that cancelled the slots.
 */
export async function cancelBookingsOfCancelledSlots(db: Db, deps: NotifyDeps, actor: BookingActor, slotIds: readonly string[], reason: string | null, now: DateTime): Promise<number> {
  const slots = (await repo.lockSlots(db, slotIds)).filter((s) => s.status === 'cancelled');
  const rows = await repo.liveBookingsOfSlots(db, slots.map((s) => s.id));
  const changes: BookingChange[] = [];
  for (const row of rows) changes.push((await cancelRow(db, row, { party: 'company', reason, userId: actor.userId }, now, deps.config.lateCancellationHours)).change);
  await recordChanges(db, actor, changes, now);
  await sendNotices(db, deps, groupNotices(rows, 'company', reason, []), now);
  return rows.length;
}

/**
 * Cancels every live booking that has not started for these pupils of the counsellor's school
 * (before they are removed at the end of a term), freeing their seats for the waitlists.
 */
export async function cancelLiveBookingsOfPupils(db: Db, deps: NotifyDeps, user: SessionUser, pupilIds: string[], reason: string | null, now: DateTime, via: 'ui' | 'api'): Promise<number> {
  if (user.role !== 'counsellor' || !user.schoolId) throw forbidden();
  const actor: BookingActor = { userId: user.id, role: user.role, via, ip: null };
  const found = await repo.futureLiveBookingsOfPupils(db, pupilIds, toDbInstant(now));
  if (found.some((r) => r.school_id !== user.schoolId)) throw forbidden();
  const slotIds = [...new Set(found.map((r) => r.slot_id))].sort();
  await repo.lockSlots(db, slotIds);
  await repo.lockPupils(db, pupilIds);
  const rows = await repo.futureLiveBookingsOfPupils(db, pupilIds, toDbInstant(now));
  // A booking made between the first read and the locks: lock its slot too (rare, so out of order).
  const lateSlots = [...new Set(rows.map((r) => r.slot_id))].filter((id) => !slotIds.includes(id)).sort();
  await repo.lockSlots(db, lateSlots);
  const changes: BookingChange[] = [];
  for (const row of rows) changes.push((await cancelRow(db, row, { party: 'school', reason, userId: user.id }, now, deps.config.lateCancellationHours)).change);
  await recordChanges(db, actor, changes, now);
  const notices = groupNotices(rows, 'school', reason, [user.id]);
  for (const slotId of [...slotIds, ...lateSlots]) await promoteWaitlisted(db, actor, slotId, now, notices);
  await sendNotices(db, deps, notices, now);
  return rows.length;
}

/**
 * One notice per slot and school, as one mail tells a school about all its pupils on a slot.
 * A school's own cancellations are split into seats and waitlist places, as only seats concern the company.
 */
function groupNotices(rows: repo.BookingRow[], party: CancelParty, reason: string | null, counsellorIds: string[]): Notice[] {
  const groups = new Map<string, repo.BookingRow[]>();
  for (const row of rows) {
    const key = party === 'company' ? `${row.slot_id} ${row.school_id}` : `${row.slot_id} ${row.school_id} ${row.status}`;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  return [...groups.values()].map((group): Notice => ({
    kind: 'cancelled',
    slotId: group[0]!.slot_id,
    schoolId: group[0]!.school_id,
    pupilIds: group.map((r) => r.pupil_id),
    party,
    reason,
    counsellorIds: counsellorIds.length > 0 ? counsellorIds : group.flatMap((r) => (r.booked_by ? [r.booked_by] : [])),
    confirmed: group.some((r) => r.status === 'confirmed'),
  }));
}

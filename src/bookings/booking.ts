import type { Attendance, BookingStatus, CancelParty } from '../db/types.ts';
import { newId } from '../auth/secrets.ts';
import type { BookingRow } from './bookings.repository.ts';

/** A booking as the rest of the app sees it. */
export interface Booking {
  id: string;
  slotId: string;
  pupilId: string;
  schoolId: string;
  status: BookingStatus;
  startsAt: string;
  endsAt: string;
  waitlistedAt: string | null;
  confirmedAt: string | null;
  cancelledAt: string | null;
  cancelledParty: CancelParty | null;
  cancelReason: string | null;
  cancelledLate: boolean;
  attendance: Attendance | null;
  createdAt: string;
  updatedAt: string;
}

/**
 * A new booking's row: confirmed, or waitlisted at `waitlistPosition`. It carries the slot's
 * time, so the database can refuse a pupil in two places at once.
 */
export function newBookingRow(
  b: { slot: { id: string; starts_at: string; ends_at: string }; pupilId: string; schoolId: string; bookedBy: string; at: string },
  waitlistPosition: number | null,
): BookingRow {
  const confirmed = waitlistPosition === null;
  return {
    id: newId(),
    slot_id: b.slot.id,
    pupil_id: b.pupilId,
    school_id: b.schoolId,
    status: confirmed ? 'confirmed' : 'waitlisted',
    starts_at: b.slot.starts_at,
    ends_at: b.slot.ends_at,
    waitlisted_at: confirmed ? null : b.at,
    waitlist_position: waitlistPosition,
    confirmed_at: confirmed ? b.at : null,
    booked_by: b.bookedBy,
    cancelled_at: null,
    cancelled_by: null,
    cancelled_party: null,
    cancel_reason: null,
    cancelled_late: 0,
    attendance: null,
    attendance_at: null,
    attendance_by: null,
    created_at: b.at,
    updated_at: b.at,
  };
}

export function toBooking(row: BookingRow): Booking {
  return {
    id: row.id,
    slotId: row.slot_id,
    pupilId: row.pupil_id,
    schoolId: row.school_id,
    status: row.status,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    waitlistedAt: row.waitlisted_at,
    confirmedAt: row.confirmed_at,
    cancelledAt: row.cancelled_at,
    cancelledParty: row.cancelled_party,
    cancelReason: row.cancel_reason,
    cancelledLate: row.cancelled_late === 1,
    attendance: row.attendance,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Who changed a booking, and through what: kept in the audit trail. A null user is the system. */
export interface BookingActor {
  userId: string | null;
  role: string | null;
  via: 'ui' | 'api' | 'system';
  ip: string | null;
}

/**
 * A waitlist place confirmed (by a freed seat or by an allocation): the slot's current time,
 * out of the queue (no position); waitlisted_at stays as the record of when the pupil joined it.
 */
export const promotionPatch = (slot: { starts_at: string; ends_at: string }, at: string) => ({
  status: 'confirmed' as const,
  starts_at: slot.starts_at,
  ends_at: slot.ends_at,
  confirmed_at: at,
  waitlist_position: null,
  updated_at: at,
});

/** The system's own changes (the CLI, the background sweep): no user, no address. */
export const SYSTEM_ACTOR: BookingActor = { userId: null, role: null, via: 'system', ip: null };

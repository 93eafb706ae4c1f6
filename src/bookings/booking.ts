import type { Attendance, BookingStatus, CancelParty } from '../db/types.ts';
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

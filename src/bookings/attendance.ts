import type { DateTime } from 'luxon';
import type { Db } from '../db/database.ts';
import type { Attendance } from '../db/types.ts';
import type { SessionUser } from '../http/context.ts';
import { AppError, forbidden, invalidFields, notFound, type FieldProblems } from '../http/errors.ts';
import { fromDbInstant, toDbInstant } from '../time/stockholm.ts';
import { recordChanges, type BookingChange } from './audit.ts';
import type { BookingActor } from './booking.ts';
import * as repo from './bookings.repository.ts';

export const ATTENDANCE = ['present', 'absent'] as const satisfies readonly Attendance[];

/** How long after a slot has ended the company may still fill in or correct attendance. */
export const ATTENDANCE_DAYS_AFTER = 30;

export type AttendanceWindow = 'not_started' | 'open' | 'closed';

/** Attendance can be marked from the slot's start until ATTENDANCE_DAYS_AFTER days after its end. */
export function attendanceWindow(startsAt: string, endsAt: string, now: DateTime): AttendanceWindow {
  if (now < fromDbInstant(startsAt)) return 'not_started';
  if (now >= fromDbInstant(endsAt).plus({ days: ATTENDANCE_DAYS_AFTER })) return 'closed';
  return 'open';
}

/** The form field that holds one booking's attendance (and names its problem). */
export const attendanceField = (bookingId: string): string => `attendance_${bookingId}`;

export interface AttendanceMark {
  bookingId: string;
  attendance: Attendance;
}

/**
 * The company marks who came to one of its own slots: present or absent, per confirmed
 * booking. All marks are kept or none (a booking that is no longer confirmed is named).
 * Only real changes are written, each with an 'attendance' event in the audit trail.
 * Run it in a transaction: the slot is locked first, as every booking change does.
 */
export async function markAttendance(db: Db, user: SessionUser, actor: BookingActor, slotId: string, marks: AttendanceMark[], now: DateTime): Promise<{ changed: number }> {
  if (user.role !== 'company_coordinator' || !user.companyId) throw forbidden();
  const slot = await repo.lockSlot(db, slotId);
  // Another company's slot is "not found": ids reveal nothing.
  if (!slot || slot.company_id !== user.companyId) throw notFound();
  if (slot.status === 'cancelled') throw new AppError('slot_cancelled');
  const window = attendanceWindow(slot.starts_at, slot.ends_at, now);
  if (window === 'not_started') throw invalidFields({ attendance: { key: 'company_bookings.attendance_not_started' } });
  if (window === 'closed') throw invalidFields({ attendance: { key: 'company_bookings.attendance_closed', params: { days: ATTENDANCE_DAYS_AFTER } } });

  // The last mark of a booking wins, should one come twice.
  const wanted = new Map(marks.map((m) => [m.bookingId, m.attendance]));
  if (wanted.size === 0) throw invalidFields({ attendance: { key: 'company_bookings.attendance_choose' } });
  const rows = new Map((await repo.bookingsOfSlot(db, slotId)).filter((r) => r.status === 'confirmed').map((r) => [r.id, r]));
  const problems: FieldProblems = {};
  for (const bookingId of wanted.keys()) {
    if (!rows.has(bookingId)) problems[attendanceField(bookingId)] = { key: 'company_bookings.attendance_not_booked' };
  }
  if (Object.keys(problems).length > 0) throw invalidFields(problems);

  const at = toDbInstant(now);
  const changes: BookingChange[] = [];
  for (const [bookingId, attendance] of wanted) {
    const row = rows.get(bookingId)!;
    if (row.attendance === attendance) continue;
    await repo.updateBooking(db, row.id, { attendance, attendance_at: at, attendance_by: user.id, updated_at: at });
    // The booking stays confirmed; what changed is in the detail.
    changes.push({ booking: row, action: 'attendance', from: row.status, to: row.status, detail: { attendance, previous: row.attendance } });
  }
  await recordChanges(db, actor, changes, now);
  return { changed: changes.length };
}

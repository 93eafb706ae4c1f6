import type { DateTime } from 'luxon';
import { newId } from '../auth/secrets.ts';
import type { Db } from '../db/database.ts';
import { toDbInstant } from '../time/stockholm.ts';
import type { BookingActor } from './booking.ts';
import * as repo from './bookings.repository.ts';

export type BookingAction = 'booked' | 'waitlisted' | 'promoted' | 'cancelled' | 'attendance';

export interface BookingChange {
  booking: { id: string; slot_id: string; pupil_id: string; school_id: string };
  action: BookingAction;
  from: string | null;
  to: string | null;
  detail?: Record<string, unknown>;
}

/** Writes the audit trail for changes, in the transaction that made them: who, when, what, from where. */
export async function recordChanges(db: Db, actor: BookingActor, changes: BookingChange[], now: DateTime): Promise<void> {
  const at = toDbInstant(now);
  await repo.insertEvents(
    db,
    changes.map((c) => ({
      id: newId(),
      booking_id: c.booking.id,
      slot_id: c.booking.slot_id,
      pupil_id: c.booking.pupil_id,
      school_id: c.booking.school_id,
      action: c.action,
      from_status: c.from,
      to_status: c.to,
      actor_id: actor.userId,
      actor_role: actor.role,
      via: actor.via,
      ip: actor.ip,
      detail: c.detail ? JSON.stringify(c.detail) : null,
      at,
    })),
  );
}

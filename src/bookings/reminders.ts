import type { DateTime } from 'luxon';
import type { Db } from '../db/database.ts';
import { inTransaction } from '../db/transaction.ts';
import { toDbInstant } from '../time/stockholm.ts';
import { sendNotices, type Notice, type NotifyDeps } from './notifications.ts';

/**
 * Two days before a slot, its schools' counsellors (those who booked the pupils) and the
 * company's coordinators get a reminder with the pupils who come. Runs every 15 minutes in
 * every app instance (server.ts): each slot is claimed with a conditional update in the same
 * transaction that queues its mails, so however many instances run, a slot is reminded once.
 * A slot booked only after its reminder went out gets no second one.
 */

export const REMINDER_HOURS = 48;

/** Published slots starting within the next 48 hours, not yet reminded, with at least one confirmed booking. */
function slotsDue(db: Db, now: DateTime): Promise<{ id: string }[]> {
  return db
    .selectFrom('slots')
    .select('id')
    .where('status', '=', 'published')
    .where('reminder_sent_at', 'is', null)
    .where('starts_at', '>', toDbInstant(now))
    .where('starts_at', '<=', toDbInstant(now.plus({ hours: REMINDER_HOURS })))
    .where((eb) => eb.exists(eb.selectFrom('bookings').select('bookings.id').whereRef('bookings.slot_id', '=', 'slots.id').where('bookings.status', '=', 'confirmed')))
    .orderBy('starts_at')
    .orderBy('id')
    .execute();
}

/** Only the transaction whose update changed the row sends the slot's reminder. */
async function claimSlot(db: Db, slotId: string, now: DateTime): Promise<boolean> {
  const result = await db
    .updateTable('slots')
    .set({ reminder_sent_at: toDbInstant(now) })
    .where('id', '=', slotId)
    .where('reminder_sent_at', 'is', null)
    .where('status', '=', 'published')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** One reminder notice per school with confirmed pupils in the slot, to the counsellors who booked them. */
export async function reminderNotices(db: Db, slotId: string): Promise<Notice[]> {
  const rows = await db
    .selectFrom('bookings')
    .select(['pupil_id', 'school_id', 'booked_by'])
    .where('slot_id', '=', slotId)
    .where('status', '=', 'confirmed')
    .orderBy('school_id')
    .orderBy('id')
    .execute();
  const bySchool = new Map<string, { pupilIds: string[]; counsellorIds: Set<string> }>();
  for (const row of rows) {
    const school = bySchool.get(row.school_id) ?? { pupilIds: [], counsellorIds: new Set<string>() };
    school.pupilIds.push(row.pupil_id);
    if (row.booked_by) school.counsellorIds.add(row.booked_by);
    bySchool.set(row.school_id, school);
  }
  return [...bySchool].map(([schoolId, s]) => ({ kind: 'reminder', slotId, schoolId, pupilIds: s.pupilIds, counsellorIds: [...s.counsellorIds] }));
}

/** Sends the reminders that are due; returns how many slots were reminded (by this call). */
export async function sendReminders(db: Db, deps: NotifyDeps, now: DateTime): Promise<number> {
  let reminded = 0;
  const failures: unknown[] = [];
  for (const { id } of await slotsDue(db, now)) {
    try {
      const sent = await inTransaction(db, async (trx) => {
        if (!(await claimSlot(trx, id, now))) return false;
        await sendNotices(trx, deps, await reminderNotices(trx, id), now);
        return true;
      });
      if (sent) reminded++;
    } catch (error) {
      // One slot's failure (rolled back, so tried again next run) must not hold up the others.
      failures.push(error);
    }
  }
  if (failures.length > 0) throw new AggregateError(failures, `${failures.length} of the due reminders failed (${reminded} sent)`);
  return reminded;
}

import type { DateTime } from 'luxon';
import type { Db } from '../db/database.ts';
import { inTransaction } from '../db/transaction.ts';
import { toDbInstant } from '../time/stockholm.ts';
import { SYSTEM_ACTOR, type BookingActor } from './booking.ts';
import { promoteWaitlisted } from './cancellation.service.ts';
import { sendNotices, type Notice, type NotifyDeps } from './notifications.ts';

/**
 * Free seats while pupils wait. promoteWaitlisted runs whenever a seat frees, but it skips a
 * pupil a round holds (the round's seats are its to give), one who has a clashing booking, or
 * one whose grade the slot no longer takes. When that changes later — the round is committed
 * or its free-booking date passes, the clashing booking is cancelled — nothing happens on the
 * slot itself, so the pupil would stay first in line beside an empty seat. The commit fills
 * its round's slots at once; this sweep (every 15 minutes) fills the rest, with the same mails.
 */

/** Slots not yet begun with a free seat and someone waiting (only among `within`, when given). */
export async function slotsWithWaitingSeats(db: Db, now: DateTime, within?: readonly string[]): Promise<string[]> {
  const query = (ids?: readonly string[]) => {
    let q = db
      .selectFrom('slots as s')
      .select('s.id')
      .where('s.status', '=', 'published')
      .where('s.starts_at', '>', toDbInstant(now))
      .whereRef('s.booked_count', '<', 's.capacity')
      .where((eb) => eb.exists(eb.selectFrom('bookings as b').select('b.id').whereRef('b.slot_id', '=', 's.id').where('b.status', '=', 'waitlisted')));
    if (ids) q = q.where('s.id', 'in', [...ids]);
    return q.execute();
  };
  if (!within) return (await query()).map((r) => r.id).sort();
  const found: string[] = [];
  // A thousand at a time: well under both databases' limits on bound values.
  for (let i = 0; i < within.length; i += 1000) found.push(...(await query(within.slice(i, i + 1000))).map((r) => r.id));
  return found.sort();
}

/** Promotes the waitlists of these slots, in the caller's transaction (slots locked in id order), and mails who moved up. */
export async function fillWaitingSeats(db: Db, deps: NotifyDeps, actor: BookingActor, slotIds: readonly string[], now: DateTime): Promise<number> {
  const notices: Notice[] = [];
  let promoted = 0;
  for (const id of [...slotIds].sort()) promoted += (await promoteWaitlisted(db, actor, id, now, notices)).length;
  await sendNotices(db, deps, notices, now);
  return promoted;
}

/** The background sweep: each slot in its own short transaction. Returns how many pupils moved up. */
export async function sweepWaitingSeats(db: Db, deps: NotifyDeps, now: DateTime): Promise<number> {
  let promoted = 0;
  for (const id of await slotsWithWaitingSeats(db, now)) promoted += await inTransaction(db, (trx) => fillWaitingSeats(trx, deps, SYSTEM_ACTOR, [id], now));
  return promoted;
}

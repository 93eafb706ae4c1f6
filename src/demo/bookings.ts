import type { DateTime } from 'luxon';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import { actorOf, bookPupils } from '../bookings/booking.service.ts';
import { cancelBooking } from '../bookings/cancellation.service.ts';
import { AppError } from '../http/errors.ts';
import type { Mailer } from '../mail/mail.service.ts';
import { listPupilsOfSchool } from '../pupils/pupils.service.ts';
import { searchCatalogue } from '../slots/catalogue.ts';
import { approvedNetworkIdsOfSchool } from '../organisations/organisations.service.ts';
import { findUserByEmail, toSessionUser } from '../users/users.service.ts';

/** Which demo counsellors book, and how: a few small groups into the first slots their pupils may take. */
const PLANS = [
  { counsellor: 'syv@solbacke.example', groups: 4, size: 3 },
  { counsellor: 'syv@skogslund.example', groups: 3, size: 2 },
];

/**
 * Books demo pupils through the booking engine itself, so the demo's bookings obey every
 * rule: a handful of groups per school, one pupil on a waitlist, one cancelled booking.
 * A group that does not fit (a clash, a full slot) is simply skipped. Returns how many bookings.
 */
export async function createDemoBookings(db: Db, deps: { mailer: Mailer; config: Config }, now: DateTime): Promise<number> {
  let count = 0;
  for (const plan of PLANS) {
    const row = await findUserByEmail(db, plan.counsellor);
    if (!row?.school_id) continue;
    const user = toSessionUser(row);
    const actor = { ...actorOf(user, 'ui', null), via: 'system' as const };
    const pupils = await listPupilsOfSchool(db, row.school_id);
    const page = await searchCatalogue(db, { networkIds: await approvedNetworkIdsOfSchool(db, row.school_id) }, { page: 1 }, now);
    let next = 0;
    let groups = 0;
    for (const slot of page.slots) {
      if (groups >= plan.groups || next >= pupils.length) break;
      const group = pupils.slice(next, next + plan.size).filter((p) => slot.grades.includes(p.grade as never));
      if (group.length === 0) continue;
      try {
        const made = await db.transaction().execute((trx) => bookPupils(trx, deps, user, actor, { slotId: slot.id, pupilIds: group.map((p) => p.id), waitlist: true }, now));
        count += made.length;
        next += group.length;
        groups++;
        // The school changes its mind about one pupil, to show a cancellation with a reason.
        if (groups === 2) await db.transaction().execute((trx) => cancelBooking(trx, deps, user, actor, made[0]!.id, 'Eleven byter till ett annat pass.', now));
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
      }
    }
  }
  return count;
}

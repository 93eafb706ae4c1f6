import type { DateTime } from 'luxon';
import { cancelLiveBookingsOfPupils } from '../bookings/booking.service.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import type { SessionUser } from '../http/context.ts';
import type { Mailer } from '../mail/mail.service.ts';
import { toDbInstant } from '../time/stockholm.ts';
import * as repo from './pupils.repository.ts';
import { listPupilsOfSchool, pupilsOfSchoolByIds, schoolOf, type Pupil } from './pupils.service.ts';

/**
 * Taking pupils out of the register (one pupil, or whole classes at the end of a term). Their
 * bookings that have not started are cancelled first, the proper way: the companies are told
 * and the freed seats go to the waitlists. Then the pupils go, with every booking row of theirs
 * (the audit trail keeps no names). Call inside one transaction: all of it happens, or none.
 */

export interface RemovalDeps {
  mailer: Mailer;
  config: Config;
}

export interface RemovalChoice {
  classes: readonly string[];
  all: boolean;
}

/** The pupils a removal would take: the whole school, or the chosen classes. */
export async function pupilsChosenForRemoval(db: Db, actor: SessionUser, choice: RemovalChoice): Promise<Pupil[]> {
  const pupils = await listPupilsOfSchool(db, schoolOf(actor));
  if (choice.all) return pupils;
  const classes = new Set(choice.classes);
  return pupils.filter((p) => classes.has(p.className));
}

/** How many bookings that have not started (confirmed or on a waitlist) these pupils have. */
export function upcomingBookingCount(db: Db, pupils: readonly Pupil[], now: DateTime): Promise<number> {
  return repo.countUpcomingLiveBookings(
    db,
    pupils.map((p) => p.id),
    toDbInstant(now),
  );
}

export interface Removal {
  removed: number;
  cancelledBookings: number;
}

export async function removePupils(
  db: Db,
  deps: RemovalDeps,
  actor: SessionUser,
  pupilIds: readonly string[],
  reason: string | null,
  now: DateTime,
  via: 'ui' | 'api',
): Promise<Removal> {
  const schoolId = schoolOf(actor);
  const ids = (await pupilsOfSchoolByIds(db, schoolId, pupilIds)).map((p) => p.id);
  if (ids.length === 0) return { removed: 0, cancelledBookings: 0 };
  const cancelledBookings = await cancelLiveBookingsOfPupils(db, deps, actor, ids, reason, now, via);
  const removed = await repo.deletePupilRows(db, schoolId, ids);
  return { removed, cancelledBookings };
}

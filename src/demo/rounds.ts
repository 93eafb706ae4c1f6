import { DateTime } from 'luxon';
import type { Db } from '../db/database.ts';
import { seededRandom } from '../scheduler/solver.ts';
import { createRound } from '../scheduler/rounds.service.ts';
import { choicesOfSchool, setWishes } from '../scheduler/wishes.service.ts';
import { listPupilsOfSchool } from '../pupils/pupils.service.ts';
import { findUserByEmail, toSessionUser } from '../users/users.service.ts';
import { ZONE } from '../time/stockholm.ts';
import { TERM_WEEKS, termYear } from './term.ts';

/**
 * A round in Skaraborg whose wish window is open at the demo's "now": Skogslundsskolan and
 * Kullens skola, each with its own prao week after the window closes. Most of Skogslund's
 * pupils have ranked their wishes themselves, through their links (a few very popular places,
 * as in real life); some have not. So the coordinator can preview an allocation at once
 * (choosing to run it before the window closes) and a pupil can open their link and rank wishes.
 */
const COORDINATOR = 'samordnare.skaraborg@teknikprao.example';
const SCHOOLS = ['Skogslundsskolan', 'Kullens skola'];
const WISHING_SCHOOL = 'Skogslundsskolan';

const monday = (year: number, week: number) => DateTime.fromObject({ weekYear: year, weekNumber: week, weekday: 1 }, { zone: ZONE });

export async function createDemoRound(db: Db, now: DateTime): Promise<number> {
  const row = await findUserByEmail(db, COORDINATOR);
  if (!row?.network_id) return 0;
  const coordinator = toSessionUser(row);
  const local = now.setZone(ZONE).startOf('day');
  const wishesOpenAt = local.minus({ days: 3 });
  const wishesCloseAt = local.plus({ days: 14 });
  // Each school's week: term weeks that begin after the window has closed, skipping the first
  // (the demo's bookings by hand fill the first weeks' slots) when the term leaves room for it.
  const year = termYear(now);
  const after: number[] = [];
  for (let w = TERM_WEEKS.first; w <= TERM_WEEKS.last; w++) if (monday(year, w) > wishesCloseAt) after.push(w);
  if (after.length < SCHOOLS.length) return 0;
  const weeks = after.length > SCHOOLS.length ? after.slice(1) : after;
  const schools = await db.selectFrom('schools').select(['id', 'name']).where('name', 'in', SCHOOLS).execute();
  const round = await db.transaction().execute((trx) =>
    createRound(
      trx,
      coordinator,
      row.network_id!,
      {
        name: `Prao vt ${year}`,
        schools: SCHOOLS.map((name, i) => ({ schoolId: schools.find((s) => s.name === name)!.id, from: monday(year, weeks[i]!).toISODate()!, to: monday(year, weeks[i]!).plus({ days: 4 }).toISODate()! })),
        wishesOpenAt,
        wishesCloseAt,
        maxWishes: 5,
        grades: ['8', '9'],
        allocationPlannedAt: wishesCloseAt.plus({ days: 1 }).set({ hour: 9 }),
        freeBookingOpensAt: wishesCloseAt.plus({ days: 3 }).set({ hour: 8 }),
        placeWithoutWishes: false,
        schoolShareCaps: false,
      },
      now,
    ),
  );
  const school = round.schools.find((s) => s.schoolName === WISHING_SCHOOL)!;
  const choices = await choicesOfSchool(db, round, school.schoolId, now);
  const random = seededRandom(2027);
  let wished = 0;
  for (const [i, pupil] of (await listPupilsOfSchool(db, school.schoolId)).entries()) {
    // Every third pupil has not chosen yet.
    if (i % 3 === 2) continue;
    const open = choices.forPupil(pupil);
    if (open.length === 0) continue;
    const picks = new Set<string>();
    for (let tries = 0; picks.size < Math.min(5, open.length) && tries < 100; tries++) picks.add(open[Math.floor(open.length * random() ** 2.5)]!.id);
    await db.transaction().execute((trx) => setWishes(trx, round, pupil, [...picks], null, now));
    wished++;
  }
  return wished;
}

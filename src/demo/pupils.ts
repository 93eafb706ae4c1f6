import type { DateTime } from 'luxon';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import { issueMissingLinks } from '../pupils/links.ts';
import { pupilFieldsSchema, GENDERS, gradeFromClassName } from '../pupils/pupils.schemas.ts';
import { createPupils, listPupilsOfSchool } from '../pupils/pupils.service.ts';
import { ZONE } from '../time/stockholm.ts';
import { findUserByEmail, toSessionUser } from '../users/users.service.ts';

// The demo schools' class lists. Every name is made up: first and last names from common
// Swedish lists, paired by a fixed rule, so the same data comes back on every start.

const GIVEN = [
  'Alva', 'Elias', 'Maja', 'Noah', 'Ella', 'Hugo', 'Alice', 'Liam', 'Selma', 'Omar', 'Wilma', 'Adam', 'Saga', 'Ali',
  'Nora', 'Theo', 'Leah', 'Isak', 'Amira', 'Viktor', 'Ebba', 'Yusuf', 'Freja', 'Oscar', 'Tyra', 'Leo', 'Hanna', 'Milo',
  'Lova', 'Nils', 'Juni', 'Sami', 'Ines', 'Albin', 'Meja', 'Arvid', 'Sara', 'Malte', 'Linnea', 'Emil',
];
const FAMILY = [
  'Andersson', 'Berg', 'Lindqvist', 'Hassan', 'Nyberg', 'Ek', 'Holm', 'Karlsson', 'Sandberg', 'Öberg', 'Ahmadi', 'Lund',
  'Åström', 'Forsberg', 'Nilsson', 'Sjöberg', 'Ali', 'Dahl', 'Engström', 'Wikström', 'Jovanović', 'Strand', 'Virtanen',
];

/** Which demo accounts' schools get which classes, and how many pupils each. */
const CLASSES: { counsellor: string; className: string; pupils: number; links: boolean }[] = [
  { counsellor: 'syv@solbacke.example', className: '8A', pupils: 12, links: true },
  { counsellor: 'syv@solbacke.example', className: '9A', pupils: 10, links: false },
  { counsellor: 'syv@skogslund.example', className: '8B', pupils: 10, links: true },
  { counsellor: 'syv@skogslund.example', className: '9B', pupils: 8, links: false },
];

/** A school year starts in August; a pupil is in åk N the autumn they turn N + 6. */
function birthYearFor(grade: number, now: DateTime): number {
  const local = now.setZone(ZONE);
  const schoolYearStart = local.month >= 8 ? local.year : local.year - 1;
  return schoolYearStart - 6 - grade;
}

/**
 * Adds the class lists through the register's own service, each as the school's demo
 * counsellor, and gives the pupils of some classes their personal links. Returns how many.
 */
export async function createDemoPupils(db: Db, config: Config, now: DateTime): Promise<number> {
  let count = 0;
  let n = 0;
  for (const group of CLASSES) {
    const row = await findUserByEmail(db, group.counsellor);
    if (!row) continue;
    const counsellor = toSessionUser(row);
    const grade = gradeFromClassName(group.className)!;
    const list = Array.from({ length: group.pupils }, (_, i) => {
      n++;
      return pupilFieldsSchema.parse({
        givenName: GIVEN[(n * 7) % GIVEN.length],
        familyName: FAMILY[(n * 5) % FAMILY.length],
        className: group.className,
        grade,
        birthYear: birthYearFor(Number(grade), now),
        // Mostly answered, sometimes not: the register allows both.
        gender: i % 6 === 5 ? null : GENDERS[[0, 1, 0, 1, 2 + (n % 2)][i % 6] ?? 0],
        protectedIdentity: i === 3,
      });
    });
    await createPupils(db, counsellor, list, now);
    if (group.links) {
      const pupils = await listPupilsOfSchool(db, counsellor.schoolId!, { className: group.className });
      await issueMissingLinks(db, config.sessionSecret, pupils, now);
    }
    count += list.length;
  }
  return count;
}

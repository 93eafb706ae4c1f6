import type { DateTime } from 'luxon';
import type { Db } from '../db/database.ts';
import type { PlacementKind } from '../db/types.ts';
import { AppError, invalidFields, notFound, type FieldProblems } from '../http/errors.ts';
import type { Pupil } from '../pupils/pupils.service.ts';
import { toDbInstant } from '../time/stockholm.ts';
import { bookingsAgainstRound } from './eligibility.ts';
import { placementsForPupil, placementsOfRound, type Placement } from './placements.ts';
import { wishesOpen, type Round } from './round.ts';
import * as repo from './rounds.repository.ts';

/**
 * Wishes: during the window a pupil (from their link) or their counsellor ranks up to N
 * placements. A list is always replaced whole; when it was entered never matters, so no time
 * of entry is kept for ranking (updated_at is only a record).
 */
export interface Wish {
  rank: number;
  placementId: string;
  kind: PlacementKind;
  /** The counsellor who entered the list, or null for the pupil's own link. */
  enteredBy: string | null;
}

const toWish = (row: repo.WishRow): Wish => ({ rank: row.rank, placementId: row.placementId, kind: row.kind, enteredBy: row.enteredBy });

/** Does the pupil take part: their school is in the round, and their grade is one of its grades. */
export const pupilInRound = (round: Round, pupil: Pick<Pupil, 'schoolId' | 'grade'>): boolean =>
  round.schools.some((s) => s.schoolId === pupil.schoolId) && round.grades.includes(pupil.grade);

export async function wishesOf(db: Db, roundId: string, pupilId: string): Promise<Wish[]> {
  return (await repo.wishRows(db, roundId, [pupilId])).map(toWish);
}

/** The wishes of several pupils (pupil id → wishes in rank order; pupils without wishes are left out). */
export async function wishesOfPupils(db: Db, roundId: string, pupilIds: readonly string[]): Promise<Map<string, Wish[]>> {
  const byPupil = new Map<string, Wish[]>();
  for (const row of await repo.wishRows(db, roundId, pupilIds)) byPupil.set(row.pupilId, [...(byPupil.get(row.pupilId) ?? []), toWish(row)]);
  return byPupil;
}

/** Per participating school: pupils in the round and how many of them have wishes. */
export const wishCounts = (db: Db, round: Round) => repo.pupilCountsOfRound(db, round);

/** What the pupils of one school may choose from, and what their own bookings rule out. */
export interface SchoolChoices {
  /** Every placement of the round, by id (to name the ones wished for, even if no longer to be had). */
  byId: Map<string, Placement>;
  /** The placements inside the school's dates that the pupil's grade may take. */
  eligible(pupil: Pick<Pupil, 'grade'>): Placement[];
  /** Placements that overlap one of the pupil's confirmed bookings. */
  clashesOf(pupilId: string): ReadonlySet<string>;
  /** The placements one pupil may wish for now: eligible, and no clash with their bookings. */
  forPupil(pupil: Pick<Pupil, 'id' | 'grade'>): Placement[];
  /** The round placement a pupil is already booked into by hand, if any. */
  bookedByHand(pupilId: string): Placement | undefined;
}

export async function choicesOfSchool(db: Db, round: Round, schoolId: string, now: DateTime): Promise<SchoolChoices> {
  const { all, bySchool } = await placementsOfRound(db, round, now);
  const own = bySchool.get(schoolId) ?? [];
  const against = await bookingsAgainstRound(db, new Map([[schoolId, own]]), now);
  const byId = new Map(all.map((p) => [p.id, p]));
  const eligible = (pupil: Pick<Pupil, 'grade'>) => placementsForPupil(bySchool, schoolId, pupil.grade);
  const clashesOf = (pupilId: string): ReadonlySet<string> => against.clashes.get(pupilId) ?? new Set();
  return {
    byId,
    eligible,
    clashesOf,
    forPupil: (pupil) => {
      const clashes = clashesOf(pupil.id);
      return eligible(pupil).filter((p) => !clashes.has(p.id));
    },
    bookedByHand: (pupilId) => {
      const id = against.bookedByHand.get(pupilId);
      return id === undefined ? undefined : byId.get(id);
    },
  };
}

/** Each wish's problem, named by its rank ("Önskemål 2: …") at `placements.<index>`. */
function wishProblems(round: Round, placementIds: readonly string[], eligible: Map<string, Placement>, clashes: ReadonlySet<string>): FieldProblems {
  const problems: FieldProblems = {};
  if (placementIds.length > round.maxWishes) problems.placements = { key: 'wishes.too_many', params: { max: round.maxWishes } };
  placementIds.forEach((id, i) => {
    const first = placementIds.indexOf(id);
    if (first < i) problems[`placements.${i}`] = { key: 'wishes.duplicate', params: { rank: i + 1, other: first + 1 } };
    else if (!eligible.has(id)) problems[`placements.${i}`] = { key: 'wishes.not_available', params: { rank: i + 1 } };
    else if (clashes.has(id)) problems[`placements.${i}`] = { key: 'wishes.clash', params: { rank: i + 1 } };
  });
  return problems;
}

/**
 * Replaces the pupil's whole list of wishes (placement ids in rank order). Only while the
 * window is open, only a pupil in the round, at most the round's number of wishes, no
 * placement twice, and each one a placement the pupil may have now: their school's dates and
 * their grade, and no clash with a booking they already have. Run it in a transaction.
 */
export async function setWishes(db: Db, round: Round, pupil: Pupil, placementIds: readonly string[], enteredBy: string | null, now: DateTime): Promise<Wish[]> {
  // The round row is locked so a commit cannot slip in between the check and the write.
  const current = await repo.lockRound(db, round.id);
  if (!current) throw notFound();
  if (!wishesOpen(current, now)) throw new AppError('wishes_closed');
  if (!pupilInRound(current, pupil)) throw new AppError('not_found', { fields: { pupilId: { key: 'wishes.pupil_not_in_round' } } });
  const choices = await choicesOfSchool(db, current, pupil.schoolId, now);
  const eligible = new Map(choices.eligible(pupil).map((p) => [p.id, p]));
  const problems = wishProblems(current, placementIds, eligible, choices.clashesOf(pupil.id));
  if (Object.keys(problems).length > 0) throw invalidFields(problems);
  const wishes = placementIds.map((id) => ({ placementId: id, kind: eligible.get(id)!.kind }));
  await repo.replaceWishRows(db, current.id, pupil.id, wishes, enteredBy, toDbInstant(now));
  return wishesOf(db, current.id, pupil.id);
}

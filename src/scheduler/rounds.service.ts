import type { DateTime } from 'luxon';
import { newId } from '../auth/secrets.ts';
import type { Db } from '../db/database.ts';
import type { SessionUser } from '../http/context.ts';
import { AppError, forbidden, invalidFields, notFound, type FieldProblems } from '../http/errors.ts';
import { approvedOrganisations } from '../organisations/organisations.service.ts';
import { toDbInstant } from '../time/stockholm.ts';
import { fitsGrade, placementsOfRound } from './placements.ts';
import type { Round } from './round.ts';
import * as repo from './rounds.repository.ts';
import { roundProblems, type RoundField, type RoundInput } from './rounds.schemas.ts';

/** Rounds: a network coordinator creates and changes their network's rounds. */

export interface SchoolChoice {
  id: string;
  name: string;
}

/** The schools that may take part: approved members of the network, by name. */
export async function schoolChoices(db: Db, networkId: string): Promise<SchoolChoice[]> {
  const { schools } = await approvedOrganisations(db, networkId);
  return schools.map((s) => ({ id: s.id, name: s.name }));
}

/** The coordinator's network (a coordinator without one may do nothing here). */
export function networkOf(actor: SessionUser): string {
  if (actor.role !== 'network_coordinator' || !actor.networkId) throw forbidden();
  return actor.networkId;
}

/** A round of the coordinator's own network; any other round is "not found", so ids reveal nothing. */
export async function getOwnRound(db: Db, actor: SessionUser, id: string): Promise<Round> {
  const round = await repo.findRound(db, id);
  if (!round || round.networkId !== networkOf(actor)) throw notFound();
  return round;
}

/** The rounds of the coordinator's network, newest wish window first. */
export const roundsOfOwnNetwork = (db: Db, actor: SessionUser): Promise<Round[]> => repo.roundsOfNetwork(db, networkOf(actor));

const rowValues = (input: RoundInput): repo.RoundRowValues => ({
  name: input.name,
  wishes_open_at: toDbInstant(input.wishesOpenAt),
  wishes_close_at: toDbInstant(input.wishesCloseAt),
  max_wishes: input.maxWishes,
  grades: input.grades.join(' '),
  allocation_planned_at: input.allocationPlannedAt ? toDbInstant(input.allocationPlannedAt) : null,
  free_booking_opens_at: input.freeBookingOpensAt ? toDbInstant(input.freeBookingOpensAt) : null,
  place_without_wishes: input.placeWithoutWishes ? 1 : 0,
  school_share_caps: input.schoolShareCaps ? 1 : 0,
});

/** Every problem with the input at once: between fields, and schools that are not approved members. */
async function assertValid(db: Db, networkId: string, input: RoundInput): Promise<void> {
  const choices = new Map((await schoolChoices(db, networkId)).map((s) => [s.id, s.name]));
  const problems = roundProblems(input, (id) => choices.get(id) ?? id);
  input.schools.forEach((s, i) => {
    if (!choices.has(s.schoolId)) problems[`schools.${i}.schoolId`] ??= { key: 'rounds.school_not_member' };
  });
  if (Object.keys(problems).length > 0) throw invalidFields(problems);
}

export async function createRound(db: Db, actor: SessionUser, networkId: string, input: RoundInput, now: DateTime): Promise<Round> {
  // Only the network's own coordinator: a platform admin sets up networks, not their rounds.
  if (actor.role !== 'network_coordinator' || actor.networkId !== networkId) throw forbidden();
  await assertValid(db, networkId, input);
  const id = newId();
  await repo.insertRound(db, { id, network_id: networkId, created_by: actor.id, created_at: toDbInstant(now), ...rowValues(input) });
  await repo.replaceRoundSchools(db, id, input.schools);
  return (await repo.findRound(db, id))!;
}

/**
 * What a committed allocation was made from: after a commit only the name and when free
 * booking opens may change (each other change is named, so the coordinator sees what to undo).
 */
function changesAfterCommit(round: Round, input: RoundInput): RoundField[] {
  const values = rowValues(input);
  const sameSchools =
    round.schools.length === input.schools.length &&
    input.schools.every((s) => round.schools.some((r) => r.schoolId === s.schoolId && r.from === s.from && r.to === s.to));
  const changed: [RoundField, boolean][] = [
    ['schools', !sameSchools],
    ['wishesOpen', values.wishes_open_at !== round.wishesOpenAt],
    ['wishesClose', values.wishes_close_at !== round.wishesCloseAt],
    ['maxWishes', values.max_wishes !== round.maxWishes],
    ['grades', [...input.grades].sort().join(' ') !== [...round.grades].sort().join(' ')],
    ['allocationPlanned', values.allocation_planned_at !== round.allocationPlannedAt],
    ['placeWithoutWishes', input.placeWithoutWishes !== round.placeWithoutWishes],
    ['schoolShareCaps', input.schoolShareCaps !== round.schoolShareCaps],
  ];
  return changed.filter(([, yes]) => yes).map(([field]) => field);
}

export async function updateRound(db: Db, actor: SessionUser, id: string, input: RoundInput, now: DateTime): Promise<Round> {
  const networkId = networkOf(actor);
  const round = await repo.lockRound(db, id);
  if (!round || round.networkId !== networkId) throw notFound();
  if (round.committedAllocationId) {
    const locked = changesAfterCommit(round, input);
    if (locked.length > 0) {
      const fields: FieldProblems = Object.fromEntries(locked.map((f) => [f, { key: 'rounds.locked_after_commit' }]));
      throw new AppError('round_committed', { fields });
    }
  }
  await assertValid(db, networkId, input);
  // Wishes already entered are never cut short behind the pupils' backs.
  const longest = await repo.longestWishList(db, id);
  if (input.maxWishes < longest) throw invalidFields({ maxWishes: { key: 'rounds.max_below_existing', params: { count: longest } } });
  await repo.updateRoundRow(db, id, rowValues(input), toDbInstant(now));
  await repo.replaceRoundSchools(db, id, input.schools);
  return (await repo.findRound(db, id))!;
}

export interface SchoolInRound {
  schoolId: string;
  schoolName: string;
  from: string;
  to: string;
  /** Pupils of the school in the round's grades. */
  pupils: number;
  withWishes: number;
  withoutWishes: number;
  /** Placements inside the school's dates that at least one of the round's grades may take. */
  placements: number;
}

/** Per school: dates, pupils in the round, with and without wishes, and how much there is to choose from. */
export async function schoolsInRound(db: Db, round: Round, now: DateTime): Promise<SchoolInRound[]> {
  const [counts, { bySchool }] = await Promise.all([repo.pupilCountsOfRound(db, round), placementsOfRound(db, round, now)]);
  return round.schools.map((s) => {
    const c = counts.get(s.schoolId) ?? { pupils: 0, withWishes: 0 };
    const placements = (bySchool.get(s.schoolId) ?? []).filter((p) => round.grades.some((g) => fitsGrade(p, g))).length;
    return { ...s, pupils: c.pupils, withWishes: c.withWishes, withoutWishes: c.pupils - c.withWishes, placements };
  });
}

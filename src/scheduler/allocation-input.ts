import { createHash } from 'node:crypto';
import type { DateTime } from 'luxon';
import type { Db } from '../db/database.ts';
import { bookingsAgainstRound } from './eligibility.ts';
import { fitsGrade, placementsOfRound, type Placement } from './placements.ts';
import type { Round } from './round.ts';
import { wishRows } from './rounds.repository.ts';
import type { SolverPupil } from './solver.ts';
import { letOthersIn } from './yield.ts';

/**
 * Everything an allocation reads, and the solver's instance made from it. Reading is the only
 * I/O here; building the instance and the fingerprint are pure, so a commit can read again
 * inside its transaction and refuse when anything differs from what the preview saw.
 */
export interface RoundPupil {
  id: string;
  schoolId: string;
  grade: string;
}

export interface AllocationSettings {
  placeWithoutWishes: boolean;
  schoolShareCaps: boolean;
}

export interface AllocationInput {
  round: Pick<Round, 'id' | 'grades' | 'schools'>;
  settings: AllocationSettings;
  /** The round's placements (index = the solver's placement index). */
  placements: Placement[];
  /** School id → the placements inside its prao dates. */
  bySchool: Map<string, Placement[]>;
  /** The pupils of the participating schools in the round's grades, by id. */
  pupils: RoundPupil[];
  /** Pupil id → wished placement ids by rank (index rank − 1; null where no wish has that rank). */
  wishes: Map<string, (string | null)[]>;
  bookedByHand: Map<string, string>;
  clashes: Map<string, Set<string>>;
  /**
   * Pupil id → slots of their school's placements they wait on the waitlist of (placing them
   * there confirms that waitlist place). Absent reads as none.
   */
  waitlisted?: Map<string, Set<string>>;
}

/** Why a wish can no longer be granted (it stays in the pupil's list as a hole). */
export type HoleReason = 'gone' | 'outside_dates' | 'wrong_grade' | 'clash';

async function pupilsOfRound(db: Db, round: Round): Promise<RoundPupil[]> {
  const schoolIds = round.schools.map((s) => s.schoolId);
  if (schoolIds.length === 0 || round.grades.length === 0) return [];
  const rows = await db
    .selectFrom('pupils')
    .select(['id', 'school_id', 'grade'])
    .where('school_id', 'in', schoolIds)
    .where('grade', 'in', round.grades)
    .execute();
  // Sorted here, not by the database, whose collation may differ: the same pupils, the same order.
  return rows.map((r) => ({ id: r.id, schoolId: r.school_id, grade: r.grade })).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Pupils per query when reading wishes (well inside every database's limit on parameters). */
const WISH_CHUNK = 1000;

/**
 * The round pupils' wishes, read a chunk of pupils at a time with a turn of the event loop in
 * between: better-sqlite3 answers synchronously, so one query for 100,000 wishes would stop
 * every other request while it runs.
 */
async function wishesOfRound(db: Db, roundId: string, pupilIds: readonly string[]): Promise<Map<string, (string | null)[]>> {
  const wishes = new Map<string, (string | null)[]>();
  for (let i = 0; i < pupilIds.length; i += WISH_CHUNK) {
    if (i > 0) await letOthersIn();
    for (const row of await wishRows(db, roundId, pupilIds.slice(i, i + WISH_CHUNK))) {
      const list = wishes.get(row.pupilId) ?? [];
      while (list.length < row.rank - 1) list.push(null);
      list[row.rank - 1] = row.placementId;
      wishes.set(row.pupilId, list);
    }
  }
  return wishes;
}

/** Reads what an allocation of the round needs, as of `now`. */
export async function readAllocationInput(db: Db, round: Round, settings: AllocationSettings, now: DateTime): Promise<AllocationInput> {
  const { all, bySchool } = await placementsOfRound(db, round, now);
  await letOthersIn();
  const pupils = await pupilsOfRound(db, round);
  await letOthersIn();
  // Wishes of pupils no longer in the round (another grade now, removed) are not read.
  const wishes = await wishesOfRound(db, round.id, pupils.map((p) => p.id));
  await letOthersIn();
  const { bookedByHand, clashes, waitlisted } = await bookingsAgainstRound(db, bySchool, now);
  return { round, settings, placements: all, bySchool, pupils, wishes, bookedByHand, clashes, waitlisted };
}

/** Lookups for holeReason, made once per plan. */
export interface Eligibility {
  index: Map<string, number>;
  /** School id → the ids of the placements inside its dates. */
  ofSchool: Map<string, Set<string>>;
}

export function eligibilityOf(input: AllocationInput): Eligibility {
  return { index: placementIndex(input.placements), ofSchool: new Map([...input.bySchool].map(([school, list]) => [school, new Set(list.map((p) => p.id))])) };
}

/** Why this pupil cannot have this placement, or null when they can. */
export function holeReason(input: AllocationInput, pupil: RoundPupil, placementId: string, { index, ofSchool }: Eligibility): HoleReason | null {
  const at = index.get(placementId);
  if (at === undefined) return 'gone';
  if (!ofSchool.get(pupil.schoolId)?.has(placementId)) return 'outside_dates';
  if (!fitsGrade(input.placements[at]!, pupil.grade)) return 'wrong_grade';
  if (input.clashes.get(pupil.id)?.has(placementId)) return 'clash';
  return null;
}

/** The solver's part of the work, and how to read its answer back. */
export interface AllocationPlan {
  /** The pupils with wishes, in the solver's order. */
  wishing: RoundPupil[];
  /** Their lists for the solver: placement indexes by rank, −1 for a hole. */
  solverPupils: SolverPupil[];
  /** Per wishing pupil: the holes, by rank. */
  holes: Map<number, HoleReason>[];
  /** The wished placement ids, by rank (as entered; null where no wish has that rank). */
  wishIds: (string | null)[][];
  capacities: number[];
  /**
   * Pupils without wishes, and what each could be given (when the round places them). A pupil
   * whose every wish has become impossible (cancelled, moved, a clash) is among them, as good
   * as without wishes, so the second pass treats them alike; `lostWishes` keeps their holes.
   */
  withoutWishes: RoundPupil[];
  /** Per pupil of withoutWishes: the holes and wished ids of one whose every wish is impossible, else null. */
  lostWishes: ({ holes: Map<number, HoleReason>; wishIds: (string | null)[] } | null)[];
  leftoverCandidates: number[][];
  alreadyBooked: RoundPupil[];
}

export function placementIndex(placements: readonly Placement[]): Map<string, number> {
  return new Map(placements.map((p, i) => [p.id, i]));
}

/** Pure: the solver's instance from what was read. */
export function planAllocation(input: AllocationInput): AllocationPlan {
  const eligibility = eligibilityOf(input);
  const { index } = eligibility;
  const plan: AllocationPlan = {
    wishing: [],
    solverPupils: [],
    holes: [],
    wishIds: [],
    capacities: input.placements.map((p) => p.freeSeats),
    withoutWishes: [],
    lostWishes: [],
    leftoverCandidates: [],
    alreadyBooked: [],
  };
  for (const pupil of input.pupils) {
    if (input.bookedByHand.has(pupil.id)) {
      plan.alreadyBooked.push(pupil);
      continue;
    }
    const wishes = input.wishes.get(pupil.id) ?? [];
    let lost: AllocationPlan['lostWishes'][number] = null;
    if (wishes.some((w) => w !== null)) {
      const holes = new Map<number, HoleReason>();
      const list = wishes.map((id, i) => {
        // A missing rank is a hole too: the ranks stay as the pupil entered them.
        const why = id === null ? 'gone' : holeReason(input, pupil, id, eligibility);
        if (why) holes.set(i + 1, why);
        return why ? -1 : index.get(id!)!;
      });
      if (list.some((j) => j >= 0)) {
        plan.wishing.push(pupil);
        plan.solverPupils.push({ school: pupil.schoolId, wishes: list });
        plan.holes.push(holes);
        plan.wishIds.push(wishes);
        continue;
      }
      lost = { holes, wishIds: wishes };
    }
    plan.withoutWishes.push(pupil);
    plan.lostWishes.push(lost);
    if (input.settings.placeWithoutWishes) {
      const clashes = input.clashes.get(pupil.id);
      const fitting = (input.bySchool.get(pupil.schoolId) ?? []).filter((p) => fitsGrade(p, pupil.grade) && !clashes?.has(p.id));
      plan.leftoverCandidates.push(fitting.map((p) => index.get(p.id)!));
    } else {
      plan.leftoverCandidates.push([]);
    }
  }
  return plan;
}

/**
 * The fingerprint of everything a run read: the placements (slots, times, free seats, grades),
 * the schools' dates, the pupils (school, grade), their wishes, who is booked by hand, what
 * clashes and who waits on which waitlist, and the settings. Canonical: sorted by id, so the same state gives the same hash.
 */
export function inputFingerprint(input: AllocationInput): string {
  const hash = createHash('sha256');
  const put = (value: unknown) => hash.update(JSON.stringify(value) + '\n');
  put({ v: 2, settings: input.settings, grades: [...input.round.grades].sort(), schools: input.round.schools.map((s) => [s.schoolId, s.from, s.to]).sort() });
  const placements = [...input.placements].sort((a, b) => (a.id < b.id ? -1 : 1));
  for (const p of placements) put(['p', p.id, p.kind, p.slotIds, p.times.map((t) => [t.startsAt, t.endsAt]), p.freeSeats, p.grades]);
  for (const [schoolId, list] of [...input.bySchool].sort((a, b) => (a[0] < b[0] ? -1 : 1))) put(['s', schoolId, list.map((p) => p.id).sort()]);
  for (const pupil of input.pupils) {
    put([
      'u',
      pupil.id,
      pupil.schoolId,
      pupil.grade,
      input.wishes.get(pupil.id) ?? [],
      input.bookedByHand.get(pupil.id) ?? null,
      [...(input.clashes.get(pupil.id) ?? [])].sort(),
      [...(input.waitlisted?.get(pupil.id) ?? [])].sort(),
    ]);
  }
  return hash.digest('hex');
}

/**
 * The optional rule "each school's share of an over-subscribed placement is in proportion to
 * its pupils in the round", as school caps for the solver. Pure code.
 *
 * A placement is over-subscribed when more pupils wish it (at any rank; holes and repeats do
 * not count) than it has seats. For such a placement, each school with a pupil who wishes it
 * gets the cap ceil(seats × school's pupils in the round / all pupils in the round).
 *
 * Why ceil: rounding alone should not keep a seat empty (with floor, one seat and three equal
 * schools would give every school a cap of 0).
 *
 * A caveat of the rule as stated: the denominator counts the pupils of schools that do not
 * want the placement too (a school in another week, say), so the caps of the schools that do
 * want it can add up to fewer than the seats — two schools of 3 in a round of 106 get caps of
 * 1 and 1 on a placement with 5 seats, and 3 seats stay empty although 4 pupils want them.
 * `{ among: 'applicant_schools' }` shares among the schools that want the placement instead
 * (same formula, denominator = their pupils): then the caps add up to at least the seats. Either
 * way the rule can still leave a seat empty on purpose, when a capped school wants more seats
 * than the others take; that is the price of the rule, and the solver still places as many
 * pupils as the caps allow. Placements that are not over-subscribed get no caps.
 */
import { capKey, seatsOf, usableWishes } from './flow-graph.ts';
import type { SolverInstance } from './solver.ts';

export interface SchoolCap {
  placement: number;
  school: string;
  cap: number;
}

export interface ShareOptions {
  /** Whose pupils the seats are shared among: everyone's in the round (default), or only the schools that want the placement. */
  among?: 'round' | 'applicant_schools';
}

export function schoolShareCaps(instance: SolverInstance, options: ShareOptions = {}): SchoolCap[] {
  const J = instance.capacities.length;
  const all = instance.pupils.length;
  const pupilsOf = new Map<string, number>();
  const demand = new Array<number>(J).fill(0);
  const schoolsWishing: Set<string>[] = Array.from({ length: J }, () => new Set());
  for (const pupil of instance.pupils) {
    pupilsOf.set(pupil.school, (pupilsOf.get(pupil.school) ?? 0) + 1);
    for (const w of usableWishes(pupil.wishes, J)) {
      demand[w.placement]!++;
      schoolsWishing[w.placement]!.add(pupil.school);
    }
  }
  const caps: SchoolCap[] = [];
  for (let j = 0; j < J; j++) {
    const seats = seatsOf(instance, j);
    if (demand[j]! <= seats) continue;
    const schools = [...schoolsWishing[j]!].sort();
    const among = options.among === 'applicant_schools' ? schools.reduce((n, s) => n + pupilsOf.get(s)!, 0) : all;
    for (const school of schools) {
      // Exact: a quotient of integers far below 2^53 is a float integer exactly when it is one.
      caps.push({ placement: j, school, cap: Math.ceil((seats * pupilsOf.get(school)!) / among) });
    }
  }
  return caps;
}

/** Two sets of caps as one: where both cap the same (placement, school), the smaller cap. */
export function mergeSchoolCaps(a: readonly SchoolCap[], b: readonly SchoolCap[]): SchoolCap[] {
  const merged = new Map<string, SchoolCap>();
  for (const c of [...a, ...b]) {
    const key = capKey(c.placement, c.school);
    const seen = merged.get(key);
    if (!seen || c.cap < seen.cap) merged.set(key, { ...c });
  }
  return [...merged.values()];
}

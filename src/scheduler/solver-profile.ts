/**
 * Judging an allocation from the outside: is it allowed, and how good is it in the order the
 * solver optimises. Used by the tests and the benchmark to hold any allocation (the solver's,
 * a baseline's, a brute force's) to the same rules. Pure code.
 */
import { capKey, schoolCapMap, seatsOf, usableWishes } from './flow-graph.ts';
import type { SolverInstance } from './solver.ts';

/**
 * The rank profile: [pupils placed, wishes of rank 1, of rank 2, …] (bigger is better,
 * compared lexicographically by `compareProfiles`).
 */
export function profileOf(allocation: { placed: number; byRank: readonly number[] }): number[] {
  return [allocation.placed, ...allocation.byRank];
}

/** > 0 when a is better, < 0 when b is, 0 when equal (missing components count as 0). */
export function compareProfiles(a: readonly number[], b: readonly number[]): number {
  const d = firstDifference(a, b);
  return d ? d.a - d.b : 0;
}

/** The first component where a and b differ, with both values, or null when equal. */
export function firstDifference(a: readonly number[], b: readonly number[]): { index: number; a: number; b: number } | null {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return { index: i, a: a[i] ?? 0, b: b[i] ?? 0 };
  }
  return null;
}

/**
 * What breaks the rules in an allocation: a pupil in a placement they did not (validly) wish,
 * a placement over its seats, a school over its cap, or a rank/byRank/placed that does not
 * match the placements. Returns the problems found (none: allowed).
 */
export function allocationProblems(
  instance: SolverInstance,
  allocation: { placement: readonly (number | null)[]; rank?: readonly (number | null)[]; placed?: number; byRank?: readonly number[] },
): string[] {
  const problems: string[] = [];
  const J = instance.capacities.length;
  const used = new Array<number>(J).fill(0);
  const bySchool = new Map<string, number>();
  const byRank: number[] = [];
  let placed = 0;
  allocation.placement.forEach((j, p) => {
    if (j === null) {
      if (allocation.rank && allocation.rank[p] !== null) problems.push(`pupil ${p} is unplaced but has a rank`);
      return;
    }
    const pupil = instance.pupils[p]!;
    const wish = usableWishes(pupil.wishes, J).find((w) => w.placement === j);
    if (!wish) return void problems.push(`pupil ${p} is in placement ${j}, which they did not wish`);
    if (allocation.rank && allocation.rank[p] !== wish.rank) problems.push(`pupil ${p} has rank ${allocation.rank[p]}, not ${wish.rank}`);
    used[j]!++;
    placed++;
    byRank[wish.rank - 1] = (byRank[wish.rank - 1] ?? 0) + 1;
    const key = capKey(j, pupil.school);
    bySchool.set(key, (bySchool.get(key) ?? 0) + 1);
  });
  used.forEach((n, j) => {
    if (n > seatsOf(instance, j)) problems.push(`placement ${j} has ${n} pupils for ${seatsOf(instance, j)} seats`);
  });
  for (const [key, cap] of schoolCapMap(instance)) {
    if ((bySchool.get(key) ?? 0) > cap) problems.push(`school cap ${key.replace('\u0000', '/')} (${cap}) exceeded`);
  }
  if (allocation.placed !== undefined && allocation.placed !== placed) problems.push(`placed says ${allocation.placed}, is ${placed}`);
  if (allocation.byRank && compareProfiles(allocation.byRank, byRank) !== 0) problems.push(`byRank says ${allocation.byRank.join(',')}`);
  return problems;
}

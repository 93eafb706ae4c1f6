/**
 * Three simple ways to allocate the same round, to measure the exact solver against. Pure
 * code, seeded (the same seed, the same allocation); all keep capacities and school caps.
 *
 * - First come, first served: pupils take, one after another, their best wish with a seat
 *   left. The arrival order is how it happens in practice: a school's counsellor enters all
 *   of the school's pupils at once (in the order given), and the schools come in a random order.
 * - Random serial dictatorship: the same rule with a uniformly random order of all pupils. The
 *   difference to the above is only the order: here a pupil's luck does not depend on their
 *   school's (under first come, first served a whole school arrives early or late together).
 * - Rank + lottery, the rule today's prao tools use: in round k every pupil still unplaced
 *   applies to their k-th wish; where a placement has more applicants than seats left, lots
 *   are drawn among that round's applicants. A pupil who loses a draw may find their next wish
 *   already filled by others' earlier-round wishes, and a winner may take the only seat a loser
 *   could have had: fewer pupils placed than the exact solver can place.
 */
import { capKey, schoolCapMap, seatsOf, seededRandom, shuffled, usableWishes } from './flow-graph.ts';
import type { SolverInstance, SolverResult } from './solver.ts';

export type Allocation = Pick<SolverResult, 'placement' | 'rank' | 'placed' | 'byRank'>;

/** Seats and school caps left while an allocation is built. */
class Seats {
  private readonly seats: number[];
  private readonly caps: Map<string, number>;
  readonly placement: (number | null)[];

  constructor(private readonly instance: SolverInstance) {
    this.seats = instance.capacities.map((_, j) => seatsOf(instance, j));
    this.caps = schoolCapMap(instance);
    this.placement = new Array(instance.pupils.length).fill(null);
  }

  canTake(p: number, j: number): boolean {
    const cap = this.caps.get(capKey(j, this.instance.pupils[p]!.school));
    return this.placement[p] === null && this.seats[j]! > 0 && (cap === undefined || cap > 0);
  }

  take(p: number, j: number): void {
    const key = capKey(j, this.instance.pupils[p]!.school);
    this.seats[j]!--;
    if (this.caps.has(key)) this.caps.set(key, this.caps.get(key)! - 1);
    this.placement[p] = j;
  }
}

/** The result shape of the solver, for a placement per pupil. */
export function allocationOf(instance: SolverInstance, placement: (number | null)[]): Allocation {
  const J = instance.capacities.length;
  const maxRank = instance.pupils.reduce((m, p) => Math.max(m, p.wishes.length), 0);
  const byRank = new Array<number>(maxRank).fill(0);
  const rank = placement.map((j, p) => {
    if (j === null) return null;
    const r = usableWishes(instance.pupils[p]!.wishes, J).find((w) => w.placement === j)!.rank;
    byRank[r - 1]!++;
    return r;
  });
  return { placement, rank, placed: placement.filter((j) => j !== null).length, byRank };
}

/** Each pupil in turn takes their best wish with a seat (and room under the cap) left. */
function serial(instance: SolverInstance, order: readonly number[]): Allocation {
  const seats = new Seats(instance);
  const J = instance.capacities.length;
  for (const p of order) {
    const best = usableWishes(instance.pupils[p]!.wishes, J).find((w) => seats.canTake(p, w.placement));
    if (best) seats.take(p, best.placement);
  }
  return allocationOf(instance, seats.placement);
}

export function firstComeFirstServed(instance: SolverInstance, seed: number): Allocation {
  const bySchool = new Map<string, number[]>();
  instance.pupils.forEach((pupil, p) => {
    const list = bySchool.get(pupil.school);
    if (list) list.push(p);
    else bySchool.set(pupil.school, [p]);
  });
  const schools = [...bySchool.keys()];
  const order = shuffled(schools.length, seededRandom(seed)).flatMap((s) => bySchool.get(schools[s]!)!);
  return serial(instance, order);
}

export function randomSerialDictatorship(instance: SolverInstance, seed: number): Allocation {
  return serial(instance, shuffled(instance.pupils.length, seededRandom(seed)));
}

export function rankLottery(instance: SolverInstance, seed: number): Allocation {
  const J = instance.capacities.length;
  const random = seededRandom(seed);
  const seats = new Seats(instance);
  const wishes = instance.pupils.map((p) => usableWishes(p.wishes, J));
  const maxRank = instance.pupils.reduce((m, p) => Math.max(m, p.wishes.length), 0);
  for (let k = 1; k <= maxRank; k++) {
    const applicants: number[][] = Array.from({ length: J }, () => []);
    wishes.forEach((list, p) => {
      const w = list.find((x) => x.rank === k);
      if (w && seats.placement[p] === null) applicants[w.placement]!.push(p);
    });
    for (let j = 0; j < J; j++) {
      const list = applicants[j]!;
      for (const i of shuffled(list.length, random)) if (seats.canTake(list[i]!, j)) seats.take(list[i]!, j);
    }
  }
  return allocationOf(instance, seats.placement);
}

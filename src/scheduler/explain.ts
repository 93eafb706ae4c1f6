/**
 * Why each pupil got what they got: per pupil, the wish they got and, for every better wish
 * (every wish when unplaced), why not — as data; the app words it. Pure code.
 *
 * The reasons, decided in this order for each such wish (first occurrences only; a repeated
 * placement is not a separate wish):
 * - `unavailable`: a hole (−1), no such placement, or no free seats at all.
 * - `lottery`: an allocation exactly as good (as many placed, as many wishes of every rank)
 *   gives the pupil this wish; the seeded lottery picked another. Counts: the seats, how many
 *   wished it at the same rank, and how many of its holders ranked it the same or lower.
 *   Usually the seats went to pupils with the same rank; rarely, through a chain of swaps,
 *   to one who ranked it lower (and an equally good allocation would have moved them).
 * - otherwise every allocation giving the pupil this wish is strictly worse, and:
 *   - `school_cap`: the pupil's school has used its cap at the placement;
 *   - `full_higher_ranks`: every seat went to a pupil who ranked it better;
 *   - `trade_off`: some seat went to a pupil who ranked it the same or lower, because giving it
 *     to this pupil would leave someone without a place (`cost: 'fewer_placed'`) or leave fewer
 *     wishes of rank `rankLost` granted (`cost: 'worse_ranks'`).
 * A better wish with a free seat (and room under the school's cap) would make the allocation
 * not optimal; `explain` throws rather than explain it.
 *
 * "Strictly worse" and "exactly as good" come from the certificate (`solver-alternatives.ts`),
 * so they hold by construction for an optimal result; the tests re-solve with the pupil forced
 * onto the wish to confirm.
 */
import { capKey, schoolCapMap, seatsOf, usableWishes } from './flow-graph.ts';
import { analyseAlternatives } from './solver-alternatives.ts';
import type { SolverInstance, SolverResult } from './solver.ts';

interface About {
  /** The placement index as the pupil wished it (−1 for a hole). */
  placement: number;
  /** The wish's rank (1-based position in the pupil's list). */
  rank: number;
}

export type WhyNot =
  | (About & { reason: 'unavailable' })
  | (About & { reason: 'lottery'; capacity: number; sameRank: number; holdersRankedSame: number; holdersRankedLower: number })
  | (About & { reason: 'school_cap'; cap: number })
  | (About & { reason: 'full_higher_ranks'; capacity: number; betterRanked: number })
  | (About & {
      reason: 'trade_off';
      capacity: number;
      holdersRankedSame: number;
      holdersRankedLower: number;
      cost: 'fewer_placed' | 'worse_ranks';
      /** With 'worse_ranks': the first rank of which fewer wishes would be granted. */
      rankLost: number | null;
    });

export interface PupilExplanation {
  placement: number | null;
  rank: number | null;
  whyNot: WhyNot[];
}

export function explain(instance: SolverInstance, result: SolverResult): PupilExplanation[] {
  const J = instance.capacities.length;
  const dims = result.certificate.dims;
  const caps = schoolCapMap(instance);
  const alternatives = analyseAlternatives(result.certificate);
  const applicants = new Int32Array(J * dims);
  const holders = new Int32Array(J * dims);
  const schoolHolders = new Map<string, number>();
  const usableOf = instance.pupils.map((pupil) => usableWishes(pupil.wishes, J));
  instance.pupils.forEach((pupil, p) => {
    for (const w of usableOf[p]!) applicants[w.placement * dims + w.rank]!++;
    const j = result.placement[p];
    if (j === null || j === undefined) return;
    holders[j * dims + result.rank[p]!]!++;
    const key = capKey(j, pupil.school);
    schoolHolders.set(key, (schoolHolders.get(key) ?? 0) + 1);
  });
  const sum = (counts: Int32Array, j: number, from: number, to: number) => {
    let s = 0;
    for (let r = from; r < to; r++) s += counts[j * dims + r]!;
    return s;
  };
  const wishEdge = wishEdgeFinder(result);
  return instance.pupils.map((pupil, p) => {
    const got = result.rank[p] ?? null;
    const usable = new Map(usableOf[p]!.map((w) => [w.rank, w.placement]));
    const whyNot: WhyNot[] = [];
    const upTo = got === null ? pupil.wishes.length : got - 1;
    for (let i = 0; i < upTo; i++) {
      const rank = i + 1;
      const wished = pupil.wishes[i]!;
      const j = usable.get(rank);
      if (j === undefined) {
        // A repeat of an earlier wish is not a wish of its own.
        if (wished >= 0 && wished < J && Number.isInteger(wished)) continue;
        whyNot.push({ placement: wished, rank, reason: 'unavailable' });
        continue;
      }
      const capacity = seatsOf(instance, j);
      const cap = caps.get(capKey(j, pupil.school));
      if (capacity === 0) {
        whyNot.push({ placement: j, rank, reason: 'unavailable' });
        continue;
      }
      if (cap === 0) {
        whyNot.push({ placement: j, rank, reason: 'school_cap', cap });
        continue;
      }
      const held = sum(holders, j, 1, dims);
      const capReached = cap !== undefined && (schoolHolders.get(capKey(j, pupil.school)) ?? 0) >= cap;
      if (held < capacity && !capReached) {
        throw new Error(`explain: pupil ${p}'s wish ${rank} has a free seat, so the allocation is not optimal`);
      }
      const same = holders[j * dims + rank]!;
      const lower = sum(holders, j, rank + 1, dims);
      const loss = alternatives.lossOf(2 + p, wishEdge(p, j));
      if (loss === -1) {
        const sameRank = applicants[j * dims + rank]!;
        whyNot.push({ placement: j, rank, reason: 'lottery', capacity, sameRank, holdersRankedSame: same, holdersRankedLower: lower });
      } else if (capReached) {
        whyNot.push({ placement: j, rank, reason: 'school_cap', cap: cap! });
      } else if (same === 0 && lower === 0) {
        whyNot.push({ placement: j, rank, reason: 'full_higher_ranks', capacity, betterRanked: sum(applicants, j, 1, rank) });
      } else {
        const cost = loss === 0 ? 'fewer_placed' : 'worse_ranks';
        whyNot.push({ placement: j, rank, reason: 'trade_off', capacity, holdersRankedSame: same, holdersRankedLower: lower, cost, rankLost: loss === 0 ? null : loss });
      }
    }
    return { placement: result.placement[p] ?? null, rank: got, whyNot };
  });
}

/** The certificate graph's edge from pupil p to (the node of) placement j. */
function wishEdgeFinder(result: SolverResult): (p: number, j: number) => number {
  const g = result.certificate.graph;
  const d = g.dims;
  const P = result.placement.length;
  const firstPlacement = 2 + P;
  const firstCapNode = firstPlacement + result.prices.length;
  const capPlacement = new Map<number, number>();
  for (let u = firstCapNode; u < g.nodes; u++) {
    for (let e = g.head[u]!; e !== -1; e = g.next[e]!) if ((e & 1) === 0) capPlacement.set(u, g.to[e]! - firstPlacement);
  }
  return (p, j) => {
    for (let e = g.head[2 + p]!; e !== -1; e = g.next[e]!) {
      if (g.cost[e * d] !== -1) continue;
      const v = g.to[e]!;
      if ((v < firstCapNode ? v - firstPlacement : capPlacement.get(v)) === j) return e;
    }
    throw new Error(`explain: pupil ${p} has no edge to placement ${j}`);
  };
}

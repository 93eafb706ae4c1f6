import { explain, type WhyNot } from './explain.ts';
import type { SolverInstance, SolverResult } from './solver.ts';

/**
 * The solver's explanations (explain.ts) as the allocation stores them: per wishing pupil,
 * why not each better wish (every wish, when unplaced). Plain numbers, so they can be stored
 * as JSON and worded in either language later.
 */
export interface WishWhy {
  rank: number;
  reason: 'unavailable' | 'full_higher_ranks' | 'lottery' | 'school_cap' | 'trade_off';
  /** Seats the placement had for the round. */
  capacity?: number;
  /** lottery: pupils who wished it at the same rank. */
  applicants?: number;
  /** full_higher_ranks: pupils who wished it at a better rank. */
  betterRanked?: number;
  /** school_cap: the school's cap at the placement. */
  cap?: number;
  /** trade_off: what giving it to this pupil would have cost the others. */
  cost?: 'fewer_placed' | 'worse_ranks';
  rankLost?: number | null;
}

function toWishWhy(why: WhyNot): WishWhy {
  switch (why.reason) {
    case 'unavailable':
      return { rank: why.rank, reason: why.reason };
    case 'lottery':
      return { rank: why.rank, reason: why.reason, capacity: why.capacity, applicants: why.sameRank };
    case 'school_cap':
      return { rank: why.rank, reason: why.reason, cap: why.cap };
    case 'full_higher_ranks':
      return { rank: why.rank, reason: why.reason, capacity: why.capacity, betterRanked: why.betterRanked };
    case 'trade_off':
      return { rank: why.rank, reason: why.reason, capacity: why.capacity, cost: why.cost, rankLost: why.rankLost };
  }
}

/** Per pupil of the instance, in its order. */
export function explainWishes(instance: SolverInstance, result: SolverResult): WishWhy[][] {
  return explain(instance, result).map((e) => e.whyNot.map(toWishWhy));
}

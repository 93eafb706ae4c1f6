import { placeLeftover } from './allocation-leftover.ts';
import { explainWishes, type WishWhy } from './allocation-explain.ts';
import { schoolShareCaps } from './fairness.ts';
import { checkCertificate, solve, type SolverInstance, type SolverPupil } from './solver.ts';

/**
 * The allocation's pure work, as the worker thread runs it: the exact solve of the wishing
 * pupils, its certificate checked, the explanations, and then (when the round says so) the
 * pupils without wishes in the seats left. Plain data in, plain data out (it crosses threads).
 */
export interface AllocationJob {
  pupils: SolverPupil[];
  capacities: number[];
  seed: number;
  schoolShareCaps: boolean;
  /** Per pupil without wishes: the placements they could be given; null when the round does not place them. */
  leftover: number[][] | null;
}

export interface AllocationOutcome {
  /** Per wishing pupil: the placement index and the rank (1-based) of the wish, or null. */
  placement: (number | null)[];
  rank: (number | null)[];
  placed: number;
  byRank: number[];
  /** The certificate's check: the problems found (none: the allocation is proven optimal). */
  certificate: string[];
  /** Per wishing pupil: why not each better wish (all wishes, when unplaced). */
  explanations: WishWhy[][];
  /** Per pupil without wishes: the placement index given, or null. */
  leftover: (number | null)[];
}

export type Stage = 'solving' | 'explaining' | 'leftover';

/** A different stream of the lottery for the second pass, still fixed by the seed. */
const leftoverSeed = (seed: number) => (seed ^ 0x5bd1e995) >>> 0;

export function runAllocationJob(job: AllocationJob, onStage: (stage: Stage) => void = () => {}): AllocationOutcome {
  onStage('solving');
  const instance: SolverInstance = { pupils: job.pupils, capacities: job.capacities, seed: job.seed };
  // Shared among the schools that want the placement: with the round's schools in different
  // weeks, sharing among all the round's pupils would leave seats empty that only one school can use.
  if (job.schoolShareCaps) instance.schoolCaps = schoolShareCaps(instance, { among: 'applicant_schools' });
  const result = solve(instance);
  const certificate = checkCertificate(result.certificate, result.placement);
  onStage('explaining');
  let explanations: WishWhy[][];
  try {
    explanations = explainWishes(instance, result);
  } catch (error) {
    // explain refuses a result that is not optimal: say so with the certificate, and explain nothing.
    certificate.push(error instanceof Error ? error.message : String(error));
    explanations = instance.pupils.map(() => []);
  }
  onStage('leftover');
  let leftover: (number | null)[] = [];
  if (job.leftover) {
    const left = [...job.capacities];
    for (const j of result.placement) if (j !== null) left[j]!--;
    leftover = placeLeftover(job.leftover, left, leftoverSeed(job.seed));
  }
  return { placement: result.placement, rank: result.rank, placed: result.placed, byRank: result.byRank, certificate, explanations, leftover };
}

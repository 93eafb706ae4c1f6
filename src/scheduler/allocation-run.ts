import { placeLeftover } from './allocation-leftover.ts';
import { explainWishes, type WishWhy } from './allocation-explain.ts';
import { inputFingerprint, planAllocation, type AllocationInput } from './allocation-input.ts';
import { buildMetrics, buildResults } from './allocation-results.ts';
import type { AllocationMetrics, Outcome } from './allocation.ts';
import type { PlacementKind } from '../db/types.ts';
import { schoolShareCaps } from './fairness.ts';
import { checkCertificate, solve, type SolverInstance, type SolverPupil } from './solver.ts';

/**
 * The allocation's pure work, as the worker thread runs it: from what the run read to the rows
 * it stores. Everything CPU-bound happens here, off the main thread: the solver's instance and
 * the fingerprint, the exact solve with its certificate checked, the explanations, the pupils
 * without wishes in the seats left, and the results and metrics. Plain data in, plain data out
 * (it crosses threads).
 */
export interface AllocationJob {
  input: AllocationInput;
  seed: number;
}

/** A result as stored (allocation_results without the run's id): the explanation already JSON. */
export interface ResultRow {
  pupil_id: string;
  school_id: string;
  placement_id: string | null;
  placement_kind: PlacementKind | null;
  rank: number | null;
  outcome: Outcome;
  explanation: string;
}

export interface AllocationOutcome {
  /** The fingerprint of everything read (a commit refuses when a new reading differs). */
  inputHash: string;
  metrics: AllocationMetrics;
  /** One per pupil of the round, by pupil id. */
  rows: ResultRow[];
}

export type Stage = 'planning' | 'solving' | 'explaining' | 'leftover' | 'results';

/** The solver's part of the job: the wishing pupils as placement indexes, and the seats. */
export interface SolveJob {
  pupils: SolverPupil[];
  capacities: number[];
  seed: number;
  schoolShareCaps: boolean;
  /** Per pupil without wishes: the placements they could be given; null when the round does not place them. */
  leftover: number[][] | null;
}

export interface SolveOutcome {
  /** Per wishing pupil: the placement index and the rank (1-based) of the wish, or null. */
  placement: (number | null)[];
  rank: (number | null)[];
  /** The certificate's check: the problems found (none: the allocation is proven optimal). */
  certificate: string[];
  /** Per wishing pupil: why not each better wish (all wishes, when unplaced). */
  explanations: WishWhy[][];
  /** Per pupil without wishes: the placement index given, or null. */
  leftover: (number | null)[];
}

/** A different stream of the lottery for the second pass, still fixed by the seed. */
const leftoverSeed = (seed: number) => (seed ^ 0x5bd1e995) >>> 0;

export function runAllocationJob(job: AllocationJob, onStage: (stage: Stage) => void = () => {}): AllocationOutcome {
  onStage('planning');
  const { input, seed } = job;
  const plan = planAllocation(input);
  const inputHash = inputFingerprint(input);
  const outcome = solveAllocation(
    { pupils: plan.solverPupils, capacities: plan.capacities, seed, schoolShareCaps: input.settings.schoolShareCaps, leftover: input.settings.placeWithoutWishes ? plan.leftoverCandidates : null },
    onStage,
  );
  onStage('results');
  const results = buildResults(input, plan, outcome);
  const metrics = buildMetrics(input, plan, results, outcome, seed);
  const rows = results.map((r) => ({ pupil_id: r.pupilId, school_id: r.schoolId, placement_id: r.placementId, placement_kind: r.placementKind, rank: r.rank, outcome: r.outcome, explanation: JSON.stringify(r.explanation) }));
  return { inputHash, metrics, rows };
}

export function solveAllocation(job: SolveJob, onStage: (stage: Stage) => void = () => {}): SolveOutcome {
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
  return { placement: result.placement, rank: result.rank, certificate, explanations, leftover };
}

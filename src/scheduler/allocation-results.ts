import type { AllocationInput, AllocationPlan } from './allocation-input.ts';
import type { SolveOutcome } from './allocation-run.ts';
import { tally, type AllocationMetrics, type AllocationResult, type WishReason } from './allocation.ts';

/** Pure: the solver's answer read back into one result per pupil of the round, and the metrics. */
export function buildResults(input: AllocationInput, plan: AllocationPlan, outcome: SolveOutcome): AllocationResult[] {
  const results: AllocationResult[] = [];
  plan.wishing.forEach((pupil, p) => {
    const at = outcome.placement[p] ?? null;
    const placement = at === null ? null : input.placements[at]!;
    const wishes: WishReason[] = (outcome.explanations[p] ?? []).map((why) => {
      const hole = plan.holes[p]!.get(why.rank);
      return { ...why, placementId: plan.wishIds[p]![why.rank - 1] ?? null, ...(hole ? { reason: 'unavailable' as const, hole } : {}) };
    });
    results.push({
      pupilId: pupil.id,
      schoolId: pupil.schoolId,
      placementId: placement?.id ?? null,
      placementKind: placement?.kind ?? null,
      rank: placement ? (outcome.rank[p] ?? null) : null,
      outcome: placement ? 'placed' : 'unplaced',
      explanation: { code: placement ? 'placed' : 'unplaced', wishes },
    });
  });
  plan.withoutWishes.forEach((pupil, i) => {
    const at = outcome.leftover[i] ?? null;
    const placement = at === null ? null : input.placements[at]!;
    const lost = plan.lostWishes[i] ?? null;
    // A pupil whose every wish became impossible: unplaced with the reasons, or placed without a wish.
    const code = placement ? 'placed_without_wish' : lost ? 'unplaced' : input.settings.placeWithoutWishes ? 'no_eligible_placement' : 'no_wishes';
    const wishes: WishReason[] = lost ? [...lost.holes].sort((a, b) => a[0] - b[0]).map(([rank, hole]) => ({ rank, reason: 'unavailable', placementId: lost.wishIds[rank - 1] ?? null, hole })) : [];
    results.push({ pupilId: pupil.id, schoolId: pupil.schoolId, placementId: placement?.id ?? null, placementKind: placement?.kind ?? null, rank: null, outcome: code, explanation: { code, wishes } });
  });
  for (const pupil of plan.alreadyBooked) {
    // The pupil keeps the seat booked by hand; the run gives them nothing (and books nothing).
    const explanation = { code: 'already_booked' as const, wishes: [], bookedPlacementId: input.bookedByHand.get(pupil.id)! };
    results.push({ pupilId: pupil.id, schoolId: pupil.schoolId, placementId: null, placementKind: null, rank: null, outcome: 'already_booked', explanation });
  }
  return results.sort((a, b) => (a.pupilId < b.pupilId ? -1 : a.pupilId > b.pupilId ? 1 : 0));
}

export function buildMetrics(input: AllocationInput, plan: AllocationPlan, results: readonly AllocationResult[], outcome: SolveOutcome, seed: number): AllocationMetrics {
  const ranks = plan.solverPupils.reduce((m, p) => Math.max(m, p.wishes.length), 0);
  const schools = input.round.schools.map((s) => ({ schoolId: s.schoolId, schoolName: s.schoolName, ...tally(results.filter((r) => r.schoolId === s.schoolId), ranks) }));
  return { ...tally(results, ranks), seed, certificate: outcome.certificate.length === 0 ? 'holds' : outcome.certificate.slice(0, 20), schools };
}

/**
 * The placement a pupil holds once the run is committed: the one it gives them, or for a
 * pupil booked into the round by hand, that one (the run books nothing for them; its stored
 * placement stays null, so commit and the tallies leave them alone).
 */
export function heldPlacementId(result: AllocationResult): string | null {
  return result.outcome === 'already_booked' ? (result.explanation.bookedPlacementId ?? null) : result.placementId;
}

/**
 * Placement prices from the solver's certificate, and the check that they explain the
 * allocation. Pure code.
 *
 * With node potentials π (vectors) that leave no residual arc a lexicographically negative
 * reduced cost, and π(source) = π(sink), the price of a placement node v is
 * π(source) − π(v). A pupil's wish arc to v costs unit(r) (see `SolverResult.prices`); an
 * unused arc has a reduced cost ≥ 0 and a used one ≤ 0, so the wish a pupil holds costs
 * unit(r) + price at most as much as any other, and at most as much as staying unplaced
 * (the arc back to the source); an unplaced pupil's wishes cost at least that much.
 */
import { capKey, compareAt, seatsOf, SINK, SOURCE, usableWishes, type Built } from './flow-graph.ts';
import type { SolverInstance, SolverResult } from './solver.ts';

/**
 * Lowers the potentials of idle nodes — a placement nobody got, a capped pair nobody got —
 * to their successor's (the sink's, the placement's) where that is lower. Their only residual
 * arcs lead in, apart from the arc to that successor, so lowering them keeps the certificate;
 * then a placement with seats nobody took is priced exactly zero, and none is priced below zero.
 */
export function normalizeIdle(built: Built, pi: Int32Array): void {
  const { graph: g, layout: L, sinkEdge, capEdge } = built;
  const d = g.dims;
  const lowerTo = (v: number, w: number) => {
    if (compareAt(pi, v * d, pi, w * d, d) > 0) pi.copyWithin(v * d, w * d, w * d + d);
  };
  for (let j = 0; j < L.placements; j++) {
    if (g.cap[sinkEdge[j]! ^ 1] === 0) lowerTo(L.firstPlacement + j, SINK);
  }
  for (let c = 0; c < capEdge.length; c++) {
    if (g.cap[capEdge[c]! ^ 1] === 0) lowerTo(L.firstCapNode + c, L.firstPlacement + L.capPlacement[c]!);
  }
}

export function pricesFrom(built: Built, pi: Int32Array): Pick<SolverResult, 'prices' | 'schoolPrices'> {
  const { layout: L } = built;
  const d = L.dims;
  const priceOf = (v: number) => Array.from({ length: d }, (_, k) => pi[SOURCE * d + k]! - pi[v * d + k]!);
  const prices = Array.from({ length: L.placements }, (_, j) => priceOf(L.firstPlacement + j));
  const schoolPrices = L.capSchool.map((school, c) => ({ placement: L.capPlacement[c]!, school, price: priceOf(L.firstCapNode + c) }));
  return { prices, schoolPrices };
}

/** The cost of a wish of rank r at a placement with this price (see `SolverResult.prices`). */
export function wishCost(price: readonly number[], rank: number): number[] {
  const cost = price.slice();
  cost[0]! -= 1;
  cost[rank]! -= 1;
  return cost;
}

/**
 * The explanation property: every placed pupil holds a wish of least cost (unit(rank) + price),
 * costing no more than staying unplaced, and no unplaced pupil has a wish cheaper than staying
 * unplaced. Also: seats left ⇒ price zero; prices never negative. Returns the problems found.
 */
export function checkPrices(instance: SolverInstance, result: Pick<SolverResult, 'placement' | 'prices' | 'schoolPrices'>): string[] {
  const problems: string[] = [];
  const J = instance.capacities.length;
  const capped = new Map(result.schoolPrices.map((s) => [capKey(s.placement, s.school), s.price]));
  const zero = new Array<number>(result.prices[0]?.length ?? 1).fill(0);
  const used = new Array<number>(J).fill(0);
  for (const j of result.placement) if (j !== null) used[j]!++;
  for (let j = 0; j < J; j++) {
    const price = result.prices[j]!;
    if (compareAt(price, 0, zero, 0, zero.length) < 0) problems.push(`placement ${j} has a negative price`);
    if (used[j]! < seatsOf(instance, j) && price.some((x) => x !== 0)) problems.push(`placement ${j} has a free seat but a price`);
  }
  instance.pupils.forEach((pupil, p) => {
    const costs = usableWishes(pupil.wishes, J).map((w) => ({
      placement: w.placement,
      cost: wishCost(capped.get(capKey(w.placement, pupil.school)) ?? result.prices[w.placement]!, w.rank),
    }));
    const held = costs.find((c) => c.placement === result.placement[p]);
    const bar = held ? held.cost : zero;
    if (held && compareAt(held.cost, 0, zero, 0, zero.length) > 0) problems.push(`pupil ${p} pays more than staying unplaced`);
    for (const c of costs) {
      const cmp = compareAt(c.cost, 0, bar, 0, zero.length);
      if (cmp < 0) problems.push(`pupil ${p}: wish ${c.placement} is cheaper than ${held ? 'the one held' : 'staying unplaced'}`);
    }
    if (result.placement[p] !== null && !held) problems.push(`pupil ${p} holds a placement they did not wish`);
  });
  return problems;
}

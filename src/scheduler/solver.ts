/**
 * The allocation's solver: pure code, no I/O.
 *
 * Each pupil gets at most one of their ranked wishes (a placement); a placement takes at most
 * its capacity, and optionally each school at most its cap of a placement. Among all such
 * allocations it finds one that is lexicographically best: as many pupils placed as possible,
 * then as many first wishes as possible, then second wishes, and so on.
 *
 * As a min-cost flow (source → pupil → [placement, school] → placement → sink, see
 * `flow-graph.ts`), assigning a pupil their wish of rank r costs the vector
 * (−1, 0, …, −1 at r, …, 0), compared lexicographically — exact at any size, where one float
 * weight per rank would overflow 2^53. `solver-staged.ts` solves it one component at a time
 * with small integer costs (see there); `reference-solver.ts` is the first, slower vector
 * solver, kept for the tests.
 *
 * The result carries an optimality certificate — node potentials, one integer per component
 * — checked against the original vector costs by `checkCertificate`, and placement prices
 * derived from it (`solver-prices.ts`) that explain the allocation pupil by pupil.
 */
import { buildFlowGraph, layout, pushUnit, reducedCost, seededRandom, shuffled, SINK, SOURCE, type FlowGraph } from './flow-graph.ts';
import { normalizeIdle, pricesFrom } from './solver-prices.ts';
import { solveStaged, type StagedSolution } from './solver-staged.ts';

export type { FlowGraph } from './flow-graph.ts';
export { seededRandom } from './flow-graph.ts';
export { checkPrices } from './solver-prices.ts';

export interface SolverPupil {
  /** The pupil's school (for school caps). */
  school: string;
  /**
   * Placement indexes in rank order (rank 1 first). −1 marks a wish that can no longer be
   * granted (kept so the ranks stay as the pupil entered them); duplicates after the first and
   * indexes out of range are ignored the same way.
   */
  wishes: number[];
}

export interface SolverInstance {
  pupils: SolverPupil[];
  /**
   * The lottery: where several allocations are equally good, which one is found depends on the
   * order the pupils are considered in; a seed fixes that order (a shuffle), so the same seed
   * gives the same allocation. Without a seed, the given order.
   */
  seed?: number;
  /** Free seats per placement (seats booked by hand already taken off). */
  capacities: number[];
  /** Optional caps: at most this many pupils of `school` in `placement`. */
  schoolCaps?: { placement: number; school: string; cap: number }[];
}

export interface SolverResult {
  /** Per pupil: the placement index, or null when unplaced. */
  placement: (number | null)[];
  /** Per pupil: the rank (1-based) of the wish they got, or null. */
  rank: (number | null)[];
  placed: number;
  /** byRank[r - 1] = how many got their wish of rank r. */
  byRank: number[];
  /** The certificate: node potentials, `dims` integers per node. */
  certificate: Certificate;
  /**
   * Per placement, its price: a vector of `dims` (= 1 + the longest wish list) integers, in
   * "rank steps": component 0 counts pupils placed, component k wishes of rank k. For a pupil,
   * wish j at rank r costs unit(r) + prices[j], where unit(r) is −1 at component 0 (a place)
   * and −1 at component r (a wish of rank r), 0 elsewhere; staying unplaced costs the zero
   * vector; costs compare lexicographically (first component first). Example: three pupils
   * want a one-seat placement first and a roomy one second: its price is (0, 1, −1) — a seat
   * there is worth one first wish given for one second wish — so a first wish there costs
   * (−1, 0, −1), the same as the free second wish (−1, 0, −1): the three are tied, and the
   * lottery decides. Guaranteed (`checkPrices`): every placed pupil holds a cheapest wish, no
   * dearer than staying unplaced; every wish of an unplaced pupil costs at least as much as
   * staying unplaced; a placement with a free seat costs exactly zero; no price is
   * lexicographically negative. The prices come from the certificate, so they are exact.
   */
  prices: number[][];
  /**
   * Where a school's cap can bind (more of its pupils wish the placement than the cap allows),
   * the price its pupils see for that placement instead; elsewhere they see `prices`.
   */
  schoolPrices: { placement: number; school: string; price: number[] }[];
}

export interface Certificate {
  dims: number;
  potentials: Int32Array;
  /** The network with the final flow (residual capacities), pupils in the instance's order. */
  graph: FlowGraph;
}

/** Solves the instance exactly (see the module comment); ties are settled by `instance.seed`. */
export function solve(instance: SolverInstance): SolverResult {
  const P = instance.pupils.length;
  const order = instance.seed === undefined ? Array.from({ length: P }, (_, i) => i) : shuffled(P, seededRandom(instance.seed));
  // The layout does not depend on the pupils' order: one for both networks.
  const L = layout(instance);
  const staged = solveStaged({ ...instance, pupils: order.map((i) => instance.pupils[i]!) }, L);
  const placement: (number | null)[] = new Array(P).fill(null);
  order.forEach((original, k) => {
    const j = staged.assigned[k]!;
    placement[original] = j < 0 ? null : j;
  });
  const built = buildFlowGraph(instance, L);
  const rank: (number | null)[] = new Array(P).fill(null);
  const byRank: number[] = new Array(built.layout.dims - 1).fill(0);
  let placed = 0;
  built.wishEdges.forEach((edges, p) => {
    const w = edges.find((e) => e.placement === placement[p]);
    if (!w) return;
    rank[p] = w.rank;
    byRank[w.rank - 1]!++;
    placed++;
    pushUnit(built.graph, built.sourceEdge[p]!);
    pushUnit(built.graph, w.edge);
    const target = built.graph.to[w.edge]!;
    if (target >= built.layout.firstCapNode) pushUnit(built.graph, built.capEdge[target - built.layout.firstCapNode]!);
    pushUnit(built.graph, built.sinkEdge[w.placement]!);
  });
  const potentials = potentialsInOrder(staged, order);
  normalizeIdle(built, potentials);
  const certificate: Certificate = { dims: staged.dims, potentials, graph: built.graph };
  return { placement, rank, placed, byRank, certificate, ...pricesFrom(built, potentials) };
}

/** The staged solver's potentials, with the pupil nodes back in the caller's order. */
function potentialsInOrder(staged: StagedSolution, order: number[]): Int32Array {
  const d = staged.dims;
  const out = staged.potentials.slice();
  order.forEach((original, k) => out.set(staged.potentials.subarray((2 + k) * d, (3 + k) * d), (2 + original) * d));
  return out;
}

/**
 * The optimality certificate, checked against the original vector costs: the flow is a flow
 * (no edge over its capacity or below zero — an over-full placement fails here — and as much
 * into every inner node as out of it), no residual edge has a lexicographically negative
 * reduced cost under the potentials (so no cheaper flow of the same size exists) and no
 * augmenting path is left (so no larger flow exists; every larger one would place more
 * pupils). Given the allocation, it also checks that the allocation is the flow's: each placed
 * pupil's one flow-carrying edge is a wish for their placement, an unplaced pupil carries none.
 * Returns the problems found (none: proven).
 */
export function checkCertificate(certificate: Certificate, placement?: readonly (number | null)[]): string[] {
  const { graph: g, potentials: pi, dims: d } = certificate;
  const problems = flowProblems(g);
  if (placement) problems.push(...assignmentProblems(g, placement));
  const rc = new Int32Array(d);
  for (let u = 0; u < g.nodes; u++) {
    for (let e = g.head[u]!; e !== -1; e = g.next[e]!) {
      if (g.cap[e]! <= 0) continue;
      reducedCost(g, pi, u, e, rc);
      for (let k = 0; k < d; k++) {
        if (rc[k] === 0) continue;
        if (rc[k]! < 0) problems.push(`edge ${e} (${u}→${g.to[e]}) has a negative reduced cost`);
        break;
      }
    }
  }
  const seen = new Uint8Array(g.nodes);
  const queue = [SOURCE];
  seen[SOURCE] = 1;
  for (let qi = 0; qi < queue.length; qi++) {
    const u = queue[qi]!;
    for (let e = g.head[u]!; e !== -1; e = g.next[e]!) {
      const v = g.to[e]!;
      if (g.cap[e]! > 0 && !seen[v]) {
        seen[v] = 1;
        queue.push(v);
      }
    }
  }
  if (seen[SINK]) problems.push('an augmenting path is left');
  return problems;
}

/**
 * Every edge e (even) was built with its reverse e ^ 1 at capacity 0, so the flow on e is
 * cap[e ^ 1]: both residuals must be ≥ 0, and flow must be conserved at every inner node.
 */
function flowProblems(g: FlowGraph): string[] {
  const problems: string[] = [];
  const balance = new Int32Array(g.nodes);
  for (let u = 0; u < g.nodes; u++) {
    for (let e = g.head[u]!; e !== -1; e = g.next[e]!) {
      if (g.cap[e]! < 0) problems.push(`edge ${e} (${u}→${g.to[e]}) is over its capacity by ${-g.cap[e]!}`);
      if ((e & 1) === 0) {
        balance[u]! -= g.cap[e ^ 1]!;
        balance[g.to[e]!]! += g.cap[e ^ 1]!;
      }
    }
  }
  for (let u = 0; u < g.nodes; u++) if (u !== SOURCE && u !== SINK && balance[u] !== 0) problems.push(`node ${u} does not pass on the flow it takes in`);
  return problems;
}

/** The placement a pupil's wish edge leads to: the placement node, or through a school's capped node. */
function placementOfTarget(g: FlowGraph, firstPlacement: number, v: number): number {
  for (let e = g.head[v]!; e !== -1; e = g.next[e]!) {
    if ((e & 1) !== 0) continue;
    if (g.to[e] === SINK) return v - firstPlacement;
    return g.to[e]! - firstPlacement;
  }
  return -1;
}

/** Does the allocation say what the flow says? Pupils are nodes 2.., placements follow them. */
function assignmentProblems(g: FlowGraph, placement: readonly (number | null)[]): string[] {
  const problems: string[] = [];
  const P = placement.length;
  let sourceEdges = 0;
  for (let e = g.head[SOURCE]!; e !== -1; e = g.next[e]!) if ((e & 1) === 0) sourceEdges++;
  if (sourceEdges !== P) return [`the allocation has ${P} pupils, the certificate ${sourceEdges}`];
  const firstPlacement = 2 + P;
  placement.forEach((j, p) => {
    const carrying: number[] = [];
    for (let e = g.head[2 + p]!; e !== -1; e = g.next[e]!) {
      if ((e & 1) === 0 && g.cap[e ^ 1]! > 0) carrying.push(placementOfTarget(g, firstPlacement, g.to[e]!));
    }
    if (j === null) {
      if (carrying.length > 0) problems.push(`pupil ${p} is unplaced but the flow places them in ${carrying.join(', ')}`);
    } else if (carrying.length !== 1 || carrying[0] !== j) {
      problems.push(`pupil ${p} is in placement ${j}, but the flow gives them ${carrying.length === 0 ? 'no wish' : carrying.join(', ')}`);
    }
  });
  return problems;
}

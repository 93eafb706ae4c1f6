/**
 * The allocation as a flow network, shared by the fast solver, the reference solver, the
 * certificate and the explanations. Pure code, no I/O.
 *
 * Nodes: 0 the source, 1 the sink, then one per pupil, one per placement, then one per capped
 * (placement, school) pair. Edges: source → pupil (1), pupil → wish (1; to the capped pair's
 * node when the pupil's school is capped there), capped pair → placement (the cap),
 * placement → sink (the free seats). Assigning a pupil their wish of rank r costs the vector
 * (−1, 0, …, −1 at r, …, 0): minimum cost, compared lexicographically, is "most pupils placed,
 * then most first wishes, then most second wishes, …".
 */
import type { SolverInstance } from './solver.ts';

/** The flow network as parallel arrays; edge e's reverse is e ^ 1; `cap` is what is left. */
export interface FlowGraph {
  nodes: number;
  dims: number;
  head: Int32Array;
  next: Int32Array;
  to: Int32Array;
  cap: Int32Array;
  /** dims integers per edge. */
  cost: Int32Array;
  edges: number;
}

export const SOURCE = 0;
export const SINK = 1;

/** A pupil's usable wishes: first occurrences of valid placement indexes, with their ranks. */
export interface Wish {
  placement: number;
  /** 1-based position in the pupil's list (holes and duplicates keep their positions). */
  rank: number;
}

export function usableWishes(wishes: readonly number[], placements: number): Wish[] {
  const seen = new Set<number>();
  const out: Wish[] = [];
  wishes.forEach((j, i) => {
    if (!Number.isInteger(j) || j < 0 || j >= placements || seen.has(j)) return;
    seen.add(j);
    out.push({ placement: j, rank: i + 1 });
  });
  return out;
}

export const capKey = (placement: number, school: string) => `${placement}\u0000${school}`;

/** The school caps by (placement, school); a later entry for the same pair wins. */
export function schoolCapMap(instance: SolverInstance): Map<string, number> {
  const caps = new Map<string, number>();
  for (const c of instance.schoolCaps ?? []) caps.set(capKey(c.placement, c.school), Math.max(0, Math.floor(c.cap)));
  return caps;
}

/** Node numbering, independent of the pupils' order except for the pupil nodes themselves. */
export interface Layout {
  pupils: number;
  placements: number;
  nodes: number;
  /** 1 + the longest wish list. */
  dims: number;
  /** school → placement → node, for the caps that can bind (see `layout`). */
  capNodes: Map<string, Map<number, number>>;
  /** For each capped node (index node − firstCapNode): its placement, cap and school. */
  capPlacement: Int32Array;
  capLimit: Int32Array;
  capSchool: string[];
  firstPlacement: number;
  firstCapNode: number;
}

/**
 * The nodes. A school cap gets a node of its own only when it can bind: when more of the
 * school's pupils wish the placement than the cap allows. Any other cap can never hold a pupil
 * back, so leaving it out changes nothing but the size of the network (share caps put one on
 * every school wishing a popular placement, most of them far from binding).
 */
export function layout(instance: SolverInstance): Layout {
  const P = instance.pupils.length;
  const J = instance.capacities.length;
  const maxRank = instance.pupils.reduce((m, p) => Math.max(m, p.wishes.length), 0);
  // As schoolCapMap, without building a string key per cap: a later entry for a pair wins.
  const bySchool = new Map<string, Map<number, { cap: number; wishing: number }>>();
  for (const c of instance.schoolCaps ?? []) {
    let mine = bySchool.get(c.school);
    if (!mine) bySchool.set(c.school, (mine = new Map()));
    mine.set(c.placement, { cap: Math.max(0, Math.floor(c.cap)), wishing: 0 });
  }
  if (bySchool.size > 0) {
    for (const pupil of instance.pupils) {
      const mine = bySchool.get(pupil.school);
      if (mine) for (const w of usableWishes(pupil.wishes, J)) if (mine.has(w.placement)) mine.get(w.placement)!.wishing++;
    }
  }
  const firstPlacement = 2 + P;
  const firstCapNode = firstPlacement + J;
  const capNodes = new Map<string, Map<number, number>>();
  const placements: number[] = [];
  const limits: number[] = [];
  const capSchool: string[] = [];
  for (const [school, caps] of bySchool) {
    for (const [placement, { cap, wishing }] of caps) {
      if (wishing <= cap || placement < 0 || placement >= J) continue;
      if (!capNodes.has(school)) capNodes.set(school, new Map());
      capNodes.get(school)!.set(placement, firstCapNode + placements.length);
      placements.push(placement);
      limits.push(cap);
      capSchool.push(school);
    }
  }
  return {
    pupils: P,
    placements: J,
    nodes: firstCapNode + placements.length,
    dims: maxRank + 1,
    capNodes,
    capPlacement: Int32Array.from(placements),
    capLimit: Int32Array.from(limits),
    capSchool,
    firstPlacement,
    firstCapNode,
  };
}

/** The node pupils of `school` wishing placement j go through: its capped node, or the placement's. */
export function wishTarget(L: Layout, school: string, j: number): number {
  return L.capNodes.get(school)?.get(j) ?? L.firstPlacement + j;
}

/** Free seats of placement j, as a non-negative integer. */
export const seatsOf = (instance: SolverInstance, j: number) => Math.max(0, Math.floor(instance.capacities[j] ?? 0));

export interface Built {
  graph: FlowGraph;
  layout: Layout;
  /** Per pupil: the edges pupil → wish, with the rank of each. */
  wishEdges: { edge: number; placement: number; rank: number }[][];
  /** Per pupil: the edge source → pupil. */
  sourceEdge: Int32Array;
  /** Per placement: the edge placement → sink. */
  sinkEdge: Int32Array;
  /** Per capped node (index node − firstCapNode): the edge node → placement. */
  capEdge: Int32Array;
}

/** The network with no flow yet, with the vector costs. */
export function buildFlowGraph(instance: SolverInstance, L: Layout = layout(instance)): Built {
  const { dims, firstPlacement } = L;
  const P = L.pupils;
  const J = L.placements;
  const wishCount = instance.pupils.reduce((n, p) => n + p.wishes.length, 0);
  const maxEdges = 2 * (P + wishCount + J + L.capPlacement.length);
  const g: FlowGraph = {
    nodes: L.nodes,
    dims,
    head: new Int32Array(L.nodes).fill(-1),
    next: new Int32Array(maxEdges),
    to: new Int32Array(maxEdges),
    cap: new Int32Array(maxEdges),
    cost: new Int32Array(maxEdges * dims),
    edges: 0,
  };
  const half = (from: number, target: number, c: number) => {
    const e = g.edges++;
    g.to[e] = target;
    g.cap[e] = c;
    g.next[e] = g.head[from]!;
    g.head[from] = e;
    return e;
  };
  const add = (u: number, v: number, capacity: number, rank: number) => {
    const e = half(u, v, capacity);
    half(v, u, 0);
    if (rank > 0) {
      // Forward: −1 for a placed pupil, −1 at the rank; the reverse edge undoes it.
      g.cost[e * dims] = -1;
      g.cost[e * dims + rank] = -1;
      g.cost[(e + 1) * dims] = 1;
      g.cost[(e + 1) * dims + rank] = 1;
    }
    return e;
  };
  const sourceEdge = new Int32Array(P);
  for (let p = 0; p < P; p++) sourceEdge[p] = add(SOURCE, 2 + p, 1, 0);
  const capEdge = new Int32Array(L.capPlacement.length);
  for (let c = 0; c < capEdge.length; c++) capEdge[c] = add(L.firstCapNode + c, firstPlacement + L.capPlacement[c]!, L.capLimit[c]!, 0);
  const wishEdges: Built['wishEdges'] = instance.pupils.map((pupil, p) =>
    usableWishes(pupil.wishes, J).map(({ placement: j, rank }) => ({ edge: add(2 + p, wishTarget(L, pupil.school, j), 1, rank), placement: j, rank })),
  );
  const sinkEdge = new Int32Array(J);
  for (let j = 0; j < J; j++) sinkEdge[j] = add(firstPlacement + j, SINK, seatsOf(instance, j), 0);
  return { graph: g, layout: L, wishEdges, sourceEdge, sinkEdge, capEdge };
}

/** Puts one unit of flow on edge e (and takes it off its reverse). */
export function pushUnit(g: FlowGraph, e: number): void {
  g.cap[e]!--;
  g.cap[e ^ 1]!++;
}

// ---- vectors of `dims` integers, compared lexicographically ----

export function compareAt(a: ArrayLike<number>, ai: number, b: ArrayLike<number>, bi: number, dims: number): number {
  for (let k = 0; k < dims; k++) {
    const d = a[ai + k]! - b[bi + k]!;
    if (d !== 0) return d;
  }
  return 0;
}

/** reduced cost of edge e (from u to v) into out[0..dims): cost + π(u) − π(v). */
export function reducedCost(g: FlowGraph, pi: Int32Array, u: number, e: number, out: Int32Array): void {
  const d = g.dims;
  const v = g.to[e]!;
  for (let k = 0; k < d; k++) out[k] = g.cost[e * d + k]! + pi[u * d + k]! - pi[v * d + k]!;
}

/** A small seeded generator (mulberry32): the same seed, the same sequence, on every machine. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 0..count−1 shuffled (Fisher–Yates) by `random`. */
export function shuffled(count: number, random: () => number): number[] {
  const order = Array.from({ length: count }, (_, i) => i);
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

/**
 * The fast solver's network: the same nodes as `flow-graph.ts` (so potentials carry over), in
 * compressed adjacency (each node's arcs side by side, which the searches walk far faster than
 * linked lists), with scalar per-stage costs worked out from each arc's rank. Pure code.
 */
import { layout, seatsOf, SINK, SOURCE, usableWishes, wishTarget, type Layout } from './flow-graph.ts';
import type { SolverInstance } from './solver.ts';

export interface Network {
  layout: Layout;
  n: number;
  /** Arcs of node u: first[u] .. first[u + 1] − 1. */
  first: Int32Array;
  to: Int32Array;
  /** The opposite arc. */
  rev: Int32Array;
  /** Residual capacity. */
  res: Int32Array;
  /** +r on a pupil's wish arc of rank r, −r on its reverse, 0 elsewhere. */
  rank: Int16Array;
  /** Set once a stage proves the arc's flow is the same in every optimal allocation. */
  frozen: Uint8Array;
  /** Arcs of u not frozen: first[u] .. freeEnd[u] − 1 once `compact` has run (all before). */
  freeEnd: Int32Array;
  /** Per pupil: the arc source → pupil; per placement: placement → sink; per capped node: node → placement. */
  sourceArc: Int32Array;
  sinkArc: Int32Array;
  capArc: Int32Array;
}

/** The network for the instance; `L` may come from the same pupils in another order. */
export function buildNetwork(instance: SolverInstance, L: Layout = layout(instance)): Network {
  const P = L.pupils;
  const J = L.placements;
  const C = L.capPlacement.length;
  const wishes = instance.pupils.map((p) => usableWishes(p.wishes, J));
  const E = P + C + J + wishes.reduce((n, w) => n + w.length, 0);
  const eu = new Int32Array(E);
  const ev = new Int32Array(E);
  const ecap = new Int32Array(E);
  const erank = new Int16Array(E);
  let m = 0;
  const add = (u: number, v: number, cap: number, rank: number) => {
    eu[m] = u;
    ev[m] = v;
    ecap[m] = cap;
    erank[m] = rank;
    return m++;
  };
  for (let p = 0; p < P; p++) add(SOURCE, 2 + p, 1, 0);
  for (let c = 0; c < C; c++) add(L.firstCapNode + c, L.firstPlacement + L.capPlacement[c]!, L.capLimit[c]!, 0);
  for (let j = 0; j < J; j++) add(L.firstPlacement + j, SINK, seatsOf(instance, j), 0);
  wishes.forEach((list, p) => {
    const school = instance.pupils[p]!.school;
    for (const w of list) add(2 + p, wishTarget(L, school, w.placement), 1, w.rank);
  });
  const n = L.nodes;
  const first = new Int32Array(n + 1);
  for (let e = 0; e < E; e++) {
    first[eu[e]! + 1]!++;
    first[ev[e]! + 1]!++;
  }
  for (let v = 0; v < n; v++) first[v + 1]! += first[v]!;
  const pos = first.slice(0, n);
  const to = new Int32Array(2 * E);
  const rev = new Int32Array(2 * E);
  const res = new Int32Array(2 * E);
  const rank = new Int16Array(2 * E);
  const forward = new Int32Array(E);
  for (let e = 0; e < E; e++) {
    const a = pos[eu[e]!]!++;
    const b = pos[ev[e]!]!++;
    to[a] = ev[e]!;
    to[b] = eu[e]!;
    rev[a] = b;
    rev[b] = a;
    res[a] = ecap[e]!;
    rank[a] = erank[e]!;
    rank[b] = -erank[e]!;
    forward[e] = a;
  }
  return {
    layout: L,
    n,
    first,
    to,
    rev,
    res,
    rank,
    frozen: new Uint8Array(2 * E),
    freeEnd: first.slice(1),
    sourceArc: forward.slice(0, P),
    capArc: forward.slice(P, P + C),
    sinkArc: forward.slice(P + C, P + C + J),
  };
}

/** Moves one unit along arc a. */
export function push(net: Network, a: number): void {
  net.res[a]!--;
  net.res[net.rev[a]!]!++;
}

/** The cost of arc a in stage k: stage 0 counts placed pupils, stage k ≥ 1 wishes of rank k. */
export function stageCost(rank: number, k: number): number {
  if (rank === 0) return 0;
  if (k === 0) return rank > 0 ? -1 : 1;
  return rank === k ? -1 : rank === -k ? 1 : 0;
}

/**
 * A start: rank by rank, every pupil not yet placed takes that wish if it has a seat (and the
 * school's cap allows). Only a warm start: the stages below prove and repair it.
 */
export function greedyStart(net: Network): void {
  const { layout: L, first, to, rank, res } = net;
  const placementOf = (v: number) => (v >= L.firstCapNode ? L.firstPlacement + L.capPlacement[v - L.firstCapNode]! : v);
  for (let k = 1; k < L.dims; k++) {
    for (let p = 0; p < L.pupils; p++) {
      const u = 2 + p;
      if (res[net.sourceArc[p]!] === 0) continue;
      for (let a = first[u]!; a < first[u + 1]!; a++) {
        if (rank[a] !== k) continue;
        const v = to[a]!;
        const j = placementOf(v);
        const sink = net.sinkArc[j - L.firstPlacement]!;
        const capArc = v >= L.firstCapNode ? net.capArc[v - L.firstCapNode]! : -1;
        if (res[sink]! > 0 && res[a]! > 0 && (capArc < 0 || res[capArc]! > 0)) {
          push(net, net.sourceArc[p]!);
          push(net, a);
          if (capArc >= 0) push(net, capArc);
          push(net, sink);
        }
        break;
      }
    }
  }
}

/**
 * Stage 0: as many pupils placed as possible (Dinic's maximum flow from the warm start).
 * Returns the nodes the source still reaches in the residual network (the minimum cut's side).
 */
export function maximumFlow(net: Network): Uint8Array {
  const { n, first, to, res, rev } = net;
  const level = new Int32Array(n);
  const queue = new Int32Array(n);
  const cur = new Int32Array(n);
  const path = new Int32Array(n);
  for (;;) {
    level.fill(-1);
    level[SOURCE] = 0;
    queue[0] = SOURCE;
    let tail = 1;
    for (let qi = 0; qi < tail; qi++) {
      const u = queue[qi]!;
      for (let a = first[u]!; a < first[u + 1]!; a++) {
        const v = to[a]!;
        if (res[a]! > 0 && level[v] === -1) {
          level[v] = level[u]! + 1;
          queue[tail++] = v;
        }
      }
    }
    if (level[SINK] === -1) {
      const reached = new Uint8Array(n);
      for (let v = 0; v < n; v++) reached[v] = level[v]! >= 0 ? 1 : 0;
      return reached;
    }
    cur.set(first.subarray(0, n));
    for (;;) {
      let u = SOURCE;
      let depth = 0;
      while (u !== SINK) {
        let a = cur[u]!;
        const end = first[u + 1]!;
        while (a < end && !(res[a]! > 0 && level[to[a]!] === level[u]! + 1)) a++;
        cur[u] = a;
        if (a === end) {
          if (u === SOURCE) break;
          level[u] = -1;
          u = to[rev[path[--depth]!]!]!;
          continue;
        }
        path[depth++] = a;
        u = to[a]!;
      }
      if (u !== SINK) break;
      for (let i = 0; i < depth; i++) push(net, path[i]!);
    }
  }
}

/**
 * Freezes every free arc pair whose stage-k reduced cost is not zero: every optimal flow of
 * this stage keeps it where it is (complementary slackness), so later stages leave it alone.
 */
export function freezeNonZero(net: Network, k: number, pi: Int32Array): void {
  const { n, first, to, rank, frozen, rev, freeEnd } = net;
  for (let u = 0; u < n; u++) {
    for (let a = first[u]!; a < freeEnd[u]!; a++) {
      if (frozen[a] || rank[a]! < 0) continue;
      if (stageCost(rank[a]!, k) + pi[u]! - pi[to[a]!]! !== 0) frozen[a] = frozen[rev[a]!] = 1;
    }
  }
}

/**
 * Freezes the arcs that cannot move any more although their reduced costs are zero: a node
 * with one free arc left keeps that arc's flow (conservation), and so on, leaf by leaf.
 * Appends to `pruned`, in order, (leaf, neighbour, rank of the arc leaf → neighbour) for each
 * arc frozen this way: later stages give the leaf the potential that keeps it tight.
 */
export function pruneLeaves(net: Network, pruned: number[]): void {
  const { n, first, to, frozen, rev, freeEnd } = net;
  const degree = new Int32Array(n);
  const stack: number[] = [];
  for (let u = 0; u < n; u++) {
    let d = 0;
    for (let a = first[u]!; a < freeEnd[u]!; a++) if (!frozen[a]) d++;
    degree[u] = d;
    if (d === 1) stack.push(u);
  }
  while (stack.length > 0) {
    const v = stack.pop()!;
    if (degree[v] !== 1) continue;
    let a = first[v]!;
    while (frozen[a]) a++;
    frozen[a] = frozen[rev[a]!] = 1;
    const u = to[a]!;
    pruned.push(v, u, net.rank[a]!);
    degree[v] = 0;
    if (--degree[u]! === 1) stack.push(u);
  }
}

/** The potentials of pruned leaves (latest first), so that their frozen arcs stay tight in stage k. */
export function tightenPruned(pruned: readonly number[], k: number, pi: Int32Array): void {
  for (let i = pruned.length - 3; i >= 0; i -= 3) {
    // cost + π(leaf) − π(neighbour) = 0.
    pi[pruned[i]!] = pi[pruned[i + 1]!]! - stageCost(pruned[i + 2]!, k);
  }
}

/** Moves each node's free arcs to the front of its range (so searches skip the frozen ones). */
export function compact(net: Network): void {
  const { n, first, frozen, freeEnd } = net;
  for (let u = 0; u < n; u++) {
    let i = first[u]!;
    let j = freeEnd[u]! - 1;
    for (;;) {
      while (i <= j && !frozen[i]) i++;
      while (i <= j && frozen[j]) j--;
      if (i >= j) break;
      swapArcs(net, i, j);
    }
    freeEnd[u] = i;
  }
}

function swapArcs(net: Network, i: number, j: number): void {
  const { to, rev, res, rank, frozen } = net;
  const ri = rev[i]!;
  const rj = rev[j]!;
  [to[i], to[j]] = [to[j]!, to[i]!];
  [res[i], res[j]] = [res[j]!, res[i]!];
  [rank[i], rank[j]] = [rank[j]!, rank[i]!];
  [frozen[i], frozen[j]] = [frozen[j]!, frozen[i]!];
  rev[i] = rj;
  rev[j] = ri;
  rev[rj] = i;
  rev[ri] = j;
}

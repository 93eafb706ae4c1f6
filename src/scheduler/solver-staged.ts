/**
 * The fast exact solver: the lexicographic objective one component at a time, each with small
 * integer costs, each later stage restricted to the optimal allocations of the earlier ones.
 *
 * Stage 0 is a maximum flow (most pupils placed); its minimum cut gives the stage's potentials.
 * Stage k ≥ 1 costs −1 on wish arcs of rank k and 0 elsewhere. After each stage, every arc
 * whose reduced cost is not zero is frozen: every optimal flow of that stage agrees with every
 * optimal dual (complementary slackness), so such an arc has the same flow in all of them.
 * Later stages move flow on unfrozen arcs only, starting from the current flow: every unfrozen
 * rank-k arc with room is filled (its reduced cost under zero potentials is −1), and the
 * surplus this leaves at placements is sent back to the pupils short of flow along shortest
 * paths (Dijkstra with a bucket queue — costs are tiny integers — then blocking flows on the
 * zero-reduced-cost arcs), which is the primal–dual method with several sources and sinks.
 *
 * Arcs are also frozen when they cannot move although their reduced cost is zero (a node with
 * one free arc left keeps its flow there, leaf by leaf); such an arc's leaf is given, stage by
 * stage, the potential that keeps the arc's reduced cost zero. The searches skip frozen arcs
 * (`compact` moves them to the end of each node's arcs), so later stages work on the part of
 * the round that is still undecided: after the first wishes, about a third of the arcs.
 *
 * The stages' potentials, stacked, certify the result against the original vector costs:
 * an arc frozen in stage j has zero reduced cost in stages before j and a positive one in j;
 * every other residual arc has zero reduced costs and a non-negative last one. Each stage's
 * potentials only fall, by at most the final shortest-path distance (≤ the number of nodes,
 * costs being 0 or ±1), so they fit in 32 bits for any round that fits in memory.
 */
import { SINK, SOURCE, type Layout } from './flow-graph.ts';
import { buildNetwork, compact, freezeNonZero, greedyStart, maximumFlow, pruneLeaves, push, stageCost, tightenPruned, type Network } from './solver-network.ts';
import type { SolverInstance } from './solver.ts';

export interface StagedSolution {
  /** Per pupil (in the instance's order): the placement, or −1. */
  assigned: Int32Array;
  /** dims potentials per node (node-major), nodes numbered as in `flow-graph.ts`. */
  potentials: Int32Array;
  dims: number;
}

export function solveStaged(instance: SolverInstance, L?: Layout): StagedSolution {
  const net = buildNetwork(instance, L);
  const n = net.n;
  const dims = net.layout.dims;
  const potentials = new Int32Array(n * dims);
  greedyStart(net);
  const reached = maximumFlow(net);
  // Stage 0's potentials: the minimum cut (1 beyond it), shifted by 1 on the source and the
  // pupils so that they are potentials for the cost −1 on wish arcs (not on a return arc).
  const pi0 = new Int32Array(n);
  for (let v = 0; v < n; v++) pi0[v] = (reached[v] ? 0 : 1) + (v === SOURCE || (v >= 2 && v < net.layout.firstPlacement) ? 1 : 0);
  freezeNonZero(net, 0, pi0);
  const pruned: number[] = [];
  pruneLeaves(net, pruned);
  compact(net);
  for (let v = 0; v < n; v++) potentials[v * dims] = pi0[v]!;
  for (let k = 1; k < dims; k++) {
    const pi = rankStage(net, k);
    tightenPruned(pruned, k, pi);
    // The free arcs never cross the cut, so either side's potentials may move as a block:
    // align the sink with the source, which makes the return arc sink → source (of a
    // circulation) tight too; prices and explanations rely on it.
    const shift = pi[SOURCE]! - pi[SINK]!;
    for (let v = 0; v < n; v++) if (!reached[v]) pi[v]! += shift;
    freezeNonZero(net, k, pi);
    pruneLeaves(net, pruned);
    compact(net);
    for (let v = 0; v < n; v++) potentials[v * dims + k] = pi[v]!;
  }
  return { assigned: assignment(net), potentials, dims };
}

function assignment(net: Network): Int32Array {
  const { layout: L, first, to, rank, res } = net;
  const assigned = new Int32Array(L.pupils).fill(-1);
  for (let p = 0; p < L.pupils; p++) {
    const u = 2 + p;
    for (let a = first[u]!; a < first[u + 1]!; a++) {
      if (rank[a]! <= 0 || res[a] !== 0) continue;
      const v = to[a]!;
      assigned[p] = v >= L.firstCapNode ? L.capPlacement[v - L.firstCapNode]! : v - L.firstPlacement;
    }
  }
  return assigned;
}

/** Stage k ≥ 1: most wishes of rank k among the allocations optimal so far. */
function rankStage(net: Network, k: number): Int32Array {
  const pi = new Int32Array(net.n);
  const excess = new Int32Array(net.n);
  let left = fillNegativeArcs(net, k, pi, excess);
  const search = new Search(net, k, pi, excess);
  while (left > 0) {
    search.shortestPaths();
    const pushed = search.blockingFlow();
    if (pushed === 0) throw new Error('solver: surplus with no way back (cannot happen for a feasible start)');
    left -= pushed;
  }
  return pi;
}

/** Fills every free arc with a negative reduced cost; returns the surplus this makes. */
function fillNegativeArcs(net: Network, k: number, pi: Int32Array, excess: Int32Array): number {
  const { n, first, to, res, rev, freeEnd, frozen } = net;
  let surplus = 0;
  for (let u = 0; u < n; u++) {
    for (let a = first[u]!; a < freeEnd[u]!; a++) {
      if (frozen[a] || res[a]! <= 0) continue;
      const v = to[a]!;
      if (stageCost(net.rank[a]!, k) + pi[u]! - pi[v]! >= 0) continue;
      const units = res[a]!;
      res[a] = 0;
      res[rev[a]!]! += units;
      excess[v]! += units;
      excess[u]! -= units;
    }
  }
  for (let v = 0; v < n; v++) if (excess[v]! > 0) surplus += excess[v]!;
  return surplus;
}

/** Dijkstra and blocking flows of one stage, over the unfrozen arcs with room. */
class Search {
  private readonly dist: Int32Array;
  private readonly level: Int32Array;
  private readonly queue: Int32Array;
  private readonly cur: Int32Array;
  private readonly path: Int32Array;
  private buckets = new Int32Array(64);
  private entryNode: Int32Array;
  private entryNext: Int32Array;

  constructor(
    private readonly net: Network,
    private readonly k: number,
    private readonly pi: Int32Array,
    private readonly excess: Int32Array,
  ) {
    const n = net.n;
    this.dist = new Int32Array(n);
    this.level = new Int32Array(n);
    this.queue = new Int32Array(n);
    this.cur = new Int32Array(n);
    this.path = new Int32Array(n);
    this.entryNode = new Int32Array(1024);
    this.entryNext = new Int32Array(1024);
  }

  private reduced(u: number, a: number): number {
    return stageCost(this.net.rank[a]!, this.k) + this.pi[u]! - this.pi[this.net.to[a]!]!;
  }

  /**
   * Distances from every node with surplus, until the first node short of flow is settled at
   * distance D; then π += min(dist, D) − D (only differences of π matter, so the nodes not
   * settled keep theirs), which keeps every reduced cost ≥ 0 and zeroes the shortest paths.
   */
  shortestPaths(): void {
    const { net, dist, excess, pi } = this;
    const { n, first, to, res, frozen, freeEnd } = net;
    const INF = 0x7fffffff;
    dist.fill(INF);
    const settledList: number[] = [];
    let entries = 0;
    let top = 0;
    this.buckets.fill(-1);
    const put = (v: number, d: number) => {
      if (d >= this.buckets.length) {
        const grown = new Int32Array(Math.max(d + 1, 2 * this.buckets.length)).fill(-1);
        grown.set(this.buckets);
        this.buckets = grown;
      }
      if (entries === this.entryNode.length) {
        this.entryNode = grow(this.entryNode);
        this.entryNext = grow(this.entryNext);
      }
      this.entryNode[entries] = v;
      this.entryNext[entries] = this.buckets[d]!;
      this.buckets[d] = entries++;
      if (d > top) top = d;
    };
    for (let v = 0; v < n; v++) {
      if (excess[v]! > 0) {
        dist[v] = 0;
        put(v, 0);
      }
    }
    const settled = new Uint8Array(n);
    let D = -1;
    for (let d = 0; d <= top && D < 0; d++) {
      while (this.buckets[d]! !== -1) {
        const entry = this.buckets[d]!;
        this.buckets[d] = this.entryNext[entry]!;
        const u = this.entryNode[entry]!;
        if (settled[u] || dist[u] !== d) continue;
        settled[u] = 1;
        settledList.push(u);
        if (excess[u]! < 0) {
          D = d;
          break;
        }
        for (let a = first[u]!; a < freeEnd[u]!; a++) {
          if (frozen[a] || res[a]! <= 0) continue;
          const v = to[a]!;
          const nd = d + this.reduced(u, a);
          if (nd < dist[v]!) {
            dist[v] = nd;
            put(v, nd);
          }
        }
      }
    }
    if (D < 0) throw new Error('solver: no node short of flow is reachable');
    for (const v of settledList) pi[v]! += dist[v]! - D;
  }

  /** Blocking flows on the zero-reduced-cost arcs, from surplus to shortage, until none is left. */
  blockingFlow(): number {
    const { net, level, queue, cur, path, excess } = this;
    const { n, first, to, res, frozen, rev, freeEnd } = net;
    let pushed = 0;
    const admissible = (u: number, a: number) => !frozen[a] && res[a]! > 0 && this.reduced(u, a) === 0;
    for (;;) {
      level.fill(-1);
      let tail = 0;
      for (let v = 0; v < n; v++) {
        if (excess[v]! > 0) {
          level[v] = 0;
          queue[tail++] = v;
        }
      }
      const sources = tail;
      let goal = -1;
      for (let qi = 0; qi < tail; qi++) {
        const u = queue[qi]!;
        if (goal >= 0 && level[u]! >= goal) break;
        for (let a = first[u]!; a < freeEnd[u]!; a++) {
          const v = to[a]!;
          if (level[v] !== -1 || !admissible(u, a)) continue;
          level[v] = level[u]! + 1;
          queue[tail++] = v;
          if (excess[v]! < 0 && goal < 0) goal = level[v]!;
        }
      }
      if (goal < 0) return pushed;
      // Nodes on the goal level that are not short of flow are dead ends.
      for (let qi = sources; qi < tail; qi++) {
        const v = queue[qi]!;
        if (level[v]! > goal || (level[v] === goal && excess[v]! >= 0)) level[v] = -1;
      }
      cur.set(first.subarray(0, n));
      for (let si = 0; si < sources; si++) {
        const s = queue[si]!;
        while (excess[s]! > 0) {
          let u = s;
          let depth = 0;
          while (level[u] !== goal) {
            let a = cur[u]!;
            const end = freeEnd[u]!;
            while (a < end && !(level[to[a]!] === level[u]! + 1 && admissible(u, a))) a++;
            cur[u] = a;
            if (a === end) {
              level[u] = -1;
              if (u === s) break;
              u = to[rev[path[--depth]!]!]!;
              continue;
            }
            path[depth++] = a;
            u = to[a]!;
          }
          if (level[u] !== goal) break;
          for (let i = 0; i < depth; i++) push(net, path[i]!);
          excess[s]!--;
          excess[u]!++;
          if (excess[u] === 0) level[u] = -1;
          pushed++;
        }
      }
    }
  }
}

function grow(a: Int32Array): Int32Array {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

/**
 * The reference solver: the first exact solver of the allocation, kept to check the fast one
 * (`solver-staged.ts`) in tests. One min-cost flow with lexicographic VECTOR costs
 * (see `flow-graph.ts`): successive shortest paths with vector node potentials (Dijkstra on
 * non-negative reduced costs, a binary heap of vector keys), augmenting a blocking flow of
 * shortest paths per round. Simple and exact, but slow on large rounds (100,000 pupils: minutes).
 * No lottery: ties fall to the given order.
 */
import { buildFlowGraph, compareAt, reducedCost, SINK, SOURCE, type FlowGraph } from './flow-graph.ts';
import type { Certificate, SolverInstance } from './solver.ts';

export interface ReferenceResult {
  placement: (number | null)[];
  rank: (number | null)[];
  placed: number;
  byRank: number[];
  certificate: Certificate;
}

function isZero(v: Int32Array, dims: number): boolean {
  for (let k = 0; k < dims; k++) if (v[k] !== 0) return false;
  return true;
}

/** Potentials for the start: shortest distances in the (acyclic) network before any flow. */
function initialPotentials(g: FlowGraph, P: number, J: number): Int32Array {
  const d = g.dims;
  const pi = new Int32Array(g.nodes * d);
  const candidate = new Int32Array(d);
  // Each node takes the minimum over its incoming forward edges (even numbers; odd ones are
  // the reverses), layer by layer: pupils (0) feed capped nodes and placements, capped nodes
  // feed placements, placements feed the sink.
  const relaxFrom = (u: number) => {
    for (let e = g.head[u]!; e !== -1; e = g.next[e]!) {
      if ((e & 1) === 1) continue;
      const v = g.to[e]!;
      for (let k = 0; k < d; k++) candidate[k] = pi[u * d + k]! + g.cost[e * d + k]!;
      if (compareAt(candidate, 0, pi, v * d, d) < 0) pi.set(candidate, v * d);
    }
  };
  const firstPlacement = 2 + P;
  const firstCapNode = firstPlacement + J;
  for (let u = 2; u < firstPlacement; u++) relaxFrom(u);
  for (let u = firstCapNode; u < g.nodes; u++) relaxFrom(u);
  for (let u = firstPlacement; u < firstCapNode; u++) relaxFrom(u);
  return pi;
}

/**
 * A binary heap of nodes with vector keys. Each entry keeps a copy of its key from when it was
 * pushed (a node is pushed again when its distance drops; stale entries are skipped when
 * popped), in one flat pool so that pushing allocates nothing.
 */
class VectorHeap {
  private readonly nodes: Int32Array;
  private readonly slots: Int32Array;
  private readonly pool: Int32Array;
  private count = 0;
  private used = 0;
  constructor(
    private readonly dims: number,
    capacity: number,
  ) {
    this.nodes = new Int32Array(capacity);
    this.slots = new Int32Array(capacity);
    this.pool = new Int32Array(capacity * dims);
  }
  get size(): number {
    return this.count;
  }
  private less(a: number, b: number): boolean {
    return compareAt(this.pool, this.slots[a]! * this.dims, this.pool, this.slots[b]! * this.dims, this.dims) < 0;
  }
  private swap(a: number, b: number): void {
    const n = this.nodes[a]!;
    this.nodes[a] = this.nodes[b]!;
    this.nodes[b] = n;
    const k = this.slots[a]!;
    this.slots[a] = this.slots[b]!;
    this.slots[b] = k;
  }
  push(node: number, key: Int32Array, offset: number): void {
    const slot = this.used++;
    this.pool.set(key.subarray(offset, offset + this.dims), slot * this.dims);
    let i = this.count++;
    this.nodes[i] = node;
    this.slots[i] = slot;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }
  pop(): number {
    const top = this.nodes[0]!;
    const n = --this.count;
    if (n > 0) {
      this.nodes[0] = this.nodes[n]!;
      this.slots[0] = this.slots[n]!;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < n && this.less(l, m)) m = l;
        if (r < n && this.less(r, m)) m = r;
        if (m === i) break;
        this.swap(i, m);
        i = m;
      }
    }
    return top;
  }
}

/**
 * Dijkstra on reduced costs from the source, stopping once the sink is settled: every node
 * not settled by then is at least as far as the sink, which is all the update needs to know.
 * Returns the settled flags and their distances (dims per node).
 */
function shortestPaths(g: FlowGraph, pi: Int32Array): { settled: Uint8Array; dist: Int32Array } {
  const d = g.dims;
  const dist = new Int32Array(g.nodes * d);
  const reached = new Uint8Array(g.nodes);
  const settled = new Uint8Array(g.nodes);
  // Each edge can push its head at most once per run, the source once more.
  const heap = new VectorHeap(d, g.edges + 1);
  const rc = new Int32Array(d);
  const candidate = new Int32Array(d);
  reached[SOURCE] = 1;
  heap.push(SOURCE, dist, 0);
  while (heap.size > 0) {
    const u = heap.pop();
    if (settled[u]) continue;
    settled[u] = 1;
    if (u === SINK) break;
    for (let e = g.head[u]!; e !== -1; e = g.next[e]!) {
      if (g.cap[e]! <= 0) continue;
      const v = g.to[e]!;
      if (settled[v]) continue;
      reducedCost(g, pi, u, e, rc);
      for (let k = 0; k < d; k++) candidate[k] = dist[u * d + k]! + rc[k]!;
      if (!reached[v] || compareAt(candidate, 0, dist, v * d, d) < 0) {
        dist.set(candidate, v * d);
        reached[v] = 1;
        heap.push(v, candidate, 0);
      }
    }
  }
  return { settled, dist };
}

/** Pushes as many shortest augmenting paths as the admissible (zero reduced cost) network holds. */
function blockingFlow(g: FlowGraph, pi: Int32Array): number {
  const d = g.dims;
  // Whether an edge has a zero reduced cost is fixed while π is, so it is worked out once, when
  // the search first looks at the edge (most edges it never reaches). An edge is admissible
  // while it also has capacity left (pushing flow opens the reverse edge, also at zero).
  const zero = new Int8Array(g.edges).fill(-1);
  const rc = new Int32Array(d);
  const admissible = (u: number, e: number) => {
    if (g.cap[e]! <= 0) return false;
    let z = zero[e]!;
    if (z === -1) {
      reducedCost(g, pi, u, e, rc);
      zero[e] = z = isZero(rc, d) ? 1 : 0;
    }
    return z === 1;
  };
  const level = new Int32Array(g.nodes);
  const queue = new Int32Array(g.nodes);
  let pushed = 0;
  for (;;) {
    // Levels on the admissible network, so the search below cannot run in a circle.
    level.fill(-1);
    level[SOURCE] = 0;
    queue[0] = SOURCE;
    let tail = 1;
    for (let qi = 0; qi < tail; qi++) {
      const u = queue[qi]!;
      for (let e = g.head[u]!; e !== -1; e = g.next[e]!) {
        const v = g.to[e]!;
        if (level[v] === -1 && admissible(u, e)) {
          level[v] = level[u]! + 1;
          queue[tail++] = v;
        }
      }
    }
    if (level[SINK] === -1) return pushed;
    const current = Int32Array.from(g.head);
    let found = false;
    // Every augmenting path carries one pupil (capacity 1 from the source).
    for (;;) {
      const path: number[] = [];
      let u = SOURCE;
      while (u !== SINK) {
        let e = current[u]!;
        while (e !== -1 && !(level[g.to[e]!] === level[u]! + 1 && admissible(u, e))) e = g.next[e]!;
        current[u] = e;
        if (e === -1) {
          // A dead end: retreat.
          if (u === SOURCE) break;
          level[u] = -1;
          const back = path.pop()!;
          u = g.to[back ^ 1]!;
          continue;
        }
        path.push(e);
        u = g.to[e]!;
      }
      if (u !== SINK) break;
      for (const e of path) {
        g.cap[e]!--;
        g.cap[e ^ 1]!++;
      }
      pushed++;
      found = true;
    }
    if (!found) return pushed;
  }
}

export function solveReference(instance: SolverInstance): ReferenceResult {
  const P = instance.pupils.length;
  const { graph: g, wishEdges } = buildFlowGraph(instance);
  const d = g.dims;
  const pi = initialPotentials(g, P, instance.capacities.length);
  for (;;) {
    const { settled, dist } = shortestPaths(g, pi);
    if (!settled[SINK]) break;
    // π += min(dist, dist(sink)) keeps reduced costs non-negative and puts shortest paths at
    // zero. A node not settled before the sink is at least as far as the sink, so it would get
    // dist(sink) like every such node; only differences of π matter, so instead every settled
    // node gets dist − dist(sink) (≤ 0) and the others nothing: the work is the settled nodes'.
    for (let v = 0; v < g.nodes; v++) {
      if (!settled[v]) continue;
      for (let k = 0; k < d; k++) pi[v * d + k]! += dist[v * d + k]! - dist[SINK * d + k]!;
    }
    if (blockingFlow(g, pi) === 0) break;
  }
  const placement: (number | null)[] = new Array(P).fill(null);
  const rank: (number | null)[] = new Array(P).fill(null);
  const byRank = new Array(Math.max(0, d - 1)).fill(0);
  let placed = 0;
  wishEdges.forEach((edges, p) => {
    for (const w of edges) {
      if (g.cap[w.edge] === 0) {
        placement[p] = w.placement;
        rank[p] = w.rank;
        byRank[w.rank - 1]++;
        placed++;
      }
    }
  });
  return { placement, rank, placed, byRank, certificate: { dims: d, potentials: pi, graph: g } };
}

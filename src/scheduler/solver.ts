/**
 * The allocation's solver: pure code, no I/O.
 *
 * Each pupil gets at most one of their ranked wishes (a placement); a placement takes at most
 * its capacity, and optionally each school at most its cap of a placement. Among all such
 * allocations it finds one that is lexicographically best: as many pupils placed as possible,
 * then as many first wishes as possible, then second wishes, and so on.
 *
 * As a min-cost flow (source → pupil → [placement, school] → placement → sink), assigning a
 * pupil to their wish of rank r costs the vector (−1, 0, …, −1 at r, …, 0). Vectors are added
 * componentwise and compared lexicographically, which is exact at any size (one float weight
 * would overflow 2^53), and minimum cost is exactly the order above. Successive shortest
 * paths with node potentials (Dijkstra on non-negative reduced costs), augmenting a blocking
 * flow of shortest paths per round, as in primal–dual algorithms. The final potentials are the
 * optimality certificate: every residual edge has a non-negative reduced cost
 * (`checkCertificate`), which holds exactly when no cheaper allocation exists.
 */

export interface SolverPupil {
  /** The pupil's school (for school caps). */
  school: string;
  /** Placement indexes in rank order (rank 1 first); duplicates are ignored after the first. */
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
}

export interface Certificate {
  dims: number;
  potentials: Int32Array;
  graph: FlowGraph;
}

/** The flow network as parallel arrays; edge e's reverse is e ^ 1. */
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

const SOURCE = 0;
const SINK = 1;

interface Built {
  graph: FlowGraph;
  /** Per pupil: the edges pupil → wish, with the rank of each. */
  wishEdges: { edge: number; placement: number; rank: number }[][];
}

function build(instance: SolverInstance): Built {
  const P = instance.pupils.length;
  const J = instance.capacities.length;
  const maxRank = instance.pupils.reduce((m, p) => Math.max(m, p.wishes.length), 0);
  const dims = maxRank + 1;
  const caps = new Map<string, number>();
  for (const c of instance.schoolCaps ?? []) caps.set(`${c.placement}\u0000${c.school}`, Math.max(0, Math.floor(c.cap)));
  // Nodes: 0 source, 1 sink, pupils, placements, then one node per capped (placement, school).
  const pupilNode = (p: number) => 2 + p;
  const placementNode = (j: number) => 2 + P + j;
  const capNodes = new Map<string, number>();
  let nodes = 2 + P + J;
  for (const key of caps.keys()) capNodes.set(key, nodes++);
  const wishCount = instance.pupils.reduce((n, p) => n + p.wishes.length, 0);
  const maxEdges = 2 * (P + wishCount + J + caps.size);
  const g: FlowGraph = {
    nodes,
    dims,
    head: new Int32Array(nodes).fill(-1),
    next: new Int32Array(maxEdges),
    to: new Int32Array(maxEdges),
    cap: new Int32Array(maxEdges),
    cost: new Int32Array(maxEdges * dims),
    edges: 0,
  };
  const add = (u: number, v: number, capacity: number, rank: number) => {
    for (const [from, target, c, sign] of [
      [u, v, capacity, -1],
      [v, u, 0, 1],
    ] as const) {
      const e = g.edges++;
      g.to[e] = target;
      g.cap[e] = c;
      g.next[e] = g.head[from]!;
      g.head[from] = e;
      if (rank > 0) {
        // Forward: −1 for a placed pupil, −1 at the rank; the reverse edge undoes it.
        g.cost[e * dims] = sign;
        g.cost[e * dims + rank] = sign;
      }
    }
    return g.edges - 2;
  };
  for (let p = 0; p < P; p++) add(SOURCE, pupilNode(p), 1, 0);
  for (const [key, node] of capNodes) {
    const j = Number(key.split('\u0000')[0]);
    add(node, placementNode(j), caps.get(key)!, 0);
  }
  const wishEdges: Built['wishEdges'] = [];
  instance.pupils.forEach((pupil, p) => {
    const seen = new Set<number>();
    const edges: Built['wishEdges'][number] = [];
    pupil.wishes.forEach((j, i) => {
      if (seen.has(j) || j < 0 || j >= J) return;
      seen.add(j);
      const capNode = capNodes.get(`${j}\u0000${pupil.school}`);
      edges.push({ edge: add(pupilNode(p), capNode ?? placementNode(j), 1, i + 1), placement: j, rank: i + 1 });
    });
    wishEdges.push(edges);
  });
  for (let j = 0; j < J; j++) add(placementNode(j), SINK, Math.max(0, Math.floor(instance.capacities[j]!)), 0);
  return { graph: g, wishEdges };
}

// ---- vectors of `dims` integers, compared lexicographically ----

function compareAt(a: Int32Array, ai: number, b: Int32Array, bi: number, dims: number): number {
  for (let k = 0; k < dims; k++) {
    const d = a[ai + k]! - b[bi + k]!;
    if (d !== 0) return d;
  }
  return 0;
}

/** reduced cost of edge e (from u to v) into out[0..dims): cost + π(u) − π(v). */
function reducedCost(g: FlowGraph, pi: Int32Array, u: number, e: number, out: Int32Array): void {
  const d = g.dims;
  const v = g.to[e]!;
  for (let k = 0; k < d; k++) out[k] = g.cost[e * d + k]! + pi[u * d + k]! - pi[v * d + k]!;
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

/** The order the lottery gives the pupils (a Fisher–Yates shuffle), or the given order. */
function lotteryOrder(count: number, seed: number | undefined): number[] {
  const order = Array.from({ length: count }, (_, i) => i);
  if (seed === undefined) return order;
  const random = seededRandom(seed);
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

/** Solves the instance exactly (see the module comment); ties are settled by `instance.seed`. */
export function solve(instance: SolverInstance): SolverResult {
  const order = lotteryOrder(instance.pupils.length, instance.seed);
  const result = solveInOrder({ ...instance, pupils: order.map((i) => instance.pupils[i]!) });
  // Back to the caller's order.
  const placement: (number | null)[] = new Array(order.length).fill(null);
  const rank: (number | null)[] = new Array(order.length).fill(null);
  order.forEach((original, k) => {
    placement[original] = result.placement[k]!;
    rank[original] = result.rank[k]!;
  });
  return { ...result, placement, rank };
}

function solveInOrder(instance: SolverInstance): SolverResult {
  const P = instance.pupils.length;
  const { graph: g, wishEdges } = build(instance);
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

/**
 * The optimality certificate: no residual edge has a negative reduced cost under the final
 * potentials, and no augmenting path is left. Then no cheaper flow exists (complementary
 * slackness), so the allocation is lexicographically best. Returns the problems found (none: proven).
 */
export function checkCertificate(certificate: Certificate): string[] {
  const { graph: g, potentials: pi, dims: d } = certificate;
  const problems: string[] = [];
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
  if (shortestPaths(g, pi).settled[SINK]) problems.push('an augmenting path is left');
  return problems;
}

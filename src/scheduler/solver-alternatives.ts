/**
 * What giving a pupil one of their other wishes would cost, read off the solver's certificate.
 * Pure code.
 *
 * Forcing a pupil onto a wish edge e they do not hold changes the flow by a cycle of residual
 * arcs through e (plus the return arc sink → source of the circulation, which lets the number
 * placed change); the best such allocation is worse than the optimum by the cheapest such
 * cycle. Every residual arc has a lexicographically non-negative reduced cost, so a cycle's
 * cost has zero components up to k exactly when all its arcs have, and then the cost's
 * component k+1 is ≥ 0. Hence, with SCC_k the strongly connected components of the residual
 * arcs whose reduced costs are zero in components 0..k, the first level k at which e is not
 * zero there or its ends fall apart is the first component the forced allocation loses:
 * level 0, fewer pupils placed; level k ≥ 1, fewer wishes of rank k (with as many placed and
 * as many wishes of each better rank). No such level: an equally good allocation gives the
 * pupil that wish — only the lottery decided.
 */
import { SINK, SOURCE } from './flow-graph.ts';
import type { Certificate } from './solver.ts';

/** −1: equally good; 0: one fewer placed at least; k ≥ 1: fewer wishes of rank k. */
export type LossLevel = number;

export interface Alternatives {
  /** The loss of forcing the (unused) edge e of the certificate's graph from `from`. */
  lossOf(from: number, e: number): LossLevel;
}

export function analyseAlternatives(certificate: Certificate): Alternatives {
  const { graph: g, potentials: pi, dims: d } = certificate;
  const n = g.nodes;
  // The residual arcs with a zero first component, in compressed form, each with the number of
  // leading zero components of its reduced cost; plus the return arc(s).
  const zeroPrefix = new Uint16Array(g.edges);
  const flowOut = sumFlowOutOfSource(certificate);
  const lead = (rc: (k: number) => number) => {
    let k = 0;
    while (k < d && rc(k) === 0) k++;
    return k;
  };
  const degree = new Int32Array(n + 1);
  for (let u = 0; u < n; u++) {
    for (let e = g.head[u]!; e !== -1; e = g.next[e]!) {
      if (g.cap[e]! <= 0) continue;
      const v = g.to[e]!;
      zeroPrefix[e] = lead((k) => g.cost[e * d + k]! + pi[u * d + k]! - pi[v * d + k]!);
      if (zeroPrefix[e]! > 0) degree[u + 1]!++;
    }
  }
  const back = lead((k) => pi[SINK * d + k]! - pi[SOURCE * d + k]!);
  const forth = flowOut > 0 ? lead((k) => pi[SOURCE * d + k]! - pi[SINK * d + k]!) : 0;
  if (back > 0) degree[SINK + 1]!++;
  if (forth > 0) degree[SOURCE + 1]!++;
  for (let u = 0; u < n; u++) degree[u + 1]! += degree[u]!;
  const first = degree;
  const to = new Int32Array(first[n]!);
  const zp = new Uint16Array(first[n]!);
  const fill = first.slice(0, n);
  for (let u = 0; u < n; u++) {
    for (let e = g.head[u]!; e !== -1; e = g.next[e]!) {
      if (g.cap[e]! <= 0 || zeroPrefix[e] === 0) continue;
      const a = fill[u]!++;
      to[a] = g.to[e]!;
      zp[a] = zeroPrefix[e]!;
    }
  }
  if (back > 0) ((to[fill[SINK]!] = SOURCE), (zp[fill[SINK]!++] = back));
  if (forth > 0) ((to[fill[SOURCE]!] = SINK), (zp[fill[SOURCE]!++] = forth));
  const components: Int32Array[] = [];
  for (let k = 0; k < d; k++) components.push(stronglyConnected(n, first, to, (a) => zp[a]! > k));
  return {
    lossOf(from: number, e: number): LossLevel {
      const v = g.to[e]!;
      for (let k = 0; k < d; k++) {
        if (zeroPrefix[e]! <= k || components[k]![from] !== components[k]![v]) return k;
      }
      return -1;
    },
  };
}

function sumFlowOutOfSource(certificate: Certificate): number {
  const g = certificate.graph;
  let flow = 0;
  for (let e = g.head[SOURCE]!; e !== -1; e = g.next[e]!) if ((e & 1) === 0) flow += g.cap[e ^ 1]!;
  return flow;
}

/** Tarjan's strongly connected components (iterative), over the arcs `keep` accepts. */
export function stronglyConnected(n: number, first: Int32Array, to: Int32Array, keep: (a: number) => boolean): Int32Array {
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const comp = new Int32Array(n).fill(-1);
  const stack = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const callNode = new Int32Array(n);
  const callArc = new Int32Array(n);
  let top = 0;
  let depth = 0;
  let counter = 0;
  let comps = 0;
  const enter = (v: number) => {
    index[v] = low[v] = counter++;
    stack[top++] = v;
    onStack[v] = 1;
    callNode[depth] = v;
    callArc[depth++] = first[v]!;
  };
  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    enter(root);
    while (depth > 0) {
      const u = callNode[depth - 1]!;
      let a = callArc[depth - 1]!;
      let descended = false;
      for (; a < first[u + 1]!; a++) {
        if (!keep(a)) continue;
        const v = to[a]!;
        if (index[v] === -1) {
          callArc[depth - 1] = a + 1;
          enter(v);
          descended = true;
          break;
        }
        if (onStack[v] && index[v]! < low[u]!) low[u] = index[v]!;
      }
      if (descended) continue;
      depth--;
      if (depth > 0) {
        const parent = callNode[depth - 1]!;
        if (low[u]! < low[parent]!) low[parent] = low[u]!;
      }
      if (low[u] === index[u]) {
        let w: number;
        do {
          w = stack[--top]!;
          onStack[w] = 0;
          comp[w] = comps;
        } while (w !== u);
        comps++;
      }
    }
  }
  return comp;
}

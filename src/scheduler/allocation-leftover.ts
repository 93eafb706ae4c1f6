import { seededRandom, shuffled } from './flow-graph.ts';

/**
 * Pupils without wishes, placed in the seats the wishing pupils left (when the round says so).
 * They have no ranks, so this is a plain maximum matching: as many of them placed as possible,
 * each in one of their candidates, never over a placement's seats. Who gets which seat is
 * settled by the seed: pupils and candidates are taken in a shuffled order, and every pupil
 * left over is given an augmenting path if one exists (Kuhn's algorithm), which is what
 * makes the number placed the largest possible.
 */
export function placeLeftover(candidates: readonly number[][], capacities: readonly number[], seed: number): (number | null)[] {
  const random = seededRandom(seed);
  const P = candidates.length;
  const order = shuffled(P, random);
  const lists = candidates.map((c) => {
    const list = [...new Set(c)].filter((j) => j >= 0 && j < capacities.length);
    return shuffled(list.length, random).map((k) => list[k]!);
  });
  const free = capacities.map((c) => Math.max(0, Math.floor(c)));
  const assigned: (number | null)[] = new Array(P).fill(null);
  const holders: Set<number>[] = capacities.map(() => new Set<number>());
  const take = (p: number, j: number) => {
    assigned[p] = j;
    holders[j]!.add(p);
  };

  // Most pupils find a free seat straight away.
  for (const p of order) {
    const j = lists[p]!.find((c) => free[c]! > 0);
    if (j !== undefined) {
      free[j]!--;
      take(p, j);
    }
  }
  // The others: a breadth-first search for a chain of moves that ends in a free seat.
  const seenPlacement = new Int32Array(capacities.length).fill(-1);
  const seenPupil = new Int32Array(P).fill(-1);
  const cameFrom = new Int32Array(capacities.length);
  for (const start of order) {
    if (assigned[start] !== null || lists[start]!.length === 0) continue;
    const queue = [start];
    seenPupil[start] = start;
    let end = -1;
    for (let qi = 0; qi < queue.length && end < 0; qi++) {
      const u = queue[qi]!;
      for (const j of lists[u]!) {
        if (seenPlacement[j] === start) continue;
        seenPlacement[j] = start;
        cameFrom[j] = u;
        if (free[j]! > 0) {
          end = j;
          break;
        }
        for (const holder of holders[j]!) {
          if (seenPupil[holder] === start) continue;
          seenPupil[holder] = start;
          queue.push(holder);
        }
      }
    }
    if (end < 0) continue;
    free[end]!--;
    // Walk back: each pupil on the chain moves to the placement that led past them.
    let j = end;
    for (;;) {
      const u = cameFrom[j]!;
      const old = assigned[u] ?? null;
      if (old !== null) holders[old]!.delete(u);
      take(u, j);
      if (u === start || old === null) break;
      j = old;
    }
  }
  return assigned;
}

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkCertificate, solve, type SolverInstance } from '../../src/scheduler/solver.ts';

/** The order the solver optimises: pupils placed, then first wishes, second wishes, … (bigger is better). */
function profile(ranks: (number | null)[], maxRank: number): number[] {
  const byRank = new Array(maxRank).fill(0);
  for (const r of ranks) if (r !== null) byRank[r - 1]++;
  return [ranks.filter((r) => r !== null).length, ...byRank];
}

const compare = (a: number[], b: number[]) => {
  for (let i = 0; i < Math.max(a.length, b.length); i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) - (b[i] ?? 0);
  return 0;
};

/** Is the allocation allowed: wishes only, capacities and school caps kept? */
function feasible(instance: SolverInstance, placement: (number | null)[]): boolean {
  const used = new Map<number, number>();
  const bySchool = new Map<string, number>();
  for (const [p, j] of placement.entries()) {
    if (j === null) continue;
    if (!instance.pupils[p]!.wishes.includes(j)) return false;
    used.set(j, (used.get(j) ?? 0) + 1);
    const key = `${j} ${instance.pupils[p]!.school}`;
    bySchool.set(key, (bySchool.get(key) ?? 0) + 1);
  }
  for (const [j, n] of used) if (n > instance.capacities[j]!) return false;
  for (const c of instance.schoolCaps ?? []) if ((bySchool.get(`${c.placement} ${c.school}`) ?? 0) > c.cap) return false;
  return true;
}

/** Every allocation, tried: the best profile there is. */
function bruteForce(instance: SolverInstance): number[] {
  const maxRank = Math.max(0, ...instance.pupils.map((p) => p.wishes.length));
  let best: number[] | null = null;
  const choice: (number | null)[] = [];
  const walk = (p: number) => {
    if (p === instance.pupils.length) {
      if (!feasible(instance, choice)) return;
      const ranks = choice.map((j, i) => (j === null ? null : instance.pupils[i]!.wishes.indexOf(j) + 1));
      const prof = profile(ranks, maxRank);
      if (best === null || compare(prof, best) > 0) best = prof;
      return;
    }
    for (const option of [null, ...new Set(instance.pupils[p]!.wishes)]) {
      choice[p] = option;
      walk(p + 1);
    }
  };
  walk(0);
  return best!;
}

function expectOptimal(instance: SolverInstance) {
  const result = solve(instance);
  expect(feasible(instance, result.placement)).toBe(true);
  expect(checkCertificate(result.certificate)).toEqual([]);
  const maxRank = Math.max(0, ...instance.pupils.map((p) => p.wishes.length));
  expect(profile(result.rank, maxRank)).toEqual(bruteForce(instance));
  return result;
}

const pupil = (school: string, ...wishes: number[]) => ({ school, wishes });

describe('the solver, on hand-made cases', () => {
  it('gives everyone their first wish when there is room', () => {
    const result = expectOptimal({ pupils: [pupil('A', 0, 1), pupil('A', 1, 0)], capacities: [1, 1] });
    expect(result.rank).toEqual([1, 1]);
  });

  it('places as many as the seats allow when all want the same placement', () => {
    const result = expectOptimal({ pupils: [pupil('A', 0), pupil('A', 0), pupil('B', 0)], capacities: [2] });
    expect(result.placed).toBe(2);
  });

  it('places more pupils rather than giving one a better wish', () => {
    // Pupil 0 could take placement 0 (first wish), but then pupil 1 (only wish 0) is left out.
    const result = expectOptimal({ pupils: [pupil('A', 0, 1), pupil('A', 0)], capacities: [1, 1] });
    expect(result.placement).toEqual([1, 0]);
    expect(result.byRank).toEqual([1, 1]);
  });

  it('prefers more first wishes once as many as possible are placed', () => {
    const result = expectOptimal({ pupils: [pupil('A', 0, 1), pupil('A', 0, 1), pupil('A', 1)], capacities: [1, 2] });
    expect(result.byRank).toEqual([2, 1]);
  });

  it('places everyone even if that costs a first wish', () => {
    // Two first wishes are possible only by leaving pupil 1 out.
    const result = expectOptimal({ pupils: [pupil('A', 0, 1), pupil('A', 0, 1), pupil('A', 1, 2)], capacities: [1, 1, 1] });
    expect({ placed: result.placed, byRank: result.byRank }).toEqual({ placed: 3, byRank: [1, 2] });
  });

  it('keeps a school within its cap of a placement', () => {
    const result = expectOptimal({
      pupils: [pupil('A', 0), pupil('A', 0), pupil('A', 0), pupil('B', 0)],
      capacities: [3],
      schoolCaps: [{ placement: 0, school: 'A', cap: 2 }],
    });
    expect(result.placed).toBe(3);
    expect(result.placement[3]).toBe(0);
  });

  it('places nobody in a placement with no free seats', () => {
    const result = expectOptimal({ pupils: [pupil('A', 0)], capacities: [0] });
    expect(result.placement).toEqual([null]);
  });

  it('leaves a pupil without wishes unplaced', () => {
    expect(expectOptimal({ pupils: [pupil('A')], capacities: [1] }).placement).toEqual([null]);
  });
});

describe('the lottery', () => {
  // Ten pupils want the one placement with four seats: who gets them is the lottery's.
  const contested = (seed: number): SolverInstance => ({ pupils: Array.from({ length: 10 }, () => pupil('A', 0)), capacities: [4], seed });

  it('gives the same allocation for the same seed', () => {
    expect(solve(contested(7)).placement).toEqual(solve(contested(7)).placement);
  });

  it('gives other pupils the seats for other seeds, always as many', () => {
    const winners = new Set([1, 2, 3, 4, 5, 6].map((seed) => JSON.stringify(solve(contested(seed)).placement)));
    expect(winners.size).toBeGreaterThan(1);
    for (const seed of [1, 2, 3]) expect(solve(contested(seed)).placed).toBe(4);
  });
});

describe('the solver, on random small instances', () => {
  const instances = fc
    .record({ placements: fc.integer({ min: 1, max: 4 }), schools: fc.integer({ min: 1, max: 2 }) })
    .chain(({ placements, schools }) =>
      fc.record({
        pupils: fc.array(
          fc.record({
            school: fc.integer({ min: 0, max: schools - 1 }).map((s) => `S${s}`),
            wishes: fc.uniqueArray(fc.integer({ min: 0, max: placements - 1 }), { maxLength: Math.min(3, placements) }),
          }),
          { maxLength: 6 },
        ),
        capacities: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: placements, maxLength: placements }),
        schoolCaps: fc.array(
          fc.record({ placement: fc.integer({ min: 0, max: placements - 1 }), school: fc.integer({ min: 0, max: schools - 1 }).map((s) => `S${s}`), cap: fc.integer({ min: 0, max: 2 }) }),
          { maxLength: 2 },
        ),
      }),
    )
    .chain((i) => fc.option(fc.integer(), { nil: undefined }).map((seed) => ({ ...i, seed, schoolCaps: dedupeCaps(i.schoolCaps) })));

  it('never breaks a constraint, proves itself, and equals the best allocation found by trying them all', () => {
    fc.assert(
      fc.property(instances, (instance) => {
        expectOptimal(instance);
      }),
      { numRuns: 300 },
    );
  });
});

describe('the solver, on random instances too large to try every allocation', () => {
  const larger = fc.record({
    placements: fc.integer({ min: 5, max: 250 }),
    pupils: fc.integer({ min: 20, max: 1000 }),
    seed: fc.integer(),
  });

  it('proves every result with its certificate (no cheaper allocation exists) and keeps every constraint', () => {
    fc.assert(
      fc.property(larger, ({ placements, pupils, seed }) => {
        let state = seed >>> 0 || 1;
        const next = () => ((state = (state * 1103515245 + 12345) >>> 0) / 2 ** 32);
        const instance: SolverInstance = {
          // Popularity skewed towards low numbers, as a few companies are much wanted.
          pupils: Array.from({ length: pupils }, (_, i) => ({
            school: `S${i % 3}`,
            wishes: [...new Set(Array.from({ length: 5 }, () => Math.floor(placements * next() ** 2)))],
          })),
          capacities: Array.from({ length: placements }, () => Math.floor(next() * 5)),
          schoolCaps: [{ placement: 0, school: 'S0', cap: 1 }],
        };
        const result = solve(instance);
        expect(feasible(instance, result.placement)).toBe(true);
        expect(checkCertificate(result.certificate)).toEqual([]);
      }),
      { numRuns: 25 },
    );
  });
});

function dedupeCaps(caps: { placement: number; school: string; cap: number }[]) {
  const seen = new Map<string, { placement: number; school: string; cap: number }>();
  for (const c of caps) seen.set(`${c.placement} ${c.school}`, c);
  return [...seen.values()];
}

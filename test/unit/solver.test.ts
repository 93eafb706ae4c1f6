import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { solveReference } from '../../src/scheduler/reference-solver.ts';
import { allocationProblems, compareProfiles, profileOf } from '../../src/scheduler/solver-profile.ts';
import { buildFlowGraph, pushUnit } from '../../src/scheduler/flow-graph.ts';
import { checkCertificate, checkPrices, solve, type SolverInstance } from '../../src/scheduler/solver.ts';

/** Every allocation, tried: the best profile there is. */
function bruteForce(instance: SolverInstance): number[] {
  const maxRank = Math.max(0, ...instance.pupils.map((p) => p.wishes.length));
  let best: number[] | null = null;
  const choice: (number | null)[] = [];
  const walk = (p: number) => {
    if (p === instance.pupils.length) {
      if (allocationProblems(instance, { placement: choice }).length > 0) return;
      const byRank = new Array<number>(maxRank).fill(0);
      for (const [i, j] of choice.entries()) if (j !== null) byRank[instance.pupils[i]!.wishes.indexOf(j)]!++;
      const prof = profileOf({ placed: choice.filter((j) => j !== null).length, byRank });
      if (best === null || compareProfiles(prof, best) > 0) best = prof;
      return;
    }
    for (const option of [null, ...new Set(instance.pupils[p]!.wishes.filter((j) => j >= 0 && j < instance.capacities.length))]) {
      choice[p] = option;
      walk(p + 1);
    }
  };
  walk(0);
  return best!;
}

/** Solves, and holds the result to every check there is; returns it. */
function solveChecked(instance: SolverInstance) {
  const result = solve(instance);
  expect(allocationProblems(instance, result)).toEqual([]);
  expect(checkCertificate(result.certificate, result.placement)).toEqual([]);
  expect(checkPrices(instance, result)).toEqual([]);
  return result;
}

function expectOptimal(instance: SolverInstance) {
  const result = solveChecked(instance);
  expect(profileOf(result)).toEqual(bruteForce(instance));
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

  it('counts ranks as the pupil entered them when a wish can no longer be granted (-1)', () => {
    // Both are placed only if pupil 1 takes their third wish.
    const result = expectOptimal({ pupils: [pupil('A', -1, 0), pupil('A', 0, -1, 1)], capacities: [1, 1] });
    expect(result.rank).toEqual([2, 3]);
    expect(result.byRank).toEqual([0, 1, 1]);
  });

  it('prices a contested placement at one first wish for one second wish, a free one at zero', () => {
    // Three want placement 0 (one seat) first; placement 1 has room for all as second wish.
    const result = expectOptimal({ pupils: [pupil('A', 0, 1), pupil('A', 0, 1), pupil('A', 0, 1)], capacities: [1, 5] });
    expect(result.prices).toEqual([
      [0, 1, -1],
      [0, 0, 0],
    ]);
  });

  it('prices a placement per school where a school cap binds', () => {
    const result = expectOptimal({
      pupils: [pupil('A', 0, 1), pupil('A', 0, 1), pupil('B', 0, 1)],
      capacities: [2, 5],
      schoolCaps: [{ placement: 0, school: 'A', cap: 1 }],
    });
    expect(result.prices[0]).toEqual([0, 0, 0]);
    expect(result.schoolPrices).toEqual([{ placement: 0, school: 'A', price: [0, 1, -1] }]);
  });
});

describe('the checks can fail', () => {
  const instance: SolverInstance = { pupils: [pupil('A', 0, 1), pupil('A', 0, 1), pupil('A', 0, 1)], capacities: [1, 5] };

  it('the certificate check finds a potential moved by one', () => {
    const result = solve(instance);
    const placementNode = 2 + 3;
    result.certificate.potentials[placementNode * result.certificate.dims + 1]! += 1;
    expect(checkCertificate(result.certificate)).not.toEqual([]);
  });

  it('the certificate check finds an over-full placement', () => {
    // Placement 0 has one seat and one pupil in it; push an unplaced pupil in as well.
    const result = solve(instance);
    const unplaced = result.placement.indexOf(1);
    const { graph } = result.certificate;
    const built = buildFlowGraph(instance);
    const wish = built.wishEdges[unplaced]!.find((w) => w.placement === 0)!;
    const theirs = built.wishEdges[unplaced]!.find((w) => w.placement === 1)!;
    // Off their second wish (placement 1) and onto their first (placement 0), seat or no seat.
    for (const e of [theirs.edge ^ 1, built.sinkEdge[1]! ^ 1, wish.edge, built.sinkEdge[0]!]) pushUnit(graph, e);
    const placement = [...result.placement];
    placement[unplaced] = 0;
    expect(checkCertificate(result.certificate, placement)).toContainEqual(expect.stringContaining('over its capacity'));
    expect(checkCertificate(result.certificate)).toContainEqual(expect.stringContaining('over its capacity'));
  });

  it('the certificate check finds a pupil placed in a placement they did not wish', () => {
    const result = solve({ pupils: [pupil('A', 0), pupil('A', 1)], capacities: [1, 1, 1] });
    expect(checkCertificate(result.certificate, result.placement)).toEqual([]);
    expect(checkCertificate(result.certificate, [2, 1])).toEqual([expect.stringContaining('pupil 0 is in placement 2')]);
  });

  it('the certificate check finds an allocation that is not the flow the certificate proves', () => {
    const result = solve(instance);
    const swapped = result.placement.map((j) => (j === 0 ? 1 : j === 1 ? 0 : j));
    expect(checkCertificate(result.certificate, swapped)).not.toEqual([]);
    expect(checkCertificate(result.certificate, result.placement.map(() => null))).toHaveLength(3);
    expect(checkCertificate(result.certificate, [0])).toEqual([expect.stringContaining('the allocation has 1 pupils, the certificate 3')]);
  });

  it('the certificate check finds flow that appears from nowhere', () => {
    const result = solve({ pupils: [pupil('A', 0)], capacities: [2] });
    // One more unit out of placement 0 than came in.
    pushUnit(result.certificate.graph, buildFlowGraph({ pupils: [pupil('A', 0)], capacities: [2] }).sinkEdge[0]!);
    expect(checkCertificate(result.certificate)).toContainEqual(expect.stringContaining('does not pass on the flow'));
  });

  it('the price check finds a contested placement priced at zero', () => {
    const result = solve(instance);
    expect(checkPrices(instance, { ...result, prices: [[0, 0, 0], [0, 0, 0]] })).not.toEqual([]);
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

/** Small rounds: up to 4 placements, 2 schools, 6 pupils, holes (-1), school caps, seeds. */
const smallRounds = fc
  .record({ placements: fc.integer({ min: 1, max: 4 }), schools: fc.integer({ min: 1, max: 2 }) })
  .chain(({ placements, schools }) =>
    fc.record({
      pupils: fc.array(
        fc.record({
          school: fc.integer({ min: 0, max: schools - 1 }).map((s) => `S${s}`),
          wishes: fc.array(fc.integer({ min: -1, max: placements - 1 }), { maxLength: Math.min(4, placements + 1) }),
        }),
        { maxLength: 6 },
      ),
      capacities: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: placements, maxLength: placements }),
      schoolCaps: fc.uniqueArray(
        fc.record({ placement: fc.integer({ min: 0, max: placements - 1 }), school: fc.integer({ min: 0, max: schools - 1 }).map((s) => `S${s}`), cap: fc.integer({ min: 0, max: 2 }) }),
        { maxLength: 2, selector: (c) => `${c.placement} ${c.school}` },
      ),
      seed: fc.option(fc.integer(), { nil: undefined }),
    }),
  );

/** Larger rounds made from a seed: skewed popularity, three schools, a cap, some holes. */
function largerRound(placements: number, pupils: number, seed: number): SolverInstance {
  let state = seed >>> 0 || 1;
  const next = () => (state = (state * 1103515245 + 12345) >>> 0) / 2 ** 32;
  return {
    pupils: Array.from({ length: pupils }, (_, i) => ({
      school: `S${i % 3}`,
      wishes: Array.from({ length: 5 }, () => (next() < 0.05 ? -1 : Math.floor(placements * next() ** 2))),
    })),
    capacities: Array.from({ length: placements }, () => Math.floor(next() * 5)),
    schoolCaps: [
      { placement: 0, school: 'S0', cap: 1 },
      { placement: 1, school: 'S1', cap: 2 },
    ],
    seed,
  };
}

describe('the solver, on random small instances', () => {
  it('never breaks a constraint, proves itself, explains itself by prices, and equals the best allocation found by trying them all', () => {
    fc.assert(
      fc.property(smallRounds, (instance) => {
        expectOptimal(instance);
      }),
      { numRuns: 600 },
    );
  });

  it('finds the same rank profile as the reference (vector-cost) solver', () => {
    fc.assert(
      fc.property(smallRounds, (instance) => {
        expect(profileOf(solve(instance))).toEqual(profileOf(solveReference(instance)));
      }),
      { numRuns: 600 },
    );
  });
});

describe('the solver, on random instances too large to try every allocation', () => {
  const larger = fc.record({ placements: fc.integer({ min: 5, max: 120 }), pupils: fc.integer({ min: 20, max: 400 }), seed: fc.integer() });

  it('proves and prices every result and matches the reference solver', () => {
    fc.assert(
      fc.property(larger, ({ placements, pupils, seed }) => {
        const instance = largerRound(placements, pupils, seed);
        const result = solveChecked(instance);
        const reference = solveReference(instance);
        expect(checkCertificate(reference.certificate, reference.placement)).toEqual([]);
        expect(profileOf(result)).toEqual(profileOf(reference));
      }),
      { numRuns: 40 },
    );
  });

  it('gives the same allocation for the same seed, and the same rank profile for every seed', () => {
    fc.assert(
      fc.property(larger, fc.integer(), ({ placements, pupils, seed }, otherSeed) => {
        const instance = largerRound(placements, pupils, seed);
        const once = solve(instance);
        const again = solve(structuredClone(instance));
        expect(again.placement).toEqual(once.placement);
        expect(again.prices).toEqual(once.prices);
        const other = solve({ ...instance, seed: otherSeed });
        expect(profileOf(other)).toEqual(profileOf(once));
      }),
      { numRuns: 20 },
    );
  });
});

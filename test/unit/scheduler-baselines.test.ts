import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firstComeFirstServed, randomSerialDictatorship, rankLottery, type Allocation } from '../../src/scheduler/baselines.ts';
import { capKey, usableWishes } from '../../src/scheduler/flow-graph.ts';
import { allocationProblems, compareProfiles, profileOf } from '../../src/scheduler/solver-profile.ts';
import { solve, type SolverInstance } from '../../src/scheduler/solver.ts';

const pupil = (school: string, ...wishes: number[]) => ({ school, wishes });
const baselines = { firstComeFirstServed, randomSerialDictatorship, rankLottery };
const seeds = Array.from({ length: 20 }, (_, i) => i + 1);

describe('the baselines, on hand-made rounds', () => {
  it('first come, first served lets a whole school arrive together', () => {
    // Two schools of two want the one placement with two seats: one school gets both.
    const instance = { pupils: [pupil('A', 0), pupil('A', 0), pupil('B', 0), pupil('B', 0)], capacities: [2] };
    for (const seed of seeds) {
      const winners = firstComeFirstServed(instance, seed).placement.flatMap((j, p) => (j === null ? [] : [instance.pupils[p]!.school]));
      expect(new Set(winners).size).toBe(1);
    }
  });

  it('random serial dictatorship mixes the schools (for some seed)', () => {
    const instance = { pupils: [pupil('A', 0), pupil('A', 0), pupil('B', 0), pupil('B', 0)], capacities: [2] };
    const mixed = seeds.some((seed) => {
      const winners = randomSerialDictatorship(instance, seed).placement.flatMap((j, p) => (j === null ? [] : [instance.pupils[p]!.school]));
      return new Set(winners).size === 2;
    });
    expect(mixed).toBe(true);
  });

  it('rank + lottery can leave a pupil out who had a seat elsewhere; the solver does not', () => {
    // Both want placement 0 first; if pupil 0 wins the draw, pupil 1 (nothing else) is out.
    const instance = { pupils: [pupil('A', 0, 1), pupil('A', 0)], capacities: [1, 1] };
    expect(seeds.some((seed) => rankLottery(instance, seed).placed === 1)).toBe(true);
    expect(seeds.every((seed) => rankLottery(instance, seed).placed >= 1)).toBe(true);
    expect(solve(instance).placed).toBe(2);
  });

  it('all three keep a school cap', () => {
    const instance: SolverInstance = { pupils: [pupil('A', 0), pupil('A', 0), pupil('B', 0)], capacities: [3], schoolCaps: [{ placement: 0, school: 'A', cap: 1 }] };
    for (const run of Object.values(baselines)) for (const seed of seeds) expect(run(instance, seed).placed).toBe(2);
  });
});

const rounds = fc
  .record({ placements: fc.integer({ min: 1, max: 8 }), schools: fc.integer({ min: 1, max: 3 }), seed: fc.integer() })
  .chain(({ placements, schools, seed }) =>
    fc.record({
      pupils: fc.array(
        fc.record({
          school: fc.integer({ min: 0, max: schools - 1 }).map((s) => `S${s}`),
          wishes: fc.array(fc.integer({ min: -1, max: placements - 1 }), { maxLength: 5 }),
        }),
        { maxLength: 40 },
      ),
      capacities: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: placements, maxLength: placements }),
      schoolCaps: fc.uniqueArray(
        fc.record({ placement: fc.integer({ min: 0, max: placements - 1 }), school: fc.integer({ min: 0, max: schools - 1 }).map((s) => `S${s}`), cap: fc.integer({ min: 0, max: 3 }) }),
        { maxLength: 3, selector: (c) => `${c.placement} ${c.school}` },
      ),
      seed: fc.constant(seed),
    }),
  );

/** No unplaced pupil, and no pupil about a better wish, could still take a seat (and cap room) there. */
function seatsLeftUnwanted(instance: SolverInstance, allocation: Allocation): boolean {
  const J = instance.capacities.length;
  const used = new Map<string, number>();
  const seatsLeft = instance.capacities.map((c) => Math.max(0, c));
  allocation.placement.forEach((j, p) => {
    if (j === null) return;
    seatsLeft[j]!--;
    const key = capKey(j, instance.pupils[p]!.school);
    used.set(key, (used.get(key) ?? 0) + 1);
  });
  const caps = new Map((instance.schoolCaps ?? []).map((c) => [capKey(c.placement, c.school), c.cap]));
  return instance.pupils.every((pupil, p) =>
    usableWishes(pupil.wishes, J)
      .filter((w) => allocation.rank[p] === null || w.rank < allocation.rank[p]!)
      .every((w) => seatsLeft[w.placement]! <= 0 || (used.get(capKey(w.placement, pupil.school)) ?? 0) >= (caps.get(capKey(w.placement, pupil.school)) ?? Infinity)),
  );
}

describe('the baselines, on random rounds', () => {
  it('never break a constraint, give the same allocation for the same seed, and the exact solver is never behind them', () => {
    fc.assert(
      fc.property(rounds, (instance) => {
        const exact = profileOf(solve(instance));
        for (const run of Object.values(baselines)) {
          const allocation = run(instance, instance.seed!);
          expect(allocationProblems(instance, allocation)).toEqual([]);
          expect(run(instance, instance.seed!)).toEqual(allocation);
          expect(compareProfiles(exact, profileOf(allocation))).toBeGreaterThanOrEqual(0);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('first come first served and random serial dictatorship leave no better wish with a seat free', () => {
    fc.assert(
      fc.property(rounds, (instance) => {
        expect(seatsLeftUnwanted(instance, firstComeFirstServed(instance, instance.seed!))).toBe(true);
        expect(seatsLeftUnwanted(instance, randomSerialDictatorship(instance, instance.seed!))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

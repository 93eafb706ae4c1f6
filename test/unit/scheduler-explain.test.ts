import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { explain, type WhyNot } from '../../src/scheduler/explain.ts';
import { usableWishes } from '../../src/scheduler/flow-graph.ts';
import { firstDifference, profileOf } from '../../src/scheduler/solver-profile.ts';
import { solve, type SolverInstance } from '../../src/scheduler/solver.ts';

const pupil = (school: string, ...wishes: number[]) => ({ school, wishes });

function whyNotOf(instance: SolverInstance, p: number): WhyNot[] {
  return explain(instance, solve(instance))[p]!.whyNot;
}

describe('explain, on hand-made rounds', () => {
  it('says a wish that can no longer be granted is unavailable, and stops at the wish given', () => {
    const instance = { pupils: [pupil('A', -1, 0, 1)], capacities: [1, 1] };
    expect(explain(instance, solve(instance))).toEqual([{ placement: 0, rank: 2, whyNot: [{ placement: -1, rank: 1, reason: 'unavailable' }] }]);
  });

  it('says a placement without seats is unavailable', () => {
    expect(whyNotOf({ pupils: [pupil('A', 0, 1)], capacities: [0, 1] }, 0)).toEqual([{ placement: 0, rank: 1, reason: 'unavailable' }]);
  });

  it('says the lottery decided among pupils who wished it at the same rank', () => {
    const instance = { pupils: [pupil('A', 0), pupil('A', 0), pupil('A', 0)], capacities: [1], seed: 1 };
    const result = solve(instance);
    const losers = explain(instance, result).filter((e) => e.placement === null);
    expect(losers).toHaveLength(2);
    for (const e of losers) {
      expect(e.whyNot).toEqual([{ placement: 0, rank: 1, reason: 'lottery', capacity: 1, sameRank: 3, holdersRankedSame: 1, holdersRankedLower: 0 }]);
    }
  });

  it('says every seat went to pupils who ranked it higher', () => {
    // Pupil 1's first wish has no seats; their second is pupil 0's first.
    const instance = { pupils: [pupil('A', 0), pupil('A', 1, 0)], capacities: [1, 0] };
    expect(explain(instance, solve(instance))[1]).toEqual({
      placement: null,
      rank: null,
      whyNot: [
        { placement: 1, rank: 1, reason: 'unavailable' },
        { placement: 0, rank: 2, reason: 'full_higher_ranks', capacity: 1, betterRanked: 1 },
      ],
    });
  });

  it('says giving the seat would leave someone without a place', () => {
    // Pupil 1 could take placement 0 only by leaving pupil 0 (who wants nothing else) out.
    expect(whyNotOf({ pupils: [pupil('A', 0), pupil('A', 0, 1)], capacities: [1, 1] }, 1)).toEqual([
      { placement: 0, rank: 1, reason: 'trade_off', capacity: 1, holdersRankedSame: 1, holdersRankedLower: 0, cost: 'fewer_placed', rankLost: null },
    ]);
  });

  it('says giving the seat would mean fewer wishes granted of a rank', () => {
    // If pupil 0 took placement 1, pupil 1 would drop from their first wish to their third.
    expect(whyNotOf({ pupils: [pupil('A', 1, 0), pupil('A', 1, 1, 2)], capacities: [1, 1, 1] }, 0)).toEqual([
      { placement: 1, rank: 1, reason: 'trade_off', capacity: 1, holdersRankedSame: 1, holdersRankedLower: 0, cost: 'worse_ranks', rankLost: 2 },
    ]);
  });

  it("says the pupil's school had reached its cap, even with a seat left", () => {
    // School A may have one of placement 0's two seats; pupil 1 has no other wish.
    const instance: SolverInstance = {
      pupils: [pupil('A', 0, 1), pupil('A', 0)],
      capacities: [2, 2],
      schoolCaps: [{ placement: 0, school: 'A', cap: 1 }],
    };
    expect(whyNotOf(instance, 0)).toEqual([{ placement: 0, rank: 1, reason: 'school_cap', cap: 1 }]);
  });

  it('says a school cap of zero leaves the wish to other schools', () => {
    const instance: SolverInstance = { pupils: [pupil('A', 0, 1)], capacities: [1, 1], schoolCaps: [{ placement: 0, school: 'A', cap: 0 }] };
    expect(whyNotOf(instance, 0)).toEqual([{ placement: 0, rank: 1, reason: 'school_cap', cap: 0 }]);
  });

  it('calls it the lottery when an equally good allocation exists, even if the holder ranked it lower', () => {
    // Pupil 0 holds placement 1 as a second wish, pupil 1 wanted it first; swapping pupils 0,
    // 1 and 2 round (1 → 1, 0 → 0, 2 → 3) gives the same profile, so only the draw decided.
    const instance = { pupils: [pupil('A', 2, 1, 0), pupil('A', 1, 0, 3), pupil('A', 0, 3)], capacities: [1, 1, 0, 1] };
    const result = solve(instance);
    expect(result.placement).toEqual([1, 3, 0]);
    expect(explain(instance, result)[1]!.whyNot[0]).toEqual({
      placement: 1,
      rank: 1,
      reason: 'lottery',
      capacity: 1,
      sameRank: 1,
      holdersRankedSame: 0,
      holdersRankedLower: 1,
    });
  });

  it('refuses to explain an allocation that is not optimal (a better wish with a free seat)', () => {
    const instance = { pupils: [pupil('A', 0, 1)], capacities: [1, 1] };
    const result = solve(instance);
    expect(() => explain(instance, { ...result, placement: [1], rank: [2] })).toThrow(/free seat/);
  });
});

/** The best profile when pupil p must have placement j (their wish of rank r). */
function forcedProfile(instance: SolverInstance, p: number, j: number, r: number): number[] {
  const school = instance.pupils[p]!.school;
  const rest: SolverInstance = {
    pupils: instance.pupils.filter((_, i) => i !== p),
    capacities: instance.capacities.map((c, i) => (i === j ? c - 1 : c)),
    schoolCaps: (instance.schoolCaps ?? []).map((c) => (c.placement === j && c.school === school ? { ...c, cap: c.cap - 1 } : c)),
  };
  const result = solve(rest);
  const byRank = Array.from({ length: Math.max(0, ...instance.pupils.map((x) => x.wishes.length)) }, (_, i) => result.byRank[i] ?? 0);
  byRank[r - 1]!++;
  return profileOf({ placed: result.placed + 1, byRank });
}

const rounds = fc
  .record({ placements: fc.integer({ min: 1, max: 6 }), schools: fc.integer({ min: 1, max: 3 }), seed: fc.integer() })
  .chain(({ placements, schools, seed }) =>
    fc.record({
      pupils: fc.array(
        fc.record({
          school: fc.integer({ min: 0, max: schools - 1 }).map((s) => `S${s}`),
          wishes: fc.array(fc.integer({ min: -1, max: placements - 1 }), { maxLength: 4 }),
        }),
        { maxLength: 14 },
      ),
      capacities: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: placements, maxLength: placements }),
      schoolCaps: fc.uniqueArray(
        fc.record({ placement: fc.integer({ min: 0, max: placements - 1 }), school: fc.integer({ min: 0, max: schools - 1 }).map((s) => `S${s}`), cap: fc.integer({ min: 0, max: 2 }) }),
        { maxLength: 3, selector: (c) => `${c.placement} ${c.school}` },
      ),
      seed: fc.constant(seed),
    }),
  );

describe('explain, on random rounds', () => {
  it('gives each reason only when re-solving with the pupil forced onto that wish confirms it', () => {
    const seen = new Set<string>();
    const property = fc.property(rounds, (instance) => {
      const result = solve(instance);
      const best = profileOf(result);
      explain(instance, result).forEach((e, p) => {
        const school = instance.pupils[p]!.school;
        const wishes = usableWishes(instance.pupils[p]!.wishes, instance.capacities.length).filter((w) => e.rank === null || w.rank < e.rank);
        expect(e.whyNot.filter((w) => w.placement >= 0 && w.reason !== 'unavailable').length).toBeLessThanOrEqual(wishes.length);
        for (const w of e.whyNot) {
          seen.add(w.reason === 'trade_off' ? w.cost : w.reason);
          if (w.reason === 'unavailable') {
            expect(w.placement < 0 || (instance.capacities[w.placement] ?? 0) <= 0).toBe(true);
            continue;
          }
          const holders = result.placement.flatMap((j, q) => (j === w.placement ? [result.rank[q]!] : []));
          if (w.reason === 'school_cap') {
            const mates = result.placement.filter((j, q) => j === w.placement && instance.pupils[q]!.school === school).length;
            expect(mates).toBe(w.cap);
            if (w.cap === 0) continue;
          }
          const difference = firstDifference(forcedProfile(instance, p, w.placement, w.rank), best);
          if (w.reason === 'lottery') {
            expect(difference).toBeNull();
            continue;
          }
          expect(difference).not.toBeNull();
          expect(difference!.a).toBeLessThan(difference!.b);
          if (w.reason === 'full_higher_ranks') {
            expect(holders.length).toBe(w.capacity);
            expect(holders.every((r) => r < w.rank)).toBe(true);
          }
          if (w.reason === 'trade_off') {
            expect(holders.some((r) => r >= w.rank)).toBe(true);
            expect(difference!.index).toBe(w.cost === 'fewer_placed' ? 0 : w.rankLost);
          }
        }
        // Every better usable wish is explained, and a better wish is never simply free.
        expect(wishes.every((x) => e.whyNot.some((w) => w.placement === x.placement && w.rank === x.rank))).toBe(true);
      });
    });
    // The property must hold for every kind of reason, not only for the easy ones. A worse rank
    // elsewhere is rare on rounds this small (missing from about 1 in 50 batches of 200 random
    // rounds), so more batches run until every reason has been checked: at most ten.
    const reasons = ['fewer_placed', 'full_higher_ranks', 'lottery', 'school_cap', 'unavailable', 'worse_ranks'];
    for (let batch = 0; batch < 10 && reasons.some((r) => !seen.has(r)); batch++) fc.assert(property, { numRuns: 200 });
    expect([...seen].sort()).toEqual(reasons);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeSchoolCaps, schoolShareCaps } from '../../src/scheduler/fairness.ts';
import { allocationProblems } from '../../src/scheduler/solver-profile.ts';
import { solve, type SolverInstance } from '../../src/scheduler/solver.ts';

const pupil = (school: string, ...wishes: number[]) => ({ school, wishes });
const sorted = <T extends { placement: number; school: string }>(caps: T[]) =>
  [...caps].sort((a, b) => a.placement - b.placement || a.school.localeCompare(b.school));

describe('schoolShareCaps', () => {
  const cases: { name: string; instance: SolverInstance; caps: { placement: number; school: string; cap: number }[] }[] = [
    {
      name: 'caps nothing where every applicant fits',
      instance: { pupils: [pupil('A', 0), pupil('B', 0)], capacities: [2] },
      caps: [],
    },
    {
      name: 'shares an over-subscribed placement by the schools’ pupils in the round (3 : 1 of 2 seats)',
      instance: { pupils: [pupil('A', 0), pupil('A', 0), pupil('A', 0), pupil('B', 0)], capacities: [2] },
      caps: [
        { placement: 0, school: 'A', cap: 2 },
        { placement: 0, school: 'B', cap: 1 },
      ],
    },
    {
      name: 'rounds up, so one seat and three equal schools still gives every school a chance',
      instance: { pupils: [pupil('A', 0), pupil('B', 0), pupil('C', 0)], capacities: [1] },
      caps: [
        { placement: 0, school: 'A', cap: 1 },
        { placement: 0, school: 'B', cap: 1 },
        { placement: 0, school: 'C', cap: 1 },
      ],
    },
    {
      name: 'counts every pupil of a school in the round, not only those who wish the placement',
      // A: 4 pupils (one applicant), B: 3 (all applicants), 3 seats: ceil(3·4/7) = 2, ceil(3·3/7) = 2.
      instance: {
        pupils: [pupil('A', 0), pupil('A', 1), pupil('A', 1), pupil('A', 1), pupil('B', 0), pupil('B', 0), pupil('B', 0)],
        capacities: [3, 9],
      },
      caps: [
        { placement: 0, school: 'A', cap: 2 },
        { placement: 0, school: 'B', cap: 2 },
      ],
    },
    {
      name: 'counts a wish at any rank, but a hole or a repeat not at all',
      instance: { pupils: [pupil('A', 1, 0), pupil('B', -1, 0, 0), pupil('B', 0)], capacities: [2, 1] },
      caps: [
        { placement: 0, school: 'A', cap: 1 },
        { placement: 0, school: 'B', cap: 2 },
      ],
    },
    {
      name: 'does not count a repeat towards over-subscription',
      instance: { pupils: [pupil('A', 0, 0, 0), pupil('B', 0)], capacities: [2] },
      caps: [],
    },
    {
      name: 'gives caps of zero at a placement with no seats that pupils wish',
      instance: { pupils: [pupil('A', 0, 1)], capacities: [0, 1] },
      caps: [{ placement: 0, school: 'A', cap: 0 }],
    },
  ];

  for (const c of cases) {
    it(c.name, () => {
      expect(sorted(schoolShareCaps(c.instance))).toEqual(sorted(c.caps));
    });
  }

  it('can leave seats empty when most of the round does not want the placement (the rule as stated)', () => {
    // Two schools of 3 want placement 0 (5 seats); 100 pupils of school C want only placement 1.
    const instance: SolverInstance = {
      pupils: [...Array.from({ length: 3 }, () => pupil('A', 0)), ...Array.from({ length: 3 }, () => pupil('B', 0)), ...Array.from({ length: 100 }, () => pupil('C', 1))],
      capacities: [5, 100],
    };
    const caps = schoolShareCaps(instance);
    expect(caps).toEqual([
      { placement: 0, school: 'A', cap: 1 },
      { placement: 0, school: 'B', cap: 1 },
    ]);
    expect(solve({ ...instance, schoolCaps: caps }).placed).toBe(102);
    // Shared among the schools that want it: 3 + 3 seats of 5, all five taken.
    const fairer = schoolShareCaps(instance, { among: 'applicant_schools' });
    expect(fairer.map((c) => c.cap)).toEqual([3, 3]);
    expect(solve({ ...instance, schoolCaps: fairer }).placed).toBe(105);
  });

  const rounds = fc.record({
    pupils: fc.array(fc.record({ school: fc.constantFrom('A', 'B', 'C'), wishes: fc.array(fc.integer({ min: -1, max: 3 }), { maxLength: 3 }) }), { maxLength: 30 }),
    capacities: fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 4, maxLength: 4 }),
  });

  it('caps exactly the schools that want an over-subscribed placement, and the solver keeps the caps', () => {
    fc.assert(
      fc.property(rounds, (instance) => {
        const caps = schoolShareCaps(instance);
        for (let j = 0; j < 4; j++) {
          const wanting = instance.pupils.filter((p) => p.wishes.includes(j));
          const expected = wanting.length > instance.capacities[j]! ? new Set(wanting.map((p) => p.school)) : new Set();
          expect(new Set(caps.filter((c) => c.placement === j).map((c) => c.school))).toEqual(expected);
        }
        const capped = { ...instance, schoolCaps: caps };
        expect(allocationProblems(capped, solve(capped))).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });

  it('shared among the schools that want it, never caps below the seats in total', () => {
    fc.assert(
      fc.property(rounds, (instance) => {
        const caps = schoolShareCaps(instance, { among: 'applicant_schools' });
        for (let j = 0; j < 4; j++) {
          const here = caps.filter((c) => c.placement === j);
          if (here.length > 0) expect(here.reduce((s, c) => s + c.cap, 0)).toBeGreaterThanOrEqual(instance.capacities[j]!);
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe('mergeSchoolCaps', () => {
  it('keeps the smaller cap where both cap the same pair, and every other cap', () => {
    const merged = mergeSchoolCaps(
      [
        { placement: 0, school: 'A', cap: 2 },
        { placement: 1, school: 'A', cap: 1 },
      ],
      [
        { placement: 0, school: 'A', cap: 1 },
        { placement: 0, school: 'B', cap: 3 },
      ],
    );
    expect(sorted(merged)).toEqual([
      { placement: 0, school: 'A', cap: 1 },
      { placement: 0, school: 'B', cap: 3 },
      { placement: 1, school: 'A', cap: 1 },
    ]);
  });
});

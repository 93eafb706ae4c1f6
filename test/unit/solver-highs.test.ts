import highsModule, { type Highs } from 'highs';
import { beforeAll, describe, expect, it } from 'vitest';
import { usableWishes } from '../../src/scheduler/flow-graph.ts';
import { profileOf } from '../../src/scheduler/solver-profile.ts';
import { solve, type SolverInstance } from '../../src/scheduler/solver.ts';

// An independent check of optimality on medium rounds: the lexicographic objective solved as
// integer programs in stages by HiGHS (most placed; then, keeping that, most first wishes; …).

// The package's types describe its CommonJS build; under ESM the default export is the loader.
const loadHighs = highsModule as unknown as () => Promise<Highs>;
let highs: Highs;
beforeAll(async () => {
  highs = await loadHighs();
});

/** The best rank profile, by HiGHS, one integer program per component. */
function stagedIlp(instance: SolverInstance): number[] {
  const J = instance.capacities.length;
  const vars: { name: string; p: number; j: number; rank: number; school: string }[] = [];
  instance.pupils.forEach((pupil, p) => {
    for (const w of usableWishes(pupil.wishes, J)) vars.push({ name: `x_${p}_${w.placement}`, p, j: w.placement, rank: w.rank, school: pupil.school });
  });
  const sum = (list: typeof vars) => (list.length === 0 ? '0 x_none' : list.map((v) => v.name).join(' + '));
  const rows: string[] = [];
  instance.pupils.forEach((_, p) => {
    const mine = vars.filter((v) => v.p === p);
    if (mine.length > 0) rows.push(`one_${p}: ${sum(mine)} <= 1`);
  });
  instance.capacities.forEach((c, j) => {
    const here = vars.filter((v) => v.j === j);
    if (here.length > 0) rows.push(`seats_${j}: ${sum(here)} <= ${Math.max(0, Math.floor(c))}`);
  });
  (instance.schoolCaps ?? []).forEach((c, i) => {
    const here = vars.filter((v) => v.j === c.placement && v.school === c.school);
    if (here.length > 0) rows.push(`cap_${i}: ${sum(here)} <= ${c.cap}`);
  });
  const maxRank = Math.max(0, ...instance.pupils.map((p) => p.wishes.length));
  const objectives = [vars, ...Array.from({ length: maxRank }, (_, r) => vars.filter((v) => v.rank === r + 1))];
  const found: number[] = [];
  objectives.forEach((objective, k) => {
    const fixed = found.map((value, i) => `stage_${i}: ${sum(objectives[i]!)} = ${value}`);
    const lp = [
      'Maximize',
      ` obj: ${sum(objective)}`,
      'Subject To',
      ...rows.map((r) => ` ${r}`),
      ...fixed.map((r) => ` ${r}`),
      'Bounds',
      ' x_none = 0',
      ...vars.map((v) => ` 0 <= ${v.name} <= 1`),
      'General',
      ...vars.map((v) => ` ${v.name}`),
      'End',
    ].join('\n');
    const solution = highs.solve(lp);
    expect(solution.Status, `stage ${k}`).toBe('Optimal');
    found.push(objective.length === 0 ? 0 : Math.round(solution.ObjectiveValue));
  });
  return found;
}

/** A medium round from a seed: skewed popularity, three schools, caps, some holes. */
function mediumRound(seed: number): SolverInstance {
  let state = seed >>> 0 || 1;
  const next = () => (state = (state * 1103515245 + 12345) >>> 0) / 2 ** 32;
  const placements = 8 + Math.floor(next() * 20);
  const pupils = 30 + Math.floor(next() * 60);
  return {
    pupils: Array.from({ length: pupils }, (_, i) => ({
      school: `S${i % 3}`,
      wishes: Array.from({ length: 1 + Math.floor(next() * 5) }, () => (next() < 0.05 ? -1 : Math.floor(placements * next() ** 2))),
    })),
    capacities: Array.from({ length: placements }, () => Math.floor(next() * 4)),
    schoolCaps: [
      { placement: 0, school: 'S0', cap: 1 },
      { placement: 1, school: 'S2', cap: 2 },
    ],
    seed,
  };
}

describe('the solver against integer programming (HiGHS), objective by objective', () => {
  it('finds the best rank profile on medium rounds with caps and holes', () => {
    for (let seed = 1; seed <= 15; seed++) {
      const instance = mediumRound(seed);
      expect(profileOf(solve(instance)), `seed ${seed}`).toEqual(stagedIlp(instance));
    }
  });

  it('stages the objectives itself: places everyone even if that costs a first wish', () => {
    // Two first wishes are possible only by leaving pupil 1 out; the stages must not take them.
    const pupil = (...wishes: number[]) => ({ school: 'A', wishes });
    expect(stagedIlp({ pupils: [pupil(0, 1), pupil(0, 1), pupil(1, 2)], capacities: [1, 1, 1] })).toEqual([3, 1, 2]);
  });
});

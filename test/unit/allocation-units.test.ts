import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inputFingerprint, type AllocationInput } from '../../src/scheduler/allocation-input.ts';
import { placeLeftover } from '../../src/scheduler/allocation-leftover.ts';
import { runAllocationJob, solveAllocation, type AllocationJob, type SolveJob } from '../../src/scheduler/allocation-run.ts';
import { runInWorker } from '../../src/scheduler/allocation-runner.ts';
import type { Placement } from '../../src/scheduler/placements.ts';
import { solve } from '../../src/scheduler/solver.ts';
import { effectiveStatus } from '../../src/scheduler/allocation.ts';
import { DateTime } from 'luxon';
import { toDbInstant } from '../../src/time/stockholm.ts';

// The allocation's pure parts: the worker, the pass for pupils without wishes, the fingerprint.

/** A placement of one slot on 6 April 2027, for åk 8. */
const placement = (id: string, freeSeats: number): Placement => ({
  id,
  kind: 'slot',
  slotIds: [id],
  times: [{ startsAt: '2027-04-06T06:00:00.000Z', endsAt: '2027-04-06T10:00:00.000Z' }],
  companyId: 'c',
  companyName: 'C',
  siteName: 'S',
  municipality: 'M',
  format: 'shadow_day',
  grades: ['8'],
  capacity: 4,
  freeSeats,
  hosts: [],
});
const input = (over: Partial<AllocationInput> = {}): AllocationInput => {
  const placements = [placement('p1', 4), placement('p2', 2)];
  return {
    round: { id: 'r', grades: ['8'], schools: [{ schoolId: 's', schoolName: 'S', from: '2027-04-05', to: '2027-04-09' }] },
    settings: { placeWithoutWishes: false, schoolShareCaps: false },
    placements,
    bySchool: new Map([['s', placements]]),
    pupils: [
      { id: 'u1', schoolId: 's', grade: '8' },
      { id: 'u2', schoolId: 's', grade: '8' },
    ],
    wishes: new Map([['u1', ['p1', 'p2']]]),
    bookedByHand: new Map(),
    clashes: new Map([['u2', new Set(['p1', 'p2'])]]),
    ...over,
  };
};

describe('the allocation worker', () => {
  const solveJob: SolveJob = {
    pupils: [
      { school: 'a', wishes: [0, 1] },
      { school: 'b', wishes: [0] },
      { school: 'a', wishes: [-1, 1] },
    ],
    capacities: [1, 1, 2],
    seed: 11,
    schoolShareCaps: false,
    leftover: [[2], [0, 2]],
  };

  it('gives the same outcome in a worker thread as in place: the fingerprint, the metrics and the rows to store', async () => {
    const job: AllocationJob = { input: input({ settings: { placeWithoutWishes: true, schoolShareCaps: false } }), seed: 11 };
    const stages: string[] = [];
    const outcome = await runInWorker(job, (stage) => stages.push(stage));
    expect(outcome).toEqual(runAllocationJob(job));
    expect(stages).toEqual(['planning', 'solving', 'explaining', 'leftover', 'results']);
    expect(outcome.inputHash).toBe(inputFingerprint(job.input));
    // u1 gets their first wish; u2 (no wishes, a clash with both) gets nothing.
    expect(outcome.rows.map((r) => [r.pupil_id, r.placement_id, r.rank, r.outcome])).toEqual([
      ['u1', 'p1', 1, 'placed'],
      ['u2', null, null, 'no_eligible_placement'],
    ]);
    expect(JSON.parse(outcome.rows[0]!.explanation)).toEqual({ code: 'placed', wishes: [] });
    expect(outcome.metrics).toMatchObject({ pupils: 2, placed: 1, unplaced: 1, byRank: [1, 0], seed: 11, certificate: 'holds' });
  });

  it('places pupils without wishes only in the seats the others left', () => {
    const outcome = solveAllocation(solveJob);
    const used = outcome.placement.filter((j) => j === 2).length + outcome.leftover.filter((j) => j === 2).length;
    expect(used).toBeLessThanOrEqual(2);
    expect(outcome.leftover).toContain(2);
    expect(outcome.leftover.filter((j) => j === 0)).toEqual([]);
  });
});

describe('placing pupils without wishes', () => {
  it('moves a pupil to make room when that places one more', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const placed = placeLeftover([[0, 1], [0]], [1, 1], seed);
      expect(placed.filter((j) => j !== null), `seed ${seed}`).toHaveLength(2);
      expect(placed[1]).toBe(0);
    }
  });

  it('places as many as any allocation could, never over a seat count, each in one of their candidates', () => {
    const instance = fc.record({
      capacities: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 6 }),
      candidates: fc.array(fc.uniqueArray(fc.integer({ min: 0, max: 5 }), { maxLength: 4 }), { maxLength: 14 }),
      seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    });
    fc.assert(
      fc.property(instance, ({ capacities, candidates, seed }) => {
        const lists = candidates.map((c) => c.filter((j) => j < capacities.length));
        const placed = placeLeftover(lists, capacities, seed);
        capacities.forEach((cap, j) => expect(placed.filter((x) => x === j).length).toBeLessThanOrEqual(cap));
        placed.forEach((j, p) => j === null || expect(lists[p]).toContain(j));
        // The exact solver places as many pupils as possible first: the same number.
        const best = solve({ pupils: lists.map((wishes) => ({ school: 's', wishes })), capacities }).placed;
        expect(placed.filter((j) => j !== null).length).toBe(best);
        expect(placeLeftover(lists, capacities, seed)).toEqual(placed);
      }),
      { numRuns: 300 },
    );
  });
});

describe("the fingerprint of what a run read", () => {
  it('is the same for the same state, in whatever order it was read', () => {
    const reordered = input({ placements: [placement('p2', 2), placement('p1', 4)], clashes: new Map([['u2', new Set(['p2', 'p1'])]]) });
    expect(inputFingerprint(reordered)).toBe(inputFingerprint(input()));
  });

  it('changes with a seat, a wish, a booking by hand or a setting', () => {
    const base = inputFingerprint(input());
    expect(inputFingerprint(input({ placements: [placement('p1', 3), placement('p2', 2)] }))).not.toBe(base);
    expect(inputFingerprint(input({ wishes: new Map([['u1', ['p2', 'p1']]]) }))).not.toBe(base);
    expect(inputFingerprint(input({ bookedByHand: new Map([['u2', 'p1']]) }))).not.toBe(base);
    expect(inputFingerprint(input({ settings: { placeWithoutWishes: true, schoolShareCaps: false } }))).not.toBe(base);
  });
});

describe('whether a running run is still alive', () => {
  const now = DateTime.fromISO('2027-03-16T08:00:00.000Z', { zone: 'utc' });
  const ago = (seconds: number) => toDbInstant(now.minus({ seconds }));
  const running = (heartbeat: number | null, created = 3600) => ({ status: 'running' as const, created_at: ago(created), heartbeat_at: heartbeat === null ? null : ago(heartbeat) });

  it('is running while its heartbeat is at most a minute old', () => {
    expect(effectiveStatus(running(59), false, now)).toBe('running');
    expect(effectiveStatus(running(60), false, now)).toBe('running');
  });

  it('has failed once its heartbeat is more than a minute old, however recently it started', () => {
    expect(effectiveStatus(running(61, 61), false, now)).toBe('failed');
  });

  it('goes by its start before the first heartbeat', () => {
    expect(effectiveStatus(running(null, 30), false, now)).toBe('running');
    expect(effectiveStatus(running(null, 61), false, now)).toBe('failed');
  });

  it('is running whatever its heartbeat says while this process works on it', () => {
    expect(effectiveStatus(running(3600), true, now)).toBe('running');
  });

  it('leaves a run that ended as it is', () => {
    expect(effectiveStatus({ status: 'ready', created_at: ago(3600), heartbeat_at: null }, false, now)).toBe('ready');
  });
});

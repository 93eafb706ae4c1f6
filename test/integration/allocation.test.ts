import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cancelSlotWithBookings } from '../../src/bookings/slot-changes.ts';
import { actorOf } from '../../src/bookings/booking.service.ts';
import { inTransaction } from '../../src/db/transaction.ts';
import { planAllocation, readAllocationInput } from '../../src/scheduler/allocation-input.ts';
import { solve } from '../../src/scheduler/solver.ts';
import { runAllocationJob, type AllocationJob, type Stage } from '../../src/scheduler/allocation-run.ts';
import { getAllocation, MAX_RUNS_AT_ONCE, startAllocation, type AllocationDeps } from '../../src/scheduler/allocation.service.ts';
import { roundPhase } from '../../src/scheduler/round.ts';
import { toDbInstant } from '../../src/time/stockholm.ts';
import { createTestContext, type TestContext } from '../support/app.ts';
import { book, slotTruth, worldSlot } from '../support/bookings.ts';
import { outboxTo } from '../support/flows.ts';
import { makePupil } from '../support/pupils.ts';
import { makeSeries } from '../support/slots.ts';
import { insertAllocationRow, putWishes, type RoundWorld } from '../support/rounds.ts';
import { allocationWorld, bookBeforeRound, bookingsOfRun, commitRun, outsideSchool, reloadRound, resultOf, resultsOf, runAllocation } from '../support/allocation.ts';

const wish = (...ids: string[]) => ids.map((id) => ({ id }));

describe('an allocation, from wishes to bookings', () => {
  let ctx: TestContext;
  let world: RoundWorld;
  const slot: Record<string, string> = {};
  let allocationId: string;

  beforeAll(async () => {
    ctx = await createTestContext();
    world = await allocationWorld(ctx, { schools: 2, pupils: 4 });
    slot.a = (await worldSlot(ctx, world, '2027-04-06T08:00', '2027-04-06T12:00', { capacity: 2 }, 0)).id;
    slot.b = (await worldSlot(ctx, world, '2027-04-06T08:00', '2027-04-06T12:00', { capacity: 4 }, 1)).id;
    slot.c = (await worldSlot(ctx, world, '2027-04-07T08:00', '2027-04-07T12:00', { capacity: 4 }, 2)).id;
    for (const side of world.schools) for (const pupil of side.pupils) await putWishes(ctx, world.round.id, pupil.id, wish(slot.a!, slot.b!, slot.c!));
    const run = await runAllocation(ctx, world, { seed: 42 });
    allocationId = run.id;
  });
  afterAll(() => ctx.close());

  it('finishes a preview with its seed, metrics and a proven optimum', async () => {
    const run = await runAllocation(ctx, world, { seed: 42 });
    expect(run).toMatchObject({ status: 'ready', seed: 42, progress: 100 });
    expect(run.metrics).toMatchObject({ pupils: 8, placed: 8, unplaced: 0, byRank: [2, 4, 2], certificate: 'holds' });
    expect(run.metrics!.schools.map((s) => s.pupils)).toEqual([4, 4]);
    expect(run.inputHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('gives every pupil what the solver gives them for the same seed', async () => {
    const round = world.round;
    const input = await readAllocationInput(ctx.db, round, { placeWithoutWishes: false, schoolShareCaps: false }, ctx.clock.now());
    const plan = planAllocation(input);
    const solved = solve({ pupils: plan.solverPupils, capacities: plan.capacities, seed: 42 });
    const results = await resultsOf(ctx, allocationId);
    plan.wishing.forEach((pupil, p) => {
      const r = results.find((x) => x.pupilId === pupil.id)!;
      expect(r.placementId).toBe(input.placements[solved.placement[p]!]!.id);
      expect(r.rank).toBe(solved.rank[p]);
    });
  });

  it('gives the same results for the same seed', async () => {
    const again = await runAllocation(ctx, world, { seed: 42 });
    const strip = (list: Awaited<ReturnType<typeof resultsOf>>) => list.map(({ pupilId, placementId, rank }) => ({ pupilId, placementId, rank }));
    expect(strip(await resultsOf(ctx, again.id))).toEqual(strip(await resultsOf(ctx, allocationId)));
  });

  it('explains a lower wish: the better one had fewer seats than applicants at the same rank, and a lottery', async () => {
    const second = (await resultsOf(ctx, allocationId)).find((r) => r.rank === 2)!;
    expect(second.explanation.code).toBe('placed');
    expect(second.explanation.wishes).toEqual([{ rank: 1, placementId: slot.a, reason: 'lottery', capacity: 2, applicants: 8 }]);
  });

  it('books every placed pupil on commit, with its audit trail, and tells schools and the company', async () => {
    const receipt = await commitRun(ctx, world, allocationId);
    expect(receipt).toEqual({ id: allocationId, status: 'committed', bookings: 8 });
    expect(await slotTruth(ctx, slot.a!)).toMatchObject({ bookedCount: 2, confirmed: 2 });
    expect(await slotTruth(ctx, slot.b!)).toMatchObject({ bookedCount: 4, confirmed: 4 });
    expect(await slotTruth(ctx, slot.c!)).toMatchObject({ bookedCount: 2, confirmed: 2 });
    const events = await bookingsOfRun(ctx, allocationId);
    expect(events).toHaveLength(8);
    expect(events.every((e) => e.actor_id === world.networkCoordinator.user.id && e.via === 'ui' && e.to_status === 'confirmed')).toBe(true);
    for (const side of world.schools) {
      const mails = await outboxTo(ctx, side.counsellor.user.email);
      expect(mails.map((m) => m.subject)).toEqual(['Fördelningen i Prao vt 2027 är klar']);
      expect(mails[0]!.body_text).toContain('4 av 4 elever fick plats');
      expect(mails[0]!.body_text).toContain(`/school/rounds/${world.round.id}/results`);
    }
    const company = await outboxTo(ctx, world.coordinator.email);
    expect(company).toHaveLength(1);
    expect(company[0]!.body_text).toContain('8 elever kommer till');
  });

  it('marks the run and the round committed', async () => {
    const round = (await reloadRound(ctx, world)).round;
    expect(round.committedAllocationId).toBe(allocationId);
    const row = await ctx.db.selectFrom('allocations').selectAll().where('id', '=', allocationId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'committed', committed_by: world.networkCoordinator.user.id });
  });

  it('refuses to commit the round a second time', async () => {
    await expect(commitRun(ctx, world, allocationId)).rejects.toMatchObject({ code: 'round_committed' });
  });

  it('refuses to run a committed round again', async () => {
    await expect(runAllocation(ctx, await reloadRound(ctx, world))).rejects.toMatchObject({ code: 'round_committed' });
  });
});

describe('what an allocation places, and what not', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(() => ctx.close());

  it('does not place a pupil again who is booked into the round by hand', async () => {
    const world = await allocationWorld(ctx, { pupils: 2 });
    const side = world.schools[0]!;
    const a = (await worldSlot(ctx, world, '2027-04-06T08:00', '2027-04-06T12:00', { capacity: 4 }, 0)).id;
    const b = (await worldSlot(ctx, world, '2027-04-07T08:00', '2027-04-07T12:00', { capacity: 4 }, 1)).id;
    await bookBeforeRound(ctx, world, side, b, [side.pupils[0]!]);
    for (const pupil of side.pupils) await putWishes(ctx, world.round.id, pupil.id, wish(a));
    const run = await runAllocation(ctx, world, { seed: 1 });
    const results = await resultsOf(ctx, run.id);
    expect(resultOf(results, side.pupils[0]!)).toMatchObject({ outcome: 'already_booked', placementId: null, explanation: { bookedPlacementId: b } });
    expect(resultOf(results, side.pupils[1]!)).toMatchObject({ outcome: 'placed', placementId: a, rank: 1 });
    expect(run.metrics).toMatchObject({ pupils: 2, placed: 1, alreadyBooked: 1, unplaced: 0 });
  });

  it('counts seats booked by hand: only the free ones are given out', async () => {
    const world = await allocationWorld(ctx, { pupils: 3 });
    const side = world.schools[0]!;
    const other = await outsideSchool(ctx, world, 1);
    const a = (await worldSlot(ctx, world, '2027-04-06T08:00', '2027-04-06T12:00', { capacity: 2 }, 0)).id;
    await book(ctx, other, a, other.pupils);
    for (const pupil of side.pupils) await putWishes(ctx, world.round.id, pupil.id, wish(a));
    const run = await runAllocation(ctx, world, { seed: 3 });
    expect(run.metrics).toMatchObject({ placed: 1, unplaced: 2, byRank: [1] });
  });

  it('places a series as one unit, with a booking in each of its slots', async () => {
    const world = await allocationWorld(ctx, { pupils: 1 });
    const side = world.schools[0]!;
    const series = await makeSeries(ctx, world.coordinator, [world.storyIds[0]!], ['2027-04-06', '2027-04-07']);
    await putWishes(ctx, world.round.id, side.pupils[0]!.id, [{ id: series.seriesId, kind: 'series' }]);
    const run = await runAllocation(ctx, world, { seed: 1 });
    expect(resultOf(await resultsOf(ctx, run.id), side.pupils[0]!)).toMatchObject({ placementId: series.seriesId, placementKind: 'series', rank: 1 });
    expect(await commitRun(ctx, world, run.id)).toMatchObject({ bookings: 2 });
    const bookings = await ctx.db.selectFrom('bookings').select(['slot_id', 'status']).where('pupil_id', '=', side.pupils[0]!.id).execute();
    expect(bookings.map((b) => b.status)).toEqual(['confirmed', 'confirmed']);
    expect(new Set(bookings.map((b) => b.slot_id)).size).toBe(2);
  });

  it('keeps a wish that became impossible as a hole, so the ranks stay as entered', async () => {
    const world = await allocationWorld(ctx, { pupils: 1 });
    const side = world.schools[0]!;
    const gone = (await worldSlot(ctx, world, '2027-04-06T08:00', '2027-04-06T12:00', {}, 0)).id;
    const ninth = (await worldSlot(ctx, world, '2027-04-07T08:00', '2027-04-07T12:00', { grades: ['9'] }, 1)).id;
    const kept = (await worldSlot(ctx, world, '2027-04-08T08:00', '2027-04-08T12:00', {}, 2)).id;
    await putWishes(ctx, world.round.id, side.pupils[0]!.id, wish(gone, ninth, kept));
    await inTransaction(ctx.db, (trx) => cancelSlotWithBookings(trx, { mailer: ctx.mailer, config: ctx.config }, world.coordinator, actorOf(world.coordinator, 'ui', null), gone, null, ctx.clock.now()));
    const run = await runAllocation(ctx, world, { seed: 1 });
    const result = resultOf(await resultsOf(ctx, run.id), side.pupils[0]!);
    expect(result).toMatchObject({ placementId: kept, rank: 3 });
    expect(result.explanation.wishes).toEqual([
      expect.objectContaining({ rank: 1, reason: 'unavailable', hole: 'gone', placementId: gone }),
      expect.objectContaining({ rank: 2, reason: 'unavailable', hole: 'wrong_grade', placementId: ninth }),
    ]);
  });

  it('does not give a pupil a placement that clashes with a booking of theirs', async () => {
    const world = await allocationWorld(ctx, { pupils: 1, round: { dates: [{ from: '2027-04-06', to: '2027-04-06' }] } });
    const side = world.schools[0]!;
    // A series that runs past the school's dates is no placement of the round; one of its slots is booked by hand.
    const straddling = await makeSeries(ctx, world.coordinator, [world.storyIds[0]!], ['2027-04-06', '2027-04-08'], ['09:00', '11:00']);
    const clashing = (await worldSlot(ctx, world, '2027-04-06T08:00', '2027-04-06T12:00', {}, 1)).id;
    await bookBeforeRound(ctx, world, side, straddling.slotIds[0]!, side.pupils);
    await putWishes(ctx, world.round.id, side.pupils[0]!.id, wish(clashing));
    const run = await runAllocation(ctx, world, { seed: 1 });
    const result = resultOf(await resultsOf(ctx, run.id), side.pupils[0]!);
    expect(result).toMatchObject({ outcome: 'unplaced', placementId: null });
    expect(result.explanation.wishes).toEqual([expect.objectContaining({ rank: 1, hole: 'clash' })]);
  });

  it('places pupils without wishes only in the seats the wishing pupils left', async () => {
    const world = await allocationWorld(ctx, { pupils: 3, round: { placeWithoutWishes: true } });
    const side = world.schools[0]!;
    const late = [await makePupil(ctx.db, side.school.id), await makePupil(ctx.db, side.school.id)];
    const popular = (await worldSlot(ctx, world, '2027-04-06T08:00', '2027-04-06T12:00', { capacity: 3 }, 0)).id;
    const spare = (await worldSlot(ctx, world, '2027-04-07T08:00', '2027-04-07T12:00', { capacity: 1 }, 1)).id;
    for (const pupil of side.pupils) await putWishes(ctx, world.round.id, pupil.id, wish(popular));
    const run = await runAllocation(ctx, world, { seed: 5 });
    const results = await resultsOf(ctx, run.id);
    for (const pupil of side.pupils) expect(resultOf(results, pupil)).toMatchObject({ placementId: popular, rank: 1 });
    const withoutWish = late.map((p) => resultOf(results, p));
    expect(withoutWish.map((r) => r.outcome).sort()).toEqual(['no_eligible_placement', 'placed_without_wish']);
    expect(withoutWish.find((r) => r.outcome === 'placed_without_wish')).toMatchObject({ placementId: spare, rank: null });
    expect(run.metrics).toMatchObject({ placed: 4, placedWithoutWish: 1, unplaced: 1, byRank: [3] });
  });

  it('places a pupil whose every wish became impossible like a pupil without wishes, and says why', async () => {
    const world = await allocationWorld(ctx, { pupils: 2, round: { placeWithoutWishes: true } });
    const [lost, none] = world.schools[0]!.pupils;
    const gone = (await worldSlot(ctx, world, '2027-04-06T08:00', '2027-04-06T12:00', {}, 0)).id;
    const spare = (await worldSlot(ctx, world, '2027-04-07T08:00', '2027-04-07T12:00', { capacity: 2 }, 1)).id;
    await putWishes(ctx, world.round.id, lost!.id, wish(gone));
    await inTransaction(ctx.db, (trx) => cancelSlotWithBookings(trx, { mailer: ctx.mailer, config: ctx.config }, world.coordinator, actorOf(world.coordinator, 'ui', null), gone, null, ctx.clock.now()));
    const run = await runAllocation(ctx, world, { seed: 1 });
    const results = await resultsOf(ctx, run.id);
    expect(resultOf(results, none!)).toMatchObject({ outcome: 'placed_without_wish', placementId: spare });
    const result = resultOf(results, lost!);
    expect(result).toMatchObject({ outcome: 'placed_without_wish', placementId: spare, rank: null });
    expect(result.explanation.wishes).toEqual([{ rank: 1, reason: 'unavailable', placementId: gone, hole: 'gone' }]);
    // They had wishes: counted among those who wished, none of whom got one.
    expect(run.metrics).toMatchObject({ wishing: 1, placed: 2, placedWithoutWish: 2, unplaced: 0, byRank: [] });
  });

  it('leaves pupils without wishes unplaced when the round does not place them', async () => {
    const world = await allocationWorld(ctx, { pupils: 1 });
    await worldSlot(ctx, world, '2027-04-06T08:00', '2027-04-06T12:00', {}, 0);
    const run = await runAllocation(ctx, world, { seed: 5 });
    expect(resultOf(await resultsOf(ctx, run.id), world.schools[0]!.pupils[0]!)).toMatchObject({ outcome: 'no_wishes', placementId: null });
  });

  it('caps each school to its share of an over-subscribed placement when the round says so', async () => {
    const world = await allocationWorld(ctx, { schools: 2, pupils: 6, round: { schoolShareCaps: true } });
    const [big, small] = world.schools;
    // The small school has 2 of the round's 8 pupils: a quarter of the 4 seats is one.
    await ctx.db.deleteFrom('pupils').where('id', 'in', small!.pupils.slice(2).map((p) => p.id)).execute();
    const popular = (await worldSlot(ctx, world, '2027-04-06T08:00', '2027-04-06T12:00', { capacity: 4 }, 0)).id;
    for (const side of [big!, small!]) for (const pupil of side.pupils.slice(0, side === big ? 6 : 2)) await putWishes(ctx, world.round.id, pupil.id, wish(popular));
    for (let seed = 1; seed <= 5; seed++) {
      const run = await runAllocation(ctx, world, { seed });
      const bigTally = run.metrics!.schools.find((s) => s.schoolId === big!.school.id);
      const smallTally = run.metrics!.schools.find((s) => s.schoolId === small!.school.id);
      expect(bigTally!.placed, `seed ${seed}`).toBeLessThanOrEqual(3);
      expect(smallTally!.placed, `seed ${seed}`).toBeGreaterThanOrEqual(1);
      expect(bigTally!.placed + smallTally!.placed).toBe(4);
    }
  });
});

describe('a commit after something changed', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(() => ctx.close());

  it('is refused as stale when a seat was booked by hand since the preview, and books nothing', async () => {
    const world = await allocationWorld(ctx, { pupils: 2 });
    const side = world.schools[0]!;
    const other = await outsideSchool(ctx, world, 1);
    const a = (await worldSlot(ctx, world, '2027-04-06T08:00', '2027-04-06T12:00', { capacity: 4 }, 0)).id;
    for (const pupil of side.pupils) await putWishes(ctx, world.round.id, pupil.id, wish(a));
    const run = await runAllocation(ctx, world, { seed: 9 });
    await book(ctx, other, a, other.pupils);
    await expect(commitRun(ctx, world, run.id)).rejects.toMatchObject({ code: 'allocation_stale' });
    expect(await bookingsOfRun(ctx, run.id)).toEqual([]);
    expect(await slotTruth(ctx, a)).toMatchObject({ bookedCount: 1, confirmed: 1 });
    expect((await reloadRound(ctx, world)).round.committedAllocationId).toBeNull();
    expect((await ctx.db.selectFrom('allocations').select('status').where('id', '=', run.id).executeTakeFirstOrThrow()).status).toBe('ready');
  });

  it('is refused as stale when a wish changed since the preview', async () => {
    const world = await allocationWorld(ctx, { pupils: 1 });
    const side = world.schools[0]!;
    const a = (await worldSlot(ctx, world, '2027-04-06T08:00', '2027-04-06T12:00', {}, 0)).id;
    const b = (await worldSlot(ctx, world, '2027-04-07T08:00', '2027-04-07T12:00', {}, 1)).id;
    await putWishes(ctx, world.round.id, side.pupils[0]!.id, wish(a));
    const run = await runAllocation(ctx, world, { seed: 9 });
    await putWishes(ctx, world.round.id, side.pupils[0]!.id, wish(b, a));
    await expect(commitRun(ctx, world, run.id)).rejects.toMatchObject({ code: 'allocation_stale' });
  });

  it('waits for wishes to close unless asked to run early', async () => {
    const world = await allocationWorld(ctx, { pupils: 1, round: { wishesCloseAt: '2027-03-31T22:00:00.000Z' } });
    await expect(runAllocation(ctx, world)).rejects.toMatchObject({ code: 'wishes_still_open' });
    expect((await runAllocation(ctx, world, { early: true })).status).toBe('ready');
  });
});

const OPEN_WINDOW = { wishesCloseAt: '2027-03-31T22:00:00.000Z' };

describe('a commit while the wish window is still open', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(() => ctx.close());

  async function earlyPreview(round = OPEN_WINDOW) {
    const world = await allocationWorld(ctx, { pupils: 2, round });
    const a = (await worldSlot(ctx, world, '2027-04-06T08:00', '2027-04-06T12:00', { capacity: 4 }, 0)).id;
    for (const pupil of world.schools[0]!.pupils) await putWishes(ctx, world.round.id, pupil.id, wish(a));
    const run = await runAllocation(ctx, world, { seed: 1, early: true });
    return { world, run, a };
  }

  it('is refused with wishes_still_open unless the caller asks to close the wishes, and books nothing', async () => {
    const { world, run, a } = await earlyPreview();
    await expect(commitRun(ctx, world, run.id)).rejects.toMatchObject({ code: 'wishes_still_open' });
    await expect(commitRun(ctx, world, run.id, { closeWishes: false })).rejects.toMatchObject({ code: 'wishes_still_open' });
    expect(await slotTruth(ctx, a)).toMatchObject({ confirmed: 0 });
    const round = (await reloadRound(ctx, world)).round;
    expect(round).toMatchObject({ committedAllocationId: null, wishesCloseAt: OPEN_WINDOW.wishesCloseAt });
    expect(roundPhase(round, ctx.clock.now())).toBe('wishes_open');
  });

  it('closes the wish window at the moment of the commit when asked to, in the same transaction', async () => {
    const { world, run, a } = await earlyPreview();
    expect(await commitRun(ctx, world, run.id, { closeWishes: true })).toMatchObject({ status: 'committed', bookings: 2 });
    expect(await slotTruth(ctx, a)).toMatchObject({ confirmed: 2 });
    const round = (await reloadRound(ctx, world)).round;
    expect(round.wishesCloseAt).toBe(toDbInstant(ctx.clock.now()));
    expect(round.committedAllocationId).toBe(run.id);
  });

  it('also ends a window that has not opened yet, keeping it in order', async () => {
    const { world, run } = await earlyPreview({ wishesOpenAt: '2027-03-20T23:00:00.000Z', wishesCloseAt: '2027-03-31T22:00:00.000Z' } as typeof OPEN_WINDOW);
    await expect(commitRun(ctx, world, run.id)).rejects.toMatchObject({ code: 'wishes_still_open' });
    await commitRun(ctx, world, run.id, { closeWishes: true });
    const round = (await reloadRound(ctx, world)).round;
    expect(round.wishesCloseAt).toBe(toDbInstant(ctx.clock.now()));
    expect(round.wishesOpenAt < round.wishesCloseAt).toBe(true);
  });

  it('needs nothing more once the window has closed', async () => {
    const world = await allocationWorld(ctx, { pupils: 1 });
    const run = await runAllocation(ctx, world, { seed: 1 });
    await expect(commitRun(ctx, world, run.id, { closeWishes: false })).resolves.toMatchObject({ status: 'committed' });
    expect((await reloadRound(ctx, world)).round.wishesCloseAt).toBe('2027-03-15T23:00:00.000Z');
  });
});

describe('a commit of a run whose proof did not hold', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(() => ctx.close());

  it('is refused with allocation_unproven, and books nothing', async () => {
    const world = await allocationWorld(ctx, { pupils: 1 });
    const a = (await worldSlot(ctx, world, '2027-04-06T08:00', '2027-04-06T12:00', {}, 0)).id;
    await putWishes(ctx, world.round.id, world.schools[0]!.pupils[0]!.id, wish(a));
    const run = await runAllocation(ctx, world, { seed: 1 });
    await ctx.db.updateTable('allocations').set({ metrics: JSON.stringify({ ...run.metrics, certificate: ['edge 4 (2→5) is over its capacity by 1'] }) }).where('id', '=', run.id).execute();
    await expect(commitRun(ctx, world, run.id)).rejects.toMatchObject({ code: 'allocation_unproven', status: 409 });
    expect(await slotTruth(ctx, a)).toMatchObject({ confirmed: 0 });
  });
});

/** A job that waits until released, so a run stays running as long as a test needs. */
function heldJobs() {
  let released = false;
  const gates: (() => void)[] = [];
  const stages: ((stage: Stage) => void)[] = [];
  const runJob = (job: AllocationJob, onStage: (stage: Stage) => void) =>
    new Promise<ReturnType<typeof runAllocationJob>>((resolve) => {
      stages.push(onStage);
      const go = () => resolve(runAllocationJob(job));
      if (released) go();
      else gates.push(go);
    });
  const releaseAll = () => {
    released = true;
    gates.splice(0).forEach((go) => go());
  };
  return { runJob, releaseAll, started: () => stages.length, stage: (stage: Stage) => stages.forEach((on) => on(stage)) };
}

const until = async (check: () => Promise<boolean>) => {
  for (let i = 0; i < 200 && !(await check()); i++) await new Promise((r) => setTimeout(r, 10));
};

describe('one run at a time', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(() => ctx.close());

  const depsWith = (runJob: AllocationDeps['runJob']): AllocationDeps => ({ logger: pino({ level: 'silent' }), runJob, clock: ctx.clock });
  const start = (world: RoundWorld, deps: AllocationDeps) => startAllocation(ctx.db, deps, world.networkCoordinator.user, world.round.id, { seed: 1 }, ctx.clock.now());

  it('refuses a second run of a round while one is running, and allows it once that one is done', async () => {
    const world = await allocationWorld(ctx, { pupils: 1 });
    const held = heldJobs();
    const first = await start(world, depsWith(held.runJob));
    try {
      await expect(start(world, depsWith(held.runJob))).rejects.toMatchObject({ code: 'allocation_running', status: 409 });
    } finally {
      held.releaseAll();
      await first.done;
    }
    const second = await start(world, depsWith(undefined));
    await second.done;
    const runs = await ctx.db.selectFrom('allocations').select('status').where('round_id', '=', world.round.id).execute();
    expect(runs.map((r) => r.status)).toEqual(['ready', 'ready']);
  });

  it('refuses two runs of a round started at the same moment but one', async () => {
    const world = await allocationWorld(ctx, { pupils: 1 });
    const held = heldJobs();
    const tries = await Promise.allSettled([start(world, depsWith(held.runJob)), start(world, depsWith(held.runJob))]);
    held.releaseAll();
    for (const t of tries) if (t.status === 'fulfilled') await t.value.done;
    expect(tries.map((t) => t.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(tries.find((t) => t.status === 'rejected')).toMatchObject({ reason: { code: 'allocation_running' } });
  });

  it(`runs at most ${MAX_RUNS_AT_ONCE} rounds at once in one process`, async () => {
    const worlds = [];
    for (let i = 0; i <= MAX_RUNS_AT_ONCE; i++) worlds.push(await allocationWorld(ctx, { pupils: 1 }));
    const held = heldJobs();
    const started = [];
    try {
      for (const world of worlds.slice(0, MAX_RUNS_AT_ONCE)) started.push(await start(world, depsWith(held.runJob)));
      await expect(start(worlds[MAX_RUNS_AT_ONCE]!, depsWith(held.runJob))).rejects.toMatchObject({ code: 'allocation_running' });
    } finally {
      held.releaseAll();
      for (const s of started) await s.done;
    }
    await (await start(worlds[MAX_RUNS_AT_ONCE]!, depsWith(undefined))).done;
  });

  it('refuses a run while another process is running one of the round (its heartbeat is fresh)', async () => {
    const world = await allocationWorld(ctx, { pupils: 1 });
    const at = toDbInstant(ctx.clock.now().minus({ seconds: 50 }));
    await insertAllocationRow(ctx, world.round.id, { created_at: toDbInstant(ctx.clock.now().minus({ minutes: 10 })), heartbeat_at: at });
    await expect(runAllocation(ctx, world)).rejects.toMatchObject({ code: 'allocation_running' });
  });
});

/** A 'running' row as another process leaves it. */
describe("a run's heartbeat", () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(() => ctx.close());

  const heartbeatOf = async (id: string) => (await ctx.db.selectFrom('allocations').select(['heartbeat_at', 'progress']).where('id', '=', id).executeTakeFirstOrThrow());

  it('is written when the run starts, with every progress step, and on a timer while the worker runs', async () => {
    const world = await allocationWorld(ctx, { pupils: 1 });
    const held = heldJobs();
    const deps: AllocationDeps = { logger: pino({ level: 'silent' }), runJob: held.runJob, clock: ctx.clock, heartbeatEveryMs: 10 };
    const started = ctx.clock.now();
    const { allocation, done } = await startAllocation(ctx.db, deps, world.networkCoordinator.user, world.round.id, {}, started);
    try {
      expect((await heartbeatOf(allocation.id)).heartbeat_at).toBe(toDbInstant(started));
      await until(async () => held.started() > 0 && (await heartbeatOf(allocation.id)).progress === 15);
      expect(held.started()).toBe(1);
      ctx.clock.advance({ seconds: 30 });
      // Nothing reports progress now: only the timer can write this.
      await until(async () => (await heartbeatOf(allocation.id)).heartbeat_at === toDbInstant(ctx.clock.now()));
      expect(await heartbeatOf(allocation.id)).toEqual({ heartbeat_at: toDbInstant(started.plus({ seconds: 30 })), progress: 15 });
      ctx.clock.advance({ seconds: 2 });
      held.stage('explaining');
      await until(async () => (await heartbeatOf(allocation.id)).progress === 70);
      expect((await heartbeatOf(allocation.id)).heartbeat_at).toBe(toDbInstant(started.plus({ seconds: 32 })));
    } finally {
      held.releaseAll();
      await done;
      ctx.clock.set(toDbInstant(started));
    }
  });

  it('stops when the run ends', async () => {
    const world = await allocationWorld(ctx, { pupils: 1 });
    const deps: AllocationDeps = { logger: pino({ level: 'silent' }), clock: ctx.clock, heartbeatEveryMs: 5 };
    const started = ctx.clock.now();
    const { allocation, done } = await startAllocation(ctx.db, deps, world.networkCoordinator.user, world.round.id, {}, started);
    await done;
    const after = await heartbeatOf(allocation.id);
    ctx.clock.advance({ seconds: 30 });
    try {
      await new Promise((r) => setTimeout(r, 50));
      expect(await heartbeatOf(allocation.id)).toEqual(after);
    } finally {
      ctx.clock.set(toDbInstant(started));
    }
  });

  it('shows a running run of another process as failed once its heartbeat is a minute old, and lets a new run start', async () => {
    const world = await allocationWorld(ctx, { pupils: 1 });
    const user = world.networkCoordinator.user;
    const stale = await insertAllocationRow(ctx, world.round.id, { created_at: toDbInstant(ctx.clock.now().minus({ minutes: 5 })), heartbeat_at: toDbInstant(ctx.clock.now().minus({ seconds: 61 })) });
    expect((await getAllocation(ctx.db, user, world.round.id, stale.id, ctx.clock.now())).allocation.status).toBe('failed');
    expect((await runAllocation(ctx, world)).status).toBe('ready');
    expect(await ctx.db.selectFrom('allocations').select(['status', 'error']).where('id', '=', stale.id).executeTakeFirstOrThrow()).toEqual({ status: 'failed', error: 'abandoned' });
  });

  it('keeps a run of another process running while its heartbeat is under a minute old, however long ago it started', async () => {
    const world = await allocationWorld(ctx, { pupils: 1 });
    const alive = await insertAllocationRow(ctx, world.round.id, { created_at: toDbInstant(ctx.clock.now().minus({ hours: 2 })), heartbeat_at: toDbInstant(ctx.clock.now().minus({ seconds: 59 })) });
    expect((await getAllocation(ctx.db, world.networkCoordinator.user, world.round.id, alive.id, ctx.clock.now())).allocation.status).toBe('running');
  });

  it('goes by the start of a run that never beat: failed a minute after it', async () => {
    const world = await allocationWorld(ctx, { pupils: 1 });
    const silent = await insertAllocationRow(ctx, world.round.id, { created_at: toDbInstant(ctx.clock.now().minus({ seconds: 61 })), heartbeat_at: null });
    expect((await getAllocation(ctx.db, world.networkCoordinator.user, world.round.id, silent.id, ctx.clock.now())).allocation.status).toBe('failed');
    expect((await runAllocation(ctx, world)).status).toBe('ready');
  });
});

import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../support/app.ts';
import { apiGet, apiUser, expectApiError } from '../support/api.ts';
import { book, worldSlot } from '../support/bookings.ts';
import { insertAllocationRow, putWishes, type RoundWorld } from '../support/rounds.ts';
import { allocationWorld, apiAllocate, apiCommit, bookBeforeRound, outsideSchool } from '../support/allocation.ts';
import { allocationSummaries } from '../../src/scheduler/allocation.service.ts';
import { toDbInstant } from '../../src/time/stockholm.ts';

describe('the allocation API', () => {
  let ctx: TestContext;
  let world: RoundWorld;
  let token: string;
  const slot: Record<string, string> = {};

  beforeAll(async () => {
    ctx = await createTestContext();
    world = await allocationWorld(ctx, { schools: 1, pupils: 3 });
    token = world.networkCoordinator.token;
    slot.a = (await worldSlot(ctx, world, '2027-04-06T08:00', '2027-04-06T12:00', { capacity: 1 }, 0)).id;
    slot.b = (await worldSlot(ctx, world, '2027-04-07T08:00', '2027-04-07T12:00', { capacity: 1 }, 1)).id;
    const [p1, p2, p3] = world.schools[0]!.pupils;
    await putWishes(ctx, world.round.id, p1!.id, [{ id: slot.a! }, { id: slot.b! }]);
    await putWishes(ctx, world.round.id, p2!.id, [{ id: slot.a! }, { id: slot.b! }]);
    await putWishes(ctx, world.round.id, p3!.id, [{ id: slot.a! }]);
  });
  afterAll(() => ctx.close());

  it('runs a preview and answers 201 with the seed, the metrics and one result per pupil', async () => {
    const res = await apiAllocate(ctx, world.round.id, { seed: 7 }, token);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ id: expect.any(String), seed: 7, status: 'ready', progress: 100, metrics: { pupils: 3, placed: 2, unplaced: 1, byRank: [1, 1] } });
    expect(res.body.results).toHaveLength(3);
    const unplaced = res.body.results.filter((r: { placementId: string | null }) => r.placementId === null);
    expect(unplaced).toEqual([expect.objectContaining({ placementId: null, rank: null })]);
    const ranks = res.body.results.map((r: { rank: number | null }) => r.rank).sort();
    expect(ranks).toEqual([1, 2, null]);
  });

  it('gives the same preview for the same seed', async () => {
    const first = await apiAllocate(ctx, world.round.id, { seed: 11 }, token);
    const second = await apiAllocate(ctx, world.round.id, { seed: 11 }, token);
    expect(second.body.results).toEqual(first.body.results);
  });

  it('picks a seed when none is given, and shows it', async () => {
    const res = await apiAllocate(ctx, world.round.id, {}, token);
    expect(res.status).toBe(201);
    expect(Number.isInteger(res.body.seed)).toBe(true);
  });

  it('reads a run back with its status and progress', async () => {
    const created = await apiAllocate(ctx, world.round.id, { seed: 7 }, token);
    const res = await apiGet(ctx, `/rounds/${world.round.id}/allocations/${created.body.id}`, token);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(created.body);
  });

  it('names a bad seed and an unknown field', async () => {
    expect(expectApiError(await apiAllocate(ctx, world.round.id, { seed: -1 }, token), 422, 'validation_failed')).toHaveProperty('seed');
    expect(expectApiError(await apiAllocate(ctx, world.round.id, { seed: 2 ** 31 }, token), 422, 'validation_failed')).toHaveProperty('seed');
    expect(expectApiError(await apiAllocate(ctx, world.round.id, { seeds: 1 }, token), 422, 'validation_failed')).toHaveProperty('seeds');
  });

  it('is 404 for a round of another network, and for a run of another round', async () => {
    const stranger = await apiUser(ctx, 'network_coordinator');
    expectApiError(await apiAllocate(ctx, world.round.id, {}, stranger.token), 404, 'not_found');
    expectApiError(await apiGet(ctx, `/rounds/${world.round.id}/allocations/nope`, token), 404, 'not_found');
  });

  it('refuses counsellors and companies', async () => {
    const counsellor = world.schools[0]!.counsellor.token;
    expectApiError(await apiAllocate(ctx, world.round.id, {}, counsellor), 403, 'forbidden');
    const company = await apiUser(ctx, 'company_coordinator', world.company.id);
    expectApiError(await apiAllocate(ctx, world.round.id, {}, company.token), 403, 'forbidden');
    const run = await apiAllocate(ctx, world.round.id, { seed: 1 }, token);
    expectApiError(await apiCommit(ctx, world.round.id, run.body.id, counsellor), 403, 'forbidden');
    expectApiError(await apiCommit(ctx, world.round.id, run.body.id, company.token), 403, 'forbidden');
  });

  it('refuses a commit with allocation_stale when a seat was booked by hand since the preview', async () => {
    const run = await apiAllocate(ctx, world.round.id, { seed: 3 }, token);
    const other = await outsideSchool(ctx, world, 1);
    await book(ctx, other, slot.b!, other.pupils);
    expectApiError(await apiCommit(ctx, world.round.id, run.body.id, token), 409, 'allocation_stale');
    const booked = await ctx.db.selectFrom('bookings').select('id').where('school_id', '=', world.schools[0]!.school.id).execute();
    expect(booked).toEqual([]);
  });

  it('commits a fresh preview: 200 with the bookings made, and 409 for a second commit', async () => {
    const run = await apiAllocate(ctx, world.round.id, { seed: 3 }, token);
    expect(run.body.metrics.placed).toBe(1);
    const res = await apiCommit(ctx, world.round.id, run.body.id, token);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: run.body.id, status: 'committed', bookings: 1 });
    expectApiError(await apiCommit(ctx, world.round.id, run.body.id, token), 409, 'round_committed');
    expect((await apiGet(ctx, `/rounds/${world.round.id}/allocations/${run.body.id}`, token)).body.status).toBe('committed');
    expectApiError(await apiAllocate(ctx, world.round.id, {}, token), 409, 'round_committed');
  });

  it('waits for wishes to close unless asked to run early', async () => {
    const open = await allocationWorld(ctx, { pupils: 1, round: { wishesCloseAt: '2027-03-31T22:00:00.000Z' } });
    expectApiError(await apiAllocate(ctx, open.round.id, {}, open.networkCoordinator.token), 409, 'wishes_still_open');
    expect((await apiAllocate(ctx, open.round.id, { early: true }, open.networkCoordinator.token)).status).toBe(201);
  });

  it('is in the OpenAPI document with its request and answers', async () => {
    const doc = (await supertest(ctx.app).get('/api/v1/openapi.json')).body;
    const create = doc.paths['/rounds/{id}/allocations'].post;
    expect(create.operationId).toBe('createAllocation');
    expect(Object.keys(create.requestBody.content['application/json'].schema.properties)).toEqual(['seed', 'early']);
    expect(create.responses['201'].content['application/json'].schema.properties).toHaveProperty('results');
    expect(create.responses['409'].description).toContain('wishes_still_open');
    expect(doc.paths['/rounds/{id}/allocations/{allocationId}'].get.operationId).toBe('getAllocation');
    const commit = doc.paths['/rounds/{id}/allocations/{allocationId}/commit'].post;
    expect(commit.responses['409'].description).toContain('allocation_stale');
    for (const code of ['wishes_still_open', 'allocation_unproven']) expect(commit.responses['409'].description).toContain(code);
    expect(create.responses['409'].description).toContain('allocation_running');
    expect(Object.keys(commit.requestBody.content['application/json'].schema.properties)).toEqual(['closeWishes']);
    const result = create.responses['201'].content['application/json'].schema.properties.results.items.properties;
    expect(result.placementId.description).toContain('already_booked');
  });
});

describe('the allocation API, for a pupil booked into the round by hand', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(() => ctx.close());

  it('gives the placement they are booked into as placementId, with rank null, and counts them as neither placed nor unplaced', async () => {
    const world = await allocationWorld(ctx, { pupils: 3 });
    const side = world.schools[0]!;
    const [booked, placed, unplaced] = side.pupils;
    const a = (await worldSlot(ctx, world, '2027-04-06T08:00', '2027-04-06T12:00', { capacity: 1 }, 0)).id;
    const b = (await worldSlot(ctx, world, '2027-04-07T08:00', '2027-04-07T12:00', { capacity: 2 }, 1)).id;
    await bookBeforeRound(ctx, world, side, b, [booked!]);
    for (const pupil of [booked!, placed!, unplaced!]) await putWishes(ctx, world.round.id, pupil.id, [{ id: a }]);
    const res = await apiAllocate(ctx, world.round.id, { seed: 1 }, world.networkCoordinator.token);
    expect(res.status).toBe(201);
    const byPupil = new Map(res.body.results.map((r: { pupilId: string }) => [r.pupilId, r]));
    expect(byPupil.get(booked!.id)).toEqual({ pupilId: booked!.id, placementId: b, rank: null, outcome: 'already_booked' });
    const others = [byPupil.get(placed!.id), byPupil.get(unplaced!.id)];
    expect(others).toContainEqual(expect.objectContaining({ placementId: a, rank: 1, outcome: 'placed' }));
    expect(others).toContainEqual(expect.objectContaining({ placementId: null, rank: null, outcome: 'unplaced' }));
    expect(res.body.metrics).toMatchObject({ pupils: 3, placed: 1, unplaced: 1, alreadyBooked: 1 });
    // Read a page at a time (two rows here, thousands in the app), the answer is the same, in pupil id order.
    const paged = await allocationSummaries(ctx.db, res.body.id, 2);
    expect(paged).toEqual([...res.body.results].sort((x: { pupilId: string }, y: { pupilId: string }) => (x.pupilId < y.pupilId ? -1 : 1)));
    expect(res.body.results).toEqual(paged);
    // Committing books the placed pupil only: the one booked by hand keeps their booking.
    expect((await apiCommit(ctx, world.round.id, res.body.id, world.networkCoordinator.token)).body).toMatchObject({ bookings: 1 });
    const bookings = await ctx.db.selectFrom('bookings').select('slot_id').where('pupil_id', '=', booked!.id).where('status', '=', 'confirmed').execute();
    expect(bookings).toEqual([{ slot_id: b }]);
  });
});

describe('committing through the API while the wish window is open', () => {
  let ctx: TestContext;
  let world: RoundWorld;
  let token: string;
  beforeAll(async () => {
    ctx = await createTestContext();
    world = await allocationWorld(ctx, { pupils: 1, round: { wishesCloseAt: '2027-03-31T22:00:00.000Z' } });
    token = world.networkCoordinator.token;
    const a = (await worldSlot(ctx, world, '2027-04-06T08:00', '2027-04-06T12:00', {}, 0)).id;
    await putWishes(ctx, world.round.id, world.schools[0]!.pupils[0]!.id, [{ id: a }]);
  });
  afterAll(() => ctx.close());

  it('is refused with wishes_still_open without closeWishes, and with closeWishes: false', async () => {
    const run = await apiAllocate(ctx, world.round.id, { early: true, seed: 1 }, token);
    expectApiError(await apiCommit(ctx, world.round.id, run.body.id, token), 409, 'wishes_still_open');
    expectApiError(await apiCommit(ctx, world.round.id, run.body.id, token, { closeWishes: false }), 409, 'wishes_still_open');
  });

  it('names a bad body', async () => {
    const run = await apiAllocate(ctx, world.round.id, { early: true, seed: 1 }, token);
    expect(expectApiError(await apiCommit(ctx, world.round.id, run.body.id, token, { closeWishes: 'ja' }), 422, 'validation_failed')).toHaveProperty('closeWishes');
    expect(expectApiError(await apiCommit(ctx, world.round.id, run.body.id, token, { close: true }), 422, 'validation_failed')).toHaveProperty('close');
  });

  it('closes the wishes now and commits with closeWishes: true', async () => {
    const run = await apiAllocate(ctx, world.round.id, { early: true, seed: 1 }, token);
    const res = await apiCommit(ctx, world.round.id, run.body.id, token, { closeWishes: true });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: run.body.id, status: 'committed', bookings: 1 });
    const row = await ctx.db.selectFrom('rounds').select('wishes_close_at').where('id', '=', world.round.id).executeTakeFirstOrThrow();
    expect(row.wishes_close_at).toBe(toDbInstant(ctx.clock.now()));
  });
});

describe('the allocation API refuses', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(() => ctx.close());

  it('a commit of a run whose proof did not hold, with allocation_unproven', async () => {
    const world = await allocationWorld(ctx, { pupils: 1 });
    const run = await apiAllocate(ctx, world.round.id, { seed: 1 }, world.networkCoordinator.token);
    await ctx.db.updateTable('allocations').set({ metrics: JSON.stringify({ ...run.body.metrics, certificate: ['an augmenting path is left'] }) }).where('id', '=', run.body.id).execute();
    expectApiError(await apiCommit(ctx, world.round.id, run.body.id, world.networkCoordinator.token), 409, 'allocation_unproven');
  });

  it('a second run while one of the round is running, with allocation_running', async () => {
    const world = await allocationWorld(ctx, { pupils: 1 });
    const at = toDbInstant(ctx.clock.now().minus({ seconds: 10 }));
    await insertAllocationRow(ctx, world.round.id, { progress: 40, created_at: at, heartbeat_at: at });
    const res = await apiAllocate(ctx, world.round.id, {}, world.networkCoordinator.token);
    expectApiError(res, 409, 'allocation_running');
    expect(res.body.error.message).toBe('En fördelning körs redan just nu. Vänta tills den är klar och försök sedan igen.');
  });
});

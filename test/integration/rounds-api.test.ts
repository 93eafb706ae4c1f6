import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findRound } from '../../src/scheduler/rounds.repository.ts';
import { apiGet, apiPost, apiUser, expectApiError } from '../support/api.ts';
import { createTestContext, type TestContext } from '../support/app.ts';
import { book, worldSlot } from '../support/bookings.ts';
import { makeSchool } from '../support/factories.ts';
import { makePupil } from '../support/pupils.ts';
import { makeRound, makeRoundWorld, roundBody, storedWishes, type RoundWorld } from '../support/rounds.ts';
import { makeSeries } from '../support/slots.ts';

let ctx: TestContext;
let world: RoundWorld;
const ids: Record<string, string> = {};
beforeAll(async () => {
  ctx = await createTestContext();
  world = await makeRoundWorld(ctx, { schools: 2, pupils: 3, hosts: 4 });
  ids.a = (await worldSlot(ctx, world, '2027-04-06T08:00', '2027-04-06T12:00')).id;
  ids.b = (await worldSlot(ctx, world, '2027-04-07T08:00', '2027-04-07T12:00', {}, 1)).id;
  ids.gy = (await worldSlot(ctx, world, '2027-04-07T08:00', '2027-04-07T12:00', { grades: ['gy1'] }, 2)).id;
  ids.series = (await makeSeries(ctx, world.coordinator, [world.storyIds[3]!], ['2027-04-08', '2027-04-09'])).seriesId!;
});
afterAll(() => ctx.close());

const side = () => world.schools[0]!;
const token = () => world.networkCoordinator.token;
const putWishesApi = (roundId: string, pupilId: string, body: unknown, bearer = side().counsellor.token) =>
  supertest(ctx.app).put(`/api/v1/rounds/${roundId}/pupils/${pupilId}/wishes`).set('Authorization', `Bearer ${bearer}`).send(body as object);

describe('POST /api/v1/rounds', () => {
  it('creates a round and answers 201 with it, defaults filled in', async () => {
    const res = await apiPost(ctx, '/rounds', roundBody(world), token());
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: 'Prao vt 2027',
      networkId: world.networkId,
      wishesOpen: '2027-03-01T07:00:00.000Z',
      wishesClose: '2027-03-31T14:00:00.000Z',
      maxWishes: 5,
      grades: ['8', '9'],
      allocationPlanned: null,
      freeBookingOpens: null,
      placeWithoutWishes: false,
      schoolShareCaps: false,
      phase: 'wishes_open',
      committedAllocationId: null,
    });
    expect(res.body.schools).toHaveLength(2);
    expect(res.body.schools[0]).toEqual({ schoolId: expect.any(String), name: expect.any(String), from: '2027-04-05', to: '2027-04-09' });
    expect(await findRound(ctx.db, res.body.id)).toBeDefined();
  });

  it('takes the optional settings', async () => {
    const res = await apiPost(ctx, '/rounds', roundBody(world, { maxWishes: 3, grades: ['9'], freeBookingOpens: '2027-04-20T08:00:00+02:00', placeWithoutWishes: true, schoolShareCaps: true }), token());
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ maxWishes: 3, grades: ['9'], freeBookingOpens: '2027-04-20T06:00:00.000Z', placeWithoutWishes: true, schoolShareCaps: true });
  });

  it('names the bad school entry and the bad window in one 422', async () => {
    const schools = [
      { schoolId: side().school.id, from: '2027-04-09', to: '2027-04-05' },
      { schoolId: world.schools[1]!.school.id, from: '5 april', to: '2027-04-09' },
    ];
    const res = await apiPost(ctx, '/rounds', roundBody(world, { schools, maxWishes: 11 }), token());
    const fields = expectApiError(res, 422, 'validation_failed');
    expect(fields).toMatchObject({ 'schools.1.from': 'Skriv datumet som 2027-04-05.', maxWishes: 'Antal önskemål ska vara ett heltal från 1 till 10.' });
    const cross = await apiPost(ctx, '/rounds', roundBody(world, { schools: [schools[0]], wishesClose: '2027-02-01T08:00:00+01:00' }), token());
    expect(expectApiError(cross, 422, 'validation_failed')).toEqual({
      wishesClose: 'Sista tiden för önskemål måste vara efter att de börjar.',
      'schools.0.to': `Sista praodagen för ${side().school.name} kan inte vara före den första.`,
    });
  });

  it('refuses a school that is not an approved member, naming its entry', async () => {
    const stranger = await makeSchool(ctx.db);
    const res = await apiPost(ctx, '/rounds', roundBody(world, { schools: [{ schoolId: stranger.id, from: '2027-04-05', to: '2027-04-09' }] }), token());
    expect(expectApiError(res, 422, 'validation_failed')).toEqual({ 'schools.0.schoolId': 'Skolan är inte godkänd medlem i nätverket.' });
  });

  it("answers in the coordinator's language", async () => {
    const english = await apiUser(ctx, 'network_coordinator', world.networkId);
    await ctx.db.updateTable('users').set({ locale: 'en' }).where('id', '=', english.user.id).execute();
    const res = await apiPost(ctx, '/rounds', roundBody(world, { maxWishes: 0 }), english.token);
    expect(expectApiError(res, 422, 'validation_failed').maxWishes).toBe('The number of wishes must be a whole number from 1 to 10.');
  });

  it("refuses another network's coordinator with 403", async () => {
    const stranger = await apiUser(ctx, 'network_coordinator');
    expectApiError(await apiPost(ctx, '/rounds', roundBody(world), stranger.token), 403, 'forbidden');
  });

  it('refuses counsellors and company coordinators with 403', async () => {
    const company = await apiUser(ctx, 'company_coordinator', world.company.id);
    expectApiError(await apiPost(ctx, '/rounds', roundBody(world), company.token), 403, 'forbidden');
    expectApiError(await apiPost(ctx, '/rounds', roundBody(world), side().counsellor.token), 403, 'forbidden');
  });
});

describe('GET /api/v1/rounds/{id}', () => {
  it("shows the round to its network's coordinator and to a participating school's counsellor", async () => {
    const byCoordinator = await apiGet(ctx, `/rounds/${world.round.id}`, token());
    expect(byCoordinator.status).toBe(200);
    expect(byCoordinator.body).toMatchObject({ id: world.round.id, name: world.round.name, phase: 'wishes_open' });
    const byCounsellor = await apiGet(ctx, `/rounds/${world.round.id}`, side().counsellor.token);
    expect(byCounsellor.body).toEqual(byCoordinator.body);
  });

  it("refuses another network's coordinator and another school's counsellor with 403", async () => {
    const coordinator = await apiUser(ctx, 'network_coordinator');
    const counsellor = await apiUser(ctx, 'counsellor');
    expectApiError(await apiGet(ctx, `/rounds/${world.round.id}`, coordinator.token), 403, 'forbidden');
    expectApiError(await apiGet(ctx, `/rounds/${world.round.id}`, counsellor.token), 403, 'forbidden');
  });

  it('answers 404 for a round that does not exist', async () => {
    expectApiError(await apiGet(ctx, '/rounds/no-such-round', token()), 404, 'not_found');
  });
});

describe('PUT /api/v1/rounds/{id}/pupils/{pupilId}/wishes', () => {
  it('replaces the wishes in rank order, a series by its id', async () => {
    const pupil = side().pupils[0]!;
    const res = await putWishesApi(world.round.id, pupil.id, { placements: [ids.series, ids.a] });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      roundId: world.round.id,
      pupilId: pupil.id,
      placements: [
        { rank: 1, placementId: ids.series, kind: 'series' },
        { rank: 2, placementId: ids.a, kind: 'slot' },
      ],
    });
    const again = await putWishesApi(world.round.id, pupil.id, { placements: [ids.b] });
    expect(again.body.placements).toEqual([{ rank: 1, placementId: ids.b, kind: 'slot' }]);
    expect(await storedWishes(ctx, world.round.id, pupil.id)).toEqual([ids.b]);
    const read = await apiGet(ctx, `/rounds/${world.round.id}/pupils/${pupil.id}/wishes`, side().counsellor.token);
    expect(read.body).toEqual(again.body);
  });

  it('records the counsellor who entered the list', async () => {
    const pupil = side().pupils[1]!;
    await putWishesApi(world.round.id, pupil.id, { placements: [ids.a] });
    const row = await ctx.db.selectFrom('round_wishes').select('entered_by').where('pupil_id', '=', pupil.id).executeTakeFirstOrThrow();
    expect(row.entered_by).toBe(side().counsellor.user.id);
  });

  it('names the bad entries by their place in the list with 422 and keeps the old list', async () => {
    const pupil = side().pupils[2]!;
    await putWishesApi(world.round.id, pupil.id, { placements: [ids.a] });
    const res = await putWishesApi(world.round.id, pupil.id, { placements: [ids.b, ids.gy, ids.b, 'no-such-placement'] });
    expect(expectApiError(res, 422, 'validation_failed')).toEqual({
      'placements.1': 'Önskemål 2: den platsen går inte att välja i omgången.',
      'placements.2': 'Önskemål 3: den platsen är redan önskemål 1.',
      'placements.3': 'Önskemål 4: den platsen går inte att välja i omgången.',
    });
    expect(await storedWishes(ctx, world.round.id, pupil.id)).toEqual([ids.a]);
  });

  it('refuses more wishes than the round allows', async () => {
    const round = await makeRound(ctx, world, null, { maxWishes: 1 });
    const res = await putWishesApi(round.id, side().pupils[0]!.id, { placements: [ids.a, ids.b] });
    expect(expectApiError(res, 422, 'validation_failed').placements).toBe('Det går att välja högst 1 önskemål.');
  });

  it('refuses a placement that clashes with a booking the pupil already has', async () => {
    const pupil = await makePupil(ctx.db, side().school.id);
    // A series that runs past the school's prao dates is no placement of the round, but its first day is booked.
    const straddling = await makeSeries(ctx, world.coordinator, [world.storyIds[0]!], ['2027-04-09', '2027-04-12']);
    await book(ctx, side(), straddling.slotIds[0]!, [pupil]);
    const res = await putWishesApi(world.round.id, pupil.id, { placements: [ids.b, ids.series] });
    expect(expectApiError(res, 422, 'validation_failed')).toEqual({ 'placements.1': 'Önskemål 2: den krockar med en prao som redan är bokad.' });
  });

  it('answers 409 wishes_closed outside the window', async () => {
    const closed = await makeRound(ctx, world, null, { wishesOpenAt: '2027-02-01T08:00:00.000Z', wishesCloseAt: '2027-03-01T08:00:00.000Z' });
    expectApiError(await putWishesApi(closed.id, side().pupils[0]!.id, { placements: [ids.a] }), 409, 'wishes_closed');
    const upcoming = await makeRound(ctx, world, null, { wishesOpenAt: '2027-03-20T08:00:00.000Z', wishesCloseAt: '2027-03-30T08:00:00.000Z' });
    expectApiError(await putWishesApi(upcoming.id, side().pupils[0]!.id, { placements: [ids.a] }), 409, 'wishes_closed');
  });

  it('answers 404 for a pupil of the school who is not in the round (another grade)', async () => {
    const seventh = await makePupil(ctx.db, side().school.id, { className: '7A' });
    const res = await putWishesApi(world.round.id, seventh.id, { placements: [] });
    expect(expectApiError(res, 404, 'not_found')).toEqual({ pupilId: 'Eleven är inte med i omgången.' });
  });

  it("refuses another school's pupil with 403", async () => {
    const other = world.schools[1]!.pupils[0]!;
    expectApiError(await putWishesApi(world.round.id, other.id, { placements: [ids.a] }), 403, 'forbidden');
    expect(await storedWishes(ctx, world.round.id, other.id)).toEqual([]);
  });

  it('refuses network and company coordinators with 403', async () => {
    const company = await apiUser(ctx, 'company_coordinator', world.company.id);
    for (const bearer of [token(), company.token]) expectApiError(await putWishesApi(world.round.id, side().pupils[0]!.id, { placements: [] }, bearer), 403, 'forbidden');
  });

  it('names a body of the wrong shape', async () => {
    const res = await putWishesApi(world.round.id, side().pupils[0]!.id, { placements: 'ett' });
    expect(Object.keys(expectApiError(res, 422, 'validation_failed'))).toEqual(['placements']);
  });

  it('names an id of the wrong form by its wish, not by its path', async () => {
    const res = await putWishesApi(world.round.id, side().pupils[0]!.id, { placements: [1, ids.a, '  ', 'x'.repeat(65)] });
    expect(expectApiError(res, 422, 'validation_failed')).toEqual({
      'placements.0': 'Önskemål 1 har fel format.',
      'placements.2': 'Fyll i önskemål 3.',
      'placements.3': 'Önskemål 4 får ha högst 64 tecken.',
    });
  });

  it('names the wish in English too', async () => {
    const user = side().counsellor.user;
    await ctx.db.updateTable('users').set({ locale: 'en' }).where('id', '=', user.id).execute();
    try {
      const res = await putWishesApi(world.round.id, side().pupils[0]!.id, { placements: [ids.a, ''] });
      expect(expectApiError(res, 422, 'validation_failed')).toEqual({ 'placements.1': 'Fill in wish 2.' });
    } finally {
      await ctx.db.updateTable('users').set({ locale: 'sv' }).where('id', '=', user.id).execute();
    }
  });

  it('refuses a list far too long in plain words', async () => {
    const res = await putWishesApi(world.round.id, side().pupils[0]!.id, { placements: Array.from({ length: 21 }, (_, i) => `p${i}`) });
    expect(expectApiError(res, 422, 'validation_failed')).toEqual({ placements: 'Det går inte att skicka så många önskemål: högst 10.' });
  });

  it('names a pupil id that is too long in words', async () => {
    const res = await putWishesApi(world.round.id, 'x'.repeat(65), { placements: [] });
    expect(expectApiError(res, 422, 'validation_failed')).toEqual({ pupilId: 'Elevens id får ha högst 64 tecken.' });
  });
});

describe("the labels of a round's path parameters", () => {
  it('names an allocation id that is too long in words', async () => {
    const res = await apiGet(ctx, `/rounds/${world.round.id}/allocations/${'x'.repeat(65)}`, token());
    expect(expectApiError(res, 422, 'validation_failed')).toEqual({ allocationId: 'Fördelningens id får ha högst 64 tecken.' });
  });
});

describe('the OpenAPI document', () => {
  it('documents the round and wish endpoints with their bodies', async () => {
    const doc = (await apiGet(ctx, '/openapi.json')).body;
    expect(doc.paths['/rounds'].post.requestBody.content['application/json'].schema.properties).toHaveProperty('schools');
    expect(doc.paths['/rounds/{id}'].get).toBeDefined();
    expect(doc.paths['/rounds/{id}/pupils/{pupilId}/wishes'].put.requestBody.content['application/json'].schema.properties).toHaveProperty('placements');
  });
});

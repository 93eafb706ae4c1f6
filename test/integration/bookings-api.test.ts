import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, TEST_NOW, type TestContext } from '../support/app.ts';
import { purgeIdempotencyKeys } from '../../src/api/idempotency.ts';
import { apiGet, apiUser, expectApiError } from '../support/api.ts';
import { apiBook, apiCancel, book, makeBookingWorld, slotTruth, worldSlot, type BookingWorld } from '../support/bookings.ts';
import { makePupil } from '../support/pupils.ts';
import { makeNetwork } from '../support/factories.ts';

let ctx: TestContext;
let world: BookingWorld;
beforeAll(async () => {
  ctx = await createTestContext();
  world = await makeBookingWorld(ctx, { schools: 2, pupils: 6 });
});
afterAll(() => ctx.close());

const side = () => world.schools[0]!;
const other = () => world.schools[1]!;

describe('POST /api/v1/bookings', () => {
  it('books a pupil into a published slot and answers 201 confirmed', async () => {
    const slot = await worldSlot(ctx, world, '2027-04-07T08:00', '2027-04-07T12:00');
    const res = await apiBook(ctx, side(), { slotId: slot.id, pupilId: side().pupils[0]!.id });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ slotId: slot.id, pupilId: side().pupils[0]!.id, status: 'confirmed' });
    expect(await slotTruth(ctx, slot.id)).toMatchObject({ bookedCount: 1, confirmed: 1 });
  });

  it('refuses a full slot with 409 slot_full, and waitlists when asked', async () => {
    const slot = await worldSlot(ctx, world, '2027-04-08T08:00', '2027-04-08T12:00', { capacity: 1 });
    const [a, b, c] = side().pupils;
    expect((await apiBook(ctx, side(), { slotId: slot.id, pupilId: a!.id })).status).toBe(201);
    expectApiError(await apiBook(ctx, side(), { slotId: slot.id, pupilId: b!.id }), 409, 'slot_full');
    const waiting = await apiBook(ctx, side(), { slotId: slot.id, pupilId: c!.id, waitlist: true });
    expect(waiting.status).toBe(201);
    expect(waiting.body.status).toBe('waitlisted');
    expect(await slotTruth(ctx, slot.id)).toMatchObject({ bookedCount: 1, confirmed: 1, waitlisted: 1 });
  });

  it('refuses a pupil already booked in an overlapping slot with 409 pupil_overlap naming the clash', async () => {
    const first = await worldSlot(ctx, world, '2027-04-09T08:00', '2027-04-09T12:00', {}, 0);
    const second = await worldSlot(ctx, world, '2027-04-09T11:00', '2027-04-09T14:00', {}, 1);
    const pupil = side().pupils[3]!;
    expect((await apiBook(ctx, side(), { slotId: first.id, pupilId: pupil.id })).status).toBe(201);
    const res = await apiBook(ctx, side(), { slotId: second.id, pupilId: pupil.id });
    expectApiError(res, 409, 'pupil_overlap');
    expect(res.body.error.message).toContain(`${pupil.givenName} ${pupil.familyName}`);
    expect(res.body.error.message).toContain('08.00–12.00');
  });

  it('lets a pupil book a slot that starts when another ends', async () => {
    const first = await worldSlot(ctx, world, '2027-04-12T08:00', '2027-04-12T12:00', {}, 0);
    const second = await worldSlot(ctx, world, '2027-04-12T12:00', '2027-04-12T15:00', {}, 1);
    const pupil = side().pupils[4]!;
    expect((await apiBook(ctx, side(), { slotId: first.id, pupilId: pupil.id })).status).toBe(201);
    expect((await apiBook(ctx, side(), { slotId: second.id, pupilId: pupil.id })).status).toBe(201);
  });

  it('refuses the same pupil twice in a slot with 409 already_booked', async () => {
    const slot = await worldSlot(ctx, world, '2027-04-13T08:00', '2027-04-13T12:00');
    const pupil = side().pupils[0]!;
    expect((await apiBook(ctx, side(), { slotId: slot.id, pupilId: pupil.id })).status).toBe(201);
    expectApiError(await apiBook(ctx, side(), { slotId: slot.id, pupilId: pupil.id }), 409, 'already_booked');
  });

  it('refuses a grade the slot does not take with 409 not_eligible', async () => {
    const slot = await worldSlot(ctx, world, '2027-04-14T08:00', '2027-04-14T12:00', { grades: ['9'] });
    const res = await apiBook(ctx, side(), { slotId: slot.id, pupilId: side().pupils[0]!.id });
    expectApiError(res, 409, 'not_eligible');
    expect(res.body.error.message).toContain('Åk 9');
  });

  it('refuses a draft, a cancelled and a started slot with 409 slot_not_open', async () => {
    const draft = await worldSlot(ctx, world, '2027-04-15T08:00', '2027-04-15T12:00', { status: 'draft' });
    // A draft is not visible at all to schools.
    expectApiError(await apiBook(ctx, side(), { slotId: draft.id, pupilId: side().pupils[0]!.id }), 404, 'not_found');
    const cancelled = await worldSlot(ctx, world, '2027-04-16T08:00', '2027-04-16T12:00');
    await ctx.db.updateTable('slots').set({ status: 'cancelled', cancelled_at: '2027-03-16T08:00:00.000Z' }).where('id', '=', cancelled.id).execute();
    expectApiError(await apiBook(ctx, side(), { slotId: cancelled.id, pupilId: side().pupils[0]!.id }), 409, 'slot_not_open');
    const started = await worldSlot(ctx, world, '2027-04-19T08:00', '2027-04-19T12:00');
    await ctx.db.updateTable('slots').set({ starts_at: '2027-03-16T07:00:00.000Z', ends_at: '2027-03-16T11:00:00.000Z' }).where('id', '=', started.id).execute();
    expectApiError(await apiBook(ctx, side(), { slotId: started.id, pupilId: side().pupils[0]!.id }), 409, 'slot_not_open');
  });

  it('refuses a slot outside its booking window with 409 slot_not_open', async () => {
    const slot = await worldSlot(ctx, world, '2027-04-20T08:00', '2027-04-20T12:00');
    await ctx.db.updateTable('slots').set({ booking_opens_at: '2027-03-20T08:00:00.000Z' }).where('id', '=', slot.id).execute();
    const res = await apiBook(ctx, side(), { slotId: slot.id, pupilId: side().pupils[0]!.id });
    expectApiError(res, 409, 'slot_not_open');
    expect(res.body.error.message).toContain('öppnar');
    await ctx.db.updateTable('slots').set({ booking_opens_at: null, booking_closes_at: '2027-03-14T23:00:00.000Z' }).where('id', '=', slot.id).execute();
    const closed = await apiBook(ctx, side(), { slotId: slot.id, pupilId: side().pupils[0]!.id });
    expectApiError(closed, 409, 'slot_not_open');
    expect(closed.body.error.message).toBe('Det går inte att boka passet just nu: sista dag att boka var sön 14 mars 2027.');
  });

  it("refuses another school's pupil with 403", async () => {
    const slot = await worldSlot(ctx, world, '2027-04-21T08:00', '2027-04-21T12:00');
    expectApiError(await apiBook(ctx, side(), { slotId: slot.id, pupilId: other().pupils[0]!.id }), 403, 'forbidden');
    expect(await slotTruth(ctx, slot.id)).toMatchObject({ bookedCount: 0, confirmed: 0 });
  });

  it('refuses every role but counsellors', async () => {
    const slot = await worldSlot(ctx, world, '2027-04-22T08:00', '2027-04-22T12:00');
    const company = await apiUser(ctx, 'company_coordinator', world.company.id);
    const res = await supertest(ctx.app).post('/api/v1/bookings').set('Authorization', `Bearer ${company.token}`).send({ slotId: slot.id, pupilId: side().pupils[0]!.id });
    expectApiError(res, 403, 'forbidden');
  });

  it('names a missing or wrongly typed field in Swedish with 422', async () => {
    const res = await apiBook(ctx, side(), { slotId: 42 });
    const fields = expectApiError(res, 422, 'validation_failed');
    expect(Object.keys(fields).sort()).toEqual(['pupilId', 'slotId']);
  });
});

describe('Idempotency-Key', () => {
  it('replays the first answer for the same key and body', async () => {
    const slot = await worldSlot(ctx, world, '2027-04-23T08:00', '2027-04-23T12:00');
    const body = { slotId: slot.id, pupilId: side().pupils[1]!.id };
    const first = await apiBook(ctx, side(), body, 'key-replay-1');
    const again = await apiBook(ctx, side(), body, 'key-replay-1');
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(await slotTruth(ctx, slot.id)).toMatchObject({ confirmed: 1 });
  });

  it('replays a refusal as the same refusal', async () => {
    const slot = await worldSlot(ctx, world, '2027-04-26T08:00', '2027-04-26T12:00', { grades: ['9'] });
    const body = { slotId: slot.id, pupilId: side().pupils[1]!.id };
    const first = await apiBook(ctx, side(), body, 'key-refusal-1');
    expectApiError(first, 409, 'not_eligible');
    const again = await apiBook(ctx, side(), body, 'key-refusal-1');
    expect({ status: again.status, body: again.body }).toEqual({ status: first.status, body: first.body });
  });

  it('answers 422 for the same key with another body', async () => {
    const slot = await worldSlot(ctx, world, '2027-04-27T08:00', '2027-04-27T12:00');
    expect((await apiBook(ctx, side(), { slotId: slot.id, pupilId: side().pupils[2]!.id }, 'key-mismatch-1')).status).toBe(201);
    expectApiError(await apiBook(ctx, side(), { slotId: slot.id, pupilId: side().pupils[3]!.id }, 'key-mismatch-1'), 422, 'idempotency_mismatch');
    expect(await slotTruth(ctx, slot.id)).toMatchObject({ confirmed: 1 });
  });

  it('never makes two bookings from two requests with one key at the same moment', async () => {
    const slot = await worldSlot(ctx, world, '2027-04-28T08:00', '2027-04-28T12:00');
    const body = { slotId: slot.id, pupilId: side().pupils[4]!.id };
    const answers = await Promise.all(Array.from({ length: 8 }, () => apiBook(ctx, side(), body, 'key-same-moment')));
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(201));
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect(await slotTruth(ctx, slot.id)).toMatchObject({ confirmed: 1, bookedCount: 1 });
  });

  it('forgets a key after 24 hours', async () => {
    const slot = await worldSlot(ctx, world, '2027-05-12T08:00', '2027-05-12T12:00');
    expect((await apiBook(ctx, side(), { slotId: slot.id, pupilId: side().pupils[0]!.id }, 'key-expiring')).status).toBe(201);
    ctx.clock.advance({ hours: 25 });
    try {
      const again = await apiBook(ctx, side(), { slotId: slot.id, pupilId: side().pupils[1]!.id }, 'key-expiring');
      expect(again.status).toBe(201);
      await purgeIdempotencyKeys(ctx.db, ctx.clock.now().plus({ hours: 25 }));
      expect(await ctx.db.selectFrom('idempotency_keys').select('key').where('key', '=', 'key-expiring').execute()).toEqual([]);
    } finally {
      ctx.clock.set(TEST_NOW);
    }
  });

  it('keeps keys apart per user', async () => {
    const slot = await worldSlot(ctx, world, '2027-04-29T08:00', '2027-04-29T12:00');
    expect((await apiBook(ctx, side(), { slotId: slot.id, pupilId: side().pupils[0]!.id }, 'shared-key')).status).toBe(201);
    expect((await apiBook(ctx, other(), { slotId: slot.id, pupilId: other().pupils[0]!.id }, 'shared-key')).status).toBe(201);
  });

  it('refuses a key that is not visible ASCII with 422 naming the header', async () => {
    const slot = await worldSlot(ctx, world, '2027-04-30T08:00', '2027-04-30T12:00');
    const fields = expectApiError(await apiBook(ctx, side(), { slotId: slot.id, pupilId: side().pupils[0]!.id }, 'x'.repeat(256)), 422, 'validation_failed');
    expect(Object.keys(fields)).toEqual(['Idempotency-Key']);
  });
});

describe('DELETE /api/v1/bookings/{id}', () => {
  it('cancels and promotes the first waitlisted pupil into the freed seat', async () => {
    const slot = await worldSlot(ctx, world, '2027-05-03T08:00', '2027-05-03T12:00', { capacity: 1 });
    const [a, b, c] = side().pupils;
    const booked = await apiBook(ctx, side(), { slotId: slot.id, pupilId: a!.id });
    const w1 = await apiBook(ctx, side(), { slotId: slot.id, pupilId: b!.id, waitlist: true });
    await apiBook(ctx, side(), { slotId: slot.id, pupilId: c!.id, waitlist: true });
    const res = await apiCancel(ctx, side(), booked.body.id, { reason: 'Sjuk' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: booked.body.id, status: 'cancelled', cancelReason: 'Sjuk', cancelledBy: 'school', lateCancellation: false });
    expect(res.body.promoted).toHaveLength(1);
    expect(res.body.promoted[0]).toMatchObject({ id: w1.body.id, pupilId: b!.id, status: 'confirmed' });
    expect(await slotTruth(ctx, slot.id)).toMatchObject({ bookedCount: 1, confirmed: 1, waitlisted: 1, cancelled: 1 });
  });

  it('skips a waitlisted pupil who got a clashing booking meanwhile', async () => {
    const slot = await worldSlot(ctx, world, '2027-05-04T08:00', '2027-05-04T12:00', { capacity: 1 }, 0);
    const elsewhere = await worldSlot(ctx, world, '2027-05-04T09:00', '2027-05-04T10:00', {}, 1);
    const [a, b, c] = side().pupils;
    const booked = await apiBook(ctx, side(), { slotId: slot.id, pupilId: a!.id });
    await apiBook(ctx, side(), { slotId: slot.id, pupilId: b!.id, waitlist: true });
    await apiBook(ctx, side(), { slotId: slot.id, pupilId: c!.id, waitlist: true });
    expect((await apiBook(ctx, side(), { slotId: elsewhere.id, pupilId: b!.id })).status).toBe(201);
    const res = await apiCancel(ctx, side(), booked.body.id);
    expect(res.body.promoted.map((p: { pupilId: string }) => p.pupilId)).toEqual([c!.id]);
  });

  it('marks a cancellation within the deadline as late', async () => {
    const slot = await worldSlot(ctx, world, '2027-03-18T08:00', '2027-03-18T12:00');
    const booked = await apiBook(ctx, side(), { slotId: slot.id, pupilId: side().pupils[5]!.id });
    const res = await apiCancel(ctx, side(), booked.body.id);
    expect(res.body.lateCancellation).toBe(true);
  });

  it('changes nothing when cancelling again', async () => {
    const slot = await worldSlot(ctx, world, '2027-05-05T08:00', '2027-05-05T12:00');
    const booked = await apiBook(ctx, side(), { slotId: slot.id, pupilId: side().pupils[0]!.id });
    const first = await apiCancel(ctx, side(), booked.body.id, { reason: 'Först' });
    const again = await apiCancel(ctx, side(), booked.body.id, { reason: 'Sen' });
    expect(again.status).toBe(200);
    expect(again.body.cancelReason).toBe('Först');
    expect(again.body.cancelledAt).toBe(first.body.cancelledAt);
  });

  it("answers 404 for another school's booking, as for an unknown one, and changes nothing", async () => {
    const slot = await worldSlot(ctx, world, '2027-05-06T08:00', '2027-05-06T12:00');
    const booked = await apiBook(ctx, side(), { slotId: slot.id, pupilId: side().pupils[0]!.id });
    expectApiError(await apiCancel(ctx, other(), booked.body.id), 404, 'not_found');
    expectApiError(await apiCancel(ctx, side(), 'no-such-booking'), 404, 'not_found');
    expect(await slotTruth(ctx, slot.id)).toMatchObject({ confirmed: 1 });
  });
});

describe('GET /api/v1/bookings', () => {
  it("lists every booking of a slot with id, slotId, pupilId and status, the school's own for a counsellor", async () => {
    const slot = await worldSlot(ctx, world, '2027-05-07T08:00', '2027-05-07T12:00', { capacity: 2 });
    await book(ctx, side(), slot.id, side().pupils.slice(0, 3), true);
    await book(ctx, other(), slot.id, other().pupils.slice(0, 1), true);
    const mine = await apiGet(ctx, `/bookings?slotId=${slot.id}`, side().counsellor.token);
    expect(mine.status).toBe(200);
    expect(mine.body.bookings.map((b: { status: string }) => b.status).sort()).toEqual(['confirmed', 'confirmed', 'waitlisted']);
    const company = await apiUser(ctx, 'company_coordinator', world.company.id);
    const all = await apiGet(ctx, `/bookings?slotId=${slot.id}`, company.token);
    expect(all.body.bookings).toHaveLength(4);
    expect(all.body.bookings).toContainEqual(expect.objectContaining({ id: expect.any(String), slotId: slot.id, pupilId: side().pupils[0]!.id, status: 'confirmed' }));
  });

  it('lists a pupil\'s bookings including cancelled ones', async () => {
    const pupil = await makePupil(ctx.db, side().school.id);
    const slot = await worldSlot(ctx, world, '2027-05-10T08:00', '2027-05-10T12:00');
    const booked = await apiBook(ctx, side(), { slotId: slot.id, pupilId: pupil.id });
    await apiCancel(ctx, side(), booked.body.id);
    const res = await apiGet(ctx, `/bookings?pupilId=${pupil.id}`, side().counsellor.token);
    expect(res.body.bookings.map((b: { status: string }) => b.status)).toEqual(['cancelled']);
  });

  it("refuses another school's pupil and a company asking by pupil", async () => {
    expectApiError(await apiGet(ctx, `/bookings?pupilId=${other().pupils[0]!.id}`, side().counsellor.token), 403, 'forbidden');
    const company = await apiUser(ctx, 'company_coordinator', world.company.id);
    expectApiError(await apiGet(ctx, `/bookings?pupilId=${side().pupils[0]!.id}`, company.token), 403, 'forbidden');
  });

  it('shows a protected pupil to the company only by class, school and code', async () => {
    const pupil = await makePupil(ctx.db, side().school.id, { givenName: 'Hemlig', familyName: 'Person', protectedIdentity: true });
    const slot = await worldSlot(ctx, world, '2027-05-11T08:00', '2027-05-11T12:00');
    await book(ctx, side(), slot.id, [pupil]);
    const company = await apiUser(ctx, 'company_coordinator', world.company.id);
    const res = await apiGet(ctx, `/bookings?slotId=${slot.id}`, company.token);
    const shown = JSON.stringify(res.body);
    expect(shown).not.toContain('Hemlig');
    expect(res.body.bookings[0].pupil.name).toBe(`Elev, 8B, ${side().school.name} (kod ${pupil.code})`);
    const school = await apiGet(ctx, `/bookings?slotId=${slot.id}`, side().counsellor.token);
    expect(school.body.bookings[0].pupil.name).toBe('Hemlig Person');
  });

  it("never names pupils to a network coordinator, and shows only the network's own schools", async () => {
    const slot = await worldSlot(ctx, world, '2027-05-13T08:00', '2027-05-13T12:00');
    const pupil = side().pupils[2]!;
    await book(ctx, side(), slot.id, [pupil]);
    const coordinator = await apiUser(ctx, 'network_coordinator', world.networkId);
    const res = await apiGet(ctx, `/bookings?slotId=${slot.id}`, coordinator.token);
    expect(res.body.bookings.map((b: { pupil: { name: string } }) => b.pupil.name)).toEqual([`Elev, 8B, ${side().school.name} (kod ${pupil.code})`]);
    // The company also works with another network; that network's coordinator sees none of this school's bookings.
    const elsewhere = await makeNetwork(ctx.db);
    await ctx.db.insertInto('network_memberships').values({ id: `m-${elsewhere.id}`, network_id: elsewhere.id, organisation_kind: 'company', company_id: world.company.id, school_id: null, status: 'approved', message: null, requested_by: null, decided_by: null, created_at: TEST_NOW, decided_at: TEST_NOW }).execute();
    const outsider = await apiUser(ctx, 'network_coordinator', elsewhere.id);
    const theirs = await apiGet(ctx, `/bookings?slotId=${slot.id}`, outsider.token);
    expect({ status: theirs.status, bookings: theirs.body.bookings }).toEqual({ status: 200, bookings: [] });
  });

  it('asks for exactly one of slotId and pupilId', async () => {
    expectApiError(await apiGet(ctx, '/bookings', side().counsellor.token), 422, 'validation_failed');
  });
});

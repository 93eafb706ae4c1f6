import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roundHolds } from '../../src/scheduler/round-holds.ts';
import { createTestContext, TEST_NOW, type TestContext } from '../support/app.ts';
import { expectApiError } from '../support/api.ts';
import { AppError } from '../../src/http/errors.ts';
import { apiBook, apiCancel, book, worldSlot } from '../support/bookings.ts';
import type { Pupil } from '../../src/pupils/pupils.service.ts';
import { makePupil } from '../support/pupils.ts';
import { makeSeries } from '../support/slots.ts';
import { agentOf, makeRoundWorld, markCommitted, type RoundOptions, type RoundWorld } from '../support/rounds.ts';
import { outsideSchool } from '../support/allocation.ts';

/** A round holds its slots for the pupils' wishes until free booking opens: no booking by hand meanwhile. */
describe("a round's hold on its slots", () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(() => ctx.close());

  async function worldWithSlot(round: RoundOptions = {}) {
    const world = await makeRoundWorld(ctx, { pupils: 2, round });
    const slot = await worldSlot(ctx, world, '2027-04-06T08:00', '2027-04-06T12:00');
    return { world, slotId: slot.id };
  }
  const bookAs = (world: RoundWorld, slotId: string, side = world.schools[0]!) => apiBook(ctx, side, { slotId, pupilId: side.pupils[0]!.id });

  it("refuses a participating school's booking while wishes are open, naming the round", async () => {
    const { world, slotId } = await worldWithSlot();
    const res = await bookAs(world, slotId);
    expectApiError(res, 409, 'slot_not_open');
    expect(res.body.error.message).toContain('Platserna i Prao vt 2027 fördelas efter elevernas önskemål');
    expect(res.body.error.message).toContain('när fördelningen är klar');
  });

  it('refuses it after the wish window too, until the allocation is committed', async () => {
    const { world, slotId } = await worldWithSlot({ wishesCloseAt: '2027-03-15T23:00:00.000Z' });
    expectApiError(await bookAs(world, slotId), 409, 'slot_not_open');
  });

  it('names the day free booking opens when the round has one', async () => {
    const { world, slotId } = await worldWithSlot({ freeBookingOpensAt: '2027-03-20T08:00:00.000Z' });
    const res = await bookAs(world, slotId);
    expect(res.body.error.message).toContain('Bokning för hand öppnar');
    expect(res.body.error.message).toContain('20 mars');
  });

  it('still holds a committed round until free booking opens', async () => {
    const { world, slotId } = await worldWithSlot({ freeBookingOpensAt: '2027-03-20T08:00:00.000Z' });
    await markCommitted(ctx, world.round.id);
    expectApiError(await bookAs(world, slotId), 409, 'slot_not_open');
  });

  it('lets the school book once free booking has opened', async () => {
    const { world, slotId } = await worldWithSlot({ freeBookingOpensAt: '2027-03-16T07:00:00.000Z' });
    await markCommitted(ctx, world.round.id);
    expect((await bookAs(world, slotId)).status).toBe(201);
  });

  it('lets the school book before the wish window opens', async () => {
    const { world, slotId } = await worldWithSlot({ wishesOpenAt: '2027-03-20T08:00:00.000Z', wishesCloseAt: '2027-03-31T08:00:00.000Z' });
    expect((await bookAs(world, slotId)).status).toBe(201);
  });

  it('does not hold schools that are not in the round', async () => {
    const { world, slotId } = await worldWithSlot();
    const other = await outsideSchool(ctx, world, 1);
    expect((await bookAs(world, slotId, other)).status).toBe(201);
  });

  it("does not hold slots outside the school's dates in the round", async () => {
    const world = await makeRoundWorld(ctx, { pupils: 1 });
    const later = await worldSlot(ctx, world, '2027-04-13T08:00', '2027-04-13T12:00');
    expect((await bookAs(world, later.id)).status).toBe(201);
  });

  it("tells the counsellor on the booking form, before they try, that the round holds the slot", async () => {
    const { world, slotId } = await worldWithSlot();
    const counsellor = await agentOf(ctx, world.schools[0]!.counsellor.user);
    const page = await counsellor.get(`/school/slots/${slotId}/book`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Platserna i Prao vt 2027 fördelas efter elevernas önskemål');
  });

  it('says until when a slot is held, for the pages that explain it', async () => {
    const { world, slotId } = await worldWithSlot({ freeBookingOpensAt: '2027-03-20T08:00:00.000Z' });
    const slot = await ctx.db.selectFrom('slots').select(['id', 'company_id', 'starts_at', 'ends_at']).where('id', '=', slotId).executeTakeFirstOrThrow();
    expect(await roundHolds(ctx.db, slot, world.schools[0]!.school.id, ctx.clock.now())).toEqual([{ roundId: world.round.id, roundName: 'Prao vt 2027', until: '2027-03-20T08:00:00.000Z', grades: ['8', '9'] }]);
  });

  // ---- the round's grades: it holds only what it may place ----

  it("does not hold a slot for a pupil in a grade the round leaves out", async () => {
    const { world, slotId } = await worldWithSlot({ grades: ['8'] });
    const ninth = await makePupil(ctx.db, world.schools[0]!.school.id, { className: '9A' });
    expect((await apiBook(ctx, world.schools[0]!, { slotId, pupilId: ninth.id })).status).toBe(201);
  });

  it('does not hold a slot that no grade of the round may take', async () => {
    const world = await makeRoundWorld(ctx, { pupils: 0, round: { grades: ['8'] } });
    const slot = await worldSlot(ctx, world, '2027-04-06T08:00', '2027-04-06T12:00', { grades: ['7'] });
    const seventh = await makePupil(ctx.db, world.schools[0]!.school.id, { className: '7A' });
    expect((await apiBook(ctx, world.schools[0]!, { slotId: slot.id, pupilId: seventh.id })).status).toBe(201);
  });

  it('does not hold a slot of a series for a grade that another slot of the series does not take', async () => {
    const world = await makeRoundWorld(ctx, { pupils: 1 });
    const series = await makeSeries(ctx, world.coordinator, [world.storyId], ['2027-04-06', '2027-04-07']);
    const [first, second] = series.slotIds;
    await ctx.db.deleteFrom('slot_grades').where('slot_id', '=', second!).where('grade', '=', '8').execute();
    expect((await bookAs(world, first!)).status).toBe(201);
  });

  it('keeps the booking form open for a grade the round leaves out, and tells which pupils are held', async () => {
    const { world, slotId } = await worldWithSlot({ grades: ['8'] });
    const side = world.schools[0]!;
    const ninth = await makePupil(ctx.db, side.school.id, { className: '9A', givenName: 'Nia' });
    const page = await (await agentOf(ctx, side.counsellor.user)).get(`/school/slots/${slotId}/book`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`value="${ninth.id}"`);
    const hintOf = (pupilId: string) => {
      const at = page.text.indexOf(`value="${pupilId}"`);
      return page.text.slice(at, page.text.indexOf('</li>', at));
    };
    expect(hintOf(side.pupils[0]!.id)).toContain('Platserna i Prao vt 2027 fördelas efter elevernas önskemål');
    expect(hintOf(ninth.id)).not.toContain('Prao vt 2027');
  });

  it('does not hold the rest of a series once one of its slots has begun (the round no longer places it)', async () => {
    const world = await makeRoundWorld(ctx, { pupils: 1 });
    const series = await makeSeries(ctx, world.coordinator, [world.storyId], ['2027-04-06', '2027-04-07']);
    const second = series.slotIds[1];
    expectApiError(await bookAs(world, second!), 409, 'slot_not_open');
    // The morning of the first slot, which has begun; the round still holds (wishes open, no commit).
    ctx.clock.set('2027-04-06T08:00:00.000Z');
    try {
      expect((await bookAs(world, second!)).status).toBe(201);
    } finally {
      ctx.clock.set(TEST_NOW);
    }
  });

  it('refuses a group with held pupils in it, naming each held pupil', async () => {
    const { world, slotId } = await worldWithSlot({ grades: ['8'] });
    const side = world.schools[0]!;
    const [eighth, ninth] = [side.pupils[0]!, await makePupil(ctx.db, side.school.id, { className: '9A' })];
    const error = await book(ctx, side, slotId, [eighth, ninth]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    const { code, options } = error as AppError;
    expect(code).toBe('slot_not_open');
    expect(String(options.params?.why)).toContain('Platserna i Prao vt 2027 fördelas efter elevernas önskemål');
    expect(String(options.params?.why)).toContain(`Det gäller ${eighth.givenName} ${eighth.familyName}.`);
    expect(Object.keys(options.fields ?? {})).toEqual([eighth.id]);
  });

  // ---- the waitlist: a freed seat does not go round the round ----

  /** A one-seat slot, booked and waitlisted before the round's wishes open, then the window opens. */
  async function waitlistBeforeWindow(round: RoundOptions, queue: (world: RoundWorld) => Promise<Pupil[]>) {
    const world = await makeRoundWorld(ctx, { pupils: 2, round: { wishesOpenAt: '2027-03-20T08:00:00.000Z', ...round } });
    const side = world.schools[0]!;
    const slot = await worldSlot(ctx, world, '2027-04-06T08:00', '2027-04-06T12:00', { capacity: 1 });
    const [seated] = await book(ctx, side, slot.id, [side.pupils[0]!]);
    const waiting = await queue(world);
    for (const pupil of waiting) await book(ctx, side, slot.id, [pupil], true);
    await ctx.db.updateTable('rounds').set({ wishes_open_at: '2027-03-01T08:00:00.000Z' }).where('id', '=', world.round.id).execute();
    return { world, side, slotId: slot.id, seated: seated!, waiting };
  }
  const queueOf = (slotId: string) =>
    ctx.db.selectFrom('bookings').select(['pupil_id', 'status', 'waitlist_position']).where('slot_id', '=', slotId).where('status', '!=', 'cancelled').orderBy('pupil_id').execute();

  it('keeps a held pupil on the waitlist, in place, when a seat frees up while wishes are open', async () => {
    const { side, slotId, seated, waiting } = await waitlistBeforeWindow({}, async (world) => [world.schools[0]!.pupils[1]!]);
    const before = await queueOf(slotId);
    const res = await apiCancel(ctx, side, seated.id, { reason: 'Sjuk' });
    expect(res.status).toBe(200);
    expect(await queueOf(slotId)).toEqual(before.filter((b) => b.pupil_id === waiting[0]!.id));
  });

  it('gives the freed seat to the first waiting pupil the round does not hold', async () => {
    const { side, slotId, seated, waiting } = await waitlistBeforeWindow({ grades: ['8'] }, async (world) => [
      world.schools[0]!.pupils[1]!,
      await makePupil(ctx.db, world.schools[0]!.school.id, { className: '9A' }),
    ]);
    await apiCancel(ctx, side, seated.id);
    const queue = await queueOf(slotId);
    expect(queue.find((b) => b.pupil_id === waiting[1]!.id)).toMatchObject({ status: 'confirmed', waitlist_position: null });
    expect(queue.find((b) => b.pupil_id === waiting[0]!.id)).toMatchObject({ status: 'waitlisted', waitlist_position: 1 });
  });

  // ---- the free-booking date is kept, committed or not ----

  it('lets the school book once free booking has opened, though the allocation is not committed', async () => {
    const { world, slotId } = await worldWithSlot({ wishesCloseAt: '2027-03-15T23:00:00.000Z', freeBookingOpensAt: '2027-03-16T07:00:00.000Z' });
    expect((await bookAs(world, slotId)).status).toBe(201);
  });

  it('names the free-booking day, not the commit, while an uncommitted round with a date holds', async () => {
    const { world, slotId } = await worldWithSlot({ wishesCloseAt: '2027-03-15T23:00:00.000Z', freeBookingOpensAt: '2027-03-20T08:00:00.000Z' });
    const res = await bookAs(world, slotId);
    expect(res.body.error.message).toContain('20 mars');
    expect(res.body.error.message).not.toContain('när fördelningen är klar');
  });

  it('lets the school book as soon as a round without a free-booking day is committed', async () => {
    const { world, slotId } = await worldWithSlot({ wishesCloseAt: '2027-03-15T23:00:00.000Z' });
    await markCommitted(ctx, world.round.id);
    expect((await bookAs(world, slotId)).status).toBe(201);
  });

  const roundPage = async (world: RoundWorld) => (await agentOf(ctx, world.networkCoordinator.user)).get(`/network/rounds/${world.round.id}`);

  it('warns the coordinator on the round page when free booking opened without a committed allocation', async () => {
    const world = await makeRoundWorld(ctx, { pupils: 0, round: { wishesCloseAt: '2027-03-15T23:00:00.000Z', freeBookingOpensAt: '2027-03-16T07:00:00.000Z' } });
    const page = await roundPage(world);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Fri bokning öppnade');
    expect(page.text).toContain('fast fördelningen inte är fastställd');
  });

  it('does not warn the coordinator once the allocation is committed', async () => {
    const world = await makeRoundWorld(ctx, { pupils: 0, round: { wishesCloseAt: '2027-03-15T23:00:00.000Z', freeBookingOpensAt: '2027-03-16T07:00:00.000Z' } });
    await markCommitted(ctx, world.round.id);
    expect((await roundPage(world)).text).not.toContain('fast fördelningen inte är fastställd');
  });

  it('does not warn the coordinator before the free-booking day', async () => {
    const world = await makeRoundWorld(ctx, { pupils: 0, round: { wishesCloseAt: '2027-03-15T23:00:00.000Z', freeBookingOpensAt: '2027-03-20T08:00:00.000Z' } });
    expect((await roundPage(world)).text).not.toContain('fast fördelningen inte är fastställd');
  });
});

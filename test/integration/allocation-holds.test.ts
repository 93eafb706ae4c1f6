import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roundHold } from '../../src/scheduler/round-holds.ts';
import { createTestContext, type TestContext } from '../support/app.ts';
import { expectApiError } from '../support/api.ts';
import { apiBook, worldSlot } from '../support/bookings.ts';
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
    expect(await roundHold(ctx.db, slot, world.schools[0]!.school.id, ctx.clock.now())).toEqual({ roundId: world.round.id, roundName: 'Prao vt 2027', until: '2027-03-20T08:00:00.000Z' });
  });
});

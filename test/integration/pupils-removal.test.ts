import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, signIn, type TestContext } from '../support/app.ts';
import { book, makeBookingWorld, slotTruth, worldSlot } from '../support/bookings.ts';
import { PASSWORD } from '../support/factories.ts';
import { fieldError, signedIn } from '../support/flows.ts';
import { makePupil, pupilsOf } from '../support/pupils.ts';
import { submit } from '../support/slots.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

const counsellor = () => signedIn(ctx, 'counsellor');
const classesLeft = async (schoolId: string) => [...new Set((await pupilsOf(ctx.db, schoolId)).map((p) => p.class_name))].sort();

describe('GET /school/pupils/remove', () => {
  it('lists the classes with how many pupils each has', async () => {
    const c = await counsellor();
    await makePupil(ctx.db, c.user.schoolId!, { className: '9A' });
    await makePupil(ctx.db, c.user.schoolId!, { className: '9A' });
    await makePupil(ctx.db, c.user.schoolId!, { className: '8B' });
    const res = await c.agent.get('/school/pupils/remove');
    expect(res.status).toBe(200);
    expect(res.text).toContain('9A (antal elever: 2)');
    expect(res.text).toContain('Alla elever på skolan (antal elever: 3)');
  });

  it('shows how many pupils and bookings the chosen classes have', async () => {
    const c = await counsellor();
    await makePupil(ctx.db, c.user.schoolId!, { className: '9A' });
    await makePupil(ctx.db, c.user.schoolId!, { className: '9B' });
    await makePupil(ctx.db, c.user.schoolId!, { className: '8B' });
    const res = await c.agent.get('/school/pupils/remove?classes=9A&classes=9B');
    expect(res.text).toContain('Antal elever: 2. Klasser: 9A, 9B.');
    expect(res.text).toContain('Ta bort eleverna (2)');
  });
});

describe('POST /school/pupils/remove', () => {
  it('removes the chosen classes and cancels nothing when there are no bookings', async () => {
    const c = await counsellor();
    await makePupil(ctx.db, c.user.schoolId!, { className: '9A' });
    await makePupil(ctx.db, c.user.schoolId!, { className: '8B' });
    const res = await submit(c.agent, '/school/pupils/remove', { classes: '9A', confirmRemoval: '1' });
    expect([res.status, res.headers.location]).toEqual([303, '/school/pupils?notice=removed&count=1&bookings=0']);
    expect(await classesLeft(c.user.schoolId!)).toEqual(['8B']);
  });

  it('removes every pupil of the school when all are chosen', async () => {
    const c = await counsellor();
    await makePupil(ctx.db, c.user.schoolId!, { className: '9A' });
    await makePupil(ctx.db, c.user.schoolId!, { className: '8B' });
    await submit(c.agent, '/school/pupils/remove', { all: '1', confirmRemoval: '1' });
    expect(await classesLeft(c.user.schoolId!)).toEqual([]);
  });

  it('asks for the confirmation and removes nothing without it (422)', async () => {
    const c = await counsellor();
    await makePupil(ctx.db, c.user.schoolId!, { className: '9A' });
    const res = await submit(c.agent, '/school/pupils/remove', { classes: '9A' });
    expect(res.status).toBe(422);
    expect(fieldError(res.text, 'confirmRemoval')).toBe('Kryssa i rutan för att bekräfta.');
    expect(await classesLeft(c.user.schoolId!)).toEqual(['9A']);
  });

  it('never removes another school’s class of the same name', async () => {
    const c = await counsellor();
    const other = await counsellor();
    await makePupil(ctx.db, other.user.schoolId!, { className: '9A' });
    await submit(c.agent, '/school/pupils/remove', { all: '1', confirmRemoval: '1' });
    expect(await classesLeft(other.user.schoolId!)).toEqual(['9A']);
  });

  it('cancels the pupils’ bookings that have not started, freeing their seats, before removing them', async () => {
    const world = await makeBookingWorld(ctx, { pupils: 2 });
    const side = world.schools[0]!;
    const slot = await worldSlot(ctx, world);
    await book(ctx, side, slot.id, side.pupils);
    expect((await slotTruth(ctx, slot.id)).bookedCount).toBe(2);
    const agent = await signIn(ctx.app, side.counsellor.user.email, PASSWORD);
    const page = await agent.get('/school/pupils/remove?classes=8B');
    expect(page.text).toContain('Bokningar som inte har börjat och som ställs in: 2.');
    const res = await submit(agent, '/school/pupils/remove', { classes: '8B', confirmRemoval: '1', reason: 'Terminen är slut' });
    expect(res.headers.location).toBe('/school/pupils?notice=removed&count=2&bookings=2');
    expect(await slotTruth(ctx, slot.id)).toMatchObject({ bookedCount: 0, confirmed: 0 });
    expect(await pupilsOf(ctx.db, side.school.id)).toEqual([]);
  });

  it('cancels the bookings of a single pupil who is deleted', async () => {
    const world = await makeBookingWorld(ctx, { pupils: 1 });
    const side = world.schools[0]!;
    const slot = await worldSlot(ctx, world);
    await book(ctx, side, slot.id, side.pupils);
    const agent = await signIn(ctx.app, side.counsellor.user.email, PASSWORD);
    const res = await submit(agent, `/school/pupils/${side.pupils[0]!.id}/delete`, { reason: 'Flyttat' });
    expect(res.headers.location).toBe('/school/pupils?notice=deleted&count=1&bookings=1');
    expect((await slotTruth(ctx, slot.id)).bookedCount).toBe(0);
  });
});

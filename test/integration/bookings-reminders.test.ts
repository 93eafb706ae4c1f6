import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actorOf } from '../../src/bookings/booking.service.ts';
import { sendReminders } from '../../src/bookings/reminders.ts';
import { cancelSlotWithBookings } from '../../src/bookings/slot-changes.ts';
import { makeUser } from '../support/factories.ts';
import { createTestContext, type TestContext } from '../support/app.ts';
import { apiCancel, book, makeBookingWorld, worldSlot, type BookingWorld } from '../support/bookings.ts';
import { outboxTo } from '../support/flows.ts';
import { slotRow } from '../support/slots.ts';
import type { Slot } from '../../src/slots/slots.service.ts';
import { fromDbInstant } from '../../src/time/stockholm.ts';

// Each test uses its own week, so one test's 48-hour window never reaches another's slots.
let ctx: TestContext;
let world: BookingWorld;
beforeAll(async () => {
  ctx = await createTestContext();
  world = await makeBookingWorld(ctx, { schools: 2, pupils: 4 });
});
afterAll(() => ctx.close());

const side = () => world.schools[0]!;
const other = () => world.schools[1]!;
const deps = () => ({ mailer: ctx.mailer, config: ctx.config });
/** The moment `hours` before the slot starts. */
const before = (slot: Slot, hours: number) => fromDbInstant(slot.startsAt).minus({ hours });
const reminders = async (address: string) => (await outboxTo(ctx, address)).filter((m) => m.subject.startsWith('Påminnelse'));

describe('sendReminders', () => {
  it('reminds a slot that starts in 47 hours: the counsellor who booked and the company coordinator', async () => {
    const slot = await worldSlot(ctx, world, '2027-04-06T08:00', '2027-04-06T12:00');
    await book(ctx, side(), slot.id, side().pupils.slice(0, 2));
    expect(await sendReminders(ctx.db, deps(), before(slot, 47))).toBe(1);
    const [toSchool] = await reminders(side().counsellor.user.email);
    expect(toSchool?.subject).toContain('tis 6 april 2027, 08.00–12.00');
    expect(toSchool?.body_text).toContain(`${side().pupils[0]!.givenName} ${side().pupils[0]!.familyName}`);
    expect(toSchool?.body_text).toContain(`${side().pupils[1]!.givenName} ${side().pupils[1]!.familyName}`);
    const [toCompany] = await reminders(world.coordinator.email);
    expect(toCompany?.body_text).toContain(side().school.name);
    expect((await slotRow(ctx, slot.id)).reminder_sent_at).toBe(before(slot, 47).toUTC().toISO());
  });

  it('does not remind a slot that starts in 49 hours yet', async () => {
    const slot = await worldSlot(ctx, world, '2027-04-13T08:00', '2027-04-13T12:00');
    await book(ctx, side(), slot.id, [side().pupils[0]!]);
    expect(await sendReminders(ctx.db, deps(), before(slot, 49))).toBe(0);
    expect((await slotRow(ctx, slot.id)).reminder_sent_at).toBeNull();
  });

  it('does not remind twice when run twice', async () => {
    const slot = await worldSlot(ctx, world, '2027-04-20T08:00', '2027-04-20T12:00');
    await book(ctx, side(), slot.id, [side().pupils[0]!]);
    const already = (await reminders(world.coordinator.email)).length;
    expect(await sendReminders(ctx.db, deps(), before(slot, 47))).toBe(1);
    expect(await sendReminders(ctx.db, deps(), before(slot, 46))).toBe(0);
    expect(await reminders(world.coordinator.email)).toHaveLength(already + 1);
  });

  it('reminds a slot once when two runs race (as two app instances would)', async () => {
    const slot = await worldSlot(ctx, world, '2027-04-27T08:00', '2027-04-27T12:00');
    await book(ctx, side(), slot.id, [side().pupils[0]!]);
    const runs = await Promise.all([sendReminders(ctx.db, deps(), before(slot, 40)), sendReminders(ctx.db, deps(), before(slot, 40))]);
    expect(runs[0] + runs[1]).toBe(1);
  });

  it('does not remind a cancelled slot', async () => {
    const slot = await worldSlot(ctx, world, '2027-05-04T08:00', '2027-05-04T12:00');
    await book(ctx, side(), slot.id, [side().pupils[0]!]);
    const coordinator = world.coordinator;
    await ctx.db.transaction().execute((trx) => cancelSlotWithBookings(trx, deps(), coordinator, actorOf(coordinator, 'ui', null), slot.id, 'Sjukdom', ctx.clock.now()));
    expect(await sendReminders(ctx.db, deps(), before(slot, 47))).toBe(0);
    expect((await slotRow(ctx, slot.id)).reminder_sent_at).toBeNull();
  });

  it('does not remind a slot whose bookings were all cancelled', async () => {
    const slot = await worldSlot(ctx, world, '2027-05-11T08:00', '2027-05-11T12:00');
    const [booking] = await book(ctx, side(), slot.id, [side().pupils[0]!]);
    expect((await apiCancel(ctx, side(), booking!.id, { reason: 'Sjuk' })).status).toBe(200);
    expect(await sendReminders(ctx.db, deps(), before(slot, 47))).toBe(0);
  });

  it('does not remind a slot that has started', async () => {
    const slot = await worldSlot(ctx, world, '2027-05-18T08:00', '2027-05-18T12:00');
    await book(ctx, side(), slot.id, [side().pupils[0]!]);
    expect(await sendReminders(ctx.db, deps(), fromDbInstant(slot.startsAt).plus({ minutes: 1 }))).toBe(0);
  });

  it('writes to each school about its own pupils only, and to the counsellor who booked rather than every one', async () => {
    const slot = await worldSlot(ctx, world, '2027-05-25T08:00', '2027-05-25T12:00');
    const bystander = await makeUser(ctx.db, ctx.config, 'counsellor', side().school.id);
    await book(ctx, side(), slot.id, [side().pupils[2]!]);
    await book(ctx, other(), slot.id, [other().pupils[0]!]);
    const mine = (await reminders(side().counsellor.user.email)).length;
    expect(await sendReminders(ctx.db, deps(), before(slot, 47))).toBe(1);
    const mail = (await reminders(side().counsellor.user.email)).at(-1)!;
    expect((await reminders(side().counsellor.user.email)).length).toBe(mine + 1);
    expect(mail.body_text).toContain(side().pupils[2]!.givenName);
    expect(mail.body_text).not.toContain(other().pupils[0]!.givenName);
    expect((await reminders(other().counsellor.user.email)).at(-1)!.body_text).toContain(other().pupils[0]!.givenName);
    expect(await reminders(bystander.email)).toHaveLength(0);
    // The company hears once per school.
    const toCompany = (await reminders(world.coordinator.email)).filter((m) => m.subject.includes('25 maj'));
    expect(toCompany).toHaveLength(2);
  });
});

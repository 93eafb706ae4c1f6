import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actorOf, cancelBooking } from '../../src/bookings/booking.service.ts';
import { cancelSlotWithBookings } from '../../src/bookings/slot-changes.ts';
import { newId } from '../../src/auth/secrets.ts';
import { createTestContext, TEST_NOW, type Agent, type TestContext } from '../support/app.ts';
import { book, makeBookingWorld, worldSlot, type BookingWorld, type SchoolSide } from '../support/bookings.ts';
import { signedIn } from '../support/flows.ts';
import { makePupil } from '../support/pupils.ts';

let ctx: TestContext;
/** Network A: a company and a school. Network B: its own company and school. */
let a: BookingWorld;
let b: BookingWorld;
let coordinatorA: Agent;
let coordinatorB: Agent;
beforeAll(async () => {
  ctx = await createTestContext();
  a = await makeBookingWorld(ctx, { schools: 1, pupils: 4 });
  b = await makeBookingWorld(ctx, { schools: 1, pupils: 4 });
  coordinatorA = (await signedIn(ctx, 'network_coordinator', a.networkId)).agent;
  coordinatorB = (await signedIn(ctx, 'network_coordinator', b.networkId)).agent;
});
afterAll(() => ctx.close());

const deps = () => ({ mailer: ctx.mailer, config: ctx.config });
const now = () => ctx.clock.now();

/** A counsellor cancels one of their school's bookings through the engine. */
function cancel(side: SchoolSide, bookingId: string, reason: string | null) {
  const user = side.counsellor.user;
  return ctx.db.transaction().execute((trx) => cancelBooking(trx, deps(), user, actorOf(user, 'ui', null), bookingId, reason, now()));
}

const lateRows = async (agent: Agent) => {
  const res = await agent.get('/network/late-cancellations');
  expect(res.status).toBe(200);
  return res.text;
};

describe('late cancellations for the network coordinator', () => {
  it("lists a school's late cancellation with the slot, company, school, class and hours before the start, naming no pupil", async () => {
    const side = a.schools[0]!;
    // 16 March 09.00 now; the slot starts 17 March 08.00 Stockholm: 23 hours later.
    const slot = await worldSlot(ctx, a, '2027-03-17T08:00', '2027-03-17T12:00');
    const [booking] = await book(ctx, side, slot.id, [side.pupils[0]!]);
    await cancel(side, booking!.id, 'Bussen går inte');
    const page = await lateRows(coordinatorA);
    const row = /<tr>\s*<td>ons 17 mars 2027[\s\S]*?<\/tr>/.exec(page)?.[0] ?? '';
    for (const text of [a.company.name, side.school.name, '1 (8B)', 'Skolan', 'Bussen går inte', 'tis 16 mars 2027, 09.00', '23 timmar']) expect(row).toContain(text);
    expect(page).not.toContain(side.pupils[0]!.givenName);
  });

  it('leaves out cancellations that were not late', async () => {
    const side = a.schools[0]!;
    const slot = await worldSlot(ctx, a, '2027-04-06T08:00', '2027-04-06T12:00');
    const [booking] = await book(ctx, side, slot.id, [side.pupils[1]!]);
    await cancel(side, booking!.id, 'I god tid');
    expect(await lateRows(coordinatorA)).not.toContain('I god tid');
  });

  it("groups a company's late cancellation of a slot into one line per school, with the classes", async () => {
    const side = a.schools[0]!;
    const slot = await worldSlot(ctx, a, '2027-03-18T08:00', '2027-03-18T12:00', {}, 1);
    const ninth = await makePupil(ctx.db, side.school.id, { className: '9A' });
    await book(ctx, side, slot.id, [side.pupils[2]!, ninth]);
    await ctx.db.transaction().execute((trx) => cancelSlotWithBookings(trx, deps(), a.coordinator, actorOf(a.coordinator, 'ui', null), slot.id, 'Maskinhaveri', now()));
    const page = await lateRows(coordinatorA);
    const row = /<tr>\s*<td>tors 18 mars 2027[\s\S]*?<\/tr>/.exec(page)?.[0] ?? '';
    for (const text of ['2 (8B, 9A)', 'Företaget', 'Maskinhaveri']) expect(row).toContain(text);
  });

  it("does not show one network's late cancellations to another network's coordinator", async () => {
    const side = b.schools[0]!;
    const slot = await worldSlot(ctx, b, '2027-03-17T13:00', '2027-03-17T15:00');
    const [booking] = await book(ctx, side, slot.id, [side.pupils[0]!]);
    await cancel(side, booking!.id, 'Nätverk B:s orsak');
    const pageB = await lateRows(coordinatorB);
    expect(pageB).toContain('Nätverk B:s orsak');
    expect(pageB).not.toContain('Bussen går inte');
    expect(pageB).not.toContain(a.company.name);
    expect(await lateRows(coordinatorA)).not.toContain('Nätverk B:s orsak');
  });

  it("lists a late cancellation to the network of the slot's company even when the school is elsewhere", async () => {
    // Network B's school books a slot of A's company, which is also approved in network B.
    await ctx.db
      .insertInto('network_memberships')
      .values({ id: newId(), network_id: b.networkId, organisation_kind: 'company', company_id: a.company.id, school_id: null, status: 'approved', message: null, requested_by: null, decided_by: null, created_at: TEST_NOW, decided_at: TEST_NOW })
      .execute();
    const side = b.schools[0]!;
    const slot = await worldSlot(ctx, a, '2027-03-17T13:00', '2027-03-17T15:00', {}, 2);
    const [booking] = await book(ctx, side, slot.id, [side.pupils[1]!]);
    await cancel(side, booking!.id, 'Över nätverksgränsen');
    expect(await lateRows(coordinatorA)).toContain('Över nätverksgränsen');
    expect(await lateRows(coordinatorB)).toContain('Över nätverksgränsen');
  });

  it('says so when the network has no late cancellations', async () => {
    const lonely = await signedIn(ctx, 'network_coordinator');
    expect(await lateRows(lonely.agent)).toContain('Det finns inga sena avbokningar i nätverket.');
  });

  it('keeps counsellors and company coordinators out', async () => {
    const counsellor = await signedIn(ctx, 'counsellor', a.schools[0]!.school.id);
    const company = await signedIn(ctx, 'company_coordinator', a.company.id);
    expect((await counsellor.agent.get('/network/late-cancellations')).status).toBe(403);
    expect((await company.agent.get('/network/late-cancellations')).status).toBe(403);
  });
});

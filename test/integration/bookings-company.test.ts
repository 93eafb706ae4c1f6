import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Pupil } from '../../src/pupils/pupils.service.ts';
import type { Slot } from '../../src/slots/slots.service.ts';
import { createTestContext, signIn, TEST_NOW, type Agent, type TestContext } from '../support/app.ts';
import { book, makeBookingWorld, worldSlot, type BookingWorld } from '../support/bookings.ts';
import { PASSWORD } from '../support/factories.ts';
import { fieldError, signedIn, withoutCsrf } from '../support/flows.ts';
import { makePupil } from '../support/pupils.ts';
import { submit } from '../support/slots.ts';

let ctx: TestContext;
let world: BookingWorld;
let other: BookingWorld;
let slot: Slot;
let alva: Pupil;
let hidden: Pupil;
let waiting: Pupil;
const bookingOf = new Map<string, string>();

beforeAll(async () => {
  ctx = await createTestContext();
  world = await makeBookingWorld(ctx, { schools: 2, pupils: 2 });
  other = await makeBookingWorld(ctx, { schools: 1, pupils: 1 });
  const [first, second] = world.schools;
  alva = await makePupil(ctx.db, first!.school.id, { givenName: 'Alva', familyName: 'Berg', birthYear: 2013, gender: 'girl' });
  hidden = await makePupil(ctx.db, first!.school.id, { givenName: 'Hemlig', familyName: 'Skyddadsson', birthYear: 2013, gender: 'boy', protectedIdentity: true });
  waiting = await makePupil(ctx.db, second!.school.id, { givenName: 'Vilgot', familyName: 'Väntare' });
  slot = await worldSlot(ctx, world, '2027-04-06T08:00', '2027-04-06T12:00', { capacity: 3, supervisorName: 'Sara Handledare', supervisorPhone: '070-123 45 67' });
  for (const b of await book(ctx, first!, slot.id, [alva, hidden])) bookingOf.set(b.pupilId, b.id);
  for (const b of await book(ctx, second!, slot.id, [second!.pupils[0]!, waiting], true)) bookingOf.set(b.pupilId, b.id);
});
afterAll(() => ctx.close());
afterEach(() => ctx.clock.set(TEST_NOW));

/** The coordinator, signed in at the clock's current time (sessions end when the clock moves far). */
const coordinator = (): Promise<Agent> => signIn(ctx.app, world.coordinator.email, PASSWORD);
const participantsPath = () => `/company/participants/${slot.id}`;
const attendancePath = () => `${participantsPath()}/attendance`;
/** The page without ids and tokens, so a number found in it is really shown text. */
const shownText = (html: string) => withoutCsrf(html).replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '');
const attendanceOf = (bookingId: string) => ctx.db.selectFrom('bookings').select(['attendance', 'attendance_at', 'attendance_by']).where('id', '=', bookingId).executeTakeFirstOrThrow();

describe('GET /company/participants', () => {
  it("lists the company's upcoming slots with booked, capacity and waitlist counts, each linking to its participants", async () => {
    const res = await (await coordinator()).get('/company/participants');
    expect(res.status).toBe(200);
    expect(res.text).toContain(`href="${participantsPath()}"`);
    expect(res.text).toContain('3 av 3 bokade');
    expect(res.text).toContain('1 elev på väntelistan');
  });

  it('leaves out slots of other companies', async () => {
    const foreign = await worldSlot(ctx, other, '2027-04-06T08:00', '2027-04-06T12:00');
    const res = await (await coordinator()).get('/company/participants');
    expect(res.text).not.toContain(foreign.id);
  });

  it('offers a date form that opens the day list', async () => {
    const res = await (await coordinator()).get('/company/participants');
    expect(res.text).toMatch(/<form method="get" action="\/company\/day-list"/);
    expect(res.text).toContain('value="2027-03-16"');
  });
});

describe('GET /company/participants/:slotId', () => {
  it('names ordinary pupils with their class and school', async () => {
    const res = await (await coordinator()).get(participantsPath());
    expect(res.status).toBe(200);
    expect(res.text).toContain('Alva Berg');
    expect(res.text).toContain(world.schools[0]!.school.name);
  });

  it('shows a protected pupil only as "Elev, 8B, <school> (kod …)", never by name', async () => {
    const res = await (await coordinator()).get(participantsPath());
    expect(res.text).toContain(`Elev, 8B, ${world.schools[0]!.school.name} (kod ${hidden.code})`);
    expect(res.text).not.toContain('Hemlig');
    expect(res.text).not.toContain('Skyddadsson');
  });

  it("never shows a pupil's gender or birth year", async () => {
    const text = shownText((await (await coordinator()).get(participantsPath())).text);
    expect(text).not.toMatch(/\b2013\b/);
    expect(text).not.toMatch(/flicka|pojke|kön|födelseår/i);
  });

  it("groups the pupils by school with the school's counsellors' names and e-mail addresses", async () => {
    const res = await (await coordinator()).get(participantsPath());
    for (const side of world.schools) {
      expect(res.text).toContain(`<a href="mailto:${side.counsellor.user.email}">${side.counsellor.user.email}</a>`);
      expect(res.text).toContain(side.counsellor.user.name);
    }
  });

  it('counts the waitlist without naming who is on it', async () => {
    const res = await (await coordinator()).get(participantsPath());
    expect(res.text).toContain('1 elev på väntelistan');
    expect(res.text).not.toContain('Vilgot');
  });

  it('shows no attendance form before the slot starts', async () => {
    const res = await (await coordinator()).get(participantsPath());
    expect(res.text).not.toContain(`action="${attendancePath()}"`);
  });

  it('shows the attendance form once the slot has started, with each pupil as a legend', async () => {
    ctx.clock.set('2027-04-06T07:00:00.000Z');
    const res = await (await coordinator()).get(participantsPath());
    expect(res.text).toContain(`action="${attendancePath()}"`);
    expect(res.text).toMatch(/<legend[^>]*>Närvaro för Alva Berg<\/legend>/);
    expect(res.text).toContain(`name="attendance_${bookingOf.get(alva.id)}" value="present"`);
  });

  it("answers 404 for another company's slot", async () => {
    const foreign = await worldSlot(ctx, other, '2027-04-07T08:00', '2027-04-07T12:00');
    expect((await (await coordinator()).get(`/company/participants/${foreign.id}`)).status).toBe(404);
  });
});

describe('POST /company/participants/:slotId/attendance', () => {
  it('refuses attendance before the slot starts, saying why', async () => {
    const agent = await coordinator();
    const res = await submit(agent, attendancePath(), { [`attendance_${bookingOf.get(alva.id)}`]: 'present' });
    expect(res.status).toBe(422);
    expect(fieldError(res.text, 'attendance')).toContain('först när passet har börjat');
    expect((await attendanceOf(bookingOf.get(alva.id)!)).attendance).toBeNull();
  });

  it('records attendance once the slot has started and redirects with a message', async () => {
    ctx.clock.set('2027-04-06T07:00:00.000Z');
    const agent = await coordinator();
    const res = await submit(agent, attendancePath(), { [`attendance_${bookingOf.get(alva.id)}`]: 'present', [`attendance_${bookingOf.get(hidden.id)}`]: 'absent' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`${participantsPath()}?notice=attendance_saved`);
    expect(await attendanceOf(bookingOf.get(alva.id)!)).toEqual({ attendance: 'present', attendance_at: '2027-04-06T07:00:00.000Z', attendance_by: world.coordinator.id });
    expect((await attendanceOf(bookingOf.get(hidden.id)!)).attendance).toBe('absent');
    expect((await agent.get(res.headers.location!)).text).toContain('Närvaron är sparad.');
  });

  it('records each change of attendance in the audit trail', async () => {
    ctx.clock.set('2027-04-06T09:00:00.000Z');
    const bookingId = bookingOf.get(world.schools[1]!.pupils[0]!.id)!;
    await submit(await coordinator(), attendancePath(), { [`attendance_${bookingId}`]: 'absent' });
    await submit(await coordinator(), attendancePath(), { [`attendance_${bookingId}`]: 'present' });
    const events = await ctx.db.selectFrom('booking_events').selectAll().where('booking_id', '=', bookingId).where('action', '=', 'attendance').orderBy('at').execute();
    expect(events.map((e) => JSON.parse(e.detail!))).toEqual([
      { attendance: 'absent', previous: null },
      { attendance: 'present', previous: 'absent' },
    ]);
    expect(events[0]).toMatchObject({ actor_id: world.coordinator.id, actor_role: 'company_coordinator', via: 'ui', slot_id: slot.id });
  });

  it('refuses a waitlisted pupil, naming the pupil\'s field, and keeps nothing', async () => {
    ctx.clock.set('2027-04-06T07:00:00.000Z');
    const confirmed = bookingOf.get(world.schools[1]!.pupils[0]!.id)!;
    const before = await attendanceOf(confirmed);
    const res = await submit(await coordinator(), attendancePath(), { [`attendance_${confirmed}`]: 'absent', [`attendance_${bookingOf.get(waiting.id)}`]: 'present' });
    expect(res.status).toBe(422);
    expect(res.text).toContain(`href="#f-attendance_${bookingOf.get(waiting.id)}"`);
    expect(await attendanceOf(confirmed)).toEqual(before);
  });

  it('asks for a choice when none is made', async () => {
    ctx.clock.set('2027-04-06T07:00:00.000Z');
    const res = await submit(await coordinator(), attendancePath(), {});
    expect(res.status).toBe(422);
    expect(fieldError(res.text, 'attendance')).toContain('minst en elev');
  });

  it('names the field of a value that is neither present nor absent', async () => {
    ctx.clock.set('2027-04-06T07:00:00.000Z');
    const field = `attendance_${bookingOf.get(alva.id)}`;
    const res = await submit(await coordinator(), attendancePath(), { [field]: 'maybe' });
    expect(res.status).toBe(422);
    expect(fieldError(res.text, field)).toContain('Var här');
  });

  it('refuses attendance more than 30 days after the slot ended', async () => {
    ctx.clock.set('2027-05-07T10:00:00.000Z');
    const res = await submit(await coordinator(), attendancePath(), { [`attendance_${bookingOf.get(alva.id)}`]: 'absent' });
    expect(res.status).toBe(422);
    expect(fieldError(res.text, 'attendance')).toContain('30 dagar');
  });

  it("answers 404 for another company's slot and changes nothing", async () => {
    const foreign = await worldSlot(ctx, other, '2027-04-08T08:00', '2027-04-08T12:00');
    const [theirs] = await book(ctx, other.schools[0]!, foreign.id, [other.schools[0]!.pupils[0]!]);
    ctx.clock.set('2027-04-08T07:00:00.000Z');
    const res = await submit(await coordinator(), `/company/participants/${foreign.id}/attendance`, { [`attendance_${theirs!.id}`]: 'present' });
    expect(res.status).toBe(404);
    expect((await attendanceOf(theirs!.id)).attendance).toBeNull();
  });

  it('refuses a post without a CSRF token with 403', async () => {
    ctx.clock.set('2027-04-06T07:00:00.000Z');
    const agent = await coordinator();
    const res = await agent.post(attendancePath()).type('form').send({ [`attendance_${bookingOf.get(alva.id)}`]: 'absent' });
    expect(res.status).toBe(403);
  });
});

describe('GET /company/day-list', () => {
  it("lists the company's slots of a Stockholm day by time, also the day after the change to summer time", async () => {
    // Monday 29 March 2027 is the first day of summer time: it starts at 2027-03-28T22:00Z.
    const night = await worldSlot(ctx, world, '2027-03-29T00:30', '2027-03-29T03:00', { grades: ['gy1'] });
    const morning = await worldSlot(ctx, world, '2027-03-29T08:00', '2027-03-29T12:00');
    const afternoon = await worldSlot(ctx, world, '2027-03-29T13:00', '2027-03-29T15:00', { grades: ['gy1'] });
    const nextNight = await worldSlot(ctx, world, '2027-03-30T00:30', '2027-03-30T03:00', { grades: ['gy1'] });
    const nextMorning = await worldSlot(ctx, world, '2027-03-30T08:00', '2027-03-30T12:00');
    const res = await (await coordinator()).get('/company/day-list?date=2027-03-29');
    expect(res.status).toBe(200);
    const at = (s: Slot) => res.text.indexOf(`id="slot-${s.id}"`);
    expect([at(night), at(morning), at(afternoon)].every((i) => i > 0)).toBe(true);
    expect(at(night)).toBeLessThan(at(morning));
    expect(at(morning)).toBeLessThan(at(afternoon));
    expect(at(nextNight)).toBe(-1);
    expect(at(nextMorning)).toBe(-1);
  });

  it('lists the whole 23-hour day of the change to summer time', async () => {
    const early = await worldSlot(ctx, world, '2027-03-28T00:30', '2027-03-28T01:30', { grades: ['gy1'] });
    const late = await worldSlot(ctx, world, '2027-03-28T23:30', '2027-03-29T00:15', { grades: ['gy1'] }, 1);
    const res = await (await coordinator()).get('/company/day-list?date=2027-03-28');
    expect(res.text).toContain(`id="slot-${early.id}"`);
    expect(res.text).toContain(`id="slot-${late.id}"`);
    expect((await (await coordinator()).get('/company/day-list?date=2027-03-27')).text).not.toContain(`id="slot-${early.id}"`);
  });

  it("shows each slot's time, place, meeting point, hosts, supervisor and pupils with an empty attendance column", async () => {
    await ctx.db.updateTable('company_sites').set({ meeting_point: 'Receptionen, plan 2' }).where('company_id', '=', world.company.id).execute();
    const res = await (await coordinator()).get('/company/day-list?date=2027-04-06');
    expect(res.text).toContain('tis 6 april 2027, 08.00–12.00');
    expect(res.text).toContain('Receptionen, plan 2');
    expect(res.text).toContain('Värd 1');
    expect(res.text).toContain('Sara Handledare');
    expect(res.text).toContain('070-123 45 67');
    expect(res.text).toContain('Alva Berg');
    expect(res.text).toContain(`(kod ${hidden.code})`);
    expect(res.text).not.toContain('Skyddadsson');
    expect(res.text).toContain('<th scope="col">Närvaro</th>');
    expect(res.text).toContain('<td class="tick"></td>');
  });

  it("shows today's list (in Stockholm) when no date is given", async () => {
    const res = await (await coordinator()).get('/company/day-list');
    expect(res.status).toBe(200);
    expect(res.text).toContain('tis 16 mars 2027');
  });

  for (const bad of ['2027-02-30', 'imorgon', '06/04/2027', '2027-4-6']) {
    it(`answers 422 naming the date field for the date "${bad}"`, async () => {
      const res = await (await coordinator()).get(`/company/day-list?date=${encodeURIComponent(bad)}`);
      expect(res.status).toBe(422);
      expect(fieldError(res.text, 'date')).toContain('Skriv datum som år-månad-dag');
    });
  }

  it('answers 422 naming the date field when the date is given twice', async () => {
    const res = await (await coordinator()).get('/company/day-list?date=2027-04-06&date=2027-04-07');
    expect(res.status).toBe(422);
    expect(fieldError(res.text, 'date')).toBeTruthy();
  });
});

describe('who may use the company pages', () => {
  const paths = () => ['/company/participants', participantsPath(), '/company/day-list?date=2027-04-06'];

  for (const role of ['counsellor', 'network_coordinator'] as const) {
    it(`refuses a ${role.replace('_', ' ')} with 403`, async () => {
      const { agent } = await signedIn(ctx, role);
      for (const path of paths()) expect((await agent.get(path)).status, path).toBe(403);
      expect((await submit(agent, attendancePath(), { [`attendance_${bookingOf.get(alva.id)}`]: 'present' })).status).toBe(403);
    });
  }
});

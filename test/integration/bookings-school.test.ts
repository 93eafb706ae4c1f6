import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, signIn, type Agent, type TestContext } from '../support/app.ts';
import { book, makeBookingWorld, slotTruth, worldSlot, type BookingWorld } from '../support/bookings.ts';
import { PASSWORD } from '../support/factories.ts';
import { fieldError, outboxTo, signedIn } from '../support/flows.ts';
import { makePupil } from '../support/pupils.ts';
import { companyWithStory, makeSlot, submit, type Form } from '../support/slots.ts';

let ctx: TestContext;
let world: BookingWorld;
let counsellor: Agent;
beforeAll(async () => {
  ctx = await createTestContext();
  world = await makeBookingWorld(ctx, { schools: 2, pupils: 8 });
  counsellor = await signIn(ctx.app, side().counsellor.user.email, PASSWORD);
});
afterAll(() => ctx.close());

const side = () => world.schools[0]!;
const other = () => world.schools[1]!;
const pupil = (i: number) => side().pupils[i]!;
const nameOf = (p: { givenName: string; familyName: string }) => `${p.givenName} ${p.familyName}`;

/** Posts the booking form as the counsellor would, from the form's own page. */
const bookForm = (slotId: string, form: Form, agent = counsellor) => submit(agent, `/school/slots/${slotId}/book`, form, `/school/slots/${slotId}/book`);
const cancelForm = (bookingId: string, form: Form = {}) => submit(counsellor, `/school/bookings/${bookingId}/cancel`, form, '/school/bookings');
const bookingRow = (id: string) => ctx.db.selectFrom('bookings').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const statusText = (html: string) => /role="status">([\s\S]*?)<\/div>/.exec(html)?.[1]?.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim() ?? '';

describe('the booking form', () => {
  it('shows the slot, its seats and waitlist, and the pupils grouped by class with why some cannot come', async () => {
    const slot = await worldSlot(ctx, world, '2027-04-05T08:00', '2027-04-05T12:00');
    const seventh = await makePupil(ctx.db, side().school.id, { className: '7A' });
    const res = await counsellor.get(`/school/slots/${slot.id}/book`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('4 av 4 platser kvar');
    expect(res.text).toContain('Ingen står på väntelistan');
    expect(res.text).toContain('<legend>Klass 7A</legend>');
    expect(res.text).toContain('<legend>Klass 8B</legend>');
    expect(res.text).toMatch(new RegExp(`${nameOf(seventh)} <span class="choice-note">\\(går i Åk 7, men passet är för Åk 8, Åk 9\\)`));
    expect(res.text).toContain('Ställ på väntelistan de som inte får plats');
    expect(res.text).not.toContain(nameOf(other().pupils[0]!));
  });

  it('shows only one class when filtered by ?class=', async () => {
    const slot = await worldSlot(ctx, world, '2027-04-05T13:00', '2027-04-05T15:00');
    const res = await counsellor.get(`/school/slots/${slot.id}/book?class=7A`);
    expect(res.text).toContain('<legend>Klass 7A</legend>');
    expect(res.text).not.toContain('<legend>Klass 8B</legend>');
  });

  it('shows every class when the class filter is malformed, instead of failing', async () => {
    const slot = await worldSlot(ctx, world, '2027-04-05T16:00', '2027-04-05T17:00');
    const res = await counsellor.get(`/school/slots/${slot.id}/book?class=7A&class=8B`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('<legend>Klass 8B</legend>');
    expect((await counsellor.get('/school/bookings?class=&booked=many')).status).toBe(200);
  });

  it('books one pupil and confirms it on the bookings page', async () => {
    const slot = await worldSlot(ctx, world, '2027-04-06T08:00', '2027-04-06T12:00');
    const res = await bookForm(slot.id, { pupilIds: pupil(0).id });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/school/bookings?booked=1');
    expect(statusText((await counsellor.get(res.headers.location!)).text)).toBe('1 elev är bokad.');
    expect(await slotTruth(ctx, slot.id)).toMatchObject({ bookedCount: 1, confirmed: 1 });
  });

  it('books a group of pupils in one go', async () => {
    const slot = await worldSlot(ctx, world, '2027-04-07T08:00', '2027-04-07T12:00');
    const res = await bookForm(slot.id, { pupilIds: [pupil(0).id, pupil(1).id, pupil(2).id] });
    expect(res.headers.location).toBe('/school/bookings?booked=3');
    expect(await slotTruth(ctx, slot.id)).toMatchObject({ bookedCount: 3, confirmed: 3 });
  });

  it('books nobody in a group when one pupil clashes, naming that pupil and the clashing slot, and keeps the ticks', async () => {
    const first = await worldSlot(ctx, world, '2027-04-08T08:00', '2027-04-08T12:00', {}, 0);
    const second = await worldSlot(ctx, world, '2027-04-08T10:00', '2027-04-08T14:00', {}, 1);
    await book(ctx, side(), first.id, [pupil(3)]);
    const res = await bookForm(second.id, { pupilIds: [pupil(2).id, pupil(3).id] });
    expect(res.status).toBe(409);
    expect(res.text).toContain(`${nameOf(pupil(3))} är redan bokad på ett annat prao-pass samtidigt: ${world.company.name}, tors 8 april 2027, 08.00–12.00.`);
    expect(fieldError(res.text, pupil(3).id)).toContain(nameOf(pupil(3)));
    expect(fieldError(res.text, pupil(2).id)).toBeUndefined();
    expect(res.text).toMatch(new RegExp(`value="${pupil(2).id}" checked`));
    expect(await slotTruth(ctx, second.id)).toMatchObject({ bookedCount: 0, confirmed: 0, waitlisted: 0 });
  });

  it('hints at a pupil already booked at the same time before anything is sent', async () => {
    const first = await worldSlot(ctx, world, '2027-04-09T08:00', '2027-04-09T12:00', {}, 0);
    const second = await worldSlot(ctx, world, '2027-04-09T09:00', '2027-04-09T11:00', {}, 1);
    await book(ctx, side(), first.id, [pupil(4)]);
    const res = await counsellor.get(`/school/slots/${second.id}/book`);
    expect(res.text).toContain(`${nameOf(pupil(4))} <span class="choice-note">(är bokad på ett annat pass samtidigt: ${world.company.name}, fre 9 april 2027, 08.00–12.00)`);
  });

  it('refuses a group bigger than the seats left with 409 slot_full and books nobody', async () => {
    const slot = await worldSlot(ctx, world, '2027-04-12T08:00', '2027-04-12T12:00', { capacity: 2 });
    const res = await bookForm(slot.id, { pupilIds: [pupil(0).id, pupil(1).id, pupil(2).id] });
    expect(res.status).toBe(409);
    expect(res.text).toContain('Det finns inte plats för alla: 2 platser kvar, och du valde 3. Ingen bokades.');
    expect(await slotTruth(ctx, slot.id)).toMatchObject({ confirmed: 0, waitlisted: 0 });
  });

  it('puts those who do not fit on the waitlist when asked, and shows their place in line', async () => {
    const slot = await worldSlot(ctx, world, '2027-04-13T08:00', '2027-04-13T12:00', { capacity: 2 });
    const res = await bookForm(slot.id, { pupilIds: [pupil(0).id, pupil(1).id, pupil(2).id], waitlist: '1' });
    expect(res.headers.location).toBe('/school/bookings?booked=2&waitlisted=1');
    const page = await counsellor.get(res.headers.location!);
    expect(statusText(page.text)).toBe('2 elever är bokade. 1 elev står på väntelistan.');
    expect(page.text).toContain('Väntelista, plats 1');
    expect(await slotTruth(ctx, slot.id)).toMatchObject({ confirmed: 2, waitlisted: 1 });
  });

  it('asks for at least one pupil with 422', async () => {
    const slot = await worldSlot(ctx, world, '2027-04-14T08:00', '2027-04-14T12:00');
    const res = await bookForm(slot.id, { waitlist: '1' });
    expect(res.status).toBe(422);
    expect(fieldError(res.text, 'pupilIds')).toBe('Välj minst en elev.');
    expect(res.text).toMatch(/id="f-waitlist" name="waitlist" value="1" aria-describedby="f-waitlist-hint" checked/);
  });

  it("refuses another school's pupil with 403 and books nobody", async () => {
    const slot = await worldSlot(ctx, world, '2027-04-15T08:00', '2027-04-15T12:00');
    const res = await bookForm(slot.id, { pupilIds: [pupil(0).id, other().pupils[0]!.id] });
    expect(res.status).toBe(403);
    expect(res.text).toContain('Eleven går inte på din skola.');
    expect(res.text).not.toContain(nameOf(other().pupils[0]!));
    expect(await slotTruth(ctx, slot.id)).toMatchObject({ confirmed: 0 });
  });

  it('says why a cancelled slot cannot be booked, and refuses a booking with 409', async () => {
    const slot = await worldSlot(ctx, world, '2027-04-16T08:00', '2027-04-16T12:00');
    const token = await counsellor.get(`/school/slots/${slot.id}/book`);
    await ctx.db.updateTable('slots').set({ status: 'cancelled', cancelled_at: '2027-03-16T08:00:00.000Z' }).where('id', '=', slot.id).execute();
    const page = await counsellor.get(`/school/slots/${slot.id}/book`);
    expect(page.text).toContain('Det går inte att boka passet just nu: passet är inställt.');
    expect(page.text).not.toContain(`action="/school/slots/${slot.id}/book" novalidate`);
    const res = await submit(counsellor, `/school/slots/${slot.id}/book`, { pupilIds: pupil(0).id }, `/school/slots/${slot.id}/book`);
    expect(token.status).toBe(200);
    expect(res.status).toBe(409);
    expect(res.text).toContain('passet är inställt');
  });

  it("answers 404 for a slot of a company outside the school's networks", async () => {
    const stranger = await companyWithStory(ctx);
    const slot = await makeSlot(ctx, stranger.user, [stranger.story.id], '2027-04-16T08:00', '2027-04-16T12:00');
    expect((await counsellor.get(`/school/slots/${slot.id}/book`)).status).toBe(404);
  });

  it('refuses a post without a CSRF token with 403 and books nobody', async () => {
    const slot = await worldSlot(ctx, world, '2027-04-19T08:00', '2027-04-19T12:00');
    const res = await counsellor.post(`/school/slots/${slot.id}/book`).type('form').send({ pupilIds: pupil(0).id });
    expect(res.status).toBe(403);
    expect(await slotTruth(ctx, slot.id)).toMatchObject({ confirmed: 0 });
  });

  it('links to the form from the slot page for counsellors only', async () => {
    const slot = await worldSlot(ctx, world, '2027-04-19T13:00', '2027-04-19T15:00');
    const link = `href="/school/slots/${slot.id}/book"`;
    expect((await counsellor.get(`/slots/${slot.id}`)).text).toContain(link);
    expect((await supertest(ctx.app).get(`/slots/${slot.id}`)).text).not.toContain(link);
    const company = await signIn(ctx.app, world.coordinator.email, PASSWORD);
    expect((await company.get(`/slots/${slot.id}`)).text).not.toContain(link);
  });
});

describe('the school’s bookings', () => {
  it('cancels a booking with a reason and gives the seat to the first on the waitlist, mailing the counsellor', async () => {
    const slot = await worldSlot(ctx, world, '2027-04-20T08:00', '2027-04-20T12:00', { capacity: 1 });
    const [seat] = await book(ctx, side(), slot.id, [pupil(5)]);
    const [waiting] = await book(ctx, side(), slot.id, [pupil(6)], true);
    const res = await cancelForm(seat!.id, { reason: 'Sjuk' });
    expect(res.status).toBe(303);
    expect(statusText((await counsellor.get(res.headers.location!)).text)).toBe('Bokningen är avbokad. 1 elev från väntelistan fick platsen.');
    expect(await bookingRow(seat!.id)).toMatchObject({ status: 'cancelled', cancel_reason: 'Sjuk', cancelled_party: 'school', cancelled_late: 0 });
    expect((await bookingRow(waiting!.id)).status).toBe('confirmed');
    const mails = await outboxTo(ctx, side().counsellor.user.email);
    expect(mails.some((m) => m.subject.startsWith('Plats från väntelistan') && m.body_text.includes(nameOf(pupil(6))))).toBe(true);
  });

  it('names the reason field when the reason is too long, and cancels nothing', async () => {
    const slot = await worldSlot(ctx, world, '2027-04-21T08:00', '2027-04-21T12:00');
    const [booking] = await book(ctx, side(), slot.id, [pupil(0)]);
    const res = await cancelForm(booking!.id, { reason: 'x'.repeat(501) });
    expect(res.status).toBe(422);
    expect(fieldError(res.text, 'reason')).toBe('Anledning får ha högst 500 tecken.');
    expect((await bookingRow(booking!.id)).status).toBe('confirmed');
  });

  it('says when a cancellation close to the start is late, and lists it as late', async () => {
    const slot = await worldSlot(ctx, world, '2027-03-17T08:00', '2027-03-17T12:00');
    const [booking] = await book(ctx, side(), slot.id, [pupil(7)]);
    const form = await counsellor.get('/school/bookings');
    expect(form.text).toContain('Passet börjar om mindre än 72 timmar.');
    const res = await cancelForm(booking!.id, { reason: 'Buss inställd' });
    const page = await counsellor.get(res.headers.location!);
    expect(statusText(page.text)).toBe('Bokningen är avbokad. Det var en sen avbokning, mindre än 72 timmar före start.');
    expect(page.text).toContain('<span class="badge badge-late">sen avbokning</span>');
  });

  it('lists upcoming bookings by date, past ones with attendance and cancelled ones with who cancelled', async () => {
    const upcoming = await worldSlot(ctx, world, '2027-04-22T08:00', '2027-04-22T12:00');
    const past = await worldSlot(ctx, world, '2027-04-23T08:00', '2027-04-23T12:00');
    await book(ctx, side(), upcoming.id, [pupil(1)]);
    const [gone] = await book(ctx, side(), past.id, [pupil(1)]);
    const earlier = { starts_at: '2027-03-10T07:00:00.000Z', ends_at: '2027-03-10T11:00:00.000Z' };
    await ctx.db.updateTable('slots').set(earlier).where('id', '=', past.id).execute();
    await ctx.db.updateTable('bookings').set({ ...earlier, attendance: 'present' }).where('id', '=', gone!.id).execute();
    const page = (await counsellor.get('/school/bookings')).text;
    const [upcomingPart, pastPart] = page.split('id="past-title"');
    expect(upcomingPart).toContain('<h3>tors 22 april 2027</h3>');
    expect(upcomingPart).toContain(`${world.company.name}, 08.00–12.00`);
    expect(pastPart).toMatch(/ons 10 mars 2027, 08\.00–12\.00<\/td>[\s\S]*?Var där/);
    expect(pastPart).not.toContain(`/school/bookings/${gone!.id}/cancel`);
  });

  it('filters the list by class', async () => {
    const slot = await worldSlot(ctx, world, '2027-04-26T08:00', '2027-04-26T12:00');
    const ninth = await makePupil(ctx.db, side().school.id, { className: '9C' });
    await book(ctx, side(), slot.id, [ninth, pupil(2)]);
    const page = (await counsellor.get('/school/bookings?class=9C')).text;
    expect(page).toContain(nameOf(ninth));
    expect(page).not.toContain(nameOf(pupil(2)));
  });

  it('shows one booking with its history: who did what, when and how', async () => {
    const slot = await worldSlot(ctx, world, '2027-04-27T08:00', '2027-04-27T12:00');
    await bookForm(slot.id, { pupilIds: pupil(3).id });
    const booking = await ctx.db.selectFrom('bookings').select('id').where('slot_id', '=', slot.id).executeTakeFirstOrThrow();
    await cancelForm(booking.id, { reason: 'Byter pass' });
    const page = await counsellor.get(`/school/bookings/${booking.id}`);
    expect(page.status).toBe(200);
    const name = side().counsellor.user.name;
    expect(page.text).toMatch(new RegExp(`tis 16 mars 2027, 09\\.00</td><td>${name} \\(Studie- och yrkesvägledare\\)</td><td[^>]*>Bokade</td><td>På webben</td>`));
    expect(page.text).toContain('Avbokade (skolan). Anledning: Byter pass');
  });

  it("answers 404 for another school's booking and refuses to cancel it", async () => {
    const slot = await worldSlot(ctx, world, '2027-04-28T08:00', '2027-04-28T12:00');
    const [theirs] = await book(ctx, other(), slot.id, [other().pupils[0]!]);
    expect((await counsellor.get(`/school/bookings/${theirs!.id}`)).status).toBe(404);
    expect((await cancelForm(theirs!.id, { reason: 'Nej' })).status).toBe(404);
    expect((await bookingRow(theirs!.id)).status).toBe('confirmed');
    expect((await counsellor.get('/school/bookings')).text).not.toContain(nameOf(other().pupils[0]!));
  });

  it('keeps company and network coordinators out of the school pages', async () => {
    const slot = await worldSlot(ctx, world, '2027-04-29T08:00', '2027-04-29T12:00');
    const [booking] = await book(ctx, side(), slot.id, [pupil(0)]);
    const company = await signIn(ctx.app, world.coordinator.email, PASSWORD);
    const network = (await signedIn(ctx, 'network_coordinator', world.networkId)).agent;
    for (const agent of [company, network]) {
      expect((await agent.get('/school/bookings')).status).toBe(403);
      expect((await agent.get(`/school/bookings/${booking!.id}`)).status).toBe(403);
      expect((await agent.get(`/school/slots/${slot.id}/book`)).status).toBe(403);
      expect((await submit(agent, `/school/bookings/${booking!.id}/cancel`, {})).status).toBe(403);
    }
    expect((await bookingRow(booking!.id)).status).toBe('confirmed');
  });
});

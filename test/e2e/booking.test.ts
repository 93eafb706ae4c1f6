import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionUser } from '../../src/http/context.ts';
import { issueLink } from '../../src/pupils/links.ts';
import type { Pupil } from '../../src/pupils/pupils.service.ts';
import type { Slot } from '../../src/slots/slots.service.ts';
import { slotTruth } from '../support/bookings.ts';
import { makePupil } from '../support/pupils.ts';
import { makeSlot, makeStory } from '../support/slots.ts';
import { checkPage, openPage, DEMO, DESKTOP, launchBrowser, PHONE, signIn, startApp, type RunningApp } from './support.ts';

/**
 * Booking in the browser, on the demo data with a fixed clock (Tuesday 16 March 2027, see
 * test/support/app.ts): Solbackeskolan's counsellor books a group into a slot of Nordljus
 * Energi on Tuesday 20 April 2027, is stopped by a clash with a second, overlapping slot,
 * cancels one booking; then a pupil opens their own page on a phone, and the company sees who
 * comes. The steps follow on from each other, in order.
 */
let app: RunningApp;
let browser: Browser;
let counsellor: Page;
/** 08.00–12.00 and 10.00–14.00 the same day, with different hosts: they overlap. */
let morning: Slot;
let midday: Slot;
let pupils: Record<'tilda' | 'vidar' | 'nova' | 'ines', Pupil>;
let tildaToken: string;

const COMPANY = 'Nordljus Energi AB';
const MORNING = 'tis 20 april 2027, 08.00–12.00';
const MEETING_POINT = 'Receptionen vid huvudentrén. Säg att du är där för prao, så hämtar din handledare dig.';

beforeAll(async () => {
  [app, browser] = await Promise.all([startApp(), launchBrowser()]);
  const { db, config, clock } = app.ctx;
  const row = await db.selectFrom('users').selectAll().where('email', '=', DEMO.company).executeTakeFirstOrThrow();
  const coordinator: SessionUser = { id: row.id, email: row.email, name: row.name, role: 'company_coordinator', networkId: null, companyId: row.company_id, schoolId: null, locale: 'sv' };
  const first = await makeStory(app.ctx, coordinator, { name: 'Hedda Värd' });
  const second = await makeStory(app.ctx, coordinator, { name: 'Ivar Värd' });
  morning = await makeSlot(app.ctx, coordinator, [first.id], '2027-04-20T08:00', '2027-04-20T12:00', { activities: 'Du får mäta strömmen i ett solcellspaket.' });
  midday = await makeSlot(app.ctx, coordinator, [second.id], '2027-04-20T10:00', '2027-04-20T14:00');
  const school = await db.selectFrom('users').select('school_id').where('email', '=', DEMO.counsellor).executeTakeFirstOrThrow();
  const pupil = (givenName: string, familyName: string, protectedIdentity = false) => makePupil(db, school.school_id!, { givenName, familyName, className: '8E', protectedIdentity });
  pupils = { tilda: await pupil('Tilda', 'Bergström'), vidar: await pupil('Vidar', 'Lindgren'), nova: await pupil('Nova', 'Sundberg'), ines: await pupil('Ines', 'Hemberg', true) };
  tildaToken = await issueLink(db, config.sessionSecret, pupils.tilda.id, clock.now());
  counsellor = await openPage(browser, app.baseUrl, DESKTOP);
  await signIn(counsellor, 'counsellor');
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

/** Ticks the pupils in the booking form and presses "Boka"; returns the status of the POST's answer. */
async function bookFromForm(page: Page, names: string[]): Promise<number> {
  for (const name of names) await page.getByRole('checkbox', { name: new RegExp(`^${name}`) }).check();
  const [response] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name: 'Boka', exact: true }).click()]);
  await page.waitForLoadState('load');
  return response.status();
}

const liveBookingsOf = (pupil: Pupil) => app.ctx.db.selectFrom('bookings').select(['slot_id', 'status']).where('pupil_id', '=', pupil.id).where('status', '!=', 'cancelled').execute();

describe('a counsellor books a group', () => {
  it('goes from the slot page to the booking form', async () => {
    await counsellor.goto(`/slots/${morning.id}`);
    await checkPage(counsellor);
    await Promise.all([counsellor.waitForURL(`**/school/slots/${morning.id}/book`), counsellor.getByRole('link', { name: 'Boka elever' }).click()]);
    expect(await counsellor.getByRole('heading', { level: 1 }).textContent()).toBe(`Boka elever: ${COMPANY}`);
    expect(await counsellor.getByRole('group', { name: 'Klass 8E' }).getByRole('checkbox').count()).toBe(4);
    await checkPage(counsellor);
  });

  it('ticks three pupils, books them and sees them on the school’s bookings', async () => {
    expect(await bookFromForm(counsellor, ['Tilda Bergström', 'Vidar Lindgren', 'Ines Hemberg'])).toBe(303);
    await counsellor.waitForURL(/\/school\/bookings\?booked=3$/);
    expect(await counsellor.getByRole('status').textContent()).toContain('3 elever är bokade.');
    const slot = counsellor.locator('.booking-slot').filter({ has: counsellor.getByRole('heading', { name: `${COMPANY}, 08.00–12.00` }) });
    for (const name of ['Tilda Bergström', 'Vidar Lindgren', 'Ines Hemberg']) {
      expect(await slot.locator('.booking-row').filter({ hasText: name }).locator('.badge').textContent()).toBe('Bokad');
    }
    expect((await slotTruth(app.ctx, morning.id)).confirmed).toBe(3);
    await checkPage(counsellor);
  });

  it('sees a hint on the form of the overlapping slot before booking', async () => {
    await counsellor.goto(`/school/slots/${midday.id}/book`);
    const tilda = counsellor.getByRole('checkbox', { name: /^Tilda Bergström/ });
    expect(await tilda.getAttribute('id').then((id) => counsellor.locator(`label[for="${id}"]`).textContent())).toContain(`är bokad på ett annat pass samtidigt: ${COMPANY}, ${MORNING}`);
    await checkPage(counsellor);
  });

  it('is stopped by the clash, told who and where, and nobody of the group is booked', async () => {
    expect(await bookFromForm(counsellor, ['Nova Sundberg', 'Tilda Bergström'])).toBe(409);
    const alert = counsellor.getByRole('alert');
    expect(await alert.locator('.booking-error').textContent()).toBe(`Tilda Bergström är redan bokad på ett annat prao-pass samtidigt: ${COMPANY}, ${MORNING}.`);
    // The choices are kept, so the counsellor only needs to untick Tilda.
    expect(await counsellor.getByRole('checkbox', { name: /^Nova Sundberg/ }).isChecked()).toBe(true);
    expect(await slotTruth(app.ctx, midday.id)).toMatchObject({ bookedCount: 0, confirmed: 0, waitlisted: 0 });
    expect(await liveBookingsOf(pupils.nova)).toEqual([]);
    await checkPage(counsellor);
  });

  it('cancels one booking with a reason and sees it among the cancelled', async () => {
    await counsellor.goto('/school/bookings');
    const row = counsellor.locator('.booking-row').filter({ hasText: 'Vidar Lindgren' });
    await row.locator('summary').click();
    await row.getByLabel(/Anledning/).fill('Vidar är sjuk den veckan.');
    await Promise.all([counsellor.waitForURL(/cancelled=1/), row.getByRole('button', { name: /^Avboka/ }).click()]);
    expect(await counsellor.getByRole('status').textContent()).toContain('Bokningen är avbokad.');
    expect(await counsellor.getByRole('status').textContent()).not.toContain('sen avbokning');
    const cancelled = counsellor.getByRole('table', { name: 'Avbokade' }).getByRole('row', { name: /Vidar Lindgren/ });
    expect(await cancelled.textContent()).toContain('Vidar är sjuk den veckan.');
    expect(await cancelled.textContent()).toContain('Skolan');
    expect(await counsellor.locator('.booking-slot .booking-row').filter({ hasText: 'Vidar Lindgren' }).count()).toBe(0);
    expect(await slotTruth(app.ctx, morning.id)).toMatchObject({ bookedCount: 2, confirmed: 2, cancelled: 1 });
    await checkPage(counsellor);
  });

  it('opens the cancelled booking and sees its history', async () => {
    await counsellor.getByRole('table', { name: 'Avbokade' }).getByRole('link', { name: 'Vidar Lindgren' }).click();
    await counsellor.waitForURL(/\/school\/bookings\/[\w-]+$/);
    expect(await counsellor.getByRole('heading', { level: 1 }).textContent()).toBe('Bokning för Vidar Lindgren');
    expect(await counsellor.getByRole('table', { name: 'Historik' }).getByRole('row').count()).toBe(3);
    await checkPage(counsellor);
  });

  it('sees the booking form and the bookings without sideways scrolling on a phone', async () => {
    const phone = await openPage(browser, app.baseUrl, PHONE);
    await signIn(phone, 'counsellor');
    await phone.goto(`/school/slots/${midday.id}/book`);
    await checkPage(phone);
    await phone.goto('/school/bookings');
    await checkPage(phone);
    await phone.context().close();
  });
});

describe('a pupil with their personal link, on a phone', () => {
  let pupil: Page;
  beforeAll(async () => {
    pupil = await openPage(browser, app.baseUrl, PHONE);
  });

  it('sees the booking: the company, when and where to meet', async () => {
    const response = await pupil.goto(`/p/${tildaToken}`);
    expect(response?.status()).toBe(200);
    expect(await pupil.getByRole('heading', { level: 1 }).textContent()).toBe('Hej Tilda!');
    const booking = pupil.locator('.pupil-booking').filter({ has: pupil.getByRole('heading', { level: 3, name: COMPANY }) });
    expect(await booking.locator('.badge').textContent()).toBe('Bokad');
    expect(await booking.locator('.pupil-when').textContent()).toBe(MORNING);
    expect(await booking.getByText(MEETING_POINT).count()).toBe(1);
    expect(await booking.getByText('Du får mäta strömmen i ett solcellspaket.').count()).toBe(1);
    await checkPage(pupil);
  });

  it('gets a calendar file for the booking', async () => {
    const href = await pupil.locator('.pupil-booking .pupil-ics a').first().getAttribute('href');
    expect(href).toMatch(new RegExp(`^/p/${tildaToken}/bookings/[\\w-]+\\.ics$`));
    const file = await pupil.request.get(href!);
    expect(file.status()).toBe(200);
    expect(file.headers()['content-type']).toMatch(/^text\/calendar/);
    const text = await file.text();
    expect(text).toContain('BEGIN:VCALENDAR');
    expect(text).toContain(`SUMMARY:Prao: ${COMPANY}`);
    expect(text).toContain('DTSTART:20270420T060000Z');
  });

  it('gets the calendar feed with the same booking', async () => {
    const feed = await pupil.request.get(`/p/${tildaToken}/calendar.ics`);
    expect(feed.headers()['content-type']).toMatch(/^text\/calendar/);
    expect(await feed.text()).toContain(`SUMMARY:Prao: ${COMPANY}`);
  });

  it('gets a kind page, not the booking, with a link that does not work', async () => {
    const response = await pupil.goto(`/p/${'x'.repeat(43)}`);
    expect(response?.status()).toBe(404);
    expect(await pupil.getByText(COMPANY).count()).toBe(0);
    await checkPage(pupil);
  });
});

describe('the company coordinator', () => {
  let company: Page;
  beforeAll(async () => {
    company = await openPage(browser, app.baseUrl, DESKTOP);
    await signIn(company, 'company');
  });

  it('sees the slot among the upcoming ones with its participants', async () => {
    await company.goto('/company/participants');
    await checkPage(company);
    await Promise.all([company.waitForURL(`**/company/participants/${morning.id}`), company.getByRole('link', { name: MORNING, exact: true }).click()]);
    expect(await company.getByRole('heading', { level: 1 }).textContent()).toBe('Deltagare på passet');
    const names = (await company.locator('.participants .pupil-name').allTextContents()).map((n) => n.trim());
    expect(names).toHaveLength(2);
    expect(names).toContain('Tilda Bergström');
    expect(names.find((n) => n !== 'Tilda Bergström')).toBe(`Elev, 8E, Solbackeskolan (kod ${pupils.ines.code})`);
    await checkPage(company);
  });

  it('never sees the protected pupil’s name, nor the cancelled pupil', async () => {
    const text = await company.locator('main').textContent();
    expect(text).not.toContain('Ines');
    expect(text).not.toContain('Hemberg');
    expect(text).not.toContain('Vidar');
  });

  it('opens the day list, which names the protected pupil the same way', async () => {
    await Promise.all([company.waitForURL(/\/company\/day-list\?date=2027-04-20$/), company.getByRole('link', { name: 'Dagslista för dagen' }).click()]);
    const day = company.locator('.day-slot').filter({ has: company.getByRole('heading', { level: 2, name: MORNING }) });
    expect(await day.getByText(`Elev, 8E, Solbackeskolan (kod ${pupils.ines.code})`).count()).toBe(1);
    expect(await company.locator('main').textContent()).not.toContain('Hemberg');
    await checkPage(company);
  });

  it('reads the participants and the day list on a phone without sideways scrolling', async () => {
    const phone = await openPage(browser, app.baseUrl, PHONE);
    await signIn(phone, 'company');
    await phone.goto(`/company/participants/${morning.id}`);
    await checkPage(phone);
    await phone.goto('/company/day-list?date=2027-04-20');
    await checkPage(phone);
    await phone.context().close();
  });
});

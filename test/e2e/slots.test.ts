import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionUser } from '../../src/http/context.ts';
import { makeSeries, makeStory } from '../support/slots.ts';
import { DEMO, DESKTOP, expectNoSeriousViolations, expectNoSidewaysScroll, launchBrowser, newWindow, PHONE, signIn, startApp, type RunningApp } from './support.ts';

/** Slots in the browser: a coordinator publishes a series; pupils and counsellors browse the catalogue. */
let app: RunningApp;
let browser: Browser;
let coordinator: SessionUser;

beforeAll(async () => {
  [app, browser] = await Promise.all([startApp(), launchBrowser()]);
  const row = await app.ctx.db.selectFrom('users').selectAll().where('email', '=', DEMO.company).executeTakeFirstOrThrow();
  coordinator = { id: row.id, email: row.email, name: row.name, role: 'company_coordinator', networkId: null, companyId: row.company_id, schoolId: null, locale: 'sv' };
  // A story of our own, and a published series the catalogue can show whatever the demo data holds.
  const host = await makeStory(app.ctx, coordinator, { name: 'Ebba Testvärd', title: 'Drifttekniker' });
  await makeSeries(app.ctx, coordinator, [host.id], ['2027-05-10', '2027-05-11'], ['08:00', '12:00'], { activities: 'Ebba visar robotarmen Zorro.' });
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

/** Checks what every page must be: no serious axe findings, and no sideways scrolling on a phone. */
async function checkPage(page: Page) {
  await expectNoSeriousViolations(page);
  if (page.viewportSize()?.width === PHONE.width) await expectNoSidewaysScroll(page);
}

describe('a coordinator publishes a series', () => {
  for (const viewport of [PHONE, DESKTOP]) {
    it(`in the browser (${viewport.width}px) and sees the slots listed`, async () => {
      await makeStory(app.ctx, coordinator, { name: `Vera ${viewport.width}`, title: 'Underhållstekniker' });
      const page = await (await newWindow(browser, app.baseUrl, viewport)).newPage();
      await signIn(page, 'company');
      await page.goto('/company/slots');
      await checkPage(page);
      await page.getByRole('link', { name: 'Lägg upp många pass på en gång' }).click();
      expect(await page.getByRole('heading', { name: 'Lägg upp många pass på en gång', level: 1 }).count()).toBe(1);
      await checkPage(page);

      const dates = viewport === PHONE ? '2027-06-07\n2027-06-08' : '2027-06-09, 2027-06-10';
      await page.getByLabel('Datum').fill(dates);
      await page.getByLabel('Starttid').fill('08:30');
      await page.getByLabel('Sluttid').fill('11:30');
      await page.getByLabel(`Vera ${viewport.width}, Underhållstekniker`).check();
      await page.getByLabel('Antal platser').fill('5');
      await page.getByLabel('Åk 9').check();
      await page.getByLabel('Det här får eleverna göra').fill('Ni får följa med på en rond i fabriken.');
      await Promise.all([page.waitForURL(/\/company\/series\/[\w-]+$/), page.getByRole('button', { name: 'Publicera alla' }).click()]);
      await checkPage(page);
      const listed = viewport === PHONE ? ['mån 7 juni 2027, 08.30–11.30', 'tis 8 juni 2027, 08.30–11.30'] : ['ons 9 juni 2027, 08.30–11.30', 'tors 10 juni 2027, 08.30–11.30'];
      for (const when of listed) expect(await page.getByRole('link', { name: when, exact: true }).count()).toBe(1);

      await page.goto('/company/slots');
      for (const when of listed) expect(await page.getByRole('link', { name: when, exact: true }).count()).toBe(1);
      expect(await page.getByText('0 av 5 bokade').count()).toBeGreaterThanOrEqual(2);
    });
  }

  it('sees the rules for åk 7–9 when a Saturday is chosen, on a phone', async () => {
    const page = await (await newWindow(browser, app.baseUrl, PHONE)).newPage();
    await signIn(page, 'company');
    await page.goto('/company/slots/new');
    await checkPage(page);
    await page.getByLabel('Datum').fill('2027-06-12');
    await page.getByLabel('Ebba Testvärd, Drifttekniker').check();
    await page.getByLabel('Antal platser').fill('2');
    await page.getByLabel('Åk 8').check();
    const [response] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name: 'Publicera' }).click()]);
    expect(response.status()).toBe(422);
    await page.waitForLoadState('load');
    expect(await page.locator('#f-date-error').textContent()).toBe('Prao för åk 7–9 måste vara en vardag (måndag–fredag).');
    await checkPage(page);
  });

  it('opens the company start page and a slot to edit', async () => {
    const page = await (await newWindow(browser, app.baseUrl, PHONE)).newPage();
    await signIn(page, 'company');
    await page.goto('/company');
    expect(await page.getByRole('heading', { name: 'Våra berättelser' }).count()).toBe(1);
    expect(await page.getByRole('heading', { name: 'Kommande prao-pass' }).count()).toBe(1);
    await checkPage(page);
    await page.goto('/company/slots');
    await page.getByRole('link', { name: 'mån 10 maj 2027, 08.00–12.00', exact: true }).click();
    expect(await page.getByRole('heading', { name: 'Ändra prao-pass' }).count()).toBe(1);
    await checkPage(page);
  });
});

describe('the catalogue on a phone', () => {
  it('lets a visitor filter and open a slot', async () => {
    const page = await (await newWindow(browser, app.baseUrl, PHONE)).newPage();
    await page.goto('/catalogue');
    await checkPage(page);
    expect(await page.locator('.slot-card').count()).toBeGreaterThan(0);
    await page.getByLabel('Sök', { exact: true }).fill('zorro');
    await Promise.all([page.waitForURL(/q=zorro/), page.getByRole('button', { name: 'Visa prao' }).click()]);
    await checkPage(page);
    const cards = page.locator('.slot-card');
    expect(await cards.count()).toBe(2);
    expect(await cards.first().textContent()).toContain('mån 10 maj 2027, 08.00–12.00');
    await cards.first().getByRole('link').click();
    await page.waitForURL(/\/slots\/[\w-]+$/);
    expect(await page.getByText('Ebba visar robotarmen Zorro.').count()).toBe(1);
    expect(await page.getByRole('link', { name: 'Ebba Testvärd' }).count()).toBe(1);
    expect(await page.getByText('Logga in för att se vem som är handledare').count()).toBe(1);
    await checkPage(page);
  });

  it('shows a counsellor the slots of their school’s networks', async () => {
    const page = await (await newWindow(browser, app.baseUrl, PHONE)).newPage();
    await signIn(page, 'counsellor');
    await page.goto('/catalogue?q=zorro&free=1');
    expect(await page.locator('.slot-card').count()).toBe(2);
    await checkPage(page);
  });
});

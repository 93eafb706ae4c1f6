import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DESKTOP,
  expectNoSeriousViolations,
  expectNoSidewaysScroll,
  launchBrowser,
  newWindow,
  PHONE,
  signIn,
  startApp,
  type DemoRole,
  type RunningApp,
  type Viewport,
} from './support.ts';

/** Every page of the first release, opened by someone allowed to see it. */
interface Visit {
  name: string;
  path: string | (() => string);
  as: DemoRole | null;
  heading: string;
  status?: number;
}
let mailPath = '';
const visits: Visit[] = [
  { name: 'the public start page', path: '/', as: null, heading: 'Teknikprao – möt människorna bakom jobben' },
  { name: 'the sign-in page', path: '/login', as: null, heading: 'Logga in' },
  { name: 'the forgotten-password page', path: '/password/forgot', as: null, heading: 'Glömt lösenord' },
  { name: 'a page that does not exist', path: '/finns-inte', as: null, heading: 'Sidan finns inte.', status: 404 },
  { name: "the coordinator's network page", path: '/network', as: 'coordinator', heading: 'Tekniknätet Värmland' },
  { name: 'a network page with requests to join', path: '/network', as: 'coordinatorWithRequests', heading: 'Framtidsnätet Skaraborg' },
  { name: 'the company page', path: '/company', as: 'company', heading: 'Nordljus Energi AB' },
  { name: 'the school page', path: '/school', as: 'counsellor', heading: 'Solbackeskolan' },
  { name: "the admin's list of networks", path: '/admin/networks', as: 'admin', heading: 'Nätverk' },
  { name: 'the e-mail outbox', path: '/admin/outbox', as: 'admin', heading: 'Utkorg för e-post' },
  { name: 'an e-mail in the outbox', path: () => mailPath, as: 'admin', heading: 'Du är inbjuden till Teknikprao' },
  { name: 'the account page with an API key', path: '/account', as: 'counsellor', heading: 'Mitt konto' },
  { name: 'the invitations page', path: '/invitations', as: 'coordinator', heading: 'Bjud in' },
];

let app: RunningApp;
let browser: Browser;
const tabs = new Map<string, Promise<Page>>();

/** One browser tab per person and screen size, signed in once and reused. */
function tabFor(as: DemoRole | null, viewport: Viewport): Promise<Page> {
  const key = `${as ?? 'visitor'}@${viewport.width}`;
  let tab = tabs.get(key);
  if (!tab) {
    tab = newWindow(browser, app.baseUrl, viewport).then(async (window) => {
      const page = await window.newPage();
      if (as) await signIn(page, as);
      return page;
    });
    tabs.set(key, tab);
  }
  return tab;
}

/** Opens the page and makes sure it is the page we meant (not, say, the sign-in page). */
async function open(visit: Visit, viewport: Viewport): Promise<Page> {
  const page = await tabFor(visit.as, viewport);
  const response = await page.goto(typeof visit.path === 'string' ? visit.path : visit.path());
  expect(response?.status()).toBe(visit.status ?? 200);
  expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(visit.heading);
  return page;
}

/** Pages look their busiest with something in them: an open invitation, a queued e-mail, an API key. */
async function fillWithActivity(): Promise<void> {
  const coordinator = await tabFor('coordinator', DESKTOP);
  await coordinator.goto('/invitations');
  await coordinator.getByLabel('E-postadress').fill('ny.kollega@nordljus.example');
  await coordinator.getByLabel('Bjud in som').selectOption({ label: 'Företagskontakt – Nordljus Energi AB' });
  await coordinator.getByRole('button', { name: 'Skicka inbjudan' }).click();
  await coordinator.getByRole('status').waitFor();

  const counsellor = await tabFor('counsellor', DESKTOP);
  await counsellor.goto('/account');
  await counsellor.getByLabel('Vad ska nyckeln användas till?').fill('Skolans schema');
  await counsellor.getByRole('button', { name: 'Skapa nyckel' }).click();
  await counsellor.getByRole('status').waitFor();

  const admin = await tabFor('admin', DESKTOP);
  await admin.goto('/admin/outbox');
  mailPath = (await admin.getByRole('link', { name: 'Du är inbjuden till Teknikprao' }).getAttribute('href')) ?? '';
}

beforeAll(async () => {
  [app, browser] = await Promise.all([startApp(), launchBrowser()]);
  await fillWithActivity();
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

for (const visit of visits) {
  describe(visit.name, () => {
    it('has no serious accessibility problems on a phone', async () => {
      await expectNoSeriousViolations(await open(visit, PHONE));
    });

    it('has no serious accessibility problems on a desktop screen', async () => {
      await expectNoSeriousViolations(await open(visit, DESKTOP));
    });

    it('fits a 390 px wide phone without scrolling sideways', async () => {
      await expectNoSidewaysScroll(await open(visit, PHONE));
    });
  });
}

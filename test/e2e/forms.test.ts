import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectNoSeriousViolations,
  expectNoSidewaysScroll,
  launchBrowser,
  newWindow,
  PHONE,
  signIn,
  startApp,
  type DemoRole,
  type RunningApp,
} from './support.ts';

/** Forms sent with mistakes, on a phone: each comes back with what to fix. */
interface Mistake {
  name: string;
  as: DemoRole | null;
  path: string;
  button: string;
  /** Field id (without "f-") → the message shown beside it. */
  errors: Record<string, string>;
}
const mistakes: Mistake[] = [
  {
    name: 'the sign-in form sent empty',
    as: null,
    path: '/login',
    button: 'Logga in',
    errors: { email: 'Fyll i e-postadress.', password: 'Fyll i lösenord.' },
  },
  {
    name: 'the invite form sent without an e-mail address',
    as: 'coordinator',
    path: '/invitations',
    button: 'Skicka inbjudan',
    errors: { email: 'Fyll i e-postadress.' },
  },
  {
    // Two forms on one page ask for a name: the messages must point at the school form's fields.
    name: 'the add-a-school form sent empty',
    as: 'coordinator',
    path: '/network',
    button: 'Lägg till skola',
    errors: { 'school-name': 'Fyll i namn.', 'school-municipality': 'Fyll i kommun.' },
  },
];

let app: RunningApp;
let browser: Browser;
beforeAll(async () => {
  [app, browser] = await Promise.all([startApp(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

for (const mistake of mistakes) {
  describe(mistake.name, () => {
    let page: Page;
    let status: number | undefined;
    beforeAll(async () => {
      page = await (await newWindow(browser, app.baseUrl, PHONE)).newPage();
      if (mistake.as) await signIn(page, mistake.as);
      await page.goto(mistake.path);
      const [response] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST'),
        page.getByRole('button', { name: mistake.button }).click(),
      ]);
      status = response.status();
      await page.waitForLoadState('load');
    });

    it('comes back with status 422', () => {
      expect(status).toBe(422);
    });

    it('lists every mistake at the top, each linking to its field', async () => {
      const summary = page.getByRole('alert').filter({ hasText: 'Något behöver rättas till' });
      const links = await summary.getByRole('link').evaluateAll((all) => all.map((a) => [a.getAttribute('href'), a.textContent]));
      expect(Object.fromEntries(links)).toEqual(
        Object.fromEntries(Object.entries(mistake.errors).map(([id, text]) => [`#f-${id}`, text])),
      );
    });

    it('shows each message beside its field and marks the field as wrong', async () => {
      for (const [id, text] of Object.entries(mistake.errors)) {
        const field = page.locator(`#f-${id}`);
        expect(await field.getAttribute('aria-invalid')).toBe('true');
        expect(await field.getAttribute('aria-describedby')).toContain(`f-${id}-error`);
        expect(await page.locator(`#f-${id}-error`).textContent()).toBe(text);
      }
    });

    it('moves to the field when a message in the list is followed', async () => {
      const [id, text] = Object.entries(mistake.errors).at(-1)!;
      await page.getByRole('alert').getByRole('link', { name: text }).click();
      expect(await page.evaluate<string>('document.activeElement.id')).toBe(`f-${id}`);
    });

    it('has no serious accessibility problems', async () => {
      await expectNoSeriousViolations(page);
    });

    it('fits a 390 px wide phone without scrolling sideways', async () => {
      await expectNoSidewaysScroll(page);
    });
  });
}

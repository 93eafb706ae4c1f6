import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/demo/seed.ts';
import { DEMO, expectNoSeriousViolations, launchBrowser, newWindow, PHONE, startApp, type RunningApp } from './support.ts';

// One counsellor's visit on a phone, step by step: each `it` continues where the last one stopped.
let app: RunningApp;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  [app, browser] = await Promise.all([startApp(), launchBrowser()]);
  page = await (await newWindow(browser, app.baseUrl, PHONE)).newPage();
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

const language = () => page.locator('html').getAttribute('lang');
const heading = () => page.getByRole('heading', { level: 1 }).textContent();

describe('a counsellor on a phone', () => {
  it('sees the sign-in page in Swedish', async () => {
    await page.goto('/login');
    expect(await language()).toBe('sv');
    expect(await heading()).toBe('Logga in');
  });

  it('finds no serious accessibility problems on the sign-in page', async () => {
    await expectNoSeriousViolations(page);
  });

  it('signs in and lands on the page of their school', async () => {
    await page.getByLabel('E-postadress').fill(DEMO.counsellor);
    await page.getByLabel('Lösenord').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Logga in' }).click();
    await page.waitForURL('**/school');
    expect(await heading()).toBe('Solbackeskolan');
    expect(await page.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link', { name: 'Min skola' }).isVisible()).toBe(true);
  });

  it('finds no serious accessibility problems on the school page', async () => {
    await expectNoSeriousViolations(page);
  });

  it('switches the page to English with the button in the header', async () => {
    await page.getByRole('button', { name: 'In English' }).click();
    await page.locator('html[lang="en"]').waitFor();
    expect(new URL(page.url()).pathname).toBe('/school');
    expect(await page.getByRole('heading', { name: 'About the school' }).isVisible()).toBe(true);
    expect(await page.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'My school' }).isVisible()).toBe(true);
  });

  it('finds no serious accessibility problems on the English school page', async () => {
    await expectNoSeriousViolations(page);
  });

  it('still shows English after a reload', async () => {
    await page.reload();
    expect(await language()).toBe('en');
    expect(await page.getByRole('button', { name: 'På svenska' }).isVisible()).toBe(true);
  });

  it('switches back to Swedish', async () => {
    await page.getByRole('button', { name: 'På svenska' }).click();
    await page.locator('html[lang="sv"]').waitFor();
    expect(new URL(page.url()).pathname).toBe('/school');
    expect(await page.getByRole('heading', { name: 'Om skolan' }).isVisible()).toBe(true);
  });
});

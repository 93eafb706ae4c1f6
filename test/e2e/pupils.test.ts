import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPage, openPage, DESKTOP, launchBrowser, PHONE, signIn, startApp, type RunningApp } from './support.ts';

/**
 * The pupil register in the browser: a counsellor reads in a class list (a CSV file as Excel
 * saves it: UTF-8 with BOM, semicolons, Swedish headers), sees every row before anything is
 * saved, gives the class its personal links and opens the printable sheet. The steps of the
 * desktop visit follow on from each other, in order.
 */
let app: RunningApp;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  [app, browser] = await Promise.all([startApp(), launchBrowser()]);
  page = await openPage(browser, app.baseUrl, DESKTOP);
  await signIn(page, 'counsellor');
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

/** A class list as Excel's "CSV UTF-8" saves it: a byte order mark, `;` between columns, CRLF. */
const csv = (...rows: string[]) => Buffer.from(`\uFEFF${['Förnamn;Efternamn;Klass', ...rows].join('\r\n')}\r\n`, 'utf8');

const GOOD = csv('Tove;Almgren;8C', 'Jonatan;Björk;8C', 'Märta;Öhman;8C');
/** Row 4 (the header is row 1) has a class without a number, so its grade cannot be known. */
const BAD = csv('Tove;Almgren;8C', 'Jonatan;Björk;8C', 'Märta;Öhman;C');
const ROW_4_PROBLEM = 'Rad 4: Fyll i årskurs. Den går inte att se på klassen C.';

/** Chooses the file in the import form and asks for the preview; returns the answer's status. */
async function preview(p: Page, file: Buffer): Promise<number> {
  await p.getByLabel('Fil med klasslista').setInputFiles({ name: 'klasslista.csv', mimeType: 'text/csv', buffer: file });
  const [response] = await Promise.all([
    p.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/school/pupils/import'),
    p.getByRole('button', { name: 'Visa vad som läses in' }).click(),
  ]);
  await p.waitForLoadState('load');
  return response.status();
}

const confirmButton = (p: Page) => p.getByRole('button', { name: /^Lägg till eleverna/ });
const rowsTable = (p: Page) => p.getByRole('table', { name: 'Alla rader' });

describe('a counsellor reads in a class list on a computer', () => {
  it('opens the pupil register and the import page', async () => {
    await page.goto('/school/pupils');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Elever');
    await checkPage(page);
    await page.getByRole('link', { name: 'Läs in klasslista' }).click();
    await page.waitForURL('**/school/pupils/import');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Läs in klasslista');
    await checkPage(page);
  });

  it('sees the problem of a bad row and is offered no way to confirm', async () => {
    expect(await preview(page, BAD)).toBe(422);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Kolla klasslistan');
    expect(await page.getByRole('alert').filter({ hasText: 'Rader med fel' }).getByRole('link', { name: ROW_4_PROBLEM }).count()).toBe(1);
    const badRow = page.locator('#row-4');
    expect(await badRow.textContent()).toContain('Märta Öhman');
    expect(await badRow.textContent()).toContain('Fel');
    // The good rows are shown too, read correctly despite the BOM and the Swedish letters.
    expect(await rowsTable(page).getByRole('row', { name: /Jonatan Björk/ }).textContent()).toContain('Ny');
    expect(await confirmButton(page).count()).toBe(0);
    expect(await page.locator('input[name="csvContent"]').count()).toBe(0);
    await checkPage(page);
  });

  it('reads in a corrected file and sees every row before anything is saved', async () => {
    expect(await preview(page, GOOD)).toBe(200);
    expect(await page.getByText('Rader: 3. Nya elever: 3. Finns redan: 0. Med fel: 0.').count()).toBe(1);
    for (const name of ['Tove Almgren', 'Jonatan Björk', 'Märta Öhman']) {
      expect(await rowsTable(page).getByRole('row', { name: new RegExp(name) }).textContent()).toContain('Klass 8C');
    }
    expect(await page.getByRole('alert').count()).toBe(0);
    const saved = await app.ctx.db.selectFrom('pupils').select('id').where('class_name', '=', '8C').execute();
    expect(saved).toHaveLength(0);
    await checkPage(page);
  });

  it('confirms and finds the pupils in the register under their class', async () => {
    await Promise.all([page.waitForURL(/\/school\/pupils\?/), confirmButton(page).click()]);
    expect(await page.getByRole('status').textContent()).toContain('Klart! Tillagda elever: 3.');
    // The register lists pupils as "Efternamn, Förnamn".
    const table = page.getByRole('table', { name: 'Klass 8C' });
    for (const name of ['Almgren, Tove', 'Björk, Jonatan', 'Öhman, Märta']) expect(await table.getByRole('link', { name }).count()).toBe(1);
    expect(await table.getByRole('row', { name: /Almgren, Tove/ }).getByRole('cell').first().textContent()).toBe('Åk 8');
    await checkPage(page);
  });

  it('gives the class its personal links from the printable class sheet', async () => {
    await page.getByRole('link', { name: 'Skriv ut länkar för 8C' }).click();
    await page.waitForURL(/\/school\/pupils\/links\?class=8C$/);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Personliga länkar för 8C');
    expect(await page.getByText('Elever som inte har någon länk än: 3.').count()).toBe(1);
    expect(await page.locator('.link-card-url').count()).toBe(0);
    await checkPage(page);
    await Promise.all([page.waitForURL(/notice=links_issued/), page.getByRole('button', { name: 'Skapa länkar för dem som saknar' }).click()]);
    expect(await page.getByRole('status').textContent()).toContain('Klart! Elever som fick en länk: 3.');
    const urls = await page.locator('.link-card-url').allTextContents();
    expect(urls).toHaveLength(3);
    for (const url of urls) expect(url.trim()).toMatch(/^http:\/\/teknikprao\.test\/p\/[\w-]{43}$/);
    expect(await page.getByRole('heading', { level: 2, name: 'Märta Öhman' }).count()).toBe(1);
    await checkPage(page);
  });

  it('prints the sheet as cards only, without the menus and buttons', async () => {
    await page.emulateMedia({ media: 'print' });
    try {
      expect(await page.locator('.link-card').first().isVisible()).toBe(true);
      expect(await page.getByRole('link', { name: 'Välj en annan klass' }).isVisible()).toBe(false);
      expect(await page.locator('.site-header').isVisible()).toBe(false);
    } finally {
      await page.emulateMedia({ media: 'screen' });
    }
  });

  it('hands out a link that opens the pupil’s own page', async () => {
    const card = page.locator('.link-card').filter({ hasText: 'Märta Öhman' });
    const path = new URL((await card.locator('.link-card-url').textContent())!.trim()).pathname;
    const pupil = await openPage(browser, app.baseUrl, PHONE);
    await pupil.goto(path);
    expect(await pupil.getByRole('heading', { level: 1 }).textContent()).toBe('Hej Märta!');
    await pupil.context().close();
  });
});

describe('the pupil register on a phone', () => {
  let phone: Page;
  beforeAll(async () => {
    phone = await openPage(browser, app.baseUrl, PHONE);
    await signIn(phone, 'counsellor');
  });

  it('lists the classes readably, without sideways scrolling', async () => {
    await phone.goto('/school/pupils');
    expect(await phone.getByRole('table', { name: 'Klass 8C' }).getByRole('link', { name: 'Öhman, Märta' }).count()).toBe(1);
    expect(await phone.getByRole('table', { name: 'Klass 8A' }).count()).toBe(1);
    await checkPage(phone);
  });

  it('shows an import preview with pupils already there and a bad row, without sideways scrolling', async () => {
    await phone.goto('/school/pupils/import');
    await checkPage(phone);
    // Tove and Jonatan are in the register since the visit above: their rows are skipped.
    expect(await preview(phone, BAD)).toBe(422);
    expect(await phone.getByText(ROW_4_PROBLEM).count()).toBeGreaterThanOrEqual(1);
    expect(await rowsTable(phone).getByRole('row', { name: /Tove Almgren/ }).textContent()).toContain('Finns redan – hoppas över');
    await checkPage(phone);
  });

  it('shows the class sheet without sideways scrolling', async () => {
    await phone.goto('/school/pupils/links?class=8C');
    expect(await phone.locator('.link-card').count()).toBe(3);
    await checkPage(phone);
  });
});

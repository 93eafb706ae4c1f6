import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preparePortrait } from '../../src/stories/portrait.ts';
import { setPortrait } from '../../src/stories/portrait.service.ts';
import { makeUser } from '../support/factories.ts';
import { makeStory } from '../support/stories.ts';
import { expectNoSeriousViolations, expectNoSidewaysScroll, launchBrowser, newWindow, PHONE, signIn, startApp, type RunningApp } from './support.ts';

let app: RunningApp;
let browser: Browser;
beforeAll(async () => {
  [app, browser] = await Promise.all([startApp(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

const photo = () => sharp({ create: { width: 900, height: 1200, channels: 3, background: { r: 30, g: 90, b: 160 } } }).jpeg().toBuffer();

describe('a coordinator publishes a story', () => {
  let page: Page;
  beforeAll(async () => {
    page = await (await newWindow(browser, app.baseUrl, PHONE)).newPage();
    await signIn(page, 'company');
  });

  it('writes the story with its path, consent and publishing, and sees it saved', async () => {
    await page.goto('/company/stories');
    await expectNoSeriousViolations(page);
    await page.getByRole('link', { name: 'Skriv en ny berättelse' }).click();
    await expectNoSeriousViolations(page);
    await expectNoSidewaysScroll(page);

    await page.getByLabel('Namn som visas').fill('Hedda');
    await page.getByLabel('Yrke', { exact: true }).fill('Automationstekniker');
    await page.getByLabel('Pronomen').fill('hon');
    const step1 = page.getByRole('group', { name: 'Steg 1' });
    await step1.getByLabel('Typ av steg').selectOption({ label: 'Gymnasiet' });
    await step1.getByLabel('Titel').fill('Teknikprogrammet');
    await step1.getByLabel('Plats').fill('Karlstad');
    await step1.getByLabel('Gymnasieprogram').selectOption({ label: 'Teknikprogrammet' });
    await step1.getByLabel('Från år').fill('2015');
    await step1.getByLabel('Till år').fill('2018');
    const step2 = page.getByRole('group', { name: 'Steg 2' });
    await step2.getByLabel('Typ av steg').selectOption({ label: 'Jobb' });
    await step2.getByLabel('Titel').fill('Automationstekniker på Nordljus');
    await step2.getByLabel('Från år').fill('2019');
    await page.getByLabel('En dag på jobbet').fill('Jag programmerar robotarna som packar pelletsen.');
    await page.getByLabel('Det här önskar jag att jag visste när jag var 14').fill('Att teknik handlar om att lösa problem tillsammans.');
    await page.getByLabel('Produktion och mekanik').check();
    await page.getByLabel('Personen har sagt ja till att berättelsen visas').check();
    await page.getByLabel('Visa berättelsen för elever').check();
    await Promise.all([page.waitForURL(/\/company\/stories\/[^/]+\?notice=saved$/), page.getByRole('button', { name: 'Spara' }).click()]);

    await expect.poll(() => page.getByRole('status').textContent()).toBe('Berättelsen är sparad.');
    expect(await page.getByRole('group', { name: 'Steg 2' }).getByLabel('Titel').inputValue()).toBe('Automationstekniker på Nordljus');
    expect(await page.getByText('Samtycke gavs av Hedda').count()).toBeGreaterThan(0);
    await expectNoSeriousViolations(page);
    await expectNoSidewaysScroll(page);
  });

  it('adds a portrait from the story’s page', async () => {
    await page.getByLabel('Välj en bild').setInputFiles({ name: 'hedda.jpg', mimeType: 'image/jpeg', buffer: await photo() });
    await Promise.all([page.waitForURL(/notice=portrait_saved/), page.getByRole('button', { name: 'Ladda upp bilden' }).click()]);
    expect(await page.getByRole('status').textContent()).toBe('Porträttet är sparat.');
    const size = await page.getByRole('img', { name: 'Porträtt av Hedda' }).evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth);
    expect(size).toBe(600);
  });

  it('finds the story in the library', async () => {
    await page.getByRole('link', { name: 'Se berättelsen så som elever ser den' }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Hedda');
    expect(await page.getByText('Automationstekniker på Nordljus Energi AB').count()).toBe(1);
    await expectNoSeriousViolations(page);
  });
});

describe('a pupil on a phone-sized viewport reads the story', () => {
  let page: Page;
  let storyName: string;
  beforeAll(async () => {
    const { ctx } = app;
    const nordljus = await ctx.db.selectFrom('companies').select('id').where('name', '=', 'Nordljus Energi AB').executeTakeFirstOrThrow();
    const coordinator = await makeUser(ctx.db, ctx.config, 'company_coordinator', nordljus.id);
    storyName = 'Ellinor Testsson';
    const story = await makeStory(ctx, coordinator, {
      name: storyName,
      title: 'Elkraftingenjör',
      path: [
        { kind: 'grundskola', title: 'Högstadiet', place: 'Kil', fromYear: 2006, toYear: 2009 },
        { kind: 'gymnasium', title: 'Teknikprogrammet', place: 'Karlstad', programme: 'TE', fromYear: 2009, toYear: 2012 },
        { kind: 'gap', title: 'Ett år som volontär i Norge med en mycket lång titel som måste få plats på en liten skärm', fromYear: 2012, toYear: 2013 },
        { kind: 'university', title: 'Högskoleingenjör i elkraft', place: 'Karlstads universitet', fromYear: 2013, toYear: 2016 },
        { kind: 'job', title: 'Elkraftingenjör', place: 'Nordljus Energi', fromYear: 2016 },
      ],
    });
    await setPortrait(ctx.db, coordinator, story.id, await preparePortrait(await photo(), 'ellinor.jpg'), ctx.clock.now());
    page = await (await newWindow(browser, app.baseUrl, PHONE)).newPage();
  });

  it('chooses a region in the library', async () => {
    await page.goto('/library');
    await expectNoSeriousViolations(page);
    await expectNoSidewaysScroll(page);
    await page.getByRole('link', { name: /Tekniknätet Värmland/ }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Berättelser – Tekniknätet Värmland');
    await expectNoSeriousViolations(page);
    await expectNoSidewaysScroll(page);
  });

  it('asks where Teknikprogrammet can take them and finds the story', async () => {
    await page.getByLabel('Gymnasieprogram').selectOption({ label: 'Teknikprogrammet' });
    await Promise.all([page.waitForURL(/programme=TE/), page.getByRole('button', { name: 'Visa', exact: true }).click()]);
    expect(await page.getByText('De här personerna gick Teknikprogrammet.').count()).toBe(1);
    expect(await page.getByRole('link', { name: storyName }).count()).toBe(1);
    await expectNoSeriousViolations(page);
    await expectNoSidewaysScroll(page);
  });

  it('reads the story: the path as a list in order, the texts and the portrait', async () => {
    await page.getByRole('link', { name: storyName }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(storyName);
    const path = page.getByRole('region', { name: 'Min väg till jobbet' }).getByRole('list');
    const steps = await path.getByRole('listitem').allTextContents();
    expect(steps).toHaveLength(5);
    expect(steps[1]).toContain('Teknikprogrammet');
    expect(steps[4]).toContain('Sedan 2016');
    expect(await page.getByRole('heading', { name: 'Det här önskar jag att jag visste när jag var 14' }).count()).toBe(1);
    expect(await page.getByRole('img', { name: `Porträtt av ${storyName}` }).evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth > 0)).toBe(true);
    expect(await page.getByRole('heading', { name: `Prao-pass med ${storyName}` }).count()).toBe(1);
    await expectNoSeriousViolations(page);
    await expectNoSidewaysScroll(page);
  });
});

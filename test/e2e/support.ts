import type { AxeResults } from 'axe-core';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { DEMO_PASSWORD, seedDemoData } from '../../src/demo/seed.ts';
import { createTestContext, type TestContext } from '../support/app.ts';

/** Browser tests drive the system Chromium; playwright never downloads one. */
export const CHROMIUM = '/usr/bin/chromium';

/** Without the background-networking flags Chromium waits for the network and hangs on a closed one. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const PHONE = { width: 390, height: 844 } as const;
export const DESKTOP = { width: 1280, height: 800 } as const;
export type Viewport = typeof PHONE | typeof DESKTOP;

/** The demo people, by the role they play in the tests. */
export const DEMO = {
  admin: 'admin@teknikprao.example',
  coordinator: 'samordnare.varmland@teknikprao.example',
  company: 'foretag@nordljus.example',
  counsellor: 'syv@solbacke.example',
  /** Coordinates the network that Solbackeskolan and Nordljus Energi have asked to join. */
  coordinatorWithRequests: 'samordnare.skaraborg@teknikprao.example',
  /** Skogslundsskolan's counsellor: the school whose pupils have wishes in the demo round. */
  skogslundCounsellor: 'syv@skogslund.example',
} as const;
export type DemoRole = keyof typeof DEMO;

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

export interface RunningApp {
  ctx: TestContext;
  baseUrl: string;
  close(): Promise<void>;
}

/** The real app on a free local port, with a fresh migrated database full of demo data. */
export async function startApp(): Promise<RunningApp> {
  const ctx = await createTestContext();
  await seedDemoData(ctx.db, ctx.config, ctx.clock.now());
  const server: Server = await new Promise((resolve) => {
    const listening = ctx.app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const { port } = server.address() as AddressInfo;
  return {
    ctx,
    baseUrl: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
      await ctx.close();
    },
  };
}

/**
 * A fresh browser window. The app's CSP allows only its own scripts, and axe-core is
 * injected as an inline script, so the test window bypasses CSP (the app is unchanged).
 */
export function newWindow(browser: Browser, baseUrl: string, viewport: Viewport = PHONE): Promise<BrowserContext> {
  return browser.newContext({ baseURL: baseUrl, viewport, bypassCSP: true, locale: 'sv-SE' });
}

/** Signs in through the sign-in form, as a person would. */
export async function signIn(page: Page, role: DemoRole): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('E-postadress').fill(DEMO[role]);
  await page.getByLabel('Lösenord').fill(DEMO_PASSWORD);
  await Promise.all([page.waitForURL((url) => url.pathname !== '/login'), page.getByRole('button', { name: 'Logga in' }).click()]);
}

const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const BLOCKING_IMPACTS = new Set(['serious', 'critical']);

/**
 * Runs axe-core on the page and fails listing every serious or critical violation.
 * Repeated ids are checked here too: axe only marks them "needs review", yet a repeated id
 * ties a label or an error message to the wrong field.
 */
export async function expectNoSeriousViolations(page: Page): Promise<void> {
  await page.addScriptTag({ path: AXE_PATH });
  const results = await page.evaluate<AxeResults>('axe.run()');
  const report = results.violations
    .filter((v) => BLOCKING_IMPACTS.has(v.impact ?? ''))
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(' ')}`).join('\n')}`);
  const repeatedIds = await page.evaluate<string[]>(
    '[...document.querySelectorAll("[id]")].map((e) => e.id).filter((id, i, all) => all.indexOf(id) !== i)',
  );
  for (const id of new Set(repeatedIds)) report.push(`duplicate-id (serious): more than one element has id="${id}"`);
  if (report.length > 0) throw new Error(`axe found ${report.length} serious problem(s) on ${page.url()}:\n${report.join('\n')}`);
}

/** The page can be read on a phone without scrolling sideways. */
export async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const width = page.viewportSize()?.width ?? 0;
  const scrollWidth = await page.evaluate<number>('document.documentElement.scrollWidth');
  expect(scrollWidth, `page ${page.url()} is wider than the ${width}px screen`).toBeLessThanOrEqual(width);
}

/** A fresh window whose actions fail fast (5 s) rather than wait out the test. */
export async function openPage(browser: Browser, baseUrl: string, viewport: Viewport): Promise<Page> {
  const page = await (await newWindow(browser, baseUrl, viewport)).newPage();
  page.setDefaultTimeout(5_000);
  return page;
}

/** Checks what every page must be: no serious axe findings, and no sideways scrolling on a phone. */
export async function checkPage(page: Page): Promise<void> {
  await expectNoSeriousViolations(page);
  if (page.viewportSize()?.width === PHONE.width) await expectNoSidewaysScroll(page);
}

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoSeriousViolations, expectNoSidewaysScroll, launchBrowser, PHONE } from './support.ts';

// The page checks must be able to fail: here they meet pages that are broken on purpose.
let browser: Browser;
let page: Page;
beforeAll(async () => {
  browser = await launchBrowser();
  page = await (await browser.newContext({ viewport: PHONE })).newPage();
});
afterAll(() => browser?.close());

describe('the page checks', () => {
  it('name each serious accessibility problem with its impact, help text and element', async () => {
    await page.setContent('<html lang="sv"><body><main><h1>Prov</h1><img src="bild.png"><input id="namn"></main></body></html>');
    const failure = await expectNoSeriousViolations(page).catch((error: Error) => error.message);
    expect(failure).toContain('image-alt (critical): Images must have alternative text');
    expect(failure).toContain('label (critical): Form elements must have labels');
    expect(failure).toContain('    #namn');
  });

  it('report an id used by more than one element', async () => {
    await page.setContent('<html lang="sv"><body><main><h1>Prov</h1><p id="dubbel">a</p><p id="dubbel">b</p></main></body></html>');
    const failure = await expectNoSeriousViolations(page).catch((error: Error) => error.message);
    expect(failure).toContain('more than one element has id="dubbel"');
  });

  it('pass a page without problems', async () => {
    await page.setContent('<html lang="sv"><head><title>Prov</title></head><body><main><h1>Prov</h1></main></body></html>');
    await expectNoSeriousViolations(page);
  });

  it('report a page wider than the phone', async () => {
    await page.setContent('<html lang="sv"><body><div style="width: 600px">bred</div></body></html>');
    const failure = await expectNoSidewaysScroll(page).catch((error: Error) => error.message);
    expect(failure).toContain('wider than the 390px screen');
  });
});

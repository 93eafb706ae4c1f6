import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPage, launchBrowser, openPage, PHONE, signIn, startApp, type RunningApp } from './support.ts';

/**
 * The demo round "Prao vt 2027" (Skaraborg) with its wishes closed and its free-booking day
 * passed (TEST_NOW is Tuesday 16 March 2027, 09.00), but no committed allocation: the
 * coordinator is told on the round's page, which still reads well on a phone.
 */
let app: RunningApp;
let browser: Browser;
let roundId: string;

beforeAll(async () => {
  [app, browser] = await Promise.all([startApp(), launchBrowser()]);
  const row = await app.ctx.db.selectFrom('rounds').select('id').where('name', '=', 'Prao vt 2027').executeTakeFirstOrThrow();
  roundId = row.id;
  await app.ctx.db
    .updateTable('rounds')
    .set({ wishes_close_at: '2027-03-15T23:00:00.000Z', allocation_planned_at: null, free_booking_opens_at: '2027-03-16T07:00:00.000Z', committed_allocation_id: null })
    .where('id', '=', roundId)
    .execute();
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe("the coordinator's round page after free booking opened without an allocation", () => {
  it('warns in plain Swedish, and passes axe on a phone without sideways scrolling', async () => {
    const page = await openPage(browser, app.baseUrl, PHONE);
    await signIn(page, 'coordinatorWithRequests');
    await page.goto(`/network/rounds/${roundId}`);
    await expect(page.locator('.notice-warn').textContent()).resolves.toContain('fast fördelningen inte är fastställd');
    await checkPage(page);
    await page.context().close();
  });
});

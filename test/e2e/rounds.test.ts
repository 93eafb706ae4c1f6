import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueLink } from '../../src/pupils/links.ts';
import { listPupilsOfSchool, type Pupil } from '../../src/pupils/pupils.service.ts';
import type { AllocationMetrics } from '../../src/scheduler/allocation.ts';
import { placementsForPupil, placementsOfRound, type Placement } from '../../src/scheduler/placements.ts';
import type { Round } from '../../src/scheduler/round.ts';
import { findRound } from '../../src/scheduler/rounds.repository.ts';
import { toDbInstant } from '../../src/time/stockholm.ts';
import { checkPage, openPage, DEMO, DESKTOP, launchBrowser, PHONE, signIn, startApp, type RunningApp } from './support.ts';

/**
 * A prao round in the browser, on the demo data with a fixed clock (Tuesday 16 March 2027, see
 * test/support/app.ts): the Skaraborg round "Prao vt 2027" is open for wishes. A pupil of
 * Skogslundsskolan who has not chosen yet ranks wishes from their personal link on a phone; the
 * school's counsellor sees them and enters another pupil's wishes; the network coordinator runs
 * the allocation with a fixed seed before the window closes, checks the preview and commits it
 * (closing the wishes then, as the form asks);
 * then the pupil and the counsellor see the result. The steps follow on from each other, in order.
 */
let app: RunningApp;
let browser: Browser;
let round: Round;
/** Skogslund's pupils in class-list order; the pupil who ranks wishes and a classmate, neither with wishes yet. */
let pupils: Pupil[];
let pupil: Pupil;
let classmate: Pupil;
let token: string;
/** The three placements the pupil adds: a slot, another slot, a series of two mornings. */
let first: Placement;
let second: Placement;
let series: Placement;
/** How many placements the pupil may choose from. */
let offered: number;
let allocationId: string;

const ROUND = 'Prao vt 2027';
const SCHOOL = 'Skogslundsskolan';
const SEED = 4711;

beforeAll(async () => {
  [app, browser] = await Promise.all([startApp(), launchBrowser()]);
  const { db, config, clock } = app.ctx;
  const row = await db.selectFrom('rounds').select('id').where('name', '=', ROUND).executeTakeFirstOrThrow();
  round = (await findRound(db, row.id))!;
  const school = round.schools.find((s) => s.schoolName === SCHOOL)!;
  pupils = await listPupilsOfSchool(db, school.schoolId);
  const wishing = new Set((await db.selectFrom('round_wishes').select('pupil_id').where('round_id', '=', round.id).execute()).map((w) => w.pupil_id));
  const withoutWishes = pupils.filter((p) => !wishing.has(p.id) && p.grade === '8');
  expect(withoutWishes.length).toBeGreaterThanOrEqual(2);
  [pupil, classmate] = [withoutWishes[0]!, withoutWishes[1]!];
  token = await issueLink(db, config.sessionSecret, pupil.id, clock.now());
  const choices = placementsForPupil((await placementsOfRound(db, round, clock.now())).bySchool, school.schoolId, pupil.grade);
  const slots = choices.filter((p) => p.kind === 'slot' && p.hosts.length > 0);
  offered = choices.length;
  series = choices.find((p) => p.kind === 'series')!;
  [first, second] = [slots[slots.length - 2]!, slots[slots.length - 1]!];
  expect([first, second, series].every(Boolean)).toBe(true);
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

/** Clicks a button that posts, and waits until the page it redirects to has loaded. */
async function press(page: Page, button: ReturnType<Page['getByRole']>, url: RegExp) {
  await Promise.all([page.waitForURL(url), button.click()]);
  await page.waitForLoadState('load');
}

const name = (p: Pupil) => `${p.givenName} ${p.familyName}`;
const storedWishes = (pupil: Pupil) =>
  app.ctx.db.selectFrom('round_wishes').select(['rank', 'placement_id', 'placement_kind', 'entered_by']).where('round_id', '=', round.id).where('pupil_id', '=', pupil.id).orderBy('rank').execute();

describe('a pupil ranks wishes with their personal link, on a phone', () => {
  let phone: Page;
  const saved = () => new RegExp(`/p/${token}/wishes\\?saved=${round.id}(#round-${round.id})?$`);
  /** The pupil's list as it reads, without the rank numbers (which are only there for the eye). */
  const list = () => phone.locator(`#round-${round.id} .wish-list .wish-text`).allTextContents();
  const addButton = (p: Placement) => phone.locator('.wish-choice').filter({ has: phone.locator(`input[name="placementId"][value="${p.id}"]`) }).getByRole('button');

  beforeAll(async () => {
    phone = await openPage(browser, app.baseUrl, PHONE);
  });

  it('finds the way from their own page to the wishes', async () => {
    expect((await phone.goto(`/p/${token}`))?.status()).toBe(200);
    expect(await phone.getByRole('heading', { level: 1 }).textContent()).toBe(`Hej ${pupil.givenName}!`);
    const teaser = phone.getByRole('region', { name: 'Välj din prao' });
    expect(await teaser.textContent()).toContain(`Nu kan du välja vilka prao-platser du helst vill ha i ${ROUND}.`);
    await checkPage(phone);
    await Promise.all([phone.waitForURL(`**/p/${token}/wishes`), teaser.getByRole('link', { name: 'Välj dina önskemål' }).click()]);
    expect(await phone.getByRole('heading', { level: 1 }).textContent()).toBe('Mina prao-önskemål');
    expect(await phone.getByRole('heading', { level: 2, name: ROUND }).count()).toBe(1);
    expect(await phone.getByText('Du har inte valt något än.').count()).toBe(1);
    await checkPage(phone);
  });

  it('reads the choices and the story of a host behind one of them', async () => {
    const choices = phone.locator('.wish-choice');
    expect(await choices.count()).toBe(offered);
    const choice = choices.filter({ has: phone.locator(`input[name="placementId"][value="${first.id}"]`) });
    expect(await choice.getByRole('heading', { level: 4 }).textContent()).toBe(first.companyName);
    const host = first.hosts[0]!;
    const story = choice.getByRole('link', { name: `Läs om ${host.displayName}, ${host.roleTitle}` });
    expect(await story.getAttribute('href')).toBe(`/stories/${host.storyId}`);
    // The series shows each of its mornings.
    const when = phone.locator('.wish-choice').filter({ has: phone.locator(`input[name="placementId"][value="${series.id}"]`) }).locator('dd').first();
    expect(await when.locator('br').count()).toBe(series.times.length - 1);
    await Promise.all([phone.waitForURL(`**/stories/${host.storyId}`), story.click()]);
    expect(await phone.getByRole('heading', { level: 1 }).textContent()).toContain(host.displayName);
    await checkPage(phone);
    await Promise.all([phone.waitForURL(`**/p/${token}/wishes`), phone.goBack()]);
  });

  it('adds three wishes, one at a time', async () => {
    for (const [i, p] of [first, second, series].entries()) {
      const button = addButton(p);
      expect(await button.textContent()).toContain(`Lägg till som önskemål ${i + 1}`);
      await press(phone, button, saved());
      expect(await phone.getByRole('status').textContent()).toContain('Sparat! Du kan ändra dig fram till');
      await checkPage(phone);
    }
    const texts = await list();
    expect(texts).toHaveLength(3);
    [first, second, series].forEach((p, i) => expect(texts[i]).toContain(p.companyName));
    // What is chosen is no longer offered.
    expect(await phone.locator('.wish-choice').count()).toBe(offered - 3);
  });

  it('moves the third wish up and removes the first', async () => {
    await press(phone, phone.getByRole('button', { name: /^Upp – Nummer 3:/ }), saved());
    expect((await storedWishes(pupil)).map((w) => w.placement_id)).toEqual([first.id, series.id, second.id]);
    await checkPage(phone);
    await press(phone, phone.getByRole('button', { name: /^Ta bort – Nummer 1:/ }), saved());
    await checkPage(phone);
    const texts = await list();
    expect(texts).toHaveLength(2);
    expect(texts[0]).toContain(series.companyName);
    expect(texts[1]).toContain(second.companyName);
    // The first wish cannot move further up, the last not further down.
    expect(await phone.getByRole('button', { name: /^Upp – Nummer 1:/ }).count()).toBe(0);
    expect(await phone.getByRole('button', { name: /^Ner – Nummer 2:/ }).count()).toBe(0);
  });

  it('has the list stored in that order, entered by the pupil', async () => {
    expect(await storedWishes(pupil)).toEqual([
      { rank: 1, placement_id: series.id, placement_kind: 'series', entered_by: null },
      { rank: 2, placement_id: second.id, placement_kind: 'slot', entered_by: null },
    ]);
  });
});

describe('the counsellor', () => {
  let counsellor: Page;
  let counsellorId: string;
  beforeAll(async () => {
    counsellor = await openPage(browser, app.baseUrl, DESKTOP);
    await signIn(counsellor, 'skogslundCounsellor');
    counsellorId = (await app.ctx.db.selectFrom('users').select('id').where('email', '=', DEMO.skogslundCounsellor).executeTakeFirstOrThrow()).id;
  });
  const rowOf = (pupil: Pupil) => counsellor.getByRole('row').filter({ has: counsellor.getByRole('rowheader', { name: new RegExp(`^${name(pupil)}`) }) });

  it('opens the round and sees the pupil’s wishes in order', async () => {
    await counsellor.goto('/school/rounds');
    await checkPage(counsellor);
    await Promise.all([counsellor.waitForURL(`**/school/rounds/${round.id}`), counsellor.getByRole('link', { name: ROUND }).click()]);
    expect(await counsellor.getByRole('heading', { level: 1 }).textContent()).toBe(ROUND);
    const wishes = await rowOf(pupil).locator('.wish-summary li').allTextContents();
    expect(wishes).toHaveLength(2);
    expect(wishes[0]).toContain(series.companyName);
    expect(wishes[1]).toContain(second.companyName);
    expect(await rowOf(classmate).textContent()).toContain('inga önskemål');
    await checkPage(counsellor);
  });

  it('enters another pupil’s wishes with the select boxes', async () => {
    await Promise.all([
      counsellor.waitForURL(`**/school/rounds/${round.id}/pupils/${classmate.id}/wishes`),
      rowOf(classmate).getByRole('link', { name: `Ändra önskemål – ${name(classmate)}` }).click(),
    ]);
    expect(await counsellor.getByRole('heading', { level: 1 }).textContent()).toBe(`Önskemål för ${name(classmate)}`);
    await checkPage(counsellor);
    await counsellor.getByRole('combobox', { name: /^Önskemål 1\b/ }).selectOption(first.id);
    await counsellor.getByRole('combobox', { name: /^Önskemål 2\b/ }).selectOption(series.id);
    await press(counsellor, counsellor.getByRole('button', { name: 'Spara önskemålen' }), new RegExp(`/school/rounds/${round.id}\\?saved=1$`));
    expect(await counsellor.getByRole('status').textContent()).toContain('Önskemålen är sparade.');
    const row = rowOf(classmate);
    expect(await row.locator('.wish-summary li').count()).toBe(2);
    expect(await row.textContent()).toContain('ifyllt av skolan');
    expect(await storedWishes(classmate)).toEqual([
      { rank: 1, placement_id: first.id, placement_kind: 'slot', entered_by: counsellorId },
      { rank: 2, placement_id: series.id, placement_kind: 'series', entered_by: counsellorId },
    ]);
    await checkPage(counsellor);
  });
});

describe('the network coordinator', () => {
  let coordinator: Page;
  beforeAll(async () => {
    coordinator = await openPage(browser, app.baseUrl, DESKTOP);
    await signIn(coordinator, 'coordinatorWithRequests');
  });

  it('goes from the rounds to the allocation of the round', async () => {
    await coordinator.goto('/network/rounds');
    await checkPage(coordinator);
    await Promise.all([coordinator.waitForURL(`**/network/rounds/${round.id}`), coordinator.getByRole('link', { name: ROUND }).click()]);
    expect(await coordinator.getByRole('heading', { level: 1 }).textContent()).toBe(ROUND);
    expect(await coordinator.locator('.lead').textContent()).toBe('Eleverna väljer önskemål');
    await checkPage(coordinator);
    await Promise.all([coordinator.waitForURL(`**/network/rounds/${round.id}/allocations`), coordinator.getByRole('link', { name: 'Fördelning', exact: true }).click()]);
    expect(await coordinator.getByRole('heading', { level: 1 }).textContent()).toBe(`Fördelning: ${ROUND}`);
    expect(await coordinator.getByText('Ingen fördelning har körts än.').count()).toBe(1);
    await checkPage(coordinator);
  });

  it('starts a run with a fixed seed before the window closes, and sees it progress', async () => {
    await coordinator.getByLabel('Lottnummer').fill(String(SEED));
    await coordinator.getByRole('checkbox', { name: 'Kör fast tiden för önskemål inte är slut' }).check();
    // Holds the run's progress at "running" until the page has been checked, so the check never races the reload.
    let hold = true;
    await coordinator.route('**/progress', (route) => (hold ? route.fulfill({ json: { status: 'running', progress: 0 } }) : route.continue()));
    await Promise.all([
      coordinator.waitForURL(new RegExp(`/network/rounds/${round.id}/allocations/[\\w-]+$`)),
      coordinator.getByRole('button', { name: 'Starta fördelningen' }).click(),
    ]);
    allocationId = new URL(coordinator.url()).pathname.split('/').pop()!;
    const progress = coordinator.locator('progress');
    // A tiny round may already be done when the page first loads.
    if ((await progress.count()) > 0) {
      expect(await coordinator.getByText('Fördelningen körs. Sidan visar resultatet när den är klar.').count()).toBe(1);
      await checkPage(coordinator);
    }
    hold = false;
    // The page asks for the progress every second and reloads itself when the run is done.
    await coordinator.getByRole('heading', { level: 2, name: 'Resultat' }).waitFor({ timeout: 30_000 });
    await coordinator.unroute('**/progress');
    expect(await coordinator.locator('progress').count()).toBe(0);
  });

  it('checks the preview: shares placed and with wish 1, the seed, the proof', async () => {
    const run = await app.ctx.db.selectFrom('allocations').selectAll().where('id', '=', allocationId).executeTakeFirstOrThrow();
    expect(run).toMatchObject({ round_id: round.id, status: 'ready', seed: SEED });
    const metrics = JSON.parse(run.metrics!) as AllocationMetrics;
    expect(await coordinator.getByText(`Lottnummer: ${SEED}. Samma lottnummer och samma önskemål ger samma resultat.`).count()).toBe(1);
    expect(await coordinator.getByText(`${metrics.pupils} elever i omgången: ${metrics.placed} fick plats genom fördelningen`).count()).toBe(1);
    const share = (label: string) => coordinator.locator('.allocation-shares div').filter({ has: coordinator.locator('dt', { hasText: new RegExp(`^${label}( \\(|$)`) }) }).locator('dd').textContent();
    const percent = (share: number) => `${Math.round(share * 100)} %`;
    expect(await share('Fick plats')).toBe(percent(metrics.sharePlaced));
    expect(await share('Fick önskemål 1')).toBe(percent(metrics.shareWish1));
    const ranks = coordinator.getByRole('table', { name: 'Antal elever per önskemål' });
    expect(await ranks.getByRole('row', { name: /^Önskemål 1 / }).getByRole('cell').first().textContent()).toBe(String(metrics.byRank[0]));
    expect(await coordinator.locator('.allocation-proof').textContent()).toContain('Beviset håller');
    const school = coordinator.getByRole('table', { name: 'Resultat per skola' }).getByRole('row', { name: new RegExp(`^${SCHOOL}`) });
    expect(await school.getByRole('cell').first().textContent()).toBe(String(pupils.length));
    await checkPage(coordinator);
  });

  it('never sees a pupil’s name in the preview', async () => {
    const text = (await coordinator.locator('main').textContent())!;
    expect(text).not.toMatch(new RegExp(`\\b${pupil.givenName}\\b`));
    for (const p of pupils) expect(text).not.toContain(name(p));
  });

  it('commits, closing the wishes that are still open, and every placed pupil is booked', async () => {
    // The window is still open at the tests' clock: the form says what committing now means, and asks.
    expect(await coordinator.getByText('Om du fastställer nu stängs den direkt: ingen elev kan ändra sina önskemål efter det.', { exact: false }).count()).toBe(1);
    await coordinator.getByRole('checkbox', { name: 'Stäng önskemålen nu och fastställ' }).check();
    await press(coordinator, coordinator.getByRole('button', { name: 'Fastställ och boka' }), new RegExp(`/allocations/${allocationId}$`));
    expect(await coordinator.getByRole('status').textContent()).toContain('Den här fördelningen är fastställd, och eleverna är bokade.');
    expect(await coordinator.getByRole('button', { name: 'Fastställ och boka' }).count()).toBe(0);
    await checkPage(coordinator);

    const { db } = app.ctx;
    const stored = await db.selectFrom('rounds').select(['committed_allocation_id', 'wishes_close_at']).where('id', '=', round.id).executeTakeFirstOrThrow();
    expect(stored).toEqual({ committed_allocation_id: allocationId, wishes_close_at: toDbInstant(app.ctx.clock.now()) });
    expect((await db.selectFrom('allocations').select('status').where('id', '=', allocationId).executeTakeFirstOrThrow()).status).toBe('committed');
    const placed = await db.selectFrom('allocation_results').selectAll().where('allocation_id', '=', allocationId).where('placement_id', 'is not', null).execute();
    expect(placed.length).toBeGreaterThan(0);
    const slotsOf = async (r: (typeof placed)[number]) =>
      r.placement_kind === 'series'
        ? (await db.selectFrom('slots').select('id').where('series_id', '=', r.placement_id!).where('status', '=', 'published').execute()).map((s) => s.id)
        : [r.placement_id!];
    const touched = new Set<string>();
    for (const r of placed) {
      const slots = await slotsOf(r);
      const bookings = await db.selectFrom('bookings').select(['slot_id', 'status']).where('pupil_id', '=', r.pupil_id).where('slot_id', 'in', slots).where('status', '!=', 'cancelled').execute();
      // One confirmed booking per slot of the placement (both mornings of a series).
      expect(bookings.map((b) => b.slot_id).sort(), `bookings of pupil ${r.pupil_id}`).toEqual([...slots].sort());
      expect(bookings.every((b) => b.status === 'confirmed')).toBe(true);
      for (const s of slots) touched.add(s);
    }
    for (const slotId of touched) {
      const slot = await db.selectFrom('slots').select(['capacity', 'booked_count']).where('id', '=', slotId).executeTakeFirstOrThrow();
      const live = await db.selectFrom('bookings').select('id').where('slot_id', '=', slotId).where('status', '=', 'confirmed').execute();
      expect(slot.booked_count, `booked_count of slot ${slotId}`).toBe(live.length);
      expect(slot.booked_count).toBeLessThanOrEqual(slot.capacity);
    }
    // The pupil got their first wish, the series: both mornings.
    expect(placed.find((r) => r.pupil_id === pupil.id)).toMatchObject({ placement_id: series.id, rank: 1 });
  });
});

describe('afterwards', () => {
  it('the pupil sees on a phone what they got, in plain Swedish', async () => {
    const phone = await openPage(browser, app.baseUrl, PHONE);
    await phone.goto(`/p/${token}/wishes`);
    expect(await phone.getByText('Tiden för att välja är slut.').count()).toBe(1);
    await checkPage(phone);
    await Promise.all([phone.waitForURL(`**/p/${token}/rounds/${round.id}`), phone.getByRole('link', { name: 'Se vilken prao du fick' }).click()]);
    expect(await phone.getByRole('heading', { level: 1 }).textContent()).toBe(`Din prao: ${ROUND}`);
    expect(await phone.locator('.lead').textContent()).toBe('Du fick ditt önskemål 1!');
    expect(await phone.getByText(new RegExp(`^Du ska vara hos ${series.companyName}, .* och en gång till`)).count()).toBe(1);
    await checkPage(phone);
    // Both mornings are on the pupil's own page as bookings.
    await Promise.all([phone.waitForURL(`**/p/${token}`), phone.getByRole('link', { name: 'Till din praosida' }).click()]);
    expect(await phone.locator('.pupil-booking').filter({ hasText: series.companyName }).count()).toBe(series.slotIds.length);
    await checkPage(phone);
    await phone.context().close();
  });

  it('the counsellor sees every pupil’s result and free places for those without one', async () => {
    const counsellor = await openPage(browser, app.baseUrl, DESKTOP);
    await signIn(counsellor, 'skogslundCounsellor');
    await counsellor.goto(`/school/rounds/${round.id}`);
    await Promise.all([counsellor.waitForURL(`**/school/rounds/${round.id}/results`), counsellor.getByRole('link', { name: 'Se resultatet av fördelningen' }).click()]);
    expect(await counsellor.getByRole('heading', { level: 1 }).textContent()).toBe(`Resultat: ${ROUND}`);
    const row = counsellor.locator('.allocation-results > li').filter({ hasText: name(pupil) });
    expect(await row.locator('.badge').textContent()).toBe('Önskemål 1');
    expect(await row.textContent()).toContain(series.companyName);
    expect(await row.textContent()).toContain('Fick sitt första önskemål.');
    expect(await counsellor.locator('.allocation-results > li').count()).toBe(pupils.length);
    await checkPage(counsellor);
    await counsellor.context().close();
  });

  it('the round’s pages read on a phone without sideways scrolling', async () => {
    const counsellor = await openPage(browser, app.baseUrl, PHONE);
    await signIn(counsellor, 'skogslundCounsellor');
    for (const path of ['/school/rounds', `/school/rounds/${round.id}`, `/school/rounds/${round.id}/results`]) {
      await counsellor.goto(path);
      await checkPage(counsellor);
    }
    await counsellor.context().close();
    const coordinator = await openPage(browser, app.baseUrl, PHONE);
    await signIn(coordinator, 'coordinatorWithRequests');
    for (const path of ['/network/rounds', `/network/rounds/${round.id}`, `/network/rounds/${round.id}/allocations`, `/network/rounds/${round.id}/allocations/${allocationId}`]) {
      await coordinator.goto(path);
      await checkPage(coordinator);
    }
    await coordinator.context().close();
  });
});

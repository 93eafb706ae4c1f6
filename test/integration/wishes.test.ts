import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueLink } from '../../src/pupils/links.ts';
import type { Pupil } from '../../src/pupils/pupils.service.ts';
import { applyAction } from '../../src/scheduler/wishes.routes.ts';
import { createTestContext, type Agent, type TestContext } from '../support/app.ts';
import { book, worldSlot } from '../support/bookings.ts';
import { fieldError, signedIn } from '../support/flows.ts';
import { makePupil } from '../support/pupils.ts';
import { agentOf, makeRound, makeRoundWorld, markCommitted, pupilBrowser as pupilBrowserOf, putWishes, storedWishes, type RoundWorld } from '../support/rounds.ts';
import { makeSeries, submit } from '../support/slots.ts';

let ctx: TestContext;
let world: RoundWorld;
const ids: Record<string, string> = {};
beforeAll(async () => {
  ctx = await createTestContext();
  world = await makeRoundWorld(ctx, { schools: 2, pupils: 6, hosts: 5 });
  ids.a = (await worldSlot(ctx, world, '2027-04-06T08:00', '2027-04-06T12:00', { activities: 'Bygga robotar' })).id;
  ids.b = (await worldSlot(ctx, world, '2027-04-07T08:00', '2027-04-07T12:00', {}, 1)).id;
  ids.c = (await worldSlot(ctx, world, '2027-04-08T13:00', '2027-04-08T15:00', {}, 2)).id;
  ids.gy = (await worldSlot(ctx, world, '2027-04-07T08:00', '2027-04-07T12:00', { grades: ['gy1'] }, 2)).id;
  ids.series = (await makeSeries(ctx, world.coordinator, [world.storyIds[3]!], ['2027-04-08', '2027-04-09'])).seriesId;
});
afterAll(() => ctx.close());

const side = () => world.schools[0]!;
const pupil = (n: number) => side().pupils[n]!;
const linkOf = (p: Pupil) => issueLink(ctx.db, ctx.config.sessionSecret, p.id, ctx.clock.now());

const pupilBrowser = (p: Pupil) => pupilBrowserOf(ctx, p);

/** The part of a page inside one element with this id (sections are not nested). */
function part(html: string, id: string, end = '</section>'): string {
  const start = html.indexOf(`id="${id}"`);
  return start < 0 ? '' : html.slice(start, html.indexOf(end, start));
}

/** The section of the counsellor's round page about one class, found by its heading. */
function classPart(html: string, className: string): string {
  const heading = html.indexOf(`>Klass ${className}</h2>`);
  if (heading < 0) return '';
  const start = html.lastIndexOf('<section', heading);
  return html.slice(start, html.indexOf('</section>', heading));
}

const listOf = (html: string) => part(html, `round-${world.round.id}`).split('<ol class="wish-list">')[1]?.split('</ol>')[0] ?? '';

describe("the pupil's wish page", () => {
  it('explains in plain words and lists the placements with when, where, what kind and whom they meet', async () => {
    const { page, token } = await pupilBrowser(pupil(0));
    const res = await page();
    expect(res.status).toBe(200);
    expect(res.text).toContain('Välj upp till 5 prao-platser du vill ha. Nummer 1 är den du helst vill ha. Det spelar ingen roll när du väljer – alla önskemål räknas lika, bara ordningen spelar roll.');
    const round = part(res.text, `round-${world.round.id}`);
    for (const text of [world.company.name, 'tis 6 april 2027, 08.00–12.00', 'Karlstad', 'Prao-dag', `href="/stories/${world.storyIds[0]}"`, 'Läs om Värd 1', 'Lägg till som önskemål 1']) {
      expect(round, text).toContain(text);
    }
    // A series shows each of its days.
    expect(round).toContain('tors 8 april 2027, 08.00–12.00<br>fre 9 april 2027, 08.00–12.00');
    expect(round).toContain(`action="/p/${token}/wishes/${world.round.id}"`);
  });

  it('keeps the page out of caches and referrers, like the pupil page', async () => {
    const res = await (await pupilBrowser(pupil(0))).page();
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-robots-tag']).toBe('noindex, nofollow');
  });

  it('does not offer a placement the pupil may not have (another grade)', async () => {
    const round = part((await (await pupilBrowser(pupil(0))).page()).text, `round-${world.round.id}`);
    expect(round).not.toContain(`value="${ids.gy}"`);
    expect(round).toContain(`value="${ids.b}"`);
  });

  it('speaks English to a pupil who chose English', async () => {
    const token = await linkOf(pupil(0));
    const res = await supertest(ctx.app).get(`/p/${token}/wishes`).set('Cookie', 'tp_lang=en');
    expect(res.text).toContain('Choose up to 5 prao placements you want. Number 1 is the one you want most.');
    expect(res.text).toContain('Tue 6 April 2027, 08:00–12:00');
    expect(res.text).toMatch(/Add as wish \d/);
  });

  it('answers an unknown link with the kind "link does not work" page', async () => {
    const res = await supertest(ctx.app).get('/p/not-a-real-token/wishes');
    expect(res.status).toBe(404);
    expect(res.text).toContain('Länken fungerar inte');
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it("links to the wish page from the pupil's own page while the window is open", async () => {
    const { agent, token } = await pupilBrowser(pupil(0));
    const res = await agent.get(`/p/${token}`);
    const teaser = part(res.text, 'wishes');
    expect(teaser).toContain('Välj din prao');
    expect(teaser).toContain(`href="/p/${token}/wishes"`);
  });
});

describe('building the list on a phone, one button at a time', () => {
  it('adds a placement as the next wish and says it is saved', async () => {
    const browser = await pupilBrowser(pupil(1));
    const res = await browser.press(world.round.id, { action: 'add', placementId: ids.b! });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/p/${browser.token}/wishes?saved=${world.round.id}#round-${world.round.id}`);
    expect(await storedWishes(ctx, world.round.id, pupil(1).id)).toEqual([ids.b]);
    const page = await browser.agent.get(res.headers.location!);
    expect(page.text).toContain('Sparat! Du kan ändra dig fram till');
    expect(listOf(page.text)).toContain(world.company.name);
    expect(part(page.text, `round-${world.round.id}`)).toContain('Lägg till som önskemål 2');
  });

  it('adds a series as one wish', async () => {
    const browser = await pupilBrowser(pupil(1));
    await browser.press(world.round.id, { action: 'add', placementId: ids.series! });
    const row = await ctx.db.selectFrom('round_wishes').selectAll().where('pupil_id', '=', pupil(1).id).where('placement_id', '=', ids.series!).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ placement_kind: 'series', entered_by: null });
  });

  it('moves a wish up and down, and removes one', async () => {
    const browser = await pupilBrowser(pupil(2));
    await putWishes(ctx, world.round.id, pupil(2).id, [{ id: ids.a! }, { id: ids.b! }, { id: ids.c! }]);
    expect((await browser.press(world.round.id, { action: 'up', rank: '2' })).status).toBe(303);
    expect(await storedWishes(ctx, world.round.id, pupil(2).id)).toEqual([ids.b, ids.a, ids.c]);
    await browser.press(world.round.id, { action: 'down', rank: '2' });
    expect(await storedWishes(ctx, world.round.id, pupil(2).id)).toEqual([ids.b, ids.c, ids.a]);
    await browser.press(world.round.id, { action: 'remove', rank: '1' });
    expect(await storedWishes(ctx, world.round.id, pupil(2).id)).toEqual([ids.c, ids.a]);
  });

  it('shows Upp only below the first wish and Ner only above the last', async () => {
    const browser = await pupilBrowser(pupil(2));
    await putWishes(ctx, world.round.id, pupil(2).id, [{ id: ids.a! }, { id: ids.b! }]);
    const items = listOf((await browser.page()).text).split('<li');
    expect(items[1]).not.toContain('value="up"');
    expect(items[1]).toContain('value="down"');
    expect(items[2]).toContain('value="up"');
    expect(items[2]).not.toContain('value="down"');
    expect(items[2]).toContain('value="remove"');
  });

  it('refuses a placement the pupil may not have, naming the wish', async () => {
    const browser = await pupilBrowser(pupil(3));
    const res = await browser.press(world.round.id, { action: 'add', placementId: ids.gy! });
    expect(res.status).toBe(422);
    expect(part(res.text, `round-${world.round.id}`)).toContain('Önskemål 1: den platsen går inte att välja i omgången.');
    expect(await storedWishes(ctx, world.round.id, pupil(3).id)).toEqual([]);
  });

  it('stops at the most wishes the round allows', async () => {
    const round = await makeRound(ctx, world, null, { name: 'Två önskemål', maxWishes: 2 });
    await putWishes(ctx, round.id, pupil(4).id, [{ id: ids.a! }, { id: ids.b! }]);
    const browser = await pupilBrowser(pupil(4));
    const section = part((await browser.page()).text, `round-${round.id}`);
    expect(section).toContain('Du har valt 2 önskemål. Ta bort ett om du vill välja ett annat.');
    expect(section).not.toContain('value="add"');
    const res = await browser.press(round.id, { action: 'add', placementId: ids.c! });
    expect(res.status).toBe(422);
    expect(part(res.text, `round-${round.id}`)).toContain('Det går att välja högst 2 önskemål.');
  });

  it('neither offers nor takes a placement that clashes with a booking the pupil has', async () => {
    const booked = await makePupil(ctx.db, side().school.id);
    // A series past the school's dates is no placement, but its first day clashes with the round's series.
    const straddling = await makeSeries(ctx, world.coordinator, [world.storyIds[4]!], ['2027-04-09', '2027-04-12']);
    await book(ctx, side(), straddling.slotIds[0]!, [booked]);
    const browser = await pupilBrowser(booked);
    expect(part((await browser.page()).text, `round-${world.round.id}`)).not.toContain(`value="${ids.series}"`);
    const res = await browser.press(world.round.id, { action: 'add', placementId: ids.series! });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Önskemål 1: den krockar med en prao som redan är bokad.');
  });

  it('refuses a form without its CSRF token', async () => {
    const token = await linkOf(pupil(5));
    const res = await supertest(ctx.app).post(`/p/${token}/wishes/${world.round.id}`).type('form').send({ action: 'add', placementId: ids.a });
    expect(res.status).toBe(403);
    expect(await storedWishes(ctx, world.round.id, pupil(5).id)).toEqual([]);
  });

  it("changes only the link's own pupil, and refuses a round the pupil is not in", async () => {
    const other = world.schools[1]!.pupils[0]!;
    const browser = await pupilBrowser(other);
    const foreign = await makeRoundWorld(ctx, { schools: 1, pupils: 1 });
    expect((await browser.press(foreign.round.id, { action: 'add', placementId: ids.a! })).status).toBe(404);
    await browser.press(world.round.id, { action: 'add', placementId: ids.c! });
    expect(await storedWishes(ctx, world.round.id, other.id)).toEqual([ids.c]);
    expect(await storedWishes(ctx, world.round.id, pupil(5).id)).toEqual([]);
  });
});

describe('outside the window', () => {
  it('shows what the pupil chose, read-only, once the window has closed', async () => {
    const round = await makeRound(ctx, world, null, { name: 'Stängd', wishesOpenAt: '2027-02-01T08:00:00.000Z', wishesCloseAt: '2027-03-10T08:00:00.000Z' });
    await putWishes(ctx, round.id, pupil(0).id, [{ id: ids.a! }]);
    const browser = await pupilBrowser(pupil(0));
    const section = part((await browser.page()).text, `round-${round.id}`);
    expect(section).toContain('Tiden för att välja är slut.');
    expect(section).toContain('Det här valde du:');
    expect(section).not.toContain('<form');
    const res = await browser.press(round.id, { action: 'remove', rank: '1' });
    expect(res.status).toBe(409);
    expect(part(res.text, `round-${round.id}`)).toContain('Det går inte att ändra önskemålen nu');
    expect(await storedWishes(ctx, round.id, pupil(0).id)).toEqual([ids.a]);
  });

  it('links to the result once the allocation is committed', async () => {
    const round = await makeRound(ctx, world, null, { name: 'Klar', wishesOpenAt: '2027-02-01T08:00:00.000Z', wishesCloseAt: '2027-03-10T08:00:00.000Z' });
    await markCommitted(ctx, round.id);
    const browser = await pupilBrowser(pupil(0));
    expect(part((await browser.page()).text, `round-${round.id}`)).toContain(`href="/p/${browser.token}/rounds/${round.id}"`);
  });

  it('tells the pupil when a coming window opens, on their own page too', async () => {
    const fresh = await makeRoundWorld(ctx, { schools: 1, pupils: 1, round: { name: 'Hösten', wishesOpenAt: '2027-03-20T08:00:00.000Z', wishesCloseAt: '2027-03-30T08:00:00.000Z' } });
    const token = await linkOf(fresh.schools[0]!.pupils[0]!);
    const main = await supertest(ctx.app).get(`/p/${token}`);
    expect(part(main.text, 'wishes')).toContain('Snart kan du välja vilka prao-platser du helst vill ha i Hösten. Du kan välja från lör 20 mars 2027, 09.00.');
  });

  it('shows no wish section on the pupil page when no window is open or coming', async () => {
    const fresh = await makeRoundWorld(ctx, { schools: 1, pupils: 1, round: { wishesOpenAt: '2027-02-01T08:00:00.000Z', wishesCloseAt: '2027-03-01T08:00:00.000Z' } });
    const token = await linkOf(fresh.schools[0]!.pupils[0]!);
    const main = await supertest(ctx.app).get(`/p/${token}`);
    expect(main.status).toBe(200);
    expect(main.text).not.toContain('id="wishes"');
  });
});

describe("the counsellor's pages", () => {
  let counsellor: Agent;
  beforeAll(async () => {
    counsellor = await agentOf(ctx, side().counsellor.user);
  });

  async function saveWishes(pupilId: string, form: Record<string, string>, roundId = world.round.id) {
    return submit(counsellor, `/school/rounds/${roundId}/pupils/${pupilId}/wishes`, form);
  }

  it('lists the rounds the school takes part in, with how many pupils have wishes', async () => {
    const res = await counsellor.get('/school/rounds');
    expect(res.status).toBe(200);
    const item = res.text.slice(res.text.indexOf(`href="/school/rounds/${world.round.id}"`));
    expect(item.slice(0, item.indexOf('</li>'))).toMatch(/Elever med önskemål<\/dt><dd>\d+ av \d+<\/dd>/);
    expect(item).toContain('mån 5 april 2027 – fre 9 april 2027');
  });

  it('names each class section by an id without spaces, however the class is written', async () => {
    const sam = await makePupil(ctx.db, side().school.id, { className: '8C', givenName: 'Sam' });
    // The forms take spaces out of class names, but the database does not insist (older rows, other imports).
    await ctx.db.updateTable('pupils').set({ class_name: '8 C' }).where('id', '=', sam.id).execute();
    const res = await counsellor.get(`/school/rounds/${world.round.id}`);
    expect(res.status).toBe(200);
    const ids = [...res.text.matchAll(/\bid="([^"]*)"/g)].map((m) => m[1]!);
    const references = [...res.text.matchAll(/aria-labelledby="([^"]*)"/g)].map((m) => m[1]!);
    expect(ids.filter((id) => id.startsWith('class-')).length).toBeGreaterThanOrEqual(2);
    for (const id of ids) expect(id).not.toMatch(/\s/);
    for (const ref of references) expect(ids).toContain(ref);
    expect(classPart(res.text, '8 C')).toContain('Sam Testsson');
  });

  it("shows the school's pupils by class, their wishes in order, or none", async () => {
    const ninth = await makePupil(ctx.db, side().school.id, { className: '9A', givenName: 'Nia' });
    await putWishes(ctx, world.round.id, ninth.id, [{ id: ids.c! }, { id: ids.a! }]);
    const res = await counsellor.get(`/school/rounds/${world.round.id}`);
    expect(res.status).toBe(200);
    const nine = classPart(res.text, '9A');
    expect(nine).toContain('Nia Testsson');
    expect(nine.indexOf('tors 8 april 2027, 13.00–15.00')).toBeLessThan(nine.indexOf('tis 6 april 2027, 08.00–12.00'));
    expect(nine).toContain(`href="/school/rounds/${world.round.id}/pupils/${ninth.id}/wishes"`);
    expect(classPart(res.text, '8B')).toContain('inga önskemål');
    expect(res.text).not.toContain(world.schools[1]!.pupils[0]!.givenName + ' ');
  });

  it("enters a pupil's wishes with one select per rank, skipping empty ones", async () => {
    const p = await makePupil(ctx.db, side().school.id);
    const form = await counsellor.get(`/school/rounds/${world.round.id}/pupils/${p.id}/wishes`);
    expect(form.status).toBe(200);
    for (let rank = 1; rank <= 5; rank++) expect(form.text).toContain(`<label for="f-wish${rank}">Önskemål ${rank}`);
    expect(form.text).not.toContain(`value="${ids.gy}"`);
    const res = await saveWishes(p.id, { wish1: ids.b!, wish2: '', wish3: ids.series! });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/school/rounds/${world.round.id}?saved=1`);
    expect(await storedWishes(ctx, world.round.id, p.id)).toEqual([ids.b, ids.series]);
    const row = await ctx.db.selectFrom('round_wishes').select('entered_by').where('pupil_id', '=', p.id).where('rank', '=', 1).executeTakeFirstOrThrow();
    expect(row.entered_by).toBe(side().counsellor.user.id);
    expect((await counsellor.get(res.headers.location!)).text).toContain('Önskemålen är sparade.');
  });

  it('names the select with the problem, by its own number', async () => {
    const p = await makePupil(ctx.db, side().school.id);
    const res = await saveWishes(p.id, { wish1: ids.a!, wish2: '', wish3: ids.a!, wish4: ids.gy! });
    expect(res.status).toBe(422);
    expect(fieldError(res.text, 'wish3')).toBe('Önskemål 3: den platsen är redan önskemål 1.');
    expect(fieldError(res.text, 'wish4')).toBe('Önskemål 4: den platsen går inte att välja i omgången.');
    expect(await storedWishes(ctx, world.round.id, p.id)).toEqual([]);
  });

  it('refuses to change wishes once the window has closed', async () => {
    const round = await makeRound(ctx, world, null, { wishesOpenAt: '2027-02-01T08:00:00.000Z', wishesCloseAt: '2027-03-10T08:00:00.000Z' });
    const page = await counsellor.get(`/school/rounds/${round.id}/pupils/${pupil(0).id}/wishes`);
    expect(page.text).toContain('Det går inte att ändra önskemålen nu');
    expect(page.text).not.toContain('name="wish1"');
    const res = await saveWishes(pupil(0).id, { wish1: ids.a! }, round.id);
    expect(res.status).toBe(409);
  });

  it('links to the results once the allocation is committed', async () => {
    const round = await makeRound(ctx, world, null, { wishesOpenAt: '2027-02-01T08:00:00.000Z', wishesCloseAt: '2027-03-10T08:00:00.000Z' });
    await markCommitted(ctx, round.id);
    const res = await counsellor.get(`/school/rounds/${round.id}`);
    expect(res.text).toContain(`href="/school/rounds/${round.id}/results"`);
  });

  it("answers 404 for another school's pupil and for a round the school is not in", async () => {
    const other = world.schools[1]!.pupils[1]!;
    expect((await counsellor.get(`/school/rounds/${world.round.id}/pupils/${other.id}/wishes`)).status).toBe(404);
    expect((await saveWishes(other.id, { wish1: ids.a! })).status).toBe(404);
    expect(await storedWishes(ctx, world.round.id, other.id)).toEqual([]);
    const foreign = await makeRoundWorld(ctx, { schools: 1, pupils: 1 });
    expect((await counsellor.get(`/school/rounds/${foreign.round.id}`)).status).toBe(404);
  });

  it('refuses coordinators of networks and companies', async () => {
    const network = await agentOf(ctx, world.networkCoordinator.user);
    const company = (await signedIn(ctx, 'company_coordinator', world.company.id)).agent;
    for (const agent of [network, company]) {
      expect((await agent.get('/school/rounds')).status).toBe(403);
      expect((await agent.get(`/school/rounds/${world.round.id}/pupils/${pupil(0).id}/wishes`)).status).toBe(403);
    }
  });
});

describe('the buttons as list steps', () => {
  const list = ['a', 'b', 'c'];
  it.each([
    ['adds at the end', { action: 'add', placementId: 'd' }, ['a', 'b', 'c', 'd']],
    ['does not add a placement twice', { action: 'add', placementId: 'b' }, ['a', 'b', 'c']],
    ['moves a wish up', { action: 'up', rank: 3 }, ['a', 'c', 'b']],
    ['leaves the first wish where it is when moved up', { action: 'up', rank: 1 }, ['a', 'b', 'c']],
    ['moves a wish down', { action: 'down', rank: 1 }, ['b', 'a', 'c']],
    ['leaves the last wish where it is when moved down', { action: 'down', rank: 3 }, ['a', 'b', 'c']],
    ['removes a wish', { action: 'remove', rank: 2 }, ['a', 'c']],
    ['ignores a rank past the end', { action: 'remove', rank: 7 }, ['a', 'b', 'c']],
  ] as const)('%s', (_name, action, expected) => {
    expect(applyAction(list, action as never)).toEqual(expected);
  });
});

import { DateTime } from 'luxon';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addSite } from '../../src/organisations/organisations.service.ts';
import { PAGE_SIZE } from '../../src/slots/catalogue.ts';
import { createTestContext, type TestContext } from '../support/app.ts';
import { makeNetwork, makeSchool } from '../support/factories.ts';
import { signedIn } from '../support/flows.ts';
import { companyWithStory, makeSeries, makeSlot, makeStory, setBooked, submit, type CompanyWithStory } from '../support/slots.ts';

/**
 * One world for the whole file: two networks, companies with slots of every kind. Each filter
 * test checks that the filter keeps the slots that match and drops at least one that does not.
 */
let ctx: TestContext;
let varmland: string;
let skaraborg: string;
let nordljus: CompanyWithStory;
let billingen: CompanyWithStory;
const ids: Record<string, string> = {};

beforeAll(async () => {
  ctx = await createTestContext();
  varmland = (await makeNetwork(ctx.db, 'Värmland')).id;
  skaraborg = (await makeNetwork(ctx.db, 'Skaraborg')).id;
  nordljus = await companyWithStory(ctx, { networkId: varmland, name: 'Nordljus Energi AB', story: { name: 'Amina', title: 'Elingenjör', fields: ['electrical_energy'] } });
  billingen = await companyWithStory(ctx, { networkId: skaraborg, name: 'Billingens Elteknik AB', story: { name: 'Sam', title: 'Programmerare', fields: ['it'] } });
  const arvika = await addSite(ctx.db, nordljus.user, nordljus.company.id, { name: 'Verkstaden', municipality: 'Arvika', address: 'Storgatan 2', meetingPoint: 'Vid grinden', directions: 'Buss 4 till Torget.' }, ctx.clock.now());
  const hidden = await makeStory(ctx, nordljus.user, { name: 'Hemlig Person', title: 'Svetsare', published: false, consent: false });

  ids.early = (await makeSlot(ctx, nordljus.user, [nordljus.story.id], '2027-04-06T08:00', '2027-04-06T12:00', { activities: 'Vi mäter ström i ett ställverk.' })).id;
  ids.arvika = (await makeSlot(ctx, nordljus.user, [nordljus.story.id, hidden.id], '2027-04-13T08:00', '2027-04-13T12:00', { siteId: arvika.id, format: 'half_day', grades: ['gy1'], supervisorName: 'Greta Handledare', supervisorPhone: '070-123 45 67' })).id;
  ids.full = (await makeSlot(ctx, nordljus.user, [nordljus.story.id], '2027-04-20T08:00', '2027-04-20T12:00')).id;
  await setBooked(ctx, ids.full, 4);
  ids.threeLeft = (await makeSlot(ctx, nordljus.user, [nordljus.story.id], '2027-04-27T08:00', '2027-04-27T12:00')).id;
  await setBooked(ctx, ids.threeLeft, 1);
  ids.skaraborg = (await makeSlot(ctx, billingen.user, [billingen.story.id], '2027-04-07T08:00', '2027-04-07T12:00', { format: 'digital' })).id;
  ids.draft = (await makeSlot(ctx, nordljus.user, [nordljus.story.id], '2027-04-08T08:00', '2027-04-08T12:00', { status: 'draft' })).id;
  ids.cancelled = (await makeSlot(ctx, nordljus.user, [nordljus.story.id], '2027-04-09T08:00', '2027-04-09T12:00')).id;
  await submit(nordljus.agent, `/company/slots/${ids.cancelled}/cancel`, { reason: 'Värden är sjuk.' });
});
afterAll(() => ctx.close());

/** The slot ids on a catalogue page, in the order shown. */
const shown = (html: string) => [...html.matchAll(/<h3><a href="\/slots\/([\w-]+)">/g)].map((m) => m[1]);
const catalogue = async (query = '') => {
  const res = await supertest(ctx.app).get(`/catalogue${query}`);
  expect(res.status).toBe(200);
  return shown(res.text);
};
const ALL = () => [ids.early, ids.skaraborg, ids.arvika, ids.full, ids.threeLeft];

describe('GET /catalogue for anyone', () => {
  it('shows published slots still to come from every network, sorted by time; no drafts, no cancelled', async () => {
    expect(await catalogue()).toEqual(ALL());
  });

  it('shows seats left on each card', async () => {
    const res = await supertest(ctx.app).get('/catalogue');
    expect(res.text).toContain('3 platser kvar');
    expect(res.text).toContain('Fullbokat');
  });

  it('narrows to one network when one is chosen', async () => {
    expect(await catalogue(`?networkId=${skaraborg}`)).toEqual([ids.skaraborg]);
  });

  it('filters by a date range, both days included', async () => {
    expect(await catalogue('?from=2027-04-07&to=2027-04-13')).toEqual([ids.skaraborg, ids.arvika]);
  });

  it('filters by field of work (from the hosts’ stories)', async () => {
    expect(await catalogue('?field=it')).toEqual([ids.skaraborg]);
  });

  it('filters by municipality', async () => {
    expect(await catalogue('?municipality=Arvika')).toEqual([ids.arvika]);
  });

  it('filters by format', async () => {
    expect(await catalogue('?format=half_day')).toEqual([ids.arvika]);
  });

  it('filters by grade', async () => {
    expect(await catalogue('?grade=gy1')).toEqual([ids.arvika]);
    expect(await catalogue('?grade=8')).toEqual([ids.early, ids.skaraborg, ids.full, ids.threeLeft]);
  });

  it('leaves out full slots with "bara lediga platser"', async () => {
    expect(await catalogue('?free=1')).toEqual([ids.early, ids.skaraborg, ids.arvika, ids.threeLeft]);
  });

  it('searches company names, what pupils do and published hosts’ titles', async () => {
    expect(await catalogue('?q=billingens')).toEqual([ids.skaraborg]);
    expect(await catalogue('?q=st%C3%A4llverk')).toEqual([ids.early]);
    expect(await catalogue('?q=programmerare')).toEqual([ids.skaraborg]);
  });

  it('does not find a slot by an unpublished host’s title', async () => {
    expect(await catalogue('?q=svetsare')).toEqual([]);
  });

  it('combines filters', async () => {
    expect(await catalogue(`?networkId=${varmland}&free=1&grade=9`)).toEqual([ids.early, ids.threeLeft]);
  });

  it('ignores a filter value it does not know instead of failing', async () => {
    expect(await catalogue('?format=circus&from=igår&page=-1')).toEqual(ALL());
  });

  it('offers the municipalities that have slots', async () => {
    const res = await supertest(ctx.app).get('/catalogue');
    expect(res.text).toContain('<option value="Arvika">Arvika</option>');
    expect(res.text).toContain('<option value="Karlstad">Karlstad</option>');
  });
});

describe('pagination', () => {
  let many: CompanyWithStory;
  beforeAll(async () => {
    many = await companyWithStory(ctx, { networkId: varmland, name: 'Mångfalden Industri AB' });
    // PAGE_SIZE + 1 weekdays from Monday 3 May 2027.
    const dates: string[] = [];
    for (let d = DateTime.fromISO('2027-05-03'); dates.length <= PAGE_SIZE; d = d.plus({ days: 1 })) if (d.weekday <= 5) dates.push(d.toISODate()!);
    await makeSeries(ctx, many.user, [many.story.id], dates, ['08:00', '12:00'], { grades: ['gy2'] });
  });

  it('shows a page of results and a link to the next page, keeping the filters', async () => {
    const res = await supertest(ctx.app).get('/catalogue?grade=gy2');
    expect(shown(res.text)).toHaveLength(PAGE_SIZE);
    expect(res.text).toContain('href="/catalogue?grade=gy2&amp;page=2" rel="next"');
    expect(res.text).not.toContain('rel="prev"');
  });

  it('shows the rest on the next page, with a link back', async () => {
    const first = await catalogue('?grade=gy2');
    const res = await supertest(ctx.app).get('/catalogue?grade=gy2&page=2');
    expect(shown(res.text)).toHaveLength(1);
    expect(first).not.toContain(shown(res.text)[0]);
    expect(res.text).toContain('href="/catalogue?grade=gy2" rel="prev"');
    expect(res.text).not.toContain('rel="next"');
  });
});

describe('GET /catalogue for a counsellor', () => {
  it('shows only the networks their school is an approved member of, whatever is asked for', async () => {
    const school = await makeSchool(ctx.db, varmland);
    const { agent } = await signedIn(ctx, 'counsellor', school.id);
    const own = shown((await agent.get('/catalogue?grade=9')).text);
    expect(own).toEqual([ids.early, ids.full, ids.threeLeft]);
    expect(shown((await agent.get(`/catalogue?networkId=${skaraborg}`)).text)).toEqual([]);
  });

  it('says so when the school is in no network yet', async () => {
    const school = await makeSchool(ctx.db, varmland);
    await ctx.db.updateTable('network_memberships').set({ status: 'pending' }).where('school_id', '=', school.id).execute();
    const { agent } = await signedIn(ctx, 'counsellor', school.id);
    const res = await agent.get('/catalogue');
    expect(shown(res.text)).toEqual([]);
    expect(res.text).toContain('Er skola är inte med i något nätverk än.');
  });
});

describe('GET /slots/:id', () => {
  it('shows the time, place, meeting point, directions, format, grades and seats', async () => {
    const res = await supertest(ctx.app).get(`/slots/${ids.arvika}`);
    expect(res.status).toBe(200);
    for (const text of ['tis 13 april 2027, 08.00–12.00', 'Verkstaden, Storgatan 2, Arvika', 'Vid grinden', 'Buss 4 till Torget.', 'Halvdag', 'Gymnasiet år 1', '4 platser kvar']) {
      expect(res.text).toContain(text);
    }
  });

  it('links to the published hosts’ stories and never names an unpublished one', async () => {
    const res = await supertest(ctx.app).get(`/slots/${ids.arvika}`);
    expect(res.text).toContain(`<a href="/stories/${nordljus.story.id}">Amina</a>, Elingenjör`);
    expect(res.text).not.toContain('Hemlig Person');
  });

  it('hides the supervisor’s name and phone from anonymous visitors', async () => {
    const res = await supertest(ctx.app).get(`/slots/${ids.arvika}`);
    expect(res.text).not.toContain('Greta Handledare');
    expect(res.text).not.toContain('070-123 45 67');
    expect(res.text).toContain('Logga in för att se vem som är handledare');
  });

  it('shows the supervisor to a signed-in counsellor', async () => {
    const { agent } = await signedIn(ctx, 'counsellor', (await makeSchool(ctx.db, varmland)).id);
    const res = await agent.get(`/slots/${ids.arvika}`);
    expect(res.text).toContain('Greta Handledare');
    expect(res.text).toContain('070-123 45 67');
  });

  it('says clearly that a cancelled slot is cancelled', async () => {
    const res = await supertest(ctx.app).get(`/slots/${ids.cancelled}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('Inställt – det här prao-passet blir inte av.');
    expect(res.text).toContain('Anledning: Värden är sjuk.');
  });

  it('answers 404 for a draft', async () => {
    expect((await supertest(ctx.app).get(`/slots/${ids.draft}`)).status).toBe(404);
  });
});

describe('the company start page', () => {
  it('counts the stories and names those unpublished or without consent', async () => {
    const res = await nordljus.agent.get('/company');
    expect(res.status).toBe(200);
    expect(res.text).toContain('Antal berättelser: 2');
    expect(res.text).toContain('Hemlig Person, Svetsare <span class="badge badge-draft">berättelsen är inte publicerad, samtycke saknas</span>');
    expect(res.text).toContain('href="/company/stories"');
  });

  it('lists upcoming slots with their fill, leaving out cancelled ones', async () => {
    const res = await nordljus.agent.get('/company');
    expect(res.text).toContain('Kommande prao-pass');
    expect(res.text).toContain(`href="/company/slots/${ids.early}"`);
    expect(res.text).toContain('0 av 4 bokade');
    expect(res.text).not.toContain(`href="/company/slots/${ids.cancelled}"`);
  });

  it('keeps the profile, sites and networks sections', async () => {
    const res = await nordljus.agent.get('/company');
    expect(res.text).toContain('action="/company/profile"');
    expect(res.text).toContain('id="sites"');
    expect(res.text).toContain('id="networks"');
  });
});

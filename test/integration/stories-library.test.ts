import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addSite, requestToJoin } from '../../src/organisations/organisations.service.ts';
import { slotFieldsSchema } from '../../src/slots/slots.schemas.ts';
import { createSlot } from '../../src/slots/slots.service.ts';
import { parseInstant } from '../../src/time/local-time.ts';
import { createTestContext, type TestContext } from '../support/app.ts';
import { makeCompany, makeNetwork, makeUser } from '../support/factories.ts';
import { makeStory } from '../support/stories.ts';

let ctx: TestContext;
let networkId: string;
const ids: Record<string, string> = {};
const pupil = () => supertest(ctx.app);

const local = (s: string) => {
  const parsed = parseInstant(s);
  if (!parsed.ok) throw new Error(parsed.problem);
  return parsed.instant;
};

beforeAll(async () => {
  ctx = await createTestContext();
  const now = ctx.clock.now();
  const network = await makeNetwork(ctx.db, 'Tekniknätet Värmland');
  networkId = network.id;

  const nordljus = await makeCompany(ctx.db, networkId, 'Nordljus Energi AB');
  const nordljusCoordinator = await makeUser(ctx.db, ctx.config, 'company_coordinator', nordljus.id);
  const verkstad = await makeCompany(ctx.db, networkId, 'Verkstaden i Kil AB');
  const verkstadCoordinator = await makeUser(ctx.db, ctx.config, 'company_coordinator', verkstad.id);
  await addSite(ctx.db, verkstadCoordinator, verkstad.id, { name: 'Verkstaden Arvika', municipality: 'Arvika', address: null, meetingPoint: null, directions: null }, now);

  ids.amina = (await makeStory(ctx, nordljusCoordinator, { name: 'Amina Lind', dayAtWork: 'Jag ritar elsystem.\n\nSedan testar vi dem.' })).id;
  ids.jonas = (await makeStory(ctx, verkstadCoordinator, {
    name: 'Jonas',
    title: 'Svetsare',
    pronoun: 'han',
    path: [
      { kind: 'gymnasium', title: 'Industritekniska programmet', programme: 'IN', fromYear: 2012, toYear: 2015 },
      { kind: 'gap', title: 'Jobbade i en butik', fromYear: 2015, toYear: 2016 },
      { kind: 'job', title: 'Svetsare', fromYear: 2016 },
    ],
    fields: ['production_mechanics'],
  })).id;
  ids.draft = (await makeStory(ctx, nordljusCoordinator, { name: 'Utkast-Ulla', published: false })).id;

  // A story of a company in another network, and one whose company has only asked to join.
  const elsewhere = await makeCompany(ctx.db, undefined, 'Långt Borta AB');
  ids.elsewhere = (await makeStory(ctx, await makeUser(ctx.db, ctx.config, 'company_coordinator', elsewhere.id), { name: 'Annan-Anna' })).id;
  const applicant = await makeCompany(ctx.db, undefined, 'Sökande AB');
  const applicantCoordinator = await makeUser(ctx.db, ctx.config, 'company_coordinator', applicant.id);
  await requestToJoin(ctx.db, applicantCoordinator, networkId, null, now);
  ids.applicant = (await makeStory(ctx, applicantCoordinator, { name: 'Väntande-Vera' })).id;

  const slotFields = slotFieldsSchema.parse({ storyIds: [ids.amina], capacity: 3, grades: ['8', '9'] });
  ids.slot = (await createSlot(ctx.db, nordljusCoordinator, slotFields, { startsAt: local('2027-04-06T08:00'), endsAt: local('2027-04-06T12:00') }, now)).id;
});
afterAll(() => ctx.close());

const storyLinks = (html: string) => [...html.matchAll(/href="\/stories\/([^"/]+)"/g)].map((m) => m[1]);

describe('the library’s start page', () => {
  it('lists the networks, each linking to its stories', async () => {
    const res = await pupil().get('/library');
    expect(res.status).toBe(200);
    expect(res.text).toContain(`href="/library/${networkId}"`);
    expect(res.text).toContain('Tekniknätet Värmland');
  });
});

describe('a network’s stories', () => {
  it('shows the published stories of the network’s approved companies, and nothing else', async () => {
    const res = await pupil().get(`/library/${networkId}`);
    expect(res.status).toBe(200);
    expect(storyLinks(res.text).sort()).toEqual([ids.amina, ids.jonas].sort());
  });

  it('shows name, role, company, municipality, a teaser and initials when there is no portrait', async () => {
    const res = await pupil().get(`/library/${networkId}`);
    expect(res.text).toContain('Elingenjör på Nordljus Energi AB');
    expect(res.text).toContain('Karlstad');
    expect(res.text).toContain('Jag ritar elsystem.');
    expect(res.text).toContain('>AL</span>');
  });

  it('filters by field', async () => {
    const res = await pupil().get(`/library/${networkId}?field=production_mechanics`);
    expect(storyLinks(res.text)).toEqual([ids.jonas]);
    expect(res.text).toContain('<option value="production_mechanics" selected>');
  });

  it('filters by gymnasium programme and says where it took them', async () => {
    const res = await pupil().get(`/library/${networkId}?programme=TE`);
    expect(storyLinks(res.text)).toEqual([ids.amina]);
    expect(res.text).toContain('De här personerna gick Teknikprogrammet.');
  });

  it('filters by municipality, counting every site of the company', async () => {
    expect(storyLinks((await pupil().get(`/library/${networkId}?municipality=Arvika`)).text)).toEqual([ids.jonas]);
    expect(storyLinks((await pupil().get(`/library/${networkId}?municipality=Karlstad`)).text).sort()).toEqual([ids.amina, ids.jonas].sort());
    expect((await pupil().get(`/library/${networkId}?municipality=Arvika`)).text).toContain('<option value="Arvika" selected>');
  });

  it('says so when no story fits the filters', async () => {
    const res = await pupil().get(`/library/${networkId}?field=design`);
    expect(storyLinks(res.text)).toEqual([]);
    expect(res.text).toContain('Inga berättelser passar.');
  });

  it('ignores filter values it does not know instead of failing', async () => {
    const res = await pupil().get(`/library/${networkId}?field=astrology&programme=XX`);
    expect(res.status).toBe(200);
    expect(storyLinks(res.text)).toHaveLength(2);
  });

  it('answers 404 for a network that does not exist', async () => {
    expect((await pupil().get('/library/no-such-network')).status).toBe(404);
  });
});

describe('a story’s page', () => {
  it('shows the path as an ordered list, oldest step first, with kind, years, title and place', async () => {
    const res = await pupil().get(`/stories/${ids.amina}`);
    expect(res.status).toBe(200);
    const timeline = res.text.slice(res.text.indexOf('<ol class="timeline"'), res.text.indexOf('</ol>'));
    const steps = [...timeline.matchAll(/<li class="timeline-step timeline-(\w+)">([\s\S]*?)<\/li>/g)];
    expect(steps.map((s) => s[1])).toEqual(['grundskola', 'gymnasium', 'job']);
    expect(steps[1]![2]).toContain('Gymnasiet');
    expect(steps[1]![2]).toContain('2010–2013');
    expect(steps[1]![2]).toContain('Teknikprogrammet');
    expect(steps[1]![2]).toContain('Karlstad');
    expect(steps[2]![2]).toContain('Sedan 2018');
  });

  it('shows the four texts under friendly headings, and the fields as tags', async () => {
    const res = await pupil().get(`/stories/${ids.amina}`);
    for (const heading of ['Så blev jag intresserad', 'En dag på jobbet', 'Det här ger mitt jobb samhället', 'Det här önskar jag att jag visste när jag var 14']) {
      expect(res.text).toContain(`<h2>${heading}</h2>`);
    }
    expect(res.text).toContain('<p>Jag ritar elsystem.</p>');
    expect(res.text).toContain('<p>Sedan testar vi dem.</p>');
    expect(res.text).toContain('<li class="badge">El och energi</li>');
  });

  it('lists the slots the person hosts, each linking to the slot', async () => {
    const res = await pupil().get(`/stories/${ids.amina}`);
    expect(res.text).toContain('Prao-pass med Amina Lind');
    expect(res.text).toContain(`href="/slots/${ids.slot}"`);
    expect(res.text).toContain('tis 6 april 2027, 08.00–12.00');
  });

  it('says when the person hosts no slots, and shows the pronoun', async () => {
    const res = await pupil().get(`/stories/${ids.jonas}`);
    expect(res.text).toContain('Jonas har inga prao-pass just nu.');
    expect(res.text).toContain('Pronomen: han');
  });

  it('speaks English when the pupil chose it', async () => {
    const res = await pupil().get(`/stories/${ids.jonas}`).set('Cookie', 'tp_lang=en');
    expect(res.text).toContain('My path to the job');
    expect(res.text).toContain('Break or detour');
    expect(res.text).toContain('Svetsare at Verkstaden i Kil AB');
    expect(res.text).toContain('Production and mechanics');
  });

  it('answers 404 for a draft and for an unknown story', async () => {
    expect((await pupil().get(`/stories/${ids.draft}`)).status).toBe(404);
    expect((await pupil().get('/stories/no-such-story')).status).toBe(404);
  });

  it('escapes what the company wrote', async () => {
    const coordinator = await makeUser(ctx.db, ctx.config, 'company_coordinator', (await makeCompany(ctx.db, networkId)).id);
    const story = await makeStory(ctx, coordinator, { name: '<script>alert(1)</script>' });
    const res = await pupil().get(`/stories/${story.id}`);
    expect(res.text).not.toContain('<script>alert(1)</script>');
    expect(res.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});

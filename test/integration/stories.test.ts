import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getStory } from '../../src/stories/stories.service.ts';
import { createTestContext, csrfFrom, TEST_NOW, type Agent, type TestContext } from '../support/app.ts';
import { makeCompany } from '../support/factories.ts';
import { signedIn, type SignedIn } from '../support/flows.ts';
import { encodeForm, makeStory, storyForm } from '../support/stories.ts';

let ctx: TestContext;
let company: Awaited<ReturnType<typeof makeCompany>>;
let coordinator: SignedIn;
let otherCoordinator: SignedIn;
let counsellor: SignedIn;
beforeAll(async () => {
  ctx = await createTestContext();
  company = await makeCompany(ctx.db, undefined, 'Nordljus Energi AB');
  coordinator = await signedIn(ctx, 'company_coordinator', company.id);
  otherCoordinator = await signedIn(ctx, 'company_coordinator', (await makeCompany(ctx.db, company.networkId)).id);
  counsellor = await signedIn(ctx, 'counsellor');
});
afterAll(() => ctx.close());

/** Posts a form the way a browser does, with a CSRF token from one of the agent's pages. */
async function post(agent: Agent, path: string, form: Record<string, string | string[]> = {}) {
  const token = csrfFrom((await agent.get('/account')).text);
  return agent.post(path).type('form').send(encodeForm({ _csrf: token, ...form }));
}

/** The message shown at an input (ids are "f-" + the input's name, brackets and all). */
function errorAt(html: string, name: string): string | undefined {
  const escaped = name.replace(/[[\]]/g, '\\$&');
  return new RegExp(`id="f-${escaped}-error">([^<]*)<`).exec(html)?.[1];
}

const idFrom = (location: string | undefined) => /^\/company\/stories\/([^/?]+)\?notice=saved$/.exec(location ?? '')?.[1] ?? '';

describe('the company’s story list', () => {
  it('shows each story with published or draft, consent, portrait and a link to edit it', async () => {
    const shown = await makeStory(ctx, coordinator.user, { name: 'Visad' });
    const draft = await makeStory(ctx, coordinator.user, { name: 'Utkastet', published: false });
    const res = await coordinator.agent.get('/company/stories');
    expect(res.status).toBe(200);
    expect(res.text).toContain('href="/company/stories/new"');
    const item = (id: string) => res.text.slice(res.text.indexOf(`href="/company/stories/${id}"`), res.text.indexOf('</li>', res.text.indexOf(`href="/company/stories/${id}"`)));
    expect(item(shown.id)).toContain('Visas');
    expect(item(shown.id)).toContain('Samtycke finns');
    expect(item(shown.id)).toContain('Inget porträtt');
    expect(item(draft.id)).toContain('Utkast');
    expect(item(draft.id)).toContain('Samtycke saknas');
  });

  it('does not show another company’s stories', async () => {
    const theirs = await makeStory(ctx, otherCoordinator.user, { name: 'Främlingen' });
    const res = await coordinator.agent.get('/company/stories');
    expect(res.text).not.toContain(theirs.id);
  });
});

describe('writing a new story', () => {
  it('shows a form with five empty path rows, the national programmes and the fields', async () => {
    const res = await coordinator.agent.get('/company/stories/new');
    expect(res.status).toBe(200);
    expect(res.text).toContain('name="path[4][kind]"');
    expect(res.text).not.toContain('name="path[5][kind]"');
    expect(res.text).toContain('<option value="TE">Teknikprogrammet</option>');
    expect(res.text).toContain('name="fields" value="electrical_energy"');
    expect(res.text).toContain('Personen har sagt ja till att berättelsen visas');
  });

  it('saves the story with its steps in order, skipping empty rows, and its fields', async () => {
    const res = await post(coordinator.agent, '/company/stories/new', {
      ...storyForm({ 'path[1][kind]': '', 'path[1][title]': '', 'path[1][fromYear]': '' }),
      'path[3][kind]': 'job',
      'path[3][title]': 'Drifttekniker',
      'path[3][fromYear]': '2017',
      fields: ['electrical_energy', 'environment'],
    });
    expect(res.status).toBe(303);
    const story = await getStory(ctx.db, idFrom(res.headers.location));
    expect(story.path.map((s) => [s.kind, s.title, s.programme])).toEqual([
      ['gymnasium', 'El- och energiprogrammet', 'EE'],
      ['job', 'Drifttekniker', null],
    ]);
    expect(story.fields).toEqual(['electrical_energy', 'environment']);
    expect(story).toMatchObject({ name: 'Sara', pronoun: 'hon', published: false, consent: null, companyId: company.id });
  });

  it('publishes at once with consent ticked, recording who gave it and when', async () => {
    const res = await post(coordinator.agent, '/company/stories/new', storyForm({ consent: 'yes', published: 'yes' }));
    expect(res.status).toBe(303);
    const story = await getStory(ctx.db, idFrom(res.headers.location));
    expect(story.published).toBe(true);
    expect(story.consent).toEqual({ person: 'Sara', recordedBy: coordinator.user.id, at: TEST_NOW, withdrawnAt: null });
  });

  it('refuses to publish without consent, with the message at the show checkbox, and stores nothing', async () => {
    const before = (await ctx.db.selectFrom('role_stories').select('id').execute()).length;
    const res = await post(coordinator.agent, '/company/stories/new', storyForm({ name: 'Utan samtycke', published: 'yes' }));
    expect(res.status).toBe(422);
    expect(errorAt(res.text, 'published')).toBe('Berättelsen kan bara visas om personen har sagt ja. Kryssa i att du har fått samtycke.');
    expect(res.text).toContain('value="Utan samtycke"');
    expect((await ctx.db.selectFrom('role_stories').select('id').execute()).length).toBe(before);
  });

  it('shows a step’s problem at the row it was written on, naming the step', async () => {
    const res = await post(coordinator.agent, '/company/stories/new', {
      ...storyForm({ 'path[1][kind]': '', 'path[1][title]': '', 'path[1][fromYear]': '' }),
      'path[2][kind]': 'job',
      'path[2][title]': '',
      'path[2][fromYear]': '2020',
      'path[2][toYear]': '2019',
    });
    expect(res.status).toBe(422);
    expect(errorAt(res.text, 'path[2][title]')).toBe('Fyll i titel (steg 3).');
    expect(res.text).toContain('value="2019"');
    // The empty row in between stays where it was, and more empty rows follow.
    expect(res.text).toContain('name="path[5][kind]"');
  });

  it('names the step whose years are the wrong way round', async () => {
    const res = await post(coordinator.agent, '/company/stories/new', storyForm({ 'path[1][fromYear]': '2019', 'path[1][toYear]': '2018' }));
    expect(res.status).toBe(422);
    expect(errorAt(res.text, 'path[1][toYear]')).toBe('Slutåret kan inte vara före startåret.');
  });

  it('asks for at least one step and for the day at work', async () => {
    const res = await post(coordinator.agent, '/company/stories/new', {
      ...storyForm({ dayAtWork: '' }),
      'path[0][kind]': '',
      'path[0][title]': '',
      'path[0][place]': '',
      'path[0][programme]': '',
      'path[0][fromYear]': '',
      'path[0][toYear]': '',
      'path[1][kind]': '',
      'path[1][title]': '',
      'path[1][fromYear]': '',
    });
    expect(res.status).toBe(422);
    expect(res.text).toContain('href="#f-path"');
    expect(errorAt(res.text, 'dayAtWork')).toBe('Fyll i en dag på jobbet.');
  });
});

describe('editing a story', () => {
  it('shows the saved story in the form, with three empty rows after its steps', async () => {
    const story = await makeStory(ctx, coordinator.user);
    const res = await coordinator.agent.get(`/company/stories/${story.id}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('value="Teknikprogrammet"');
    expect(res.text).toMatch(/name="path\[1\]\[programme\]"[^>]*>[\s\S]*?<option value="TE" selected>/);
    expect(res.text).toContain('name="path[5][kind]"');
    expect(res.text).not.toContain('name="path[6][kind]"');
    expect(res.text).toContain('Samtycke gavs av Amina');
  });

  it('saves changes to texts, steps and fields', async () => {
    const story = await makeStory(ctx, coordinator.user);
    const res = await post(coordinator.agent, `/company/stories/${story.id}`, storyForm({ name: 'Amina', published: 'yes', fields: 'it' }));
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/company/stories/${story.id}?notice=saved`);
    const saved = await getStory(ctx.db, story.id);
    expect(saved).toMatchObject({ title: 'Drifttekniker', fields: ['it'], published: true });
    expect(saved.path).toHaveLength(2);
  });

  it('refuses to publish a story whose consent is missing', async () => {
    const story = await makeStory(ctx, coordinator.user, { published: false });
    const res = await post(coordinator.agent, `/company/stories/${story.id}`, storyForm({ published: 'yes' }));
    expect(res.status).toBe(422);
    expect(errorAt(res.text, 'published')).toContain('personen har sagt ja');
    expect((await getStory(ctx.db, story.id)).published).toBe(false);
  });
});

describe('consent and publishing', () => {
  it('withdrawing consent unpublishes the story at once: gone from the library and its page', async () => {
    const story = await makeStory(ctx, coordinator.user, { name: 'Återkallad' });
    const pupil = supertest(ctx.app);
    expect((await pupil.get(`/stories/${story.id}`)).status).toBe(200);
    expect((await pupil.get(`/library/${company.networkId}`)).text).toContain(`/stories/${story.id}`);

    const res = await post(coordinator.agent, `/company/stories/${story.id}/consent/withdraw`);
    expect(res.headers.location).toBe(`/company/stories/${story.id}?notice=withdrawn`);
    const page = await coordinator.agent.get(`/company/stories/${story.id}?notice=withdrawn`);
    expect(page.text).toContain('Samtycket är återkallat. Berättelsen visas inte längre för någon.');

    expect((await pupil.get(`/stories/${story.id}`)).status).toBe(404);
    expect((await pupil.get(`/library/${company.networkId}`)).text).not.toContain(`/stories/${story.id}`);
    expect(await getStory(ctx.db, story.id)).toMatchObject({ published: false, consent: { withdrawnAt: TEST_NOW } });
  });

  it('cannot publish again after a withdrawal until consent is given anew', async () => {
    const story = await makeStory(ctx, coordinator.user);
    await post(coordinator.agent, `/company/stories/${story.id}/consent/withdraw`);
    const refused = await post(coordinator.agent, `/company/stories/${story.id}/publish`);
    expect(refused.status).toBe(422);
    expect(errorAt(refused.text, 'published')).toContain('personen har sagt ja');

    const again = await post(coordinator.agent, `/company/stories/${story.id}`, storyForm({ consent: 'yes', published: 'yes' }));
    expect(again.status).toBe(303);
    expect(await getStory(ctx.db, story.id)).toMatchObject({ published: true, consent: { withdrawnAt: null } });
  });

  it('publishes and unpublishes a story with consent from the list', async () => {
    const story = await makeStory(ctx, coordinator.user, { published: false, consent: true });
    const published = await post(coordinator.agent, `/company/stories/${story.id}/publish`);
    expect(published.status).toBe(303);
    expect(published.headers.location).toBe('/company/stories?notice=published');
    expect((await getStory(ctx.db, story.id)).published).toBe(true);

    const unpublished = await post(coordinator.agent, `/company/stories/${story.id}/unpublish`);
    expect(unpublished.status).toBe(303);
    expect((await getStory(ctx.db, story.id)).published).toBe(false);
    expect((await supertest(ctx.app).get(`/stories/${story.id}`)).status).toBe(404);
  });
});

describe('who may not', () => {
  it('refuses another company’s coordinator every action on the story', async () => {
    const story = await makeStory(ctx, coordinator.user);
    const other = otherCoordinator.agent;
    expect((await other.get(`/company/stories/${story.id}`)).status).toBe(403);
    expect((await post(other, `/company/stories/${story.id}`, storyForm({ name: 'Kapad' }))).status).toBe(403);
    expect((await post(other, `/company/stories/${story.id}/consent/withdraw`)).status).toBe(403);
    expect((await post(other, `/company/stories/${story.id}/unpublish`)).status).toBe(403);
    expect((await post(other, `/company/stories/${story.id}/publish`)).status).toBe(403);
    expect(await getStory(ctx.db, story.id)).toMatchObject({ name: 'Amina', published: true, consent: { withdrawnAt: null } });
  });

  it('refuses a counsellor the company’s story pages', async () => {
    expect((await counsellor.agent.get('/company/stories')).status).toBe(403);
    expect((await counsellor.agent.get('/company/stories/new')).status).toBe(403);
    expect((await post(counsellor.agent, '/company/stories/new', storyForm())).status).toBe(403);
  });

  it('sends an anonymous visitor to sign in, and refuses an anonymous post', async () => {
    const anonymous = supertest.agent(ctx.app);
    const res = await anonymous.get('/company/stories');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/login?next=%2Fcompany%2Fstories');
    const token = csrfFrom((await anonymous.get('/login')).text);
    const story = await makeStory(ctx, coordinator.user);
    const posted = await anonymous.post(`/company/stories/${story.id}/consent/withdraw`).type('form').send({ _csrf: token });
    expect(posted.status).toBe(401);
  });

  it('answers 404 for a story that does not exist', async () => {
    expect((await coordinator.agent.get('/company/stories/no-such-story')).status).toBe(404);
  });
});

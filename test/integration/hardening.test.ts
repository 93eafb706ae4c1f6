import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/api/tokens.service.ts';
import { cancelSlot } from '../../src/slots/slots.service.ts';
import { createTestContext, csrfFrom, postForm, type TestContext } from '../support/app.ts';
import { makeNetwork, makeSchool, makeUser } from '../support/factories.ts';
import { apiGet, apiPost, apiUser } from '../support/api.ts';
import { outboxTo, signedIn, tokenFromLink } from '../support/flows.ts';
import { companyWithStory, makeSlot, makeStory, submit } from '../support/slots.ts';

// Regressions for problems found in review: leaks of never-published data, 500s from odd input,
// and recovery steps that did not reach everything they should.
let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

describe('slots that were never published', () => {
  it('stay hidden after a draft is cancelled, on the page and in the API', async () => {
    const { user, story } = await companyWithStory(ctx);
    const draft = await makeSlot(ctx, user, [story.id], '2027-04-06T08:00', '2027-04-06T12:00', { status: 'draft', activities: 'Hemligt utkast' });
    await cancelSlot(ctx.db, user, draft.id, null, ctx.clock.now());
    const page = await supertest(ctx.app).get(`/slots/${draft.id}`);
    expect(page.status).toBe(404);
    expect(page.text).not.toContain('Hemligt utkast');
    expect((await apiGet(ctx, `/slots/${draft.id}`)).status).toBe(404);
  });

  it('are still shown as cancelled when they had been published', async () => {
    const { user, story } = await companyWithStory(ctx);
    const slot = await makeSlot(ctx, user, [story.id], '2027-04-07T08:00', '2027-04-07T12:00');
    await cancelSlot(ctx.db, user, slot.id, null, ctx.clock.now());
    expect((await apiGet(ctx, `/slots/${slot.id}`)).body).toMatchObject({ id: slot.id, status: 'cancelled' });
  });
});

describe('the catalogue field filter', () => {
  it('does not find a slot through the field of a host whose story is not shown', async () => {
    const { user } = await companyWithStory(ctx, { story: { fields: ['logistics'] } });
    const hidden = await makeStory(ctx, user, { name: 'Dold', fields: ['design'], published: false, consent: false });
    const slot = await makeSlot(ctx, user, [hidden.id], '2027-04-08T08:00', '2027-04-08T12:00');
    const res = await apiGet(ctx, '/slots?field=design');
    expect(res.status).toBe(200);
    expect(res.body.slots.map((s: { id: string }) => s.id)).not.toContain(slot.id);
  });
});

describe('odd input never gives a 500', () => {
  it('answers a form POST without a body with the form again, not a 500', async () => {
    const { agent } = await signedIn(ctx, 'company_coordinator');
    const page = await agent.get('/account');
    const res = await agent.post('/company/profile').set('x-csrf-token', csrfFrom(page.text));
    expect(res.status).toBe(422);
  });

  it('takes a field chosen twice on a story once', async () => {
    const { token } = await apiUser(ctx, 'company_coordinator');
    const res = await apiPost(ctx, '/stories', { name: 'Iris', title: 'Utvecklare', path: [{ kind: 'job', title: 'Utvecklare' }], dayAtWork: 'Jag kodar.', fields: ['it', 'it'] }, token);
    expect(res.status).toBe(201);
    expect(res.body.fields).toEqual(['it']);
  });

  it('takes a grade chosen twice on a slot once', async () => {
    const { agent, story } = await companyWithStory(ctx);
    const res = await submit(agent, '/company/slots/new', { storyIds: story.id, format: 'shadow_day', date: '2027-04-09', startTime: '08:00', endTime: '12:00', capacity: '4', grades: ['8', '8'], action: 'publish' });
    expect(res.status).toBe(303);
  });

  it('answers a broken multipart upload with a message at the field', async () => {
    const { agent, story } = await companyWithStory(ctx);
    const page = await agent.get(`/company/stories/${story.id}`);
    const res = await agent
      .post(`/company/stories/${story.id}/portrait?_csrf=${encodeURIComponent(csrfFrom(page.text))}`)
      .set('content-type', 'multipart/form-data')
      .send('not really multipart');
    expect(res.status).toBe(422);
  });
});

describe('invitations from different people', () => {
  it("do not cancel each other: someone else's invitation to the same address keeps working", async () => {
    const network = (await makeNetwork(ctx.db)).id;
    const schoolA = await makeSchool(ctx.db, network);
    const schoolB = await makeSchool(ctx.db, network);
    const coordinator = await signedIn(ctx, 'network_coordinator', network);
    const counsellorB = await signedIn(ctx, 'counsellor', schoolB.id);
    const email = 'dubbelinbjuden@skola.test';
    expect((await postForm(coordinator.agent, '/invitations', { email, grant: `counsellor:${schoolA.id}` }, '/invitations')).status).toBe(200);
    expect((await postForm(counsellorB.agent, '/invitations', { email, grant: `counsellor:${schoolB.id}` }, '/invitations')).status).toBe(200);
    const links = (await outboxTo(ctx, email)).map((m) => tokenFromLink(m.body_text, ctx.config.baseUrl, '/invitations/accept/'));
    expect(links).toHaveLength(2);
    for (const token of links) expect((await supertest(ctx.app).get(`/invitations/accept/${token}`)).status).toBe(200);
  });
});

describe('a password reset', () => {
  it('also stops the API keys made before it', async () => {
    const user = await makeUser(ctx.db, ctx.config, 'counsellor');
    const { token } = await createApiToken(ctx.db, user.id, 'skript', ctx.clock.now());
    expect((await apiGet(ctx, '/me', token)).status).toBe(200);
    await postForm(supertest.agent(ctx.app), '/password/forgot', { email: user.email }, '/password/forgot');
    const [mail] = await outboxTo(ctx, user.email);
    const reset = tokenFromLink(mail!.body_text, ctx.config.baseUrl, '/password/reset/');
    const agent = supertest.agent(ctx.app);
    expect((await postForm(agent, `/password/reset/${reset}`, { password: 'ett helt nytt lösenord' }, `/password/reset/${reset}`)).status).toBe(303);
    expect((await apiGet(ctx, '/me', token)).status).toBe(401);
  });
});

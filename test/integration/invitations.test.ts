import supertest from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestContext, postForm, TEST_NOW, type Agent, type TestContext } from '../support/app.ts';
import { makeCompany, makeNetwork, makeSchool, makeUser, PASSWORD } from '../support/factories.ts';
import { fieldError, outboxTo, signedIn, tokenFromLink } from '../support/flows.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());
beforeEach(() => ctx.clock.set(TEST_NOW));

let invitee = 0;
const newAddress = () => `inbjuden-${++invitee}@skola.test`;

const invite = (agent: Agent, email: string, grant: string) => postForm(agent, '/invitations', { email, grant }, '/invitations');

/** A network coordinator and a school in their network. */
async function coordinatorWithSchool() {
  const network = await makeNetwork(ctx.db);
  const school = await makeSchool(ctx.db, network.id);
  const { agent } = await signedIn(ctx, 'network_coordinator', network.id);
  return { network, school, agent };
}

/** Invites a new address as counsellor at a school in the coordinator's network; returns the link's token. */
async function invitedCounsellor() {
  const { school, agent } = await coordinatorWithSchool();
  const email = newAddress();
  expect((await invite(agent, email, `counsellor:${school.id}`)).status).toBe(200);
  const [mail] = await outboxTo(ctx, email);
  return { email, school, agent, token: tokenFromLink(mail!.body_text, ctx.config.baseUrl, '/invitations/accept/') };
}

const accept = (agent: Agent, token: string, form = { name: 'Vera Vägledare', password: 'ett nytt långt lösenord' }) =>
  postForm(agent, `/invitations/accept/${token}`, form, `/invitations/accept/${token}`);

describe('inviting a person', () => {
  it('mails an invitation link, held in the outbox when no SMTP server is set', async () => {
    const { school, agent } = await coordinatorWithSchool();
    const email = newAddress();
    const res = await invite(agent, email, `counsellor:${school.id}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain(`Inbjudan är skickad till ${email}.`);
    const mails = await outboxTo(ctx, email);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ status: 'held', subject: 'Du är inbjuden till Teknikprao' });
    expect(mails[0]!.body_text).toMatch(new RegExp(`${ctx.config.baseUrl}/invitations/accept/[A-Za-z0-9_-]{40,}`));
  });

  it('shows the held invitation mail to the platform admin', async () => {
    const { email } = await invitedCounsellor();
    const admin = await signedIn(ctx, 'platform_admin');
    const outbox = await admin.agent.get('/admin/outbox');
    expect(outbox.status).toBe(200);
    expect(outbox.text).toContain(email);
    expect(outbox.text).toContain('Sparat (ej skickat)');
  });

  it("lists the open invitation on the inviter's page", async () => {
    const { email, agent } = await invitedCounsellor();
    const page = await agent.get('/invitations');
    expect(page.text).toContain(email);
  });

  it('refuses to invite a counsellor for a school outside the network', async () => {
    const { agent } = await coordinatorWithSchool();
    const elsewhere = await makeSchool(ctx.db);
    const email = newAddress();
    const res = await invite(agent, email, `counsellor:${elsewhere.id}`);
    expect(res.status).toBe(403);
    expect(res.text).toContain('data-error-code="forbidden"');
    expect(await outboxTo(ctx, email)).toEqual([]);
  });

  it('lets a company coordinator invite a colleague at their own company', async () => {
    const company = await makeCompany(ctx.db);
    const { agent } = await signedIn(ctx, 'company_coordinator', company.id);
    const email = newAddress();
    expect((await invite(agent, email, `company_coordinator:${company.id}`)).status).toBe(200);
    expect(await outboxTo(ctx, email)).toHaveLength(1);
  });

  it('refuses a company coordinator inviting anyone but colleagues', async () => {
    const company = await makeCompany(ctx.db);
    const other = await makeCompany(ctx.db, company.networkId);
    const school = await makeSchool(ctx.db, company.networkId);
    const { user, agent } = await signedIn(ctx, 'company_coordinator', company.id);
    for (const grant of [`company_coordinator:${other.id}`, `counsellor:${school.id}`, `network_coordinator:${company.networkId}`, 'platform_admin:']) {
      const res = await invite(agent, newAddress(), grant);
      expect(res.status, grant).toBe(403);
    }
    expect(await ctx.db.selectFrom('invitations').select('id').where('invited_by', '=', user.id).execute()).toEqual([]);
  });

  it('says the address is taken, next to the field, when it already has an account (409)', async () => {
    const { school, agent } = await coordinatorWithSchool();
    const existing = await makeUser(ctx.db, ctx.config, 'counsellor', school.id);
    const res = await invite(agent, existing.email.toUpperCase(), `counsellor:${school.id}`);
    expect(res.status).toBe(409);
    expect(fieldError(res.text, 'email')).toBe('Det finns redan ett konto med den e-postadressen.');
    expect(await outboxTo(ctx, existing.email)).toEqual([]);
  });

  it('names the field when the e-mail address is not one (422)', async () => {
    const { school, agent } = await coordinatorWithSchool();
    const res = await invite(agent, 'inte-en-adress', `counsellor:${school.id}`);
    expect(res.status).toBe(422);
    expect(fieldError(res.text, 'email')).toMatch(/^Skriv en riktig e-postadress i e-postadress/);
  });
});

describe('inviting the same address again', () => {
  it('replaces the open invitation: only the newest link works', async () => {
    const { school, agent, email, token: first } = await invitedCounsellor();
    expect((await invite(agent, email, `counsellor:${school.id}`)).status).toBe(200);
    const mails = await outboxTo(ctx, email);
    // Both mails carry the same (fixed) time, so pick the new link by content, not by order.
    const links = mails.map((m) => tokenFromLink(m.body_text, ctx.config.baseUrl, '/invitations/accept/'));
    expect(links).toHaveLength(2);
    const second = links.find((token) => token !== first)!;
    expect((await supertest(ctx.app).get(`/invitations/accept/${first}`)).status).toBe(410);
    expect((await supertest(ctx.app).get(`/invitations/accept/${second}`)).status).toBe(200);
  });
});

describe('accepting an invitation', () => {
  it('shows the form for choosing a name and password', async () => {
    const { email, token } = await invitedCounsellor();
    const res = await supertest(ctx.app).get(`/invitations/accept/${token}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('Skapa ditt konto');
    expect(res.text).toContain(email);
    expect(res.text).toContain('Studie- och yrkesvägledare');
  });

  it('creates the account with the invited role and signs the person in', async () => {
    const { email, school, token } = await invitedCounsellor();
    const agent = supertest.agent(ctx.app);
    const res = await accept(agent, token);
    expect(res.status).toBe(303);
    const user = await ctx.db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirstOrThrow();
    expect(user).toMatchObject({ name: 'Vera Vägledare', role: 'counsellor', school_id: school.id });
    const home = await agent.get('/school');
    expect(home.status).toBe(200);
    expect(home.text).toContain(school.name);
  });

  it('lets the new person sign in later with the password they chose', async () => {
    const { email, token } = await invitedCounsellor();
    await accept(supertest.agent(ctx.app), token);
    const res = await postForm(supertest.agent(ctx.app), '/login', { email, password: 'ett nytt långt lösenord' });
    expect(res.status).toBe(303);
  });

  it('refuses a link that has been used (410)', async () => {
    const { token } = await invitedCounsellor();
    expect((await accept(supertest.agent(ctx.app), token)).status).toBe(303);
    const again = await supertest(ctx.app).get(`/invitations/accept/${token}`);
    expect(again.status).toBe(410);
    expect(again.text).toContain('Länken fungerar inte längre.');
    const secondAccept = await postForm(supertest.agent(ctx.app), `/invitations/accept/${token}`, { name: 'Ny', password: 'ett annat långt lösenord' });
    expect(secondAccept.status).toBe(410);
  });

  it('refuses a link older than 7 days (410)', async () => {
    const { token } = await invitedCounsellor();
    ctx.clock.advance({ days: 8 });
    expect((await supertest(ctx.app).get(`/invitations/accept/${token}`)).status).toBe(410);
    const res = await postForm(supertest.agent(ctx.app), `/invitations/accept/${token}`, { name: 'Sen', password: 'ett nytt långt lösenord' });
    expect(res.status).toBe(410);
  });

  it('re-shows the form with a Swedish message when the password is too short (422)', async () => {
    const { email, token } = await invitedCounsellor();
    const res = await accept(supertest.agent(ctx.app), token, { name: 'Vera', password: 'kort' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Välj ett lösenord');
    expect(res.text).toMatch(/minst 10 tecken/);
    expect(await ctx.db.selectFrom('users').select('id').where('email', '=', email).execute()).toEqual([]);
    expect((await supertest(ctx.app).get(`/invitations/accept/${token}`)).status).toBe(200);
  });
});

describe('revoking an invitation', () => {
  const invitationId = (email: string) => ctx.db.selectFrom('invitations').select('id').where('email', '=', email).executeTakeFirstOrThrow();

  it('makes the link stop working', async () => {
    const { email, agent, token } = await invitedCounsellor();
    const { id } = await invitationId(email);
    const res = await postForm(agent, `/invitations/${id}/revoke`, {}, '/invitations');
    expect(res.status).toBe(303);
    expect((await supertest(ctx.app).get(`/invitations/accept/${token}`)).status).toBe(410);
    expect((await agent.get('/invitations')).text).not.toContain(email);
  });

  it('is refused to someone who did not send the invitation', async () => {
    const { email, token } = await invitedCounsellor();
    const { id } = await invitationId(email);
    const stranger = await signedIn(ctx, 'network_coordinator');
    const res = await postForm(stranger.agent, `/invitations/${id}/revoke`, {}, '/invitations');
    expect(res.status).toBe(403);
    expect((await supertest(ctx.app).get(`/invitations/accept/${token}`)).status).toBe(200);
  });
});

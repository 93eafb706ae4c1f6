import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, csrfFrom, type TestContext } from '../support/app.ts';
import { makeNetwork, makeSchool, PASSWORD } from '../support/factories.ts';
import { jarCookie, signedIn } from '../support/flows.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

function expectCsrfRefusal(res: supertest.Response) {
  expect(res.status).toBe(403);
  expect(res.text).toContain('data-error-code="csrf_invalid"');
}

describe('CSRF protection', () => {
  it('refuses state-changing posts without a token, whoever sends them', async () => {
    const network = await makeNetwork(ctx.db);
    const admin = await signedIn(ctx, 'platform_admin');
    const coordinator = await signedIn(ctx, 'network_coordinator', network.id);
    const company = await signedIn(ctx, 'company_coordinator');
    const counsellor = await signedIn(ctx, 'counsellor');
    const cases = [
      { agent: supertest.agent(ctx.app), path: '/language', form: { lang: 'en' } },
      { agent: supertest.agent(ctx.app), path: '/password/forgot', form: { email: counsellor.user.email } },
      { agent: admin.agent, path: '/admin/networks', form: { name: 'Utan token', region: 'Dalarna' } },
      { agent: coordinator.agent, path: `/networks/${network.id}/schools`, form: { name: 'Utan token', municipality: 'Mora' } },
      { agent: company.agent, path: '/company/profile', form: { name: 'Utan token AB' } },
      { agent: counsellor.agent, path: '/school/join', form: { networkId: network.id } },
      { agent: counsellor.agent, path: '/account/tokens', form: { tokenName: 'Utan token' } },
      { agent: counsellor.agent, path: '/logout', form: {} },
    ];
    for (const { agent, path, form } of cases) {
      const res = await agent.post(path).type('form').send(form);
      expect(res.status, path).toBe(403);
      expect(res.text, path).toContain('data-error-code="csrf_invalid"');
    }
    // Nothing happened: the networks, profile and sessions are as they were.
    expect(await ctx.db.selectFrom('networks').select('id').where('name', '=', 'Utan token').execute()).toEqual([]);
    expect(await ctx.db.selectFrom('schools').select('id').where('name', '=', 'Utan token').execute()).toEqual([]);
    expect(await ctx.db.selectFrom('api_tokens').select('id').execute()).toEqual([]);
    expect((await counsellor.agent.get('/school')).status).toBe(200);
  });

  it('refuses a sign-in post without a token', async () => {
    const res = await supertest(ctx.app).post('/login').type('form').send({ email: 'someone@teknikprao.test', password: PASSWORD });
    expectCsrfRefusal(res);
  });

  it('refuses a made-up token', async () => {
    const { agent } = await signedIn(ctx, 'counsellor');
    await agent.get('/account');
    expectCsrfRefusal(await agent.post('/account/tokens').type('form').send({ _csrf: 'made-up-token', tokenName: 'Falsk' }));
  });

  it("refuses a token taken from another person's session", async () => {
    const victim = await signedIn(ctx, 'counsellor');
    const attacker = await signedIn(ctx, 'counsellor');
    const token = csrfFrom((await attacker.agent.get('/account')).text);
    await victim.agent.get('/account');
    expectCsrfRefusal(await victim.agent.post('/account/tokens').type('form').send({ _csrf: token, tokenName: 'Stulen' }));
  });

  it("refuses another session's token even together with that session's CSRF cookie", async () => {
    const victim = await signedIn(ctx, 'counsellor');
    const attacker = await signedIn(ctx, 'counsellor');
    const page = await attacker.agent.get('/account');
    const token = csrfFrom(page.text);
    const csrfCookie = jarCookie(attacker.agent, 'tp_csrf');
    expect(csrfCookie).toBeTruthy();
    const post = (session: string | undefined) =>
      supertest(ctx.app).post('/account/tokens').set('Cookie', `tp_session=${session}; tp_csrf=${csrfCookie}`).type('form').send({ _csrf: token, tokenName: 'Stulen' });
    expectCsrfRefusal(await post(jarCookie(victim.agent, 'tp_session')));
    // Control: the very same cookie and token work in the session they were made for.
    expect((await post(jarCookie(attacker.agent, 'tp_session'))).status).toBe(201);
  });

  it('refuses a token from before sign-in once signed in', async () => {
    const { user } = await signedIn(ctx, 'counsellor');
    const agent = supertest.agent(ctx.app);
    const anonymousToken = csrfFrom((await agent.get('/login')).text);
    const login = await agent.post('/login').type('form').send({ _csrf: anonymousToken, email: user.email, password: PASSWORD });
    expect(login.status).toBe(303);
    expectCsrfRefusal(await agent.post('/account/tokens').type('form').send({ _csrf: anonymousToken, tokenName: 'Gammal' }));
  });

  it('accepts the token of the same session', async () => {
    const { agent } = await signedIn(ctx, 'counsellor');
    const token = csrfFrom((await agent.get('/account')).text);
    const res = await agent.post('/account/tokens').type('form').send({ _csrf: token, tokenName: 'Rätt' });
    expect(res.status).toBe(201);
  });

  it('lets JSON API calls with a bearer token through without a CSRF token', async () => {
    const network = await makeNetwork(ctx.db);
    await makeSchool(ctx.db, network.id);
    const { agent } = await signedIn(ctx, 'platform_admin');
    const token = csrfFrom((await agent.get('/account')).text);
    const created = await agent.post('/account/tokens').type('form').send({ _csrf: token, tokenName: 'API' });
    const bearer = /data-testid="new-token">([^<]+)</.exec(created.text)![1]!;
    const res = await supertest(ctx.app).post('/api/v1/networks').set('Authorization', `Bearer ${bearer}`).send({ name: 'Via API', region: 'Gotland' });
    expect(res.status).toBe(201);
  });
});

import supertest from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { THROTTLE } from '../../src/auth/auth.service.ts';
import { hashToken } from '../../src/auth/secrets.ts';
import { createTestContext, csrfFrom, postForm, signIn, TEST_NOW, type TestContext } from '../support/app.ts';
import { apiGet, apiPost, apiUser, expectApiError } from '../support/api.ts';
import { makeNetwork, makeSchool, makeUser, PASSWORD } from '../support/factories.ts';

// Bearer tokens: getting one (POST /tokens), using it (GET /me), and when it stops working.

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());
// Every test signs in from the same address: start each one after the last one's throttling window.
beforeEach(() => ctx.clock.advance({ minutes: THROTTLE.windowMinutes + 1 }));

const counsellor = () => makeUser(ctx.db, ctx.config, 'counsellor');
const tokenRow = (id: string) => ctx.db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

describe('POST /api/v1/tokens', () => {
  it('answers 201 with the token and its id', async () => {
    const user = await counsellor();
    const res = await apiPost(ctx, '/tokens', { email: user.email, password: PASSWORD });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: expect.any(String), token: expect.stringMatching(/^tp_[\w-]{40,}$/) });
    expect(res.headers['cache-control']).toBe('no-store');
    expect((await tokenRow(res.body.id)).user_id).toBe(user.id);
  });

  it('stores the token only as a hash', async () => {
    const user = await counsellor();
    const { body } = await apiPost(ctx, '/tokens', { email: user.email, password: PASSWORD });
    const row = await tokenRow(body.id);
    expect(row.token_hash).toBe(hashToken(body.token));
    expect(JSON.stringify(row)).not.toContain(body.token);
  });

  it('accepts the e-mail address in any letter case', async () => {
    const user = await counsellor();
    const res = await apiPost(ctx, '/tokens', { email: ` ${user.email.toUpperCase()} `, password: PASSWORD });
    expect(res.status).toBe(201);
  });

  it('refuses a wrong password with 401 invalid_credentials in Swedish', async () => {
    const user = await counsellor();
    const res = await apiPost(ctx, '/tokens', { email: user.email, password: 'wrong password!' });
    expectApiError(res, 401, 'invalid_credentials');
    expect(res.body.error.message).toBe('Fel e-postadress eller lösenord.');
  });

  it('refuses the right password of a disabled user', async () => {
    const user = await counsellor();
    await ctx.db.updateTable('users').set({ disabled_at: TEST_NOW }).where('id', '=', user.id).execute();
    expectApiError(await apiPost(ctx, '/tokens', { email: user.email, password: PASSWORD }), 401, 'invalid_credentials');
  });

  it('names each missing field in Swedish (422)', async () => {
    const fields = expectApiError(await apiPost(ctx, '/tokens', {}), 422, 'validation_failed');
    expect(fields).toEqual({ email: 'Fyll i e-postadress.', password: 'Fyll i lösenord.' });
  });

  it('lists the new token on the account page, without the token itself', async () => {
    const user = await counsellor();
    const { body } = await apiPost(ctx, '/tokens', { email: user.email, password: PASSWORD });
    const account = await (await signIn(ctx.app, user.email, PASSWORD)).get('/account');
    expect(account.text).toContain(`/account/tokens/${body.id}/revoke`);
    expect(account.text).toContain(`…${body.token.slice(-4)}`);
    expect(account.text).not.toContain(body.token);
  });
});

describe('POST /api/v1/tokens throttling (like sign-in)', () => {
  const fail = async (email: string, times: number) => {
    for (let i = 0; i < times; i++) expectApiError(await apiPost(ctx, '/tokens', { email, password: 'wrong password!' }), 401, 'invalid_credentials');
  };

  it('refuses even the right password after 10 failures, with 429 and Retry-After', async () => {
    const user = await counsellor();
    await fail(user.email, THROTTLE.perAccount);
    const res = await apiPost(ctx, '/tokens', { email: user.email, password: PASSWORD });
    expectApiError(res, 429, 'too_many_attempts');
    expect(res.headers['retry-after']).toBe(String(THROTTLE.windowMinutes * 60));
    expect(res.body.error.message).toContain('För många misslyckade försök.');
  });

  it('allows 9 failures and then the right password', async () => {
    const user = await counsellor();
    await fail(user.email, THROTTLE.perAccount - 1);
    expect((await apiPost(ctx, '/tokens', { email: user.email, password: PASSWORD })).status).toBe(201);
  });

  it('counts failures on the sign-in form and the API together', async () => {
    const user = await counsellor();
    for (let i = 0; i < THROTTLE.perAccount - 1; i++) {
      const agent = supertest.agent(ctx.app);
      const page = await agent.get('/login');
      await agent.post('/login').type('form').send({ _csrf: csrfFrom(page.text), email: user.email, password: 'wrong password!' });
    }
    await fail(user.email, 1);
    expectApiError(await apiPost(ctx, '/tokens', { email: user.email, password: PASSWORD }), 429, 'too_many_attempts');
  });
});

describe('GET /api/v1/me', () => {
  it('describes the user behind the token, with the organisation id', async () => {
    const school = await makeSchool(ctx.db);
    const { user, token } = await apiUser(ctx, 'counsellor', school.id);
    const res = await apiGet(ctx, '/me', token);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: user.id, email: user.email, name: user.name, role: 'counsellor', organisationId: school.id, locale: 'sv' });
  });

  it('gives a platform admin a null organisation id', async () => {
    const { token } = await apiUser(ctx, 'platform_admin');
    const res = await apiGet(ctx, '/me', token);
    expect(res.body).toMatchObject({ role: 'platform_admin', organisationId: null });
  });

  it('records when the token was last used', async () => {
    const { user, token } = await apiUser(ctx, 'counsellor');
    await apiGet(ctx, '/me', token);
    const row = await ctx.db.selectFrom('api_tokens').selectAll().where('user_id', '=', user.id).executeTakeFirstOrThrow();
    expect(row.last_used_at).not.toBeNull();
  });

  it('answers 401 in JSON, with WWW-Authenticate, without a token', async () => {
    const res = await apiGet(ctx, '/me');
    expectApiError(res, 401, 'unauthenticated');
    expect(res.body.error.message).toBe('Du behöver logga in först.');
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
  });

  it('answers 401 to an unknown token', async () => {
    expectApiError(await apiGet(ctx, '/me', 'tp_not-a-real-token'), 401, 'unauthenticated');
  });

  it('answers 401 to a token sent with another scheme than Bearer', async () => {
    const { token } = await apiUser(ctx, 'counsellor');
    expectApiError(await apiGet(ctx, '/me').set('Authorization', `Basic ${token}`), 401, 'unauthenticated');
  });
});

describe('when a token stops working', () => {
  it('refuses a token revoked on the account page (401)', async () => {
    const user = await counsellor();
    const { body } = await apiPost(ctx, '/tokens', { email: user.email, password: PASSWORD });
    expect((await apiGet(ctx, '/me', body.token)).status).toBe(200);
    const agent = await signIn(ctx.app, user.email, PASSWORD);
    const revoke = await postForm(agent, `/account/tokens/${body.id}/revoke`, {}, '/account');
    expect(revoke.status).toBe(303);
    expectApiError(await apiGet(ctx, '/me', body.token), 401, 'unauthenticated');
  });

  it('refuses the token of a user who has been disabled (401)', async () => {
    const { user, token } = await apiUser(ctx, 'counsellor');
    await ctx.db.updateTable('users').set({ disabled_at: TEST_NOW }).where('id', '=', user.id).execute();
    expectApiError(await apiGet(ctx, '/me', token), 401, 'unauthenticated');
  });

  it('applies the current role of a user whose role has changed, not the role the token was made with', async () => {
    const network = await makeNetwork(ctx.db);
    const school = await makeSchool(ctx.db, network.id);
    const { user, token } = await apiUser(ctx, 'network_coordinator', network.id);
    await ctx.db.updateTable('users').set({ role: 'counsellor', network_id: null, school_id: school.id }).where('id', '=', user.id).execute();
    expect((await apiGet(ctx, '/me', token)).body).toMatchObject({ role: 'counsellor', organisationId: school.id });
    const res = await apiPost(ctx, `/networks/${network.id}/schools`, { name: 'Ny skola', municipality: 'Karlstad' }, token);
    expectApiError(res, 403, 'forbidden');
  });
});

describe('the API never accepts the session cookie', () => {
  it('answers 401 to a signed-in browser without a bearer token', async () => {
    const user = await counsellor();
    const agent = await signIn(ctx.app, user.email, PASSWORD);
    expect((await agent.get('/account')).status).toBe(200);
    expectApiError(await agent.get('/api/v1/me'), 401, 'unauthenticated');
  });

  it('answers 401, not a CSRF error, to a cookie-only POST from a signed-in admin', async () => {
    const admin = await makeUser(ctx.db, ctx.config, 'platform_admin');
    const agent = await signIn(ctx.app, admin.email, PASSWORD);
    expectApiError(await agent.post('/api/v1/networks').send({ name: 'Via kaka', region: 'Värmland' }), 401, 'unauthenticated');
    expect(await ctx.db.selectFrom('networks').select('id').where('name', '=', 'Via kaka').executeTakeFirst()).toBeUndefined();
  });

  it('does not serve the API under another letter case, where the cookie would count', async () => {
    const user = await counsellor();
    const agent = await signIn(ctx.app, user.email, PASSWORD);
    const res = await agent.get('/API/v1/me');
    expect(res.status).toBe(404);
    expect(res.text).not.toContain(user.email);
  });

  it('uses the bearer token, not the cookie, when both are sent', async () => {
    const cookieUser = await counsellor();
    const agent = await signIn(ctx.app, cookieUser.email, PASSWORD);
    const { user, token } = await apiUser(ctx, 'company_coordinator');
    const res = await agent.get('/api/v1/me').set('Authorization', `Bearer ${token}`);
    expect(res.body.id).toBe(user.id);
  });
});

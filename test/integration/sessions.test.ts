import supertest from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestContext, csrfFrom, postForm, signIn, TEST_NOW, type TestContext } from '../support/app.ts';
import { makeUser, PASSWORD } from '../support/factories.ts';
import { cookieSet } from '../support/flows.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());
beforeEach(() => ctx.clock.set(TEST_NOW));

/** Signs a new counsellor in and returns the agent and the raw session cookie value. */
async function signedInWithCookie() {
  const user = await makeUser(ctx.db, ctx.config, 'counsellor');
  const agent = supertest.agent(ctx.app);
  const res = await postForm(agent, '/login', { email: user.email, password: PASSWORD });
  expect(res.status).toBe(303);
  const session = cookieSet(res, 'tp_session');
  expect(session).toBeTruthy();
  return { user, agent, session: session! };
}

const withCookie = (path: string, session: string) => supertest(ctx.app).get(path).set('Cookie', `tp_session=${session}`);

describe('signing out', () => {
  it('ends the session for the browser that signed out', async () => {
    const { agent } = await signedInWithCookie();
    const out = await postForm(agent, '/logout', {}, '/school');
    expect(out.status).toBe(303);
    expect(out.headers.location).toBe('/login?notice=signed_out');
    const after = await agent.get('/school');
    expect(after.status).toBe(303);
    expect(after.headers.location).toBe('/login?next=%2Fschool');
  });

  it('makes a copy of the old session cookie worthless when replayed', async () => {
    const { agent, session } = await signedInWithCookie();
    expect((await withCookie('/school', session)).status).toBe(200);
    await postForm(agent, '/logout', {}, '/school');
    const replay = await withCookie('/school', session);
    expect(replay.status).toBe(303);
    expect(replay.headers.location).toBe('/login?next=%2Fschool');
  });

  it('leaves the same user signed in on another device', async () => {
    const { user, agent } = await signedInWithCookie();
    const phone = await signIn(ctx.app, user.email, PASSWORD);
    await postForm(agent, '/logout', {}, '/school');
    expect((await phone.get('/school')).status).toBe(200);
  });
});

describe('session expiry', () => {
  it('keeps a session alive while it is used within the idle timeout', async () => {
    const { session } = await signedInWithCookie();
    for (let i = 0; i < 3; i++) {
      ctx.clock.advance({ minutes: ctx.config.sessionIdleMinutes - 1 });
      expect((await withCookie('/school', session)).status).toBe(200);
    }
  });

  it('ends a session left idle for longer than the idle timeout', async () => {
    const { session } = await signedInWithCookie();
    ctx.clock.advance({ minutes: ctx.config.sessionIdleMinutes });
    const res = await withCookie('/school', session);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/login?next=%2Fschool');
  });

  it('ends even a busy session after the absolute lifetime', async () => {
    const { session } = await signedInWithCookie();
    const steps = ctx.config.sessionMaxHours * 2 - 1;
    for (let i = 0; i < steps; i++) {
      ctx.clock.advance({ minutes: 30 });
      expect((await withCookie('/school', session)).status, `after ${(i + 1) * 30} minutes`).toBe(200);
    }
    ctx.clock.advance({ minutes: 30 }); // exactly sessionMaxHours after sign-in
    expect((await withCookie('/school', session)).status).toBe(303);
  });

  it('removes an expired session from the database', async () => {
    const { user, session } = await signedInWithCookie();
    ctx.clock.advance({ minutes: ctx.config.sessionIdleMinutes + 1 });
    await withCookie('/school', session);
    const rows = await ctx.db.selectFrom('sessions').select('id_hash').where('user_id', '=', user.id).execute();
    expect(rows).toEqual([]);
  });
});

describe('session identity', () => {
  it('gives a fresh session id at sign-in, ignoring a cookie planted before', async () => {
    const user = await makeUser(ctx.db, ctx.config, 'counsellor');
    const planted = 'planted-by-an-attacker-0123456789abcdef';
    const agent = supertest.agent(ctx.app);
    const page = await agent.get('/login').set('Cookie', `tp_session=${planted}`);
    const res = await agent
      .post('/login')
      .set('Cookie', `tp_session=${planted}`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), email: user.email, password: PASSWORD });
    expect(res.status).toBe(303);
    const session = cookieSet(res, 'tp_session');
    expect(session).toBeTruthy();
    expect(session).not.toBe(planted);
    expect((await withCookie('/school', planted)).status).toBe(303);
    expect((await withCookie('/school', session!)).status).toBe(200);
  });

  it('gives a different session id each time the same person signs in', async () => {
    const user = await makeUser(ctx.db, ctx.config, 'counsellor');
    const first = await postForm(supertest.agent(ctx.app), '/login', { email: user.email, password: PASSWORD });
    const second = await postForm(supertest.agent(ctx.app), '/login', { email: user.email, password: PASSWORD });
    expect(cookieSet(first, 'tp_session')).toBeTruthy();
    expect(cookieSet(second, 'tp_session')).not.toBe(cookieSet(first, 'tp_session'));
  });

  it('stores only a hash of the session id', async () => {
    const { user, session } = await signedInWithCookie();
    const rows = await ctx.db.selectFrom('sessions').select('id_hash').where('user_id', '=', user.id).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.id_hash).not.toContain(session);
    expect(rows[0]!.id_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('sends a signed-in person who opens the sign-in page to their start page', async () => {
    const { agent } = await signedInWithCookie();
    const res = await agent.get('/login');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/');
  });
});

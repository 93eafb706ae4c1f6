import supertest from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { THROTTLE } from '../../src/auth/auth.service.ts';
import { createTestContext, csrfFrom, type TestContext } from '../support/app.ts';
import { makeUser, PASSWORD } from '../support/factories.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());
// Every test here signs in from the same address: start each one after the last one's window.
beforeEach(() => ctx.clock.advance({ minutes: THROTTLE.windowMinutes + 1 }));

const WINDOW_SECONDS = THROTTLE.windowMinutes * 60;

async function attempt(email: string, password: string) {
  const agent = supertest.agent(ctx.app);
  const page = await agent.get('/login');
  return agent.post('/login').type('form').send({ _csrf: csrfFrom(page.text), email, password });
}

async function fail(email: string, times: number) {
  for (let i = 0; i < times; i++) expect((await attempt(email, 'wrong password!')).status).toBe(401);
}

const counsellor = () => makeUser(ctx.db, ctx.config, 'counsellor');

describe('sign-in throttling per account', () => {
  it('refuses even the right password after 10 failures in 15 minutes, with Retry-After', async () => {
    const user = await counsellor();
    await fail(user.email, THROTTLE.perAccount);
    const res = await attempt(user.email, PASSWORD);
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe(String(WINDOW_SECONDS));
    expect(res.text).toContain('För många misslyckade försök.');
    expect(res.headers['set-cookie']?.toString() ?? '').not.toContain('tp_session=');
  });

  it('counts the Retry-After from the oldest failure in the window', async () => {
    const user = await counsellor();
    await fail(user.email, 1);
    ctx.clock.advance({ minutes: 5 });
    await fail(user.email, THROTTLE.perAccount - 1);
    const res = await attempt(user.email, PASSWORD);
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe(String(WINDOW_SECONDS - 5 * 60));
  });

  it('lets the right password in again once the window has passed', async () => {
    const user = await counsellor();
    await fail(user.email, THROTTLE.perAccount);
    ctx.clock.advance({ minutes: THROTTLE.windowMinutes - 1 });
    expect((await attempt(user.email, PASSWORD)).status).toBe(429);
    ctx.clock.advance({ minutes: 1 });
    const res = await attempt(user.email, PASSWORD);
    expect(res.status).toBe(303);
  });

  it('allows 9 failures without locking the account', async () => {
    const user = await counsellor();
    await fail(user.email, THROTTLE.perAccount - 1);
    expect((await attempt(user.email, PASSWORD)).status).toBe(303);
  });

  it('does not count a successful sign-in towards the limit', async () => {
    const user = await counsellor();
    await fail(user.email, THROTTLE.perAccount - 1);
    expect((await attempt(user.email, PASSWORD)).status).toBe(303);
    // The 11th attempt is still answered: had the success counted, it would be locked out.
    expect((await attempt(user.email, 'wrong password!')).status).toBe(401);
  });

  it("clears the account's earlier failures when the right password is given", async () => {
    const user = await counsellor();
    await fail(user.email, THROTTLE.perAccount - 1);
    expect((await attempt(user.email, PASSWORD)).status).toBe(303);
    await fail(user.email, THROTTLE.perAccount - 1);
    // 18 failures in the window in all, but only 9 since the success: still let in.
    expect((await attempt(user.email, PASSWORD)).status).toBe(303);
  });

  it('locks the account however the e-mail address is capitalised', async () => {
    const user = await counsellor();
    await fail(user.email.toUpperCase(), THROTTLE.perAccount);
    expect((await attempt(user.email, PASSWORD)).status).toBe(429);
  });

  it('does not lock other accounts when one account is locked', async () => {
    const [locked, other] = [await counsellor(), await counsellor()];
    await fail(locked.email, THROTTLE.perAccount);
    expect((await attempt(other.email, PASSWORD)).status).toBe(303);
  });

  it('throttles the API token exchange together with the sign-in form', async () => {
    const user = await counsellor();
    await fail(user.email, THROTTLE.perAccount);
    const res = await supertest(ctx.app).post('/api/v1/tokens').send({ email: user.email, password: PASSWORD });
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe(String(WINDOW_SECONDS));
    expect(res.body.error.code).toBe('too_many_attempts');
  });
});

describe('sign-in throttling per address', () => {
  it('refuses every account from an address after 50 failures across accounts', async () => {
    const perAccount = THROTTLE.perAccount - 1;
    const accounts = Math.ceil(THROTTLE.perAddress / perAccount);
    for (let i = 0; i < accounts; i++) {
      const user = await counsellor();
      await fail(user.email, Math.min(perAccount, THROTTLE.perAddress - i * perAccount));
    }
    const fresh = await counsellor();
    const res = await attempt(fresh.email, PASSWORD);
    expect(res.status).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('allows 49 failures across accounts from one address', async () => {
    for (let i = 0; i < THROTTLE.perAddress - 1; i++) expect((await attempt(`nobody-${i}@teknikprao.test`, 'wrong password!')).status).toBe(401);
    const fresh = await counsellor();
    expect((await attempt(fresh.email, PASSWORD)).status).toBe(303);
  });
});

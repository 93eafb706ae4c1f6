import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, postForm, signIn, type Agent, type TestContext } from '../support/app.ts';
import { makeUser, PASSWORD } from '../support/factories.ts';
import { cookieSet, signedIn } from '../support/flows.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

const switchTo = (agent: Agent, lang: string, returnTo: string, tokenFrom = returnTo) => postForm(agent, '/language', { lang, returnTo }, tokenFrom);

describe('choosing the language', () => {
  it('switches an anonymous visitor to English and goes back to the page', async () => {
    const agent = supertest.agent(ctx.app);
    const res = await switchTo(agent, 'en', '/login');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/login');
    const page = await agent.get('/login');
    expect(page.text).toContain('<html lang="en">');
    expect(page.text).toContain('Sign in with your e-mail address and password.');
    expect(page.text).not.toContain('Logga in med din e-postadress');
  });

  it('remembers the choice in a long-lived HttpOnly cookie', async () => {
    const res = await switchTo(supertest.agent(ctx.app), 'en', '/');
    expect(cookieSet(res, 'tp_lang')).toBe('en');
    const cookie = [res.headers['set-cookie']].flat().find((c) => c?.startsWith('tp_lang='));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/Max-Age=\d{7,}/);
  });

  it('switches back to Swedish', async () => {
    const agent = supertest.agent(ctx.app);
    await switchTo(agent, 'en', '/login');
    await switchTo(agent, 'sv', '/login');
    const page = await agent.get('/login');
    expect(page.text).toContain('<html lang="sv">');
    expect(page.text).toContain('Logga in med din e-postadress och ditt lösenord.');
  });

  it('offers the switch in the other language on every page', async () => {
    const sv = await supertest(ctx.app).get('/');
    expect(sv.text).toMatch(/<button type="submit" class="link-button" lang="en">In English<\/button>/);
    const agent = supertest.agent(ctx.app);
    await switchTo(agent, 'en', '/');
    expect((await agent.get('/')).text).toMatch(/lang="sv">På svenska</);
  });

  it('refuses a language it does not have (422) and keeps Swedish', async () => {
    const agent = supertest.agent(ctx.app);
    const res = await switchTo(agent, 'de', '/login');
    expect(res.status).toBe(422);
    expect(cookieSet(res, 'tp_lang')).toBeUndefined();
    expect((await agent.get('/login')).text).toContain('<html lang="sv">');
  });

  it('never sends the visitor to another site afterwards', async () => {
    const res = await switchTo(supertest.agent(ctx.app), 'en', '//evil.example/phish', '/login');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/');
  });

  it('saves a signed-in person’s choice on the account, so it follows them to a new browser', async () => {
    const { user, agent } = await signedIn(ctx, 'counsellor');
    await switchTo(agent, 'en', '/school');
    expect((await ctx.db.selectFrom('users').select('locale').where('id', '=', user.id).executeTakeFirstOrThrow()).locale).toBe('en');
    const fresh = await signIn(ctx.app, user.email, PASSWORD);
    const page = await fresh.get('/account');
    expect(page.text).toContain('<html lang="en">');
    expect(page.text).toContain('My account');
    expect(page.text).toContain('School counsellor');
  });

  it('uses the account’s language over a different cookie once signed in', async () => {
    const { user, agent } = await signedIn(ctx, 'counsellor');
    await switchTo(agent, 'en', '/school');
    const other = supertest.agent(ctx.app);
    await switchTo(other, 'sv', '/login');
    // Signing in with a Swedish cookie makes Swedish the account's choice (the latest one made).
    await postForm(other, '/login', { email: user.email, password: PASSWORD });
    expect((await other.get('/account')).text).toContain('<html lang="sv">');
    await ctx.db.updateTable('users').set({ locale: 'en' }).where('id', '=', user.id).execute();
    expect((await other.get('/account')).text).toContain('<html lang="en">');
  });

  it('keeps a choice made before signing in for the account', async () => {
    const user = await makeUser(ctx.db, ctx.config, 'counsellor');
    const agent = supertest.agent(ctx.app);
    await switchTo(agent, 'en', '/login');
    await postForm(agent, '/login', { email: user.email, password: PASSWORD });
    expect((await ctx.db.selectFrom('users').select('locale').where('id', '=', user.id).executeTakeFirstOrThrow()).locale).toBe('en');
    expect((await agent.get('/school')).text).toContain('My school');
  });
});

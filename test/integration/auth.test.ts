import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, csrfFrom, postForm, signIn, type TestContext } from '../support/app.ts';
import { makeUser, PASSWORD } from '../support/factories.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

describe('sign-in', () => {
  it('shows the sign-in form in Swedish', async () => {
    const res = await supertest(ctx.app).get('/login');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<html lang="sv">');
    expect(res.text).toContain('Logga in');
  });

  it('signs in a counsellor and lands on their school page', async () => {
    const user = await makeUser(ctx.db, ctx.config, 'counsellor');
    const agent = await signIn(ctx.app, user.email, PASSWORD);
    const home = await agent.get('/');
    expect(home.status).toBe(303);
    expect(home.headers.location).toBe('/school');
    const school = await agent.get('/school');
    expect(school.status).toBe(200);
    expect(school.text).toContain(user.name.split(' ')[0]!.length > 0 ? 'Min skola' : '');
  });

  it('sets the session cookie HttpOnly and SameSite=Lax', async () => {
    const user = await makeUser(ctx.db, ctx.config, 'counsellor');
    const agent = supertest.agent(ctx.app);
    const res = await postForm(agent, '/login', { email: user.email, password: PASSWORD });
    const cookie = [res.headers['set-cookie']].flat().find((c) => c?.startsWith('tp_session='));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
  });

  it('refuses a wrong password with a Swedish message and no session', async () => {
    const user = await makeUser(ctx.db, ctx.config, 'counsellor');
    const agent = supertest.agent(ctx.app);
    const res = await postForm(agent, '/login', { email: user.email, password: 'wrong password!' });
    expect(res.status).toBe(401);
    expect(res.text).toContain('Fel e-postadress eller lösenord.');
    expect((await agent.get('/school')).status).toBe(303);
  });

  it('refuses a sign-in POST without a CSRF token with 403', async () => {
    const user = await makeUser(ctx.db, ctx.config, 'counsellor');
    const res = await supertest(ctx.app).post('/login').type('form').send({ email: user.email, password: PASSWORD });
    expect(res.status).toBe(403);
    expect(res.text).toContain('data-error-code="csrf_invalid"');
  });

  it('names the wrong fields when the form is empty (422)', async () => {
    const agent = supertest.agent(ctx.app);
    const page = await agent.get('/login');
    const res = await agent.post('/login').type('form').send({ _csrf: csrfFrom(page.text), email: 'inte-en-adress', password: '' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Skriv en riktig e-postadress i e-postadress');
    expect(res.text).toContain('Fyll i lösenord.');
  });
});

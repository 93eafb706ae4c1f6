import supertest from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestContext, postForm, signIn, TEST_NOW, type TestContext } from '../support/app.ts';
import { makeUser, PASSWORD } from '../support/factories.ts';
import { outboxTo, tokenFromLink, withoutCsrf } from '../support/flows.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());
beforeEach(() => ctx.clock.set(TEST_NOW));

const NEW_PASSWORD = 'a brand new passphrase';

const forgot = (email: string) => postForm(supertest.agent(ctx.app), '/password/forgot', { email }, '/password/forgot');

/** A user who asked for a reset link, and the link's token from the mail. */
async function userWithResetLink() {
  const user = await makeUser(ctx.db, ctx.config, 'counsellor');
  expect((await forgot(user.email)).status).toBe(200);
  const [mail] = await outboxTo(ctx, user.email);
  return { user, token: tokenFromLink(mail!.body_text, ctx.config.baseUrl, '/password/reset/') };
}

const reset = (token: string, password = NEW_PASSWORD) =>
  postForm(supertest.agent(ctx.app), `/password/reset/${token}`, { password }, `/password/reset/${token}`);

describe('asking for a reset link', () => {
  it('answers the same for a known and an unknown address', async () => {
    const user = await makeUser(ctx.db, ctx.config, 'counsellor');
    const known = await forgot(user.email);
    const unknown = await forgot('ingen-alls@teknikprao.test');
    expect(known.status).toBe(200);
    expect(unknown.status).toBe(known.status);
    expect(withoutCsrf(unknown.text)).toBe(withoutCsrf(known.text));
    expect(known.text).toContain('Om det finns ett konto med den adressen har vi skickat en länk.');
  });

  it('mails a reset link to a known address', async () => {
    const user = await makeUser(ctx.db, ctx.config, 'counsellor');
    await forgot(user.email);
    const mails = await outboxTo(ctx, user.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe('Välj nytt lösenord i Teknikprao');
    expect(mails[0]!.body_text).toMatch(new RegExp(`${ctx.config.baseUrl}/password/reset/[A-Za-z0-9_-]{40,}`));
  });

  it('mails nothing for an unknown address', async () => {
    await forgot('okand@teknikprao.test');
    expect(await outboxTo(ctx, 'okand@teknikprao.test')).toEqual([]);
  });

  it('writes the mail in the language of the account', async () => {
    const user = await makeUser(ctx.db, ctx.config, 'counsellor');
    await ctx.db.updateTable('users').set({ locale: 'en' }).where('id', '=', user.id).execute();
    await forgot(user.email);
    const [mail] = await outboxTo(ctx, user.email);
    expect(mail!.subject).toBe('Choose a new password for Teknikprao');
  });
});

describe('using a reset link', () => {
  it('shows the form for a new password', async () => {
    const { token } = await userWithResetLink();
    const res = await supertest(ctx.app).get(`/password/reset/${token}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('Välj nytt lösenord');
  });

  it('sets the new password and sends the person to sign in', async () => {
    const { user, token } = await userWithResetLink();
    const res = await reset(token);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/login?notice=password_changed');
    expect((await postForm(supertest.agent(ctx.app), '/login', { email: user.email, password: NEW_PASSWORD })).status).toBe(303);
  });

  it('makes the old password stop working', async () => {
    const { user, token } = await userWithResetLink();
    await reset(token);
    expect((await postForm(supertest.agent(ctx.app), '/login', { email: user.email, password: PASSWORD })).status).toBe(401);
  });

  it('signs the person out everywhere', async () => {
    const user = await makeUser(ctx.db, ctx.config, 'counsellor');
    const laptop = await signIn(ctx.app, user.email, PASSWORD);
    expect((await laptop.get('/school')).status).toBe(200);
    await forgot(user.email);
    const [mail] = await outboxTo(ctx, user.email);
    await reset(tokenFromLink(mail!.body_text, ctx.config.baseUrl, '/password/reset/'));
    const after = await laptop.get('/school');
    expect(after.status).toBe(303);
    expect(after.headers.location).toBe('/login?next=%2Fschool');
  });

  it('works only once (410 the second time)', async () => {
    const { token } = await userWithResetLink();
    expect((await reset(token)).status).toBe(303);
    expect((await supertest(ctx.app).get(`/password/reset/${token}`)).status).toBe(410);
    const again = await reset(token, 'yet another passphrase');
    expect(again.status).toBe(410);
    expect(again.text).toContain('data-error-code="link_invalid"');
  });

  it('still works 59 minutes after it was sent', async () => {
    const { token } = await userWithResetLink();
    ctx.clock.advance({ minutes: 59 });
    expect((await reset(token)).status).toBe(303);
  });

  it('stops working 60 minutes after it was sent', async () => {
    const { user, token } = await userWithResetLink();
    ctx.clock.advance({ minutes: 60 });
    expect((await supertest(ctx.app).get(`/password/reset/${token}`)).status).toBe(410);
    expect((await reset(token)).status).toBe(410);
    expect((await postForm(supertest.agent(ctx.app), '/login', { email: user.email, password: PASSWORD })).status).toBe(303);
  });

  it('refuses a token nobody was sent (410)', async () => {
    expect((await supertest(ctx.app).get(`/password/reset/${'x'.repeat(43)}`)).status).toBe(410);
  });

  it('shows a cut-off link as a link that no longer works (410), not as a form error', async () => {
    const res = await supertest(ctx.app).get('/password/reset/abc');
    expect(res.status).toBe(410);
    expect(res.text).toContain('data-error-code="link_invalid"');
  });

  it('re-shows the form with a Swedish message when the new password is too short (422)', async () => {
    const { user, token } = await userWithResetLink();
    const res = await reset(token, 'kort');
    expect(res.status).toBe(422);
    expect(res.text).toContain('Lösenord måste ha minst 10 tecken.');
    // The link is not used up by a refused attempt, and the old password still works.
    expect((await supertest(ctx.app).get(`/password/reset/${token}`)).status).toBe(200);
    expect((await postForm(supertest.agent(ctx.app), '/login', { email: user.email, password: PASSWORD })).status).toBe(303);
  });
});

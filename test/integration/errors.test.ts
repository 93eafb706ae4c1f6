import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, postForm, type TestContext } from '../support/app.ts';
import { signedIn } from '../support/flows.ts';
import { loggedPath } from '../../src/app.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

describe('a page that does not exist', () => {
  it('answers 404 with a Swedish page by default', async () => {
    const res = await supertest(ctx.app).get('/finns/inte');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.text).toContain('<html lang="sv">');
    expect(res.text).toContain('Sidan finns inte.');
    expect(res.text).toContain('data-error-code="not_found"');
  });

  it.each(['/slots/%E2%82', '/stories/%E2%82', '/p/%E2%82', '/api/v1/slots/%E2%82'])('answers 404, not 500, for a broken %%-escape in %s', async (path) => {
    const res = await supertest(ctx.app).get(path);
    expect(res.status).toBe(404);
  });

  it('answers in English for a visitor who chose English', async () => {
    const agent = supertest.agent(ctx.app);
    await postForm(agent, '/language', { lang: 'en', returnTo: '/' });
    const res = await agent.get('/finns/inte');
    expect(res.status).toBe(404);
    expect(res.text).toContain('<html lang="en">');
    expect(res.text).toContain('The page does not exist.');
  });

  it("answers in the signed-in person's language", async () => {
    const { user, agent } = await signedIn(ctx, 'counsellor');
    await ctx.db.updateTable('users').set({ locale: 'en' }).where('id', '=', user.id).execute();
    const res = await agent.get('/finns/inte');
    expect(res.status).toBe(404);
    expect(res.text).toContain('The page does not exist.');
  });

  it('answers 404 for an unknown id in a known route', async () => {
    const { agent } = await signedIn(ctx, 'platform_admin');
    const res = await agent.get('/networks/no-such-network');
    expect(res.status).toBe(404);
    expect(res.text).toContain('data-error-code="not_found"');
  });
});

describe('a form the server cannot read', () => {
  it('answers a form with too many fields with a 413 page, not a 500', async () => {
    const fields = Object.fromEntries(Array.from({ length: 650 }, (_, i) => [`f${i}`, 'x']));
    const res = await supertest(ctx.app).post('/login').type('form').send(fields);
    expect(res.status).toBe(413);
    expect(res.text).toContain('data-error-code="payload_too_large"');
    expect(res.text).toContain('<html lang="sv">');
  });
});

describe('the JSON API', () => {
  it('answers an unknown path with a JSON 404 in the one error shape', async () => {
    const res = await supertest(ctx.app).get('/api/v1/finns-inte');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.body).toEqual({ error: { code: 'not_found', message: 'Sidan finns inte.', fields: {} } });
  });

  it('answers unreadable JSON with 400 invalid_json', async () => {
    const res = await supertest(ctx.app).post('/api/v1/tokens').set('Content-Type', 'application/json').send('{"email": ');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_json');
  });

  it('names each wrong field in a 422', async () => {
    const res = await supertest(ctx.app).post('/api/v1/tokens').send({ email: 'inte-en-adress' });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('validation_failed');
    expect(Object.keys(res.body.error.fields).sort()).toEqual(['email', 'password']);
  });
});

describe('an unexpected failure', () => {
  // A real fault, not a stub: the outbox table disappears under the running app.
  let broken: TestContext;
  let internalMessage: string;
  beforeAll(async () => {
    broken = await createTestContext();
    await broken.db.schema.alterTable('outbox').renameTo('outbox_gone').execute();
    internalMessage = await broken.db
      .selectFrom('outbox')
      .selectAll()
      .execute()
      .then(() => '', (error: Error) => error.message);
    expect(internalMessage).not.toBe('');
  });
  afterAll(() => broken.close());

  async function failingPage(requestId?: string) {
    const { agent } = await signedIn(broken, 'platform_admin');
    const request = agent.get('/admin/outbox');
    return requestId ? request.set('X-Request-Id', requestId) : request;
  }

  it('answers 500 with a generic message in the user’s language', async () => {
    const res = await failingPage();
    expect(res.status).toBe(500);
    expect(res.text).toContain('data-error-code="internal_error"');
    expect(res.text).toContain('Ett oväntat fel uppstod. Försök igen om en stund.');
  });

  it('shows the request id, so support can find the log line', async () => {
    const res = await failingPage();
    const id = res.headers['x-request-id'];
    expect(id).toMatch(/^[\w-]{8,}$/);
    expect(res.text).toContain(`Felkod för support: ${id}`);
  });

  it('uses a request id given by the proxy in front, cleaned of odd characters', async () => {
    const res = await failingPage('case-42<script>');
    expect(res.headers['x-request-id']).toBe('case-42script');
    expect(res.text).toContain('Felkod för support: case-42script');
  });

  it('never shows the internal error message or a stack trace', async () => {
    const res = await failingPage();
    expect(res.text).not.toContain(internalMessage);
    expect(res.text).not.toMatch(/\bat .+\.(ts|js):\d+/);
    expect(res.text).not.toMatch(/SqliteError|error: relation|no such table|does not exist/i);
  });

  it('answers a failing API call with a generic JSON 500', async () => {
    const { agent } = await signedIn(broken, 'platform_admin');
    // Break the API's own table too: tokens are read on every API call.
    await broken.db.schema.alterTable('api_tokens').renameTo('api_tokens_gone').execute();
    const res = await agent.get('/api/v1/me').set('Authorization', 'Bearer tp_whatever');
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error: { code: 'internal_error', message: 'Ett oväntat fel uppstod. Försök igen om en stund.', fields: {} } });
  });
});

describe('the request log', () => {
  it("never holds a pupil's personal link token or a query string", () => {
    expect(loggedPath('/p/abcDEF123_-/calendar.ics?x=1')).toBe('/p/…/calendar.ics');
    expect(loggedPath('/p/abcDEF123_-')).toBe('/p/…');
    expect(loggedPath('/P/abcDEF123_-')).toBe('/p/…');
    expect(loggedPath('/slots/1?q=secret')).toBe('/slots/1');
  });
});

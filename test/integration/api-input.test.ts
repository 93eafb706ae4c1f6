import supertest from 'supertest';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteTableEntry } from '../../src/http/routes.ts';
import { createTestContext, type TestContext } from '../support/app.ts';
import { apiPost, apiUser, expectApiError } from '../support/api.ts';
import { makeNetwork, makeUser, PASSWORD } from '../support/factories.ts';

// Bad input to the JSON API: always the one JSON error shape, never an HTML page, never a 500.

let ctx: TestContext;
let adminToken: string;
beforeAll(async () => {
  ctx = await createTestContext();
  adminToken = (await apiUser(ctx, 'platform_admin')).token;
});
afterAll(() => ctx.close());

const postRaw = (path: string, contentType: string, raw: string | Buffer) =>
  supertest(ctx.app).post(`/api/v1${path}`).set('Authorization', `Bearer ${adminToken}`).set('Content-Type', contentType).send(raw);
const tokenCount = async () => (await ctx.db.selectFrom('api_tokens').select('id').execute()).length;

describe('a body that is not a JSON object', () => {
  it('answers 400 invalid_json in JSON to malformed JSON', async () => {
    const res = await postRaw('/networks', 'application/json', '{"name": "Halv');
    expectApiError(res, 400, 'invalid_json');
    expect(res.body.error.message).toBe('Förfrågan kunde inte läsas som JSON.');
  });

  it.each([
    ['an array', '[{"name": "N", "region": "R"}]'],
    ['null', 'null'],
    ['a string', '"N"'],
    ['a number', '42'],
  ])('answers 400 invalid_json to %s', async (_label, raw) => {
    expectApiError(await postRaw('/networks', 'application/json', raw), 400, 'invalid_json');
  });

  it('answers 415 to a form-encoded body, and creates nothing', async () => {
    const user = await makeUser(ctx.db, ctx.config, 'counsellor');
    const before = await tokenCount();
    const res = await supertest(ctx.app).post('/api/v1/tokens').type('form').send({ email: user.email, password: PASSWORD });
    expectApiError(res, 415, 'unsupported_media_type');
    expect(await tokenCount()).toBe(before);
  });

  it('answers 415 to a text body', async () => {
    expectApiError(await postRaw('/networks', 'text/plain', '{"name":"N","region":"R"}'), 415, 'unsupported_media_type');
  });

  it('answers 415 to a charset it cannot read', async () => {
    expectApiError(await postRaw('/networks', 'application/json; charset=x-unknown', '{}'), 415, 'unsupported_media_type');
  });

  it('answers 400 to a body that claims to be gzip but is not', async () => {
    const res = await postRaw('/networks', 'application/json', '{"name":"N"}').set('Content-Encoding', 'gzip');
    expectApiError(res, 400, 'invalid_json');
  });

  it('reads a gzip-compressed JSON body', async () => {
    const raw = gzipSync(JSON.stringify({ name: 'Komprimerat nätverk', region: 'Värmland' }));
    const res = await postRaw('/networks', 'application/json', raw)
      .set('Content-Encoding', 'gzip')
      // superagent would JSON-encode a Buffer; pass the compressed bytes through as they are.
      .serialize((body: Buffer) => body as unknown as string);
    expect(res.status).toBe(201);
  });

  it('names each missing field when no body is sent at all', async () => {
    const res = await supertest(ctx.app).post('/api/v1/networks').set('Authorization', `Bearer ${adminToken}`);
    expect(expectApiError(res, 422, 'validation_failed')).toEqual({ name: 'Fyll i namn.', region: 'Fyll i region.' });
  });

  it('answers 413 in JSON to a body over 1 MB', async () => {
    const res = await apiPost(ctx, '/networks', { name: 'x'.repeat(1_100_000), region: 'Värmland' }, adminToken);
    expectApiError(res, 413, 'payload_too_large');
  });
});

describe('unknown fields', () => {
  it('names the unknown field (422), so a typo is not silently ignored', async () => {
    const res = await apiPost(ctx, '/networks', { name: 'Med extra fält', region: 'Värmland', regoin: 'Värmland' }, adminToken);
    expect(expectApiError(res, 422, 'validation_failed')).toEqual({ regoin: 'Fältet regoin känns inte igen.' });
  });

  it('names each unknown field, even ones called like built-in properties', async () => {
    const raw = '{"name":"N","region":"R","__proto__":{"x":1},"constructor":1,"toString":2}';
    const fields = expectApiError(await postRaw('/networks', 'application/json', raw), 422, 'validation_failed');
    expect(Object.keys(fields).sort()).toEqual(['__proto__', 'constructor', 'toString']);
  });
});

describe('unknown addresses under /api', () => {
  it.each([
    ['GET', '/api/v1/nothing-here'],
    ['GET', '/api/v2/me'],
    ['GET', '/api/'],
    ['POST', '/api/v1/me'],
    ['DELETE', '/api/v1/networks'],
  ])('answers %s %s with a JSON 404', async (method, path) => {
    const res = await supertest(ctx.app)[method.toLowerCase() as 'get'](path).set('Authorization', `Bearer ${adminToken}`);
    expectApiError(res, 404, 'not_found');
  });
});

describe('messages in the language of the account', () => {
  it('answers in English to a user who chose English', async () => {
    const { user, token } = await apiUser(ctx, 'platform_admin');
    await ctx.db.updateTable('users').set({ locale: 'en' }).where('id', '=', user.id).execute();
    const fields = expectApiError(await apiPost(ctx, '/networks', { region: 'Värmland' }, token), 422, 'validation_failed');
    expect(fields).toEqual({ name: 'Fill in name.' });
  });
});

describe('no bad input gives a 500', () => {
  const oddBodies: unknown[] = [
    {},
    { name: {}, region: [] },
    { name: true, municipality: 1.5, address: { a: 1 } },
    { email: ['a@b.se'], password: 12345678901, role: null, organisationId: 7, name: 'x'.repeat(5000) },
    { id: 'x', networkId: '../../etc', '': '' },
    { name: '\u0000', region: '\uD800', municipality: '💥'.repeat(100) },
  ];

  it('answers every POST route with a 4xx JSON error for odd bodies', async () => {
    const network = await makeNetwork(ctx.db);
    const routes = (ctx.app.locals.routeTable as RouteTableEntry[]).filter((r) => r.kind === 'api' && r.method === 'POST');
    expect(routes.length).toBeGreaterThanOrEqual(5);
    for (const route of routes) {
      for (const body of oddBodies) {
        const res = await apiPost(ctx, route.path.replace('/api/v1', '').replace(':id', network.id), body, adminToken);
        expect(res.status, `${route.path} ${JSON.stringify(body)}`).toBeGreaterThanOrEqual(400);
        expect(res.status, `${route.path} ${JSON.stringify(body)}`).toBeLessThan(500);
        expect(res.body.error?.code).toEqual(expect.any(String));
      }
    }
  });
});

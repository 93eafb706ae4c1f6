import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../support/app.ts';
import { apiGet, apiPost, apiUser, expectApiError, type ApiUser } from '../support/api.ts';
import { makePupil, pupilRow } from '../support/pupils.ts';

let ctx: TestContext;
let counsellor: ApiUser;
beforeAll(async () => {
  ctx = await createTestContext();
  counsellor = await apiUser(ctx, 'counsellor');
});
afterAll(() => ctx.close());

const body = (extra: Record<string, unknown> = {}) => ({ givenName: 'Alva', familyName: 'Berg', className: '8b', grade: '8', ...extra });

describe('POST /api/v1/pupils', () => {
  it('adds a pupil to the caller’s school (201)', async () => {
    const res = await apiPost(ctx, '/pupils', body({ birthYear: 2013, gender: 'non_binary', protectedIdentity: true }), counsellor.token);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      givenName: 'Alva',
      familyName: 'Berg',
      className: '8B',
      grade: '8',
      birthYear: 2013,
      gender: 'non_binary',
      protectedIdentity: true,
      code: expect.stringMatching(/^[A-HJ-NP-Z2-9]{6}$/),
    });
    expect((await pupilRow(ctx.db, res.body.id))!.school_id).toBe(counsellor.user.schoolId);
  });

  it('leaves out birth year, gender and protection when not given', async () => {
    const res = await apiPost(ctx, '/pupils', body(), counsellor.token);
    expect(res.body).toMatchObject({ birthYear: null, gender: null, protectedIdentity: false });
  });

  it('names every wrong field in Swedish (422)', async () => {
    const res = await apiPost(ctx, '/pupils', { givenName: '', className: 'x'.repeat(11), grade: '6', birthYear: 1850, gender: 'robot' }, counsellor.token);
    expect(expectApiError(res, 422, 'validation_failed')).toEqual({
      givenName: 'Fyll i förnamn.',
      familyName: 'Fyll i efternamn.',
      className: 'Klass får ha högst 10 tecken.',
      grade: 'Välj ett av alternativen i årskurs.',
      birthYear: 'Skriv födelseår med fyra siffror, mellan 1990 och 2030.',
      gender: 'Välj ett av alternativen i kön.',
    });
  });

  it('refuses an unknown field (422)', async () => {
    const res = await apiPost(ctx, '/pupils', body({ personnummer: '20130421-1234' }), counsellor.token);
    expect(expectApiError(res, 422, 'validation_failed')).toEqual({ personnummer: 'Fältet personnummer känns inte igen.' });
  });

  it('refuses a value of the wrong type without a 500', async () => {
    const res = await apiPost(ctx, '/pupils', body({ protectedIdentity: 'ja', givenName: 42 }), counsellor.token);
    expect(Object.keys(expectApiError(res, 422, 'validation_failed')).sort()).toEqual(['givenName', 'protectedIdentity']);
  });

  for (const role of ['platform_admin', 'network_coordinator', 'company_coordinator'] as const) {
    it(`is forbidden to a ${role.replace('_', ' ')} (403)`, async () => {
      const other = await apiUser(ctx, role);
      expectApiError(await apiPost(ctx, '/pupils', body(), other.token), 403, 'forbidden');
    });
  }

  it('asks for a token (401)', async () => {
    expectApiError(await apiPost(ctx, '/pupils', body()), 401, 'unauthenticated');
  });
});

describe('GET /api/v1/pupils', () => {
  it('lists only the caller’s school, optionally one class', async () => {
    const caller = await apiUser(ctx, 'counsellor');
    await makePupil(ctx.db, caller.user.schoolId!, { givenName: 'Alva', className: '8B' });
    await makePupil(ctx.db, caller.user.schoolId!, { givenName: 'Bo', className: '9A' });
    await makePupil(ctx.db, counsellor.user.schoolId!, { givenName: 'Främling', className: '8B' });
    const all = await apiGet(ctx, '/pupils', caller.token);
    expect(all.body.pupils.map((p: { givenName: string }) => p.givenName)).toEqual(['Alva', 'Bo']);
    const one = await apiGet(ctx, '/pupils?className=9a', caller.token);
    expect(one.body.pupils.map((p: { givenName: string }) => p.givenName)).toEqual(['Bo']);
  });
});

describe('GET /api/v1/pupils/{id}', () => {
  it('answers with the caller’s own pupil', async () => {
    const pupil = await makePupil(ctx.db, counsellor.user.schoolId!, { givenName: 'Egen' });
    const res = await apiGet(ctx, `/pupils/${pupil.id}`, counsellor.token);
    expect([res.status, res.body.givenName]).toEqual([200, 'Egen']);
  });

  it('forbids another school’s pupil (403)', async () => {
    const other = await apiUser(ctx, 'counsellor');
    const theirs = await makePupil(ctx.db, other.user.schoolId!);
    expectApiError(await apiGet(ctx, `/pupils/${theirs.id}`, counsellor.token), 403, 'forbidden');
  });

  it('does not find an unknown pupil (404)', async () => {
    expectApiError(await apiGet(ctx, '/pupils/no-such-pupil', counsellor.token), 404, 'not_found');
  });
});

describe('the OpenAPI document', () => {
  it('describes the pupil endpoints', async () => {
    const res = await apiGet(ctx, '/openapi.json');
    expect(Object.keys(res.body.paths['/pupils'])).toEqual(['post', 'get']);
    expect(res.body.paths['/pupils/{id}'].get.operationId).toBe('getPupil');
    expect(res.body.paths['/pupils'].post.requestBody.content['application/json'].schema.additionalProperties).toBe(false);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storyResponseSchema } from '../../src/api/api.schemas.ts';
import type { Role } from '../../src/db/types.ts';
import { PATH_KINDS } from '../../src/stories/path.ts';
import { createTestContext, type TestContext } from '../support/app.ts';
import { apiPost, apiUser, expectApiError, type ApiUser } from '../support/api.ts';

// POST /api/v1/stories: a company coordinator writes a role story, with the UI's rules.

let ctx: TestContext;
let coordinator: ApiUser;
beforeAll(async () => {
  ctx = await createTestContext();
  coordinator = await apiUser(ctx, 'company_coordinator');
});
afterAll(() => ctx.close());

/** Only the fields the issue names as required. */
const minimal = {
  name: 'Amina',
  title: 'Elingenjör',
  path: [{ kind: 'gymnasium', title: 'Teknikprogrammet' }],
  dayAtWork: 'Jag ritar elsystem till vindkraftverk.',
};
const storyRow = (id: string) => ctx.db.selectFrom('role_stories').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

describe('POST /api/v1/stories', () => {
  it('creates a story from the required fields only (201, unpublished, with its id)', async () => {
    const res = await apiPost(ctx, '/stories', minimal, coordinator.token);
    expect(res.status).toBe(201);
    expect(storyResponseSchema.strict().parse(res.body)).toMatchObject({
      id: expect.any(String),
      companyId: coordinator.user.companyId,
      name: 'Amina',
      published: false,
      fields: [],
      path: [{ kind: 'gymnasium', title: 'Teknikprogrammet', place: null, programme: null, fromYear: null, toYear: null }],
    });
    expect((await storyRow(res.body.id)).published).toBe(0);
  });

  it('publishes at once when asked, recording the consent as given by the coordinator', async () => {
    const body = { ...minimal, fields: ['electrical_energy', 'it'], published: true };
    const res = await apiPost(ctx, '/stories', body, coordinator.token);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ published: true, fields: ['electrical_energy', 'it'] });
    const row = await storyRow(res.body.id);
    expect(row).toMatchObject({ published: 1, consent_person: 'Amina', consent_recorded_by: coordinator.user.id, consent_withdrawn_at: null });
    expect(row.consent_at).toBe('2027-03-16T08:00:00.000Z');
  });

  it('keeps a path of every kind, in order, with places and years', async () => {
    const path = PATH_KINDS.map((kind, i) => ({ kind, title: `Steg ${i}`, place: `Ort ${i}`, fromYear: 2000 + i, toYear: 2001 + i }));
    const res = await apiPost(ctx, '/stories', { ...minimal, path }, coordinator.token);
    expect(res.status).toBe(201);
    expect(res.body.path).toEqual(path.map((step) => ({ ...step, programme: null })));
  });

  it('names each missing required field (422)', async () => {
    const fields = expectApiError(await apiPost(ctx, '/stories', {}, coordinator.token), 422, 'validation_failed');
    expect(Object.keys(fields).sort()).toEqual(['dayAtWork', 'name', 'path', 'title']);
  });

  it('refuses an unknown path kind at the step that has it', async () => {
    const path = [{ kind: 'gymnasium', title: 'TE' }, { kind: 'folkhogskola', title: 'Folkhögskola' }];
    const fields = expectApiError(await apiPost(ctx, '/stories', { ...minimal, path }, coordinator.token), 422, 'validation_failed');
    expect(Object.keys(fields)).toEqual(['path.1.kind']);
  });

  it('refuses an empty path', async () => {
    const fields = expectApiError(await apiPost(ctx, '/stories', { ...minimal, path: [] }, coordinator.token), 422, 'validation_failed');
    expect(Object.keys(fields)).toEqual(['path']);
  });

  it('applies the path rules of the UI: years in order, nothing in the future, steps in time order', async () => {
    const path = [
      { kind: 'gymnasium', title: 'TE', fromYear: 2013, toYear: 2010 },
      { kind: 'university', title: 'KTH', fromYear: 2028 },
      { kind: 'job', title: 'Elingenjör', fromYear: 2012 },
    ];
    const fields = expectApiError(await apiPost(ctx, '/stories', { ...minimal, path }, coordinator.token), 422, 'validation_failed');
    expect(fields).toEqual({
      'path.0.toYear': 'Slutåret kan inte vara före startåret.',
      'path.1.fromYear': 'Ett steg kan inte börja i framtiden.',
      'path.2.fromYear': 'Stegen ska stå i den ordning de hände.',
    });
  });

  it('refuses a gymnasium programme on a step that is not gymnasium', async () => {
    const path = [{ kind: 'job', title: 'Montör', programme: 'TE' }];
    const fields = expectApiError(await apiPost(ctx, '/stories', { ...minimal, path }, coordinator.token), 422, 'validation_failed');
    expect(fields).toEqual({ 'path.0.programme': 'Välj gymnasieprogram bara för steg som är gymnasiet.' });
  });

  it('refuses unknown fields, in the story and in a step', async () => {
    const body = { ...minimal, nickname: 'Mina', path: [{ kind: 'job', title: 'Montör', startYear: 2010 }] };
    const fields = expectApiError(await apiPost(ctx, '/stories', body, coordinator.token), 422, 'validation_failed');
    expect(Object.keys(fields).sort()).toEqual(['nickname', 'path.0.startYear']);
  });

  it('answers 401 without a token, and creates nothing', async () => {
    const res = await apiPost(ctx, '/stories', { ...minimal, name: 'Anonym' });
    expectApiError(res, 401, 'unauthenticated');
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(await ctx.db.selectFrom('role_stories').select('id').where('display_name', '=', 'Anonym').executeTakeFirst()).toBeUndefined();
  });

  it.each<Role>(['counsellor', 'network_coordinator', 'platform_admin'])('refuses a %s (403), creating nothing', async (role) => {
    const { token } = await apiUser(ctx, role);
    expectApiError(await apiPost(ctx, '/stories', { ...minimal, name: `Av ${role}` }, token), 403, 'forbidden');
    expect(await ctx.db.selectFrom('role_stories').select('id').where('display_name', '=', `Av ${role}`).executeTakeFirst()).toBeUndefined();
  });
});

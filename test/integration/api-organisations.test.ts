import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/db/types.ts';
import { createTestContext, postForm, signIn, type TestContext } from '../support/app.ts';
import { apiPost, apiUser, expectApiError, newUserBody } from '../support/api.ts';
import { makeNetwork } from '../support/factories.ts';

// POST /networks (platform admin), POST /networks/{id}/companies and …/schools (coordinator of that network).

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

const company = { name: 'Verkstaden AB', municipality: 'Karlstad', address: 'Industrigatan 4' };
const school = { name: 'Älvkulleskolan', municipality: 'Karlstad' };
const notAdmins: Role[] = ['network_coordinator', 'company_coordinator', 'counsellor'];
const notCoordinators: Role[] = ['company_coordinator', 'counsellor'];

describe('POST /api/v1/networks', () => {
  it('lets a platform admin create a network (201 with its id)', async () => {
    const { token } = await apiUser(ctx, 'platform_admin');
    const res = await apiPost(ctx, '/networks', { name: 'Teknikcollege Värmland', region: 'Värmland' }, token);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: expect.any(String), name: 'Teknikcollege Värmland', region: 'Värmland' });
    const row = await ctx.db.selectFrom('networks').selectAll().where('id', '=', res.body.id).executeTakeFirstOrThrow();
    expect(row.name).toBe('Teknikcollege Värmland');
  });

  it('answers 401 without a token', async () => {
    expectApiError(await apiPost(ctx, '/networks', { name: 'Anonymt', region: 'Värmland' }), 401, 'unauthenticated');
  });

  it.each(notAdmins)('refuses a %s (403)', async (role) => {
    const { token } = await apiUser(ctx, role);
    expectApiError(await apiPost(ctx, '/networks', { name: `Av ${role}`, region: 'Värmland' }, token), 403, 'forbidden');
    expect(await ctx.db.selectFrom('networks').select('id').where('name', '=', `Av ${role}`).executeTakeFirst()).toBeUndefined();
  });

  it('names each missing field in Swedish (422)', async () => {
    const { token } = await apiUser(ctx, 'platform_admin');
    const fields = expectApiError(await apiPost(ctx, '/networks', {}, token), 422, 'validation_failed');
    expect(fields).toEqual({ name: 'Fyll i namn.', region: 'Fyll i region.' });
  });

  it('says a value of the wrong type has the wrong format, not that it is missing', async () => {
    const { token } = await apiUser(ctx, 'platform_admin');
    const fields = expectApiError(await apiPost(ctx, '/networks', { name: 42, region: null }, token), 422, 'validation_failed');
    expect(fields).toEqual({ name: 'Namn har fel format.', region: 'Fyll i region.' });
  });

  it('names a field that is too long, with the limit', async () => {
    const { token } = await apiUser(ctx, 'platform_admin');
    const fields = expectApiError(await apiPost(ctx, '/networks', { name: 'x'.repeat(121), region: 'Värmland' }, token), 422, 'validation_failed');
    expect(fields).toEqual({ name: 'Namn får ha högst 120 tecken.' });
  });

  it('refuses a second network with the same name, naming the field', async () => {
    const { token } = await apiUser(ctx, 'platform_admin');
    await makeNetwork(ctx.db, 'Redan här');
    const fields = expectApiError(await apiPost(ctx, '/networks', { name: 'Redan här', region: 'Värmland' }, token), 422, 'validation_failed');
    expect(Object.keys(fields)).toEqual(['name']);
  });

  it('creates one network when the same name is sent several times at once', async () => {
    const { token } = await apiUser(ctx, 'platform_admin');
    const answers = await Promise.all(Array.from({ length: 4 }, () => apiPost(ctx, '/networks', { name: 'Samtidigt', region: 'Värmland' }, token)));
    expect(answers.map((r) => r.status).sort()).toEqual([201, 422, 422, 422]);
  });
});

describe('POST /api/v1/networks/{id}/companies', () => {
  it('lets the coordinator of the network create a company (201 with its id and main site)', async () => {
    const network = await makeNetwork(ctx.db);
    const { token } = await apiUser(ctx, 'network_coordinator', network.id);
    const res = await apiPost(ctx, `/networks/${network.id}/companies`, company, token);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: expect.any(String), name: company.name, municipality: 'Karlstad', networkId: network.id, mainSiteId: expect.any(String) });
  });

  it('gives the new company a main site with the address, and makes it an approved member', async () => {
    const network = await makeNetwork(ctx.db);
    const { token } = await apiUser(ctx, 'network_coordinator', network.id);
    const { body } = await apiPost(ctx, `/networks/${network.id}/companies`, company, token);
    const sites = await ctx.db.selectFrom('company_sites').selectAll().where('company_id', '=', body.id).execute();
    expect(sites).toEqual([expect.objectContaining({ id: body.mainSiteId, is_main: 1, name: company.name, address: company.address, municipality: 'Karlstad' })]);
    const membership = await ctx.db.selectFrom('network_memberships').selectAll().where('company_id', '=', body.id).executeTakeFirstOrThrow();
    expect(membership).toMatchObject({ network_id: network.id, status: 'approved' });
  });

  it('accepts a company without an address', async () => {
    const network = await makeNetwork(ctx.db);
    const { token } = await apiUser(ctx, 'network_coordinator', network.id);
    const { status, body } = await apiPost(ctx, `/networks/${network.id}/companies`, { name: 'Utan adress AB', municipality: 'Arvika' }, token);
    expect(status).toBe(201);
    const site = await ctx.db.selectFrom('company_sites').selectAll().where('id', '=', body.mainSiteId).executeTakeFirstOrThrow();
    expect(site.address).toBeNull();
  });

  it('lets the company coordinator, created through the API, edit the main site on the company page', async () => {
    const network = await makeNetwork(ctx.db);
    const { token } = await apiUser(ctx, 'network_coordinator', network.id);
    const { body: created } = await apiPost(ctx, `/networks/${network.id}/companies`, company, token);
    const person = newUserBody('company_coordinator', created.id, 'kontakt@verkstaden.test');
    expect((await apiPost(ctx, '/users', person, token)).status).toBe(201);

    const agent = await signIn(ctx.app, person.email, person.password);
    expect((await agent.get('/company')).text).toContain(`/company/sites/${created.mainSiteId}`);
    const site = `/company/sites/${created.mainSiteId}`;
    const edit = await postForm(agent, site, { name: 'Verkstaden, huvudkontoret', municipality: 'Karlstad', address: 'Nygatan 1' }, site);
    expect(edit.status).toBe(303);
    const row = await ctx.db.selectFrom('company_sites').selectAll().where('id', '=', created.mainSiteId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ name: 'Verkstaden, huvudkontoret', address: 'Nygatan 1', is_main: 1 });
  });

  it('refuses the coordinator of another network (403)', async () => {
    const network = await makeNetwork(ctx.db);
    const { token } = await apiUser(ctx, 'network_coordinator');
    expectApiError(await apiPost(ctx, `/networks/${network.id}/companies`, company, token), 403, 'forbidden');
    expect(await ctx.db.selectFrom('network_memberships').select('id').where('network_id', '=', network.id).executeTakeFirst()).toBeUndefined();
  });

  it.each(notCoordinators)('refuses a %s (403)', async (role) => {
    const network = await makeNetwork(ctx.db);
    const { token } = await apiUser(ctx, role);
    expectApiError(await apiPost(ctx, `/networks/${network.id}/companies`, company, token), 403, 'forbidden');
  });

  it('answers 401 without a token', async () => {
    const network = await makeNetwork(ctx.db);
    expectApiError(await apiPost(ctx, `/networks/${network.id}/companies`, company), 401, 'unauthenticated');
  });

  it('answers 404 in JSON for a network that does not exist', async () => {
    const { token } = await apiUser(ctx, 'platform_admin');
    expectApiError(await apiPost(ctx, '/networks/no-such-network/companies', company, token), 404, 'not_found');
  });

  it('names each bad field in Swedish (422)', async () => {
    const network = await makeNetwork(ctx.db);
    const { token } = await apiUser(ctx, 'network_coordinator', network.id);
    const res = await apiPost(ctx, `/networks/${network.id}/companies`, { name: '   ', address: 'x'.repeat(241) }, token);
    expect(expectApiError(res, 422, 'validation_failed')).toEqual({
      name: 'Fyll i namn.',
      municipality: 'Fyll i kommun.',
      address: 'Adress får ha högst 240 tecken.',
    });
  });
});

describe('POST /api/v1/networks/{id}/schools', () => {
  it('lets the coordinator of the network create a school (201 with its id), an approved member', async () => {
    const network = await makeNetwork(ctx.db);
    const { token } = await apiUser(ctx, 'network_coordinator', network.id);
    const res = await apiPost(ctx, `/networks/${network.id}/schools`, { ...school, address: 'Skolvägen 2' }, token);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: expect.any(String), name: school.name, municipality: 'Karlstad', networkId: network.id });
    const row = await ctx.db.selectFrom('schools').selectAll().where('id', '=', res.body.id).executeTakeFirstOrThrow();
    expect(row.address).toBe('Skolvägen 2');
    const membership = await ctx.db.selectFrom('network_memberships').selectAll().where('school_id', '=', res.body.id).executeTakeFirstOrThrow();
    expect(membership).toMatchObject({ network_id: network.id, status: 'approved' });
  });

  it('refuses the coordinator of another network (403)', async () => {
    const network = await makeNetwork(ctx.db);
    const { token } = await apiUser(ctx, 'network_coordinator');
    expectApiError(await apiPost(ctx, `/networks/${network.id}/schools`, school, token), 403, 'forbidden');
  });

  it.each(notCoordinators)('refuses a %s (403)', async (role) => {
    const network = await makeNetwork(ctx.db);
    const { token } = await apiUser(ctx, role);
    expectApiError(await apiPost(ctx, `/networks/${network.id}/schools`, school, token), 403, 'forbidden');
  });

  it('answers 401 without a token', async () => {
    const network = await makeNetwork(ctx.db);
    expectApiError(await apiPost(ctx, `/networks/${network.id}/schools`, school), 401, 'unauthenticated');
  });

  it('does not take a school type: the API creates what the pinned request describes', async () => {
    const network = await makeNetwork(ctx.db);
    const { token } = await apiUser(ctx, 'network_coordinator', network.id);
    const fields = expectApiError(await apiPost(ctx, `/networks/${network.id}/schools`, { ...school, schoolType: 'independent' }, token), 422, 'validation_failed');
    expect(Object.keys(fields)).toEqual(['schoolType']);
    expect(fields.schoolType).toMatch(/^Fältet .+ känns inte igen\.$/);
  });

  it('names a network id that is too long (422), never a 500', async () => {
    const { token } = await apiUser(ctx, 'platform_admin');
    const fields = expectApiError(await apiPost(ctx, `/networks/${'n'.repeat(65)}/schools`, school, token), 422, 'validation_failed');
    expect(Object.keys(fields)).toEqual(['id']);
  });
});

describe('a whole set-up by script', () => {
  it('goes from an admin token to a counsellor who can sign in', async () => {
    const admin = await apiUser(ctx, 'platform_admin');
    const network = await apiPost(ctx, '/networks', { name: 'Skript-nätverket', region: 'Dalarna' }, admin.token);
    const coordinator = newUserBody('network_coordinator', network.body.id, 'samordnare@skript.test');
    expect((await apiPost(ctx, '/users', coordinator, admin.token)).status).toBe(201);
    const token = (await apiPost(ctx, '/tokens', { email: coordinator.email, password: coordinator.password })).body.token;
    const created = await apiPost(ctx, `/networks/${network.body.id}/schools`, school, token);
    const counsellor = await apiPost(ctx, '/users', newUserBody('counsellor', created.body.id, 'syv@skript.test'), token);
    expect(counsellor.status).toBe(201);
    const agent = await signIn(ctx.app, 'syv@skript.test', 'ett långt lösenord');
    const page = await agent.get('/school');
    expect(page.status).toBe(200);
    expect(page.text).toContain(school.name);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../support/app.ts';
import { apiPost, apiUser, expectApiError, newUserBody } from '../support/api.ts';
import { makeCompany, makeNetwork, makeSchool, makeUser } from '../support/factories.ts';

// POST /users: scripted set-up, with the same rules as invitations in the UI.

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

let n = 0;
const email = () => `ny-${++n}@exempel.test`;
const findUser = (address: string) => ctx.db.selectFrom('users').selectAll().where('email', '=', address).executeTakeFirst();

/** A network with its coordinator's token, an approved member company and school. */
async function networkSetUp() {
  const network = await makeNetwork(ctx.db);
  const [company, school, coordinator] = await Promise.all([
    makeCompany(ctx.db, network.id),
    makeSchool(ctx.db, network.id),
    apiUser(ctx, 'network_coordinator', network.id),
  ]);
  return { network, company, school, token: coordinator.token };
}

describe('POST /api/v1/users: who may create whom', () => {
  it('lets a platform admin create a platform admin without an organisation (201 with its id)', async () => {
    const { token } = await apiUser(ctx, 'platform_admin');
    const body = newUserBody('platform_admin', undefined, email());
    const res = await apiPost(ctx, '/users', body, token);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: expect.any(String), email: body.email, name: body.name, role: 'platform_admin', organisationId: null, locale: 'sv' });
    expect((await findUser(body.email))?.id).toBe(res.body.id);
  });

  it('gives the new user a password that works for POST /tokens', async () => {
    const { token } = await apiUser(ctx, 'platform_admin');
    const body = newUserBody('platform_admin', undefined, email());
    await apiPost(ctx, '/users', body, token);
    expect((await apiPost(ctx, '/tokens', { email: body.email, password: body.password })).status).toBe(201);
  });

  it('lets a network coordinator create a coordinator of the same network', async () => {
    const { network, token } = await networkSetUp();
    const res = await apiPost(ctx, '/users', newUserBody('network_coordinator', network.id, email()), token);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ role: 'network_coordinator', organisationId: network.id });
  });

  it('lets a network coordinator create a company coordinator of a member company', async () => {
    const { company, token } = await networkSetUp();
    const res = await apiPost(ctx, '/users', newUserBody('company_coordinator', company.id, email()), token);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ role: 'company_coordinator', organisationId: company.id });
    expect((await findUser(res.body.email))?.company_id).toBe(company.id);
  });

  it('lets a network coordinator create a counsellor of a member school', async () => {
    const { school, token } = await networkSetUp();
    const res = await apiPost(ctx, '/users', newUserBody('counsellor', school.id, email()), token);
    expect(res.status).toBe(201);
    expect((await findUser(res.body.email))?.school_id).toBe(school.id);
  });

  it('refuses a network coordinator a company coordinator for a company outside the network (403)', async () => {
    const { token } = await networkSetUp();
    const outsider = await makeCompany(ctx.db);
    const body = newUserBody('company_coordinator', outsider.id, email());
    expectApiError(await apiPost(ctx, '/users', body, token), 403, 'forbidden');
    expect(await findUser(body.email)).toBeUndefined();
  });

  it('refuses a network coordinator a coordinator of another network (403)', async () => {
    const { token } = await networkSetUp();
    const other = await makeNetwork(ctx.db);
    expectApiError(await apiPost(ctx, '/users', newUserBody('network_coordinator', other.id, email()), token), 403, 'forbidden');
  });

  it('refuses a network coordinator a platform admin (403)', async () => {
    const { token } = await networkSetUp();
    expectApiError(await apiPost(ctx, '/users', newUserBody('platform_admin', undefined, email()), token), 403, 'forbidden');
  });

  it('lets a company coordinator create a colleague at the same company', async () => {
    const company = await makeCompany(ctx.db);
    const { token } = await apiUser(ctx, 'company_coordinator', company.id);
    expect((await apiPost(ctx, '/users', newUserBody('company_coordinator', company.id, email()), token)).status).toBe(201);
  });

  it('refuses a company coordinator a counsellor, even at a school of its network (403)', async () => {
    const { company, school } = await networkSetUp();
    const { token } = await apiUser(ctx, 'company_coordinator', company.id);
    const body = newUserBody('counsellor', school.id, email());
    expectApiError(await apiPost(ctx, '/users', body, token), 403, 'forbidden');
    expect(await findUser(body.email)).toBeUndefined();
  });

  it('refuses a counsellor a colleague at another school (403)', async () => {
    const { token } = await apiUser(ctx, 'counsellor');
    const other = await makeSchool(ctx.db);
    expectApiError(await apiPost(ctx, '/users', newUserBody('counsellor', other.id, email()), token), 403, 'forbidden');
  });

  it('answers 401 without a token', async () => {
    expectApiError(await apiPost(ctx, '/users', newUserBody('platform_admin', undefined, email())), 401, 'unauthenticated');
  });
});

describe('POST /api/v1/users: what the request must hold', () => {
  it('requires organisationId for a role other than platform admin (422, not 403)', async () => {
    const { token } = await networkSetUp();
    const fields = expectApiError(await apiPost(ctx, '/users', newUserBody('counsellor', undefined, email()), token), 422, 'validation_failed');
    expect(fields).toEqual({ organisationId: 'Fyll i organisation.' });
  });

  it('names every bad field at once, in Swedish', async () => {
    const { token } = await apiUser(ctx, 'platform_admin');
    const res = await apiPost(ctx, '/users', { email: 'inte-en-adress', role: 'rektor', password: 'kort' }, token);
    expect(expectApiError(res, 422, 'validation_failed')).toEqual({
      email: 'Skriv en riktig e-postadress i e-postadress, till exempel namn@skola.se.',
      name: 'Fyll i namn.',
      role: 'Välj ett av alternativen i roll.',
      password: 'Lösenord måste ha minst 10 tecken.',
    });
  });

  it('names organisationId when a platform admin is given one', async () => {
    const { token } = await apiUser(ctx, 'platform_admin');
    const school = await makeSchool(ctx.db);
    const fields = expectApiError(await apiPost(ctx, '/users', newUserBody('platform_admin', school.id, email()), token), 422, 'validation_failed');
    expect(Object.keys(fields)).toEqual(['organisationId']);
  });

  it('names organisationId when it is not an organisation of the role’s kind', async () => {
    const { token } = await apiUser(ctx, 'platform_admin');
    const company = await makeCompany(ctx.db);
    const fields = expectApiError(await apiPost(ctx, '/users', newUserBody('counsellor', company.id, email()), token), 422, 'validation_failed');
    expect(Object.keys(fields)).toEqual(['organisationId']);
  });

  it('stores the e-mail address in lower case', async () => {
    const { token } = await apiUser(ctx, 'platform_admin');
    const res = await apiPost(ctx, '/users', newUserBody('platform_admin', undefined, 'Stora.Bokstaver@Exempel.TEST'), token);
    expect(res.body.email).toBe('stora.bokstaver@exempel.test');
  });

  it('refuses an e-mail address that is taken in another letter case (409, naming email)', async () => {
    const { token } = await apiUser(ctx, 'platform_admin');
    const existing = await makeUser(ctx.db, ctx.config, 'counsellor');
    const res = await apiPost(ctx, '/users', newUserBody('platform_admin', undefined, existing.email.toUpperCase()), token);
    const fields = expectApiError(res, 409, 'email_taken');
    expect(fields).toEqual({ email: 'Det finns redan ett konto med den e-postadressen.' });
  });

  it('creates one account when the same e-mail address is sent several times at once', async () => {
    const { token } = await apiUser(ctx, 'platform_admin');
    const body = newUserBody('platform_admin', undefined, email());
    const answers = await Promise.all(Array.from({ length: 5 }, () => apiPost(ctx, '/users', body, token)));
    expect(answers.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
    expect(await ctx.db.selectFrom('users').select('id').where('email', '=', body.email).execute()).toHaveLength(1);
  });
});

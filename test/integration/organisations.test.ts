import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, postForm, type Agent, type TestContext } from '../support/app.ts';
import { makeCompany, makeNetwork } from '../support/factories.ts';
import { fieldError, signedIn } from '../support/flows.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

const post = (agent: Agent, path: string, form: Record<string, string>) => postForm(agent, path, form, '/account');
const networkNamed = (name: string) => ctx.db.selectFrom('networks').selectAll().where('name', '=', name).execute();

describe('networks', () => {
  it('lets the platform admin create a network and opens it', async () => {
    const { agent } = await signedIn(ctx, 'platform_admin');
    const res = await post(agent, '/admin/networks', { name: 'Teknikprao Värmland', region: 'Värmland' });
    expect(res.status).toBe(303);
    const [network] = await networkNamed('Teknikprao Värmland');
    expect(network).toMatchObject({ region: 'Värmland' });
    expect(res.headers.location).toBe(`/networks/${network!.id}`);
    const page = await agent.get(res.headers.location!);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Teknikprao Värmland');
  });

  it('refuses a second network with the same name, next to the name field (422)', async () => {
    const { agent } = await signedIn(ctx, 'platform_admin');
    await makeNetwork(ctx.db, 'Teknikprao Skaraborg');
    const res = await post(agent, '/admin/networks', { name: 'Teknikprao Skaraborg', region: 'Västra Götaland' });
    expect(res.status).toBe(422);
    expect(fieldError(res.text, 'name')).toBe('Det finns redan ett nätverk med det namnet.');
    expect(res.text).toContain('value="Västra Götaland"');
    expect(await networkNamed('Teknikprao Skaraborg')).toHaveLength(1);
  });

  it('names every empty field in Swedish (422)', async () => {
    const { agent } = await signedIn(ctx, 'platform_admin');
    const res = await post(agent, '/admin/networks', { name: '', region: ' ' });
    expect(res.status).toBe(422);
    expect(fieldError(res.text, 'name')).toBe('Fyll i namn.');
    expect(fieldError(res.text, 'region')).toBe('Fyll i region.');
  });
});

describe('companies and schools in a network', () => {
  async function coordinator() {
    const network = await makeNetwork(ctx.db);
    return { network, ...(await signedIn(ctx, 'network_coordinator', network.id)) };
  }

  it('lets a coordinator add a company, which gets a main site and membership', async () => {
    const { network, agent } = await coordinator();
    const res = await post(agent, `/networks/${network.id}/companies`, { name: 'Verkstad AB', municipality: 'Kil', address: 'Industrigatan 2' });
    expect(res.status).toBe(303);
    const company = await ctx.db.selectFrom('companies').selectAll().where('name', '=', 'Verkstad AB').executeTakeFirstOrThrow();
    const sites = await ctx.db.selectFrom('company_sites').selectAll().where('company_id', '=', company.id).execute();
    expect(sites).toEqual([expect.objectContaining({ is_main: 1, municipality: 'Kil', address: 'Industrigatan 2' })]);
    const membership = await ctx.db.selectFrom('network_memberships').selectAll().where('company_id', '=', company.id).executeTakeFirstOrThrow();
    expect(membership).toMatchObject({ network_id: network.id, status: 'approved' });
    expect((await agent.get('/network')).text).toContain('Verkstad AB');
  });

  it('lets a coordinator add a school to their network', async () => {
    const { network, agent } = await coordinator();
    const res = await post(agent, `/networks/${network.id}/schools`, { name: 'Kilskolan', municipality: 'Kil', address: '', schoolType: 'independent' });
    expect(res.status).toBe(303);
    const school = await ctx.db.selectFrom('schools').selectAll().where('name', '=', 'Kilskolan').executeTakeFirstOrThrow();
    expect(school).toMatchObject({ school_type: 'independent', address: null });
    expect((await agent.get('/network')).text).toContain('Kilskolan');
  });

  it("refuses a coordinator adding to another network (403)", async () => {
    const { agent } = await coordinator();
    const other = await makeNetwork(ctx.db);
    const res = await post(agent, `/networks/${other.id}/companies`, { name: 'Smyg AB', municipality: 'Kil' });
    expect(res.status).toBe(403);
    expect(await ctx.db.selectFrom('companies').select('id').where('name', '=', 'Smyg AB').execute()).toEqual([]);
  });

  it('re-shows the form with Swedish messages for a school with bad input (422)', async () => {
    const { network, agent } = await coordinator();
    const res = await post(agent, `/networks/${network.id}/schools`, { name: 'Halvskolan', municipality: '', schoolType: 'okänd' });
    expect(res.status).toBe(422);
    const schoolForm = `/networks/${network.id}/schools`;
    expect(fieldError(res.text, 'municipality', schoolForm)).toBe('Fyll i kommun.');
    expect(fieldError(res.text, 'schoolType', schoolForm)).toBe('Välj ett av alternativen i huvudman.');
    expect(fieldError(res.text, 'municipality', `/networks/${network.id}/companies`)).toBeUndefined();
    expect(res.text).toContain('value="Halvskolan"');
    expect(await ctx.db.selectFrom('schools').select('id').where('name', '=', 'Halvskolan').execute()).toEqual([]);
  });
});

describe("a company's own profile and sites", () => {
  async function companyCoordinator() {
    const company = await makeCompany(ctx.db);
    return { company, ...(await signedIn(ctx, 'company_coordinator', company.id)) };
  }
  const sitesOf = (companyId: string) => ctx.db.selectFrom('company_sites').selectAll().where('company_id', '=', companyId).orderBy('is_main', 'desc').execute();

  it('lets the company coordinator edit the profile', async () => {
    const { company, agent } = await companyCoordinator();
    const res = await post(agent, '/company/profile', { name: 'Nytt Namn AB', description: 'Vi bygger broar.' });
    expect(res.status).toBe(303);
    expect(await ctx.db.selectFrom('companies').selectAll().where('id', '=', company.id).executeTakeFirstOrThrow()).toMatchObject({
      name: 'Nytt Namn AB',
      description: 'Vi bygger broar.',
    });
    expect((await agent.get('/company')).text).toContain('Vi bygger broar.');
  });

  it('keeps the stored profile when the new name is empty (422)', async () => {
    const { company, agent } = await companyCoordinator();
    const res = await post(agent, '/company/profile', { name: '  ', description: 'Ändrad' });
    expect(res.status).toBe(422);
    expect(fieldError(res.text, 'name', '/company/profile')).toBe('Fyll i namn.');
    expect(await ctx.db.selectFrom('companies').selectAll().where('id', '=', company.id).executeTakeFirstOrThrow()).toMatchObject({
      name: company.name,
      description: null,
    });
  });

  it('names the description field when the description is too long (422)', async () => {
    const { agent } = await companyCoordinator();
    const res = await post(agent, '/company/profile', { name: 'Långt AB', description: 'x'.repeat(2001) });
    expect(res.status).toBe(422);
    expect(fieldError(res.text, 'description', '/company/profile')).toBe('Kort beskrivning får ha högst 2000 tecken.');
  });

  it('names the empty field of a new site, and adds nothing (422)', async () => {
    const { company, agent } = await companyCoordinator();
    const res = await post(agent, '/company/sites', { name: '', municipality: 'Hammarö', address: '' });
    expect(res.status).toBe(422);
    expect(fieldError(res.text, 'name', '/company/sites')).toBe('Fyll i namn.');
    expect(fieldError(res.text, 'name', '/company/profile')).toBeUndefined();
    expect(await sitesOf(company.id)).toHaveLength(1);
  });

  it('adds a site next to the main one', async () => {
    const { company, agent } = await companyCoordinator();
    const res = await post(agent, '/company/sites', { name: 'Lagret', municipality: 'Hammarö', address: '' });
    expect(res.status).toBe(303);
    const sites = await sitesOf(company.id);
    expect(sites.map((s) => [s.name, s.is_main])).toEqual([
      [company.name, 1],
      ['Lagret', 0],
    ]);
    expect((await agent.get('/company')).text).toContain('Lagret');
  });

  it('edits a site', async () => {
    const { company, agent } = await companyCoordinator();
    const [main] = await sitesOf(company.id);
    expect((await agent.get(`/company/sites/${main!.id}`)).status).toBe(200);
    const res = await post(agent, `/company/sites/${main!.id}`, { name: 'Huvudkontoret', municipality: 'Karlstad', address: 'Storgatan 5' });
    expect(res.status).toBe(303);
    expect((await sitesOf(company.id))[0]).toMatchObject({ name: 'Huvudkontoret', address: 'Storgatan 5', is_main: 1 });
  });

  it('re-shows the site form with the Swedish message and keeps the stored site (422)', async () => {
    const { company, agent } = await companyCoordinator();
    const [main] = await sitesOf(company.id);
    const res = await post(agent, `/company/sites/${main!.id}`, { name: 'Halvt ifylld', municipality: '', address: '' });
    expect(res.status).toBe(422);
    expect(fieldError(res.text, 'municipality')).toBe('Fyll i kommun.');
    expect(res.text).toContain('value="Halvt ifylld"');
    expect((await sitesOf(company.id))[0]).toEqual(main);
  });

  it("refuses another company's coordinator viewing or editing the site (403)", async () => {
    const { company } = await companyCoordinator();
    const [main] = await sitesOf(company.id);
    const other = await companyCoordinator();
    expect((await other.agent.get(`/company/sites/${main!.id}`)).status).toBe(403);
    const res = await post(other.agent, `/company/sites/${main!.id}`, { name: 'Kapad', municipality: 'Kil', address: '' });
    expect(res.status).toBe(403);
    expect(res.text).toContain('data-error-code="forbidden"');
    expect((await sitesOf(company.id))[0]).toEqual(main);
  });

  it('answers 404 for a site that does not exist', async () => {
    const { agent } = await companyCoordinator();
    expect((await agent.get('/company/sites/no-such-site')).status).toBe(404);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, postForm, type Agent, type TestContext } from '../support/app.ts';
import { makeNetwork, makeSchool } from '../support/factories.ts';
import { fieldError, signedIn } from '../support/flows.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

/** A counsellor whose school is in one network, and the coordinator of another network it may ask to join. */
async function schoolAndOtherNetwork() {
  const home = await makeNetwork(ctx.db);
  const school = await makeSchool(ctx.db, home.id);
  const counsellor = await signedIn(ctx, 'counsellor', school.id);
  const target = await makeNetwork(ctx.db);
  const coordinator = await signedIn(ctx, 'network_coordinator', target.id);
  return { home, school, counsellor, target, coordinator };
}

const askToJoin = (agent: Agent, networkId: string, message = 'Vi vill gärna vara med!') =>
  postForm(agent, '/school/join', { networkId, message }, '/school');

const membership = (networkId: string, schoolId: string) =>
  ctx.db.selectFrom('network_memberships').selectAll().where('network_id', '=', networkId).where('school_id', '=', schoolId).executeTakeFirst();

/** The membership id in the approve/decline form on the coordinator's page. */
function decisionIdFrom(html: string): string {
  const match = /action="\/memberships\/([^/"]+)\/decision"/.exec(html);
  if (!match) throw new Error('no decision form on the page');
  return match[1]!;
}

const decide = (agent: Agent, id: string, decision: 'approve' | 'reject') =>
  postForm(agent, `/memberships/${id}/decision`, { decision }, '/account');

describe('a school asking to join a network', () => {
  it('records a pending request and shows it to the school', async () => {
    const { school, counsellor, target } = await schoolAndOtherNetwork();
    const res = await askToJoin(counsellor.agent, target.id);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/school#networks');
    expect(await membership(target.id, school.id)).toMatchObject({ status: 'pending', message: 'Vi vill gärna vara med!' });
    const page = await counsellor.agent.get('/school');
    expect(page.text).toContain(target.name);
    expect(page.text).toContain('Väntar på svar');
  });

  it("shows the request on the coordinator's network page", async () => {
    const { school, counsellor, coordinator } = await schoolAndOtherNetwork();
    await askToJoin(counsellor.agent, coordinator.user.networkId!);
    const page = await coordinator.agent.get('/network');
    expect(page.status).toBe(200);
    expect(page.text).toContain(school.name);
    expect(page.text).toContain('Vi vill gärna vara med!');
    expect(decisionIdFrom(page.text)).toBe((await membership(coordinator.user.networkId!, school.id))!.id);
  });

  it('makes the school a member when the coordinator approves', async () => {
    const { school, counsellor, target, coordinator } = await schoolAndOtherNetwork();
    await askToJoin(counsellor.agent, target.id);
    const id = decisionIdFrom((await coordinator.agent.get('/network')).text);
    const res = await decide(coordinator.agent, id, 'approve');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/networks/${target.id}#requests`);
    expect(await membership(target.id, school.id)).toMatchObject({ status: 'approved', decided_by: coordinator.user.id });
    const page = await coordinator.agent.get('/network');
    expect(page.text).toContain('Inga förfrågningar just nu.');
    expect((await counsellor.agent.get('/school')).text).toMatch(/badge-approved/);
  });

  it('records a rejection when the coordinator declines', async () => {
    const { school, counsellor, target, coordinator } = await schoolAndOtherNetwork();
    await askToJoin(counsellor.agent, target.id);
    const id = decisionIdFrom((await coordinator.agent.get('/network')).text);
    expect((await decide(coordinator.agent, id, 'reject')).status).toBe(303);
    expect(await membership(target.id, school.id)).toMatchObject({ status: 'rejected' });
  });

  it('lets a declined school ask again', async () => {
    const { school, counsellor, target, coordinator } = await schoolAndOtherNetwork();
    await askToJoin(counsellor.agent, target.id);
    await decide(coordinator.agent, decisionIdFrom((await coordinator.agent.get('/network')).text), 'reject');
    expect((await askToJoin(counsellor.agent, target.id, 'Ny chans?')).status).toBe(303);
    expect(await membership(target.id, school.id)).toMatchObject({ status: 'pending', message: 'Ny chans?' });
  });

  it("refuses a coordinator of another network deciding the request (403)", async () => {
    const { school, counsellor, target } = await schoolAndOtherNetwork();
    await askToJoin(counsellor.agent, target.id);
    const id = (await membership(target.id, school.id))!.id;
    const outsider = await signedIn(ctx, 'network_coordinator');
    const res = await decide(outsider.agent, id, 'approve');
    expect(res.status).toBe(403);
    expect(res.text).toContain('data-error-code="forbidden"');
    expect(await membership(target.id, school.id)).toMatchObject({ status: 'pending', decided_by: null });
  });

  it('refuses to decide the same request twice', async () => {
    const { school, counsellor, target, coordinator } = await schoolAndOtherNetwork();
    await askToJoin(counsellor.agent, target.id);
    const id = (await membership(target.id, school.id))!.id;
    await decide(coordinator.agent, id, 'approve');
    expect((await decide(coordinator.agent, id, 'reject')).status).toBe(404);
    expect(await membership(target.id, school.id)).toMatchObject({ status: 'approved' });
  });

  it('answers 409 with a clear message when the school asks twice', async () => {
    const { counsellor, target } = await schoolAndOtherNetwork();
    await askToJoin(counsellor.agent, target.id);
    const res = await askToJoin(counsellor.agent, target.id);
    expect(res.status).toBe(409);
    expect(res.text).toContain('Organisationen är redan med i nätverket eller har redan frågat.');
  });

  it('answers 409 when the school asks to join a network it is already in', async () => {
    const { home, counsellor } = await schoolAndOtherNetwork();
    const res = await askToJoin(counsellor.agent, home.id);
    expect(res.status).toBe(409);
    expect(res.text).toContain('data-error-code="already_member"');
  });

  it('names the network field when the network does not exist (422)', async () => {
    const { counsellor } = await schoolAndOtherNetwork();
    const res = await askToJoin(counsellor.agent, 'no-such-network');
    expect(res.status).toBe(422);
    expect(fieldError(res.text, 'networkId')).toBe('Välj ett av alternativen i nätverk.');
  });
});

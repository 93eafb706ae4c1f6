import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueLink } from '../../src/pupils/links.ts';
import { waitForAllocation } from '../../src/scheduler/allocation.service.ts';
import { toDbInstant } from '../../src/time/stockholm.ts';
import { createTestContext, type Agent, type TestContext } from '../support/app.ts';
import { book, worldSlot } from '../support/bookings.ts';
import { signedIn } from '../support/flows.ts';
import { submit } from '../support/slots.ts';
import { agentOf, insertAllocationRow, putWishes, type RoundWorld } from '../support/rounds.ts';
import { allocationWorld, outsideSchool } from '../support/allocation.ts';

const runsPath = (world: RoundWorld) => `/network/rounds/${world.round.id}/allocations`;

/** Starts a run through the page, waits for it, and gives its page's path. */
async function startRun(agent: Agent, world: RoundWorld, form: Record<string, string> = {}): Promise<string> {
  const res = await submit(agent, runsPath(world), form, runsPath(world));
  expect(res.status).toBe(303);
  const location = res.headers.location as string;
  await waitForAllocation(location.split('/').pop()!);
  return location;
}

describe('the allocation pages', () => {
  let ctx: TestContext;
  let world: RoundWorld;
  let coordinator: Agent;
  let counsellor: Agent;
  const slot: Record<string, string> = {};

  beforeAll(async () => {
    ctx = await createTestContext();
    world = await allocationWorld(ctx, { schools: 1, pupils: 3 });
    coordinator = await agentOf(ctx, world.networkCoordinator.user);
    counsellor = await agentOf(ctx, world.schools[0]!.counsellor.user);
    slot.a = (await worldSlot(ctx, world, '2027-04-06T08:00', '2027-04-06T12:00', { capacity: 1 }, 0)).id;
    slot.b = (await worldSlot(ctx, world, '2027-04-07T08:00', '2027-04-07T12:00', { capacity: 1 }, 1)).id;
    slot.c = (await worldSlot(ctx, world, '2027-04-08T08:00', '2027-04-08T12:00', { capacity: 2 }, 2)).id;
    const [p1, p2, p3] = world.schools[0]!.pupils;
    await putWishes(ctx, world.round.id, p1!.id, [{ id: slot.a! }, { id: slot.b! }]);
    await putWishes(ctx, world.round.id, p2!.id, [{ id: slot.a! }, { id: slot.b! }]);
    await putWishes(ctx, world.round.id, p3!.id, [{ id: slot.a! }]);
  });
  afterAll(() => ctx.close());

  it('lists the runs and offers a form to start one', async () => {
    const res = await coordinator.get(runsPath(world));
    expect(res.status).toBe(200);
    expect(res.text).toContain('Ingen fördelning har körts än.');
    expect(res.text).toContain('name="seed"');
    // The wish window has closed: no need to ask for an early run.
    expect(res.text).not.toContain('name="early"');
  });

  it('starts a run and shows its preview, without a single pupil name', async () => {
    const path = await startRun(coordinator, world, { seed: '1234' });
    const res = await coordinator.get(path);
    expect(res.status).toBe(200);
    expect(res.text).toContain('Lottnummer: 1234.');
    expect(res.text).toContain('Beviset håller');
    expect(res.text).toMatch(/<th scope="row">Önskemål 1<\/th><td>1<\/td>/);
    expect(res.text).toContain('Elever utan plats');
    expect(res.text).toMatch(/Elev, 8B, Skola \d+ \(kod [A-Z2-9]{6}\)/);
    expect(res.text).toContain('Önskemål 1 (');
    for (const pupil of world.schools[0]!.pupils) expect(res.text).not.toContain(pupil.givenName);
    expect(res.text).not.toContain('Testsson');
    expect(res.text).toContain('Fastställ och boka');
  });

  it('speaks English to a coordinator who chose it', async () => {
    await ctx.db.updateTable('users').set({ locale: 'en' }).where('id', '=', world.networkCoordinator.user.id).execute();
    try {
      const res = await coordinator.get(runsPath(world));
      expect(res.text).toContain('Runs so far');
      const run = /href="(\/network\/rounds\/[^"]+\/allocations\/[^"]+)"/.exec(res.text)![1]!;
      const page = await coordinator.get(run);
      expect(page.text).toContain('Seed: 1234.');
      expect(page.text).toContain('The proof holds');
      expect(page.text).toContain('applicants with the same rank; a lottery.');
    } finally {
      await ctx.db.updateTable('users').set({ locale: 'sv' }).where('id', '=', world.networkCoordinator.user.id).execute();
    }
  });

  it('shows the run in the list with its seed and share placed', async () => {
    const res = await coordinator.get(runsPath(world));
    expect(res.text).toContain('<td>1234</td>');
    expect(res.text).toContain('Klar att granska');
    expect(res.text).toContain('67 %');
  });

  it('answers the progress as JSON', async () => {
    const path = await startRun(coordinator, world);
    const res = await coordinator.get(`${path}/progress`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ready', progress: 100 });
  });

  it('shows a running run with a progress bar, a script and a link to refresh', async () => {
    const { id } = await insertAllocationRow(ctx, world.round.id, { progress: 40 });
    try {
      const res = await coordinator.get(`${runsPath(world)}/${id}`);
      expect(res.text).toContain('<progress max="100" value="40"');
      expect(res.text).toContain('<script src="/assets/allocation-progress.js" defer></script>');
      expect(res.text).toContain('>Uppdatera</a>');
      expect(res.text).not.toContain('http-equiv="refresh"');
      expect(res.text).not.toContain('Fastställ och boka');
    } finally {
      // It stands for a run of another process: while it looks alive, no new run may start.
      await ctx.db.deleteFrom('allocations').where('id', '=', id).execute();
    }
  });

  it('refuses to start a run while another one of the round is running, and says so', async () => {
    const at = toDbInstant(ctx.clock.now().minus({ seconds: 30 }));
    const { id } = await insertAllocationRow(ctx, world.round.id, { progress: 40, created_at: at, heartbeat_at: at });
    try {
      const res = await submit(coordinator, runsPath(world), { seed: '1' }, runsPath(world));
      expect(res.status).toBe(409);
      expect(res.text).toContain('En fördelning körs redan just nu. Vänta tills den är klar och försök sedan igen.');
    } finally {
      await ctx.db.deleteFrom('allocations').where('id', '=', id).execute();
    }
  });

  it('shows a run as failed when no process has worked on it for a long time', async () => {
    const { id } = await insertAllocationRow(ctx, world.round.id, { created_at: '2027-03-16T07:00:00.000Z' });
    const res = await coordinator.get(`${runsPath(world)}/${id}/progress`);
    expect(res.body).toEqual({ status: 'failed', progress: 20 });
  });

  it('shows a run as failed a minute after its last heartbeat, and lets a new one start', async () => {
    const started = toDbInstant(ctx.clock.now().minus({ minutes: 3 }));
    const heartbeat = toDbInstant(ctx.clock.now().minus({ seconds: 61 }));
    const { id } = await insertAllocationRow(ctx, world.round.id, { created_at: started, heartbeat_at: heartbeat });
    expect((await coordinator.get(`${runsPath(world)}/${id}/progress`)).body).toEqual({ status: 'failed', progress: 20 });
    const page = await coordinator.get(`${runsPath(world)}/${id}`);
    expect(page.text).toContain('Fördelningen misslyckades.');
    await startRun(coordinator, world, { seed: '2' });
  });

  it('names a bad seed in the form', async () => {
    const res = await submit(coordinator, runsPath(world), { seed: 'tolv' }, runsPath(world));
    expect(res.status).toBe(422);
    expect(res.text).toContain('Skriv ett heltal mellan 0 och 2147483647 i lottnummer');
  });

  it('asks for a new preview when a seat was taken since, and books nothing', async () => {
    const path = await startRun(coordinator, world, { seed: '77' });
    const other = await outsideSchool(ctx, world, 1);
    await book(ctx, other, slot.c!, other.pupils);
    const res = await submit(coordinator, `${path}/commit`, {}, path);
    expect(res.status).toBe(409);
    expect(res.text).toContain('Något har ändrats sedan förhandsvisningen');
    expect(res.text).toContain('Gör en ny förhandsvisning');
  });

  it("shows a counsellor that the results are not out before the commit", async () => {
    const res = await counsellor.get(`/school/rounds/${world.round.id}/results`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('Fördelningen är inte klar än.');
  });

  it('commits through the form and says so', async () => {
    const path = await startRun(coordinator, world, { seed: '1234' });
    const res = await submit(coordinator, `${path}/commit`, {}, path);
    expect(res.status).toBe(303);
    const page = await coordinator.get(path);
    expect(page.text).toContain('Den här fördelningen är fastställd');
    expect(page.text).not.toContain('Fastställ och boka');
  });

  it("shows the counsellor each pupil by name, the wish they got and why", async () => {
    const res = await counsellor.get(`/school/rounds/${world.round.id}/results`);
    expect(res.status).toBe(200);
    for (const pupil of world.schools[0]!.pupils) expect(res.text).toContain(`${pupil.givenName} ${pupil.familyName}`);
    expect(res.text).toContain('Önskemål 1');
    expect(res.text).toContain('Fick sitt första önskemål.');
    expect(res.text).toContain('hade 1 plats och 3 sökande med samma rang; lottning.');
  });

  it('lists free places that fit an unplaced pupil, with links to book them', async () => {
    const res = await counsellor.get(`/school/rounds/${world.round.id}/results`);
    expect(res.text).toContain('Elever utan plats, och lediga platser som passar');
    expect(res.text).toContain(`href="/school/slots/${slot.c}/book"`);
    expect(res.text).toContain('1 lediga');
  });

  it("is 404 for a counsellor of a school that is not in the round", async () => {
    const other = await signedIn(ctx, 'counsellor');
    expect((await other.agent.get(`/school/rounds/${world.round.id}/results`)).status).toBe(404);
  });

  it('is 404 for a coordinator of another network', async () => {
    const other = await signedIn(ctx, 'network_coordinator');
    expect((await other.agent.get(runsPath(world))).status).toBe(404);
  });
});

describe('committing from the page', () => {
  let ctx: TestContext;
  let coordinator: Agent;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(() => ctx.close());

  /** A round whose wish window is still open, and a preview run early. */
  async function earlyRun(): Promise<{ world: RoundWorld; path: string }> {
    const world = await allocationWorld(ctx, { pupils: 1, round: { wishesCloseAt: '2027-03-31T22:00:00.000Z' } });
    coordinator = await agentOf(ctx, world.networkCoordinator.user);
    const a = (await worldSlot(ctx, world, '2027-04-06T08:00', '2027-04-06T12:00', {}, 0)).id;
    await putWishes(ctx, world.round.id, world.schools[0]!.pupils[0]!.id, [{ id: a }]);
    return { world, path: await startRun(coordinator, world, { early: 'yes' }) };
  }

  it('asks, while wishes are open, to close them now, and explains what that means', async () => {
    const { path } = await earlyRun();
    const res = await coordinator.get(path);
    expect(res.text).toContain('name="closeWishes"');
    expect(res.text).toContain('Stäng önskemålen nu och fastställ');
    expect(res.text).toContain('Om du fastställer nu stängs den direkt: ingen elev kan ändra sina önskemål efter det.');
  });

  it('does not ask once the wish window has closed', async () => {
    const world = await allocationWorld(ctx, { pupils: 1 });
    const agent = await agentOf(ctx, world.networkCoordinator.user);
    const path = await startRun(agent, world);
    const res = await agent.get(path);
    expect(res.text).toContain('Fastställ och boka');
    expect(res.text).not.toContain('name="closeWishes"');
  });

  it('refuses a commit while wishes are open unless the box is ticked, naming the box', async () => {
    const { world, path } = await earlyRun();
    const res = await submit(coordinator, `${path}/commit`, {}, path);
    expect(res.status).toBe(409);
    expect(res.text).toContain('Tiden för önskemål är inte slut. Kryssa i rutan om du vill stänga den nu och fastställa ändå.');
    expect(res.text).toContain('href="#f-closeWishes"');
    expect((await ctx.db.selectFrom('rounds').select('committed_allocation_id').where('id', '=', world.round.id).executeTakeFirstOrThrow()).committed_allocation_id).toBeNull();
  });

  it('closes the wishes and commits when the box is ticked', async () => {
    const { world, path } = await earlyRun();
    const res = await submit(coordinator, `${path}/commit`, { closeWishes: 'yes' }, path);
    expect(res.status).toBe(303);
    const round = await ctx.db.selectFrom('rounds').select(['committed_allocation_id', 'wishes_close_at']).where('id', '=', world.round.id).executeTakeFirstOrThrow();
    expect(round).toEqual({ committed_allocation_id: path.split('/').pop(), wishes_close_at: toDbInstant(ctx.clock.now()) });
  });

  it('offers no commit for a run whose proof did not hold, and refuses one posted anyway', async () => {
    const world = await allocationWorld(ctx, { pupils: 1 });
    const agent = await agentOf(ctx, world.networkCoordinator.user);
    const path = await startRun(agent, world);
    const id = path.split('/').pop()!;
    const row = await ctx.db.selectFrom('allocations').select('metrics').where('id', '=', id).executeTakeFirstOrThrow();
    await ctx.db.updateTable('allocations').set({ metrics: JSON.stringify({ ...JSON.parse(row.metrics!), certificate: ['node 5 does not pass on the flow it takes in'] }) }).where('id', '=', id).execute();
    const page = await agent.get(path);
    expect(page.text).toContain('Beviset håller inte (1 fel)');
    expect(page.text).not.toContain('Fastställ och boka');
    expect(page.text).toContain('Det går inte att visa att den här fördelningen är den bästa möjliga');
    const res = await submit(agent, `${path}/commit`, {}, path);
    expect(res.status).toBe(409);
    expect(res.text).toContain('Det går inte att visa att den här fördelningen är den bästa möjliga, så den kan inte fastställas.');
  });
});

describe("the pupil's own page about a round", () => {
  let ctx: TestContext;
  let world: RoundWorld;
  let tokens: string[];

  beforeAll(async () => {
    ctx = await createTestContext();
    world = await allocationWorld(ctx, { pupils: 2 });
    const a = (await worldSlot(ctx, world, '2027-04-06T08:00', '2027-04-06T12:00', { capacity: 1 }, 0)).id;
    const b = (await worldSlot(ctx, world, '2027-04-07T08:00', '2027-04-07T12:00', { capacity: 1 }, 1)).id;
    tokens = [];
    for (const pupil of world.schools[0]!.pupils) {
      tokens.push(await issueLink(ctx.db, ctx.config.sessionSecret, pupil.id, ctx.clock.now()));
      await putWishes(ctx, world.round.id, pupil.id, [{ id: a }, { id: b }]);
    }
  });
  afterAll(() => ctx.close());

  const page = (token: string) => supertest(ctx.app).get(`/p/${token}/rounds/${world.round.id}`);

  it('says the allocation is not done yet, privately', async () => {
    const res = await page(tokens[0]!);
    expect(res.status).toBe(200);
    expect(res.text).toContain('Fördelningen är inte klar än');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-robots-tag']).toBe('noindex, nofollow');
  });

  it('says what each pupil got once the allocation is committed, and why not a better wish', async () => {
    const coordinator = await agentOf(ctx, world.networkCoordinator.user);
    const path = await startRun(coordinator, world, { seed: '3' });
    expect((await submit(coordinator, `${path}/commit`, {}, path)).status).toBe(303);
    const texts = await Promise.all(tokens.map(async (token) => (await page(token)).text));
    const first = texts.find((t) => t.includes('Du fick ditt önskemål 1!'))!;
    const second = texts.find((t) => t.includes('Du fick ditt önskemål 2!'))!;
    expect(first).toContain('Du ska vara hos Företag');
    expect(first).not.toContain('Varför inte ett högre önskemål?');
    expect(second).toContain('Varför inte ett högre önskemål?');
    expect(second).toContain('hade 1 plats, och 2 elever hade den som sitt önskemål 1. Då fick en lottning avgöra, och du fick inte platsen.');
  });

  it('shows the same page as the pupil page for a link that does not work', async () => {
    const res = await page('x'.repeat(43));
    expect(res.status).toBe(404);
    expect(res.headers['cache-control']).toBe('no-store');
  });
});

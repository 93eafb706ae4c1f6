import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Round } from '../../src/scheduler/round.ts';
import { roundFormValues } from '../../src/scheduler/rounds.form.ts';
import { findRound } from '../../src/scheduler/rounds.repository.ts';
import { createTestContext, csrfFrom, type Agent, type TestContext } from '../support/app.ts';
import { worldSlot } from '../support/bookings.ts';
import { makeNetwork, makeSchool } from '../support/factories.ts';
import { fieldError, signedIn } from '../support/flows.ts';
import { submit } from '../support/slots.ts';
import { agentOf, makeRound, makeRoundWorld, markCommitted, putWishes, roundForm, type RoundWorld } from '../support/rounds.ts';

let ctx: TestContext;
let world: RoundWorld;
let coordinator: Agent;
beforeAll(async () => {
  ctx = await createTestContext();
  world = await makeRoundWorld(ctx, { schools: 2, pupils: 3 });
  coordinator = await agentOf(ctx, world.networkCoordinator.user);
});
afterAll(() => ctx.close());

/** Posts a form with a CSRF token from the page it is on (the new-round form unless said). */
const post = (agent: Agent, path: string, form: Record<string, string | string[]>, tokenFrom = '/network/rounds/new') => submit(agent, path, form, tokenFrom);

const roundIdOf = (location: string) => /^\/network\/rounds\/([^/?]+)\?created=1$/.exec(location)![1]!;

describe('creating a round', () => {
  it('creates a round from the form and shows its overview', async () => {
    const res = await post(coordinator, '/network/rounds/new', roundForm(world, { name: 'Prao vt 2027 A', freeBookingOpens: '2027-04-20T08:00', placeWithoutWishes: 'on' }));
    expect(res.status).toBe(303);
    const round = (await findRound(ctx.db, roundIdOf(res.headers.location!)))!;
    expect(round).toMatchObject({
      name: 'Prao vt 2027 A',
      networkId: world.networkId,
      wishesOpenAt: '2027-03-01T07:00:00.000Z',
      wishesCloseAt: '2027-03-31T14:00:00.000Z',
      maxWishes: 5,
      grades: ['8', '9'],
      freeBookingOpensAt: '2027-04-20T06:00:00.000Z',
      placeWithoutWishes: true,
      schoolShareCaps: false,
    });
    expect(round.schools.map((s) => [s.schoolId, s.from, s.to]).sort()).toEqual(world.schools.map((s) => [s.school.id, '2027-04-05', '2027-04-09']).sort());
    const page = await coordinator.get(res.headers.location!);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Omgången är skapad.');
    expect(page.text).toContain(`href="/network/rounds/${round.id}/allocations"`);
  });

  it('offers five wishes and years 8 and 9 on a new form', async () => {
    const page = await coordinator.get('/network/rounds/new');
    expect(page.text).toMatch(/name="maxWishes" type="number" value="5"/);
    expect(page.text).toMatch(/name="grades" value="8" checked/);
    expect(page.text).toMatch(/name="grades" value="9" checked/);
    for (const side of world.schools) expect(page.text).toContain(`Första praodag för ${side.school.name}`);
  });

  it('names every missing field at once with 422', async () => {
    const res = await post(coordinator, '/network/rounds/new', { name: '', wishesOpen: '', wishesClose: '', maxWishes: '' });
    expect(res.status).toBe(422);
    expect(fieldError(res.text, 'name')).toBe('Fyll i namn.');
    expect(fieldError(res.text, 'schools')).toBe('Välj minst en skola.');
    expect(fieldError(res.text, 'wishesOpen')).toBe('Fyll i önskemål kan lämnas från.');
    expect(fieldError(res.text, 'wishesClose')).toBe('Fyll i sista tid för önskemål.');
    expect(fieldError(res.text, 'maxWishes')).toBe('Fyll i antal önskemål per elev.');
    expect(fieldError(res.text, 'grades')).toBe('Välj minst en årskurs.');
  });

  it('refuses more than ten wishes', async () => {
    const res = await post(coordinator, '/network/rounds/new', roundForm(world, { maxWishes: '11' }));
    expect(res.status).toBe(422);
    expect(fieldError(res.text, 'maxWishes')).toBe('Antal önskemål ska vara ett heltal från 1 till 10.');
  });

  it('refuses a wish window that closes before it opens', async () => {
    const res = await post(coordinator, '/network/rounds/new', roundForm(world, { wishesClose: '2027-02-28T08:00' }));
    expect(res.status).toBe(422);
    expect(fieldError(res.text, 'wishesClose')).toBe('Sista tiden för önskemål måste vara efter att de börjar.');
  });

  it('refuses a local time that does not exist when the clocks go forward', async () => {
    const res = await post(coordinator, '/network/rounds/new', roundForm(world, { wishesClose: '2027-03-28T02:30' }));
    expect(res.status).toBe(422);
    expect(fieldError(res.text, 'wishesClose')).toContain('Den tiden finns inte den dagen');
  });

  it('refuses a local time that happens twice when the clocks go back', async () => {
    const res = await post(coordinator, '/network/rounds/new', roundForm(world, { freeBookingOpens: '2027-10-31T02:30' }));
    expect(res.status).toBe(422);
    expect(fieldError(res.text, 'freeBookingOpens')).toContain('Den tiden finns två gånger den dagen');
  });

  it("names a school's dates at that school's field, with the school's name", async () => {
    const [a, b] = world.schools.map((s) => s.school);
    const res = await post(coordinator, '/network/rounds/new', roundForm(world, { [`from_${a!.id}`]: '2027-04-09', [`to_${a!.id}`]: '2027-04-05', [`to_${b!.id}`]: '2027-06-30' }));
    expect(res.status).toBe(422);
    expect(fieldError(res.text, `to_${a!.id}`)).toBe(`Sista praodagen för ${a!.name} kan inte vara före den första.`);
    expect(fieldError(res.text, `to_${b!.id}`)).toBe(`Praon för ${b!.name} kan vara högst 8 veckor.`);
  });

  it('asks for the dates of a chosen school', async () => {
    const a = world.schools[0]!.school;
    const res = await post(coordinator, '/network/rounds/new', roundForm(world, { [`from_${a.id}`]: '', [`to_${a.id}`]: 'nästa vecka' }));
    expect(res.status).toBe(422);
    expect(fieldError(res.text, `from_${a.id}`)).toBe(`Fyll i praodagarna för ${a.name}.`);
    expect(fieldError(res.text, `to_${a.id}`)).toBe(`Skriv datumet för ${a.name} som 2027-04-05.`);
  });

  it('refuses prao that starts before the wish window closes', async () => {
    const a = world.schools[0]!.school;
    const res = await post(coordinator, '/network/rounds/new', roundForm(world, { [`from_${a.id}`]: '2027-03-30' }));
    expect(fieldError(res.text, `from_${a.id}`)).toBe(`Praon för ${a.name} kan börja först när tiden för önskemål är slut.`);
  });

  it('refuses free booking that opens before the wish window closes', async () => {
    const res = await post(coordinator, '/network/rounds/new', roundForm(world, { freeBookingOpens: '2027-03-20T08:00' }));
    expect(res.status).toBe(422);
    expect(fieldError(res.text, 'freeBookingOpens')).toBe('Fri bokning kan öppna först efter att tiden för önskemål är slut.');
  });

  it('refuses a school that is not an approved member of the network', async () => {
    const stranger = await makeSchool(ctx.db);
    const res = await post(coordinator, '/network/rounds/new', roundForm(world, { schools: [world.schools[0]!.school.id, stranger.id] }));
    expect(res.status).toBe(422);
    expect(fieldError(res.text, 'schools')).toBe('Välj ett av alternativen i skolor.');
  });

  it('keeps what was typed when the form is shown again', async () => {
    const res = await post(coordinator, '/network/rounds/new', roundForm(world, { name: 'Min omgång', maxWishes: '0' }));
    expect(res.text).toContain('value="Min omgång"');
    expect(res.text).toContain('value="2027-03-01T08:00"');
  });
});

describe('the list and the overview', () => {
  it("lists the network's rounds with their phase in plain words, wish window and schools", async () => {
    await makeRound(ctx, world, null, { name: 'Kommande omgång', wishesOpenAt: '2027-04-01T06:00:00.000Z', wishesCloseAt: '2027-04-10T06:00:00.000Z' });
    await makeRound(ctx, world, null, { name: 'Stängd omgång', wishesOpenAt: '2027-02-01T06:00:00.000Z', wishesCloseAt: '2027-03-10T06:00:00.000Z' });
    const done = await makeRound(ctx, world, null, { name: 'Klar omgång', wishesOpenAt: '2027-02-01T06:00:00.000Z', wishesCloseAt: '2027-03-10T06:00:00.000Z' });
    await markCommitted(ctx, done.id);
    const waiting = await makeRound(ctx, world, null, { name: 'Väntar på fri bokning', wishesOpenAt: '2027-02-01T06:00:00.000Z', wishesCloseAt: '2027-03-10T06:00:00.000Z', freeBookingOpensAt: '2027-03-20T06:00:00.000Z' });
    await markCommitted(ctx, waiting.id);
    await makeRound(ctx, world, null, { name: 'Fri utan fördelning', wishesOpenAt: '2027-02-01T06:00:00.000Z', wishesCloseAt: '2027-03-10T06:00:00.000Z', freeBookingOpensAt: '2027-03-15T06:00:00.000Z' });
    const page = await coordinator.get('/network/rounds');
    expect(page.status).toBe(200);
    const item = (name: string) => page.text.slice(page.text.indexOf(name), page.text.indexOf('</li>', page.text.indexOf(name)));
    expect(item('Kommande omgång')).toContain('Önskemål har inte öppnat än');
    expect(item('Stängd omgång')).toContain('Önskemålen är stängda – dags att fördela');
    expect(item('Fri utan fördelning')).toContain('Fri bokning är öppen – ingen fördelning blev fastställd');
    expect(item('Klar omgång')).toContain('Fördelningen är klar – fri bokning är öppen');
    expect(item('Väntar på fri bokning')).toContain('<dd>Fördelningen är klar</dd>');
    const open = item(`href="/network/rounds/${world.round.id}"`);
    expect(open).toContain('Eleverna väljer önskemål');
    expect(open).toContain('mån 1 mars 2027, 00.00 – ons 31 mars 2027, 24.00');
    expect(open).toContain(world.schools[1]!.school.name);
  });

  it("does not list another network's rounds", async () => {
    const other = await makeRoundWorld(ctx, { schools: 1, pupils: 1, round: { name: 'Grannarnas omgång' } });
    const page = await coordinator.get('/network/rounds');
    expect(page.text).not.toContain('Grannarnas omgång');
    expect(page.text).not.toContain(other.round.id);
  });

  it('shows per school its dates, pupils with and without wishes, and how many placements they can choose from', async () => {
    const side = world.schools[0]!;
    const slot = await worldSlot(ctx, world, '2027-04-06T08:00', '2027-04-06T12:00');
    await worldSlot(ctx, world, '2027-04-07T08:00', '2027-04-07T12:00', { grades: ['gy1'] }, 1);
    await worldSlot(ctx, world, '2027-04-20T08:00', '2027-04-20T12:00', {}, 2);
    await putWishes(ctx, world.round.id, side.pupils[0]!.id, [{ id: slot.id }]);
    const page = await coordinator.get(`/network/rounds/${world.round.id}`);
    expect(page.status).toBe(200);
    const row = page.text.slice(page.text.indexOf(`<th scope="row">${side.school.name}</th>`));
    const cells = [...row.slice(0, row.indexOf('</tr>')).matchAll(/<td>([^<]*)<\/td>/g)].map((m) => m[1]);
    expect(cells).toEqual(['mån 5 april 2027 – fre 9 april 2027', '3', '1', '2', '1']);
  });
});

describe('editing a round', () => {
  it('shows the stored settings and saves changes', async () => {
    const round = await makeRound(ctx, world, null, { name: 'Att ändra' });
    const form = await coordinator.get(`/network/rounds/${round.id}/edit`);
    expect(form.status).toBe(200);
    expect(form.text).toContain('value="Att ändra"');
    expect(form.text).toContain('value="2027-03-01T00:00"');
    const res = await post(coordinator, `/network/rounds/${round.id}/edit`, roundForm(world, { name: 'Ändrad', maxWishes: '3', grades: '9', schools: world.schools[0]!.school.id }), `/network/rounds/${round.id}/edit`);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/network/rounds/${round.id}?saved=1`);
    const saved = (await findRound(ctx.db, round.id))!;
    expect(saved).toMatchObject({ name: 'Ändrad', maxWishes: 3, grades: ['9'] });
    expect(saved.schools.map((s) => s.schoolId)).toEqual([world.schools[0]!.school.id]);
  });

  it('names what is wrong with a tampered form: two names, an invisible character, a year with six digits', async () => {
    const round = await makeRound(ctx, world, null, { name: 'Orörd' });
    const path = `/network/rounds/${round.id}/edit`;
    const twice = await post(coordinator, path, roundForm(world, { name: ['Ett', 'Två'] }), path);
    expect(twice.status).toBe(422);
    expect(fieldError(twice.text, 'name')).toBe('Namn har fel format.');
    const nul = await post(coordinator, path, roundForm(world, { name: 'Prao\u0000' }), path);
    expect(nul.status).toBe(422);
    expect(fieldError(nul.text, 'name')).toMatch(/^Namn innehåller ett osynligt tecken/);
    const far = await post(coordinator, path, roundForm(world, { freeBookingOpens: '+275760-09-13T00:00:00Z' }), path);
    expect(far.status).toBe(422);
    expect(fieldError(far.text, 'freeBookingOpens')).toMatch(/skriv ett år mellan 1000 och 9999/);
    expect((await findRound(ctx.db, round.id))!).toMatchObject({ name: 'Orörd', freeBookingOpensAt: null });
  });

  it('refuses fewer wishes than a pupil already has', async () => {
    const round = await makeRound(ctx, world, null, { name: 'Med önskemål' });
    const slots = [await worldSlot(ctx, world, '2027-04-08T08:00', '2027-04-08T12:00'), await worldSlot(ctx, world, '2027-04-09T08:00', '2027-04-09T12:00')];
    await putWishes(ctx, round.id, world.schools[0]!.pupils[0]!.id, slots.map((s) => ({ id: s.id })));
    const res = await post(coordinator, `/network/rounds/${round.id}/edit`, roundForm(world, { maxWishes: '1' }), `/network/rounds/${round.id}/edit`);
    expect(res.status).toBe(422);
    expect(fieldError(res.text, 'maxWishes')).toBe('Några elever har redan valt 2 önskemål. Välj minst 2.');
  });

  it('after a commit, refuses changes to what the placement was made from and names each one', async () => {
    const round = await makeRound(ctx, world, null, { name: 'Fastställd', wishesOpenAt: '2027-02-28T23:00:00.000Z', wishesCloseAt: '2027-03-31T22:00:00.000Z' });
    await markCommitted(ctx, round.id);
    const form = await coordinator.get(`/network/rounds/${round.id}/edit`);
    expect(form.text).toContain('Nu går bara namnet och när fri bokning öppnar att ändra.');
    const same = { wishesOpen: '2027-03-01T00:00', wishesClose: '2027-04-01T00:00' };
    const res = await post(coordinator, `/network/rounds/${round.id}/edit`, roundForm(world, { ...same, grades: '8', maxWishes: '4' }), `/network/rounds/${round.id}/edit`);
    expect(res.status).toBe(409);
    expect(fieldError(res.text, 'grades')).toBe('Fördelningen är redan fastställd, så det här kan inte ändras längre.');
    expect(fieldError(res.text, 'maxWishes')).toBe('Fördelningen är redan fastställd, så det här kan inte ändras längre.');
    expect(fieldError(res.text, 'name')).toBeUndefined();
    expect((await findRound(ctx.db, round.id))!.grades).toEqual(['8', '9']);
  });

  it('after a commit, still lets the name and the free booking time change', async () => {
    const round = await makeRound(ctx, world, null, { name: 'Fastställd 2' });
    await markCommitted(ctx, round.id);
    const same = { wishesOpen: '2027-03-01T00:00', wishesClose: '2027-04-01T00:00' };
    const res = await post(coordinator, `/network/rounds/${round.id}/edit`, roundForm(world, { ...same, name: 'Nytt namn', freeBookingOpens: '2027-04-02T08:00' }), `/network/rounds/${round.id}/edit`);
    expect(res.status).toBe(303);
    expect(await findRound(ctx.db, round.id)).toMatchObject({ name: 'Nytt namn', freeBookingOpensAt: '2027-04-02T06:00:00.000Z' });
  });
});

describe('editing a round whose stored times the form cannot show exactly', () => {
  // The form shows minutes, without an offset: a window closed "now" by an early commit has
  // seconds, and 02.30 on the day the clocks go back happens twice.
  const exact = { wishesCloseAt: '2027-03-16T08:00:17.123Z', freeBookingOpensAt: '2027-10-31T00:30:00.000Z' };

  async function editAsShown(round: Round, change: Record<string, string>) {
    const page = await coordinator.get(`/network/rounds/${round.id}/edit`);
    const shown = roundFormValues(round);
    expect(page.text).toContain(`value="${shown.wishesClose as string}"`);
    expect(page.text).toContain(`value="${shown.freeBookingOpens as string}"`);
    const times = { wishesOpen: shown.wishesOpen as string, wishesClose: shown.wishesClose as string, freeBookingOpens: shown.freeBookingOpens as string };
    return post(coordinator, `/network/rounds/${round.id}/edit`, roundForm(world, { ...times, ...change }), `/network/rounds/${round.id}/edit`);
  }

  it('after an early commit, lets the name change and keeps every stored time exactly', async () => {
    const round = await makeRound(ctx, world, null, { name: 'Stängd i förtid', ...exact });
    await markCommitted(ctx, round.id);
    const res = await editAsShown(round, { name: 'Nytt namn' });
    expect(fieldError(res.text, 'wishesClose')).toBeUndefined();
    expect(res.status).toBe(303);
    expect(await findRound(ctx.db, round.id)).toMatchObject({ name: 'Nytt namn', ...exact });
  });

  it('before a commit, keeps the seconds and the hour the clocks go back when only the name changes', async () => {
    const round = await makeRound(ctx, world, null, { name: 'Öppen', ...exact });
    expect((await editAsShown(round, { name: 'Öppen 2' })).status).toBe(303);
    expect(await findRound(ctx.db, round.id)).toMatchObject({ name: 'Öppen 2', ...exact });
  });

  it('still reads a time that was changed', async () => {
    const round = await makeRound(ctx, world, null, { name: 'Flyttad', ...exact });
    await markCommitted(ctx, round.id);
    expect((await editAsShown(round, { freeBookingOpens: '2027-11-01T08:00' })).status).toBe(303);
    expect(await findRound(ctx.db, round.id)).toMatchObject({ wishesCloseAt: exact.wishesCloseAt, freeBookingOpensAt: '2027-11-01T07:00:00.000Z' });
  });
});

describe('who may not', () => {
  it("answers 404 for another network's round, to read or to change", async () => {
    const other = await makeRoundWorld(ctx, { schools: 1, pupils: 1 });
    expect((await coordinator.get(`/network/rounds/${other.round.id}`)).status).toBe(404);
    expect((await coordinator.get(`/network/rounds/${other.round.id}/edit`)).status).toBe(404);
    const res = await post(coordinator, `/network/rounds/${other.round.id}/edit`, roundForm(world, { name: 'Kapad' }));
    expect(res.status).toBe(404);
    expect((await findRound(ctx.db, other.round.id))!.name).toBe('Prao vt 2027');
  });

  it('refuses counsellors and company coordinators on the coordinator pages', async () => {
    const counsellor = await agentOf(ctx, world.schools[0]!.counsellor.user);
    const company = (await signedIn(ctx, 'company_coordinator', world.company.id)).agent;
    for (const agent of [counsellor, company]) {
      expect((await agent.get('/network/rounds')).status).toBe(403);
      expect((await agent.get(`/network/rounds/${world.round.id}`)).status).toBe(403);
      const token = csrfFrom((await agent.get('/account')).text);
      const res = await agent.post('/network/rounds/new').type('form').send({ _csrf: token, ...roundForm(world) });
      expect(res.status).toBe(403);
    }
  });

  it("lets a coordinator of another network choose only that network's schools", async () => {
    const network = await makeNetwork(ctx.db);
    const stranger = (await signedIn(ctx, 'network_coordinator', network.id)).agent;
    const page = await stranger.get('/network/rounds/new');
    expect(page.text).not.toContain(world.schools[0]!.school.name);
    const res = await post(stranger, '/network/rounds/new', roundForm(world));
    expect(res.status).toBe(422);
  });
});

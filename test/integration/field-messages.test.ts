import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../support/app.ts';
import { apiPost, apiUser, expectApiError, type ApiUser } from '../support/api.ts';
import { fieldError, signedIn } from '../support/flows.ts';
import { pasteCsv, pupilsOf, uploadCsv } from '../support/pupils.ts';
import { agentOf, makeRoundWorld, pupilBrowser, roundBody, type RoundWorld } from '../support/rounds.ts';
import { slotForm, submit } from '../support/slots.ts';
import { storyForm } from '../support/stories.ts';

// Bad input gets a message that names its field in plain Swedish: a control character, a year
// that cannot be stored, a field without a label, a value of the wrong type.

let ctx: TestContext;
let world: RoundWorld;
let company: ApiUser;
beforeAll(async () => {
  ctx = await createTestContext();
  world = await makeRoundWorld(ctx, { schools: 1, pupils: 2 });
  company = await apiUser(ctx, 'company_coordinator', world.company.id);
});
afterAll(() => ctx.close());

const INVISIBLE = 'innehåller ett osynligt tecken som inte går att använda. Skriv texten på nytt.';
const postRound = (extra: Record<string, unknown>) => apiPost(ctx, '/rounds', roundBody(world, extra), world.networkCoordinator.token);
const postSlot = (extra: Record<string, unknown>) =>
  apiPost(ctx, '/slots', { storyIds: [world.storyIds[0]], startsAt: '2027-04-27T08:00', endsAt: '2027-04-27T12:00', capacity: 4, grades: ['8', '9'], ...extra }, company.token);

describe('a control character in a text field', () => {
  it('is refused in a round name with a message naming the field, and nothing is stored', async () => {
    const before = await ctx.db.selectFrom('rounds').select('id').execute();
    const fields = expectApiError(await postRound({ name: '\u0000' }), 422, 'validation_failed');
    expect(fields).toEqual({ name: `Namn ${INVISIBLE}` });
    expect(await ctx.db.selectFrom('rounds').select('id').execute()).toHaveLength(before.length);
  });

  it('is refused in an id inside a list, named by its place', async () => {
    const schools = [{ schoolId: `${world.schools[0]!.school.id}\u0000`, from: '2027-04-05', to: '2027-04-09' }];
    expect(expectApiError(await postRound({ schools }), 422, 'validation_failed')).toEqual({ 'schools.0.schoolId': `Fältet schools.0.schoolId ${INVISIBLE}` });
  });

  it('is refused as DEL and as a bell, but tab and line breaks are kept in a long text', async () => {
    expect(expectApiError(await postSlot({ activities: 'Vi\u007Fbygger' }), 422, 'validation_failed')).toEqual({ activities: expect.stringContaining(INVISIBLE) });
    expect(expectApiError(await postSlot({ activities: 'Vi\u0007bygger' }), 422, 'validation_failed')).toEqual({ activities: expect.stringContaining(INVISIBLE) });
    const res = await postSlot({ activities: 'Vi bygger:\r\n\t– en robot\n\t– en bro' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.activities).toBe('Vi bygger:\r\n\t– en robot\n\t– en bro');
  });

  it('is shown at the field of the new-network form, which keeps what was typed', async () => {
    const { agent } = await signedIn(ctx, 'platform_admin');
    const res = await submit(agent, '/admin/networks', { name: '\u0000x', region: 'Värmland' });
    expect(res.status).toBe(422);
    expect(fieldError(res.text, 'name')).toBe(`Namn ${INVISIBLE}`);
  });

  it('is shown at the field of the story form', async () => {
    const agent = await agentOf(ctx, world.coordinator);
    const res = await submit(agent, '/company/stories/new', storyForm({ dayAtWork: 'Jag\u0000 ritar.' }));
    expect(res.status).toBe(422);
    expect(fieldError(res.text, 'dayAtWork')).toMatch(INVISIBLE);
  });

  it('is shown at the field of the slot form', async () => {
    const agent = await agentOf(ctx, world.coordinator);
    const res = await submit(agent, '/company/slots/new', slotForm(world.storyIds[1]!, { date: '2027-04-28', bring: 'Skor\u0000' }));
    expect(res.status).toBe(422);
    expect(fieldError(res.text, 'bring')).toMatch(INVISIBLE);
  });

  it('in a pasted class list stops the import, and no pupil is added', async () => {
    const agent = await agentOf(ctx, world.schools[0]!.counsellor.user);
    const before = await pupilsOf(ctx.db, world.schools[0]!.school.id);
    const res = await pasteCsv(agent, 'Förnamn;Efternamn;Klass\nAl\u0000va;Berg;8B\n');
    expect(res.status).toBeLessThan(500);
    expect(res.text).toContain(INVISIBLE);
    expect(await pupilsOf(ctx.db, world.schools[0]!.school.id)).toHaveLength(before.length);
  });

  it('in an uploaded class list is named on its row (a NUL makes it no text file at all)', async () => {
    const agent = await agentOf(ctx, world.schools[0]!.counsellor.user);
    const res = await uploadCsv(agent, 'Förnamn;Efternamn;Klass\nAl\u001Bva;Berg;8B\nBo;Ek\u007F;8B\n');
    expect(res.status).toBeLessThan(500);
    expect(res.text).toContain(`Förnamn ${INVISIBLE}`);
    expect(res.text).toContain(`Efternamn ${INVISIBLE}`);
  });
});

describe('a year that cannot be stored', () => {
  it('is refused in a round, naming the field', async () => {
    const fields = expectApiError(await postRound({ wishesClose: '+275760-09-13T00:00:00Z' }), 422, 'validation_failed');
    expect(fields).toEqual({ wishesClose: 'Sista tid för önskemål: skriv ett år mellan 1000 och 9999.' });
  });

  it('is refused in a slot, also when only the offset carries it past 9999', async () => {
    expect(expectApiError(await postSlot({ endsAt: '+010000-01-01T12:00:00Z' }), 422, 'validation_failed')).toEqual({ endsAt: 'Sluttid: skriv ett år mellan 1000 och 9999.' });
    expect(expectApiError(await postSlot({ startsAt: '9999-12-31T23:30:00-01:00' }), 422, 'validation_failed')).toMatchObject({ startsAt: 'Starttid: skriv ett år mellan 1000 och 9999.' });
    expect(expectApiError(await postSlot({ startsAt: '0999-12-31T08:00:00Z' }), 422, 'validation_failed')).toMatchObject({ startsAt: 'Starttid: skriv ett år mellan 1000 och 9999.' });
  });
});

describe('a field without a label', () => {
  it('is named exactly as it was sent', async () => {
    const res = await postRound({ schools: [{ schoolId: 5, from: '2027-04-05', to: '2027-04-09' }], grades: ['8', 'x'] });
    expect(expectApiError(res, 422, 'validation_failed')).toEqual({
      'schools.0.schoolId': 'Fältet schools.0.schoolId har fel format.',
      'grades.1': 'Välj ett av alternativen i fältet grades.1.',
    });
  });

  it('is named once when it is not known', async () => {
    expect(expectApiError(await postRound({ schoolIds: [] }), 422, 'validation_failed')).toEqual({ schoolIds: 'Fältet schoolIds känns inte igen.' });
  });
});

describe('a value of the wrong type', () => {
  it('is said to have the wrong format, not to be missing', async () => {
    expect(expectApiError(await postRound({ name: ['x'] }), 422, 'validation_failed')).toEqual({ name: 'Namn har fel format.' });
  });
});

describe("a tampered button on the pupil's wish page", () => {
  const press = async (form: Record<string, string>) => (await pupilBrowser(ctx, world.schools[0]!.pupils[1]!)).press(world.round.id, form);

  it('names the button in plain Swedish', async () => {
    const res = await press({ action: 'jump', rank: '1' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Knappen har fel format.');
  });

  it('names the place in the list in plain Swedish', async () => {
    const res = await press({ action: 'up', rank: 'först' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Plats i listan har fel format.');
  });
});

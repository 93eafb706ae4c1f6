import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../support/app.ts';
import { fieldError, signedIn } from '../support/flows.ts';
import { companyWithStory, makeSeries, makeSlot, makeStory, setBooked, slotForm, slotRow, submit, type CompanyWithStory } from '../support/slots.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

const newSlot = (c: CompanyWithStory, extra: Record<string, string | string[]> = {}) => submit(c.agent, '/company/slots/new', slotForm(c.story.id, extra));
const slotsOf = (companyId: string) => ctx.db.selectFrom('slots').selectAll().where('company_id', '=', companyId).execute();

describe('GET /company/slots', () => {
  it('lists upcoming slots with time, hosts, fill, status and a link to their series', async () => {
    const c = await companyWithStory(ctx, { story: { name: 'Amina', title: 'Elingenjör' } });
    const published = await makeSlot(ctx, c.user, [c.story.id], '2027-04-06T08:00', '2027-04-06T12:00');
    await setBooked(ctx, published.id, 2);
    await makeSlot(ctx, c.user, [c.story.id], '2027-04-07T08:00', '2027-04-07T12:00', { status: 'draft' });
    const { seriesId } = await makeSeries(ctx, c.user, [c.story.id], ['2027-04-08']);
    const res = await c.agent.get('/company/slots');
    expect(res.status).toBe(200);
    expect(res.text).toContain('tis 6 april 2027, 08.00–12.00');
    expect(res.text).toContain('2 av 4 bokade');
    expect(res.text).toContain('Amina');
    expect(res.text).toMatch(/badge-published">Publicerad</);
    expect(res.text).toMatch(/badge-draft">Utkast</);
    expect(res.text).toContain(`href="/company/series/${seriesId}"`);
  });

  it('shows cancelled slots as cancelled, and not other companies’ slots', async () => {
    const c = await companyWithStory(ctx);
    const other = await companyWithStory(ctx);
    const mine = await makeSlot(ctx, c.user, [c.story.id], '2027-04-09T08:00', '2027-04-09T12:00');
    await submit(c.agent, `/company/slots/${mine.id}/cancel`, { reason: 'Sjuk' });
    const theirs = await makeSlot(ctx, other.user, [other.story.id], '2027-04-09T08:00', '2027-04-09T12:00');
    const res = await c.agent.get('/company/slots');
    expect(res.text).toMatch(/badge-cancelled">Inställt</);
    expect(res.text).toContain(mine.id);
    expect(res.text).not.toContain(theirs.id);
  });

  it('is refused to a counsellor (403)', async () => {
    const { agent } = await signedIn(ctx, 'counsellor');
    expect((await agent.get('/company/slots')).status).toBe(403);
    expect((await agent.get('/company/slots/new')).status).toBe(403);
  });

  it('sends an anonymous visitor to sign in', async () => {
    const res = await supertest(ctx.app).get('/company/slots');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/login?next=%2Fcompany%2Fslots');
  });
});

describe('GET /company/slots/new', () => {
  it('offers the company’s stories as hosts, warning about unpublished ones and missing consent', async () => {
    const c = await companyWithStory(ctx, { story: { name: 'Amina' } });
    await makeStory(ctx, c.user, { name: 'Bo', published: false, consent: false });
    const res = await c.agent.get('/company/slots/new');
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/Amina, Elingenjör<\/label>/);
    expect(res.text).toContain('Bo, Elingenjör <span class="choice-note">(berättelsen är inte publicerad, samtycke saknas)</span>');
    expect(res.text).toContain('type="date"');
    expect(res.text).toContain('type="time"');
    expect(res.text).toContain('För åk 7–9 gäller: en vardag (måndag–fredag), mellan 06.00 och 20.00, högst 7 timmar.');
  });
});

describe('POST /company/slots/new', () => {
  it('publishes a slot, reading the date and times in Stockholm time', async () => {
    const c = await companyWithStory(ctx);
    const res = await newSlot(c);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/company/slots');
    const [row] = await slotsOf(c.company.id);
    expect(row).toMatchObject({ status: 'published', starts_at: '2027-04-06T06:00:00.000Z', ends_at: '2027-04-06T10:00:00.000Z', capacity: 4 });
  });

  it('keeps a booking window from the first to the end of the last day, in Stockholm time', async () => {
    const c = await companyWithStory(ctx);
    expect((await newSlot(c, { bookingOpens: '2027-03-20', bookingCloses: '2027-03-31' })).status).toBe(303);
    const [row] = await slotsOf(c.company.id);
    expect({ opens: row!.booking_opens_at, closes: row!.booking_closes_at }).toEqual({ opens: '2027-03-19T23:00:00.000Z', closes: '2027-03-31T22:00:00.000Z' });
    const edit = await c.agent.get(`/company/slots/${row!.id}`);
    expect(edit.text).toContain('value="2027-03-20"');
    expect(edit.text).toContain('value="2027-03-31"');
    const page = await supertest(ctx.app).get(`/slots/${row!.id}`);
    expect(page.text).toContain('Går att boka från lör 20 mars 2027 till och med ons 31 mars 2027.');
  });

  it('refuses a last booking day after the slot, naming the field', async () => {
    const c = await companyWithStory(ctx);
    const res = await newSlot(c, { bookingCloses: '2027-04-06' });
    expect(res.status).toBe(422);
    expect(fieldError(res.text, 'bookingCloses')).toBe('Bokningen måste stänga innan passet börjar.');
    expect(await slotsOf(c.company.id)).toEqual([]);
  });

  it('saves a draft with "Spara som utkast"', async () => {
    const c = await companyWithStory(ctx);
    expect((await newSlot(c, { action: 'draft' })).status).toBe(303);
    expect((await slotsOf(c.company.id))[0]!.status).toBe('draft');
  });

  it('takes several hosts and grades sent as repeated checkboxes', async () => {
    const c = await companyWithStory(ctx);
    const second = await makeStory(ctx, c.user, { name: 'Bo' });
    expect((await newSlot(c, { storyIds: [c.story.id, second.id], grades: ['9', 'gy1'] })).status).toBe(303);
    const [row] = await slotsOf(c.company.id);
    const hosts = await ctx.db.selectFrom('slot_hosts').select('story_id').where('slot_id', '=', row!.id).execute();
    expect(hosts.map((h) => h.story_id).sort()).toEqual([c.story.id, second.id].sort());
  });

  it('shows every missing field at once (422)', async () => {
    const c = await companyWithStory(ctx);
    const res = await submit(c.agent, '/company/slots/new', { action: 'publish', capacity: '', date: '', startTime: '08:00', endTime: '12:00' });
    expect(res.status).toBe(422);
    expect(fieldError(res.text, 'storyIds')).toBe('Välj minst en person som tar emot eleverna.');
    expect(fieldError(res.text, 'grades')).toBe('Välj minst en årskurs.');
    expect(fieldError(res.text, 'capacity')).toBe('Fyll i antal platser.');
    expect(fieldError(res.text, 'date')).toBe('Fyll i datum.');
    expect(await slotsOf(c.company.id)).toEqual([]);
  });

  it('asks for a capacity between 1 and 500', async () => {
    const c = await companyWithStory(ctx);
    const res = await newSlot(c, { capacity: '0' });
    expect(res.status).toBe(422);
    expect(fieldError(res.text, 'capacity')).toBe('Skriv ett antal platser mellan 1 och 500.');
  });

  it('refuses a smallest group larger than the capacity', async () => {
    const c = await companyWithStory(ctx);
    const res = await newSlot(c, { minGroup: '5' });
    expect(res.status).toBe(422);
    expect(fieldError(res.text, 'minGroup')).toBe('Minsta gruppen kan inte vara större än antalet platser.');
  });

  it('refuses a host who is already busy then, naming the clash (409)', async () => {
    const c = await companyWithStory(ctx, { story: { name: 'Amina' } });
    await makeSlot(ctx, c.user, [c.story.id], '2027-04-06T10:00', '2027-04-06T14:00');
    const res = await newSlot(c);
    expect(res.status).toBe(409);
    expect(fieldError(res.text, 'storyIds')).toBe('Amina är redan värd för ett annat prao-pass som krockar: tis 6 april 2027, 10.00–14.00.');
  });
});

describe('the rules for åk 7–9 in the form', () => {
  const cases: [string, Record<string, string>, string | null][] = [
    ['starting at 06.00 exactly', { startTime: '06:00', endTime: '10:00' }, null],
    ['starting at 05.59', { startTime: '05:59', endTime: '10:00' }, 'startTime'],
    ['ending at 20.00 exactly', { startTime: '16:00', endTime: '20:00' }, null],
    ['ending at 20.01', { startTime: '16:00', endTime: '20:01' }, 'startTime'],
    ['lasting 7 hours', { startTime: '08:00', endTime: '15:00' }, null],
    ['lasting 7 hours and 1 minute', { startTime: '08:00', endTime: '15:01' }, 'endTime'],
    ['on a Saturday', { date: '2027-04-10' }, 'date'],
  ];
  const messages: Record<string, string> = {
    startTime: 'Prao för åk 7–9 måste vara mellan 06.00 och 20.00.',
    endTime: 'Prao för åk 7–9 får vara högst 7 timmar.',
    date: 'Prao för åk 7–9 måste vara en vardag (måndag–fredag).',
  };
  for (const [name, times, field] of cases) {
    it(field ? `refuses a slot ${name}, saying why at ${field}` : `accepts a slot ${name}`, async () => {
      const c = await companyWithStory(ctx);
      const res = await newSlot(c, times);
      if (field === null) {
        expect(res.status).toBe(303);
      } else {
        expect(res.status).toBe(422);
        expect(fieldError(res.text, field)).toBe(messages[field]);
        expect(await slotsOf(c.company.id)).toEqual([]);
      }
    });
  }

  it('lets a gymnasium-only slot be on a Saturday at 05.00', async () => {
    const c = await companyWithStory(ctx);
    expect((await newSlot(c, { date: '2027-04-10', startTime: '05:00', endTime: '09:00', grades: 'gy2' })).status).toBe(303);
  });
});

describe('local times on the DST change days', () => {
  it('refuses 02.30 on 2027-03-28, which does not exist, instead of shifting it', async () => {
    const c = await companyWithStory(ctx);
    const res = await newSlot(c, { date: '2027-03-28', startTime: '02:30', endTime: '04:00', grades: 'gy1' });
    expect(res.status).toBe(422);
    expect(fieldError(res.text, 'startTime')).toBe('Den tiden finns inte den dagen: klockan ställs fram en timme (sommartid). Välj en annan tid.');
    expect(await slotsOf(c.company.id)).toEqual([]);
  });

  it('refuses 02.30 on 2027-10-31, which happens twice', async () => {
    const c = await companyWithStory(ctx);
    const res = await newSlot(c, { date: '2027-10-31', startTime: '02:30', endTime: '04:00', grades: 'gy1' });
    expect(res.status).toBe(422);
    expect(fieldError(res.text, 'startTime')).toBe('Den tiden finns två gånger den dagen: klockan ställs tillbaka en timme (vintertid). Välj en annan tid.');
  });

  it('refuses an end time of 02.30 on 2027-10-31 at the end time', async () => {
    const c = await companyWithStory(ctx);
    const res = await newSlot(c, { date: '2027-10-31', startTime: '01:00', endTime: '02:30', grades: 'gy1' });
    expect(res.status).toBe(422);
    expect(fieldError(res.text, 'endTime')).toContain('vintertid');
  });
});

describe('editing a slot', () => {
  it('shows the slot in the form with its Stockholm date and times', async () => {
    const c = await companyWithStory(ctx);
    const slot = await makeSlot(ctx, c.user, [c.story.id], '2027-04-13T09:30', '2027-04-13T13:00');
    const res = await c.agent.get(`/company/slots/${slot.id}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('value="2027-04-13"');
    expect(res.text).toContain('value="09:30"');
    expect(res.text).toContain('value="13:00"');
  });

  it('saves new content and a new time', async () => {
    const c = await companyWithStory(ctx);
    const slot = await makeSlot(ctx, c.user, [c.story.id], '2027-04-14T08:00', '2027-04-14T12:00');
    const res = await submit(c.agent, `/company/slots/${slot.id}`, slotForm(c.story.id, { date: '2027-04-15', capacity: '6', activities: 'Vi mäter ström.' }));
    expect(res.status).toBe(303);
    expect(await slotRow(ctx, slot.id)).toMatchObject({ capacity: 6, activities: 'Vi mäter ström.', starts_at: '2027-04-15T06:00:00.000Z' });
  });

  it('refuses a capacity below the number of booked pupils (422)', async () => {
    const c = await companyWithStory(ctx);
    const slot = await makeSlot(ctx, c.user, [c.story.id], '2027-04-16T08:00', '2027-04-16T12:00');
    await setBooked(ctx, slot.id, 3);
    const res = await submit(c.agent, `/company/slots/${slot.id}`, slotForm(c.story.id, { date: '2027-04-16', capacity: '2' }));
    expect(res.status).toBe(422);
    expect(fieldError(res.text, 'capacity')).toBe('Det finns redan 3 bokade elever. Antalet platser kan inte bli färre.');
    expect((await slotRow(ctx, slot.id)).capacity).toBe(4);
  });

  it('lets the capacity go down to exactly the booked count', async () => {
    const c = await companyWithStory(ctx);
    const slot = await makeSlot(ctx, c.user, [c.story.id], '2027-04-19T08:00', '2027-04-19T12:00');
    await setBooked(ctx, slot.id, 3);
    expect((await submit(c.agent, `/company/slots/${slot.id}`, slotForm(c.story.id, { date: '2027-04-19', capacity: '3' }))).status).toBe(303);
  });

  it('says the time is locked once pupils are booked', async () => {
    const c = await companyWithStory(ctx);
    const slot = await makeSlot(ctx, c.user, [c.story.id], '2027-04-20T08:00', '2027-04-20T12:00');
    await setBooked(ctx, slot.id, 1);
    const res = await c.agent.get(`/company/slots/${slot.id}`);
    expect(res.text).toContain('Elever är bokade (1 st). Därför kan tiden inte ändras.');
    expect(res.text).not.toContain('type="time"');
  });

  it('refuses a new time once pupils are booked (409)', async () => {
    const c = await companyWithStory(ctx);
    const slot = await makeSlot(ctx, c.user, [c.story.id], '2027-04-21T08:00', '2027-04-21T12:00');
    await setBooked(ctx, slot.id, 1);
    const res = await submit(c.agent, `/company/slots/${slot.id}`, slotForm(c.story.id, { date: '2027-04-21', startTime: '09:00' }));
    expect(res.status).toBe(409);
    expect(res.text).toContain('Det finns bokade elever. Tiden kan inte ändras');
    expect((await slotRow(ctx, slot.id)).starts_at).toBe('2027-04-21T06:00:00.000Z');
  });

  it('refuses new grades that break the rules for minors on the slot’s day', async () => {
    const c = await companyWithStory(ctx);
    const slot = await makeSlot(ctx, c.user, [c.story.id], '2027-04-24T08:00', '2027-04-24T12:00', { grades: ['gy1'] });
    const res = await submit(c.agent, `/company/slots/${slot.id}`, slotForm(c.story.id, { date: '2027-04-24', grades: ['8'] }));
    expect(res.status).toBe(422);
    expect(fieldError(res.text, 'date')).toBe('Prao för åk 7–9 måste vara en vardag (måndag–fredag).');
  });
});

describe('publishing and cancelling', () => {
  it('publishes a draft', async () => {
    const c = await companyWithStory(ctx);
    const slot = await makeSlot(ctx, c.user, [c.story.id], '2027-04-22T08:00', '2027-04-22T12:00', { status: 'draft' });
    const res = await submit(c.agent, `/company/slots/${slot.id}/publish`, {});
    expect(res.status).toBe(303);
    expect((await slotRow(ctx, slot.id)).status).toBe('published');
  });

  it('cancels a slot with a reason, and shows it as cancelled', async () => {
    const c = await companyWithStory(ctx);
    const slot = await makeSlot(ctx, c.user, [c.story.id], '2027-04-23T08:00', '2027-04-23T12:00');
    expect((await submit(c.agent, `/company/slots/${slot.id}/cancel`, { reason: 'Värden är sjuk.' })).status).toBe(303);
    expect(await slotRow(ctx, slot.id)).toMatchObject({ status: 'cancelled', cancel_reason: 'Värden är sjuk.' });
    const page = await c.agent.get(`/company/slots/${slot.id}`);
    expect(page.text).toContain('Passet är inställt.');
    expect(page.text).toContain('Anledning: Värden är sjuk.');
  });

  it('refuses to edit a cancelled slot (409)', async () => {
    const c = await companyWithStory(ctx);
    const slot = await makeSlot(ctx, c.user, [c.story.id], '2027-04-26T08:00', '2027-04-26T12:00');
    await submit(c.agent, `/company/slots/${slot.id}/cancel`, {});
    expect((await submit(c.agent, `/company/slots/${slot.id}`, slotForm(c.story.id, { date: '2027-04-26' }))).status).toBe(409);
  });
});

describe('another company’s coordinator', () => {
  let owner: CompanyWithStory;
  let intruder: CompanyWithStory;
  let slotId: string;
  beforeAll(async () => {
    owner = await companyWithStory(ctx);
    intruder = await companyWithStory(ctx);
    slotId = (await makeSlot(ctx, owner.user, [owner.story.id], '2027-04-27T08:00', '2027-04-27T12:00', { status: 'draft' })).id;
  });

  it('may not see the edit page (403)', async () => {
    expect((await intruder.agent.get(`/company/slots/${slotId}`)).status).toBe(403);
  });

  it('may not edit (403)', async () => {
    expect((await submit(intruder.agent, `/company/slots/${slotId}`, slotForm(intruder.story.id, { date: '2027-04-27' }))).status).toBe(403);
  });

  it('may not publish (403)', async () => {
    expect((await submit(intruder.agent, `/company/slots/${slotId}/publish`, {})).status).toBe(403);
  });

  it('may not cancel (403), and the slot is unchanged', async () => {
    expect((await submit(intruder.agent, `/company/slots/${slotId}/cancel`, { reason: 'x' })).status).toBe(403);
    expect((await slotRow(ctx, slotId)).status).toBe('draft');
  });

  it('gets 404 for a slot that does not exist', async () => {
    expect((await intruder.agent.get('/company/slots/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });
});

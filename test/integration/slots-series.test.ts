import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../support/app.ts';
import { fieldError, signedIn } from '../support/flows.ts';
import { companyWithStory, makeSeries, setBooked, slotRow, submit, type CompanyWithStory, type Form } from '../support/slots.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

const content = (storyId: string, extra: Form = {}): Form => ({ storyIds: storyId, format: 'group_morning', capacity: '8', grades: ['8', '9'], action: 'publish', ...extra });
const newSeries = (c: CompanyWithStory, days: Form, extra: Form = {}) =>
  submit(c.agent, '/company/series/new', { ...content(c.story.id), startTime: '08:00', endTime: '11:30', ...days, ...extra });
const slotsOf = (companyId: string) => ctx.db.selectFrom('slots').selectAll().where('company_id', '=', companyId).orderBy('starts_at').execute();
const seriesIdFrom = (location: string) => /^\/company\/series\/([\w-]+)$/.exec(location)?.[1];

describe('GET /company/series/new', () => {
  it('offers a list of dates or a first and last day with weekdays, and the start and end time', async () => {
    const c = await companyWithStory(ctx);
    const res = await c.agent.get('/company/series/new');
    expect(res.status).toBe(200);
    for (const name of ['dates', 'fromDate', 'toDate', 'startTime', 'endTime']) expect(res.text).toContain(`name="${name}"`);
    expect(res.text).toContain('name="weekdays" value="1" checked');
    expect(res.text).toContain('name="weekdays" value="6">');
  });
});

describe('POST /company/series/new', () => {
  it('makes one slot per listed date, one per line or comma separated, and shows them', async () => {
    const c = await companyWithStory(ctx);
    const res = await newSeries(c, { dates: '2027-04-06\n2027-04-07, 2027-04-08' });
    expect(res.status).toBe(303);
    const location = String(res.headers.location);
    const id = seriesIdFrom(location);
    expect(id).toBeDefined();
    const rows = await slotsOf(c.company.id);
    expect(rows.map((r) => [r.starts_at, r.ends_at, r.series_id, r.format, r.capacity])).toEqual([
      ['2027-04-06T06:00:00.000Z', '2027-04-06T09:30:00.000Z', id, 'group_morning', 8],
      ['2027-04-07T06:00:00.000Z', '2027-04-07T09:30:00.000Z', id, 'group_morning', 8],
      ['2027-04-08T06:00:00.000Z', '2027-04-08T09:30:00.000Z', id, 'group_morning', 8],
    ]);
    const page = await c.agent.get(location);
    expect(page.status).toBe(200);
    for (const day of ['tis 6 april 2027, 08.00–11.30', 'ons 7 april 2027, 08.00–11.30', 'tors 8 april 2027, 08.00–11.30']) expect(page.text).toContain(day);
  });

  it('makes every weekday morning of weeks 11–12 (ten slots, no weekend)', async () => {
    const c = await companyWithStory(ctx);
    const res = await newSeries(c, { fromDate: '2028-03-13', toDate: '2028-03-26', weekdays: ['1', '2', '3', '4', '5'] });
    expect(res.status).toBe(303);
    const days = (await slotsOf(c.company.id)).map((r) => r.starts_at.slice(0, 10));
    expect(days).toEqual(['2028-03-13', '2028-03-14', '2028-03-15', '2028-03-16', '2028-03-17', '2028-03-20', '2028-03-21', '2028-03-22', '2028-03-23', '2028-03-24']);
  });

  it('keeps 08.00 local on both sides of the spring DST change', async () => {
    const c = await companyWithStory(ctx);
    expect((await newSeries(c, { dates: '2027-03-26, 2027-03-29' })).status).toBe(303);
    expect((await slotsOf(c.company.id)).map((r) => r.starts_at)).toEqual(['2027-03-26T07:00:00.000Z', '2027-03-29T06:00:00.000Z']);
  });

  it('refuses 02.30 on 2027-03-28 with the date and the reason, and makes no slots', async () => {
    const c = await companyWithStory(ctx);
    const res = await newSeries(c, { dates: '2027-03-27, 2027-03-28' }, { startTime: '02:30', endTime: '04:00', grades: 'gy1' });
    expect(res.status).toBe(422);
    expect(fieldError(res.text, 'dates')).toBe('Sön 28 mars 2027, 02.30: Den tiden finns inte den dagen: klockan ställs fram en timme (sommartid). Välj en annan tid.');
    expect(await slotsOf(c.company.id)).toEqual([]);
  });

  it('refuses 02.30 on 2027-10-31 as happening twice', async () => {
    const c = await companyWithStory(ctx);
    const res = await newSeries(c, { fromDate: '2027-10-30', toDate: '2027-10-31', weekdays: ['6', '7'] }, { startTime: '02:30', endTime: '04:00', grades: 'gy1' });
    expect(res.status).toBe(422);
    expect(fieldError(res.text, 'dates')).toContain('Sön 31 oktober 2027, 02.30: Den tiden finns två gånger den dagen');
  });

  it('names the Saturday that breaks the rules for åk 7–9', async () => {
    const c = await companyWithStory(ctx);
    const res = await newSeries(c, { fromDate: '2027-04-05', toDate: '2027-04-11', weekdays: ['5', '6'] });
    expect(res.status).toBe(422);
    expect(fieldError(res.text, 'dates')).toBe('Lör 10 april 2027, 08.00–11.30: Prao för åk 7–9 måste vara en vardag (måndag–fredag).');
    expect(await slotsOf(c.company.id)).toEqual([]);
  });

  it('refuses a list and a range at the same time', async () => {
    const c = await companyWithStory(ctx);
    const res = await newSeries(c, { dates: '2027-04-06', fromDate: '2027-04-06', toDate: '2027-04-09' });
    expect(res.status).toBe(422);
    expect(fieldError(res.text, 'dates')).toBe('Fyll i antingen en lista med datum eller första och sista dagen – inte båda.');
  });

  it('names a word in the list that is not a date', async () => {
    const c = await companyWithStory(ctx);
    const res = await newSeries(c, { dates: '2027-04-06, 7/4' });
    expect(res.status).toBe(422);
    expect(fieldError(res.text, 'dates')).toBe('”7/4” är inte ett datum. Skriv datum som 2027-03-16.');
  });

  it('asks for days when none are given, together with the content’s problems', async () => {
    const c = await companyWithStory(ctx);
    const res = await submit(c.agent, '/company/series/new', { action: 'publish', startTime: '08:00', endTime: '11:30', capacity: '4' });
    expect(res.status).toBe(422);
    expect(fieldError(res.text, 'dates')).toBe('Välj minst en dag.');
    expect(fieldError(res.text, 'storyIds')).toBe('Välj minst en person som tar emot eleverna.');
  });

  it('saves all as drafts with "Spara alla som utkast"', async () => {
    const c = await companyWithStory(ctx);
    expect((await newSeries(c, { dates: '2027-04-12, 2027-04-13' }, { action: 'draft' })).status).toBe(303);
    expect((await slotsOf(c.company.id)).map((r) => r.status)).toEqual(['draft', 'draft']);
  });
});

describe('editing and cancelling a series', () => {
  it('changes the content of every upcoming slot, each keeping its time', async () => {
    const c = await companyWithStory(ctx);
    const { seriesId } = await makeSeries(ctx, c.user, [c.story.id], ['2027-04-14', '2027-04-15']);
    const res = await submit(c.agent, `/company/series/${seriesId}`, content(c.story.id, { capacity: '10', activities: 'Vi bygger en robot.' }));
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/company/series/${seriesId}`);
    const rows = await slotsOf(c.company.id);
    expect(rows.map((r) => [r.starts_at, r.capacity, r.activities, r.format])).toEqual([
      ['2027-04-14T06:00:00.000Z', 10, 'Vi bygger en robot.', 'group_morning'],
      ['2027-04-15T06:00:00.000Z', 10, 'Vi bygger en robot.', 'group_morning'],
    ]);
  });

  it('refuses a capacity below one date’s bookings, naming that date', async () => {
    const c = await companyWithStory(ctx);
    const { seriesId, slotIds } = await makeSeries(ctx, c.user, [c.story.id], ['2027-04-19', '2027-04-20']);
    await setBooked(ctx, slotIds[1]!, 3);
    const res = await submit(c.agent, `/company/series/${seriesId}`, content(c.story.id, { capacity: '2' }));
    expect(res.status).toBe(422);
    expect(fieldError(res.text, 'capacity')).toBe('Tis 20 april 2027, 08.00–12.00: Det finns redan 3 bokade elever. Antalet platser kan inte bli färre.');
    expect((await slotRow(ctx, slotIds[0]!)).capacity).toBe(4);
  });

  it('refuses new grades that break the rules on one of its days, naming the day', async () => {
    const c = await companyWithStory(ctx);
    const { seriesId } = await makeSeries(ctx, c.user, [c.story.id], ['2027-04-23', '2027-04-24'], ['08:00', '12:00'], { grades: ['gy1'] });
    const res = await submit(c.agent, `/company/series/${seriesId}`, content(c.story.id, { grades: ['7'] }));
    expect(res.status).toBe(422);
    expect(fieldError(res.text, 'dates')).toBe('Lör 24 april 2027, 08.00–12.00: Prao för åk 7–9 måste vara en vardag (måndag–fredag).');
  });

  it('cancels every upcoming slot of the series', async () => {
    const c = await companyWithStory(ctx);
    const { seriesId } = await makeSeries(ctx, c.user, [c.story.id], ['2027-04-21', '2027-04-22']);
    const res = await submit(c.agent, `/company/series/${seriesId}/cancel`, { reason: 'Vi flyttar.' });
    expect(res.status).toBe(303);
    const rows = await slotsOf(c.company.id);
    expect(rows.map((r) => [r.status, r.cancel_reason])).toEqual([
      ['cancelled', 'Vi flyttar.'],
      ['cancelled', 'Vi flyttar.'],
    ]);
    const page = await c.agent.get(`/company/series/${seriesId}`);
    expect(page.text).toContain('Alla pass i serien har redan varit eller är inställda.');
  });
});

describe('who may use a series', () => {
  let owner: CompanyWithStory;
  let intruder: CompanyWithStory;
  let seriesId: string;
  beforeAll(async () => {
    owner = await companyWithStory(ctx);
    intruder = await companyWithStory(ctx);
    seriesId = (await makeSeries(ctx, owner.user, [owner.story.id], ['2027-04-26', '2027-04-27'])).seriesId;
  });

  it('refuses another company’s coordinator the series page (403)', async () => {
    expect((await intruder.agent.get(`/company/series/${seriesId}`)).status).toBe(403);
  });

  it('refuses another company’s coordinator an edit (403)', async () => {
    expect((await submit(intruder.agent, `/company/series/${seriesId}`, content(intruder.story.id))).status).toBe(403);
  });

  it('refuses another company’s coordinator a cancel (403), leaving the slots published', async () => {
    expect((await submit(intruder.agent, `/company/series/${seriesId}/cancel`, {})).status).toBe(403);
    expect((await slotsOf(owner.company.id)).map((r) => r.status)).toEqual(['published', 'published']);
  });

  it('refuses a counsellor (403) and sends an anonymous visitor to sign in', async () => {
    const { agent } = await signedIn(ctx, 'counsellor');
    expect((await agent.get('/company/series/new')).status).toBe(403);
    expect((await agent.get(`/company/series/${seriesId}`)).status).toBe(403);
    const anonymous = await supertest(ctx.app).get('/company/series/new');
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.location).toMatch(/^\/login\?next=/);
  });
});

import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/http/errors.ts';
import { searchCatalogue } from '../../src/slots/catalogue.ts';
import { catalogueQuerySchema, slotFieldsSchema } from '../../src/slots/slots.schemas.ts';
import { cancelSlot, createSeries, createSlot } from '../../src/slots/slots.service.ts';
import { createStory } from '../../src/stories/stories.service.ts';
import { storyInputSchema } from '../../src/stories/stories.schemas.ts';
import { parseInstant } from '../../src/time/local-time.ts';
import { createTestContext, type TestContext } from '../support/app.ts';
import { makeCompany, makeUser } from '../support/factories.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

const local = (s: string) => {
  const p = parseInstant(s);
  if (!p.ok) throw new Error(p.problem);
  return p.instant;
};
const now = () => ctx.clock.now();

async function companyWithStory() {
  const company = await makeCompany(ctx.db);
  const coordinator = await makeUser(ctx.db, ctx.config, 'company_coordinator', company.id);
  const story = await createStory(
    ctx.db,
    coordinator,
    storyInputSchema.parse({ name: 'Amina', title: 'Elingenjör', path: [{ kind: 'gymnasium', title: 'Teknikprogrammet', programme: 'TE', fromYear: 2010, toYear: 2013 }], dayAtWork: 'Jag ritar elsystem.', fields: ['electrical_energy'], published: true }),
    now(),
  );
  return { company, coordinator, story };
}

const fields = (storyIds: string[], extra: Record<string, unknown> = {}) => slotFieldsSchema.parse({ storyIds, capacity: 4, grades: ['8', '9'], ...extra });

async function conflictCode(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
  return 'none';
}

describe('slots and their hosts', () => {
  it('publishes a slot and finds it in the catalogue with its seats left', async () => {
    const { company, coordinator, story } = await companyWithStory();
    const slot = await createSlot(ctx.db, coordinator, fields([story.id]), { startsAt: local('2027-04-06T08:00'), endsAt: local('2027-04-06T12:00') }, now());
    expect(slot).toMatchObject({ status: 'published', capacity: 4, seatsLeft: 4, bookedCount: 0, startsAt: '2027-04-06T06:00:00.000Z', grades: ['8', '9'] });
    const page = await searchCatalogue(ctx.db, { networkIds: [company.networkId] }, catalogueQuerySchema.parse({ field: 'electrical_energy' }), now());
    expect(page.slots.map((s) => s.id)).toContain(slot.id);
  });

  it('refuses the same host in two overlapping slots with 409 host_overlap', async () => {
    const { coordinator, story } = await companyWithStory();
    await createSlot(ctx.db, coordinator, fields([story.id]), { startsAt: local('2027-04-07T08:00'), endsAt: local('2027-04-07T12:00') }, now());
    const clash = createSlot(ctx.db, coordinator, fields([story.id]), { startsAt: local('2027-04-07T11:00'), endsAt: local('2027-04-07T13:00') }, now());
    expect(await conflictCode(clash)).toBe('host_overlap');
  });

  it('lets a host take a slot that starts exactly when another ends', async () => {
    const { coordinator, story } = await companyWithStory();
    await createSlot(ctx.db, coordinator, fields([story.id]), { startsAt: local('2027-04-08T08:00'), endsAt: local('2027-04-08T10:00') }, now());
    const next = await createSlot(ctx.db, coordinator, fields([story.id]), { startsAt: local('2027-04-08T10:00'), endsAt: local('2027-04-08T12:00') }, now());
    expect(next.status).toBe('published');
  });

  it('frees the host when a slot is cancelled', async () => {
    const { coordinator, story } = await companyWithStory();
    const first = await createSlot(ctx.db, coordinator, fields([story.id]), { startsAt: local('2027-04-09T08:00'), endsAt: local('2027-04-09T12:00') }, now());
    await cancelSlot(ctx.db, coordinator, first.id, 'Sjuk', now());
    const again = await createSlot(ctx.db, coordinator, fields([story.id]), { startsAt: local('2027-04-09T08:00'), endsAt: local('2027-04-09T12:00') }, now());
    expect(again.status).toBe('published');
  });

  it('refuses a Saturday slot for åk 8 with the weekday rule', async () => {
    const { coordinator, story } = await companyWithStory();
    const saturday = createSlot(ctx.db, coordinator, fields([story.id]), { startsAt: local('2027-04-10T08:00'), endsAt: local('2027-04-10T12:00') }, now());
    await expect(saturday).rejects.toMatchObject({ code: 'validation_failed', options: { fields: { startsAt: { key: 'slot.minors_weekday' } } } });
  });

  it('creates a series all or nothing, naming the date that breaks a rule', async () => {
    const { coordinator, story } = await companyWithStory();
    const occurrences = ['2027-04-12', '2027-04-13', '2027-04-17'].map((d) => ({ startsAt: local(`${d}T08:00`), endsAt: local(`${d}T12:00`) }));
    await expect(createSeries(ctx.db, coordinator, fields([story.id]), occurrences, now())).rejects.toMatchObject({
      options: { fields: { dates: { reason: 'slot.minors_weekday', params: { date: 'lör 17 april 2027, 08.00–12.00' } } } },
    });
    const ok = await createSeries(ctx.db, coordinator, fields([story.id]), occurrences.slice(0, 2), now());
    expect(ok.slotIds).toHaveLength(2);
  });

  it('keeps drafts out of the catalogue', async () => {
    const { company, coordinator, story } = await companyWithStory();
    const draft = await createSlot(ctx.db, coordinator, fields([story.id], { status: 'draft' }), { startsAt: local('2027-04-14T08:00'), endsAt: local('2027-04-14T12:00') }, now());
    const page = await searchCatalogue(ctx.db, { networkIds: [company.networkId] }, catalogueQuerySchema.parse({}), now());
    expect(page.slots.map((s) => s.id)).not.toContain(draft.id);
  });

  it('is ordered by start time', async () => {
    const page = await searchCatalogue(ctx.db, { networkIds: null }, catalogueQuerySchema.parse({}), DateTime.fromISO('2027-01-01T00:00:00Z'));
    const starts = page.slots.map((s) => s.startsAt);
    expect(starts).toEqual([...starts].sort());
    expect(starts.length).toBeGreaterThan(3);
  });
});

import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoData } from '../../src/demo/seed.ts';
import { searchCatalogue } from '../../src/slots/catalogue.ts';
import { catalogueQuerySchema } from '../../src/slots/slots.schemas.ts';
import { ZONE } from '../../src/time/stockholm.ts';
import { TEST_NOW, testConfig } from '../support/app.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

// The demo data as a visitor meets it: a term of slots ahead, stories that are publishable.
const NOVEMBER = DateTime.fromISO('2026-11-23T10:00:00Z', { zone: 'utc' });
const HOLIDAYS_2027 = ['2027-03-26', '2027-03-29', '2027-05-06'];

async function seeded(now: DateTime): Promise<TestDatabase> {
  const database = await createTestDatabase();
  await seedDemoData(database.db, testConfig(), now);
  return database;
}

const slotTimes = (database: TestDatabase) =>
  database.db.selectFrom('slots as s').innerJoin('companies as c', 'c.id', 's.company_id').select(['c.name', 's.starts_at', 's.ends_at']).orderBy('s.starts_at').orderBy('c.name').orderBy('s.ends_at').execute();

describe('demo data loaded in November', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await seeded(NOVEMBER);
  });
  afterAll(() => database.destroy());

  it('books demo pupils through the engine: groups at both schools, one cancellation, counts that agree', async () => {
    const bookings = await database.db.selectFrom('bookings').select(['status', 'school_id', 'slot_id']).execute();
    expect(new Set(bookings.map((b) => b.school_id)).size).toBe(2);
    expect(bookings.filter((b) => b.status === 'cancelled')).toHaveLength(2);
    expect(bookings.filter((b) => b.status === 'confirmed').length).toBeGreaterThan(10);
    for (const slot of await database.db.selectFrom('slots').select(['id', 'booked_count', 'capacity']).execute()) {
      const confirmed = bookings.filter((b) => b.slot_id === slot.id && b.status === 'confirmed').length;
      expect(slot.booked_count, slot.id).toBe(confirmed);
    }
  });

  it('opens a prao round in Skaraborg with a week per school after the window, and wishes from two thirds of its pupils', async () => {
    const round = await database.db.selectFrom('rounds').selectAll().executeTakeFirstOrThrow();
    expect([round.wishes_open_at < NOVEMBER.toISO()!, NOVEMBER.toISO()! < round.wishes_close_at]).toEqual([true, true]);
    const schools = await database.db.selectFrom('round_schools').selectAll().where('round_id', '=', round.id).orderBy('from_date').execute();
    expect(schools).toHaveLength(2);
    expect(schools[0]!.from_date > round.wishes_close_at.slice(0, 10)).toBe(true);
    const wishes = await database.db.selectFrom('round_wishes').select(['pupil_id', 'rank']).where('round_id', '=', round.id).execute();
    const pupils = new Set(wishes.map((w) => w.pupil_id));
    expect(pupils.size).toBe(12);
    for (const pupil of pupils) {
      const ranks = wishes.filter((w) => w.pupil_id === pupil).map((w) => w.rank).sort((a, b) => a - b);
      expect(ranks).toEqual(ranks.map((_, i) => i + 1));
    }
  });

  it('has 22 role stories, 20 of them published', async () => {
    const rows = await database.db.selectFrom('role_stories').select(['published']).execute();
    expect([rows.length, rows.filter((r) => r.published === 1).length]).toEqual([22, 20]);
  });

  it('keeps one story waiting for consent and one consented but unpublished', async () => {
    const drafts = await database.db.selectFrom('role_stories').select(['display_name', 'consent_at']).where('published', '=', 0).orderBy('display_name').execute();
    expect(drafts.map((d) => [d.display_name, d.consent_at !== null])).toEqual([
      ['Henrik Dahl', false],
      ['Sofia Wikström', true],
    ]);
  });

  it('gives every published story a path, at least one field and a consent recorded by a real user', async () => {
    const stories = await database.db
      .selectFrom('role_stories as r')
      .innerJoin('users as u', 'u.id', 'r.consent_recorded_by')
      .select((eb) => [
        'r.id',
        eb.selectFrom('story_fields as f').select(eb.fn.countAll<number>().as('n')).whereRef('f.story_id', '=', 'r.id').as('fields'),
        eb.selectFrom('story_path_steps as p').select(eb.fn.countAll<number>().as('n')).whereRef('p.story_id', '=', 'r.id').as('steps'),
      ])
      .where('r.published', '=', 1)
      .execute();
    expect(stories).toHaveLength(20);
    for (const story of stories) expect(Number(story.fields) > 0 && Number(story.steps) > 1).toBe(true);
  });

  it('sets a meeting point and directions on every company main site', async () => {
    const sites = await database.db.selectFrom('company_sites').select(['meeting_point', 'directions']).where('is_main', '=', 1).execute();
    expect(sites).toHaveLength(8);
    expect(sites.every((s) => s.meeting_point && s.directions)).toBe(true);
  });

  it('publishes 114 slots on weekdays in weeks 11–20 of spring 2027, none on a public holiday', async () => {
    const slots = await slotTimes(database);
    expect(slots).toHaveLength(114);
    for (const slot of slots) {
      const start = DateTime.fromISO(slot.starts_at, { zone: ZONE });
      expect([start.weekYear, start.weekNumber >= 11 && start.weekNumber <= 20, start.weekday <= 5]).toEqual([2027, true, true]);
      expect(HOLIDAYS_2027).not.toContain(start.toISODate());
    }
  });

  it('has slots at every company, in series, in every format and one draft', async () => {
    const slots = await database.db.selectFrom('slots').select(['company_id', 'series_id', 'format', 'status']).execute();
    expect(new Set(slots.map((s) => s.company_id)).size).toBe(8);
    expect(new Set(slots.map((s) => s.format))).toEqual(new Set(['shadow_day', 'half_day', 'group_morning', 'digital']));
    expect(new Set(slots.filter((s) => s.series_id).map((s) => s.series_id)).size).toBe(11);
    expect(slots.filter((s) => s.status === 'draft')).toHaveLength(1);
  });

  it('shows the demo term in the catalogue, filtered by field and grade', async () => {
    const page = await searchCatalogue(database.db, { networkIds: null }, catalogueQuerySchema.parse({ field: 'construction', grade: '9' }), NOVEMBER);
    expect(page.slots.length).toBeGreaterThan(0);
    expect(page.slots.every((s) => s.grades.includes('9'))).toBe(true);
  });

  it('is the same term when loaded again at the same moment', async () => {
    const again = await seeded(NOVEMBER);
    try {
      expect(await slotTimes(again)).toEqual(await slotTimes(database));
    } finally {
      await again.destroy();
    }
  });
});

describe('demo data loaded in the middle of the term', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await seeded(DateTime.fromISO(TEST_NOW, { zone: 'utc' }));
  });
  afterAll(() => database.destroy());

  it('leaves out the slots that would already have started', async () => {
    const slots = await slotTimes(database);
    expect(slots.every((s) => s.starts_at > TEST_NOW)).toBe(true);
    expect(slots.length).toBeGreaterThan(100);
    expect(slots.length).toBeLessThan(114);
  });
});

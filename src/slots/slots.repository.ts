import type { Selectable } from 'kysely';
import type { Db } from '../db/database.ts';
import type { SlotsTable } from '../db/types.ts';

export type SlotRow = Selectable<SlotsTable>;

export async function insertSlot(db: Db, row: SlotRow, grades: readonly string[], storyIds: readonly string[]): Promise<void> {
  await db.insertInto('slots').values(row).execute();
  await db.insertInto('slot_grades').values(grades.map((grade) => ({ slot_id: row.id, grade }))).execute();
  await db
    .insertInto('slot_hosts')
    .values(storyIds.map((story_id) => ({ slot_id: row.id, story_id, starts_at: row.starts_at, ends_at: row.ends_at, active: row.status === 'cancelled' ? 0 : 1 })))
    .execute();
}

export const findSlotById = (db: Db, id: string) => db.selectFrom('slots').selectAll().where('id', '=', id).executeTakeFirst();

export async function updateSlotRow(db: Db, id: string, values: Partial<SlotRow>): Promise<void> {
  await db.updateTable('slots').set(values).where('id', '=', id).execute();
}

export async function replaceGrades(db: Db, slotId: string, grades: readonly string[]): Promise<void> {
  await db.deleteFrom('slot_grades').where('slot_id', '=', slotId).execute();
  await db.insertInto('slot_grades').values(grades.map((grade) => ({ slot_id: slotId, grade }))).execute();
}

export async function replaceHosts(db: Db, slotId: string, storyIds: readonly string[], startsAt: string, endsAt: string, active: boolean): Promise<void> {
  await db.deleteFrom('slot_hosts').where('slot_id', '=', slotId).execute();
  await db
    .insertInto('slot_hosts')
    .values(storyIds.map((story_id) => ({ slot_id: slotId, story_id, starts_at: startsAt, ends_at: endsAt, active: active ? 1 : 0 })))
    .execute();
}

export async function deactivateHosts(db: Db, slotIds: readonly string[]): Promise<void> {
  if (slotIds.length === 0) return;
  await db.updateTable('slot_hosts').set({ active: 0 }).where('slot_id', 'in', slotIds).execute();
}

/** Active slots of these hosts that overlap [start, end), other than `exceptSlotId`. */
export function findHostClashes(db: Db, storyIds: readonly string[], startsAt: string, endsAt: string, exceptSlotId: string | null) {
  let q = db
    .selectFrom('slot_hosts as h')
    .innerJoin('role_stories as r', 'r.id', 'h.story_id')
    .select(['h.slot_id', 'h.story_id', 'h.starts_at', 'h.ends_at', 'r.display_name'])
    .where('h.story_id', 'in', storyIds)
    .where('h.active', '=', 1)
    .where('h.starts_at', '<', endsAt)
    .where('h.ends_at', '>', startsAt)
    .orderBy('h.starts_at')
    .limit(1);
  if (exceptSlotId) q = q.where('h.slot_id', '<>', exceptSlotId);
  return q.executeTakeFirst();
}

export function storiesOfCompany(db: Db, companyId: string, storyIds: readonly string[]) {
  return db.selectFrom('role_stories').select(['id']).where('company_id', '=', companyId).where('id', 'in', storyIds).execute();
}

export function siteOfCompany(db: Db, companyId: string, siteId: string | null) {
  let q = db.selectFrom('company_sites').select(['id']).where('company_id', '=', companyId);
  q = siteId ? q.where('id', '=', siteId) : q.where('is_main', '=', 1);
  return q.executeTakeFirst();
}

/** Everything a slot page or the API shows, for a set of slots. */
export async function slotDetails(db: Db, slotIds: readonly string[]) {
  if (slotIds.length === 0) return { rows: [], grades: [], hosts: [] };
  const [rows, grades, hosts] = await Promise.all([
    db
      .selectFrom('slots as s')
      .innerJoin('companies as c', 'c.id', 's.company_id')
      .innerJoin('company_sites as site', 'site.id', 's.site_id')
      .selectAll('s')
      .select([
        'c.name as company_name',
        'site.name as site_name',
        'site.address as site_address',
        'site.municipality as site_municipality',
        'site.meeting_point as site_meeting_point',
        'site.directions as site_directions',
      ])
      .where('s.id', 'in', slotIds)
      .execute(),
    db.selectFrom('slot_grades').selectAll().where('slot_id', 'in', slotIds).execute(),
    db
      .selectFrom('slot_hosts as h')
      .innerJoin('role_stories as r', 'r.id', 'h.story_id')
      .select(['h.slot_id', 'r.id as story_id', 'r.display_name', 'r.role_title', 'r.published'])
      .where('h.slot_id', 'in', slotIds)
      .orderBy('r.display_name')
      .execute(),
  ]);
  return { rows, grades, hosts };
}

export function slotsOfSeries(db: Db, seriesId: string) {
  return db.selectFrom('slots').selectAll().where('series_id', '=', seriesId).orderBy('starts_at').execute();
}

export function upcomingSlotsOfCompany(db: Db, companyId: string, fromIso: string) {
  return db.selectFrom('slots').select(['id']).where('company_id', '=', companyId).where('ends_at', '>', fromIso).orderBy('starts_at').orderBy('id').execute();
}

export function upcomingSlotsOfStory(db: Db, storyId: string, fromIso: string) {
  return db
    .selectFrom('slot_hosts as h')
    .innerJoin('slots as s', 's.id', 'h.slot_id')
    .select('s.id')
    .where('h.story_id', '=', storyId)
    .where('s.status', '=', 'published')
    .where('s.starts_at', '>', fromIso)
    .orderBy('s.starts_at')
    .limit(50)
    .execute();
}

export const insertSeries = (db: Db, row: { id: string; company_id: string; created_by: string | null; created_at: string }) =>
  db.insertInto('slot_series').values(row).execute();

/** Municipalities that have published slots still to come (choices for the catalogue filter). */
export async function catalogueMunicipalities(db: Db, fromIso: string): Promise<string[]> {
  const rows = await db
    .selectFrom('slots as s')
    .innerJoin('company_sites as site', 'site.id', 's.site_id')
    .select('site.municipality')
    .distinct()
    .where('s.status', '=', 'published')
    .where('s.starts_at', '>', fromIso)
    .orderBy('site.municipality')
    .execute();
  return rows.map((r) => r.municipality);
}

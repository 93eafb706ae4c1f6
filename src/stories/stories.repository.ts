import type { Selectable } from 'kysely';
import type { Db } from '../db/database.ts';
import type { RoleStoriesTable, StoryPathStepsTable } from '../db/types.ts';
import type { LibraryFilter } from './stories.schemas.ts';

export type StoryRow = Selectable<RoleStoriesTable>;
export type StepRow = Selectable<StoryPathStepsTable>;

export const insertStory = (db: Db, row: StoryRow) => db.insertInto('role_stories').values(row).execute();

export function findStoryById(db: Db, id: string) {
  return db.selectFrom('role_stories').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateStory(db: Db, id: string, values: Partial<StoryRow>): Promise<void> {
  await db.updateTable('role_stories').set(values).where('id', '=', id).execute();
}

/** Replaces a story's path and fields (delete + insert inside the caller's transaction). */
export async function replacePathAndFields(db: Db, storyId: string, steps: StepRow[], fields: string[]): Promise<void> {
  await db.deleteFrom('story_path_steps').where('story_id', '=', storyId).execute();
  if (steps.length > 0) await db.insertInto('story_path_steps').values(steps).execute();
  await db.deleteFrom('story_fields').where('story_id', '=', storyId).execute();
  if (fields.length > 0) await db.insertInto('story_fields').values(fields.map((field) => ({ story_id: storyId, field }))).execute();
}

export function listSteps(db: Db, storyIds: string[]) {
  if (storyIds.length === 0) return Promise.resolve([] as StepRow[]);
  return db.selectFrom('story_path_steps').selectAll().where('story_id', 'in', storyIds).orderBy('story_id').orderBy('position').execute();
}

export async function listFields(db: Db, storyIds: string[]): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>();
  if (storyIds.length === 0) return map;
  const rows = await db.selectFrom('story_fields').selectAll().where('story_id', 'in', storyIds).orderBy('field').execute();
  for (const row of rows) map.set(row.story_id, [...(map.get(row.story_id) ?? []), row.field]);
  return map;
}

export function listStoriesOfCompany(db: Db, companyId: string) {
  return db.selectFrom('role_stories').selectAll().where('company_id', '=', companyId).orderBy('display_name').execute();
}

/** Published stories of companies that are approved members of the network. */
export function listLibrary(db: Db, networkId: string, filter: LibraryFilter, limit: number) {
  let q = db
    .selectFrom('role_stories as s')
    .innerJoin('companies as c', 'c.id', 's.company_id')
    .innerJoin('network_memberships as m', (j) => j.onRef('m.company_id', '=', 'c.id').on('m.network_id', '=', networkId).on('m.status', '=', 'approved'))
    .select(['s.id', 's.display_name', 's.role_title', 's.pronoun', 's.day_text', 'c.id as company_id', 'c.name as company_name', 'c.municipality'])
    .where('s.published', '=', 1);
  if (filter.field) q = q.where((eb) => eb.exists(eb.selectFrom('story_fields as f').select('f.story_id').whereRef('f.story_id', '=', 's.id').where('f.field', '=', filter.field!)));
  if (filter.programme) q = q.where((eb) => eb.exists(eb.selectFrom('story_path_steps as p').select('p.story_id').whereRef('p.story_id', '=', 's.id').where('p.programme', '=', filter.programme!)));
  if (filter.municipality) {
    q = q.where((eb) => eb.exists(eb.selectFrom('company_sites as site').select('site.id').whereRef('site.company_id', '=', 'c.id').where('site.municipality', '=', filter.municipality!)));
  }
  return q.orderBy('s.display_name').orderBy('s.id').limit(limit).execute();
}

export function listLibraryMunicipalities(db: Db, networkId: string) {
  return db
    .selectFrom('company_sites as site')
    .innerJoin('network_memberships as m', (j) => j.onRef('m.company_id', '=', 'site.company_id').on('m.network_id', '=', networkId).on('m.status', '=', 'approved'))
    .select('site.municipality')
    .distinct()
    .orderBy('site.municipality')
    .execute();
}

export async function upsertPortrait(db: Db, row: { story_id: string; image: Buffer; width: number; height: number; updated_at: string }) {
  await db.deleteFrom('story_portraits').where('story_id', '=', row.story_id).execute();
  await db.insertInto('story_portraits').values(row).execute();
}

export const deletePortrait = (db: Db, storyId: string) => db.deleteFrom('story_portraits').where('story_id', '=', storyId).execute();

export function findPortrait(db: Db, storyId: string) {
  return db.selectFrom('story_portraits').selectAll().where('story_id', '=', storyId).executeTakeFirst();
}

export async function storiesWithPortrait(db: Db, storyIds: string[]): Promise<Set<string>> {
  if (storyIds.length === 0) return new Set();
  const rows = await db.selectFrom('story_portraits').select('story_id').where('story_id', 'in', storyIds).execute();
  return new Set(rows.map((r) => r.story_id));
}

/** The company a story belongs to, as the story page names it. */
export function findStoryCompany(db: Db, companyId: string) {
  return db.selectFrom('companies').select(['id', 'name', 'municipality']).where('id', '=', companyId).executeTakeFirst();
}

import type { Selectable } from 'kysely';
import type { Db } from '../db/database.ts';
import type { PupilsTable } from '../db/types.ts';

export type PupilRow = Selectable<PupilsTable>;

/** Rows per INSERT: 16 columns × 200 rows stays far below SQLite's limit on bound values. */
const INSERT_CHUNK = 200;

export async function insertPupils(db: Db, rows: readonly PupilRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    await db.insertInto('pupils').values(rows.slice(i, i + INSERT_CHUNK)).execute();
  }
}

export const findPupilById = (db: Db, id: string) => db.selectFrom('pupils').selectAll().where('id', '=', id).executeTakeFirst();

export const findPupilByLinkHash = (db: Db, hash: string) => db.selectFrom('pupils').selectAll().where('link_hash', '=', hash).executeTakeFirst();

/** A school's pupils, by class, family name and given name (the index pupils_school_class). */
export function listPupilRows(db: Db, schoolId: string, options: { className?: string; ids?: readonly string[] } = {}) {
  let q = db.selectFrom('pupils').selectAll().where('school_id', '=', schoolId);
  if (options.className !== undefined) q = q.where('class_name', '=', options.className);
  if (options.ids !== undefined) q = options.ids.length > 0 ? q.where('id', 'in', options.ids) : q.where('id', '=', '');
  return q.orderBy('class_name').orderBy('family_name').orderBy('given_name').orderBy('id').execute();
}

export function classCounts(db: Db, schoolId: string) {
  return db
    .selectFrom('pupils')
    .select((eb) => ['class_name', eb.fn.countAll<number>().as('pupils')])
    .where('school_id', '=', schoolId)
    .groupBy('class_name')
    .execute();
}

export async function updatePupilRow(db: Db, id: string, values: Partial<PupilRow>): Promise<void> {
  await db.updateTable('pupils').set(values).where('id', '=', id).execute();
}

export async function deletePupilRows(db: Db, schoolId: string, ids: readonly string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const result = await db.deleteFrom('pupils').where('school_id', '=', schoolId).where('id', 'in', ids).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Which of these codes are taken already. */
export async function takenCodes(db: Db, codes: readonly string[]): Promise<Set<string>> {
  if (codes.length === 0) return new Set();
  const rows = await db.selectFrom('pupils').select('code').where('code', 'in', codes).execute();
  return new Set(rows.map((r) => r.code));
}

/** Names and classes of a school's pupils: what an import compares its rows with. */
export function namesOfSchool(db: Db, schoolId: string) {
  return db.selectFrom('pupils').select(['given_name', 'family_name', 'class_name']).where('school_id', '=', schoolId).execute();
}

/** Live bookings (confirmed or waitlisted) of these pupils that have not started. */
export async function countUpcomingLiveBookings(db: Db, pupilIds: readonly string[], nowInstant: string): Promise<number> {
  if (pupilIds.length === 0) return 0;
  const row = await db
    .selectFrom('bookings')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('pupil_id', 'in', pupilIds)
    .where('status', 'in', ['confirmed', 'waitlisted'])
    .where('starts_at', '>', nowInstant)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

import type { Db } from '../db/database.ts';
import type { RoundsTable } from '../db/types.ts';
import { toRound, toRoundSchool, type Round } from './round.ts';

/** Reading rounds (writing them belongs to rounds.service.ts through the functions below it). */

function schoolsOfRounds(db: Db, roundIds: readonly string[]) {
  return db
    .selectFrom('round_schools as rs')
    .innerJoin('schools as s', 's.id', 'rs.school_id')
    .selectAll('rs')
    .select('s.name as school_name')
    .where('rs.round_id', 'in', [...roundIds])
    .orderBy('s.name')
    .orderBy('rs.school_id')
    .execute();
}

async function withSchools(db: Db, rows: RoundsTable[]): Promise<Round[]> {
  if (rows.length === 0) return [];
  const schools = await schoolsOfRounds(db, rows.map((r) => r.id));
  return rows.map((row) => toRound(row, schools.filter((s) => s.round_id === row.id).map(toRoundSchool)));
}

export async function findRound(db: Db, id: string): Promise<Round | undefined> {
  const row = await db.selectFrom('rounds').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? (await withSchools(db, [row]))[0] : undefined;
}

/** The round row, locked for the rest of the transaction on PostgreSQL (SQLite holds the write lock). */
export async function lockRound(db: Db, id: string, postgres: boolean): Promise<Round | undefined> {
  let query = db.selectFrom('rounds').selectAll().where('id', '=', id);
  if (postgres) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row ? (await withSchools(db, [row]))[0] : undefined;
}

export async function roundsOfNetwork(db: Db, networkId: string): Promise<Round[]> {
  const rows = await db.selectFrom('rounds').selectAll().where('network_id', '=', networkId).orderBy('wishes_open_at', 'desc').orderBy('id').execute();
  return withSchools(db, rows);
}

/** Rounds a school takes part in, newest first. */
export async function roundsOfSchool(db: Db, schoolId: string): Promise<Round[]> {
  const rows = await db
    .selectFrom('rounds')
    .selectAll()
    .where('id', 'in', db.selectFrom('round_schools').select('round_id').where('school_id', '=', schoolId))
    .orderBy('wishes_open_at', 'desc')
    .orderBy('id')
    .execute();
  return withSchools(db, rows);
}

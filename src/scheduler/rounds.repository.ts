import { isPostgres, type Db } from '../db/database.ts';
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
export async function lockRound(db: Db, id: string): Promise<Round | undefined> {
  let query = db.selectFrom('rounds').selectAll().where('id', '=', id);
  if (isPostgres(db)) query = query.forUpdate();
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

// ---- writing rounds, and wishes (used by rounds.service.ts and wishes.service.ts) ----

export type RoundRowValues = Pick<
  RoundsTable,
  'name' | 'wishes_open_at' | 'wishes_close_at' | 'max_wishes' | 'grades' | 'allocation_planned_at' | 'free_booking_opens_at' | 'place_without_wishes' | 'school_share_caps'
>;

export async function insertRound(db: Db, row: RoundRowValues & { id: string; network_id: string; created_by: string | null; created_at: string }): Promise<void> {
  await db
    .insertInto('rounds')
    .values({ ...row, committed_allocation_id: null, updated_at: row.created_at })
    .execute();
}

export async function updateRoundRow(db: Db, id: string, values: RoundRowValues, at: string): Promise<void> {
  await db.updateTable('rounds').set({ ...values, updated_at: at }).where('id', '=', id).execute();
}

/** Replaces the round's schools and their dates. */
export async function replaceRoundSchools(db: Db, roundId: string, schools: readonly { schoolId: string; from: string; to: string }[]): Promise<void> {
  await db.deleteFrom('round_schools').where('round_id', '=', roundId).execute();
  if (schools.length === 0) return;
  await db
    .insertInto('round_schools')
    .values(schools.map((s) => ({ round_id: roundId, school_id: s.schoolId, from_date: s.from, to_date: s.to })))
    .execute();
}

export interface WishRow {
  pupilId: string;
  rank: number;
  placementId: string;
  kind: 'slot' | 'series';
  enteredBy: string | null;
  updatedAt: string;
}

const toWishRow = (r: { pupil_id: string; rank: number; placement_id: string; placement_kind: 'slot' | 'series'; entered_by: string | null; updated_at: string }): WishRow => ({
  pupilId: r.pupil_id,
  rank: Number(r.rank),
  placementId: r.placement_id,
  kind: r.placement_kind,
  enteredBy: r.entered_by,
  updatedAt: r.updated_at,
});

/** The wishes of some pupils in a round (all pupils when `pupilIds` is not given), by pupil and rank. */
export async function wishRows(db: Db, roundId: string, pupilIds?: readonly string[]): Promise<WishRow[]> {
  if (pupilIds && pupilIds.length === 0) return [];
  let query = db.selectFrom('round_wishes').selectAll().where('round_id', '=', roundId);
  if (pupilIds) query = query.where('pupil_id', 'in', [...pupilIds]);
  return (await query.orderBy('pupil_id').orderBy('rank').execute()).map(toWishRow);
}

/** Replaces one pupil's whole list of wishes (call inside a transaction). */
export async function replaceWishRows(db: Db, roundId: string, pupilId: string, wishes: readonly { placementId: string; kind: 'slot' | 'series' }[], enteredBy: string | null, at: string): Promise<void> {
  await db.deleteFrom('round_wishes').where('round_id', '=', roundId).where('pupil_id', '=', pupilId).execute();
  if (wishes.length === 0) return;
  await db
    .insertInto('round_wishes')
    .values(wishes.map((w, i) => ({ round_id: roundId, pupil_id: pupilId, rank: i + 1, placement_id: w.placementId, placement_kind: w.kind, entered_by: enteredBy, updated_at: at })))
    .execute();
}

/** The longest list of wishes any pupil has in the round (0 when none). */
export async function longestWishList(db: Db, roundId: string): Promise<number> {
  const row = await db.selectFrom('round_wishes').select((eb) => eb.fn.max('rank').as('longest')).where('round_id', '=', roundId).executeTakeFirst();
  return Number(row?.longest ?? 0);
}

/** Per participating school: its pupils in the round's grades, and how many of them have wishes. */
export async function pupilCountsOfRound(db: Db, round: Round): Promise<Map<string, { pupils: number; withWishes: number }>> {
  const counts = new Map<string, { pupils: number; withWishes: number }>(round.schools.map((s) => [s.schoolId, { pupils: 0, withWishes: 0 }]));
  if (round.schools.length === 0 || round.grades.length === 0) return counts;
  const rows = await db
    .selectFrom('pupils as p')
    .select((eb) => [
      'p.school_id',
      eb.fn.countAll<number>().as('pupils'),
      eb.fn
        .count<number>('p.id')
        .filterWhere(eb.exists(eb.selectFrom('round_wishes as w').select('w.pupil_id').whereRef('w.pupil_id', '=', 'p.id').where('w.round_id', '=', round.id)))
        .as('with_wishes'),
    ])
    .where('p.school_id', 'in', round.schools.map((s) => s.schoolId))
    .where('p.grade', 'in', round.grades)
    .groupBy('p.school_id')
    .execute();
  for (const r of rows) counts.set(r.school_id, { pupils: Number(r.pupils), withWishes: Number(r.with_wishes) });
  return counts;
}

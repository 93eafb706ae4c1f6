import type { Insertable } from 'kysely';
import { isPostgres, type Db } from '../db/database.ts';
import type { AllocationResultsTable, AllocationsTable } from '../db/types.ts';

/** All Kysely for allocation runs and their results. */

/** Rows per insert: well under SQLite's and PostgreSQL's limits on bound values. */
const CHUNK = 500;

export async function insertAllocation(db: Db, row: AllocationsTable): Promise<void> {
  await db.insertInto('allocations').values(row).execute();
}

export function findAllocationRow(db: Db, id: string): Promise<AllocationsTable | undefined> {
  return db.selectFrom('allocations').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The run, locked for the rest of the transaction on PostgreSQL (SQLite holds the write lock). */
export function lockAllocationRow(db: Db, id: string): Promise<AllocationsTable | undefined> {
  let query = db.selectFrom('allocations').selectAll().where('id', '=', id);
  if (isPostgres(db)) query = query.forUpdate();
  return query.executeTakeFirst();
}

export function allocationRowsOfRound(db: Db, roundId: string): Promise<AllocationsTable[]> {
  return db.selectFrom('allocations').selectAll().where('round_id', '=', roundId).orderBy('created_at', 'desc').orderBy('id').execute();
}

/** Progress while running, with a heartbeat (a run that already ended is left alone). */
export async function recordProgress(db: Db, id: string, patch: { progress?: number; heartbeat_at: string }): Promise<void> {
  await db.updateTable('allocations').set(patch).where('id', '=', id).where('status', '=', 'running').execute();
}

/** The round's rows still marked running (some may have been abandoned by a process that is gone). */
export function runningRowsOfRound(db: Db, roundId: string) {
  return db.selectFrom('allocations').select(['id', 'status', 'created_at', 'heartbeat_at']).where('round_id', '=', roundId).where('status', '=', 'running').execute();
}

/** Marks abandoned runs failed. */
export async function markAbandoned(db: Db, ids: readonly string[], at: string): Promise<void> {
  if (ids.length === 0) return;
  await db.updateTable('allocations').set({ status: 'failed', error: 'abandoned', finished_at: at }).where('id', 'in', [...ids]).where('status', '=', 'running').execute();
}

export async function markReady(db: Db, id: string, patch: { input_hash: string; metrics: string; finished_at: string }): Promise<boolean> {
  const result = await db
    .updateTable('allocations')
    .set({ ...patch, status: 'ready', progress: 100 })
    .where('id', '=', id)
    .where('status', '=', 'running')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function markFailed(db: Db, id: string, error: string, at: string): Promise<void> {
  await db.updateTable('allocations').set({ status: 'failed', error, finished_at: at }).where('id', '=', id).where('status', '=', 'running').execute();
}

export async function markCommitted(db: Db, id: string, by: string | null, at: string): Promise<void> {
  await db.updateTable('allocations').set({ status: 'committed', committed_at: at, committed_by: by }).where('id', '=', id).where('status', '=', 'ready').execute();
}

export async function setRoundCommitted(db: Db, roundId: string, allocationId: string, at: string): Promise<void> {
  await db.updateTable('rounds').set({ committed_allocation_id: allocationId, updated_at: at }).where('id', '=', roundId).where('committed_allocation_id', 'is', null).execute();
}

export async function insertResults(db: Db, rows: Insertable<AllocationResultsTable>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await db.insertInto('allocation_results').values(rows.slice(i, i + CHUNK)).execute();
}

export interface ResultFilter {
  schoolId?: string;
  pupilId?: string;
  /** Only pupils without a place (neither placed nor booked by hand), at most `limit` of them. */
  unplaced?: { limit: number };
}

export function resultRows(db: Db, allocationId: string, filter: ResultFilter = {}): Promise<AllocationResultsTable[]> {
  let query = db.selectFrom('allocation_results').selectAll().where('allocation_id', '=', allocationId);
  if (filter.schoolId) query = query.where('school_id', '=', filter.schoolId);
  if (filter.pupilId) query = query.where('pupil_id', '=', filter.pupilId);
  if (filter.unplaced) query = query.where('placement_id', 'is', null).where('outcome', '<>', 'already_booked').limit(filter.unplaced.limit);
  return query.orderBy('pupil_id').execute();
}

/** A page of the run's results by pupil id (keyset), the explanation only where a pupil was booked by hand (it names that placement). */
export function resultPage(db: Db, allocationId: string, after: string | null, limit: number) {
  let query = db
    .selectFrom('allocation_results')
    .select(['pupil_id', 'placement_id', 'rank', 'outcome'])
    .select((eb) => eb.case().when('outcome', '=', 'already_booked').then(eb.ref('explanation')).else(null).end().as('explanation'))
    .where('allocation_id', '=', allocationId);
  if (after !== null) query = query.where('pupil_id', '>', after);
  return query.orderBy('pupil_id').limit(limit).execute();
}

import type { Selectable } from 'kysely';
import type { Db } from '../db/database.ts';
import type { OutboxTable } from '../db/types.ts';

export type OutboxRow = Selectable<OutboxTable>;

export async function insertOutbox(db: Db, row: OutboxRow): Promise<void> {
  await db.insertInto('outbox').values(row).execute();
}

/** Due rows: pending and due, or 'sending' whose claim ran out (its process died mid-send). */
export function findDue(db: Db, nowIso: string, limit: number): Promise<OutboxRow[]> {
  return db
    .selectFrom('outbox')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb.and([eb('status', '=', 'pending'), eb('next_attempt_at', '<=', nowIso)]),
        eb.and([eb('status', '=', 'sending'), eb('claimed_until', '<=', nowIso)]),
      ]),
    )
    .orderBy('next_attempt_at')
    .limit(limit)
    .execute();
}

/** Conditional update: only one process (of many) wins the claim on a row. */
export async function claim(db: Db, row: OutboxRow, claimedUntil: string): Promise<boolean> {
  const result = await db
    .updateTable('outbox')
    .set({ status: 'sending', claimed_until: claimedUntil })
    .where('id', '=', row.id)
    .where('status', '=', row.status)
    .where((eb) => (row.claimed_until === null ? eb('claimed_until', 'is', null) : eb('claimed_until', '=', row.claimed_until)))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function markSent(db: Db, id: string, sentAt: string, attempts: number): Promise<void> {
  await db.updateTable('outbox').set({ status: 'sent', sent_at: sentAt, attempts, claimed_until: null, last_error: null }).where('id', '=', id).execute();
}

export async function markAttemptFailed(
  db: Db,
  id: string,
  update: { status: 'pending' | 'failed'; attempts: number; lastError: string; nextAttemptAt: string },
): Promise<void> {
  await db
    .updateTable('outbox')
    .set({ status: update.status, attempts: update.attempts, last_error: update.lastError, next_attempt_at: update.nextAttemptAt, claimed_until: null })
    .where('id', '=', id)
    .execute();
}

export async function requeue(db: Db, id: string, nowIso: string): Promise<boolean> {
  const result = await db
    .updateTable('outbox')
    .set({ status: 'pending', next_attempt_at: nowIso, claimed_until: null })
    .where('id', '=', id)
    .where('status', 'in', ['failed', 'held'])
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export function listRecent(db: Db, limit: number): Promise<OutboxRow[]> {
  return db.selectFrom('outbox').selectAll().orderBy('created_at', 'desc').orderBy('id').limit(limit).execute();
}

export function findById(db: Db, id: string): Promise<OutboxRow | undefined> {
  return db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirst();
}

import { setTimeout as sleep } from 'node:timers/promises';
import type { Db } from './database.ts';

/**
 * Is this a conflict the database resolved by giving up on one side, so that trying again is
 * right? SQLite: the busy timeout ran out (SQLITE_BUSY, or a snapshot too old to write from).
 * PostgreSQL: a deadlock victim (40P01) or a serialization failure (40001).
 */
export function isTransient(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  if (typeof code !== 'string') return false;
  return code.startsWith('SQLITE_BUSY') || code === '40P01' || code === '40001';
}

/**
 * Runs `work` in one transaction (BEGIN IMMEDIATE on SQLite, see database.ts), retrying a
 * bounded number of times when the database reports a transient conflict. Work must do nothing
 * outside the transaction that cannot be repeated (mails go through the outbox, in it).
 */
export async function inTransaction<T>(db: Db, work: (trx: Db) => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(work);
    } catch (error) {
      if (attempt >= attempts || !isTransient(error)) throw error;
      // Back off a little, with jitter, so the same two transactions do not collide again.
      await sleep(5 * 2 ** attempt + Math.random() * 10);
    }
  }
}

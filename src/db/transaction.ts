import { setTimeout as sleep } from 'node:timers/promises';
import type { Db } from './database.ts';
import { isPostgres } from './database.ts';

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

/** A bounded number of tries, backing off a little with jitter so the same two do not collide again. */
async function withRetry<T>(attempt: () => Promise<T>, attempts: number): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      if (n >= attempts || !isTransient(error)) throw error;
      await sleep(5 * 2 ** n + Math.random() * 10);
    }
  }
}

/**
 * Runs `work` in one transaction (BEGIN IMMEDIATE on SQLite, see database.ts), retrying a
 * bounded number of times when the database reports a transient conflict. Work must do nothing
 * outside the transaction that cannot be repeated (mails go through the outbox, in it).
 *
 * On SQLite, work that arrives while another transaction of this process is running is
 * committed together with the next ones (group commit, see GroupCommitter).
 */
export function inTransaction<T>(db: Db, work: (trx: Db) => Promise<T>, attempts = 4): Promise<T> {
  if (isPostgres(db)) return withRetry(() => db.transaction().execute(work), attempts);
  let committer = committers.get(db);
  if (!committer) committers.set(db, (committer = new GroupCommitter(db, attempts)));
  return committer.run(work);
}

const committers = new WeakMap<Db, GroupCommitter>();

interface Job {
  work: (trx: Db) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** A piece failed so badly that the database ended the batch's transaction. */
class BatchLost extends Error {
  constructor(
    readonly index: number,
    override readonly cause: unknown,
  ) {
    super('a piece of a group commit ended its transaction');
  }
}

/** At most this many pieces of work share one commit. */
const MAX_BATCH = 64;

/**
 * Group commit for SQLite. With synchronous=FULL every COMMIT waits for the disk (fsync), and
 * better-sqlite3 waits synchronously, so one booking per transaction spends most of its time
 * there. Work queued meanwhile is run in the next transaction, each piece inside its own
 * SAVEPOINT: a piece that fails is rolled back alone and gets its error; the others commit
 * together, and each gets its answer only after that commit is durable. One process has one
 * connection, so its transactions ran one after another anyway; what changes is that the disk
 * waits are shared. Isolation is unchanged: each piece sees the pieces before it, exactly as
 * if they had committed one by one.
 */
class GroupCommitter {
  private readonly queue: Job[] = [];
  private draining = false;

  constructor(
    private readonly db: Db,
    private readonly attempts: number,
  ) {}

  run<T>(work: (trx: Db) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (!this.draining) {
        this.draining = true;
        void this.drain();
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, MAX_BATCH);
        let outcomes: Outcome[];
        try {
          outcomes = await withRetry(() => this.commit(batch), this.attempts);
        } catch (error) {
          if (error instanceof BatchLost) {
            // One piece's failure took the whole transaction with it: that piece gets its own
            // error, the others (nothing of theirs was written) go first in the queue again.
            batch[error.index]!.reject(error.cause);
            this.queue.unshift(...batch.filter((_, i) => i !== error.index));
            continue;
          }
          // BEGIN or COMMIT itself failed: nothing of the batch was written.
          outcomes = batch.map(() => ({ ok: false, error }));
        }
        batch.forEach((job, i) => {
          const outcome = outcomes[i]!;
          if (outcome.ok) job.resolve(outcome.value);
          else job.reject(outcome.error);
        });
      }
    } finally {
      this.draining = false;
    }
  }

  private async commit(batch: Job[]): Promise<Outcome[]> {
    if (batch.length === 1) {
      // Nothing to share: a plain transaction, without the savepoint's two extra statements.
      try {
        return [{ ok: true, value: await this.db.transaction().execute(batch[0]!.work) }];
      } catch (error) {
        if (isTransient(error)) throw error;
        return [{ ok: false, error }];
      }
    }
    const trx = await this.db.startTransaction().execute();
    const outcomes: Outcome[] = [];
    try {
      for (const job of batch) {
        const piece = await trx.savepoint('piece').execute();
        try {
          const value = await job.work(piece);
          await piece.releaseSavepoint('piece').execute();
          outcomes.push({ ok: true, value });
        } catch (error) {
          try {
            await piece.rollbackToSavepoint('piece').execute();
            await piece.releaseSavepoint('piece').execute();
          } catch {
            // SQLite ended the whole transaction (disk full, I/O error): no savepoint to go back to.
            throw new BatchLost(outcomes.length, error);
          }
          outcomes.push({ ok: false, error });
        }
      }
      await trx.commit().execute();
      return outcomes;
    } catch (error) {
      await trx.rollback().execute().catch(() => {});
      throw error;
    }
  }
}

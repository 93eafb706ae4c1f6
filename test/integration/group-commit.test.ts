import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../src/db/transaction.ts';
import { createTestContext, type TestContext } from '../support/app.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

// Work given to inTransaction at the same moment is committed together on SQLite (group
// commit); on PostgreSQL each runs in its own transaction. Either way, each piece succeeds or
// fails on its own.
const network = (trx: TestContext['db'], name: string) => trx.insertInto('networks').values({ id: name, name, region: 'Test', created_at: '2027-03-16T08:00:00.000Z' });
const names = async () => (await ctx.db.selectFrom('networks').select('name').where('region', '=', 'Test').orderBy('name').execute()).map((r) => r.name);

describe('inTransaction', () => {
  it('keeps the pieces that succeed and rolls back only the piece that fails', async () => {
    const results = await Promise.allSettled([
      inTransaction(ctx.db, async (trx) => {
        await network(trx, 'gc-a').execute();
        return 'a';
      }),
      inTransaction(ctx.db, async (trx) => {
        await network(trx, 'gc-b').execute();
        throw new Error('piece b fails after writing');
      }),
      inTransaction(ctx.db, async (trx) => {
        await network(trx, 'gc-c').execute();
        return 'c';
      }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason.message).toBe('piece b fails after writing');
    expect(await names()).toEqual(['gc-a', 'gc-c']);
  });

  // On PostgreSQL the three are separate transactions running side by side; on SQLite they share one.
  it.skipIf(Boolean(process.env.TEST_DATABASE_URL))('lets each piece see the pieces before it on SQLite, as if they had committed one by one', async () => {
    const seen = await Promise.all(
      ['gc-x', 'gc-y', 'gc-z'].map((name) =>
        inTransaction(ctx.db, async (trx) => {
          await trx.insertInto('networks').values({ id: name, name, region: 'Test', created_at: '2027-03-16T08:00:00.000Z' }).execute();
          return (await trx.selectFrom('networks').select('id').where('id', 'in', ['gc-x', 'gc-y', 'gc-z']).execute()).length;
        }),
      ),
    );
    expect(seen).toEqual([1, 2, 3]);
  });

  it.skipIf(Boolean(process.env.TEST_DATABASE_URL))('runs the other pieces again when one piece ends the whole transaction on SQLite', async () => {
    const results = await Promise.allSettled([
      inTransaction(ctx.db, async (trx) => {
        await network(trx, 'gc-lost-a').execute();
      }),
      inTransaction(ctx.db, async (trx) => {
        await network(trx, 'gc-lost-b').execute();
        // What SQLite does on its own after e.g. a full disk: the transaction is gone.
        await sql`rollback`.execute(trx);
        throw new Error('piece b ended the transaction');
      }),
      inTransaction(ctx.db, async (trx) => {
        await network(trx, 'gc-lost-c').execute();
      }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason.message).toBe('piece b ended the transaction');
    expect((await names()).filter((n) => n.startsWith('gc-lost'))).toEqual(['gc-lost-a', 'gc-lost-c']);
  });

  it('answers a piece only once its writes are committed', async () => {
    const id = await inTransaction(ctx.db, async (trx) => {
      await trx.insertInto('networks').values({ id: 'gc-durable', name: 'gc-durable', region: 'Test', created_at: '2027-03-16T08:00:00.000Z' }).execute();
      return 'gc-durable';
    });
    // A separate connection sees it: it is committed, not merely written in an open transaction.
    const other = ctx.database.sqlite ? (await import('better-sqlite3')).default(ctx.database.sqlite.name, { readonly: true }) : null;
    if (other) {
      expect(other.prepare('select id from networks where id = ?').get(id)).toEqual({ id });
      other.close();
    } else {
      expect(await ctx.db.selectFrom('networks').select('id').where('id', '=', id).executeTakeFirst()).toEqual({ id });
    }
  });
});

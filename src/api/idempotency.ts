import type { DateTime } from 'luxon';
import { createHash } from 'node:crypto';
import type { Db } from '../db/database.ts';
import { inTransaction } from '../db/transaction.ts';
import { AppError, invalidFields, type FieldProblems } from '../http/errors.ts';
import type { Params } from '../i18n/index.ts';
import { toDbInstant } from '../time/stockholm.ts';

/**
 * Idempotency-Key for POSTs that create things. The key is claimed by inserting its row in the
 * same transaction as the work: a second request with the key waits on that row (PostgreSQL)
 * or on the write lock (SQLite), then finds it and replays the first answer, so one key never
 * does the work twice. The same key with another request is refused (422). A key lives 24 h.
 */

export const KEY_HOURS = 24;

export interface Reply {
  status: number;
  body: unknown;
}

/** A handler's answer with a status of its own (e.g. a replayed one), instead of the route's usual status. */
export class ApiReply implements Reply {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {}
}

interface StoredError {
  error: { code: AppError['code']; params?: Params; fields?: FieldProblems };
}

/** A stable hash of what was asked: method, path and the parsed body with sorted keys. */
export function requestHash(method: string, path: string, body: unknown): string {
  const canonical = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(canonical)
      : value && typeof value === 'object'
        ? Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical((value as Record<string, unknown>)[k])]))
        : value;
  return createHash('sha256').update(JSON.stringify([method.toUpperCase(), path, canonical(body)])).digest('hex');
}

/** The header's value, checked: 1–255 visible ASCII characters (e.g. a UUID). */
export function parseKey(header: string | undefined): string | null {
  if (header === undefined) return null;
  if (!/^[\x21-\x7e]{1,255}$/.test(header)) throw invalidFields({ 'Idempotency-Key': { key: 'api.idempotency_key_invalid' } });
  return header;
}

async function findLive(db: Db, userId: string, key: string, now: DateTime) {
  const row = await db.selectFrom('idempotency_keys').selectAll().where('user_id', '=', userId).where('key', '=', key).executeTakeFirst();
  if (row && row.created_at < toDbInstant(now.minus({ hours: KEY_HOURS }))) {
    await db.deleteFrom('idempotency_keys').where('user_id', '=', userId).where('key', '=', key).execute();
    return undefined;
  }
  return row;
}

function replay(row: { request_hash: string; response_status: number; response_body: string }, hash: string): Reply {
  if (row.request_hash !== hash) throw new AppError('idempotency_mismatch');
  const body = JSON.parse(row.response_body) as unknown;
  if (row.response_status >= 400) {
    const { error } = body as StoredError;
    throw new AppError(error.code, { params: error.params, fields: error.fields });
  }
  return { status: row.response_status, body };
}

const isKeyClash = (error: unknown) => {
  const e = error as { code?: string; constraint?: string; message?: string };
  return (e?.code === '23505' && e.constraint === 'idempotency_keys_pk') || (typeof e?.message === 'string' && e.message.includes('UNIQUE constraint failed: idempotency_keys'));
};

/** Domain refusals are answers too, replayed like successes; anything else (a 500) is not kept. */
const isAnswer = (error: unknown): error is AppError => error instanceof AppError && error.status < 500 && error.code !== 'idempotency_mismatch';

export async function idempotent(db: Db, userId: string, key: string | null, hash: string, now: DateTime, work: (trx: Db) => Promise<Reply>): Promise<Reply> {
  if (key === null) return inTransaction(db, work);
  const at = toDbInstant(now);
  for (let attempt = 0; ; attempt++) {
    try {
      return await inTransaction(db, async (trx) => {
        const existing = await findLive(trx, userId, key, now);
        if (existing) return replay(existing, hash);
        await trx.insertInto('idempotency_keys').values({ user_id: userId, key, request_hash: hash, response_status: 0, response_body: '', created_at: at }).execute();
        const reply = await work(trx);
        await trx
          .updateTable('idempotency_keys')
          .set({ response_status: reply.status, response_body: JSON.stringify(reply.body) })
          .where('user_id', '=', userId)
          .where('key', '=', key)
          .execute();
        return reply;
      });
    } catch (error) {
      // Another request with this key committed first: go round again and replay its answer.
      if (isKeyClash(error) && attempt < 3) continue;
      if (isAnswer(error)) await keepRefusal(db, userId, key, hash, error, at);
      throw error;
    }
  }
}

/** The work was refused and rolled back; keep the refusal under the key (unless another answer got there first). */
async function keepRefusal(db: Db, userId: string, key: string, hash: string, error: AppError, at: string): Promise<void> {
  const body: StoredError = { error: { code: error.code, params: error.options.params, fields: error.fields } };
  await db
    .insertInto('idempotency_keys')
    .values({ user_id: userId, key, request_hash: hash, response_status: error.status, response_body: JSON.stringify(body), created_at: at })
    .onConflict((oc) => oc.columns(['user_id', 'key']).doNothing())
    .execute();
}

/** Forgets keys older than a day (run from the background loop). */
export async function purgeIdempotencyKeys(db: Db, now: DateTime): Promise<void> {
  await db.deleteFrom('idempotency_keys').where('created_at', '<', toDbInstant(now.minus({ hours: KEY_HOURS }))).execute();
}

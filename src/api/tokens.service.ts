import type { DateTime } from 'luxon';
import type { Db } from '../db/database.ts';
import { hashToken, newId, randomToken } from '../auth/secrets.ts';
import type { SessionUser } from '../http/context.ts';
import { notFound } from '../http/errors.ts';
import { fromDbInstant, toDbInstant } from '../time/stockholm.ts';
import { toSessionUser } from '../users/users.service.ts';

/** Bearer tokens for scripts and school systems: shown once, stored as SHA-256, revocable. */
export async function createApiToken(db: Db, userId: string, name: string, now: DateTime): Promise<{ id: string; token: string }> {
  const token = `tp_${randomToken()}`;
  const id = newId();
  await db
    .insertInto('api_tokens')
    .values({
      id,
      user_id: userId,
      name,
      token_hash: hashToken(token),
      token_hint: token.slice(-4),
      created_at: toDbInstant(now),
      last_used_at: null,
      revoked_at: null,
    })
    .execute();
  return { id, token };
}

export async function resumeApiToken(db: Db, token: string, now: DateTime): Promise<SessionUser | null> {
  if (token.length > 200) return null;
  const row = await db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .selectAll('users')
    .select(['api_tokens.id as token_id', 'api_tokens.last_used_at', 'api_tokens.revoked_at'])
    .where('api_tokens.token_hash', '=', hashToken(token))
    .executeTakeFirst();
  if (!row || row.revoked_at !== null || row.disabled_at !== null) return null;
  if (!row.last_used_at || now.diff(fromDbInstant(row.last_used_at), 'seconds').seconds >= 60) {
    await db.updateTable('api_tokens').set({ last_used_at: toDbInstant(now) }).where('id', '=', row.token_id).execute();
  }
  return toSessionUser(row);
}

export function listApiTokens(db: Db, userId: string) {
  return db
    .selectFrom('api_tokens')
    .select(['id', 'name', 'token_hint', 'created_at', 'last_used_at', 'revoked_at'])
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .execute();
}

export async function revokeApiToken(db: Db, userId: string, tokenId: string, now: DateTime): Promise<void> {
  const result = await db
    .updateTable('api_tokens')
    .set({ revoked_at: toDbInstant(now) })
    .where('id', '=', tokenId)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw notFound();
}

export async function revokeAllApiTokensOfUser(db: Db, userId: string, now: DateTime): Promise<void> {
  await db.updateTable('api_tokens').set({ revoked_at: toDbInstant(now) }).where('user_id', '=', userId).where('revoked_at', 'is', null).execute();
}

import type { DateTime } from 'luxon';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import { AppError } from '../http/errors.ts';
import type { SessionUser } from '../http/context.ts';
import { toDbInstant, fromDbInstant } from '../time/stockholm.ts';
import { findUserByEmail, toSessionUser } from '../users/users.service.ts';
import * as repo from './auth.repository.ts';
import { hashToken, newId, randomToken, verifyAgainstDummy, verifyPassword } from './secrets.ts';

/**
 * Throttling: 10 failures for one account, or 50 from one address (a school shares one), in
 * 15 minutes lock further attempts until the oldest failure leaves the window. Successful
 * sign-ins are never counted. The address limit is higher because a whole school shares one.
 */
export const THROTTLE = { windowMinutes: 15, perAccount: 10, perAddress: 50 } as const;

export interface Credentials {
  email: string;
  password: string;
  ip: string;
}

/** Checks e-mail and password with throttling; returns the user or throws. */
export async function authenticate(db: Db, input: Credentials, now: DateTime, config: Config): Promise<SessionUser> {
  const email = input.email.trim().toLowerCase();
  await assertNotThrottled(db, email, input.ip, now);
  const user = await findUserByEmail(db, email);
  const ok = user ? await verifyPassword(user.password_hash, input.password) : await verifyAgainstDummy(input.password, config.passwordHashing).then(() => false);
  if (!user || !ok || user.disabled_at !== null) {
    await repo.insertLoginFailure(db, { id: newId(), email, ip: input.ip, at: toDbInstant(now) });
    throw new AppError('invalid_credentials');
  }
  // Only the password's holder gets here, so the account's earlier failures can go. (The
  // address's failures stay: an attacker could otherwise clear them with an account of their own.)
  await repo.deleteLoginFailuresOfAccount(db, email);
  return toSessionUser(user);
}

async function assertNotThrottled(db: Db, email: string, ip: string, now: DateTime): Promise<void> {
  const since = toDbInstant(now.minus({ minutes: THROTTLE.windowMinutes }));
  const [byAccount, byAddress] = await Promise.all([
    repo.countLoginFailures(db, 'email', email, since),
    repo.countLoginFailures(db, 'ip', ip, since),
  ]);
  const blocking = [
    byAccount.count >= THROTTLE.perAccount ? byAccount.oldest : null,
    byAddress.count >= THROTTLE.perAddress ? byAddress.oldest : null,
  ].filter((v): v is string => v !== null);
  if (blocking.length === 0) return;
  const unlockAt = blocking.map((oldest) => fromDbInstant(oldest).plus({ minutes: THROTTLE.windowMinutes })).sort((a, b) => b.toMillis() - a.toMillis())[0]!;
  const retryAfterSeconds = Math.max(1, Math.ceil(unlockAt.diff(now, 'seconds').seconds));
  throw new AppError('too_many_attempts', { retryAfterSeconds });
}

export interface SessionMeta {
  ip: string | null;
  userAgent: string | null;
}

/** Starts a new session (a fresh random id: never reuses one from before sign-in). */
export async function startSession(db: Db, userId: string, meta: SessionMeta, now: DateTime, config: Config): Promise<string> {
  const token = randomToken();
  await repo.insertSession(db, {
    id_hash: hashToken(token),
    user_id: userId,
    created_at: toDbInstant(now),
    last_seen_at: toDbInstant(now),
    expires_at: toDbInstant(sessionExpiry(now, now, config)),
    ip: meta.ip,
    user_agent: meta.userAgent?.slice(0, 300) ?? null,
  });
  return token;
}

/** Idle timeout, capped by an absolute lifetime counted from sign-in. */
function sessionExpiry(createdAt: DateTime, now: DateTime, config: Config): DateTime {
  const idle = now.plus({ minutes: config.sessionIdleMinutes });
  const absolute = createdAt.plus({ hours: config.sessionMaxHours });
  return idle < absolute ? idle : absolute;
}

/** The user behind a session token, or null when unknown, expired or disabled. */
export async function resumeSession(db: Db, token: string, now: DateTime, config: Config): Promise<{ user: SessionUser; idHash: string } | null> {
  const idHash = hashToken(token);
  const row = await repo.findSessionWithUser(db, idHash);
  if (!row) return null;
  if (fromDbInstant(row.session_expires_at) <= now || row.disabled_at !== null) {
    await repo.deleteSession(db, idHash);
    return null;
  }
  // Extend the idle timeout at most once a minute, so reading pages does not write on every request.
  if (now.diff(fromDbInstant(row.session_last_seen_at), 'seconds').seconds >= 60) {
    const expiresAt = sessionExpiry(fromDbInstant(row.session_created_at), now, config);
    await repo.touchSession(db, idHash, toDbInstant(now), toDbInstant(expiresAt));
  }
  return { user: toSessionUser(row), idHash };
}

export async function endSession(db: Db, idHash: string): Promise<void> {
  await repo.deleteSession(db, idHash);
}

export async function endAllSessionsOfUser(db: Db, userId: string): Promise<void> {
  await repo.deleteSessionsOfUser(db, userId);
}

/** Housekeeping: expired sessions and old login failures go. */
export async function purgeExpired(db: Db, now: DateTime): Promise<void> {
  await repo.deleteExpiredSessions(db, toDbInstant(now));
  await repo.deleteLoginFailuresBefore(db, toDbInstant(now.minus({ days: 1 })));
}

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { DateTime } from 'luxon';
import { hashToken } from '../auth/secrets.ts';
import type { Db } from '../db/database.ts';
import { toDbInstant } from '../time/stockholm.ts';
import * as repo from './pupils.repository.ts';
import { toPupil, type Pupil } from './pupils.service.ts';

/**
 * Personal links for pupils, who have no accounts. The token is derived from the server secret
 * and a per-pupil salt, so the database alone never holds a usable link (it keeps the salt and
 * the token's SHA-256, for lookup), while the school can print the same link again at any time.
 * A new salt makes a new link and kills the old one; no salt means no link.
 */

/** base64url(HMAC-SHA256(secret, 'pupil-link:' + salt)): 43 URL-safe characters. */
export function linkTokenOf(secret: string, salt: string): string {
  return createHmac('sha256', secret).update(`pupil-link:${salt}`).digest('base64url');
}

export function pupilLinkUrl(baseUrl: string, token: string): string {
  return `${baseUrl}/p/${token}`;
}

/** Gives the pupil a new link (any old one stops working) and returns its token. */
export async function issueLink(db: Db, secret: string, pupilId: string, now: DateTime): Promise<string> {
  const salt = randomBytes(16).toString('base64url');
  const token = linkTokenOf(secret, salt);
  const at = toDbInstant(now);
  await repo.updatePupilRow(db, pupilId, { link_salt: salt, link_hash: hashToken(token), link_issued_at: at, updated_at: at });
  return token;
}

export async function revokeLink(db: Db, pupilId: string, now: DateTime): Promise<void> {
  await repo.updatePupilRow(db, pupilId, { link_salt: null, link_hash: null, link_issued_at: null, updated_at: toDbInstant(now) });
}

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** The pupil a link belongs to, or undefined for an unknown, revoked or malformed token. */
export async function findPupilByLinkToken(db: Db, secret: string, token: string): Promise<Pupil | undefined> {
  if (!TOKEN_SHAPE.test(token)) return undefined;
  const row = await repo.findPupilByLinkHash(db, hashToken(token));
  if (!row?.link_salt) return undefined;
  // The hash matched; the token must also be the one this secret makes (a new secret ends all links).
  const expected = Buffer.from(linkTokenOf(secret, row.link_salt));
  const given = Buffer.from(token);
  return expected.length === given.length && timingSafeEqual(expected, given) ? toPupil(row) : undefined;
}

/** The current link tokens of a school's pupils (those without a link are left out). */
export async function currentLinkTokens(db: Db, secret: string, schoolId: string, pupilIds: readonly string[]): Promise<Map<string, string>> {
  const rows = await repo.listPupilRows(db, schoolId, { ids: pupilIds });
  return new Map(rows.filter((r) => r.link_salt).map((r) => [r.id, linkTokenOf(secret, r.link_salt!)]));
}

/** Gives a link to every pupil of the list who has none; returns how many got one. */
export async function issueMissingLinks(db: Db, secret: string, pupils: readonly Pupil[], now: DateTime): Promise<number> {
  const missing = pupils.filter((p) => !p.hasLink);
  for (const pupil of missing) await issueLink(db, secret, pupil.id, now);
  return missing.length;
}

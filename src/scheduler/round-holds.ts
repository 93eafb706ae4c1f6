import type { DateTime } from 'luxon';
import type { Db } from '../db/database.ts';
import { translator, type Locale } from '../i18n/index.ts';
import { formatDateTime, toDbInstant } from '../time/stockholm.ts';
import { datesAsInstants } from './placements.ts';
import { roundPhase, type Round } from './round.ts';
import { roundsOfSchool } from './rounds.repository.ts';

/**
 * A round holds its placements for the pupils' wishes: while wishes are open, until the
 * allocation is committed, and after that until free booking opens, a participating school
 * cannot book them by hand (the seats are the round's to give out). Other schools are not
 * held back, and neither are slots outside the school's dates in the round.
 */
export interface RoundHold {
  roundId: string;
  roundName: string;
  /** When booking by hand opens (an instant), or null: when the allocation is committed. */
  until: string | null;
}

export interface HeldSlot {
  id: string;
  company_id: string;
  starts_at: string;
  ends_at: string;
}

const HOLDING = new Set(['wishes_open', 'wishes_closed', 'committed']);

/** The slot's live times as the round sees it: the slot itself, or every live slot of its series (placed as one unit). */
async function unitTimes(db: Db, slotId: string): Promise<{ starts_at: string; ends_at: string }[]> {
  const own = await db.selectFrom('slots').select(['series_id', 'starts_at', 'ends_at']).where('id', '=', slotId).executeTakeFirst();
  if (!own) return [];
  if (!own.series_id) return [own];
  return db.selectFrom('slots').select(['starts_at', 'ends_at']).where('series_id', '=', own.series_id).where('status', '=', 'published').execute();
}

async function companyInNetwork(db: Db, companyId: string, networkId: string): Promise<boolean> {
  const row = await db
    .selectFrom('network_memberships')
    .select('id')
    .where('network_id', '=', networkId)
    .where('company_id', '=', companyId)
    .where('status', '=', 'approved')
    .executeTakeFirst();
  return row !== undefined;
}

/** Does any round of the school hold its slots now (wishes opened; not committed, or free booking not yet open)? */
async function mayHold(db: Db, schoolId: string, nowIso: string): Promise<boolean> {
  const row = await db
    .selectFrom('rounds as r')
    .innerJoin('round_schools as rs', 'rs.round_id', 'r.id')
    .select('r.id')
    .where('rs.school_id', '=', schoolId)
    .where('r.wishes_open_at', '<=', nowIso)
    .where((eb) => eb.or([eb('r.committed_allocation_id', 'is', null), eb('r.free_booking_opens_at', '>', nowIso)]))
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Is this slot held by a round for this school now, and until when? */
export async function roundHold(db: Db, slot: HeldSlot, schoolId: string, now: DateTime): Promise<RoundHold | null> {
  // Every booking asks, so the common answer (no round holds anything now) takes one query.
  if (!(await mayHold(db, schoolId, toDbInstant(now)))) return null;
  const rounds = (await roundsOfSchool(db, schoolId)).filter((r) => HOLDING.has(roundPhase(r, now)));
  if (rounds.length === 0) return null;
  const times = await unitTimes(db, slot.id);
  for (const round of rounds) {
    if (!(await companyInNetwork(db, slot.company_id, round.networkId))) continue;
    if (!insideSchoolDates(round, schoolId, times)) continue;
    // Before the commit, the planned date (if any) is the best answer; after it, the date is certain.
    const planned = round.freeBookingOpensAt !== null && round.freeBookingOpensAt > toDbInstant(now) ? round.freeBookingOpensAt : null;
    return { roundId: round.id, roundName: round.name, until: planned };
  }
  return null;
}

function insideSchoolDates(round: Round, schoolId: string, times: { starts_at: string; ends_at: string }[]): boolean {
  const school = round.schools.find((s) => s.schoolId === schoolId);
  if (!school || times.length === 0) return false;
  const range = datesAsInstants(school);
  return times.every((t) => range.fromIso <= t.starts_at && t.ends_at <= range.toIso);
}

/** The hold as a reason the slot cannot be booked now (for the booking engine), or null. */
export async function roundHoldReason(db: Db, slot: HeldSlot, schoolId: string, now: DateTime, locale: Locale): Promise<string | null> {
  const hold = await roundHold(db, slot, schoolId, now);
  if (!hold) return null;
  const t = translator(locale);
  if (hold.until === null) return t('allocation.held_until_commit', { round: hold.roundName });
  return t('allocation.held_until', { round: hold.roundName, when: formatDateTime(hold.until, locale) });
}

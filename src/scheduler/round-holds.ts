import type { DateTime } from 'luxon';
import type { Db } from '../db/database.ts';
import { translator, type Locale } from '../i18n/index.ts';
import { isApprovedMember } from '../organisations/organisations.service.ts';
import { formatDateTime, toDbInstant } from '../time/stockholm.ts';
import { datesAsInstants, stillPlaceable } from './placements.ts';
import type { Round } from './round.ts';
import { roundsOfSchool } from './rounds.repository.ts';

/**
 * A round holds its placements for the pupils' wishes: from the moment its wishes open until
 * free booking opens (when the round has that date, committed or not: the date is a promise to
 * the schools) or, without a date, until the allocation is committed. Meanwhile a participating
 * school cannot book them by hand for pupils the round may place there (the seats are the
 * round's to give out). Other schools are not held back, nor pupils outside the round's grades,
 * nor slots outside the school's dates in the round or that no grade of the round may take.
 */
export interface RoundHold {
  roundId: string;
  roundName: string;
  /** When booking by hand opens (an instant), or null: when the allocation is committed. */
  until: string | null;
  /** The round's grades that may take the slot (every slot of its series): only pupils in these are held. */
  grades: string[];
}

export interface HeldSlot {
  id: string;
  company_id: string;
  starts_at: string;
  ends_at: string;
}

/** Does the round hold its placements now? (The rule above; roundPhase names where it is, not this.) */
export function roundHoldsNow(round: Pick<Round, 'wishesOpenAt' | 'freeBookingOpensAt' | 'committedAllocationId'>, now: DateTime): boolean {
  const at = toDbInstant(now);
  if (at < round.wishesOpenAt) return false;
  return round.freeBookingOpensAt !== null ? at < round.freeBookingOpensAt : round.committedAllocationId === null;
}

/** Has free booking opened by its date while the round has no committed allocation? (The coordinator is told.) */
export function freeBookingOpenedUncommitted(round: Pick<Round, 'freeBookingOpensAt' | 'committedAllocationId'>, now: DateTime): boolean {
  return round.committedAllocationId === null && round.freeBookingOpensAt !== null && round.freeBookingOpensAt <= toDbInstant(now);
}

interface Unit {
  times: { starts_at: string; ends_at: string; booking_closes_at: string | null }[];
  /** Grades every slot of the unit takes. */
  grades: string[];
}

/** The slot as the round sees it: the slot itself, or every live slot of its series (placed as one unit). */
async function unitOf(db: Db, slotId: string): Promise<Unit> {
  const own = await db.selectFrom('slots').select(['id', 'series_id', 'starts_at', 'ends_at', 'booking_closes_at']).where('id', '=', slotId).executeTakeFirst();
  if (!own) return { times: [], grades: [] };
  const slots = own.series_id
    ? await db.selectFrom('slots').select(['id', 'starts_at', 'ends_at', 'booking_closes_at']).where('series_id', '=', own.series_id).where('status', '=', 'published').execute()
    : [own];
  if (slots.length === 0) return { times: [], grades: [] };
  const rows = await db.selectFrom('slot_grades').select(['slot_id', 'grade']).where('slot_id', 'in', slots.map((s) => s.id)).execute();
  const gradesOf = (id: string) => rows.filter((r) => r.slot_id === id).map((r) => r.grade);
  const grades = gradesOf(slots[0]!.id).filter((g) => slots.every((s) => gradesOf(s.id).includes(g)));
  return { times: slots, grades };
}

/** Does any round of the school hold its slots now (roundHoldsNow, in SQL)? */
async function mayHold(db: Db, schoolId: string, nowIso: string): Promise<boolean> {
  const row = await db
    .selectFrom('rounds as r')
    .innerJoin('round_schools as rs', 'rs.round_id', 'r.id')
    .select('r.id')
    .where('rs.school_id', '=', schoolId)
    .where('r.wishes_open_at', '<=', nowIso)
    .where((eb) => eb.or([eb('r.free_booking_opens_at', '>', nowIso), eb.and([eb('r.free_booking_opens_at', 'is', null), eb('r.committed_allocation_id', 'is', null)])]))
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Every round that holds this slot for this school now, each with the grades it holds it for. */
export async function roundHolds(db: Db, slot: HeldSlot, schoolId: string, now: DateTime): Promise<RoundHold[]> {
  // Every booking asks, so the common answer (no round holds anything now) takes one query.
  if (!(await mayHold(db, schoolId, toDbInstant(now)))) return [];
  const rounds = (await roundsOfSchool(db, schoolId)).filter((r) => roundHoldsNow(r, now));
  if (rounds.length === 0) return [];
  const unit = await unitOf(db, slot.id);
  // What the round can no longer place (a slot begun or past its last day to book, e.g. in a series) it does not hold.
  if (!stillPlaceable(unit.times, toDbInstant(now))) return [];
  const holds: RoundHold[] = [];
  for (const round of rounds) {
    const grades = round.grades.filter((g) => unit.grades.includes(g));
    if (grades.length === 0) continue;
    if (!insideSchoolDates(round, schoolId, unit.times)) continue;
    if (!(await isApprovedMember(db, round.networkId, 'company', slot.company_id))) continue;
    holds.push({ roundId: round.id, roundName: round.name, until: round.freeBookingOpensAt, grades });
  }
  return holds;
}

/** The hold on a pupil in this grade, if any. */
export const holdOn = (holds: readonly RoundHold[], grade: string): RoundHold | null => holds.find((h) => h.grades.includes(grade)) ?? null;

function insideSchoolDates(round: Round, schoolId: string, times: { starts_at: string; ends_at: string }[]): boolean {
  const school = round.schools.find((s) => s.schoolId === schoolId);
  if (!school || times.length === 0) return false;
  const range = datesAsInstants(school);
  return times.every((t) => range.fromIso <= t.starts_at && t.ends_at <= range.toIso);
}

/** The hold in words: the round, and when booking by hand opens (the date when set, else the commit). */
export function holdText(hold: RoundHold, locale: Locale): string {
  const t = translator(locale);
  if (hold.until === null) return t('allocation.held_until_commit', { round: hold.roundName });
  return t('allocation.held_until', { round: hold.roundName, when: formatDateTime(hold.until, locale) });
}

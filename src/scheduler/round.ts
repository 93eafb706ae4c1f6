import type { DateTime } from 'luxon';
import type { RoundSchoolsTable, RoundsTable } from '../db/types.ts';
import { toDbInstant } from '../time/stockholm.ts';

/** A round: a network places its schools' pupils from their ranked wishes, all at once. */
export interface Round {
  id: string;
  networkId: string;
  name: string;
  /** Instants (UTC ISO). */
  wishesOpenAt: string;
  wishesCloseAt: string;
  maxWishes: number;
  /** Grades that take part, e.g. ['8']. */
  grades: string[];
  allocationPlannedAt: string | null;
  freeBookingOpensAt: string | null;
  placeWithoutWishes: boolean;
  schoolShareCaps: boolean;
  committedAllocationId: string | null;
  createdAt: string;
  updatedAt: string;
  /** The participating schools, each with its own prao dates, by school name. */
  schools: RoundSchool[];
}

export interface RoundSchool {
  schoolId: string;
  schoolName: string;
  /** Local dates (Europe/Stockholm), both included: yyyy-MM-dd. */
  from: string;
  to: string;
}

export const DEFAULT_MAX_WISHES = 5;
export const MAX_WISHES_LIMIT = 10;

export function toRound(row: RoundsTable, schools: RoundSchool[]): Round {
  return {
    id: row.id,
    networkId: row.network_id,
    name: row.name,
    wishesOpenAt: row.wishes_open_at,
    wishesCloseAt: row.wishes_close_at,
    maxWishes: row.max_wishes,
    grades: row.grades.split(' ').filter(Boolean),
    allocationPlannedAt: row.allocation_planned_at,
    freeBookingOpensAt: row.free_booking_opens_at,
    placeWithoutWishes: row.place_without_wishes === 1,
    schoolShareCaps: row.school_share_caps === 1,
    committedAllocationId: row.committed_allocation_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    schools,
  };
}

export const toRoundSchool = (row: RoundSchoolsTable & { school_name: string }): RoundSchool => ({
  schoolId: row.school_id,
  schoolName: row.school_name,
  from: row.from_date,
  to: row.to_date,
});

/**
 * Where a round is: before its wish window, wishes open, wishes closed (waiting for the
 * allocation), committed (results out; free booking not yet open), or free booking open.
 */
export type RoundPhase = 'upcoming' | 'wishes_open' | 'wishes_closed' | 'committed' | 'free_booking';

export function roundPhase(round: Round, now: DateTime): RoundPhase {
  const at = toDbInstant(now);
  if (round.committedAllocationId) {
    // Without a date of its own, free booking opens as soon as the allocation is committed.
    return round.freeBookingOpensAt === null || round.freeBookingOpensAt <= at ? 'free_booking' : 'committed';
  }
  if (at < round.wishesOpenAt) return 'upcoming';
  if (at < round.wishesCloseAt) return 'wishes_open';
  return 'wishes_closed';
}

/** May wishes be entered or changed now? Only inside the window, and never after a commit. */
export const wishesOpen = (round: Round, now: DateTime): boolean => roundPhase(round, now) === 'wishes_open';

/** Before or inside the wish window (a run then needs "early", and a commit cuts the window short). */
export function isWishWindowOpen(round: Round, now: DateTime): boolean {
  const phase = roundPhase(round, now);
  return phase === 'upcoming' || phase === 'wishes_open';
}

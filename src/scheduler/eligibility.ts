import type { DateTime } from 'luxon';
import type { Db } from '../db/database.ts';
import { toDbInstant } from '../time/stockholm.ts';
import type { Placement } from './placements.ts';

/**
 * What pupils' own bookings mean for a round: a pupil already booked (confirmed) into one of
 * the round's placements has their place (by hand) and is not placed again; a placement that
 * overlaps another confirmed booking of the pupil cannot be theirs (no pupil in two places).
 */
export interface BookingsAgainstRound {
  /** Pupil id → the round placement they are booked into by hand. */
  bookedByHand: Map<string, string>;
  /** Pupil id → placements that clash with one of their other confirmed bookings. */
  clashes: Map<string, Set<string>>;
}

interface Interval {
  startsAt: string;
  endsAt: string;
  placementId: string;
}

/** Every slot time of the placements, by start, with the longest one's length for the search window. */
function intervalIndex(placements: readonly Placement[]) {
  const list: Interval[] = placements.flatMap((p) => p.times.map((t) => ({ ...t, placementId: p.id })));
  list.sort((a, b) => (a.startsAt < b.startsAt ? -1 : a.startsAt > b.startsAt ? 1 : 0));
  let longest = 0;
  for (const i of list) longest = Math.max(longest, Date.parse(i.endsAt) - Date.parse(i.startsAt));
  return { list, longest };
}

function firstAtOrAfter(list: Interval[], iso: string): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]!.startsAt < iso) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Placements overlapping [startsAt, endsAt) (half-open: touching is not a clash). */
function overlapping(index: ReturnType<typeof intervalIndex>, startsAt: string, endsAt: string): Set<string> {
  const found = new Set<string>();
  const earliest = new Date(Date.parse(startsAt) - index.longest).toISOString();
  for (let i = firstAtOrAfter(index.list, earliest); i < index.list.length; i++) {
    const slot = index.list[i]!;
    if (slot.startsAt >= endsAt) break;
    if (slot.endsAt > startsAt) found.add(slot.placementId);
  }
  return found;
}

/** Confirmed bookings from now on of the given schools' pupils (the pupils of a round). */
function confirmedBookingsOfSchools(db: Db, schoolIds: readonly string[], nowIso: string) {
  if (schoolIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('bookings')
    .select(['pupil_id', 'slot_id', 'starts_at', 'ends_at'])
    .where('school_id', 'in', [...schoolIds])
    .where('status', '=', 'confirmed')
    .where('ends_at', '>', nowIso)
    .execute();
}

/** Pure: the bookings of pupils set against a round's placements. */
export function setBookingsAgainst(placements: readonly Placement[], bookings: readonly { pupil_id: string; slot_id: string; starts_at: string; ends_at: string }[]): BookingsAgainstRound {
  const placementOfSlot = new Map(placements.flatMap((p) => p.slotIds.map((s) => [s, p.id] as const)));
  const index = intervalIndex(placements);
  const bookedByHand = new Map<string, string>();
  const clashes = new Map<string, Set<string>>();
  for (const b of bookings) {
    const own = placementOfSlot.get(b.slot_id);
    if (own !== undefined) {
      bookedByHand.set(b.pupil_id, own);
      continue;
    }
    const hit = overlapping(index, b.starts_at, b.ends_at);
    if (hit.size === 0) continue;
    const set = clashes.get(b.pupil_id) ?? new Set<string>();
    for (const id of hit) set.add(id);
    clashes.set(b.pupil_id, set);
  }
  return { bookedByHand, clashes };
}

/** Reads the confirmed bookings of the schools' pupils and sets them against the placements. */
export async function bookingsAgainstRound(db: Db, schoolIds: readonly string[], placements: readonly Placement[], now: DateTime): Promise<BookingsAgainstRound> {
  return setBookingsAgainst(placements, await confirmedBookingsOfSchools(db, schoolIds, toDbInstant(now)));
}

import type { DateTime } from 'luxon';
import type { Db } from '../db/database.ts';
import { toDbInstant } from '../time/stockholm.ts';
import type { Placement } from './placements.ts';

/**
 * What pupils' own bookings mean for a round. A pupil already booked (confirmed) into one of
 * their own school's placements has their place (by hand) and is not placed again. Any other
 * confirmed booking — outside the round, or in a placement of another school's weeks — only
 * rules out the pupil's placements that overlap it (no pupil in two places). A pupil waiting
 * on a waitlist of one of their placements' slots can still be placed there: the commit then
 * confirms that waitlist place instead of booking anew (one live booking per pupil and slot).
 */
export interface BookingsAgainstRound {
  /** Pupil id → the placement of their own school they are booked into by hand. */
  bookedByHand: Map<string, string>;
  /** Pupil id → placements that clash with one of their other confirmed bookings. */
  clashes: Map<string, Set<string>>;
  /** Pupil id → the slots of their own school's placements they are on the waitlist of. */
  waitlisted: Map<string, Set<string>>;
}

/** A live booking of a pupil of the round, as read for the round. */
export interface PupilBooking {
  pupil_id: string;
  school_id: string;
  slot_id: string;
  status: 'confirmed' | 'waitlisted';
  starts_at: string;
  ends_at: string;
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

/** Live (confirmed or waitlisted) bookings from now on of the given schools' pupils (the pupils of a round). */
function liveBookingsOfSchools(db: Db, schoolIds: readonly string[], nowIso: string): Promise<PupilBooking[]> {
  if (schoolIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('bookings')
    .select(['pupil_id', 'school_id', 'slot_id', 'status', 'starts_at', 'ends_at'])
    .where('school_id', 'in', [...schoolIds])
    .where('status', 'in', ['confirmed', 'waitlisted'])
    .where('ends_at', '>', nowIso)
    .execute() as Promise<PupilBooking[]>;
}

/** One school's placements, looked up by slot and by time. */
function schoolLookup(placements: readonly Placement[]) {
  return { placementOfSlot: new Map(placements.flatMap((p) => p.slotIds.map((s) => [s, p.id] as const))), index: intervalIndex(placements) };
}

const addTo = (map: Map<string, Set<string>>, key: string, values: Iterable<string>) => {
  const set = map.get(key) ?? new Set<string>();
  for (const v of values) set.add(v);
  map.set(key, set);
};

/**
 * Pure: the bookings of pupils set against their own school's placements (`bySchool`: school
 * id → the placements inside its dates). Whether a booking is "by hand" depends only on the
 * pupil's own school, so the wish pages and the allocation give the same answer.
 */
export function setBookingsAgainst(bySchool: ReadonlyMap<string, readonly Placement[]>, bookings: readonly PupilBooking[]): BookingsAgainstRound {
  const lookups = new Map<string, ReturnType<typeof schoolLookup>>();
  const lookupOf = (schoolId: string) => {
    let found = lookups.get(schoolId);
    if (!found) lookups.set(schoolId, (found = schoolLookup(bySchool.get(schoolId) ?? [])));
    return found;
  };
  const result: BookingsAgainstRound = { bookedByHand: new Map(), clashes: new Map(), waitlisted: new Map() };
  for (const b of bookings) {
    const { placementOfSlot, index } = lookupOf(b.school_id);
    const own = placementOfSlot.get(b.slot_id);
    if (b.status === 'waitlisted') {
      // A waitlist place holds no seat and never clashes; it matters only where the pupil may be placed.
      if (own !== undefined) addTo(result.waitlisted, b.pupil_id, [b.slot_id]);
      continue;
    }
    if (own !== undefined) {
      result.bookedByHand.set(b.pupil_id, own);
      continue;
    }
    const hit = overlapping(index, b.starts_at, b.ends_at);
    if (hit.size > 0) addTo(result.clashes, b.pupil_id, hit);
  }
  return result;
}

/** Reads the live bookings of the schools' pupils and sets them against each school's placements. */
export async function bookingsAgainstRound(db: Db, bySchool: ReadonlyMap<string, readonly Placement[]>, now: DateTime): Promise<BookingsAgainstRound> {
  return setBookingsAgainst(bySchool, await liveBookingsOfSchools(db, [...bySchool.keys()], toDbInstant(now)));
}

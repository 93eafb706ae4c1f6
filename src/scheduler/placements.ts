import { DateTime } from 'luxon';
import type { Db } from '../db/database.ts';
import type { PlacementKind, SlotFormat } from '../db/types.ts';
import { toDbInstant, ZONE } from '../time/stockholm.ts';
import type { Round, RoundSchool } from './round.ts';
import { letOthersIn } from './yield.ts';

/**
 * A placement is what a pupil can be given in a round: a single slot, or a whole series (e.g.
 * two mornings), placed as one unit. The placements of a round are the network's published
 * slots and series that lie inside a school's prao dates; a pupil may have those that their
 * grade may take. A slot that belongs to a series is only ever placed with its series.
 */
export interface Placement {
  /** The slot id, or the series id. */
  id: string;
  kind: PlacementKind;
  /** The live (published, not cancelled) slots, in time order. */
  slotIds: string[];
  times: { startsAt: string; endsAt: string }[];
  companyId: string;
  companyName: string;
  siteName: string;
  municipality: string;
  format: SlotFormat;
  /** Grades every one of its slots takes. */
  grades: string[];
  /** Seats per slot (the smallest, for a series), and those not yet booked. */
  capacity: number;
  freeSeats: number;
  /** The professionals pupils can read about (published stories only). */
  hosts: { storyId: string; displayName: string; roleTitle: string }[];
}

/** The instants a school's local prao dates cover: [start of `from`, start of the day after `to`). */
export function datesAsInstants(school: Pick<RoundSchool, 'from' | 'to'>): { fromIso: string; toIso: string } {
  const from = DateTime.fromISO(school.from, { zone: ZONE }).startOf('day');
  const to = DateTime.fromISO(school.to, { zone: ZONE }).startOf('day').plus({ days: 1 });
  return { fromIso: toDbInstant(from), toIso: toDbInstant(to) };
}

const inside = (p: Placement, range: { fromIso: string; toIso: string }) =>
  p.times.every((t) => range.fromIso <= t.startsAt && t.endsAt <= range.toIso);

export const fitsGrade = (placement: Placement, grade: string): boolean => placement.grades.includes(grade);

function networkSlots(db: Db, networkId: string, nowIso: string) {
  const companies = db
    .selectFrom('network_memberships')
    .select('company_id')
    .where('network_id', '=', networkId)
    .where('status', '=', 'approved')
    .where('company_id', 'is not', null);
  return db
    .selectFrom('slots as s')
    .innerJoin('companies as c', 'c.id', 's.company_id')
    .innerJoin('company_sites as site', 'site.id', 's.site_id')
    .select(['s.id', 's.series_id', 's.company_id', 's.starts_at', 's.ends_at', 's.capacity', 's.booked_count', 's.booking_closes_at', 's.format', 'c.name as company_name', 'site.name as site_name', 'site.municipality'])
    .where('s.status', '=', 'published')
    .where('s.company_id', 'in', companies as never)
    .where((eb) => eb.or([eb('s.starts_at', '>', nowIso), eb('s.series_id', 'is not', null)]))
    .orderBy('s.starts_at')
    .orderBy('s.id')
    .execute();
}
type SlotRow = Awaited<ReturnType<typeof networkSlots>>[number];

async function gradesAndHosts(db: Db, slotIds: string[]) {
  const grades = new Map<string, string[]>();
  const hosts = new Map<string, Placement['hosts']>();
  for (let i = 0; i < slotIds.length; i += 500) {
    // better-sqlite3 answers synchronously: a turn of the event loop between chunks lets requests in.
    if (i > 0) await letOthersIn();
    const chunk = slotIds.slice(i, i + 500);
    for (const g of await db.selectFrom('slot_grades').select(['slot_id', 'grade']).where('slot_id', 'in', chunk).execute()) {
      grades.set(g.slot_id, [...(grades.get(g.slot_id) ?? []), g.grade]);
    }
    const rows = await db
      .selectFrom('slot_hosts as h')
      .innerJoin('role_stories as r', 'r.id', 'h.story_id')
      .select(['h.slot_id', 'r.id', 'r.display_name', 'r.role_title'])
      .where('h.slot_id', 'in', chunk)
      .where('h.active', '=', 1)
      .where('r.published', '=', 1)
      .orderBy('r.display_name')
      .execute();
    for (const h of rows) hosts.set(h.slot_id, [...(hosts.get(h.slot_id) ?? []), { storyId: h.id, displayName: h.display_name, roleTitle: h.role_title }]);
  }
  return { grades, hosts };
}

/** One collator for the whole sort (localeCompare with a locale looks one up per call: 14 → 6 ms for 5,000 names). */
const SWEDISH = new Intl.Collator('sv');
const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Can the round still place this slot, or series (all its live slots)? None may have begun (a
 * series half gone is no longer one unit), and none be past its company's last day to book (a
 * round's allocation is the school's booking). The holds (round-holds.ts) use the same rule.
 */
export const stillPlaceable = (slots: readonly { starts_at: string; booking_closes_at: string | null }[], nowIso: string): boolean =>
  slots.every((s) => s.starts_at > nowIso && (s.booking_closes_at === null || s.booking_closes_at > nowIso));

/**
 * Every placement the network offers from now on: single slots that have not started, and
 * series none of whose live slots has started (a series half gone is no longer one unit).
 * A slot whose booking has closed (the company's "last day to book") is not offered either,
 * nor a series with such a slot: the round gives seats as bookings, so the same last day
 * holds. When booking opens does not matter here: the round decides when its seats are given.
 */
export async function networkPlacements(db: Db, networkId: string, now: DateTime): Promise<Placement[]> {
  const nowIso = toDbInstant(now);
  const slots = await networkSlots(db, networkId, nowIso);
  const { grades, hosts } = await gradesAndHosts(db, slots.map((s) => s.id));
  const groups = new Map<string, SlotRow[]>();
  for (const s of slots) {
    const key = s.series_id ?? s.id;
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  const placements: Placement[] = [];
  for (const [id, group] of groups) {
    if (!stillPlaceable(group, nowIso)) continue;
    const first = group[0]!;
    const gradeSets = group.map((s) => grades.get(s.id) ?? []);
    const seenHosts = new Map(group.flatMap((s) => hosts.get(s.id) ?? []).map((h) => [h.storyId, h]));
    placements.push({
      id,
      kind: first.series_id ? 'series' : 'slot',
      slotIds: group.map((s) => s.id),
      times: group.map((s) => ({ startsAt: s.starts_at, endsAt: s.ends_at })),
      companyId: first.company_id,
      companyName: first.company_name,
      siteName: first.site_name,
      municipality: first.municipality,
      format: first.format,
      grades: gradeSets[0]!.filter((g) => gradeSets.every((set) => set.includes(g))).sort(),
      capacity: Math.min(...group.map((s) => s.capacity)),
      freeSeats: Math.max(0, Math.min(...group.map((s) => s.capacity - s.booked_count))),
      hosts: [...seenHosts.values()],
    });
  }
  return placements.sort((a, b) => compareText(a.times[0]!.startsAt, b.times[0]!.startsAt) || SWEDISH.compare(a.companyName, b.companyName) || compareText(a.id, b.id));
}

/** The placements inside one school's prao dates. */
export function placementsForSchool(all: readonly Placement[], school: Pick<RoundSchool, 'from' | 'to'>): Placement[] {
  const range = datesAsInstants(school);
  return all.filter((p) => inside(p, range));
}

/** A round's placements, all of them and per school (school id → its placements). */
export async function placementsOfRound(db: Db, round: Round, now: DateTime): Promise<{ all: Placement[]; bySchool: Map<string, Placement[]> }> {
  const network = await networkPlacements(db, round.networkId, now);
  const bySchool = new Map(round.schools.map((s) => [s.schoolId, placementsForSchool(network, s)] as const));
  const used = new Set([...bySchool.values()].flatMap((list) => list.map((p) => p.id)));
  return { all: network.filter((p) => used.has(p.id)), bySchool };
}

/** The placements a pupil of `schoolId` in `grade` may wish for in the round. */
export function placementsForPupil(bySchool: Map<string, Placement[]>, schoolId: string, grade: string): Placement[] {
  return (bySchool.get(schoolId) ?? []).filter((p) => fitsGrade(p, grade));
}

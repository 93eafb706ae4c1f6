import type { DateTime } from 'luxon';
import type { Db } from '../db/database.ts';
import type { SlotFormat, SlotStatus } from '../db/types.ts';
import { newId } from '../auth/secrets.ts';
import type { SessionUser } from '../http/context.ts';
import { AppError, forbidden, invalidFields, notFound, type FieldProblems } from '../http/errors.ts';
import { formatRange, fromDbInstant, toDbInstant } from '../time/stockholm.ts';
import { minorsProblems, type Grade } from './minors.ts';
import * as repo from './slots.repository.ts';
import type { SlotFields } from './slots.schemas.ts';

export interface SlotHost {
  storyId: string;
  name: string;
  title: string;
  published: boolean;
}

export interface Slot {
  id: string;
  companyId: string;
  companyName: string;
  seriesId: string | null;
  site: { id: string; name: string; address: string | null; municipality: string; meetingPoint: string | null; directions: string | null };
  format: SlotFormat;
  startsAt: string;
  endsAt: string;
  capacity: number;
  minGroup: number | null;
  bookedCount: number;
  seatsLeft: number;
  status: SlotStatus;
  grades: Grade[];
  hosts: SlotHost[];
  activities: string | null;
  bring: string | null;
  provided: string | null;
  accessibility: string | null;
  supervisorName: string | null;
  supervisorPhone: string | null;
  cancelReason: string | null;
  bookingOpensAt: string | null;
  bookingClosesAt: string | null;
  /** When the slot was first published; null for a slot that never was (a draft, or a cancelled draft). */
  publishedAt: string | null;
}

/** Full slots for ids, in the ids' order. */
export async function loadSlots(db: Db, ids: readonly string[]): Promise<Slot[]> {
  const { rows, grades, hosts } = await repo.slotDetails(db, ids);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    if (!r) return [];
    return [
      {
        id: r.id,
        companyId: r.company_id,
        companyName: r.company_name,
        seriesId: r.series_id,
        site: { id: r.site_id, name: r.site_name, address: r.site_address, municipality: r.site_municipality, meetingPoint: r.site_meeting_point, directions: r.site_directions },
        format: r.format,
        startsAt: r.starts_at,
        endsAt: r.ends_at,
        capacity: r.capacity,
        minGroup: r.min_group,
        bookedCount: r.booked_count,
        seatsLeft: Math.max(0, r.capacity - r.booked_count),
        status: r.status,
        grades: grades.filter((g) => g.slot_id === id).map((g) => g.grade as Grade).sort(gradeOrder),
        hosts: hosts.filter((h) => h.slot_id === id).map((h) => ({ storyId: h.story_id, name: h.display_name, title: h.role_title, published: h.published === 1 })),
        activities: r.activities,
        bring: r.bring,
        provided: r.provided,
        accessibility: r.accessibility,
        supervisorName: r.supervisor_name,
        supervisorPhone: r.supervisor_phone,
        cancelReason: r.cancel_reason,
        bookingOpensAt: r.booking_opens_at,
        bookingClosesAt: r.booking_closes_at,
        publishedAt: r.published_at,
      },
    ];
  });
}

const GRADE_ORDER = ['7', '8', '9', 'gy1', 'gy2', 'gy3', 'yh'];
const gradeOrder = (a: string, b: string) => GRADE_ORDER.indexOf(a) - GRADE_ORDER.indexOf(b);

export async function getSlot(db: Db, id: string): Promise<Slot> {
  const [slot] = await loadSlots(db, [id]);
  if (!slot) throw notFound();
  return slot;
}

/** May the public see it? Only a slot that was published at some point (a cancelled draft never was). */
export const isPublic = (slot: Slot): boolean => slot.publishedAt !== null && slot.status !== 'draft';

/** A slot as the public sees it: published, or cancelled after it was published. */
export async function getVisibleSlot(db: Db, id: string): Promise<Slot> {
  const slot = await getSlot(db, id);
  if (!isPublic(slot)) throw notFound();
  return slot;
}

function companyOf(actor: SessionUser): string {
  if (actor.role !== 'company_coordinator' || !actor.companyId) throw forbidden();
  return actor.companyId;
}

export async function getOwnSlot(db: Db, actor: SessionUser, id: string): Promise<Slot> {
  const companyId = companyOf(actor);
  const slot = await getSlot(db, id);
  if (slot.companyId !== companyId) throw forbidden();
  return slot;
}

export interface Occurrence {
  startsAt: DateTime;
  endsAt: DateTime;
  /** When schools may book (null: from publication until the start). Single slots only. */
  bookingOpensAt?: DateTime | null;
  bookingClosesAt?: DateTime | null;
}

/** Problems with one occurrence's time: order, past, and the rules for minors. */
export function timeProblems(occurrence: Occurrence, grades: readonly string[], now: DateTime): FieldProblems {
  const fields: FieldProblems = {};
  if (occurrence.endsAt <= occurrence.startsAt) fields.endsAt = { key: 'slot.end_before_start' };
  if (occurrence.startsAt <= now) fields.startsAt = { key: 'slot.in_past' };
  const { bookingOpensAt: opens, bookingClosesAt: closes } = occurrence;
  if (opens && closes && closes <= opens) fields.bookingClosesAt = { key: 'slot.booking_closes_before_opens' };
  else if (closes && closes > occurrence.startsAt) fields.bookingClosesAt = { key: 'slot.booking_closes_after_start' };
  if (opens && opens >= occurrence.startsAt) fields.bookingOpensAt = { key: 'slot.booking_opens_after_start' };
  if (!fields.endsAt) {
    for (const key of minorsProblems(occurrence.startsAt, occurrence.endsAt, grades)) {
      const field = key === 'slot.minors_too_long' || key === 'slot.minors_one_day' ? 'endsAt' : 'startsAt';
      fields[field] ??= { key };
    }
  }
  return fields;
}

/** Checks what the slot refers to: the hosts and the site must be the company's own. */
async function resolveRefs(db: Db, companyId: string, fields: SlotFields): Promise<string> {
  const problems: FieldProblems = {};
  const storyIds = [...new Set(fields.storyIds)];
  const own = await repo.storiesOfCompany(db, companyId, storyIds);
  if (own.length !== storyIds.length) problems.storyIds = { key: 'slot.story_not_yours' };
  const site = await repo.siteOfCompany(db, companyId, fields.siteId);
  if (!site) problems.siteId = { key: 'slot.site_not_yours' };
  if (fields.minGroup !== null && fields.minGroup > fields.capacity) problems.minGroup = { key: 'slot.min_group_too_big' };
  if (Object.keys(problems).length > 0) throw invalidFields(problems);
  return site!.id;
}

/** Explains a host clash (the database is what guarantees there is none). */
async function assertHostsFree(db: Db, storyIds: readonly string[], startsAt: string, endsAt: string, exceptSlotId: string | null, locale: 'sv' | 'en' = 'sv') {
  const clash = await repo.findHostClashes(db, storyIds, startsAt, endsAt, exceptSlotId);
  if (clash) throw new AppError('host_overlap', { params: { name: clash.display_name, when: formatRange(clash.starts_at, clash.ends_at, locale) } });
}

/** Postgres' exclusion constraint or SQLite's trigger refused a host in two places. */
export function isHostOverlap(error: unknown): boolean {
  const e = error as { code?: string; constraint?: string; message?: string };
  return (e?.code === '23P01' && e.constraint === 'slot_hosts_no_overlap') || (typeof e?.message === 'string' && e.message.includes('host_overlap'));
}

const hostOverlapFallback = (error: unknown): never => {
  throw isHostOverlap(error) ? new AppError('host_overlap', { params: { name: '–', when: '–' } }) : error;
};

/** The columns a slot's content sets (not its time or status), on create and on edit alike. */
function slotContent(fields: SlotFields) {
  return {
    format: fields.format,
    capacity: fields.capacity,
    min_group: fields.minGroup,
    activities: fields.activities,
    bring: fields.bring,
    provided: fields.provided,
    accessibility: fields.accessibility,
    supervisor_name: fields.supervisorName,
    supervisor_phone: fields.supervisorPhone,
  };
}

async function insertOccurrence(db: Db, companyId: string, siteId: string, fields: SlotFields, o: Occurrence, seriesId: string | null, now: DateTime): Promise<string> {
  const id = newId();
  const at = toDbInstant(now);
  const startsAt = toDbInstant(o.startsAt);
  const endsAt = toDbInstant(o.endsAt);
  const storyIds = [...new Set(fields.storyIds)];
  await assertHostsFree(db, storyIds, startsAt, endsAt, null);
  await repo
    .insertSlot(
      db,
      {
        id,
        company_id: companyId,
        site_id: siteId,
        series_id: seriesId,
        ...slotContent(fields),
        starts_at: startsAt,
        ends_at: endsAt,
        booked_count: 0,
        status: fields.status,
        cancel_reason: null,
        cancelled_at: null,
        published_at: fields.status === 'published' ? at : null,
        ...bookingWindow(o),
        reminder_sent_at: null,
        created_at: at,
        updated_at: at,
      },
      fields.grades,
      storyIds,
    )
    .catch(hostOverlapFallback);
  return id;
}

const bookingWindow = (o: Occurrence) => ({
  booking_opens_at: o.bookingOpensAt ? toDbInstant(o.bookingOpensAt) : null,
  booking_closes_at: o.bookingClosesAt ? toDbInstant(o.bookingClosesAt) : null,
});

/** Publishes (or drafts) one slot. */
export async function createSlot(db: Db, actor: SessionUser, fields: SlotFields, occurrence: Occurrence, now: DateTime): Promise<Slot> {
  const companyId = companyOf(actor);
  const siteId = await resolveRefs(db, companyId, fields);
  const problems = timeProblems(occurrence, fields.grades, now);
  if (Object.keys(problems).length > 0) throw invalidFields(problems);
  return getSlot(db, await insertOccurrence(db, companyId, siteId, fields, occurrence, null, now));
}

export const MAX_SERIES = 60;

/**
 * Creates a series: many slots with the same content, all or nothing. A date that breaks a
 * rule is named in the message ("tis 28 mars 2027: …").
 */
export async function createSeries(db: Db, actor: SessionUser, fields: SlotFields, occurrences: Occurrence[], now: DateTime, locale: 'sv' | 'en' = 'sv') {
  const companyId = companyOf(actor);
  if (occurrences.length === 0) throw invalidFields({ dates: { key: 'slot.no_dates' } });
  if (occurrences.length > MAX_SERIES) throw invalidFields({ dates: { key: 'slot.too_many_dates', params: { max: MAX_SERIES } } });
  const siteId = await resolveRefs(db, companyId, fields);
  for (const o of occurrences) {
    const problem = Object.values(timeProblems(o, fields.grades, now))[0];
    if (problem) throw invalidFields({ dates: { key: 'slot.series_date_problem', reason: problem.key, params: { date: formatRange(o.startsAt, o.endsAt, locale), ...problem.params } } });
  }
  const seriesId = newId();
  await repo.insertSeries(db, { id: seriesId, company_id: companyId, created_by: actor.id, created_at: toDbInstant(now) });
  const ids: string[] = [];
  for (const o of occurrences) ids.push(await insertOccurrence(db, companyId, siteId, fields, o, seriesId, now));
  return { seriesId, slotIds: ids };
}

/**
 * Edits a slot. Once pupils are booked, the time cannot change and capacity cannot go below
 * the booked count (cancel and publish anew instead).
 */
export async function updateSlot(db: Db, actor: SessionUser, id: string, fields: SlotFields, occurrence: Occurrence, now: DateTime): Promise<Slot> {
  const slot = await getOwnSlot(db, actor, id);
  if (slot.status === 'cancelled') throw new AppError('slot_cancelled');
  const startsAt = toDbInstant(occurrence.startsAt);
  const endsAt = toDbInstant(occurrence.endsAt);
  const timeChanged = startsAt !== slot.startsAt || endsAt !== slot.endsAt;
  if (slot.bookedCount > 0 && timeChanged) throw new AppError('slot_has_bookings');
  if (fields.capacity < slot.bookedCount) throw invalidFields({ capacity: { key: 'slot.capacity_below_booked', params: { booked: slot.bookedCount } } });
  const siteId = await resolveRefs(db, slot.companyId, fields);
  const problems = timeProblems(occurrence, fields.grades, now);
  // An unchanged time of a published slot may have passed; new grades must still keep the rules for minors.
  if (!timeChanged && slot.status !== 'draft' && problems.startsAt?.key === 'slot.in_past') delete problems.startsAt;
  if (Object.keys(problems).length > 0) throw invalidFields(problems);
  const storyIds = [...new Set(fields.storyIds)];
  await assertHostsFree(db, storyIds, startsAt, endsAt, id);
  const status = slot.status === 'published' ? 'published' : fields.status;
  await repo.updateSlotRow(db, id, {
    site_id: siteId,
    ...slotContent(fields),
    starts_at: startsAt,
    ends_at: endsAt,
    ...(occurrence.bookingOpensAt !== undefined || occurrence.bookingClosesAt !== undefined ? bookingWindow(occurrence) : {}),
    status,
    published_at: status === 'published' && slot.status === 'draft' ? toDbInstant(now) : undefined,
    updated_at: toDbInstant(now),
  });
  await repo.replaceGrades(db, id, fields.grades);
  await repo.replaceHosts(db, id, storyIds, startsAt, endsAt, true).catch(hostOverlapFallback);
  return getSlot(db, id);
}

export async function publishSlot(db: Db, actor: SessionUser, id: string, now: DateTime): Promise<void> {
  const slot = await getOwnSlot(db, actor, id);
  if (slot.status === 'cancelled') throw new AppError('slot_cancelled');
  if (slot.status === 'published') return;
  const problems = timeProblems({ startsAt: fromDbInstant(slot.startsAt), endsAt: fromDbInstant(slot.endsAt) }, slot.grades, now);
  if (Object.keys(problems).length > 0) throw invalidFields(problems);
  await repo.updateSlotRow(db, id, { status: 'published', published_at: toDbInstant(now), updated_at: toDbInstant(now) });
}

/** Cancels slots (frees their hosts' time). Bookings are cancelled by the booking feature. */
async function cancelRows(db: Db, ids: string[], reason: string | null, now: DateTime): Promise<void> {
  if (ids.length === 0) return;
  const at = toDbInstant(now);
  for (const id of ids) await repo.updateSlotRow(db, id, { status: 'cancelled', cancel_reason: reason, cancelled_at: at, updated_at: at });
  await repo.deactivateHosts(db, ids);
}

export async function cancelSlot(db: Db, actor: SessionUser, id: string, reason: string | null, now: DateTime): Promise<Slot> {
  const slot = await getOwnSlot(db, actor, id);
  if (slot.status !== 'cancelled') await cancelRows(db, [id], reason, now);
  return getSlot(db, id);
}

async function ownSeries(db: Db, actor: SessionUser, seriesId: string) {
  const companyId = companyOf(actor);
  const rows = await repo.slotsOfSeries(db, seriesId);
  if (rows.length === 0) throw notFound();
  if (rows[0]!.company_id !== companyId) throw forbidden();
  return rows;
}

export async function getSeries(db: Db, actor: SessionUser, seriesId: string): Promise<Slot[]> {
  return loadSlots(db, (await ownSeries(db, actor, seriesId)).map((r) => r.id));
}

/** Cancels every slot of the series that has not started yet. */
export async function cancelSeries(db: Db, actor: SessionUser, seriesId: string, reason: string | null, now: DateTime): Promise<number> {
  const rows = await ownSeries(db, actor, seriesId);
  const ids = rows.filter((r) => r.status !== 'cancelled' && fromDbInstant(r.starts_at) > now).map((r) => r.id);
  await cancelRows(db, ids, reason, now);
  return ids.length;
}

/**
 * Edits every future, not cancelled slot of a series, keeping each one's own time. Fails as a
 * whole (naming the date) if one of them cannot take the change.
 */
export async function updateSeries(db: Db, actor: SessionUser, seriesId: string, fields: SlotFields, now: DateTime, locale: 'sv' | 'en' = 'sv'): Promise<number> {
  const rows = await ownSeries(db, actor, seriesId);
  const future = rows.filter((r) => r.status !== 'cancelled' && fromDbInstant(r.starts_at) > now);
  for (const row of future) {
    if (fields.capacity < row.booked_count) {
      throw invalidFields({
        capacity: { key: 'slot.series_date_problem', reason: 'slot.capacity_below_booked', params: { date: formatRange(row.starts_at, row.ends_at, locale), booked: row.booked_count } },
      });
    }
  }
  for (const row of future) {
    const occurrence = { startsAt: fromDbInstant(row.starts_at), endsAt: fromDbInstant(row.ends_at) };
    await updateSlot(db, actor, row.id, { ...fields, status: row.status === 'published' ? 'published' : fields.status }, occurrence, now).catch((error: unknown) => {
      // A time problem (e.g. new grades on a Saturday) is about one date: name it, as createSeries does.
      const problem = error instanceof AppError ? (error.fields?.startsAt ?? error.fields?.endsAt) : undefined;
      if (!problem) throw error;
      throw invalidFields({ dates: { key: 'slot.series_date_problem', reason: problem.key, params: { date: formatRange(row.starts_at, row.ends_at, locale), ...problem.params } } });
    });
  }
  return future.length;
}

export async function upcomingSlotsOfCompany(db: Db, companyId: string, now: DateTime): Promise<Slot[]> {
  return loadSlots(db, (await repo.upcomingSlotsOfCompany(db, companyId, toDbInstant(now))).map((r) => r.id));
}

export async function upcomingSlotsOfStory(db: Db, storyId: string, now: DateTime): Promise<Slot[]> {
  return loadSlots(db, (await repo.upcomingSlotsOfStory(db, storyId, toDbInstant(now))).map((r) => r.id));
}

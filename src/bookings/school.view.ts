import type { DateTime } from 'luxon';
import type { Db } from '../db/database.ts';
import type { SessionUser } from '../http/context.ts';
import { notFound, type AppError, type FieldProblems } from '../http/errors.ts';
import { localiseFields } from '../http/validation.ts';
import type { Locale, MessageKey, Translate } from '../i18n/index.ts';
import { companiesWorkingWith } from '../organisations/organisations.service.ts';
import { pupilName } from '../pupils/identity.ts';
import { classesOfSchool, compareClassNames, listPupilsOfSchool, type Pupil } from '../pupils/pupils.service.ts';
import { getVisibleSlot } from '../slots/slots.service.ts';
import { slotView } from '../slots/slots.view.ts';
import { formatDate, formatDateTime, formatRange, fromDbInstant, toDbInstant, ZONE } from '../time/stockholm.ts';
import { closedReason } from './booking.service.ts';
import { holdOn, holdText, roundHolds, type RoundHold } from '../scheduler/round-holds.ts';
import { isLate } from './cancellation.service.ts';
import * as repo from './bookings.repository.ts';

/**
 * Display data for the counsellor's booking pages: plain strings, already translated and
 * formatted. The read-only queries behind them are here too; every change goes through the
 * booking engine (booking.service.ts, cancellation.service.ts).
 */

export interface Look {
  t: Translate;
  locale: Locale;
  now: DateTime;
}

const gradeName = (grade: string, t: Translate) => t(`slots.grade_${grade}` as MessageKey);
const checkedIds = (values: Record<string, unknown>) => [values.pupilIds ?? []].flat().map(String);

// ---- the booking form ----

export interface BookFormState {
  values?: Record<string, unknown>;
  fields?: FieldProblems;
  error?: AppError;
}

async function waitlistLength(db: Db, slotId: string): Promise<number> {
  const row = await db.selectFrom('bookings').select((eb) => eb.fn.countAll<number>().as('n')).where('slot_id', '=', slotId).where('status', '=', 'waitlisted').executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Why a pupil probably cannot take the slot: a hint only, the engine decides when booking. */
async function pupilHints(db: Db, slot: { id: string; startsAt: string; endsAt: string; grades: readonly string[] }, pupils: Pupil[], holds: readonly RoundHold[], look: Look) {
  const { t, locale } = look;
  const ids = pupils.map((p) => p.id);
  const here = new Map((await repo.liveBookingsInSlot(db, slot.id, ids)).map((b) => [b.pupil_id, b.status]));
  const clashes = await repo.confirmedClashes(db, ids, slot.startsAt, slot.endsAt, slot.id);
  const hints = new Map<string, string>();
  const grades = slot.grades.map((g) => gradeName(g, t)).join(', ');
  for (const p of pupils) {
    const clash = clashes.find((c) => c.pupil_id === p.id);
    const hold = holdOn(holds, p.grade);
    if (!slot.grades.includes(p.grade)) hints.set(p.id, t('school_bookings.hint_grade', { grade: gradeName(p.grade, t), grades }));
    else if (hold) hints.set(p.id, holdText(hold, locale));
    else if (here.has(p.id)) hints.set(p.id, t(here.get(p.id) === 'waitlisted' ? 'school_bookings.hint_waiting_here' : 'school_bookings.hint_booked_here'));
    else if (clash) hints.set(p.id, t('school_bookings.hint_clash', { clash: `${clash.company_name}, ${formatRange(clash.starts_at, clash.ends_at, locale)}` }));
  }
  return hints;
}

/** Everything the booking form for one slot shows; a slot the school cannot see is "not found". */
export async function bookFormView(db: Db, user: SessionUser, slotId: string, className: string | undefined, look: Look, state: BookFormState = {}) {
  const { t, locale, now } = look;
  const slot = await getVisibleSlot(db, slotId);
  if (!(await companiesWorkingWith(db, user, [slot.companyId])).has(slot.companyId)) throw notFound();
  const schoolId = user.schoolId!;
  const [row, waiting, classes, pupils] = await Promise.all([repo.slotForBooking(db, slot.id), waitlistLength(db, slot.id), classesOfSchool(db, schoolId), listPupilsOfSchool(db, schoolId, { className })]);
  // A round holds the slot for pupils in its grades: for all who may take it, the form is closed; else those pupils get the reason.
  const holds = row ? await roundHolds(db, row, schoolId, now) : [];
  const heldForAll = holds.length > 0 && slot.grades.every((g) => holdOn(holds, g) !== null);
  const hints = await pupilHints(db, slot, pupils, holds, look);
  const errors = localiseFields(t, state.fields);
  const checked = new Set(checkedIds(state.values ?? {}));
  const groups = new Map<string, { id: string; name: string; checked: boolean; hint: string | null; error: string | null }[]>();
  for (const p of pupils) {
    // The engine's answer, when there is one, says it better than the hint.
    const error = errors[p.id] ?? null;
    const choice = { id: p.id, name: `${p.givenName} ${p.familyName}`, checked: checked.has(p.id), hint: error ? null : (hints.get(p.id) ?? null), error };
    groups.set(p.className, [...(groups.get(p.className) ?? []), choice]);
  }
  const shown = new Set([...pupils.map((p) => p.id), 'pupilIds']);
  return {
    slot: slotView(slot, t, locale),
    seats: t('school_bookings.seats', { left: slot.seatsLeft, capacity: slot.capacity }),
    waitlist: waiting === 0 ? t('school_bookings.waitlist_none') : waiting === 1 ? t('school_bookings.waitlist_one') : t('school_bookings.waitlist_many', { count: waiting }),
    closed: closedReason(row, now, locale, heldForAll ? holdText(holds[0]!, locale) : null),
    className: className ?? '',
    classOptions: [{ value: '', label: t('school_bookings.all_classes') }, ...classes.map((c) => ({ value: c.className, label: c.className }))],
    hasPupils: classes.length > 0,
    classes: [...groups.entries()].sort(([a], [b]) => compareClassNames(a, b)).map(([name, list]) => ({ className: name, pupils: list })),
    waitlistChecked: (state.values?.waitlist ?? '') !== '',
    message: state.error ? t(`error.${state.error.code}` as MessageKey, state.error.options.params) : null,
    pupilIdsError: errors.pupilIds ?? null,
    summary: Object.entries(errors).map(([key, text]) => ({ text, href: shown.has(key) ? `#f-${key}` : null })),
  };
}

// ---- the school's bookings ----

/** A school's bookings with what the pages show of their slot and pupil. */
function bookingRows(db: Db) {
  return db
    .selectFrom('bookings as b')
    .innerJoin('slots as s', 's.id', 'b.slot_id')
    .innerJoin('companies as c', 'c.id', 's.company_id')
    .innerJoin('company_sites as site', 'site.id', 's.site_id')
    .innerJoin('pupils as p', 'p.id', 'b.pupil_id')
    .innerJoin('schools as sc', 'sc.id', 'b.school_id')
    .select([
      'b.id', 'b.slot_id', 'b.school_id', 'b.status', 'b.starts_at', 'b.ends_at', 'b.cancelled_at', 'b.cancelled_party', 'b.cancel_reason', 'b.cancelled_late', 'b.attendance',
      'c.name as company_name', 'site.name as site_name', 'site.address as site_address', 'site.municipality as site_municipality',
      'p.given_name', 'p.family_name', 'p.class_name', 'p.protected_identity', 'p.code', 'sc.name as school_name',
    ]);
}
type BookingRow = Awaited<ReturnType<ReturnType<typeof bookingRows>['execute']>>[number];

/** Each waitlisted booking's place in its slot's queue now (1 = next to get a seat). */
async function waitlistPlaces(db: Db, slotIds: string[]): Promise<Map<string, number>> {
  const places = new Map<string, number>();
  if (slotIds.length === 0) return places;
  const rows = await db.selectFrom('bookings').select(['id', 'slot_id']).where('slot_id', 'in', slotIds).where('status', '=', 'waitlisted').orderBy('slot_id').orderBy('waitlist_position').execute();
  const counts = new Map<string, number>();
  for (const r of rows) {
    counts.set(r.slot_id, (counts.get(r.slot_id) ?? 0) + 1);
    places.set(r.id, counts.get(r.slot_id)!);
  }
  return places;
}

/** "08.00–12.00" in Stockholm time; a range over midnight names both days. */
function timeOf(startsAt: string, endsAt: string, locale: Locale): string {
  const [a, b] = [fromDbInstant(startsAt).setZone(ZONE), fromDbInstant(endsAt).setZone(ZONE)];
  const format = locale === 'sv' ? 'HH.mm' : 'HH:mm';
  return a.hasSame(b, 'day') ? `${a.toFormat(format)}–${b.toFormat(format)}` : formatRange(startsAt, endsAt, locale);
}

function statusText(r: BookingRow, place: number | undefined, t: Translate): string {
  if (r.status === 'waitlisted') return t('school_bookings.status_waitlisted', { position: place ?? '?' });
  return t(r.status === 'confirmed' ? 'school_bookings.status_confirmed' : 'school_bookings.status_cancelled');
}

/** A booking as every counsellor page shows it. */
function bookingView(r: BookingRow, place: number | undefined, look: Look, lateHours: number) {
  const { t, locale, now } = look;
  const live = r.status !== 'cancelled';
  const cancellable = live && r.starts_at > toDbInstant(now);
  const pupil = { givenName: r.given_name, familyName: r.family_name, className: r.class_name, protectedIdentity: r.protected_identity === 1, code: r.code };
  return {
    id: r.id,
    slotId: r.slot_id,
    pupil: pupilName(pupil, 'school', r.school_name, t),
    className: r.class_name,
    company: r.company_name,
    place: [r.site_name, r.site_address, r.site_municipality].filter(Boolean).join(', '),
    when: formatRange(r.starts_at, r.ends_at, locale),
    time: timeOf(r.starts_at, r.ends_at, locale),
    status: r.status,
    statusText: statusText(r, place, t),
    cancellable,
    lateWarning: cancellable && r.status === 'confirmed' && isLate(r.starts_at, now, lateHours) ? t('school_bookings.cancel_late_warning', { hours: lateHours }) : null,
    attendance: r.status === 'waitlisted' ? t('school_bookings.past_waitlisted') : t(`school_bookings.attendance_${r.attendance ?? 'none'}`),
    party: r.cancelled_party ? t(`school_bookings.party_${r.cancelled_party}`) : '',
    reason: r.cancel_reason ?? t('bookings.no_reason'),
    late: r.cancelled_late === 1,
    cancelledAt: r.cancelled_at ? formatDateTime(r.cancelled_at, locale) : '',
  };
}
export type SchoolBookingView = ReturnType<typeof bookingView>;

/** The school's bookings: upcoming by date and slot, the past (newest first), the cancelled (newest first). */
export async function schoolBookingsView(db: Db, schoolId: string, className: string | undefined, look: Look, lateHours: number) {
  let query = bookingRows(db).where('b.school_id', '=', schoolId);
  if (className) query = query.where('p.class_name', '=', className);
  const rows = await query.orderBy('b.starts_at').orderBy('b.slot_id').orderBy('p.class_name').orderBy('p.family_name').orderBy('p.given_name').execute();
  const nowIso = toDbInstant(look.now);
  const places = await waitlistPlaces(db, [...new Set(rows.filter((r) => r.status === 'waitlisted').map((r) => r.slot_id))]);
  const view = (r: BookingRow) => bookingView(r, places.get(r.id), look, lateHours);
  const upcoming = new Map<string, { date: string; slots: Map<string, { heading: string; bookings: SchoolBookingView[] }> }>();
  for (const r of rows.filter((r) => r.status !== 'cancelled' && r.starts_at > nowIso)) {
    const day = fromDbInstant(r.starts_at).setZone(ZONE).toISODate()!;
    const date = upcoming.get(day) ?? { date: formatDate(r.starts_at, look.locale), slots: new Map() };
    const b = view(r);
    const slot = date.slots.get(r.slot_id) ?? { heading: look.t('school_bookings.slot_heading', { company: b.company, time: b.time }), bookings: [] };
    slot.bookings.push(b);
    date.slots.set(r.slot_id, slot);
    upcoming.set(day, date);
  }
  const classes = await classesOfSchool(db, schoolId);
  return {
    upcoming: [...upcoming.values()].map((d) => ({ date: d.date, slots: [...d.slots.entries()].map(([slotId, s]) => ({ slotId, ...s })) })),
    past: rows.filter((r) => r.status !== 'cancelled' && r.starts_at <= nowIso).reverse().map(view),
    cancelled: rows.filter((r) => r.status === 'cancelled').sort((a, b) => (b.cancelled_at ?? '').localeCompare(a.cancelled_at ?? '')).map(view),
    className: className ?? '',
    classOptions: [{ value: '', label: look.t('school_bookings.all_classes') }, ...classes.map((c) => ({ value: c.className, label: c.className }))],
  };
}

// ---- one booking and its history ----

const EVENT_KEYS: Record<string, MessageKey> = {
  booked: 'school_bookings.event_booked',
  waitlisted: 'school_bookings.event_waitlisted',
  promoted: 'school_bookings.event_promoted',
  cancelled: 'school_bookings.event_cancelled',
  attendance: 'school_bookings.event_attendance',
};

function parseDetail(detail: string | null): Record<string, unknown> {
  try {
    const parsed: unknown = detail ? JSON.parse(detail) : {};
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

interface EventRow {
  action: string;
  to_status: string | null;
  actor_id: string | null;
  actor_role: string | null;
  actor_name: string | null;
  via: 'ui' | 'api' | 'system';
  detail: string | null;
  at: string;
}

function whatHappened(e: EventRow, t: Translate): string {
  const detail = parseDetail(e.detail);
  if (e.action === 'cancelled') {
    const party = typeof detail.party === 'string' && ['school', 'company', 'system'].includes(detail.party) ? t(`school_bookings.party_${detail.party as 'school'}`) : '';
    const reason = typeof detail.reason === 'string' && detail.reason ? detail.reason : t('bookings.no_reason');
    const text = party ? t('school_bookings.event_cancelled_detail', { party: party.toLocaleLowerCase(), reason }) : t('school_bookings.event_cancelled');
    return detail.late === true ? `${text} (${t('school_bookings.late')})` : text;
  }
  if (e.action === 'attendance') {
    const value = typeof detail.attendance === 'string' ? detail.attendance : e.to_status;
    if (value === 'present' || value === 'absent') return t('school_bookings.event_attendance_value', { value: t(`school_bookings.attendance_${value}`).toLocaleLowerCase() });
  }
  return EVENT_KEYS[e.action] ? t(EVENT_KEYS[e.action]!) : e.action;
}

function whoDidIt(e: EventRow, t: Translate): string {
  if (!e.actor_id) return t('school_bookings.actor_system');
  if (!e.actor_name) return t('school_bookings.actor_removed');
  const roleKey = `role.${e.actor_role ?? ''}`;
  return ['role.platform_admin', 'role.network_coordinator', 'role.company_coordinator', 'role.counsellor'].includes(roleKey)
    ? t('school_bookings.actor_with_role', { name: e.actor_name, role: t(roleKey as MessageKey) })
    : e.actor_name;
}

/** One of the school's bookings with its audit trail; another school's booking is "not found". */
export async function bookingDetailView(db: Db, user: SessionUser, bookingId: string, look: Look, lateHours: number) {
  const row = await bookingRows(db).where('b.id', '=', bookingId).executeTakeFirst();
  if (!row || row.school_id !== user.schoolId) throw notFound();
  const places = row.status === 'waitlisted' ? await waitlistPlaces(db, [row.slot_id]) : new Map<string, number>();
  const events = await db
    .selectFrom('booking_events as e')
    .leftJoin('users as u', 'u.id', 'e.actor_id')
    .select(['e.action', 'e.to_status', 'e.actor_id', 'e.actor_role', 'u.name as actor_name', 'e.via', 'e.detail', 'e.at'])
    .where('e.booking_id', '=', bookingId)
    .orderBy('e.at')
    .execute();
  return {
    booking: bookingView(row, places.get(row.id), look, lateHours),
    history: events.map((e) => ({ when: formatDateTime(e.at, look.locale), who: whoDidIt(e, look.t), what: whatHappened(e, look.t), how: look.t(`school_bookings.via_${e.via}`) })),
  };
}

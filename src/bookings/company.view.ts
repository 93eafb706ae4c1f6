import { DateTime } from 'luxon';
import type { Db } from '../db/database.ts';
import type { Attendance } from '../db/types.ts';
import type { SessionUser } from '../http/context.ts';
import { notFound } from '../http/errors.ts';
import type { Locale, Translate } from '../i18n/index.ts';
import { getSlot, loadSlots, upcomingSlotsOfCompany, type Slot } from '../slots/slots.service.ts';
import { slotView } from '../slots/slots.view.ts';
import { formatDate, fromDbInstant, toDbInstant, ZONE } from '../time/stockholm.ts';
import { attendanceField, attendanceWindow, type AttendanceWindow } from './attendance.ts';
import * as repo from './bookings.repository.ts';
import { bookingsOfSlotFor, withPupils } from './queries.ts';

/**
 * The company's view of who comes: its slots with their fill, one slot's participants grouped
 * by school (with the school's counsellors to contact), and a day's slots for the printed day
 * list. Pupils are named as the company may see them (queries.ts withPupils): a protected
 * identity only as "Elev, 8B, <school> (kod …)"; nothing else about a pupil leaves the school.
 */

/** How far back the participants list shows slots, so attendance can be filled in afterwards. */
export const RECENT_DAYS = 14;

const collator = new Intl.Collator('sv-SE', { numeric: true, sensitivity: 'base' });

/** One of the company's own slots; another company's is "not found". */
export async function ownSlot(db: Db, user: SessionUser, slotId: string): Promise<Slot> {
  const slot = await getSlot(db, slotId);
  if (!user.companyId || slot.companyId !== user.companyId) throw notFound();
  return slot;
}

const countText = (t: Translate, count: number, one: Parameters<Translate>[0], many: Parameters<Translate>[0]) => (count === 1 ? t(one) : t(many, { count }));

/** The participants list: published slots not ended more than RECENT_DAYS ago, upcoming and recent apart. */
export async function slotsOverview(db: Db, companyId: string, now: DateTime, t: Translate, locale: Locale) {
  const slots = (await upcomingSlotsOfCompany(db, companyId, now.minus({ days: RECENT_DAYS }))).filter((s) => s.status === 'published');
  const live = await repo.liveBookingsOfSlots(db, slots.map((s) => s.id));
  const rows = slots.map((slot) => {
    const ofSlot = live.filter((b) => b.slot_id === slot.id);
    const waitlisted = ofSlot.filter((b) => b.status === 'waitlisted').length;
    const unmarked = ofSlot.filter((b) => b.status === 'confirmed' && b.attendance === null).length;
    const window = attendanceWindow(slot.startsAt, slot.endsAt, now);
    return {
      ...slotView(slot, t, locale),
      started: window !== 'not_started',
      waitlist: waitlisted === 0 ? t('company_bookings.waitlist_none') : countText(t, waitlisted, 'company_bookings.waitlist_one', 'company_bookings.waitlist_many'),
      attendanceNote:
        window !== 'open' || slot.bookedCount === 0
          ? null
          : unmarked === 0
            ? t('company_bookings.attendance_done')
            : countText(t, unmarked, 'company_bookings.attendance_missing_one', 'company_bookings.attendance_missing_many'),
      attendanceMissing: window === 'open' && unmarked > 0,
    };
  });
  return { upcoming: rows.filter((r) => !r.started), recent: rows.filter((r) => r.started).reverse() };
}

export interface ParticipantRow {
  bookingId: string;
  /** The form field of the pupil's attendance. */
  field: string;
  name: string;
  className: string;
  attendance: Attendance | null;
  attendanceLabel: string;
}

export interface SchoolGroup {
  schoolId: string;
  school: string;
  countLabel: string;
  contacts: { name: string; email: string }[];
  pupils: ParticipantRow[];
}

/** A slot's confirmed pupils by school (schools and pupils in Swedish order), and how many wait. */
export async function participantsOf(db: Db, viewer: SessionUser, slotId: string, t: Translate) {
  const bookings = await bookingsOfSlotFor(db, viewer, slotId);
  const confirmed = await withPupils(db, viewer, bookings.filter((b) => b.status === 'confirmed'), t);
  const bySchool = new Map<string, typeof confirmed>();
  for (const b of confirmed) bySchool.set(b.schoolId, [...(bySchool.get(b.schoolId) ?? []), b]);
  const groups: SchoolGroup[] = [];
  for (const [schoolId, ofSchool] of bySchool) {
    const contacts = await repo.counsellorsOfSchool(db, schoolId);
    const pupils = ofSchool
      .map((b) => ({
        bookingId: b.id,
        field: attendanceField(b.id),
        name: b.pupil.name,
        className: b.pupil.className,
        attendance: b.attendance,
        attendanceLabel: b.attendance ? t(`company_bookings.${b.attendance}`) : t('company_bookings.not_marked'),
      }))
      .sort((a, b) => collator.compare(a.className, b.className) || collator.compare(a.name, b.name));
    groups.push({
      schoolId,
      school: ofSchool[0]!.pupil.school,
      countLabel: countText(t, pupils.length, 'company_bookings.pupils_one', 'company_bookings.pupils_many'),
      contacts: contacts.map((c) => ({ name: c.name, email: c.email })),
      pupils,
    });
  }
  groups.sort((a, b) => collator.compare(a.school, b.school));
  const waitlisted = bookings.filter((b) => b.status === 'waitlisted').length;
  return {
    groups,
    confirmedCount: confirmed.length,
    waitlist: waitlisted === 0 ? t('company_bookings.waitlist_none') : countText(t, waitlisted, 'company_bookings.waitlist_one', 'company_bookings.waitlist_many'),
  };
}

/** One slot's page: its facts, its participants and whether attendance can be marked now. */
export async function slotParticipantsPage(db: Db, viewer: SessionUser, slotId: string, now: DateTime, t: Translate, locale: Locale) {
  const slot = await ownSlot(db, viewer, slotId);
  const participants = await participantsOf(db, viewer, slot.id, t);
  const window: AttendanceWindow | 'cancelled' = slot.status === 'cancelled' ? 'cancelled' : attendanceWindow(slot.startsAt, slot.endsAt, now);
  return { slot: slotView(slot, t, locale), ...participants, window, date: stockholmDate(fromDbInstant(slot.startsAt)) };
}

// ---- the day list ----

const ISO_DATE = /^(\d{4})-\d{2}-\d{2}$/;

/** "2027-04-06" as a real calendar date (a sensible year), or null. */
export function calendarDate(value: string): string | null {
  const match = ISO_DATE.exec(value);
  if (!match || Number(match[1]) < 2000 || Number(match[1]) > 2199) return null;
  const day = DateTime.fromISO(value, { zone: ZONE });
  return day.isValid && day.toISODate() === value ? value : null;
}

/** The Stockholm calendar date of an instant, e.g. today's. */
export const stockholmDate = (instant: DateTime): string => instant.setZone(ZONE).toISODate()!;

/**
 * A Stockholm calendar day as UTC instants [start, end). A day can be 23 or 25 hours long
 * (the last Sundays of March and October), so it is measured in local time, not as 24 hours.
 */
export function stockholmDay(date: string): { start: string; end: string } {
  const start = DateTime.fromISO(date, { zone: ZONE }).startOf('day');
  return { start: toDbInstant(start), end: toDbInstant(start.plus({ days: 1 })) };
}

/** Every published slot of the company starting on the Stockholm date, by time, each with its participants. */
export async function dayList(db: Db, viewer: SessionUser, date: string, t: Translate, locale: Locale) {
  const { start, end } = stockholmDay(date);
  const ids = await db
    .selectFrom('slots')
    .select('id')
    .where('company_id', '=', viewer.companyId!)
    .where('status', '=', 'published')
    .where('starts_at', '>=', start)
    .where('starts_at', '<', end)
    .orderBy('starts_at')
    .orderBy('id')
    .execute();
  const slots = await loadSlots(db, ids.map((r) => r.id));
  const items = [];
  for (const slot of slots) items.push({ slot: slotView(slot, t, locale), ...(await participantsOf(db, viewer, slot.id, t)) });
  return { heading: formatDate(start, locale), slots: items };
}

import type { DateTime } from 'luxon';
import type { Db } from '../db/database.ts';
import { AppError } from '../http/errors.ts';
import { isLocale, translator, type Translate } from '../i18n/index.ts';
import { queueMail } from '../mail/mail.service.ts';
import { formatRange, toDbInstant } from '../time/stockholm.ts';
import { recordChanges, type BookingChange } from './audit.ts';
import { newBookingRow, promotionPatch, type BookingActor } from './booking.ts';
import * as repo from './bookings.repository.ts';
import type { BookingRow } from './bookings.repository.ts';
import { bookingConstraintError } from './constraints.ts';
import type { NotifyDeps } from './notifications.ts';

/**
 * A committed allocation's seats, booked through the booking engine's own building blocks: the
 * same rows (confirmed, carrying the slot's time), so the database's guarantees hold as for any
 * booking — never over a slot's capacity (the counter's check), never a pupil in two places
 * (the overlap constraint), one live booking per pupil and slot (the unique index). The caller
 * holds the round's slots locked and has checked that nothing changed since the preview; if the
 * database still refuses a row, something did change: the whole commit is refused as stale.
 * A placed pupil already waiting on the slot's waitlist gets that waitlist place confirmed.
 */
export interface AllocatedSeat {
  pupilId: string;
  schoolId: string;
  /** The placement's slots: one for a single slot, every slot of a series (one booking each). */
  slots: { id: string; starts_at: string; ends_at: string }[];
}

export interface SchoolSummary {
  schoolId: string;
  /** Pupils of the school in the round, and how many have a place now (given, or booked by hand). */
  pupils: number;
  placed: number;
  firstWish: number;
  unplaced: number;
}

export interface AllocationBooking {
  allocationId: string;
  roundId: string;
  roundName: string;
  seats: AllocatedSeat[];
  schools: SchoolSummary[];
}

/** Rows per insert (bookings have 21 columns; well under both databases' limits). */
const CHUNK = 400;

export async function bookAllocation(db: Db, deps: NotifyDeps, actor: BookingActor, request: AllocationBooking, now: DateTime): Promise<number> {
  const at = toDbInstant(now);
  const detail = { allocationId: request.allocationId, roundId: request.roundId };
  const waiting = await waitlistPlacesOf(db, request.seats);
  const rows: BookingRow[] = [];
  const promoted: BookingRow[] = [];
  for (const seat of request.seats) {
    for (const slot of seat.slots) {
      const queued = waiting.get(seatKey(slot.id, seat.pupilId));
      if (queued) promoted.push({ ...queued, ...promotionPatch(slot, at) });
      else rows.push({ ...newBookingRow({ slot, pupilId: seat.pupilId, schoolId: seat.schoolId, bookedBy: actor.userId ?? '', at }, null), booked_by: actor.userId });
    }
  }
  const refuseAsStale = (error: unknown) => {
    throw bookingConstraintError(error) ? new AppError('allocation_stale') : error;
  };
  for (const row of promoted) await repo.updateBooking(db, row.id, promotionPatch(row, at)).catch(refuseAsStale);
  for (let i = 0; i < rows.length; i += CHUNK) await db.insertInto('bookings').values(rows.slice(i, i + CHUNK)).execute().catch(refuseAsStale);
  const changes = [
    ...promoted.map((row): BookingChange => ({ booking: row, action: 'promoted', from: 'waitlisted', to: 'confirmed', detail })),
    ...rows.map((row): BookingChange => ({ booking: row, action: 'booked', from: null, to: 'confirmed', detail })),
  ];
  for (let i = 0; i < changes.length; i += CHUNK) await recordChanges(db, actor, changes.slice(i, i + CHUNK), now);
  await mailSchools(db, deps, request, now);
  await mailCompanies(db, deps, request, [...promoted, ...rows], now);
  return promoted.length + rows.length;
}

const seatKey = (slotId: string, pupilId: string) => `${slotId} ${pupilId}`;

/**
 * The waitlist places the seats' pupils hold on the seats' slots, by slot and pupil. A pupil
 * can wait on a slot with free seats (promotion skipped them for a clash that went away since):
 * the allocation gives them that seat by confirming the same row, as a promotion does.
 */
async function waitlistPlacesOf(db: Db, seats: readonly AllocatedSeat[]): Promise<Map<string, BookingRow>> {
  const wanted = new Set(seats.flatMap((seat) => seat.slots.map((slot) => seatKey(slot.id, seat.pupilId))));
  const slotIds = [...new Set(seats.flatMap((seat) => seat.slots.map((slot) => slot.id)))].sort();
  const found = new Map<string, BookingRow>();
  for (let i = 0; i < slotIds.length; i += CHUNK) {
    const rows = await db.selectFrom('bookings').selectAll().where('slot_id', 'in', slotIds.slice(i, i + CHUNK)).where('status', '=', 'waitlisted').execute();
    for (const row of rows) if (wanted.has(seatKey(row.slot_id, row.pupil_id))) found.set(seatKey(row.slot_id, row.pupil_id), row);
  }
  return found;
}

const translatorFor = (locale: string): Translate => translator(isLocale(locale) ? locale : 'sv');

/** One summary per counsellor of each participating school, in their language. */
async function mailSchools(db: Db, deps: NotifyDeps, request: AllocationBooking, now: DateTime): Promise<void> {
  for (const school of request.schools) {
    for (const to of await repo.counsellorsOfSchool(db, school.schoolId)) {
      const t = translatorFor(to.locale);
      const params = { name: to.name, round: request.roundName, ...school, url: `${deps.config.baseUrl}/school/rounds/${request.roundId}/results` };
      const text = [t('allocation.mail_school_body', params), school.unplaced > 1 ? t('allocation.mail_school_unplaced', params) : school.unplaced === 1 ? t('allocation.mail_school_unplaced_one', params) : '', t('allocation.mail_school_link', params)].filter(Boolean).join('\n\n');
      await queueMail(db, deps.mailer, { to: to.email, subject: t('allocation.mail_school_subject', params), text }, now);
    }
  }
}

/** One mail per coordinator of each company that gets pupils: how many in which of its slots. */
async function mailCompanies(db: Db, deps: NotifyDeps, request: AllocationBooking, rows: { slot_id: string }[], now: DateTime): Promise<void> {
  const perSlot = new Map<string, number>();
  for (const row of rows) perSlot.set(row.slot_id, (perSlot.get(row.slot_id) ?? 0) + 1);
  const slots = await slotsForMail(db, [...perSlot.keys()]);
  const byCompany = new Map<string, typeof slots>();
  for (const slot of slots) byCompany.set(slot.company_id, [...(byCompany.get(slot.company_id) ?? []), slot]);
  for (const [companyId, list] of byCompany) {
    for (const to of await repo.coordinatorsOfCompany(db, companyId)) {
      const t = translatorFor(to.locale);
      const locale = isLocale(to.locale) ? to.locale : 'sv';
      const lines = list.map((s) => t(perSlot.get(s.id) === 1 ? 'allocation.mail_company_line_one' : 'allocation.mail_company_line', { when: formatRange(s.starts_at, s.ends_at, locale), count: perSlot.get(s.id)! })).join('\n');
      const total = list.reduce((n, s) => n + perSlot.get(s.id)!, 0);
      const params = { name: to.name, round: request.roundName, company: list[0]!.company_name, count: total, slots: lines, url: `${deps.config.baseUrl}/company/participants` };
      await queueMail(db, deps.mailer, { to: to.email, subject: t('allocation.mail_company_subject', params), text: t('allocation.mail_company_body', params) }, now);
    }
  }
}

async function slotsForMail(db: Db, slotIds: string[]) {
  const out = [];
  for (let i = 0; i < slotIds.length; i += CHUNK) {
    out.push(
      ...(await db
        .selectFrom('slots as s')
        .innerJoin('companies as c', 'c.id', 's.company_id')
        .select(['s.id', 's.company_id', 's.starts_at', 's.ends_at', 'c.name as company_name'])
        .where('s.id', 'in', slotIds.slice(i, i + CHUNK))
        .execute()),
    );
  }
  return out.sort((a, b) => a.starts_at.localeCompare(b.starts_at) || a.id.localeCompare(b.id));
}

import type { Selectable } from 'kysely';
import { isPostgres, type Db } from '../db/database.ts';
import type { BookingEventsTable, BookingsTable, PupilsTable } from '../db/types.ts';

/** All Kysely for bookings. Locks are taken in one order everywhere: slots, then pupils, each by id. */

export type BookingRow = Selectable<BookingsTable>;
export type PupilRow = Selectable<PupilsTable>;

const slotForBookingQuery = (db: Db, slotId: string) =>
  db
    .selectFrom('slots')
    .select(['id', 'company_id', 'status', 'starts_at', 'ends_at', 'capacity', 'booked_count', 'booking_opens_at', 'booking_closes_at', 'published_at'])
    .where('id', '=', slotId);

/** The slot, locked for the rest of the transaction (PostgreSQL; SQLite holds the write lock already). */
export async function lockSlot(db: Db, slotId: string) {
  const query = slotForBookingQuery(db, slotId);
  return (isPostgres(db) ? query.forUpdate() : query).executeTakeFirst();
}

/** The same slot, read without a lock (for pages that explain before anyone books). */
export const slotForBooking = (db: Db, slotId: string) => slotForBookingQuery(db, slotId).executeTakeFirstOrThrow();
export type LockedSlot = NonNullable<Awaited<ReturnType<typeof lockSlot>>>;

export async function lockSlots(db: Db, slotIds: readonly string[]) {
  if (slotIds.length === 0) return [];
  let query = db.selectFrom('slots').select(['id', 'status']).where('id', 'in', [...slotIds]).orderBy('id');
  if (isPostgres(db)) query = query.forUpdate();
  return query.execute();
}

/** Does the school share an approved network membership with the company? (Then it may book its slots.) */
export async function schoolWorksWithCompany(db: Db, schoolId: string, companyId: string): Promise<boolean> {
  const row = await db
    .selectFrom('network_memberships as s')
    .innerJoin('network_memberships as c', 'c.network_id', 's.network_id')
    .select('s.network_id')
    .where('s.school_id', '=', schoolId)
    .where('s.status', '=', 'approved')
    .where('c.company_id', '=', companyId)
    .where('c.status', '=', 'approved')
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** What a mail says about a slot: company, place and time. */
export function slotForMail(db: Db, slotId: string) {
  return db
    .selectFrom('slots as s')
    .innerJoin('companies as c', 'c.id', 's.company_id')
    .innerJoin('company_sites as site', 'site.id', 's.site_id')
    .select(['s.id', 's.company_id', 's.starts_at', 's.ends_at', 'c.name as company_name', 'site.name as site_name', 'site.address as site_address', 'site.municipality as site_municipality'])
    .where('s.id', '=', slotId)
    .executeTakeFirstOrThrow();
}
export type MailSlot = Awaited<ReturnType<typeof slotForMail>>;

export async function gradesOfSlot(db: Db, slotId: string): Promise<string[]> {
  return (await db.selectFrom('slot_grades').select('grade').where('slot_id', '=', slotId).execute()).map((r) => r.grade);
}

/** The pupils, locked (PostgreSQL) in id order so two transactions never wait on each other in a circle. */
export async function lockPupils(db: Db, pupilIds: readonly string[]): Promise<PupilRow[]> {
  if (pupilIds.length === 0) return [];
  let query = db.selectFrom('pupils').selectAll().where('id', 'in', [...pupilIds]).orderBy('id');
  if (isPostgres(db)) query = query.forUpdate();
  return query.execute();
}

export async function schoolName(db: Db, schoolId: string): Promise<string> {
  const row = await db.selectFrom('schools').select('name').where('id', '=', schoolId).executeTakeFirst();
  return row?.name ?? '';
}

export function liveBookingsInSlot(db: Db, slotId: string, pupilIds: readonly string[]) {
  if (pupilIds.length === 0) return Promise.resolve([] as BookingRow[]);
  return db.selectFrom('bookings').selectAll().where('slot_id', '=', slotId).where('pupil_id', 'in', [...pupilIds]).where('status', '<>', 'cancelled').execute();
}

/** Confirmed bookings of these pupils that share a moment with [startsAt, endsAt), with what they are. */
export function confirmedClashes(db: Db, pupilIds: readonly string[], startsAt: string, endsAt: string, exceptSlotId: string | null = null) {
  if (pupilIds.length === 0) return Promise.resolve([]);
  let query = db
    .selectFrom('bookings as b')
    .innerJoin('slots as s', 's.id', 'b.slot_id')
    .innerJoin('companies as c', 'c.id', 's.company_id')
    .select(['b.pupil_id', 'b.slot_id', 'b.starts_at', 'b.ends_at', 'c.name as company_name'])
    .where('b.pupil_id', 'in', [...pupilIds])
    .where('b.status', '=', 'confirmed')
    .where('b.starts_at', '<', endsAt)
    .where('b.ends_at', '>', startsAt);
  if (exceptSlotId) query = query.where('b.slot_id', '<>', exceptSlotId);
  return query.orderBy('b.starts_at').execute();
}

export async function insertBooking(db: Db, row: BookingRow): Promise<void> {
  await db.insertInto('bookings').values(row).execute();
}

export async function updateBooking(db: Db, id: string, patch: Partial<Omit<BookingRow, 'id'>>): Promise<void> {
  await db.updateTable('bookings').set(patch).where('id', '=', id).execute();
}

/** Gives the slot's waitlist places the slot's current time (they carry a copy for the overlap guarantee). */
export async function moveLiveBookingsWithSlot(db: Db, slotId: string): Promise<void> {
  const slot = await db.selectFrom('slots').select(['starts_at', 'ends_at']).where('id', '=', slotId).executeTakeFirstOrThrow();
  await db
    .updateTable('bookings')
    .set({ starts_at: slot.starts_at, ends_at: slot.ends_at })
    .where('slot_id', '=', slotId)
    // Only waitlist places: a slot with seats taken cannot move (slots.service refuses it).
    .where('status', '=', 'waitlisted')
    .where((eb) => eb.or([eb('starts_at', '<>', slot.starts_at), eb('ends_at', '<>', slot.ends_at)]))
    .execute();
}

export function findBooking(db: Db, id: string) {
  return db.selectFrom('bookings').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The slot's waitlist, first come first served. */
export function waitlistOf(db: Db, slotId: string) {
  return db.selectFrom('bookings').selectAll().where('slot_id', '=', slotId).where('status', '=', 'waitlisted').orderBy('waitlist_position').execute();
}

/** The next place in the slot's waitlist (the caller holds the slot's lock). */
export async function nextWaitlistPosition(db: Db, slotId: string): Promise<number> {
  const row = await db.selectFrom('bookings').select((eb) => eb.fn.max('waitlist_position').as('last')).where('slot_id', '=', slotId).executeTakeFirst();
  return Number(row?.last ?? 0) + 1;
}

export function liveBookingsOfSlots(db: Db, slotIds: readonly string[]) {
  if (slotIds.length === 0) return Promise.resolve([] as BookingRow[]);
  return db.selectFrom('bookings').selectAll().where('slot_id', 'in', [...slotIds]).where('status', '<>', 'cancelled').orderBy('slot_id').orderBy('id').execute();
}

/** Live bookings of these pupils in slots that have not started. */
export function futureLiveBookingsOfPupils(db: Db, pupilIds: readonly string[], nowIso: string) {
  if (pupilIds.length === 0) return Promise.resolve([] as BookingRow[]);
  return db
    .selectFrom('bookings')
    .selectAll()
    .where('pupil_id', 'in', [...pupilIds])
    .where('status', '<>', 'cancelled')
    .where('starts_at', '>', nowIso)
    .orderBy('slot_id')
    .orderBy('id')
    .execute();
}

export function bookingsOfSlot(db: Db, slotId: string, schoolId: string | null = null) {
  let query = db.selectFrom('bookings').selectAll().where('slot_id', '=', slotId);
  if (schoolId) query = query.where('school_id', '=', schoolId);
  // A group is made at one instant: its seats (confirmed) before its waitlist places.
  return query.orderBy('created_at').orderBy('status').orderBy('id').execute();
}

export function bookingsOfPupil(db: Db, pupilId: string) {
  return db.selectFrom('bookings').selectAll().where('pupil_id', '=', pupilId).orderBy('starts_at').orderBy('id').execute();
}

export async function insertEvents(db: Db, rows: Selectable<BookingEventsTable>[]): Promise<void> {
  if (rows.length > 0) await db.insertInto('booking_events').values(rows).execute();
}

export interface Recipient {
  id: string;
  email: string;
  name: string;
  locale: string;
}

const activeUsers = (db: Db) => db.selectFrom('users').select(['id', 'email', 'name', 'locale']).where('disabled_at', 'is', null);

export const counsellorsOfSchool = (db: Db, schoolId: string): Promise<Recipient[]> =>
  activeUsers(db).where('role', '=', 'counsellor').where('school_id', '=', schoolId).orderBy('email').execute();

export const coordinatorsOfCompany = (db: Db, companyId: string): Promise<Recipient[]> =>
  activeUsers(db).where('role', '=', 'company_coordinator').where('company_id', '=', companyId).orderBy('email').execute();

export const activeUser = (db: Db, id: string): Promise<Recipient | undefined> => activeUsers(db).where('id', '=', id).executeTakeFirst();

export function pupilsByIds(db: Db, ids: readonly string[]): Promise<PupilRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('pupils').selectAll().where('id', 'in', [...ids]).orderBy('class_name').orderBy('family_name').orderBy('given_name').execute();
}

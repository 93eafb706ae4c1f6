import type { Db } from '../db/database.ts';
import type { SessionUser } from '../http/context.ts';
import { forbidden, notFound } from '../http/errors.ts';
import type { Translate } from '../i18n/index.ts';
import { isApprovedMember } from '../organisations/organisations.service.ts';
import { pupilName } from '../pupils/identity.ts';
import { toBooking, type Booking } from './booking.ts';
import * as repo from './bookings.repository.ts';
import { nameable } from './notifications.ts';

/** A booking with its pupil named as the viewer may see them. */
export interface BookingWithPupil extends Booking {
  pupil: { name: string; className: string; school: string };
}

/** Bookings of one slot as the viewer may see them: a counsellor sees their own school's, the company and its networks' coordinators all. */
export async function bookingsOfSlotFor(db: Db, viewer: SessionUser, slotId: string): Promise<Booking[]> {
  const slot = await db.selectFrom('slots').select(['id', 'company_id']).where('id', '=', slotId).executeTakeFirst();
  if (!slot) throw notFound();
  switch (viewer.role) {
    case 'counsellor':
      return (await repo.bookingsOfSlot(db, slotId, viewer.schoolId)).map(toBooking);
    case 'company_coordinator':
      if (viewer.companyId !== slot.company_id) throw forbidden();
      break;
    case 'network_coordinator': {
      if (!(await isApprovedMember(db, viewer.networkId!, 'company', slot.company_id))) throw forbidden();
      // Only the network's own schools' bookings: a company may work with several networks.
      const all = await repo.bookingsOfSlot(db, slotId);
      const members = await Promise.all([...new Set(all.map((b) => b.school_id))].map(async (id) => [id, await isApprovedMember(db, viewer.networkId!, 'school', id)] as const));
      const ofNetwork = new Set(members.filter(([, yes]) => yes).map(([id]) => id));
      return all.filter((b) => ofNetwork.has(b.school_id)).map(toBooking);
    }
    case 'platform_admin':
      break;
  }
  return (await repo.bookingsOfSlot(db, slotId)).map(toBooking);
}

/** Every booking of one pupil: for their school's counsellors, their network's coordinators and the admin. */
export async function bookingsOfPupilFor(db: Db, viewer: SessionUser, pupilId: string): Promise<Booking[]> {
  const pupil = await db.selectFrom('pupils').select(['id', 'school_id']).where('id', '=', pupilId).executeTakeFirst();
  if (!pupil) throw notFound();
  const allowed =
    viewer.role === 'platform_admin' ||
    (viewer.role === 'counsellor' && viewer.schoolId === pupil.school_id) ||
    (viewer.role === 'network_coordinator' && (await isApprovedMember(db, viewer.networkId!, 'school', pupil.school_id)));
  if (!allowed) throw forbidden();
  return (await repo.bookingsOfPupil(db, pupilId)).map(toBooking);
}

/** Adds each booking's pupil, named for the viewer: by name inside the school, protected identities outside it only by class and code. */
export async function withPupils(db: Db, viewer: SessionUser, bookings: Booking[], t: Translate): Promise<BookingWithPupil[]> {
  const pupils = new Map((await repo.pupilsByIds(db, [...new Set(bookings.map((b) => b.pupilId))])).map((p) => [p.id, p]));
  const schools = new Map<string, string>();
  for (const schoolId of new Set(bookings.map((b) => b.schoolId))) schools.set(schoolId, await repo.schoolName(db, schoolId));
  return bookings.map((b) => {
    const p = pupils.get(b.pupilId)!;
    const school = schools.get(b.schoolId) ?? '';
    const audience = viewer.role === 'counsellor' ? (viewer.schoolId === b.schoolId ? 'school' : 'follow_up') : viewer.role === 'company_coordinator' ? 'outside' : 'follow_up';
    return { ...b, pupil: { name: pupilName(nameable(p), audience, school, t), className: p.class_name, school } };
  });
}

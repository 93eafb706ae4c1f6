import type { DateTime } from 'luxon';
import type { Db } from '../db/database.ts';
import type { SessionUser } from '../http/context.ts';
import { AppError, forbidden, invalidFields, notFound, type FieldProblems } from '../http/errors.ts';
import { translator, type Locale, type MessageKey, type Params, type Translate } from '../i18n/index.ts';
import { pupilName } from '../pupils/identity.ts';
import { formatDate, formatDateTime, formatRange, fromDbInstant, toDbInstant } from '../time/stockholm.ts';
import { recordChanges, type BookingChange } from './audit.ts';
import { newBookingRow, toBooking, type Booking, type BookingActor } from './booking.ts';
import * as repo from './bookings.repository.ts';
import { rethrowAsBookingError } from './constraints.ts';
import { nameable, sendNotices, type NotifyDeps } from './notifications.ts';
import { holdOn, holdText, roundHolds, type RoundHold } from '../scheduler/round-holds.ts';

export { cancelBooking, cancelBookingsOfCancelledSlots, cancelLiveBookingsOfPupils, promoteWaitlisted } from './cancellation.service.ts';
export type { Booking, BookingActor } from './booking.ts';

export type BookingDeps = NotifyDeps;

export interface BookRequest {
  slotId: string;
  /** In the counsellor's order: when seats run out (and the waitlist is chosen), the first get them. */
  pupilIds: string[];
  /** Put whoever does not get a seat on the waitlist, instead of refusing the whole group. */
  waitlist: boolean;
}

export const MAX_GROUP = 200;

/** The actor of a request: the signed-in user, and whether it came through a page or the API. */
export const actorOf = (user: SessionUser, via: 'ui' | 'api', ip: string | null): BookingActor => ({ userId: user.id, role: user.role, via, ip });

/**
 * Why a slot cannot be booked now, or null when it can; `held` is a round's hold on it, if any
 * (round-holds.ts: pages pass it; bookPupils checks holds per pupil, as they depend on the grade).
 */
export function closedReason(slot: repo.LockedSlot, now: DateTime, locale: Locale, held: string | null = null): string | null {
  const t = translator(locale);
  const nowIso = toDbInstant(now);
  if (slot.status === 'cancelled') return t('bookings.closed_cancelled');
  if (slot.status !== 'published') return t('bookings.closed_not_published');
  if (slot.starts_at <= nowIso) return t('bookings.closed_started');
  if (slot.booking_opens_at && nowIso < slot.booking_opens_at) return t('bookings.closed_not_yet', { when: formatDateTime(slot.booking_opens_at, locale) });
  // Booking closes at a midnight, the end of the last day one could book: name that day.
  if (slot.booking_closes_at && slot.booking_closes_at <= nowIso) return t('bookings.closed_window', { when: formatDate(fromDbInstant(slot.booking_closes_at).minus({ milliseconds: 1 }), locale) });
  return held;
}

interface Problem {
  code: 'slot_not_open' | 'not_eligible' | 'already_booked' | 'pupil_overlap';
  key: MessageKey;
  params: Params;
}

// A round's hold comes first: it closes the slot for the pupil, as closedReason does for everyone.
const PRIORITY: Problem['code'][] = ['slot_not_open', 'not_eligible', 'already_booked', 'pupil_overlap'];

/**
 * Books pupils of the counsellor's school into a slot: all of them, or none (a group booking
 * is all or nothing). With `waitlist`, those who do not get a seat go on the slot's waitlist.
 * Run it in a transaction: the slot and the pupils are locked first, then everything is
 * checked and explained by name; the database's constraints hold even if a check were wrong.
 */
export async function bookPupils(db: Db, deps: BookingDeps, user: SessionUser, actor: BookingActor, request: BookRequest, now: DateTime, locale: Locale = 'sv'): Promise<Booking[]> {
  const t = translator(locale);
  if (user.role !== 'counsellor' || !user.schoolId) throw forbidden();
  const pupilIds = [...new Set(request.pupilIds)];
  if (pupilIds.length === 0) throw invalidFields({ pupilIds: { key: 'bookings.choose_pupils' } });
  if (pupilIds.length > MAX_GROUP) throw invalidFields({ pupilIds: { key: 'bookings.too_many_pupils', params: { max: MAX_GROUP } } });

  const slot = await repo.lockSlot(db, request.slotId);
  if (!slot || slot.published_at === null) throw notFound();
  if (!(await repo.schoolWorksWithCompany(db, user.schoolId, slot.company_id))) throw notFound();
  const why = closedReason(slot, now, locale);
  if (why) throw new AppError('slot_not_open', { params: { why } });
  // A round holds the slot only for pupils it may place there (its grades): asked once, checked per pupil.
  const holds = await roundHolds(db, slot, user.schoolId, now);

  const pupils = await repo.lockPupils(db, pupilIds);
  if (pupils.length !== pupilIds.length) throw notFound();
  const foreign = pupils.filter((p) => p.school_id !== user.schoolId);
  if (foreign.length > 0) throw new AppError('forbidden', { fields: Object.fromEntries(foreign.map((p) => [p.id, { key: 'bookings.problem_other_school' }])) });

  const byId = new Map(pupils.map((p) => [p.id, p]));
  const ordered = pupilIds.map((id) => byId.get(id)!);
  const problems = await problemsOf(db, slot, ordered, holds, t, locale);
  if (problems.size > 0) throw groupError(problems, t);

  const left = slot.capacity - slot.booked_count;
  if (ordered.length > left && !request.waitlist) throw new AppError('slot_full', { params: { left: Math.max(0, left), count: ordered.length } });

  const at = toDbInstant(now);
  let position = ordered.length > left ? await repo.nextWaitlistPosition(db, slot.id) : 0;
  const created: repo.BookingRow[] = [];
  for (const [index, pupil] of ordered.entries()) {
    const confirmed = index < left;
    const row = newBookingRow({ slot, pupilId: pupil.id, schoolId: pupil.school_id, bookedBy: user.id, at }, confirmed ? null : position++);
    await repo.insertBooking(db, row).catch(rethrowAsBookingError);
    created.push(row);
  }
  await recordChanges(db, actor, created.map((row): BookingChange => ({ booking: row, action: row.status === 'confirmed' ? 'booked' : 'waitlisted', from: null, to: row.status })), now);
  const notices = (['confirmed', 'waitlisted'] as const).map((status) => ({
    kind: 'booked' as const,
    slotId: slot.id,
    schoolId: user.schoolId!,
    status,
    pupilIds: created.filter((r) => r.status === status).map((r) => r.pupil_id),
    counsellorIds: [user.id],
  }));
  await sendNotices(db, deps, notices, now);
  return created.map(toBooking);
}

/** Each pupil's first problem with this slot: a round's hold, grade, a booking already here, or a clash elsewhere. */
async function problemsOf(db: Db, slot: repo.LockedSlot, pupils: repo.PupilRow[], holds: RoundHold[], t: Translate, locale: Locale): Promise<Map<string, Problem>> {
  const grades = await repo.gradesOfSlot(db, slot.id);
  const ids = pupils.map((p) => p.id);
  const already = new Set((await repo.liveBookingsInSlot(db, slot.id, ids)).map((b) => b.pupil_id));
  const clashes = await repo.confirmedClashes(db, ids, slot.starts_at, slot.ends_at, slot.id);
  const problems = new Map<string, Problem>();
  for (const p of pupils) {
    // The counsellor's own school: pupils are named.
    const pupil = pupilName(nameable(p), 'school', '', t);
    const clash = clashes.find((c) => c.pupil_id === p.id);
    const hold = holdOn(holds, p.grade);
    if (hold) {
      problems.set(p.id, { code: 'slot_not_open', key: 'rounds.problem_held', params: { pupil, why: holdText(hold, locale) } });
    } else if (!grades.includes(p.grade)) {
      problems.set(p.id, { code: 'not_eligible', key: 'bookings.problem_grade', params: { pupil, grade: gradeName(p.grade, t), grades: grades.map((g) => gradeName(g, t)).join(', ') } });
    } else if (already.has(p.id)) {
      problems.set(p.id, { code: 'already_booked', key: 'bookings.problem_already', params: { pupil } });
    } else if (clash) {
      problems.set(p.id, { code: 'pupil_overlap', key: 'bookings.problem_overlap', params: { pupil, clash: `${clash.company_name}, ${formatRange(clash.starts_at, clash.ends_at, locale)}` } });
    }
  }
  return problems;
}

const gradeName = (grade: string, t: Translate) => t(`slots.grade_${grade}` as MessageKey);

/**
 * One error for the group: the most basic problem's code, naming its pupil, and every pupil's
 * problem as a field. A round's hold names every held pupil: the others could be booked.
 */
function groupError(problems: Map<string, Problem>, t: Translate): AppError {
  const all = [...problems.values()];
  const first = PRIORITY.map((code) => all.find((p) => p.code === code)).find((p) => p !== undefined)!;
  const fields: FieldProblems = {};
  for (const [pupilId, p] of problems) fields[pupilId] = { key: p.key, params: p.params };
  if (first.code !== 'slot_not_open') return new AppError(first.code, { params: first.params, fields });
  const held = all.filter((p) => p.code === 'slot_not_open').map((p) => String(p.params.pupil));
  return new AppError('slot_not_open', { params: { why: `${String(first.params.why)} ${t('rounds.held_pupils', { pupils: held.join(', ') })}` }, fields });
}

import type { DateTime } from 'luxon';
import { fillWaitingSeats, slotsWithWaitingSeats } from '../bookings/waitlist-sweep.ts';
import { bookAllocation, type AllocatedSeat, type SchoolSummary } from '../bookings/allocation-booking.ts';
import type { BookingActor } from '../bookings/booking.ts';
import { lockSlots } from '../bookings/bookings.repository.ts';
import type { NotifyDeps } from '../bookings/notifications.ts';
import type { Db } from '../db/database.ts';
import { isUniqueViolation } from '../db/unique-violation.ts';
import type { SessionUser } from '../http/context.ts';
import { AppError, forbidden, notFound } from '../http/errors.ts';
import { toDbInstant } from '../time/stockholm.ts';
import { inputFingerprint, readAllocationInput } from './allocation-input.ts';
import * as repo from './allocation.repository.ts';
import type { AllocationMetrics } from './allocation.ts';
import { placementsOfRound } from './placements.ts';
import { isWishWindowOpen, type Round } from './round.ts';
import { lockRound } from './rounds.repository.ts';

export interface CommitReceipt {
  id: string;
  status: 'committed';
  /** Bookings made (a series placement makes one per slot). */
  bookings: number;
}

export interface CommitOptions {
  /**
   * The wish window is still open (or has not opened): close it now, in the commit's
   * transaction. Without it, such a commit is refused with wishes_still_open.
   */
  closeWishes?: boolean | undefined;
}

/** The system actor's audit trail entry (the CLI). */
export { SYSTEM_ACTOR } from '../bookings/booking.ts';

/**
 * Commits a ready run: its results become confirmed bookings, all in the caller's ONE
 * transaction (`trx`, from inTransaction). The round is locked (and refused when already
 * committed), then the round's slots in id order, and what the preview read is read again
 * under those locks: if anything differs (a seat booked by hand, a wish changed, a slot
 * cancelled…) the commit is refused as stale and nothing is written. Only a run whose
 * optimality certificate held may be committed, and one made while wishes are still open
 * only when the caller asks to close them (then the window closes now, in this transaction:
 * wishes are set under the same round lock, so none can slip in).
 */
export async function commitAllocation(trx: Db, deps: NotifyDeps, user: SessionUser | null, actor: BookingActor, roundId: string, allocationId: string, now: DateTime, options: CommitOptions = {}): Promise<CommitReceipt> {
  if (user && user.role !== 'network_coordinator') throw forbidden();
  const round = await lockRound(trx, roundId);
  if (!round || (user && user.networkId !== round.networkId)) throw notFound();
  if (round.committedAllocationId) throw new AppError('round_committed');
  const row = await repo.lockAllocationRow(trx, allocationId);
  if (!row || row.round_id !== round.id) throw notFound();
  if (row.status !== 'ready' || !row.input_hash || !row.metrics) throw new AppError('allocation_not_ready');
  const metrics = JSON.parse(row.metrics) as AllocationMetrics;
  if (metrics.certificate !== 'holds') throw new AppError('allocation_unproven');
  const windowOpen = isWishWindowOpen(round, now);
  if (windowOpen && !options.closeWishes) throw new AppError('wishes_still_open');

  const { all } = await placementsOfRound(trx, round, now);
  const slotIds = all.flatMap((p) => p.slotIds).sort();
  // In id order, a thousand at a time (well under both databases' limits on bound values).
  for (let i = 0; i < slotIds.length; i += 1000) await lockSlots(trx, slotIds.slice(i, i + 1000));
  const settings = { placeWithoutWishes: round.placeWithoutWishes, schoolShareCaps: round.schoolShareCaps };
  const input = await readAllocationInput(trx, round, settings, now);
  if (inputFingerprint(input) !== row.input_hash) throw new AppError('allocation_stale');

  const byId = new Map(input.placements.map((p) => [p.id, p]));
  const seats: AllocatedSeat[] = [];
  // The stored rows as they are (their explanations need no reading here), in pupil id order.
  const placed = (await repo.resultRows(trx, allocationId)).filter((r) => r.placement_id !== null).sort((a, b) => (a.pupil_id < b.pupil_id ? -1 : a.pupil_id > b.pupil_id ? 1 : 0));
  for (const result of placed) {
    const placement = byId.get(result.placement_id!);
    if (!placement) throw new AppError('allocation_stale');
    seats.push({ pupilId: result.pupil_id, schoolId: result.school_id, slots: placement.slotIds.map((id, i) => ({ id, starts_at: placement.times[i]!.startsAt, ends_at: placement.times[i]!.endsAt })) });
  }
  const schools: SchoolSummary[] = metrics.schools.map((s) => ({ schoolId: s.schoolId, pupils: s.pupils, placed: s.placed + s.alreadyBooked, firstWish: s.byRank[0] ?? 0, unplaced: s.unplaced }));
  const bookings = await bookAllocation(trx, deps, actor, { allocationId, roundId: round.id, roundName: round.name, seats, schools }, now);

  const at = toDbInstant(now);
  if (windowOpen) await closeWishesNow(trx, round, now);
  try {
    await repo.markCommitted(trx, allocationId, user?.id ?? null, at);
  } catch (error) {
    // Two commits of the round at once: the database allows one committed run per round.
    if (isUniqueViolation(error, 'allocations', 'round_id') || isUniqueViolation(error, 'allocations', 'one_committed')) throw new AppError('round_committed');
    throw error;
  }
  await repo.setRoundCommitted(trx, round.id, allocationId, at);
  // Pupils the round kept on its slots' waitlists move up into seats left free once its hold is
  // over (now, when the round has no free-booking date; else the sweep does it on that date).
  await fillWaitingSeats(trx, deps, actor, await slotsWithWaitingSeats(trx, now, slotIds), now);
  return { id: allocationId, status: 'committed', bookings };
}

/**
 * Ends the wish window now, so the round's dates tell what happened. A window that had not
 * opened yet is moved to end now too (opening a millisecond before, as the table requires).
 */
async function closeWishesNow(trx: Db, round: Round, now: DateTime): Promise<void> {
  const at = toDbInstant(now);
  const patch: { wishes_close_at: string; updated_at: string; wishes_open_at?: string } = { wishes_close_at: at, updated_at: at };
  if (round.wishesOpenAt >= at) patch.wishes_open_at = toDbInstant(now.minus({ milliseconds: 1 }));
  await trx.updateTable('rounds').set(patch).where('id', '=', round.id).execute();
}

import { AppError } from '../http/errors.ts';

/**
 * The database's own refusals, as booking errors. The service checks first (under the locks)
 * to explain a conflict by name; these are what remains if anything ever slips past it.
 */
export function bookingConstraintError(error: unknown): AppError | null {
  const e = error as { code?: string; constraint?: string; message?: string };
  const message = typeof e?.message === 'string' ? e.message : '';
  const unnamed = { pupil: '–', clash: '–', left: 0, count: 1 };
  if ((e?.code === '23514' && e.constraint === 'slots_never_overbooked') || message.includes('slots_never_overbooked')) {
    return new AppError('slot_full', { params: unnamed });
  }
  if ((e?.code === '23P01' && e.constraint === 'bookings_pupil_no_overlap') || message.includes('pupil_overlap')) {
    return new AppError('pupil_overlap', { params: unnamed });
  }
  if (
    (e?.code === '23505' && e.constraint === 'bookings_one_live_per_pupil_and_slot') ||
    message.includes('UNIQUE constraint failed: bookings.slot_id, bookings.pupil_id')
  ) {
    return new AppError('already_booked', { params: unnamed });
  }
  return null;
}

/** Rethrows a database refusal as its booking error, anything else as it is. */
export function rethrowAsBookingError(error: unknown): never {
  throw bookingConstraintError(error) ?? error;
}

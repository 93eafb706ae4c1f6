import type { MessageKey, Params } from '../i18n/index.ts';

/** Stable snake_case codes. One table maps each to its HTTP status. */
export const errorStatus = {
  validation_failed: 422,
  invalid_json: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  forbidden: 403,
  csrf_invalid: 403,
  not_found: 404,
  link_invalid: 410,
  email_taken: 409,
  already_member: 409,
  host_overlap: 409,
  slot_has_bookings: 409,
  slot_cancelled: 409,
  slot_full: 409,
  pupil_overlap: 409,
  already_booked: 409,
  not_eligible: 409,
  slot_not_open: 409,
  booking_past: 409,
  wishes_closed: 409,
  wishes_still_open: 409,
  round_committed: 409,
  allocation_not_ready: 409,
  allocation_stale: 409,
  allocation_running: 409,
  allocation_unproven: 409,
  idempotency_mismatch: 422,
  payload_too_large: 413,
  unsupported_media_type: 415,
  too_many_attempts: 429,
  internal_error: 500,
} as const;

export type ErrorCode = keyof typeof errorStatus;

/** A field's problem: a message key and its parameters (the field's label is added when shown). */
export interface FieldProblem {
  key: MessageKey;
  params?: Params;
  /** A second message shown inside the first as {reason} (e.g. which rule a date in a series breaks). */
  reason?: MessageKey;
}

export type FieldProblems = Record<string, FieldProblem>;

/** A domain error: thrown by services and guards, rendered by the one error handler. */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    readonly options: { fields?: FieldProblems; params?: Params; retryAfterSeconds?: number } = {},
  ) {
    super(code);
    this.name = 'AppError';
    this.status = errorStatus[code];
  }
  get fields(): FieldProblems | undefined {
    return this.options.fields;
  }
}

export const notFound = (): AppError => new AppError('not_found');
export const forbidden = (): AppError => new AppError('forbidden');
export const invalidFields = (fields: FieldProblems): AppError => new AppError('validation_failed', { fields });

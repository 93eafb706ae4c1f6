import type { ApiRoute } from '../api/api.routes.ts';
import { ApiReply, idempotent, parseKey, requestHash } from '../api/idempotency.ts';
import type { AppDeps, SessionUser } from '../http/context.ts';
import { idParamSchema } from '../organisations/organisations.schemas.ts';
import type { Translate } from '../i18n/index.ts';
import type { Db } from '../db/database.ts';
import { inTransaction } from '../db/transaction.ts';
import { actorOf, bookPupils, cancelBooking } from './booking.service.ts';
import type { Booking } from './booking.ts';
import * as s from './bookings.schemas.ts';
import { bookingsOfPupilFor, bookingsOfSlotFor, withPupils, type BookingWithPupil } from './queries.ts';
import { bookPupilUnsafely } from './unsafe-control.ts';

export function bookingJson(b: BookingWithPupil) {
  return {
    id: b.id,
    slotId: b.slotId,
    pupilId: b.pupilId,
    status: b.status,
    startsAt: b.startsAt,
    endsAt: b.endsAt,
    pupil: b.pupil,
    createdAt: b.createdAt,
    confirmedAt: b.confirmedAt,
    waitlistedAt: b.waitlistedAt,
    cancelledAt: b.cancelledAt,
    cancelledBy: b.cancelledParty,
    cancelReason: b.cancelReason,
    lateCancellation: b.cancelledLate,
    attendance: b.attendance,
  };
}

async function jsonOf(db: Db, viewer: SessionUser, bookings: Booking[], t: Translate) {
  return (await withPupils(db, viewer, bookings, t)).map(bookingJson);
}

const BOOKING_CONFLICTS = ['slot_full', 'pupil_overlap', 'already_booked', 'not_eligible', 'slot_not_open'] as const;

/** POST/DELETE/GET /api/v1/bookings. */
export function bookingApiRoutes(deps: AppDeps): ApiRoute[] {
  const { db, config } = deps;
  return [
    {
      method: 'post',
      path: '/bookings',
      operationId: 'createBooking',
      access: ['counsellor'],
      summary:
        "Book one of the caller's school's pupils into a slot: 201 with status \"confirmed\", or \"waitlisted\" when the slot is full and `waitlist` is true. " +
        'A conflict is 409 with its code; another school\'s pupil is 403. Send an Idempotency-Key header to retry safely: a replay returns the first answer, the same key with another body is 422.',
      body: s.bookingRequestSchema,
      response: s.bookingResponseSchema,
      status: 201,
      errors: [...BOOKING_CONFLICTS, 'not_found', 'forbidden', 'idempotency_mismatch'],
      handler: async ({ req, body, user }) => {
        const { t, now, locale, ip } = req.ctx;
        if (config.bookingUnsafeControl) {
          const booking = await bookPupilUnsafely(db, user, body.slotId, body.pupilId, now);
          return new ApiReply(201, (await jsonOf(db, user, [booking], t))[0]);
        }
        const key = parseKey(req.get('idempotency-key'));
        const reply = await idempotent(db, user.id, key, requestHash('POST', '/bookings', body), now, async (trx) => {
          const request = { slotId: body.slotId, pupilIds: [body.pupilId], waitlist: body.waitlist };
          const [booking] = await bookPupils(trx, deps, user, actorOf(user, 'api', ip), request, now, locale);
          return { status: 201, body: (await jsonOf(trx, user, [booking!], t))[0] };
        });
        return new ApiReply(reply.status, reply.body);
      },
    },
    {
      method: 'delete',
      path: '/bookings/:id',
      operationId: 'cancelBooking',
      access: ['counsellor'],
      summary:
        "Cancel a booking of the caller's school, with an optional reason. Answers with the cancelled booking and whoever was promoted from the waitlist into the freed seat. " +
        'Cancelling again changes nothing; a slot that has started is 409 booking_past.',
      params: idParamSchema,
      body: s.cancelBookingRequestSchema,
      response: s.cancelBookingResponseSchema,
      status: 200,
      errors: ['not_found', 'forbidden', 'booking_past'],
      handler: async ({ req, body, params, user }) => {
        const { t, now, ip } = req.ctx;
        return inTransaction(db, async (trx) => {
          const { cancelled, promoted } = await cancelBooking(trx, deps, user, actorOf(user, 'api', ip), params.id, body.reason, now);
          const [json, ...promotedJson] = await jsonOf(trx, user, [cancelled, ...promoted], t);
          return { ...json!, promoted: promotedJson };
        });
      },
    },
    {
      method: 'get',
      path: '/bookings',
      operationId: 'listBookings',
      access: 'signed_in',
      summary:
        'Every booking of one slot (`slotId`) or one pupil (`pupilId`), whatever its status, never paged. ' +
        "A counsellor sees their own school's; a company its own slots'; a network coordinator those of the network's members.",
      query: s.bookingQuerySchema,
      response: s.bookingListSchema,
      status: 200,
      errors: ['not_found', 'forbidden'],
      handler: async ({ req, query, user }) => {
        const bookings = query.slotId ? await bookingsOfSlotFor(db, user, query.slotId) : await bookingsOfPupilFor(db, user, query.pupilId!);
        return { bookings: await jsonOf(db, user, bookings, req.ctx.t) };
      },
    },
  ];
}

import type { Request, Response } from 'express';
import { z } from 'zod';
import { inTransaction } from '../db/transaction.ts';
import type { AppDeps } from '../http/context.ts';
import { AppError, type ErrorCode, type FieldProblems } from '../http/errors.ts';
import { optionalText, plainString } from '../http/fields.ts';
import { handleForm } from '../http/forms.ts';
import { formState, redirectAfterPost, renderPage } from '../http/render.ts';
import type { RouteSpec } from '../http/routes.ts';
import { parseInput } from '../http/validation.ts';
import type { Translate } from '../i18n/index.ts';
import { idParamSchema } from '../organisations/organisations.schemas.ts';
import { actorOf, bookPupils, cancelBooking } from './booking.service.ts';
import { bookFormView, bookingDetailView, schoolBookingsView, type BookFormState, type Look } from './school.view.ts';

const COUNSELLOR = ['counsellor'] as const;

/** A class filter (?class=8B); anything odd is no filter, never an error. */
const className = plainString().trim().min(1).max(40).optional().catch(undefined);
const classQuerySchema = z.object({ class: className });

const bookSchema = z.object({
  pupilIds: z.preprocess(
    (v) => (v === undefined || v === null ? [] : [v].flat()),
    z.array(z.string()).refine((ids) => ids.every((id) => id.length > 0 && id.length <= 64), { message: 'field.invalid' }),
  ),
  waitlist: z.string().max(10).optional(),
  class: className,
});

const cancelSchema = z.object({ reason: optionalText(500) });

/** Booking errors that show the form again, with what went wrong (a 403 only when it names pupils of another school). */
const SHOWN_AGAIN: readonly ErrorCode[] = ['validation_failed', 'slot_full', 'pupil_overlap', 'already_booked', 'not_eligible', 'slot_not_open', 'forbidden'];

const count = z.coerce.number().int().min(0).max(10_000).catch(0);
const noticeSchema = z.object({ booked: count, waitlisted: count, cancelled: count, promoted: count, late: count });

/** The status message after a booking or a cancellation (?booked=3&waitlisted=1, ?cancelled=1&promoted=1&late=1). */
function noticesOf(query: unknown, t: Translate, lateHours: number): string[] {
  const n = noticeSchema.parse(query ?? {});
  const lines: string[] = [];
  if (n.booked > 0) lines.push(n.booked === 1 ? t('school_bookings.booked_one') : t('school_bookings.booked_many', { count: n.booked }));
  if (n.waitlisted > 0) lines.push(n.waitlisted === 1 ? t('school_bookings.waitlisted_one') : t('school_bookings.waitlisted_many', { count: n.waitlisted }));
  if (n.cancelled > 0) lines.push(t('school_bookings.cancelled_notice'));
  if (n.cancelled > 0 && n.late > 0) lines.push(t('school_bookings.cancelled_late_notice', { hours: lateHours }));
  if (n.promoted > 0) lines.push(n.promoted === 1 ? t('school_bookings.promoted_one') : t('school_bookings.promoted_many', { count: n.promoted }));
  return lines;
}

const query = (counts: Record<string, number>) => new URLSearchParams(Object.entries(counts).filter(([, v]) => v > 0).map(([k, v]): [string, string] => [k, String(v)])).toString();

/** Counsellors book their pupils (/school/bookings…): one pupil or a group, the waitlist, cancelling with a reason. */
export function schoolBookingRoutes(deps: AppDeps): RouteSpec[] {
  const { db, config } = deps;
  const lookOf = (req: Request): Look => ({ t: req.ctx.t, locale: req.ctx.locale, now: req.ctx.now });
  const idOf = (params: unknown) => parseInput(idParamSchema, params).id;

  async function showBookForm(res: Response, slotId: string, filter: string | undefined, state: BookFormState = {}) {
    const view = await bookFormView(db, res.req.ctx.user!, slotId, filter, lookOf(res.req), state);
    await renderPage(res, 'bookings/school-book', { title: res.req.ctx.t('school_bookings.book_title', { company: view.slot.companyName }), ...view }, res.statusCode);
  }

  interface BookingState {
    values?: Record<string, unknown>;
    fields?: FieldProblems;
    message?: string;
  }

  async function showBooking(res: Response, bookingId: string, state: BookingState = {}) {
    const { t, user } = res.req.ctx;
    const view = await bookingDetailView(db, user!, bookingId, lookOf(res.req), config.lateCancellationHours);
    await renderPage(
      res,
      'bookings/school-booking',
      { title: t('school_bookings.booking_title', { pupil: view.booking.pupil }), ...view, cancelForm: formState(res, state.values, state.fields), message: state.message ?? null },
      res.statusCode,
    );
  }

  return [
    {
      method: 'get',
      path: '/school/slots/:id/book',
      access: COUNSELLOR,
      handler: (req, res) => showBookForm(res, idOf(req.params), classQuerySchema.parse(req.query ?? {}).class),
    },
    {
      method: 'post',
      path: '/school/slots/:id/book',
      access: COUNSELLOR,
      handler: async (req, res) => {
        const slotId = idOf(req.params);
        const { user, ip, now, locale } = req.ctx;
        try {
          const input = parseInput(bookSchema, req.body);
          const request = { slotId, pupilIds: input.pupilIds, waitlist: (input.waitlist ?? '') !== '' };
          const created = await inTransaction(db, (trx) => bookPupils(trx, deps, user!, actorOf(user!, 'ui', ip), request, now, locale));
          const booked = created.filter((b) => b.status === 'confirmed').length;
          redirectAfterPost(res, `/school/bookings?${query({ booked, waitlisted: created.length - booked })}`);
        } catch (error) {
          if (!(error instanceof AppError) || !SHOWN_AGAIN.includes(error.code)) throw error;
          if (error.code === 'forbidden' && !error.fields) throw error;
          res.status(error.status);
          await showBookForm(res, slotId, classQuerySchema.parse(req.body ?? {}).class, { values: req.body ?? {}, fields: error.fields, error });
        }
      },
    },
    {
      method: 'get',
      path: '/school/bookings',
      access: COUNSELLOR,
      handler: async (req, res) => {
        const { t, user } = req.ctx;
        const filter = classQuerySchema.parse(req.query ?? {}).class;
        const view = await schoolBookingsView(db, user!.schoolId!, filter, lookOf(req), config.lateCancellationHours);
        await renderPage(res, 'bookings/school-bookings', { title: t('school_bookings.list_title'), notices: noticesOf(req.query, t, config.lateCancellationHours), ...view });
      },
    },
    {
      method: 'get',
      path: '/school/bookings/:id',
      access: COUNSELLOR,
      handler: (req, res) => showBooking(res, idOf(req.params)),
    },
    {
      method: 'post',
      path: '/school/bookings/:id/cancel',
      access: COUNSELLOR,
      handler: async (req, res) => {
        const bookingId = idOf(req.params);
        const { user, ip, now, t } = req.ctx;
        try {
          await handleForm(
            res,
            async () => {
              const { reason } = parseInput(cancelSchema, { reason: req.body.reason });
              const { cancelled, promoted } = await inTransaction(db, (trx) => cancelBooking(trx, deps, user!, actorOf(user!, 'ui', ip), bookingId, reason, now));
              redirectAfterPost(res, `/school/bookings?${query({ cancelled: 1, late: cancelled.cancelledLate ? 1 : 0, promoted: promoted.length })}`);
            },
            (values, fields) => showBooking(res, bookingId, { values, fields }),
          );
        } catch (error) {
          // The slot started meanwhile: show the booking again, saying why it cannot be cancelled.
          if (!(error instanceof AppError) || error.code !== 'booking_past') throw error;
          res.status(error.status);
          await showBooking(res, bookingId, { message: t('error.booking_past') });
        }
      },
    },
  ];
}

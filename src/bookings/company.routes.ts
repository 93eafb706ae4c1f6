import type { Response } from 'express';
import { z } from 'zod';
import { inTransaction } from '../db/transaction.ts';
import type { AppDeps } from '../http/context.ts';
import { AppError, type FieldProblems } from '../http/errors.ts';
import { handleForm } from '../http/forms.ts';
import { formState, redirectAfterPost, renderPage } from '../http/render.ts';
import type { RouteSpec } from '../http/routes.ts';
import { parseInput } from '../http/validation.ts';
import { idSchema } from '../organisations/organisations.schemas.ts';
import { ATTENDANCE, ATTENDANCE_DAYS_AFTER, markAttendance, type AttendanceMark } from './attendance.ts';
import { actorOf } from './booking.service.ts';
import { calendarDate, dayList, RECENT_DAYS, slotParticipantsPage, slotsOverview, stockholmDate } from './company.view.ts';

type Values = Record<string, unknown>;
const COORDINATOR = ['company_coordinator'] as const;

const slotParamSchema = z.object({ slotId: idSchema });

/** ?date=2027-04-06 (a Stockholm calendar date); none or empty is today. */
const dayQuerySchema = z.object({
  date: z
    .string()
    .trim()
    .optional()
    .transform((v) => v || undefined)
    .refine((v) => v === undefined || calendarDate(v) !== null, { message: 'company_bookings.date_invalid' }),
});

const FIELD_PREFIX = 'attendance_';
const marksSchema = z.record(z.string(), z.enum(ATTENDANCE, { message: 'company_bookings.attendance_value' }));

/** The attendance form: one radio group per booking, named attendance_<bookingId>; unchosen ones are not sent. */
function readMarks(body: Values): AttendanceMark[] {
  const chosen = Object.fromEntries(Object.entries(body).filter(([key]) => key.startsWith(FIELD_PREFIX)));
  const marks = parseInput(marksSchema, chosen);
  return Object.entries(marks).map(([key, attendance]) => ({ bookingId: key.slice(FIELD_PREFIX.length), attendance }));
}

const NOTICES = { attendance_saved: 'company_bookings.attendance_saved' } as const;

/** The company's side (/company/participants…): who comes to each slot, a printable day list, attendance. */
export function companyBookingRoutes(deps: AppDeps): RouteSpec[] {
  const { db } = deps;

  async function showOverview(res: Response) {
    const { t, locale, user, now } = res.req.ctx;
    const { upcoming, recent } = await slotsOverview(db, user!.companyId!, now, t, locale);
    await renderPage(res, 'bookings/company-participants', {
      title: t('company_bookings.list_title'),
      upcoming,
      recent,
      recentDays: RECENT_DAYS,
      dayForm: formState(res, { date: stockholmDate(now) }),
    });
  }

  async function showSlot(res: Response, slotId: string, values?: Values, fields?: FieldProblems) {
    const { t, locale, user, now } = res.req.ctx;
    const page = await slotParticipantsPage(db, user!, slotId, now, t, locale);
    const key = NOTICES[String(res.req.query.notice) as keyof typeof NOTICES];
    await renderPage(
      res,
      'bookings/company-slot',
      { title: t('company_bookings.slot_title'), ...page, form: formState(res, values, fields), notice: key && !fields ? t(key) : null, days: ATTENDANCE_DAYS_AFTER },
      res.statusCode,
    );
  }

  async function showDayList(res: Response) {
    const { t, locale, user, now } = res.req.ctx;
    const query = res.req.query as Values;
    let date: string;
    try {
      date = parseInput(dayQuerySchema, { date: query.date }).date ?? stockholmDate(now);
    } catch (error) {
      if (!(error instanceof AppError) || !error.fields) throw error;
      // A bad date is shown at its field, with nothing listed.
      await renderPage(res, 'bookings/company-day-list', { title: t('company_bookings.day_list_title'), heading: null, slots: [], form: formState(res, { date: query.date }, error.fields) }, 422);
      return;
    }
    const list = await dayList(db, user!, date, t, locale);
    await renderPage(res, 'bookings/company-day-list', { title: `${t('company_bookings.day_list_title')} ${list.heading}`, ...list, form: formState(res, { date }) });
  }

  const slotIdOf = (params: unknown) => parseInput(slotParamSchema, params).slotId;

  return [
    { method: 'get', path: '/company/participants', access: COORDINATOR, handler: (_req, res) => showOverview(res) },
    { method: 'get', path: '/company/participants/:slotId', access: COORDINATOR, handler: (req, res) => showSlot(res, slotIdOf(req.params)) },
    {
      method: 'post',
      path: '/company/participants/:slotId/attendance',
      access: COORDINATOR,
      handler: async (req, res) => {
        const slotId = slotIdOf(req.params);
        await handleForm(
          res,
          async () => {
            const marks = readMarks(req.body);
            const user = req.ctx.user!;
            await inTransaction(db, (trx) => markAttendance(trx, user, actorOf(user, 'ui', req.ctx.ip), slotId, marks, req.ctx.now));
            redirectAfterPost(res, `/company/participants/${encodeURIComponent(slotId)}?notice=attendance_saved`);
          },
          (values, fields) => showSlot(res, slotId, values, fields),
        );
      },
    },
    { method: 'get', path: '/company/day-list', access: COORDINATOR, handler: (_req, res) => showDayList(res) },
  ];
}

import type { Response } from 'express';
import { actorOf } from '../bookings/booking.service.ts';
import { cancelSeriesWithBookings, updateSeriesAndFill } from '../bookings/slot-changes.ts';
import { inTransaction } from '../db/transaction.ts';
import type { AppDeps } from '../http/context.ts';
import type { FieldProblems } from '../http/errors.ts';
import { handleForm } from '../http/forms.ts';
import { formState, redirectAfterPost, renderPage } from '../http/render.ts';
import type { RouteSpec } from '../http/routes.ts';
import { parseInput } from '../http/validation.ts';
import { idParamSchema } from '../organisations/organisations.schemas.ts';
import { toDbInstant } from '../time/stockholm.ts';
import { contentFormValues, formChoices, readContentForm, readSeriesForm, handleSlotForm } from './slots.form.ts';
import { cancelSchema } from './slots.schemas.ts';
import * as service from './slots.service.ts';
import { slotView } from './slots.view.ts';

type Values = Record<string, unknown>;
const COORDINATOR = ['company_coordinator'] as const;

/** Series: many slots with the same content, made at once, edited and cancelled together. */
export function seriesRoutes(deps: AppDeps): RouteSpec[] {
  const { db } = deps;
  async function showNew(res: Response, values?: Values, fields?: FieldProblems) {
    const { t, user } = res.req.ctx;
    const choices = await formChoices(db, user!, t);
    const defaults = { siteId: choices.sites[0]?.value, format: 'shadow_day', startTime: '08:00', endTime: '12:00', weekdays: ['1', '2', '3', '4', '5'] };
    await renderPage(res, 'slots/series-new', { title: t('slots.series_new_title'), form: formState(res, values ?? defaults, fields), choices }, res.statusCode);
  }

  async function showSeries(res: Response, id: string, state: { values?: Values; fields?: FieldProblems; cancel?: [Values, FieldProblems] } = {}) {
    const { t, locale, user, now } = res.req.ctx;
    const slots = await service.getSeries(db, user!, id);
    const editable = slots.filter((s) => s.status !== 'cancelled' && s.startsAt > toDbInstant(now));
    const model = editable[0] ?? slots[0]!;
    await renderPage(
      res,
      'slots/series',
      {
        title: t('slots.series_title'),
        seriesId: id,
        slots: slots.map((s) => slotView(s, t, locale)),
        editableCount: editable.length,
        hasDrafts: editable.some((s) => s.status === 'draft'),
        form: formState(res, state.values ?? contentFormValues(model), state.fields),
        cancelForm: formState(res, state.cancel?.[0], state.cancel?.[1]),
        choices: await formChoices(db, user!, t),
      },
      res.statusCode,
    );
  }

  const seriesId = (params: unknown) => parseInput(idParamSchema, params).id;

  return [
    { method: 'get', path: '/company/series/new', access: COORDINATOR, handler: (_req, res) => showNew(res) },
    {
      method: 'post',
      path: '/company/series/new',
      access: COORDINATOR,
      handler: (req, res) =>
        handleSlotForm(
          res,
          async () => {
            const { fields, occurrences } = readSeriesForm(req.body, req.ctx.locale);
            const created = await db.transaction().execute((trx) => service.createSeries(trx, req.ctx.user!, fields, occurrences, req.ctx.now, req.ctx.locale));
            redirectAfterPost(res, `/company/series/${created.seriesId}`);
          },
          (values, fields) => showNew(res, values, fields),
        ),
    },
    { method: 'get', path: '/company/series/:id', access: COORDINATOR, handler: (req, res) => showSeries(res, seriesId(req.params)) },
    {
      method: 'post',
      path: '/company/series/:id',
      access: COORDINATOR,
      handler: async (req, res) => {
        const id = seriesId(req.params);
        await handleSlotForm(
          res,
          async () => {
            const fields = readContentForm(req.body);
            await inTransaction(db, (trx) => updateSeriesAndFill(trx, deps, req.ctx.user!, actorOf(req.ctx.user!, 'ui', req.ctx.ip), id, fields, req.ctx.now, req.ctx.locale));
            redirectAfterPost(res, `/company/series/${id}`);
          },
          (values, fields) => showSeries(res, id, { values, fields }),
        );
      },
    },
    {
      method: 'post',
      path: '/company/series/:id/cancel',
      access: COORDINATOR,
      handler: async (req, res) => {
        const id = seriesId(req.params);
        await handleForm(
          res,
          async () => {
            const { reason } = parseInput(cancelSchema, { reason: req.body.reason });
            await inTransaction(db, (trx) => cancelSeriesWithBookings(trx, deps, req.ctx.user!, actorOf(req.ctx.user!, 'ui', req.ctx.ip), id, reason, req.ctx.now));
            redirectAfterPost(res, `/company/series/${id}`);
          },
          (values, fields) => showSeries(res, id, { cancel: [values, fields] }),
        );
      },
    },
  ];
}

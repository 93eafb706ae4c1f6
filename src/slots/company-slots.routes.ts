import type { Response } from 'express';
import type { AppDeps } from '../http/context.ts';
import type { FieldProblems } from '../http/errors.ts';
import { handleForm } from '../http/forms.ts';
import { formState, redirectAfterPost, renderPage } from '../http/render.ts';
import type { RouteSpec } from '../http/routes.ts';
import { parseInput } from '../http/validation.ts';
import { idParamSchema } from '../organisations/organisations.schemas.ts';
import { formChoices, readSlotForm, slotFormValues, handleSlotForm } from './slots.form.ts';
import { cancelSchema } from './slots.schemas.ts';
import * as service from './slots.service.ts';
import { actorOf } from '../bookings/booking.service.ts';
import { cancelSlotWithBookings, updateSlotAndFill } from '../bookings/slot-changes.ts';
import { inTransaction } from '../db/transaction.ts';
import { slotView } from './slots.view.ts';

type Values = Record<string, unknown>;
const COORDINATOR = ['company_coordinator'] as const;

/** A company's own slots: the list, a new slot, editing, publishing and cancelling one. */
export function companySlotRoutes(deps: AppDeps): RouteSpec[] {
  const { db } = deps;
  async function showList(res: Response) {
    const { t, locale, user, now } = res.req.ctx;
    const slots = await service.upcomingSlotsOfCompany(db, user!.companyId!, now);
    await renderPage(res, 'slots/list', { title: t('slots.list_title'), slots: slots.map((s) => slotView(s, t, locale)) });
  }

  async function showNew(res: Response, values?: Values, fields?: FieldProblems) {
    const { t, user } = res.req.ctx;
    const choices = await formChoices(db, user!, t);
    const defaults = { siteId: choices.sites[0]?.value, format: 'shadow_day', startTime: '08:00', endTime: '12:00' };
    await renderPage(res, 'slots/new', { title: t('slots.new_title'), form: formState(res, values ?? defaults, fields), choices }, res.statusCode);
  }

  interface EditState {
    values?: Values;
    fields?: FieldProblems;
    cancel?: [Values, FieldProblems];
  }

  async function showEdit(res: Response, id: string, state: EditState = {}) {
    const { t, locale, user } = res.req.ctx;
    const slot = await service.getOwnSlot(db, user!, id);
    const choices = await formChoices(db, user!, t);
    await renderPage(
      res,
      'slots/edit',
      {
        title: t('slots.edit_title'),
        slot: slotView(slot, t, locale),
        form: formState(res, state.values ?? slotFormValues(slot), state.fields),
        cancelForm: formState(res, state.cancel?.[0], state.cancel?.[1]),
        timeLocked: slot.bookedCount > 0,
        choices,
      },
      res.statusCode,
    );
  }

  const slotId = (params: unknown) => parseInput(idParamSchema, params).id;

  return [
    { method: 'get', path: '/company/slots', access: COORDINATOR, handler: (_req, res) => showList(res) },
    { method: 'get', path: '/company/slots/new', access: COORDINATOR, handler: (_req, res) => showNew(res) },
    {
      method: 'post',
      path: '/company/slots/new',
      access: COORDINATOR,
      handler: (req, res) =>
        handleSlotForm(
          res,
          async () => {
            const { fields, occurrence } = readSlotForm(req.body);
            await db.transaction().execute((trx) => service.createSlot(trx, req.ctx.user!, fields, occurrence, req.ctx.now));
            redirectAfterPost(res, '/company/slots');
          },
          (values, fields) => showNew(res, values, fields),
        ),
    },
    { method: 'get', path: '/company/slots/:id', access: COORDINATOR, handler: (req, res) => showEdit(res, slotId(req.params)) },
    {
      method: 'post',
      path: '/company/slots/:id',
      access: COORDINATOR,
      handler: async (req, res) => {
        const id = slotId(req.params);
        await handleSlotForm(
          res,
          async () => {
            const { fields, occurrence } = readSlotForm(req.body);
            await inTransaction(db, (trx) => updateSlotAndFill(trx, deps, req.ctx.user!, actorOf(req.ctx.user!, 'ui', req.ctx.ip), id, fields, occurrence, req.ctx.now));
            redirectAfterPost(res, '/company/slots');
          },
          (values, fields) => showEdit(res, id, { values, fields }),
        );
      },
    },
    {
      method: 'post',
      path: '/company/slots/:id/publish',
      access: COORDINATOR,
      handler: async (req, res) => {
        const id = slotId(req.params);
        await handleSlotForm(
          res,
          async () => {
            await db.transaction().execute((trx) => service.publishSlot(trx, req.ctx.user!, id, req.ctx.now));
            redirectAfterPost(res, `/company/slots/${id}`);
          },
          (_values, fields) => showEdit(res, id, { fields }),
        );
      },
    },
    {
      method: 'post',
      path: '/company/slots/:id/cancel',
      access: COORDINATOR,
      handler: async (req, res) => {
        const id = slotId(req.params);
        await handleForm(
          res,
          async () => {
            const { reason } = parseInput(cancelSchema, { reason: req.body.reason });
            await inTransaction(db, (trx) => cancelSlotWithBookings(trx, deps, req.ctx.user!, actorOf(req.ctx.user!, 'ui', req.ctx.ip), id, reason, req.ctx.now));
            redirectAfterPost(res, `/company/slots/${id}`);
          },
          (values, fields) => showEdit(res, id, { cancel: [values, fields] }),
        );
      },
    },
  ];
}

import type { Request, Response } from 'express';
import { z } from 'zod';
import { inTransaction } from '../db/transaction.ts';
import type { AppDeps } from '../http/context.ts';
import type { FieldProblems } from '../http/errors.ts';
import { optionalText } from '../http/fields.ts';
import { handleForm } from '../http/forms.ts';
import { formState, redirectAfterPost, renderPage } from '../http/render.ts';
import type { RouteSpec } from '../http/routes.ts';
import { parseInput } from '../http/validation.ts';
import { idParamSchema } from '../organisations/organisations.schemas.ts';
import { schoolProfile } from '../organisations/organisations.service.ts';
import { currentLinkTokens, pupilLinkUrl } from './links.ts';
import { pupilFormChoices, pupilFormValues, readPupilForm } from './pupils.form.ts';
import { createPupil, getPupilOfSchool, listPupilsOfSchool, updatePupil } from './pupils.service.ts';
import { byClass, noticeOf, pupilView, withNotice } from './pupils.view.ts';
import { removePupils, upcomingBookingCount } from './removal.service.ts';

type Values = Record<string, unknown>;
export const COUNSELLOR = ['counsellor'] as const;
const deleteSchema = z.object({ reason: optionalText(500) });

/**
 * The register itself: the list by class, adding, editing and deleting one pupil. The routes
 * with an id come last, so that fixed paths mounted before them (/school/pupils/import …) win.
 */
export function registerRoutes(deps: AppDeps): RouteSpec[] {
  const { db, config } = deps;

  /** The form's choices, with what a company would see of this pupil (or an example one). */
  async function choicesFor(res: Response, pupil?: { className: string; code: string }) {
    const { t, user } = res.req.ctx;
    const { school } = await schoolProfile(db, user!, user!.schoolId!);
    return pupilFormChoices(t, { className: pupil?.className ?? '8B', school: school.name, code: pupil?.code ?? 'K7Q2MX' });
  }

  async function showNew(res: Response, values: Values = {}, fields?: FieldProblems) {
    const { t } = res.req.ctx;
    await renderPage(res, 'pupils/new', { title: t('pupils.new_title'), form: formState(res, values, fields), choices: await choicesFor(res) }, res.statusCode);
  }

  interface EditState {
    values?: Values;
    fields?: FieldProblems;
    deletion?: [Values, FieldProblems];
  }

  async function showEdit(res: Response, id: string, state: EditState = {}) {
    const { t, locale, user, now } = res.req.ctx;
    const pupil = await getPupilOfSchool(db, user!, id);
    const token = (await currentLinkTokens(db, config.sessionSecret, pupil.schoolId, [pupil.id])).get(pupil.id);
    await renderPage(
      res,
      'pupils/edit',
      {
        title: t('pupils.edit_title'),
        notice: noticeOf(res.req),
        pupil: pupilView(pupil, t, locale),
        linkUrl: token ? pupilLinkUrl(config.baseUrl, token) : null,
        upcomingBookings: await upcomingBookingCount(db, [pupil], now),
        form: formState(res, state.values ?? pupilFormValues(pupil), state.fields),
        deleteForm: formState(res, state.deletion?.[0], state.deletion?.[1]),
        choices: await choicesFor(res, pupil),
      },
      res.statusCode,
    );
  }

  const pupilId = (req: Request) => parseInput(idParamSchema, req.params).id;

  return [
    {
      method: 'get',
      path: '/school/pupils',
      access: COUNSELLOR,
      handler: async (req, res) => {
        const { t, locale, user } = req.ctx;
        const pupils = await listPupilsOfSchool(db, user!.schoolId!);
        await renderPage(res, 'pupils/list', { title: t('pupils.list_title'), notice: noticeOf(req), count: pupils.length, classes: byClass(pupils, t, locale) });
      },
    },
    { method: 'get', path: '/school/pupils/new', access: COUNSELLOR, handler: (_req, res) => showNew(res) },
    {
      method: 'post',
      path: '/school/pupils/new',
      access: COUNSELLOR,
      handler: (req, res) =>
        handleForm(
          res,
          async () => {
            const fields = readPupilForm(req.body);
            const pupil = await inTransaction(db, (trx) => createPupil(trx, req.ctx.user!, fields, req.ctx.now));
            redirectAfterPost(res, withNotice(`/school/pupils/${pupil.id}`, 'created'));
          },
          (values, fields) => showNew(res, values, fields),
        ),
    },
    { method: 'get', path: '/school/pupils/:id', access: COUNSELLOR, handler: (req, res) => showEdit(res, pupilId(req)) },
    {
      method: 'post',
      path: '/school/pupils/:id',
      access: COUNSELLOR,
      handler: async (req, res) => {
        const id = pupilId(req);
        await handleForm(
          res,
          async () => {
            const fields = readPupilForm(req.body);
            await inTransaction(db, (trx) => updatePupil(trx, req.ctx.user!, id, fields, req.ctx.now));
            redirectAfterPost(res, withNotice(`/school/pupils/${id}`, 'saved'));
          },
          (values, fields) => showEdit(res, id, { values, fields }),
        );
      },
    },
    {
      method: 'post',
      path: '/school/pupils/:id/delete',
      access: COUNSELLOR,
      handler: async (req, res) => {
        const id = pupilId(req);
        await handleForm(
          res,
          async () => {
            const { reason } = parseInput(deleteSchema, { reason: req.body.reason });
            const result = await inTransaction(db, async (trx) => {
              const pupil = await getPupilOfSchool(trx, req.ctx.user!, id);
              return removePupils(trx, deps, req.ctx.user!, [pupil.id], reason, req.ctx.now, 'ui');
            });
            redirectAfterPost(res, withNotice('/school/pupils', 'deleted', { count: result.removed, bookings: result.cancelledBookings }));
          },
          (values, fields) => showEdit(res, id, { deletion: [values, fields] }),
        );
      },
    },
  ];
}

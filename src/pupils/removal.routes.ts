import type { Response } from 'express';
import { z } from 'zod';
import { inTransaction } from '../db/transaction.ts';
import type { AppDeps } from '../http/context.ts';
import { invalidFields, type FieldProblems } from '../http/errors.ts';
import { optionalText } from '../http/fields.ts';
import { handleForm } from '../http/forms.ts';
import { formState, redirectAfterPost, renderPage } from '../http/render.ts';
import type { RouteSpec } from '../http/routes.ts';
import { parseInput } from '../http/validation.ts';
import { classesOfSchool } from './pupils.service.ts';
import { removalQuerySchema } from './pupils.schemas.ts';
import { withNotice } from './pupils.view.ts';
import { pupilsChosenForRemoval, removePupils, upcomingBookingCount, type RemovalChoice } from './removal.service.ts';
import { COUNSELLOR } from './register.routes.ts';

const reasonSchema = z.object({ reason: optionalText(500) });

const choiceOf = (input: unknown): RemovalChoice => {
  const { classes, all } = removalQuerySchema.parse(input);
  return { classes, all: all !== undefined };
};

/** End of term: choose classes (or the whole school), see what goes, confirm. */
export function removalRoutes(deps: AppDeps): RouteSpec[] {
  const { db } = deps;

  async function showPage(res: Response, choice: RemovalChoice, values: Record<string, unknown> = {}, fields?: FieldProblems) {
    const { t, user, now } = res.req.ctx;
    const classes = await classesOfSchool(db, user!.schoolId!);
    const chosen = choice.all || choice.classes.length > 0;
    const pupils = chosen ? await pupilsChosenForRemoval(db, user!, choice) : [];
    const chosenClasses = [...new Set(pupils.map((p) => p.className))];
    await renderPage(
      res,
      'pupils/remove',
      {
        title: t('pupils.remove_title'),
        classes: classes.map((c) => ({ value: c.className, label: t('pupils.class_with_count', { className: c.className, count: c.pupils }) })),
        total: classes.reduce((sum, c) => sum + c.pupils, 0),
        choice,
        chosen,
        summary: chosen
          ? {
              pupils: pupils.length,
              classes: chosenClasses.join(', '),
              bookings: await upcomingBookingCount(db, pupils, now),
            }
          : null,
        form: formState(res, values, fields),
      },
      res.statusCode,
    );
  }

  return [
    { method: 'get', path: '/school/pupils/remove', access: COUNSELLOR, handler: (req, res) => showPage(res, choiceOf(req.query)) },
    {
      method: 'post',
      path: '/school/pupils/remove',
      access: COUNSELLOR,
      handler: async (req, res) => {
        const choice = choiceOf(req.body);
        await handleForm(
          res,
          async () => {
            const { reason } = parseInput(reasonSchema, { reason: req.body.reason });
            if (req.body.confirmRemoval !== '1') throw invalidFields({ confirmRemoval: { key: 'pupils.remove_confirm_missing' } });
            if (!choice.all && choice.classes.length === 0) throw invalidFields({ confirmRemoval: { key: 'pupils.remove_nothing_chosen' } });
            const result = await inTransaction(db, async (trx) => {
              const pupils = await pupilsChosenForRemoval(trx, req.ctx.user!, choice);
              return removePupils(trx, deps, req.ctx.user!, pupils.map((p) => p.id), reason, req.ctx.now, 'ui');
            });
            redirectAfterPost(res, withNotice('/school/pupils', 'removed', { count: result.removed, bookings: result.cancelledBookings }));
          },
          (values, fields) => showPage(res, choice, values, fields),
        );
      },
    },
  ];
}

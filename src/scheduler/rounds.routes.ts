import type { Response } from 'express';
import { z } from 'zod';
import { inTransaction } from '../db/transaction.ts';
import type { AppDeps } from '../http/context.ts';
import { AppError, type FieldProblems } from '../http/errors.ts';
import { handleForm } from '../http/forms.ts';
import { formState, redirectAfterPost, renderPage } from '../http/render.ts';
import type { RouteSpec } from '../http/routes.ts';
import { parseInput } from '../http/validation.ts';
import { idParamSchema } from '../organisations/organisations.schemas.ts';
import { GRADES } from '../slots/minors.ts';
import type { Round } from './round.ts';
import { newRoundValues, readRoundForm, roundFormValues, toFormFields, type Values } from './rounds.form.ts';
import type { RoundInput } from './rounds.schemas.ts';
import * as service from './rounds.service.ts';
import { roundListView, roundOverviewView, schoolFields, type Look } from './rounds.view.ts';

const COORDINATOR = ['network_coordinator'] as const;

/** ?created=1 or ?saved=1 after a form (anything else: no notice). */
const noticeSchema = z.object({ created: z.literal('1').optional().catch(undefined), saved: z.literal('1').optional().catch(undefined) });

/** Pages: the coordinator's round pages (/network/rounds…): the list, a new round, its overview, editing it. */
export function roundRoutes({ db }: AppDeps): RouteSpec[] {
  const lookOf = (res: Response): Look => ({ t: res.req.ctx.t, locale: res.req.ctx.locale, now: res.req.ctx.now });
  const idOf = (params: unknown) => parseInput(idParamSchema, params).id;

  async function showForm(res: Response, round: Round | null, values: Values, fields?: FieldProblems) {
    const { t, user } = res.req.ctx;
    const choices = await service.schoolChoices(db, service.networkOf(user!));
    await renderPage(
      res,
      'scheduler/rounds-form',
      {
        title: round ? t('rounds.edit_title', { name: round.name }) : t('rounds.new_title'),
        round: round ? { id: round.id, committed: round.committedAllocationId !== null } : null,
        action: round ? `/network/rounds/${round.id}/edit` : '/network/rounds/new',
        form: formState(res, values, fields),
        schools: schoolFields(choices, values, t),
        grades: GRADES.map((g) => ({ value: g, label: t(`slots.grade_${g}`) })),
      },
      res.statusCode,
    );
  }

  /** Reads the form and runs the service; its problems are shown at the form's own fields. */
  async function save(res: Response, run: (input: RoundInput) => Promise<Round>, current?: Round): Promise<Round> {
    const choices = await service.schoolChoices(db, service.networkOf(res.req.ctx.user!));
    const input = readRoundForm(res.req.body ?? {}, choices, current);
    try {
      return await run(input);
    } catch (error) {
      if (error instanceof AppError && error.fields) throw new AppError(error.code, { ...error.options, fields: toFormFields(error.fields, input.schools) });
      throw error;
    }
  }

  return [
    {
      method: 'get',
      path: '/network/rounds',
      access: COORDINATOR,
      handler: async (_req, res) => {
        const { t, user } = res.req.ctx;
        const rounds = await service.roundsOfOwnNetwork(db, user!);
        await renderPage(res, 'scheduler/rounds-list', { title: t('rounds.title'), rounds: roundListView(rounds, lookOf(res)) });
      },
    },
    { method: 'get', path: '/network/rounds/new', access: COORDINATOR, handler: (_req, res) => showForm(res, null, newRoundValues()) },
    {
      method: 'post',
      path: '/network/rounds/new',
      access: COORDINATOR,
      handler: (req, res) =>
        handleForm(
          res,
          async () => {
            const user = req.ctx.user!;
            const round = await save(res, (input) => inTransaction(db, (trx) => service.createRound(trx, user, service.networkOf(user), input, req.ctx.now)));
            redirectAfterPost(res, `/network/rounds/${round.id}?created=1`);
          },
          (values, fields) => showForm(res, null, values, fields),
        ),
    },
    {
      method: 'get',
      path: '/network/rounds/:id',
      access: COORDINATOR,
      handler: async (req, res) => {
        const look = lookOf(res);
        const round = await service.getOwnRound(db, req.ctx.user!, idOf(req.params));
        const schools = await service.schoolsInRound(db, round, look.now);
        const notice = noticeSchema.parse(req.query ?? {});
        await renderPage(res, 'scheduler/rounds-show', {
          title: round.name,
          round: roundOverviewView(round, schools, look),
          notice: notice.created ? look.t('rounds.created') : notice.saved ? look.t('rounds.saved') : null,
        });
      },
    },
    {
      method: 'get',
      path: '/network/rounds/:id/edit',
      access: COORDINATOR,
      handler: async (req, res) => {
        const round = await service.getOwnRound(db, req.ctx.user!, idOf(req.params));
        await showForm(res, round, roundFormValues(round));
      },
    },
    {
      method: 'post',
      path: '/network/rounds/:id/edit',
      access: COORDINATOR,
      handler: async (req, res) => {
        const round = await service.getOwnRound(db, req.ctx.user!, idOf(req.params));
        await handleForm(
          res,
          async () => {
            await save(res, (input) => inTransaction(db, (trx) => service.updateRound(trx, req.ctx.user!, round.id, input, req.ctx.now)), round);
            redirectAfterPost(res, `/network/rounds/${round.id}?saved=1`);
          },
          (values, fields) => showForm(res, round, values, fields),
        );
      },
    },
  ];
}

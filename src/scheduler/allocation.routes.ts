import type { Request, Response } from 'express';
import { z } from 'zod';
import { plainString } from '../http/fields.ts';
import { actorOf } from '../bookings/booking.service.ts';
import { inTransaction } from '../db/transaction.ts';
import type { AppDeps } from '../http/context.ts';
import { AppError, notFound, type FieldProblems } from '../http/errors.ts';
import { formState, redirectAfterPost, renderPage } from '../http/render.ts';
import type { RouteSpec } from '../http/routes.ts';
import { parseInput } from '../http/validation.ts';
import { idSchema } from '../organisations/organisations.schemas.ts';
import { pupilLinkReader } from '../bookings/pupil-page.routes.ts';
import { commitAllocation } from './allocation-commit.ts';
import { pupilResultView, schoolResultsView } from './allocation-school.view.ts';
import { allocationsOfRound, getAllocation, MAX_SEED, roundForAllocation, startAllocation } from './allocation.service.ts';
import { runPath, runsView, runView, type Look } from './allocation.view.ts';
import { findRound } from './rounds.repository.ts';
import { pupilInRound } from './wishes.service.ts';

const COORDINATOR = ['network_coordinator'] as const;
const COUNSELLOR = ['counsellor'] as const;

const roundParams = z.object({ id: idSchema });
const runParams = z.object({ id: idSchema, allocationId: idSchema });
const pupilParams = z.object({ token: plainString().max(200), roundId: plainString().max(100) });

/** The start form: an optional seed (a whole number), and "run early" while wishes are open. */
const startSchema = z.object({
  seed: z
    .string()
    .trim()
    .regex(/^\d{0,10}$/, { message: 'allocation.seed_invalid' })
    .refine((v) => v === '' || Number(v) <= MAX_SEED, { message: 'allocation.seed_invalid' })
    .optional(),
  early: z.string().max(10).optional(),
});

/** The commit form: "close the wishes now", shown while the wish window is open. */
const commitSchema = z.object({ closeWishes: z.string().max(10).optional() });

/** Pages: the coordinator's runs, preview and commit; the school's results; the pupil's own result. */
export function allocationRoutes(deps: AppDeps): RouteSpec[] {
  const { db } = deps;
  const lookOf = (req: Request): Look => ({ t: req.ctx.t, locale: req.ctx.locale, now: req.ctx.now });

  async function showRuns(res: Response, roundId: string, state: { values?: Record<string, unknown>; fields?: FieldProblems; message?: string } = {}) {
    const { user, t, now } = res.req.ctx;
    const round = await roundForAllocation(db, user, roundId);
    const view = runsView(round, await allocationsOfRound(db, round, now), lookOf(res.req));
    const title = t('allocation.runs_title', { round: round.name });
    await renderPage(res, 'scheduler/allocation-runs', { title, ...view, form: formState(res, state.values ?? {}, state.fields), message: state.message ?? null }, res.statusCode);
  }

  async function showRun(res: Response, roundId: string, allocationId: string, state: { message?: string; values?: Record<string, unknown>; fields?: FieldProblems } = {}) {
    const { user, now } = res.req.ctx;
    const { round, allocation } = await getAllocation(db, user, roundId, allocationId, now);
    const view = await runView(db, round, allocation, lookOf(res.req));
    await renderPage(res, 'scheduler/allocation-run', { ...view, message: state.message ?? null, form: formState(res, state.values ?? {}, state.fields) }, res.statusCode);
  }

  async function start(req: Request, res: Response) {
    const { id } = parseInput(roundParams, req.params);
    const { user, now, t } = req.ctx;
    try {
      const input = parseInput(startSchema, req.body);
      const options = { seed: input.seed ? Number(input.seed) : undefined, early: (input.early ?? '') !== '' };
      const { allocation } = await startAllocation(db, deps, user, id, options, now);
      redirectAfterPost(res, runPath(id, allocation.id));
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      const fields: FieldProblems | undefined = error.code === 'wishes_still_open' ? { early: { key: 'error.wishes_still_open' } } : error.fields;
      if (!fields && error.code !== 'round_committed' && error.code !== 'allocation_running') throw error;
      res.status(error.status);
      await showRuns(res, id, { values: req.body ?? {}, fields, message: fields ? undefined : t(`error.${error.code}` as 'error.round_committed') });
    }
  }

  async function commit(req: Request, res: Response) {
    const { id, allocationId } = parseInput(runParams, req.params);
    const { user, now, ip, t } = req.ctx;
    const input = commitSchema.safeParse(req.body ?? {});
    const closeWishes = input.success && (input.data.closeWishes ?? '') !== '';
    try {
      await inTransaction(db, (trx) => commitAllocation(trx, deps, user, actorOf(user!, 'ui', ip), id, allocationId, now, { closeWishes }));
      redirectAfterPost(res, runPath(id, allocationId));
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      if (error.code === 'wishes_still_open') {
        res.status(error.status);
        return showRun(res, id, allocationId, { values: req.body ?? {}, fields: { closeWishes: { key: 'allocation.close_wishes_required' } } });
      }
      if (!['allocation_stale', 'allocation_not_ready', 'allocation_unproven', 'round_committed'].includes(error.code)) throw error;
      res.status(error.status);
      await showRun(res, id, allocationId, { message: t(`error.${error.code}` as 'error.allocation_stale') });
    }
  }

  // The link is the credential: as on the pupil's own page (private headers, the same "link does not work" page).
  const pupilOfLink = pupilLinkReader(deps);


  return [
    { method: 'get', path: '/network/rounds/:id/allocations', access: COORDINATOR, handler: (req, res) => showRuns(res, parseInput(roundParams, req.params).id) },
    { method: 'post', path: '/network/rounds/:id/allocations', access: COORDINATOR, handler: start },
    {
      method: 'get',
      path: '/network/rounds/:id/allocations/:allocationId',
      access: COORDINATOR,
      handler: (req, res) => {
        const { id, allocationId } = parseInput(runParams, req.params);
        return showRun(res, id, allocationId);
      },
    },
    {
      method: 'get',
      path: '/network/rounds/:id/allocations/:allocationId/progress',
      access: COORDINATOR,
      handler: async (req, res) => {
        const { id, allocationId } = parseInput(runParams, req.params);
        const { allocation } = await getAllocation(db, req.ctx.user, id, allocationId, req.ctx.now);
        res.json({ status: allocation.status, progress: allocation.progress });
      },
    },
    { method: 'post', path: '/network/rounds/:id/allocations/:allocationId/commit', access: COORDINATOR, handler: commit },
    {
      method: 'get',
      path: '/school/rounds/:id/results',
      access: COUNSELLOR,
      handler: async (req, res) => {
        const schoolId = req.ctx.user!.schoolId;
        const round = await findRound(db, parseInput(roundParams, req.params).id);
        if (!round || !schoolId || !round.schools.some((s) => s.schoolId === schoolId)) throw notFound();
        const view = await schoolResultsView(db, round, schoolId, lookOf(req));
        await renderPage(res, 'scheduler/allocation-results', { ...view, round: { id: round.id, name: round.name } });
      },
    },
    {
      method: 'get',
      path: '/p/:token/rounds/:roundId',
      access: 'public',
      handler: async (req, res) => {
        const found = await pupilOfLink(req, res, pupilParams);
        if (!found) return;
        const round = await findRound(db, found.params.roundId);
        const { pupil } = found;
        if (!round || !pupilInRound(round, pupil)) throw notFound();
        const view = await pupilResultView(db, round, pupil, lookOf(req));
        await renderPage(res, 'scheduler/allocation-pupil', { ...view, backHref: `/p/${encodeURIComponent(req.params.token as string)}` });
      },
    },
  ];
}

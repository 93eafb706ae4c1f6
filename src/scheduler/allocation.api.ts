import { z } from 'zod';
import type { ApiRoute } from '../api/api.routes.ts';
import { actorOf } from '../bookings/booking.service.ts';
import type { Db } from '../db/database.ts';
import { inTransaction } from '../db/transaction.ts';
import type { AppDeps } from '../http/context.ts';
import { AppError } from '../http/errors.ts';
import { idSchema } from '../organisations/organisations.schemas.ts';
import { commitAllocation } from './allocation-commit.ts';
import { allocationSummaries, getAllocation, MAX_SEED, startAllocation, waitForAllocation } from './allocation.service.ts';
import type { Allocation } from './allocation.ts';

const runParams = z.object({ id: idSchema, allocationId: idSchema });
const roundParams = z.object({ id: idSchema });

export const allocationRequestSchema = z
  .object({
    seed: z.number().int().min(0).max(MAX_SEED).optional().describe('The lottery that settles ties; the same seed gives the same result. Random when left out.'),
    early: z.boolean().optional().describe('Run although the wish window is still open (otherwise 409 wishes_still_open).'),
  })
  .strict();

export const commitRequestSchema = z
  .object({
    closeWishes: z
      .boolean()
      .optional()
      .describe('While the wish window is still open (or has not opened): close it now and commit (otherwise 409 wishes_still_open). The window then ends at the time of the commit.'),
  })
  .strict();

const OUTCOMES = ['placed', 'placed_without_wish', 'unplaced', 'already_booked', 'no_wishes', 'no_eligible_placement'] as const;

const metricsSchema = z.object({
  pupils: z.number().int().describe('Every pupil of the round: placed + unplaced + alreadyBooked.'),
  placed: z.number().int().describe('Placed by this allocation (from a wish, or in a free seat without one).'),
  unplaced: z.number().int().describe('Neither placed by this allocation nor booked by hand: the results whose placementId is null.'),
  byRank: z.array(z.number().int()).describe('byRank[r − 1]: how many got their wish of rank r.'),
  alreadyBooked: z.number().int().describe('Booked into the round by hand before the run: not placed again, and counted neither in placed nor in unplaced.'),
  wishing: z.number().int(),
  placedWithoutWish: z.number().int(),
  certificate: z.union([z.literal('holds'), z.array(z.string())]).describe("'holds' when the optimality certificate checked out; else the problems found."),
});

export const allocationResponseSchema = z.object({
  id: z.string(),
  seed: z.number().int(),
  status: z.enum(['running', 'ready', 'failed', 'committed']),
  progress: z.number().int().min(0).max(100),
  metrics: metricsSchema.nullable().describe('Null until the run is ready.'),
  results: z.array(
    z.object({
      pupilId: z.string(),
      placementId: z
        .string()
        .nullable()
        .describe(
          "A slot id, or a series id: the placement given, or for outcome already_booked the round's placement the pupil was booked into by hand (the allocation books nothing for them). Null only for an unplaced pupil.",
        ),
      rank: z.number().int().nullable().describe('The rank (1-based) of the wish granted; null when unplaced, placed without a wish, or already booked by hand.'),
      outcome: z.enum(OUTCOMES),
    }),
  ),
});

export const commitResponseSchema = z.object({ id: z.string(), status: z.literal('committed'), bookings: z.number().int().describe('Bookings made: one per slot (a series has several).') });

async function previewJson(db: Db, allocation: Allocation) {
  const m = allocation.metrics;
  const ready = m !== null && (allocation.status === 'ready' || allocation.status === 'committed');
  const results = ready ? await allocationSummaries(db, allocation.id) : [];
  return {
    id: allocation.id,
    seed: allocation.seed,
    status: allocation.status,
    progress: allocation.progress,
    metrics: ready ? { pupils: m.pupils, placed: m.placed, unplaced: m.unplaced, byRank: m.byRank, alreadyBooked: m.alreadyBooked, wishing: m.wishing, placedWithoutWish: m.placedWithoutWish, certificate: m.certificate } : null,
    results,
  };
}

/** POST/GET /api/v1/rounds/{id}/allocations…: run a preview, read it, commit it. */
export function allocationApiRoutes(deps: AppDeps): ApiRoute[] {
  const { db } = deps;
  return [
    {
      method: 'post',
      path: '/rounds/:id/allocations',
      operationId: 'createAllocation',
      access: ['network_coordinator'],
      summary:
        "Run the round's allocation as a preview and answer when it is done (the solve runs in a worker thread). Allowed once the wish window has closed, or earlier with early: true. " +
        'Nothing is booked until the preview is committed. 409 allocation_running while another run of the round (or too many runs at once) is still going.',
      params: roundParams,
      body: allocationRequestSchema,
      bodyOptional: true,
      response: allocationResponseSchema,
      status: 201,
      errors: ['not_found', 'wishes_still_open', 'round_committed', 'allocation_running'],
      handler: async ({ req, body, params, user }) => {
        const { allocation } = await startAllocation(db, deps, user, params.id, { seed: body.seed, early: body.early }, req.ctx.now);
        await waitForAllocation(allocation.id);
        const { allocation: done } = await getAllocation(db, user, params.id, allocation.id, req.ctx.now);
        if (done.status === 'failed') throw new AppError('internal_error');
        return previewJson(db, done);
      },
    },
    {
      method: 'get',
      path: '/rounds/:id/allocations/:allocationId',
      operationId: 'getAllocation',
      access: ['network_coordinator'],
      summary: 'One allocation run of the round: its status and progress, and once ready its metrics and one result per pupil.',
      params: runParams,
      response: allocationResponseSchema,
      status: 200,
      errors: ['not_found'],
      handler: async ({ req, params, user }) => previewJson(db, (await getAllocation(db, user, params.id, params.allocationId, req.ctx.now)).allocation),
    },
    {
      method: 'post',
      path: '/rounds/:id/allocations/:allocationId/commit',
      operationId: 'commitAllocation',
      access: ['network_coordinator'],
      summary:
        "Commit a ready preview: every placed pupil is booked (one booking per slot of a series), in one transaction, and each school's counsellors and each company's coordinators get a summary. " +
        '409 allocation_stale when anything the preview read has changed since (then run a new preview); nothing is booked then. ' +
        "409 allocation_unproven when the preview's optimality certificate did not hold. While the wish window is still open, 409 wishes_still_open unless the body says closeWishes: true. The body is optional.",
      params: runParams,
      body: commitRequestSchema,
      bodyOptional: true,
      response: commitResponseSchema,
      status: 200,
      errors: ['not_found', 'allocation_stale', 'allocation_not_ready', 'allocation_unproven', 'wishes_still_open', 'round_committed'],
      handler: async ({ req, body, params, user }) =>
        inTransaction(db, (trx) => commitAllocation(trx, deps, user, actorOf(user, 'api', req.ctx.ip), params.id, params.allocationId, req.ctx.now, { closeWishes: body.closeWishes })),
    },
  ];
}

import type { DateTime } from 'luxon';
import type { ApiRoute } from '../api/api.routes.ts';
import type { Db } from '../db/database.ts';
import { inTransaction } from '../db/transaction.ts';
import type { AppDeps, SessionUser } from '../http/context.ts';
import { forbidden, notFound } from '../http/errors.ts';
import { idParamSchema } from '../organisations/organisations.schemas.ts';
import { getPupil } from '../pupils/pupils.service.ts';
import { roundPhase, type Round } from './round.ts';
import { findRound } from './rounds.repository.ts';
import * as s from './rounds.schemas.ts';
import { createRound } from './rounds.service.ts';
import { setWishes, wishesOf, type Wish } from './wishes.service.ts';

export function roundJson(round: Round, now: DateTime) {
  return {
    id: round.id,
    name: round.name,
    networkId: round.networkId,
    schools: round.schools.map((x) => ({ schoolId: x.schoolId, name: x.schoolName, from: x.from, to: x.to })),
    wishesOpen: round.wishesOpenAt,
    wishesClose: round.wishesCloseAt,
    maxWishes: round.maxWishes,
    grades: round.grades,
    allocationPlanned: round.allocationPlannedAt,
    freeBookingOpens: round.freeBookingOpensAt,
    placeWithoutWishes: round.placeWithoutWishes,
    schoolShareCaps: round.schoolShareCaps,
    phase: roundPhase(round, now),
    committedAllocationId: round.committedAllocationId,
  };
}

const wishesJson = (roundId: string, pupilId: string, wishes: readonly Wish[]) => ({
  roundId,
  pupilId,
  placements: wishes.map((w) => ({ rank: w.rank, placementId: w.placementId, kind: w.kind })),
});

/** A round the caller may see: its network's coordinator, or a counsellor of a school in it (others: 403). */
async function visibleRound(db: Db, user: SessionUser, id: string): Promise<Round> {
  const round = await findRound(db, id);
  if (!round) throw notFound();
  const coordinator = user.role === 'network_coordinator' && user.networkId === round.networkId;
  const counsellor = user.role === 'counsellor' && round.schools.some((x) => x.schoolId === user.schoolId);
  if (!coordinator && !counsellor) throw forbidden();
  return round;
}

/** A pupil of the counsellor's own school (another school's pupil is 403, as for bookings). */
async function ownPupil(db: Db, user: SessionUser, pupilId: string) {
  const pupil = await getPupil(db, pupilId);
  if (pupil.schoolId !== user.schoolId) throw forbidden();
  return pupil;
}

/** POST/GET /api/v1/rounds, and a pupil's wishes in a round. */
export function roundApiRoutes({ db }: AppDeps): ApiRoute[] {
  return [
    {
      method: 'post',
      path: '/rounds',
      operationId: 'createRound',
      access: ['network_coordinator'],
      summary:
        "Create a round in the caller's own network (another network is 403): the participating schools (approved members) with their own prao dates, the wish window, " +
        'how many wishes each pupil may rank (default 5) and which grades take part (default 8 and 9). Every problem is named by its field, e.g. `schools.0.to`.',
      body: s.roundRequestSchema,
      response: s.roundResponseSchema,
      status: 201,
      errors: ['forbidden'],
      handler: async ({ req, body, user }) => {
        const round = await inTransaction(db, (trx) => createRound(trx, user, body.networkId, s.roundInputOf(body), req.ctx.now));
        return roundJson(round, req.ctx.now);
      },
    },
    {
      method: 'get',
      path: '/rounds/:id',
      operationId: 'getRound',
      access: ['network_coordinator', 'counsellor'],
      summary: "One round: for its network's coordinator, and for counsellors of the schools taking part (others are 403).",
      params: idParamSchema,
      response: s.roundResponseSchema,
      status: 200,
      errors: ['not_found', 'forbidden'],
      handler: async ({ req, params, user }) => roundJson(await visibleRound(db, user, params.id), req.ctx.now),
    },
    {
      method: 'get',
      path: '/rounds/:id/pupils/:pupilId/wishes',
      operationId: 'getWishes',
      access: ['counsellor'],
      summary: "A pupil's wishes in a round, in rank order (the caller's own school's pupils only).",
      params: s.roundPupilParamsSchema,
      response: s.wishesResponseSchema,
      status: 200,
      errors: ['not_found', 'forbidden'],
      handler: async ({ params, user }) => {
        const round = await visibleRound(db, user, params.id);
        const pupil = await ownPupil(db, user, params.pupilId);
        return wishesJson(round.id, pupil.id, await wishesOf(db, round.id, pupil.id));
      },
    },
    {
      method: 'put',
      path: '/rounds/:id/pupils/:pupilId/wishes',
      operationId: 'putWishes',
      access: ['counsellor'],
      summary:
        "Replace a pupil's ranked wishes (the caller's own school's pupils only; another school's pupil is 403). Only while the wish window is open (409 wishes_closed). " +
        'Each placement must be one the pupil may have: inside their school\'s prao dates, for their grade, and not clashing with a booking they already have; ' +
        'a problem is named by its place in the list (`placements.1` is wish 2). When wishes are entered never matters.',
      params: s.roundPupilParamsSchema,
      body: s.wishesRequestSchema,
      response: s.wishesResponseSchema,
      status: 200,
      errors: ['not_found', 'forbidden', 'wishes_closed'],
      handler: async ({ req, params, body, user }) => {
        const round = await visibleRound(db, user, params.id);
        const pupil = await ownPupil(db, user, params.pupilId);
        const wishes = await inTransaction(db, (trx) => setWishes(trx, round, pupil, body.placements, user.id, req.ctx.now));
        return wishesJson(round.id, pupil.id, wishes);
      },
    },
  ];
}

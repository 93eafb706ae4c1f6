import { randomUUID } from 'node:crypto';
import supertest from 'supertest';
import { issueLink } from '../../src/pupils/links.ts';
import type { Pupil } from '../../src/pupils/pupils.service.ts';
import type { SessionUser } from '../../src/http/context.ts';
import type { Insertable } from 'kysely';
import type { AllocationsTable, PlacementKind } from '../../src/db/types.ts';
import { toDbInstant } from '../../src/time/stockholm.ts';
import { findRound } from '../../src/scheduler/rounds.repository.ts';
import type { Round } from '../../src/scheduler/round.ts';
import { csrfFrom, signIn, type Agent, type TestContext } from './app.ts';
import { PASSWORD } from './factories.ts';
import { apiUser, type ApiUser } from './api.ts';
import { makeBookingWorld, type BookingWorld } from './bookings.ts';

/**
 * Rounds for tests, written straight to the database (the round's own forms and API have
 * tests of their own). The default round: wishes open 1–31 March 2027 (TEST_NOW, 16 March,
 * is inside), grades 8 and 9, every school of the world with prao 5–9 April 2027.
 */
export interface RoundWorld extends BookingWorld {
  networkCoordinator: ApiUser;
  round: Round;
}

export interface RoundOptions {
  name?: string;
  wishesOpenAt?: string;
  wishesCloseAt?: string;
  maxWishes?: number;
  grades?: string[];
  placeWithoutWishes?: boolean;
  schoolShareCaps?: boolean;
  freeBookingOpensAt?: string | null;
  /** Per school (by index in the world): prao dates, local, both included. */
  dates?: { from: string; to: string }[];
}

export async function makeRound(ctx: TestContext, world: BookingWorld, createdBy: SessionUser | null, options: RoundOptions = {}): Promise<Round> {
  const id = randomUUID();
  const at = toDbInstant(ctx.clock.now());
  await ctx.db
    .insertInto('rounds')
    .values({
      id,
      network_id: world.networkId,
      name: options.name ?? 'Prao vt 2027',
      wishes_open_at: options.wishesOpenAt ?? '2027-02-28T23:00:00.000Z',
      wishes_close_at: options.wishesCloseAt ?? '2027-03-31T22:00:00.000Z',
      max_wishes: options.maxWishes ?? 5,
      grades: (options.grades ?? ['8', '9']).join(' '),
      allocation_planned_at: null,
      free_booking_opens_at: options.freeBookingOpensAt ?? null,
      place_without_wishes: options.placeWithoutWishes ? 1 : 0,
      school_share_caps: options.schoolShareCaps ? 1 : 0,
      committed_allocation_id: null,
      created_by: createdBy?.id ?? null,
      created_at: at,
      updated_at: at,
    })
    .execute();
  for (const [i, side] of world.schools.entries()) {
    const dates = options.dates?.[i] ?? { from: '2027-04-05', to: '2027-04-09' };
    await ctx.db.insertInto('round_schools').values({ round_id: id, school_id: side.school.id, from_date: dates.from, to_date: dates.to }).execute();
  }
  return (await findRound(ctx.db, id))!;
}

/** A booking world (one network, a company, schools with pupils in 8B), its network coordinator (with an API token) and a round. */
export async function makeRoundWorld(ctx: TestContext, options: { schools?: number; pupils?: number; hosts?: number; round?: RoundOptions } = {}): Promise<RoundWorld> {
  const world = await makeBookingWorld(ctx, options);
  const networkCoordinator = await apiUser(ctx, 'network_coordinator', world.networkId);
  const round = await makeRound(ctx, world, networkCoordinator.user, options.round);
  return { ...world, networkCoordinator, round };
}

/** Writes a pupil's wishes straight to the database (placement ids in rank order). */
export async function putWishes(ctx: TestContext, roundId: string, pupilId: string, placements: { id: string; kind?: PlacementKind }[]): Promise<void> {
  await ctx.db.deleteFrom('round_wishes').where('round_id', '=', roundId).where('pupil_id', '=', pupilId).execute();
  const at = toDbInstant(ctx.clock.now());
  for (const [i, p] of placements.entries()) {
    await ctx.db
      .insertInto('round_wishes')
      .values({ round_id: roundId, pupil_id: pupilId, rank: i + 1, placement_id: p.id, placement_kind: p.kind ?? 'slot', entered_by: null, updated_at: at })
      .execute();
  }
}

// ---- added for the round, wish and pupil-link tests ----

/** A signed-in browser for an existing user (e.g. the world's coordinator or a counsellor). */
export function agentOf(ctx: TestContext, user: SessionUser): Promise<Agent> {
  return signIn(ctx.app, user.email, PASSWORD);
}

/** A valid round form for the world: every school with prao 5–9 April 2027, wishes 1–31 March. */
export function roundForm(world: BookingWorld, extra: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  const form: Record<string, string | string[]> = {
    name: 'Prao vt 2027',
    schools: world.schools.map((s) => s.school.id),
    wishesOpen: '2027-03-01T08:00',
    wishesClose: '2027-03-31T16:00',
    maxWishes: '5',
    grades: ['8', '9'],
    allocationPlanned: '',
    freeBookingOpens: '',
  };
  for (const side of world.schools) {
    form[`from_${side.school.id}`] = '2027-04-05';
    form[`to_${side.school.id}`] = '2027-04-09';
  }
  return { ...form, ...extra };
}

/** A valid POST /api/v1/rounds body for the world. */
export function roundBody(world: BookingWorld, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'Prao vt 2027',
    networkId: world.networkId,
    schools: world.schools.map((s) => ({ schoolId: s.school.id, from: '2027-04-05', to: '2027-04-09' })),
    wishesOpen: '2027-03-01T08:00:00+01:00',
    wishesClose: '2027-03-31T16:00:00+02:00',
    ...extra,
  };
}

/** Marks the round as committed (the allocation's own tests commit for real). */
export async function markCommitted(ctx: TestContext, roundId: string): Promise<void> {
  const at = toDbInstant(ctx.clock.now());
  const { id } = await insertAllocationRow(ctx, roundId, { status: 'committed', progress: 100, created_at: at, finished_at: at, committed_at: at });
  await ctx.db.updateTable('rounds').set({ committed_allocation_id: id }).where('id', '=', roundId).execute();
}

/**
 * An allocation row written straight to the database (a run "of another process", or one
 * left behind): running at 20 % from now, with no heartbeat, unless `row` says otherwise.
 */
export async function insertAllocationRow(ctx: TestContext, roundId: string, row: Partial<Insertable<AllocationsTable>> = {}) {
  const values = {
    id: randomUUID(),
    round_id: roundId,
    seed: 5,
    status: 'running' as const,
    progress: 20,
    place_without_wishes: 0,
    school_share_caps: 0,
    input_hash: null,
    metrics: null,
    error: null,
    created_by: null,
    created_at: toDbInstant(ctx.clock.now()),
    finished_at: null,
    committed_at: null,
    committed_by: null,
    heartbeat_at: null,
    ...row,
  };
  await ctx.db.insertInto('allocations').values(values).execute();
  return values;
}

/** The stored wishes of a pupil, as placement ids in rank order. */
export async function storedWishes(ctx: TestContext, roundId: string, pupilId: string): Promise<string[]> {
  const rows = await ctx.db.selectFrom('round_wishes').select(['placement_id']).where('round_id', '=', roundId).where('pupil_id', '=', pupilId).orderBy('rank').execute();
  return rows.map((r) => r.placement_id);
}


/** A phone's browser on a pupil's link: it keeps the CSRF cookie like a browser does; `press` posts a wish form of a round. */
export async function pupilBrowser(ctx: TestContext, pupil: Pupil) {
  const token = await issueLink(ctx.db, ctx.config.sessionSecret, pupil.id, ctx.clock.now());
  const agent = supertest.agent(ctx.app);
  const page = () => agent.get(`/p/${token}/wishes`);
  async function press(roundId: string, form: Record<string, string>) {
    const csrf = csrfFrom((await page()).text);
    return agent.post(`/p/${token}/wishes/${roundId}`).type('form').send({ _csrf: csrf, ...form });
  }
  return { token, agent, page, press };
}

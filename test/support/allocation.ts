import { randomUUID } from 'node:crypto';
import type { Insertable } from 'kysely';
import supertest from 'supertest';
import type { Database } from '../../src/db/types.ts';
import { seededRandom } from '../../src/scheduler/solver.ts';
import { toDbInstant } from '../../src/time/stockholm.ts';
import type { Pupil } from '../../src/pupils/pupils.service.ts';
import { inTransaction } from '../../src/db/transaction.ts';
import { actorOf } from '../../src/bookings/booking.service.ts';
import { commitAllocation, type CommitOptions } from '../../src/scheduler/allocation-commit.ts';
import { allocationResults, getAllocation, startAllocation, type StartOptions } from '../../src/scheduler/allocation.service.ts';
import type { AllocationResult } from '../../src/scheduler/allocation.ts';
import { findRound } from '../../src/scheduler/rounds.repository.ts';
import type { TestContext } from './app.ts';
import { book, makeSchoolSide, worldSlot, type SchoolSide } from './bookings.ts';
import { makeRoundWorld, type RoundOptions, type RoundWorld } from './rounds.ts';
import { pino } from 'pino';

/**
 * Allocation tests: a round whose wish window closed yesterday (so a run may start without
 * "early"), runs through the service, and commits.
 */
export const CLOSED_WINDOW = { wishesOpenAt: '2027-02-28T23:00:00.000Z', wishesCloseAt: '2027-03-15T23:00:00.000Z' };

export function allocationWorld(ctx: TestContext, options: { schools?: number; pupils?: number; hosts?: number; round?: RoundOptions } = {}): Promise<RoundWorld> {
  return makeRoundWorld(ctx, { hosts: 4, ...options, round: { ...CLOSED_WINDOW, ...options.round } });
}

const deps = (ctx: TestContext) => ({ logger: pino({ level: 'silent' }), mailer: ctx.mailer, config: ctx.config });

/** Runs an allocation as the world's network coordinator and waits for it to end. */
export async function runAllocation(ctx: TestContext, world: RoundWorld, options: StartOptions = {}) {
  const user = world.networkCoordinator.user;
  const { allocation, done } = await startAllocation(ctx.db, deps(ctx), user, world.round.id, options, ctx.clock.now());
  await done;
  return (await getAllocation(ctx.db, user, world.round.id, allocation.id, ctx.clock.now())).allocation;
}

/** Commits a run as the world's network coordinator (`options`: e.g. close the wish window when it is open). */
export function commitRun(ctx: TestContext, world: RoundWorld, allocationId: string, options: CommitOptions = {}) {
  const user = world.networkCoordinator.user;
  return inTransaction(ctx.db, (trx) => commitAllocation(trx, deps(ctx), user, actorOf(user, 'ui', null), world.round.id, allocationId, ctx.clock.now(), options));
}

export const resultsOf = (ctx: TestContext, allocationId: string) => allocationResults(ctx.db, allocationId);

export function resultOf(results: readonly AllocationResult[], pupil: Pupil): AllocationResult {
  const found = results.find((r) => r.pupilId === pupil.id);
  if (!found) throw new Error(`no result for ${pupil.givenName}`);
  return found;
}

/** The round as stored now. */
export async function reloadRound(ctx: TestContext, world: RoundWorld): Promise<RoundWorld> {
  return { ...world, round: (await findRound(ctx.db, world.round.id))! };
}

/**
 * Runs `work` while the round does not hold its slots (its wish window moved to the future for
 * the moment): the state a round meets when pupils were booked before it began.
 */
export async function beforeTheRound<T>(ctx: TestContext, world: RoundWorld, work: () => Promise<T>): Promise<T> {
  const { wishes_open_at, wishes_close_at } = await ctx.db.selectFrom('rounds').select(['wishes_open_at', 'wishes_close_at']).where('id', '=', world.round.id).executeTakeFirstOrThrow();
  await ctx.db.updateTable('rounds').set({ wishes_open_at: '2030-01-01T00:00:00.000Z', wishes_close_at: '2030-02-01T00:00:00.000Z' }).where('id', '=', world.round.id).execute();
  try {
    return await work();
  } finally {
    await ctx.db.updateTable('rounds').set({ wishes_open_at, wishes_close_at }).where('id', '=', world.round.id).execute();
  }
}

/** Books pupils by hand (or onto the waitlist) before the round began. */
export function bookBeforeRound(ctx: TestContext, world: RoundWorld, side: SchoolSide, slotId: string, pupils: Pupil[], waitlist = false) {
  return beforeTheRound(ctx, world, () => book(ctx, side, slotId, pupils, waitlist));
}

/** A school of the network that does not take part in the round, with a counsellor and pupils. */
export function outsideSchool(ctx: TestContext, world: RoundWorld, pupils = 2): Promise<SchoolSide> {
  return makeSchoolSide(ctx, world.networkId, pupils);
}

/** POST /api/v1/rounds/{id}/allocations as `token`. */
export function apiAllocate(ctx: TestContext, roundId: string, body: Record<string, unknown>, token: string) {
  return supertest(ctx.app).post(`/api/v1/rounds/${roundId}/allocations`).set('Authorization', `Bearer ${token}`).send(body);
}

/** POST …/commit as `token`, without a body or with one. */
export function apiCommit(ctx: TestContext, roundId: string, allocationId: string, token: string, body?: Record<string, unknown>) {
  const request = supertest(ctx.app).post(`/api/v1/rounds/${roundId}/allocations/${allocationId}/commit`).set('Authorization', `Bearer ${token}`);
  return body === undefined ? request.send() : request.send(body);
}

/** Bookings the commit of a run made (its audit events name the run). */
export async function bookingsOfRun(ctx: TestContext, allocationId: string) {
  const events = await ctx.db.selectFrom('booking_events').selectAll().where('action', '=', 'booked').execute();
  return events.filter((e) => e.detail !== null && (JSON.parse(e.detail) as { allocationId?: string }).allocationId === allocationId);
}

/**
 * A large round, written straight to the database: `pupils` pupils in grade 8 of the world's
 * first school, `placements` one-seat-to-`seats` slots spread over the school's prao week,
 * and five wishes each, skewed as in real life (a few placements are wanted by very many).
 */
export async function largeRound(ctx: TestContext, world: RoundWorld, size: { pupils: number; placements: number; seats: number }): Promise<void> {
  const template = await worldSlot(ctx, world, '2027-04-05T08:00', '2027-04-05T12:00', { capacity: size.seats }, 0);
  const row = await ctx.db.selectFrom('slots').selectAll().where('id', '=', template.id).executeTakeFirstOrThrow();
  const random = seededRandom(2027);
  const slotIds = [template.id];
  const slots = [];
  for (let i = 1; i < size.placements; i++) {
    const day = 5 + (i % 5);
    const hour = 6 + (i % 7);
    const id = randomUUID();
    slotIds.push(id);
    slots.push({ ...row, id, starts_at: `2027-04-0${day}T${String(hour).padStart(2, '0')}:00:00.000Z`, ends_at: `2027-04-0${day}T${String(hour + 1).padStart(2, '0')}:00:00.000Z` });
  }
  await insertChunked(ctx, 'slots', slots);
  await insertChunked(ctx, 'slot_grades', slots.flatMap((s) => [{ slot_id: s.id, grade: '8' }, { slot_id: s.id, grade: '9' }]));
  const schoolId = world.schools[0]!.school.id;
  const at = toDbInstant(ctx.clock.now());
  const pupils = Array.from({ length: size.pupils }, (_, i) => ({
    id: randomUUID(),
    school_id: schoolId,
    given_name: `Stor${i}`,
    family_name: 'Testsson',
    class_name: '8A',
    grade: '8',
    birth_year: null,
    gender: null,
    protected_identity: 0,
    code: `L${i.toString(36).toUpperCase().padStart(5, '0')}`,
    link_salt: null,
    link_hash: null,
    link_issued_at: null,
    created_by: null,
    created_at: at,
    updated_at: at,
  }));
  await insertChunked(ctx, 'pupils', pupils);
  // Popularity ~ 1 / (k + 1): a few placements are wanted by very many.
  const weights = slotIds.map((_, k) => 1 / (k + 1));
  const total = weights.reduce((a, b) => a + b, 0);
  const pick = () => {
    let x = random() * total;
    for (let k = 0; k < weights.length; k++) if ((x -= weights[k]!) <= 0) return k;
    return weights.length - 1;
  };
  const wishes = pupils.flatMap((p) => {
    const chosen = new Set<number>();
    while (chosen.size < 5) chosen.add(pick());
    return [...chosen].map((k, i) => ({ round_id: world.round.id, pupil_id: p.id, rank: i + 1, placement_id: slotIds[k]!, placement_kind: 'slot' as const, entered_by: null, updated_at: at }));
  });
  await insertChunked(ctx, 'round_wishes', wishes);
}

async function insertChunked<T extends 'slots' | 'slot_grades' | 'pupils' | 'round_wishes'>(ctx: TestContext, table: T, rows: Insertable<Database[T]>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 200) await ctx.db.insertInto(table).values(rows.slice(i, i + 200) as never).execute();
}

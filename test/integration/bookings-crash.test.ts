import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Slot } from '../../src/slots/slots.service.ts';
import { createTestContext, type TestContext } from '../support/app.ts';
import { makeBookingWorld, worldSlot, type BookingWorld } from '../support/bookings.ts';
import { addressOf, AppProcess, type Reply } from '../support/processes.ts';

// An app process killed with SIGKILL in the middle of a burst of bookings, and a new one
// started on the same database: every booking answered 201 before the kill must be there,
// and the database must hold its guarantees (counts, capacity, no pupil in two places).

/** Weekdays (slots for åk 8–9 are on school days). */
const DATES = ['2027-04-12', '2027-04-13', '2027-04-14', '2027-04-15', '2027-04-16', '2027-04-19'];
const DAYS = DATES.length;
const CAPACITY = 12;
const PUPILS = 72;
const CONCURRENCY = 16;
/** Kill after this many bookings were acknowledged: mid-burst, with requests in flight. */
const KILL_AFTER = 50;
const SLOW = 30_000;
const SLOW_SETUP = 60_000;

interface Attempt {
  key: string;
  body: { slotId: string; pupilId: string };
}

interface Outcome {
  attempt: Attempt;
  reply?: Reply;
  error?: Error;
}

/** A fixed shuffle (mulberry32), so each run mixes the slots the same way. */
function shuffled<T>(items: T[], seed: number): T[] {
  let a = seed;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * Sends the attempts from `concurrency` clients; once `stop()` says so, no new one is sent.
 * A request whose connection fails (the process died) is an outcome with an error.
 */
async function drive(app: AppProcess, token: string, attempts: Attempt[], concurrency: number, stop: (outcomes: Outcome[]) => boolean): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  let next = 0;
  let stopped = false;
  const client = async () => {
    while (!stopped && next < attempts.length) {
      const attempt = attempts[next++]!;
      const headers = { authorization: `Bearer ${token}`, 'idempotency-key': attempt.key };
      const outcome: Outcome = await app.request('POST', '/api/v1/bookings', { body: attempt.body, headers }).then(
        (reply) => ({ attempt, reply }),
        (error: Error) => ({ attempt, error }),
      );
      outcomes.push(outcome);
      if (!stopped && stop(outcomes)) stopped = true;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  return outcomes;
}

/** Every way the stored bookings could break the guarantees; each list should be empty. */
async function brokenGuarantees(ctx: TestContext, slotIds: string[]) {
  const counts = await ctx.db
    .selectFrom('slots as s')
    .select(['s.id', 's.capacity', 's.booked_count'])
    .select((eb) => eb.selectFrom('bookings as b').select(eb.fn.countAll<number>().as('n')).whereRef('b.slot_id', '=', 's.id').where('b.status', '=', 'confirmed').as('confirmed'))
    .where('s.id', 'in', slotIds)
    .execute();
  const overlaps = await sql<{ pupil_id: string }>`
    select a.pupil_id from bookings a join bookings b
      on a.pupil_id = b.pupil_id and a.id < b.id and a.starts_at < b.ends_at and b.starts_at < a.ends_at
    where a.status = 'confirmed' and b.status = 'confirmed'`.execute(ctx.db);
  return {
    countOff: counts.filter((c) => Number(c.confirmed) !== c.booked_count),
    overCapacity: counts.filter((c) => Number(c.confirmed) > c.capacity),
    pupilsInTwoPlaces: overlaps.rows,
  };
}

const noneBroken = { countOff: [], overCapacity: [], pupilsInTwoPlaces: [] };

describe('an app process killed in the middle of a burst of bookings', () => {
  let ctx: TestContext;
  let world: BookingWorld;
  let database: string;
  let attempts: Attempt[];
  let slotIds: string[];
  let outcomes: Outcome[];
  let restarted: AppProcess | undefined;
  const token = () => world.schools[0]!.counsellor.token;

  beforeAll(async () => {
    ctx = await createTestContext();
    world = await makeBookingWorld(ctx, { pupils: PUPILS, hosts: 2 });
    database = await addressOf(ctx.database);
    // Each day two overlapping slots (08–12 and 10–14, two hosts). Every pupil books one slot on
    // two days, which fills every slot exactly; every fourth also tries the other slot of its
    // first day, which must end in pupil_overlap or slot_full.
    const days: Slot[][] = [];
    for (const date of DATES) {
      days.push([await worldSlot(ctx, world, `${date}T08:00`, `${date}T12:00`, { capacity: CAPACITY }, 0), await worldSlot(ctx, world, `${date}T10:00`, `${date}T14:00`, { capacity: CAPACITY }, 1)]);
    }
    slotIds = days.flat().map((s) => s.id);
    const wanted = world.schools[0]!.pupils.flatMap((pupil, i) => {
      const picks = [days[i % DAYS]![i % 2]!, days[(i + 3) % DAYS]![i % 2]!];
      if (i % 4 === 0) picks.push(days[i % DAYS]![1 - (i % 2)]!);
      return picks.map((slot, n) => ({ key: `crash-${i}-${n}`, body: { slotId: slot.id, pupilId: pupil.id } }));
    });
    attempts = shuffled(wanted, 2027);

    const app = await AppProcess.start({ database });
    let killing: Promise<void> | undefined;
    outcomes = await drive(app, token(), attempts, CONCURRENCY, (done) => {
      if (done.filter((o) => o.reply?.status === 201).length < KILL_AFTER) return false;
      killing ??= app.kill('SIGKILL');
      return true;
    });
    await killing;
    restarted = await AppProcess.start({ database });
  }, SLOW_SETUP);
  afterAll(async () => {
    await restarted?.kill();
    await ctx?.close();
  });

  const acknowledged = () => outcomes.filter((o) => o.reply?.status === 201).map((o) => o.reply!.body as { id: string; status: string });

  it('was killed with bookings acknowledged, others in flight and some never sent', () => {
    expect(acknowledged().length).toBeGreaterThanOrEqual(KILL_AFTER);
    expect(outcomes.filter((o) => o.error).length).toBeGreaterThan(0);
    expect(outcomes.length).toBeLessThan(attempts.length);
    expect(outcomes.filter((o) => o.reply && o.reply.status >= 500)).toEqual([]);
  });

  it('kept every booking acknowledged with 201 before the kill, confirmed', async () => {
    const ids = acknowledged().map((b) => b.id);
    expect(acknowledged().every((b) => b.status === 'confirmed')).toBe(true);
    const stored = await ctx.db.selectFrom('bookings').select(['id', 'status']).where('id', 'in', ids).execute();
    expect(stored.map((b) => b.status).filter((s) => s === 'confirmed')).toHaveLength(ids.length);
  });

  it('left every count equal to the confirmed bookings, within capacity, and no pupil in two places', async () => {
    expect(await brokenGuarantees(ctx, slotIds)).toEqual(noneBroken);
  });

  it('lets the restarted process finish the burst with the same keys: replays what was done, does the rest, keeps the guarantees', { timeout: SLOW }, async () => {
    // Retries with the same keys: what was in flight (done or not) and what was never sent.
    const answered = new Set(outcomes.filter((o) => o.reply).map((o) => o.attempt.key));
    const rest = attempts.filter((a) => !answered.has(a.key));
    const finished = await drive(restarted!, token(), rest, CONCURRENCY, () => false);

    expect(finished.filter((o) => o.error || o.reply!.status >= 500)).toEqual([]);
    expect(finished.every((o) => o.reply!.status === 201 || ['slot_full', 'pupil_overlap'].includes(o.reply!.body.error.code))).toBe(true);
    expect(await brokenGuarantees(ctx, slotIds)).toEqual(noneBroken);
    // Nothing stored that no answer told of: the confirmed bookings are exactly those answered 201.
    const answeredIds = [...acknowledged(), ...finished.filter((o) => o.reply!.status === 201).map((o) => o.reply!.body as { id: string })].map((b) => b.id);
    const stored = await ctx.db.selectFrom('bookings').select('id').where('slot_id', 'in', slotIds).where('status', '=', 'confirmed').execute();
    expect(stored.map((b) => b.id).sort()).toEqual([...new Set(answeredIds)].sort());
  });
});

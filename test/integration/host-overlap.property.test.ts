import fc from 'fast-check';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionUser } from '../../src/http/context.ts';
import { AppError } from '../../src/http/errors.ts';
import { slotFieldsSchema } from '../../src/slots/slots.schemas.ts';
import { cancelSlot, createSlot, isHostOverlap } from '../../src/slots/slots.service.ts';
import { createTestContext, type TestContext } from '../support/app.ts';
import { makeCompany, makeUser } from '../support/factories.ts';
import { makeStory } from '../support/stories.ts';

// One professional cannot host two slots at once. The service explains a clash (409); the
// database (exclusion constraint on PostgreSQL, trigger on SQLite) is what guarantees it.

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

/** Monday 3 May 2027, 08.00 UTC; times are whole half-hours after it, so touching and overlapping are common. */
const BASE = DateTime.fromISO('2027-05-03T08:00:00.000Z', { zone: 'utc' });
const at = (halfHours: number) => BASE.plus({ minutes: 30 * halfHours });

type Step = { kind: 'create'; hosts: number[]; start: number; length: number } | { kind: 'cancel'; pick: number };
const HOST_POOL = 3;
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('create' as const), hosts: fc.uniqueArray(fc.nat(HOST_POOL - 1), { minLength: 1, maxLength: 2 }), start: fc.nat(12), length: fc.integer({ min: 1, max: 6 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }) },
);

/** The rule in its simplest form: a slot is accepted unless an active slot shares a host and overlaps [start, end). */
interface ModelSlot {
  id: string;
  hosts: Set<number>;
  start: number;
  end: number;
  active: boolean;
}
const modelAccepts = (model: ModelSlot[], hosts: number[], start: number, end: number) =>
  !model.some((s) => s.active && hosts.some((h) => s.hosts.has(h)) && s.start < end && start < s.end);

/** Any two active host rows of one story that overlap, anywhere in the database. */
function overlappingActiveRows() {
  return ctx.db
    .selectFrom('slot_hosts as a')
    .innerJoin('slot_hosts as b', (j) => j.onRef('a.story_id', '=', 'b.story_id').onRef('a.slot_id', '<', 'b.slot_id'))
    .select(['a.story_id', 'a.slot_id as first', 'b.slot_id as second'])
    .where('a.active', '=', 1)
    .where('b.active', '=', 1)
    .whereRef('a.starts_at', '<', 'b.ends_at')
    .whereRef('b.starts_at', '<', 'a.ends_at')
    .execute();
}

async function activeHostRows(storyIds: string[]) {
  const rows = await ctx.db.selectFrom('slot_hosts').select(['slot_id', 'story_id']).where('story_id', 'in', storyIds).where('active', '=', 1).execute();
  return rows.map((r) => `${r.slot_id} ${r.story_id}`).sort();
}

async function newCompanyWithHosts(): Promise<{ coordinator: SessionUser; storyIds: string[] }> {
  const company = await makeCompany(ctx.db);
  const coordinator = await makeUser(ctx.db, ctx.config, 'company_coordinator', company.id);
  const storyIds: string[] = [];
  for (let i = 0; i < HOST_POOL; i++) storyIds.push((await makeStory(ctx, coordinator, { name: `Värd ${i}`, title: 'Tekniker' })).id);
  return { coordinator, storyIds };
}

/** Runs one step as the routes do (one transaction), answering whether the service accepted it. */
async function tryCreate(coordinator: SessionUser, storyIds: string[], start: number, end: number): Promise<string | null> {
  const fields = slotFieldsSchema.parse({ storyIds, capacity: 2, grades: ['gy1'] });
  try {
    const slot = await ctx.db.transaction().execute((trx) => createSlot(trx, coordinator, fields, { startsAt: at(start), endsAt: at(end) }, ctx.clock.now()));
    return slot.id;
  } catch (error) {
    if (error instanceof AppError && error.code === 'host_overlap') return null;
    throw error;
  }
}

describe('host overlap, as a property', () => {
  it('accepts exactly what the simple model accepts, and the database never holds a host in two places', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 15 }), async (steps) => {
        const { coordinator, storyIds } = await newCompanyWithHosts();
        const model: ModelSlot[] = [];
        for (const step of steps) {
          if (step.kind === 'create') {
            const end = step.start + step.length;
            const expected = modelAccepts(model, step.hosts, step.start, end);
            const id = await tryCreate(coordinator, step.hosts.map((h) => storyIds[h]!), step.start, end);
            expect(id !== null, `create hosts ${step.hosts} [${step.start}, ${end})`).toBe(expected);
            if (id) model.push({ id, hosts: new Set(step.hosts), start: step.start, end, active: true });
          } else if (model.length > 0) {
            const slot = model[step.pick % model.length]!;
            await ctx.db.transaction().execute((trx) => cancelSlot(trx, coordinator, slot.id, null, ctx.clock.now()));
            slot.active = false;
          }
          expect(await overlappingActiveRows()).toEqual([]);
          const modelRows = model.filter((s) => s.active).flatMap((s) => [...s.hosts].map((h) => `${s.id} ${storyIds[h]}`));
          expect(await activeHostRows(storyIds)).toEqual(modelRows.sort());
        }
      }),
      { numRuns: 25 },
    );
  });
});

describe('the database itself', () => {
  // Two slots of one company at the same time with different hosts (allowed), then rows that
  // the service would never write, put in directly.
  type SlotTime = { id: string; startsAt: string; endsAt: string };
  let storyA: string;
  let slot1: SlotTime;
  let slot2: SlotTime;
  let touching: SlotTime;
  let later: SlotTime;
  beforeAll(async () => {
    const { coordinator, storyIds } = await newCompanyWithHosts();
    storyA = storyIds[0]!;
    const make = async (host: string, start: number, end: number): Promise<SlotTime> => {
      const id = (await tryCreate(coordinator, [host], start, end))!;
      const row = await ctx.db.selectFrom('slots').select(['starts_at', 'ends_at']).where('id', '=', id).executeTakeFirstOrThrow();
      return { id, startsAt: row.starts_at, endsAt: row.ends_at };
    };
    slot1 = await make(storyIds[0]!, 40, 44);
    slot2 = await make(storyIds[1]!, 42, 46);
    touching = await make(storyIds[2]!, 44, 48);
    later = await make(storyIds[1]!, 60, 62);
  });
  const hostRow = (slot: SlotTime, active: 0 | 1) =>
    ({ slot_id: slot.id, story_id: storyA, starts_at: slot.startsAt, ends_at: slot.endsAt, active });
  const refusal = async (write: Promise<unknown>) => {
    const error = await write.then(() => null, (e: unknown) => e);
    expect(error, 'the database accepted the write').not.toBeNull();
    return error;
  };

  it('refuses an active host row that overlaps another active row of the same story', async () => {
    expect(isHostOverlap(await refusal(ctx.db.insertInto('slot_hosts').values(hostRow(slot2, 1)).execute()))).toBe(true);
  });

  it('accepts the same row inactive, but refuses making it active', async () => {
    await ctx.db.insertInto('slot_hosts').values(hostRow(slot2, 0)).execute();
    const update = ctx.db.updateTable('slot_hosts').set({ active: 1 }).where('slot_id', '=', slot2.id).where('story_id', '=', storyA).execute();
    expect(isHostOverlap(await refusal(update))).toBe(true);
  });

  it('accepts an active row that only touches (half-open intervals)', async () => {
    await ctx.db.insertInto('slot_hosts').values(hostRow(touching, 1)).execute();
    expect(await overlappingActiveRows()).toEqual([]);
  });

  it('refuses moving an active row onto another of the same story', async () => {
    await ctx.db.insertInto('slot_hosts').values(hostRow(later, 1)).execute();
    const move = ctx.db
      .updateTable('slot_hosts')
      .set({ starts_at: slot1.startsAt, ends_at: slot1.endsAt })
      .where('slot_id', '=', later.id)
      .where('story_id', '=', storyA)
      .execute();
    expect(isHostOverlap(await refusal(move))).toBe(true);
  });
});

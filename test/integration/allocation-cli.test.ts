import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../scripts/allocate.ts';
import { createTestContext, type TestContext } from '../support/app.ts';
import { book, slotTruth, worldSlot } from '../support/bookings.ts';
import { addressOf } from '../support/processes.ts';
import { putWishes, type RoundWorld } from '../support/rounds.ts';
import { allocationWorld, outsideSchool } from '../support/allocation.ts';
import { toDbInstant } from '../../src/time/stockholm.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('npm run allocate', () => {
  let ctx: TestContext;
  let world: RoundWorld;
  let env: NodeJS.ProcessEnv;
  let slotId: string;

  beforeAll(async () => {
    ctx = await createTestContext();
    world = await allocationWorld(ctx, { pupils: 3 });
    slotId = (await worldSlot(ctx, world, '2027-04-06T08:00', '2027-04-06T12:00', { capacity: 2 }, 0)).id;
    for (const pupil of world.schools[0]!.pupils) await putWishes(ctx, world.round.id, pupil.id, [{ id: slotId }]);
    // BASE_URL given: vitest puts one of its own ("/") into the environment.
    env = { DATABASE_URL: await addressOf(ctx.database), SESSION_SECRET: ctx.config.sessionSecret, LOG_LEVEL: 'silent', BASE_URL: ctx.config.baseUrl };
  });
  afterAll(() => ctx.close());

  async function run(...argv: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(argv, { env, out: (l) => out.push(l), err: (l) => err.push(l), now: ctx.clock.now() });
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  it('prints the summary of a preview: the seed, the counts, the ranks, each school and the proof', async () => {
    const { code, out } = await run('--round', world.round.id, '--seed', '17');
    expect(code).toBe(0);
    expect(out).toContain('Omgång: Prao vt 2027');
    expect(out).toContain('Lottnummer: 17.');
    expect(out).toContain('3 elever i omgången: 2 fick plats genom fördelningen');
    expect(out).toContain('Önskemål 1: 2');
    expect(out).toContain(`${world.schools[0]!.school.name}: 3 elever, 2 fick plats`);
    expect(out).toContain('Beviset håller');
    expect(await slotTruth(ctx, slotId)).toMatchObject({ confirmed: 0 });
  });

  it('fails with a clear message for a round that does not exist', async () => {
    const { code, err } = await run('--round', 'no-such-round');
    expect(code).toBe(1);
    expect(err).toBe('Det finns ingen omgång med id no-such-round.');
  });

  it('explains how to call it when the seed is not a number', async () => {
    const { code, err } = await run('--round', world.round.id, '--seed', 'x');
    expect(code).toBe(2);
    expect(err).toContain('npm run allocate -- --round ID');
  });

  it('commits a preview made earlier, and fails as stale when a seat was taken since', async () => {
    const preview = /Förhandsvisning: (\S+)/.exec((await run('--round', world.round.id, '--seed', '5')).out)![1]!;
    const other = await outsideSchool(ctx, world, 1);
    await book(ctx, other, slotId, other.pupils);
    const stale = await run('--round', world.round.id, '--preview', preview, '--commit');
    expect(stale.code).toBe(1);
    expect(stale.err).toContain('Något har ändrats sedan förhandsvisningen');
    expect(await slotTruth(ctx, slotId)).toMatchObject({ confirmed: 1 });
  });

  it('runs and commits in one go, booking as the system', async () => {
    const { code, out } = await run('--round', world.round.id, '--seed', '5', '--commit');
    expect(code).toBe(0);
    expect(out).toContain('Fastställd: 1 bokningar gjorda.');
    const events = await ctx.db.selectFrom('booking_events').selectAll().where('slot_id', '=', slotId).where('via', '=', 'system').execute();
    expect(events.map((e) => [e.action, e.actor_id])).toEqual([['booked', null]]);
  });

  it('refuses to run a round that is already committed', async () => {
    const again = await run('--round', world.round.id);
    expect(again.code).toBe(1);
    expect(again.err).toBe('Omgången har redan en fastställd fördelning.');
  });

  it('commits a round whose wish window is open only with --early, and then closes the window', async () => {
    const open = await allocationWorld(ctx, { pupils: 1, round: { wishesCloseAt: '2027-03-31T22:00:00.000Z' } });
    const slot = (await worldSlot(ctx, open, '2027-04-06T08:00', '2027-04-06T12:00', {}, 0)).id;
    await putWishes(ctx, open.round.id, open.schools[0]!.pupils[0]!.id, [{ id: slot }]);
    const preview = /Förhandsvisning: (\S+)/.exec((await run('--round', open.round.id, '--seed', '5', '--early')).out)![1]!;
    const refused = await run('--round', open.round.id, '--preview', preview, '--commit');
    expect(refused.code).toBe(1);
    expect(refused.err).toBe('Tiden för önskemål är inte slut än. Välj att köra eller fastställa fördelningen ändå om du vill det. Lägg till --early för att göra det ändå.');
    expect(await slotTruth(ctx, slot)).toMatchObject({ confirmed: 0 });
    const committed = await run('--round', open.round.id, '--preview', preview, '--commit', '--early');
    expect(committed.code).toBe(0);
    expect(await slotTruth(ctx, slot)).toMatchObject({ confirmed: 1 });
    const round = await ctx.db.selectFrom('rounds').select('wishes_close_at').where('id', '=', open.round.id).executeTakeFirstOrThrow();
    expect(round.wishes_close_at).toBe(toDbInstant(ctx.clock.now()));
  });

  it('runs as `npm run allocate` and exits non-zero with the message for a bad round', () => {
    const child = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/allocate.ts', '--round', 'no-such-round'], { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8' });
    expect(child.status).toBe(1);
    expect(child.stderr.trim()).toBe('Det finns ingen omgång med id no-such-round.');
  });
});

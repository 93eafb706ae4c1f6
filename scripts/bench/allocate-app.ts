// The allocation through the whole app: npx tsx scripts/bench/allocate-app.ts [--pupils 20000] [--placements 5000] [--seats 4]
//
// scripts/bench/allocate.ts times the pure solver; this times what a coordinator waits for: a
// round of generated pupils (5 wishes each, popularity ~ 1/(k+1)) in a real, migrated database
// (SQLite in a temporary file; PostgreSQL when TEST_DATABASE_URL is set), then
// `POST /api/v1/rounds/{id}/allocations` (reading the round, the worker thread's solve,
// explanations, storing every result) and `POST …/commit` (the fingerprint again under locks,
// then every booking in one transaction). While the run is solved, the event loop's longest
// stall is measured: requests are only held up for that long. The world is built with the
// integration tests' own helpers (test/support), so it is exactly what the tests use.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createTestContext } from '../../test/support/app.ts';
import { allocationWorld, apiAllocate, apiCommit, largeRound } from '../../test/support/allocation.ts';

const { values: args } = parseArgs({
  options: { pupils: { type: 'string', default: '20000' }, placements: { type: 'string', default: '5000' }, seats: { type: 'string', default: '4' } },
});
const size = { pupils: Number(args.pupils), placements: Number(args.placements), seats: Number(args.seats) };

const ctx = await createTestContext();
try {
  const world = await allocationWorld(ctx, { pupils: 0 });
  const t0 = performance.now();
  await largeRound(ctx, world, size);
  const built = performance.now() - t0;
  const token = world.networkCoordinator.token;
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const stall = monitorEventLoopDelay({ resolution: 5 });
  stall.enable();
  const t1 = performance.now();
  const run = await apiAllocate(ctx, world.round.id, { seed: 1 }, token);
  const t2 = performance.now();
  stall.disable();
  if (run.status !== 201) throw new Error(`allocation answered ${run.status}: ${JSON.stringify(run.body).slice(0, 300)}`);
  const commit = await apiCommit(ctx, world.round.id, run.body.id, token);
  const t3 = performance.now();
  clearInterval(sampler);
  if (commit.status !== 200) throw new Error(`commit answered ${commit.status}: ${JSON.stringify(commit.body).slice(0, 300)}`);
  const m = run.body.metrics;
  const database = process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'SQLite';
  console.log(`${database}, ${size.pupils} pupils, ${size.placements} placements × ${size.seats} seats (round built in ${(built / 1000).toFixed(1)} s)\n`);
  console.log('| preview (s) | longest event-loop stall meanwhile (ms) | answer (MB) | commit (s) | bookings | peak RSS (MB) | placed | wish 1 | certificate |');
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
  console.log(
    `| ${((t2 - t1) / 1000).toFixed(2)} | ${(stall.max / 1e6).toFixed(0)} | ${(JSON.stringify(run.body).length / 2 ** 20).toFixed(1)} | ${((t3 - t2) / 1000).toFixed(2)} | ${commit.body.bookings} | ${(peak / 2 ** 20).toFixed(0)} | ${m.placed} of ${m.pupils} | ${m.byRank[0]} | ${m.certificate} |`,
  );
} finally {
  await ctx.close();
}

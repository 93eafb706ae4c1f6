// Where a booking's time goes, on SQLite: npx tsx scripts/bench/booking-profile.ts [--bookings N] [--http]
//
// Books through the service in this process (as the route does, without HTTP; with --http
// through POST /api/v1/bookings of an app listening in this process) and times every
// statement better-sqlite3 runs, by wrapping the connection's prepare(). Prints the statements
// of one booking with their share of the time, and how the booking's time splits between
// SQLite (and, in it, COMMIT: the fsync of synchronous=FULL) and JavaScript. Add
// `node --cpu-prof` (NODE_OPTIONS) for a CPU profile of the JavaScript part.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Statement } from 'better-sqlite3';
import { DateTime } from 'luxon';
import type { Config } from '../../src/config.ts';
import { createApp } from '../../src/app.ts';
import { createDb } from '../../src/db/database.ts';
import { createMailer } from '../../src/mail/mail.service.ts';
import { FixedClock } from '../../src/time/clock.ts';
import { pino } from 'pino';
import type { AddressInfo } from 'node:net';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { drive, httpBooker, serviceBooker, type Outcome } from './booking-load.ts';
import { BENCH_NOW, buildWorld } from './booking-world.ts';

const { values: args } = parseArgs({ options: { bookings: { type: 'string', default: '1000' }, http: { type: 'boolean', default: false } } });
const bookings = Number.parseInt(args.bookings, 10);

interface Timing {
  count: number;
  ms: number;
}

async function main() {
  const dir = mkdtempSync(path.join(tmpdir(), 'tp-bench-profile-'));
  const open = createDb({ kind: 'sqlite', file: path.join(dir, 'profile.sqlite') });
  try {
    await migrateToLatest(open.db);
    const world = await buildWorld(open.db, { slots: 256, pupils: 4000, capacity: 500 });
    const handle = open.sqlite!;
    const timings = new Map<string, Timing>();
    const commits: number[] = [];
    let recording = false;
    const prepare = handle.prepare.bind(handle);
    // The app reuses prepared statements (openSqlite's cache): time each statement object once.
    const timed = new WeakSet<object>();
    // Every statement Kysely runs goes through prepare() and then all(), get() or run().
    handle.prepare = ((source: string) => {
      const statement = prepare(source) as Statement;
      if (timed.has(statement)) return statement;
      timed.add(statement);
      const key = source.replace(/\s+/g, ' ').replace(/"/g, '').slice(0, 110);
      for (const method of ['all', 'get', 'run'] as const) {
        const original = statement[method].bind(statement) as (...a: unknown[]) => unknown;
        (statement as unknown as Record<string, unknown>)[method] = (...params: unknown[]) => {
          const t0 = performance.now();
          try {
            return original(...params);
          } finally {
            if (recording) {
              const t = timings.get(key) ?? { count: 0, ms: 0 };
              t.count++;
              t.ms += performance.now() - t0;
              if (key === 'commit') commits.push(performance.now() - t0);
              timings.set(key, t);
            }
          }
        };
      }
      return statement;
    }) as typeof handle.prepare;

    const now = DateTime.fromISO(BENCH_NOW, { zone: 'utc' });
    const config = { env: 'production', mailFrom: 'Teknikprao <no-reply@bench.invalid>', baseUrl: 'http://127.0.0.1', bookingUnsafeControl: false } as Config;
    let book: (k: number) => Promise<Outcome> = serviceBooker(open.db, config, world, now);
    let stopServer = async () => {};
    if (args.http) {
      const app = createApp({ db: open.db, dialect: 'sqlite', config, clock: new FixedClock(BENCH_NOW), logger: pino({ level: 'silent' }), mailer: createMailer(undefined, config.mailFrom) });
      const server = await new Promise<ReturnType<typeof app.listen>>((resolve) => {
        const s = app.listen(0, '127.0.0.1', () => resolve(s));
      });
      const booker = httpBooker((server.address() as AddressInfo).port, world, 1);
      book = booker.book;
      stopServer = () => new Promise((resolve) => (booker.close(), server.close(() => resolve())));
    }
    const warm = await drive(book, { fromK: 0, requests: 200, seconds: 10, clients: 1 });
    recording = true;
    const stats = await drive(book, { fromK: warm.nextK, requests: bookings, seconds: 60, clients: 1 });
    recording = false;
    await stopServer();

    const n = stats.count;
    const all = [...timings.entries()].sort((a, b) => b[1].ms - a[1].ms);
    const inSqlite = all.reduce((sum, [, t]) => sum + t.ms, 0) / n;
    const commit = (timings.get('commit')?.ms ?? 0) / n;
    const perBooking = 1000 / stats.perSecond;
    console.log(`${n} bookings through ${args.http ? 'POST /api/v1/bookings (app and client in this process)' : 'the service'}, one at a time: ${stats.perSecond.toFixed(0)}/s, p50 ${stats.p50.toFixed(2)} ms, p99 ${stats.p99.toFixed(2)} ms`);
    console.log(`per booking: ${perBooking.toFixed(2)} ms = SQLite ${inSqlite.toFixed(2)} ms (of which COMMIT ${commit.toFixed(2)} ms) + JavaScript ${(perBooking - inSqlite).toFixed(2)} ms`);
    commits.sort((a, b) => a - b);
    const at = (p: number) => commits[Math.min(commits.length - 1, Math.ceil((p / 100) * commits.length) - 1)]!.toFixed(2);
    console.log(`COMMIT p50 ${at(50)} ms, p95 ${at(95)} ms, p99 ${at(99)} ms, max ${commits[commits.length - 1]!.toFixed(1)} ms`);
    console.log(`statements per booking: ${(all.reduce((sum, [, t]) => sum + t.count, 0) / n).toFixed(1)}\n`);
    console.log('| per booking | ms per booking | share | statement |');
    console.log('| ---: | ---: | ---: | --- |');
    for (const [sqlText, t] of all) console.log(`| ${(t.count / n).toFixed(1)} | ${(t.ms / n).toFixed(3)} | ${((t.ms / n / perBooking) * 100).toFixed(1)} % | ${sqlText} |`);
  } finally {
    await open.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

// Booking benchmark: npx tsx scripts/bench/booking.ts [--sqlite] [--postgres] [--help]
//
// Drives POST /api/v1/bookings over HTTP at 1, 16 and 64 concurrent clients against one app
// process (a child: one JavaScript thread), on SQLite (a file in a temp folder) and on a
// throwaway PostgreSQL server, and measures in the same run the raw limit: the same booking
// transaction written by hand (booking-raw.ts). Every request is a real, successful booking of
// a new (slot, pupil) pair. Afterwards SQL checks every slot and pupil for overbookings.
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { DateTime } from 'luxon';
import type { Config, DatabaseConfig } from '../../src/config.ts';
import { createDb } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { drive, httpBooker, serviceBooker, type BookingStats } from './booking-load.ts';
import { startPostgres } from './booking-postgres.ts';
import { rawPostgres, rawSqlite } from './booking-raw.ts';
import { applyExperiment, type Experiment } from './booking-experiments.ts';
import type { ServeOptions } from './booking-serve.ts';
import { audit, BENCH_NOW, buildWorld, type Audit, type BookingWorld, type WorldSize } from './booking-world.ts';
import type { Stats } from './load.ts';
import { createPostgresDatabase } from './postgres.ts';

const { values: args } = parseArgs({
  options: {
    sqlite: { type: 'boolean', default: false },
    postgres: { type: 'boolean', default: false },
    'postgres-url': { type: 'string' },
    clients: { type: 'string', default: '1,16,64' },
    seconds: { type: 'string', default: '6' },
    requests: { type: 'string', default: '4000' },
    slots: { type: 'string', default: '256' },
    pupils: { type: 'string', default: '4000' },
    profile: { type: 'string' },
    synchronous: { type: 'string', default: 'FULL' },
    'statement-cache': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  console.log(`npx tsx scripts/bench/booking.ts [options]     (neither --sqlite nor --postgres: both)
  --sqlite                SQLite: a file in a temp folder
  --postgres              PostgreSQL: a throwaway server (initdb in a temp folder; skipped when
                          no binaries are found), or a new database on --postgres-url's server
  --postgres-url URL      use this server instead of starting one (e.g. "$TEST_DATABASE_URL")
  --clients 1,16,64       concurrent clients per HTTP run
  --requests N --seconds S   bound of each run (4000 bookings or 6 s, whichever comes first)
  --slots N --pupils N    size of the world (256 one-hour slots of 500 seats, 4000 pupils)
  --profile DIR           run the app process with --cpu-prof, writing to DIR
  Experiments (SQLite; not what the app does today, see booking-serve.ts):
  --synchronous NORMAL    no fsync at each commit (app, service and raw runs)
  --statement-cache       reuse prepared statements in the app and service runs`);
  process.exit(0);
}

const int = (value: string) => Number.parseInt(value, 10);
const clientLevels = args.clients.split(',').map(int);
const bounds = { requests: int(args.requests), seconds: int(args.seconds) };
const size: WorldSize = { slots: int(args.slots), pupils: int(args.pupils), capacity: 500 };
const now = DateTime.fromISO(BENCH_NOW, { zone: 'utc' });
const synchronous: 'FULL' | 'NORMAL' = args.synchronous.toUpperCase() === 'NORMAL' ? 'NORMAL' : 'FULL';
const experiment: Experiment = { synchronous, statementCache: args['statement-cache'] };

interface Row {
  database: string;
  path: string;
  clients: string;
  stats: Stats & { conflicts?: number; cpuMs?: number };
  raw?: Stats;
}

interface Server {
  port: number;
  /** CPU time used by the app process so far, in ms. */
  cpuMs(): Promise<number>;
  stop(): Promise<void>;
}

function startServer(database: DatabaseConfig): Promise<Server> {
  const execArgv = args.profile ? [...process.execArgv, '--cpu-prof', `--cpu-prof-dir=${path.resolve(args.profile)}`] : process.execArgv;
  const options: ServeOptions = { database, now: BENCH_NOW, experiment };
  const child = fork(path.join(import.meta.dirname, 'booking-serve.ts'), [JSON.stringify(options)], { stdio: 'inherit', execArgv });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const cpuMs = () =>
    new Promise<number>((resolve) => {
      const answer = (m: { cpu?: NodeJS.CpuUsage }) => {
        if (!m.cpu) return;
        child.off('message', answer);
        resolve((m.cpu.user + m.cpu.system) / 1000);
      };
      child.on('message', answer);
      child.send({ cpu: true });
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the app did not start within 30 s')), 30_000);
    child.once('message', (m: { port: number }) => {
      clearTimeout(timer);
      resolve({ port: m.port, cpuMs, stop: () => (child.disconnect(), exited) });
    });
    child.once('exit', (code) => reject(new Error(`the app exited with ${code}`)));
  });
}

/** CPU ms this process used while `work` ran, per successful booking. */
async function cpuPerBooking<T extends Stats>(work: () => Promise<T> | T): Promise<T & { cpuMs: number }> {
  const before = process.cpuUsage();
  const stats = await work();
  const used = process.cpuUsage(before);
  return { ...stats, cpuMs: (used.user + used.system) / 1000 / Math.max(1, stats.count) };
}

async function prepare(database: DatabaseConfig): Promise<BookingWorld> {
  const open = createDb(database);
  try {
    await migrateToLatest(open.db);
    return await buildWorld(open.db, size);
  } finally {
    await open.close();
  }
}

async function auditOf(database: DatabaseConfig): Promise<Audit> {
  const open = createDb(database);
  try {
    return await audit(open.db);
  } finally {
    await open.close();
  }
}

/** The app in a child process, driven over HTTP at each client level (after a warm-up). */
async function httpRuns(label: string, database: DatabaseConfig, world: BookingWorld): Promise<Row[]> {
  const server = await startServer(database);
  const rows: Row[] = [];
  let k = 0;
  try {
    for (const clients of clientLevels) {
      const booker = httpBooker(server.port, world, clients);
      const warm = await drive(booker.book, { fromK: k, requests: 200, seconds: 3, clients });
      const cpuBefore = await server.cpuMs();
      const measured = await drive(booker.book, { fromK: warm.nextK, ...bounds, clients });
      const stats = { ...measured, cpuMs: ((await server.cpuMs()) - cpuBefore) / Math.max(1, measured.count) };
      k = stats.nextK;
      booker.close();
      report(stats, `${label} HTTP ${clients}`);
      rows.push({ database: label, path: 'HTTP', clients: String(clients), stats });
    }
  } finally {
    await server.stop();
  }
  return rows;
}

function report(stats: BookingStats | Stats, what: string) {
  const extra = 'samples' in stats && stats.samples.length > 0 ? ` e.g. ${stats.samples.join(' | ')}` : '';
  if (stats.failures > 0 || ('conflicts' in stats && stats.conflicts > 0)) console.log(`  ! ${what}: ${stats.failures} failed, ${'conflicts' in stats ? stats.conflicts : 0} conflicts${extra}`);
}

async function sqliteBench(): Promise<{ rows: Row[]; audits: string[] }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tp-bench-booking-'));
  try {
    const httpDb: DatabaseConfig = { kind: 'sqlite', file: path.join(dir, 'http.sqlite') };
    const rawDb: DatabaseConfig = { kind: 'sqlite', file: path.join(dir, 'raw.sqlite') };
    let t = performance.now();
    const world = await prepare(httpDb);
    // The same world (same ids) for the raw runs, copied before any booking.
    const open = createDb(httpDb);
    await sql.raw(`vacuum into '${rawDb.file}'`).execute(open.db);
    await open.close();
    console.log(`SQLite: world built in ${((performance.now() - t) / 1000).toFixed(1)} s (${size.slots} slots, ${size.pupils} pupils) in ${dir}`);

    t = performance.now();
    const rows = await httpRuns('SQLite', httpDb, world);
    const rawOptions = { ...bounds, now: now.toISO()!, sideRows: false, synchronous };
    const raw = await cpuPerBooking(() => rawSqlite(rawDb.file, world, { ...rawOptions, fromK: 0 }));
    const rawSide = await cpuPerBooking(() => rawSqlite(rawDb.file, world, { ...rawOptions, fromK: raw.count + raw.failures, sideRows: true }));
    const rawOpen = createDb(rawDb);
    applyExperiment(rawOpen.sqlite!, experiment);
    const config = { mailFrom: 'Teknikprao <no-reply@bench.invalid>', baseUrl: 'http://127.0.0.1' } as Config;
    const service = await cpuPerBooking(() => drive(serviceBooker(rawOpen.db, config, world, now), { fromK: 2 * bounds.requests + 10, ...bounds, clients: 1 }));
    await rawOpen.close();
    report(service, 'SQLite service');
    for (const row of rows) row.raw = raw;
    rows.push(
      { database: 'SQLite', path: 'raw (better-sqlite3, booking only)', clients: '1 (sync)', stats: raw },
      { database: 'SQLite', path: 'raw + audit event + 2 outbox mails', clients: '1 (sync)', stats: rawSide },
      { database: 'SQLite', path: 'service in-process (Kysely, no HTTP)', clients: '1', stats: service, raw },
    );
    console.log(`SQLite: measured in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    return { rows, audits: [auditLine('SQLite HTTP', await auditOf(httpDb)), auditLine('SQLite raw/service', await auditOf(rawDb))] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function postgresBench(): Promise<{ rows: Row[]; audits: string[] } | null> {
  const server = args['postgres-url'] ? { url: args['postgres-url'], version: 'given server', stop: async () => {} } : await startPostgres();
  if ('skipped' in server) {
    console.log(`PostgreSQL: skipped (${server.skipped})`);
    return null;
  }
  const made = [await createPostgresDatabase(server.url), await createPostgresDatabase(server.url)];
  try {
    const [httpDb, rawDb] = made.map((m) => m.database) as [DatabaseConfig & { kind: 'postgres' }, DatabaseConfig & { kind: 'postgres' }];
    const t = performance.now();
    const world = await prepare(httpDb);
    const rawWorld = await prepare(rawDb);
    console.log(`PostgreSQL ${server.version}: worlds built in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    const rows = await httpRuns('PostgreSQL', httpDb, world);
    let k = 0;
    for (const row of [...rows]) {
      const clients = Number(row.clients);
      const raw = await rawPostgres(rawDb.url, rawWorld, { ...bounds, fromK: k, clients, now: now.toISO()!, sideRows: false });
      k += raw.count + raw.failures;
      const side = await rawPostgres(rawDb.url, rawWorld, { ...bounds, fromK: k, clients, now: now.toISO()!, sideRows: true });
      k += side.count + side.failures;
      row.raw = raw;
      rows.push(
        { database: 'PostgreSQL', path: 'raw (pg, booking only)', clients: String(clients), stats: raw },
        { database: 'PostgreSQL', path: 'raw + audit event + 2 outbox mails', clients: String(clients), stats: side },
      );
      if (raw.failures + side.failures > 0) console.log(`  ! PostgreSQL raw ${clients}: ${raw.failures + side.failures} refused`);
    }
    return { rows, audits: [auditLine('PostgreSQL HTTP', await auditOf(httpDb)), auditLine('PostgreSQL raw', await auditOf(rawDb))] };
  } finally {
    for (const m of made) await m.cleanup();
    await server.stop();
  }
}

function auditLine(label: string, a: Audit): string {
  const broken = a.overbooked + a.countOff + a.pupilOverlaps;
  return `${label}: ${a.confirmed} confirmed bookings; overbooked slots ${a.overbooked}, counts off ${a.countOff}, pupils in two places ${a.pupilOverlaps}${broken === 0 ? ' (none)' : '  <-- BROKEN'}`;
}

const ms = (n: number) => (Number.isNaN(n) ? '–' : n < 10 ? n.toFixed(1) : n.toFixed(0));

function table(rows: Row[]) {
  console.log('\n| database | path | clients | bookings/s | p50 | p95 | p99 (ms) | CPU ms / booking | conflicts / failed | HTTP ÷ raw |');
  console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows) {
    const ratio = r.raw ? (r.stats.perSecond / r.raw.perSecond).toFixed(2) : '';
    console.log(`| ${r.database} | ${r.path} | ${r.clients} | ${r.stats.perSecond.toFixed(0)} | ${ms(r.stats.p50)} | ${ms(r.stats.p95)} | ${ms(r.stats.p99)} | ${r.stats.cpuMs === undefined ? '' : r.stats.cpuMs.toFixed(2)} | ${r.stats.conflicts ?? 0} / ${r.stats.failures} | ${ratio} |`);
  }
}

async function main() {
  const both = !args.sqlite && !args.postgres;
  console.log(`Booking benchmark, now = ${BENCH_NOW}; each run ${bounds.requests} bookings or ${bounds.seconds} s; clients ${clientLevels.join(', ')}`);
  if (synchronous !== 'FULL' || experiment.statementCache) console.log(`EXPERIMENT (SQLite): synchronous=${synchronous}, statement cache ${experiment.statementCache ? 'on' : 'off'}`);
  const results = [];
  if (args.sqlite || both) results.push(await sqliteBench());
  if (args.postgres || both) results.push(await postgresBench());
  const done = results.filter((r) => r !== null);
  table(done.flatMap((r) => r.rows));
  console.log('\nOverbookings found afterwards (SQL over every slot and pupil):');
  for (const line of done.flatMap((r) => r.audits)) console.log(`  ${line}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

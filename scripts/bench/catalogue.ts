// Catalogue benchmark: npx tsx scripts/bench/catalogue.ts [--postgres URL] [--help]
//
// Builds a fresh database with the real migrations, fills it with a realistic catalogue
// (scripts/bench/catalogue-fill.ts), starts the app in a child process on 127.0.0.1 and
// measures the catalogue page (/catalogue), the JSON API (/api/v1/slots) and the direct
// searchCatalogue() call for several filter mixes, with one client and with several.
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { DateTime } from 'luxon';
import type { DatabaseConfig } from '../../src/config.ts';
import { createDb } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { fillCatalogue } from './catalogue-fill.ts';
import { directBench, explainMix, MUNICIPALITY_LIST, openLoggedDb, type Mix } from './catalogue-direct.ts';
import { httpClient, measure, type Stats } from './load.ts';
import { createPostgresDatabase } from './postgres.ts';

const { values: args } = parseArgs({
  options: {
    postgres: { type: 'string' },
    companies: { type: 'string', default: '400' },
    stories: { type: 'string', default: '5000' },
    slots: { type: 'string', default: '20000' },
    requests: { type: 'string', default: '400' },
    seconds: { type: 'string', default: '6' },
    concurrency: { type: 'string', default: '8' },
    only: { type: 'string' },
    'without-new-indexes': { type: 'boolean', default: false },
    analyze: { type: 'boolean', default: false },
    explain: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  console.log(`npx tsx scripts/bench/catalogue.ts [options]
  --postgres URL          use a new database on this PostgreSQL server (dropped afterwards)
  --companies/--stories/--slots N   size of the catalogue (400 / 5000 / 20000)
  --requests N --seconds S          bound of each measurement (400 requests, twice that with
                                    several clients, or 6 s, whichever comes first)
  --concurrency N         clients in the concurrent run (8)
  --only a,b              only these mixes (names as in the table)
  --without-new-indexes   undo migration 2026-11-23T02.00_catalogue_indexes first (for before/after)
  --analyze               ANALYZE (PostgreSQL: VACUUM ANALYZE) after filling, as autovacuum
                          would; the app itself never runs ANALYZE on SQLite
  --explain               print the query plan of each mix's catalogue query`);
  process.exit(0);
}

const NOW = DateTime.fromISO('2026-11-23T08:00:00.000Z', { zone: 'utc' }); // a Monday, 09.00 in Stockholm
const int = (value: string | undefined) => Number.parseInt(value ?? '', 10);
const bounds = { requests: int(args.requests), seconds: int(args.seconds) };
const concurrency = int(args.concurrency);

const mixes = (networkIds: string[]): Mix[] =>
  [
    { name: 'none', query: '' },
    { name: 'field', query: 'field=electrical_energy' },
    { name: 'municipality+grade', query: 'municipality=Skövde&grade=9' },
    { name: 'free seats', query: 'free=1' },
    { name: 'text search', query: 'q=robot' },
    { name: 'text, no hits', query: 'q=zeppelin' },
    { name: 'date range', query: 'from=2027-04-12&to=2027-04-16' },
    { name: 'page 5', query: 'page=5' },
    { name: 'network', query: `networkId=${networkIds[1]}` },
    { name: 'rare combination', query: 'municipality=Munkfors&field=vehicles&grade=gy3&free=1' },
  ]
    .map((m) => ({ ...m, query: new URLSearchParams(m.query).toString() }))
    .filter((m) => !args.only || args.only.split(',').includes(m.name));

async function prepare(): Promise<{ database: DatabaseConfig; cleanup: () => Promise<void> }> {
  if (args.postgres) return createPostgresDatabase(args.postgres);
  const dir = mkdtempSync(path.join(tmpdir(), 'tp-bench-'));
  return { database: { kind: 'sqlite', file: path.join(dir, 'bench.sqlite') }, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
}

function startServer(database: DatabaseConfig): Promise<{ port: number; stop: () => void }> {
  const child = fork(path.join(import.meta.dirname, 'catalogue-serve.ts'), [JSON.stringify(database), NOW.toISO()!], { stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the app did not start within 30 s')), 30_000);
    child.once('message', (m: { port: number }) => {
      clearTimeout(timer);
      resolve({ port: m.port, stop: () => child.disconnect() });
    });
    child.once('exit', (code) => reject(new Error(`the app exited with ${code}`)));
  });
}

const ms = (n: number) => (Number.isNaN(n) ? '–' : n < 10 ? n.toFixed(1) : n.toFixed(0));
const cells = (s: Stats | null) => (s ? [ms(s.p50), ms(s.p95), ms(s.p99), s.perSecond.toFixed(0)] : ['–', '–', '–', '–']);

async function httpRuns(port: number, url: (m: Mix) => string, list: Mix[]) {
  const client = httpClient(port, concurrency);
  const results = new Map<string, { one: Stats | null; many: Stats | null; status: number }>();
  try {
    for (const mix of list) {
      const probe = await client.get(url(mix));
      if (probe.status !== 200) {
        results.set(mix.name, { one: null, many: null, status: probe.status });
        continue;
      }
      const task = async () => (await client.get(url(mix))).status === 200;
      await measure(task, { requests: 20, seconds: 2, concurrency: 1 }); // warm-up
      const one = await measure(task, { ...bounds, concurrency: 1 });
      const many = await measure(task, { ...bounds, requests: bounds.requests * 2, concurrency });
      results.set(mix.name, { one, many, status: 200 });
    }
  } finally {
    client.close();
  }
  return results;
}

async function main() {
  const { database, cleanup } = await prepare();
  try {
    const open = createDb(database);
    await migrateToLatest(open.db);
    if (args['without-new-indexes']) {
      const migration = await import('../../db/migrations/2026-11-23T02.00_catalogue_indexes.ts');
      await migration.down(open.db);
    }
    let t = performance.now();
    const filled = await fillCatalogue(open.db, { companies: int(args.companies), stories: int(args.stories), slots: int(args.slots), now: NOW, seed: 2027 });
    const fillMs = performance.now() - t;
    // As a settled database would be: statistics, and on PostgreSQL the visibility map that index-only scans need.
    if (args.analyze) await (database.kind === 'postgres' ? sql`vacuum analyze` : sql`analyze`).execute(open.db);
    await open.close();

    const list = mixes(filled.networkIds);
    console.log(`\n${database.kind === 'sqlite' ? 'SQLite' : 'PostgreSQL'}, now = ${NOW.toISO()}, filled in ${(fillMs / 1000).toFixed(1)} s:`);
    console.log(`  ${Object.entries(filled.rows).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    console.log(`  new indexes: ${args['without-new-indexes'] ? 'without' : 'with'}; ANALYZE: ${args.analyze ? 'yes' : 'no'}; bounds: ${bounds.requests} requests or ${bounds.seconds} s per run, ${concurrency} concurrent clients`);

    const logged = openLoggedDb(database);
    const direct = await directBench(logged, list, NOW, bounds);
    const explained = direct.has(MUNICIPALITY_LIST) ? [...list, { name: MUNICIPALITY_LIST, query: '' }] : list;
    if (args.explain) for (const mix of explained) console.log(await explainMix(logged, mix, NOW));
    await logged.close();

    const server = await startServer(database);
    t = performance.now();
    const html = await httpRuns(server.port, (m) => `/catalogue${m.query ? `?${m.query}` : ''}`, list);
    const json = await httpRuns(server.port, (m) => `/api/v1/slots${m.query ? `?${m.query}` : ''}`, list);
    server.stop();

    console.log('\n| mix | matching | on page | direct p50 | p95 | p99 | statements (ms) |');
    console.log('| --- | ---: | ---: | ---: | ---: | ---: | --- |');
    for (const mix of explained) {
      const d = direct.get(mix.name)!;
      console.log(`| ${mix.name} | ${d.matching} | ${d.onPage} | ${cells(d.stats).slice(0, 3).join(' | ')} | ${d.statements} |`);
    }
    for (const [label, results] of [['HTML GET /catalogue', html], ['JSON GET /api/v1/slots', json]] as const) {
      console.log(`\n${label}\n| mix | 1 client p50 | p95 | p99 | req/s | ${concurrency} clients p50 | p95 | p99 | req/s |`);
      console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
      for (const mix of list) {
        const r = results.get(mix.name)!;
        const note = r.status === 200 ? '' : ` (answered ${r.status}, not measured)`;
        console.log(`| ${mix.name}${note} | ${cells(r.one).join(' | ')} | ${cells(r.many).join(' | ')} |`);
      }
    }
    console.log(`\nHTTP runs took ${((performance.now() - t) / 1000).toFixed(0)} s. Latencies in ms.`);
  } finally {
    await cleanup();
  }
}

await main();

// The catalogue query without HTTP: searchCatalogue() timed directly, the statements it runs
// (with their own durations), and their query plans.
import { CompiledQuery, Kysely, PostgresDialect, SqliteDialect, type LogEvent } from 'kysely';
import type { DateTime } from 'luxon';
import pg from 'pg';
import type { DatabaseConfig } from '../../src/config.ts';
import { openSqlite } from '../../src/db/database.ts';
import type { Database } from '../../src/db/types.ts';
import * as catalogue from '../../src/slots/catalogue.ts';
import { searchCatalogue } from '../../src/slots/catalogue.ts';
import { catalogueQuerySchema } from '../../src/slots/slots.schemas.ts';
import { measure, type LoadOptions, type Stats } from './load.ts';

export interface Mix {
  name: string;
  query: string;
}

interface Statement {
  sql: string;
  parameters: readonly unknown[];
  ms: number;
}

export interface LoggedDb {
  db: Kysely<Database>;
  dialect: DatabaseConfig['kind'];
  /** Runs `fn` and returns the statements it executed. */
  capture(fn: () => Promise<unknown>): Promise<Statement[]>;
  close(): Promise<void>;
}

/** A second connection to the bench database whose statements can be recorded. */
export function openLoggedDb(config: DatabaseConfig): LoggedDb {
  let recording: Statement[] | null = null;
  const log = (event: LogEvent): void => {
    recording?.push({ sql: event.query.sql, parameters: event.query.parameters, ms: event.queryDurationMillis });
  };
  const dialect = config.kind === 'sqlite' ? new SqliteDialect({ database: openSqlite(config.file) }) : new PostgresDialect({ pool: new pg.Pool({ connectionString: config.url, max: 2 }) });
  const db = new Kysely<Database>({ dialect, log });
  return {
    db,
    dialect: config.kind,
    async capture(fn) {
      recording = [];
      try {
        await fn();
        return recording;
      } finally {
        recording = null;
      }
    },
    close: () => db.destroy(),
  };
}

export const MUNICIPALITY_LIST = 'municipality list (page filter)';

const parse = (mix: Mix) => catalogueQuerySchema.parse(Object.fromEntries(new URLSearchParams(mix.query)));

export interface DirectResult {
  matching: number;
  onPage: number;
  stats: Stats;
  /** Each statement of one call and its time, e.g. "12.1 / 0.3 / 0.2 / 0.4". */
  statements: string;
}

/**
 * The catalogue page also lists the municipalities that have slots (for its filter). Looked up
 * by name so the bench still runs if that function moves.
 */
const municipalityList = (catalogue as Record<string, unknown>).municipalitiesWithSlots as ((db: Kysely<Database>, now: DateTime) => Promise<string[]>) | undefined;

export async function directBench(logged: LoggedDb, mixes: Mix[], now: DateTime, bounds: Omit<LoadOptions, 'concurrency'>): Promise<Map<string, DirectResult>> {
  const results = new Map<string, DirectResult>();
  for (const mix of mixes) {
    const query = parse(mix);
    const call = () => searchCatalogue(logged.db, { networkIds: null }, query, now);
    // Every match on one "page" (matching count only; the bench's page size stays the app's).
    const all = await searchCatalogue(logged.db, { networkIds: null }, { ...query, page: 1 }, now, 100_000);
    const page = await call();
    await measure(async () => Boolean(await call()), { requests: 20, seconds: 2, concurrency: 1 });
    const stats = await measure(async () => Boolean(await call()), { ...bounds, concurrency: 1 });
    const statements = (await logged.capture(call)).map((s) => s.ms.toFixed(1)).join(' / ');
    results.set(mix.name, { matching: all.slots.length, onPage: page.slots.length, stats, statements });
  }
  if (municipalityList) {
    const call = () => municipalityList(logged.db, now);
    const list = await call();
    const stats = await measure(async () => Boolean(await call()), { ...bounds, concurrency: 1 });
    const statements = (await logged.capture(call)).map((s) => s.ms.toFixed(1)).join(' / ');
    results.set(MUNICIPALITY_LIST, { matching: list.length, onPage: list.length, stats, statements });
  }
  return results;
}

/** The plan of the mix's first statement (the one that filters and sorts). */
export async function explainMix(logged: LoggedDb, mix: Mix, now: DateTime): Promise<string> {
  const run = mix.name === MUNICIPALITY_LIST ? () => municipalityList!(logged.db, now) : () => searchCatalogue(logged.db, { networkIds: null }, parse(mix), now);
  const [first] = await logged.capture(run);
  const prefix = logged.dialect === 'sqlite' ? 'explain query plan ' : 'explain (analyze, costs off, timing off, summary on) ';
  const plan = await logged.db.executeQuery<Record<string, unknown>>(CompiledQuery.raw(prefix + first!.sql, [...first!.parameters]));
  const depth = new Map<number, number>([[0, 0]]);
  const lines = plan.rows.map((row) => {
    if (logged.dialect !== 'sqlite') return `  ${String(row['QUERY PLAN'])}`;
    depth.set(Number(row.id), (depth.get(Number(row.parent)) ?? 0) + 1);
    return `${'  '.repeat(depth.get(Number(row.id))!)}${String(row.detail)}`;
  });
  return `\n[${mix.name}] ${mix.query || '(no filter)'}\n${lines.join('\n')}`;
}

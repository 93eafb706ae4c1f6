import SqliteDatabase from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import {
  CompiledQuery,
  Kysely,
  PostgresAdapter,
  PostgresDialect,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type Driver,
} from 'kysely';
import pg from 'pg';
import type { DatabaseConfig } from '../config.ts';
import type { Database } from './types.ts';

export type Db = Kysely<Database>;
export type Dialect = DatabaseConfig['kind'];

export interface OpenDatabase {
  db: Db;
  dialect: Dialect;
  /** The raw better-sqlite3 handle (SQLite only): used for online backups. */
  sqlite?: SqliteDatabase.Database;
  close(): Promise<void>;
}

/**
 * Kysely's SQLite driver opens transactions with a plain BEGIN, which takes the write lock
 * only at the first write: two processes can then both read "a seat is free" and one of them
 * fails (SQLITE_BUSY) or, worse, decides on stale data. BEGIN IMMEDIATE takes the write lock
 * at the start, so every write transaction sees the latest committed state.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  constructor(private readonly options: ConstructorParameters<typeof SqliteDialect>[0]) {
    super(options);
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.options);
  }
}

/** Row locks (SELECT … FOR UPDATE) exist only on PostgreSQL; on SQLite the transaction already holds the write lock. */
export function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

export function openSqlite(file: string): SqliteDatabase.Database {
  if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const handle = new SqliteDatabase(file);
  handle.pragma('journal_mode = WAL');
  // FULL makes each commit durable in WAL mode (NORMAL may lose the last commits on power loss).
  handle.pragma('synchronous = FULL');
  handle.pragma('foreign_keys = ON');
  handle.pragma('busy_timeout = 5000');
  // SQLite's own lower() folds only A–Z, so a search for "älv" would miss "Älvdalens". This one
  // folds every letter, as PostgreSQL's does, and keeps the search queries the same on both.
  handle.function('lower', { deterministic: true }, (value: unknown) => (typeof value === 'string' ? value.toLowerCase() : value));
  cachePreparedStatements(handle);
  return handle;
}

const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely's SQLite driver prepares every query anew; preparing costs more than running most of
 * our queries (a booking runs about 25). Keep the most recently used statements by their SQL
 * text (bounded: `in (…)` lists make new texts). Safe because nothing streams results from a
 * statement (Kysely's driver uses all() and run(), which finish before the next call).
 */
function cachePreparedStatements(handle: SqliteDatabase.Database): void {
  const prepare = handle.prepare.bind(handle);
  const cache = new Map<string, SqliteDatabase.Statement>();
  handle.prepare = ((source: string) => {
    let statement = cache.get(source);
    if (statement) {
      cache.delete(source); // re-inserted below: Map order is recency
    } else {
      statement = prepare(source);
      if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
    }
    cache.set(source, statement);
    return statement;
  }) as typeof handle.prepare;
}

// PostgreSQL bigint (count(*)) arrives as a string: parse it, counts here fit in a JS number.
pg.types.setTypeParser(20, (value: string) => Number.parseInt(value, 10));

export function createDb(config: DatabaseConfig, onPoolError: (error: Error) => void = () => {}): OpenDatabase {
  if (config.kind === 'sqlite') {
    const sqlite = openSqlite(config.file);
    const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: sqlite }) });
    return { db, dialect: 'sqlite', sqlite, close: () => db.destroy() };
  }
  const pool = new pg.Pool({ connectionString: config.url, max: 10 });
  // An idle pooled connection can fail (the server restarts, an admin ends it). Without a
  // listener that error would crash the process; the pool drops the client and makes a new one.
  pool.on('error', onPoolError);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', close: () => db.destroy() };
}

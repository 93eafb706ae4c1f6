import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createDb, type OpenDatabase } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';

export interface TestDatabase extends OpenDatabase {
  /** Closes the connection and removes the database. */
  destroy(): Promise<void>;
}

/**
 * A fresh database built by the real migrations: a SQLite file in a temp folder, or — when
 * TEST_DATABASE_URL=postgres://… is set — a new PostgreSQL database created for this test file.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const url = process.env.TEST_DATABASE_URL;
  if (url && /^postgres(ql)?:\/\//.test(url)) return createPostgresTestDatabase(url);
  const dir = mkdtempSync(path.join(tmpdir(), 'teknikprao-test-'));
  const open = createDb({ kind: 'sqlite', file: path.join(dir, 'test.sqlite') });
  await migrateToLatest(open.db);
  return {
    ...open,
    destroy: async () => {
      await open.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function createPostgresTestDatabase(adminUrl: string): Promise<TestDatabase> {
  const name = `tp_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const dbUrl = new URL(adminUrl);
  dbUrl.pathname = `/${name}`;
  const open = createDb({ kind: 'postgres', url: dbUrl.toString() });
  await migrateToLatest(open.db);
  return {
    ...open,
    destroy: async () => {
      await open.close();
      const cleanup = new pg.Client({ connectionString: adminUrl });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}

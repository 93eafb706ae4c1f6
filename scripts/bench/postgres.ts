// A throwaway PostgreSQL database for a benchmark run, created on the given server and
// dropped afterwards (as test/support/database.ts does for tests).
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { DatabaseConfig } from '../../src/config.ts';

async function admin(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

export async function createPostgresDatabase(serverUrl: string): Promise<{ database: DatabaseConfig; cleanup: () => Promise<void> }> {
  const name = `tp_bench_${randomBytes(6).toString('hex')}`;
  await admin(serverUrl, `create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { database: { kind: 'postgres', url: url.toString() }, cleanup: () => admin(serverUrl, `drop database if exists ${name} with (force)`) };
}

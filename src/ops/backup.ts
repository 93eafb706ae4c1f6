import { existsSync } from 'node:fs';
import { openSqlite } from '../db/database.ts';

/**
 * An online, consistent copy of a SQLite database: SQLite's backup API copies pages in steps
 * while other connections keep reading and writing; the result is one snapshot in time.
 */
export async function backupSqlite(source: string, target: string): Promise<{ totalPages: number }> {
  if (!existsSync(source)) throw new Error(`No database at ${source}.`);
  if (existsSync(target)) throw new Error(`${target} already exists; choose a new file name.`);
  const sqlite = openSqlite(source);
  try {
    const { totalPages } = await sqlite.backup(target);
    return { totalPages };
  } finally {
    sqlite.close();
  }
}

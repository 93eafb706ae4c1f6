// npm run backup -- FILE: an online, consistent copy of the SQLite database (the app may keep running).
import { existsSync } from 'node:fs';
import { ConfigError, loadConfig } from '../src/config.ts';
import { openSqlite } from '../src/db/database.ts';

const target = process.argv[2];
if (!target) {
  console.error('Usage: npm run backup -- FILE');
  process.exit(2);
}
try {
  const config = loadConfig();
  if (config.database.kind !== 'sqlite') {
    console.error('DATABASE_URL is PostgreSQL: use pg_dump for backups.');
    process.exit(2);
  }
  if (!existsSync(config.database.file)) {
    console.error(`No database at ${config.database.file}.`);
    process.exit(1);
  }
  if (existsSync(target)) {
    console.error(`${target} already exists; choose a new file name.`);
    process.exit(1);
  }
  const sqlite = openSqlite(config.database.file);
  // better-sqlite3's backup uses SQLite's online backup API: pages are copied in steps while
  // other connections keep reading and writing, and the copy is one consistent snapshot.
  const { totalPages } = await sqlite.backup(target);
  sqlite.close();
  console.log(`Backed up ${totalPages} pages to ${target}.`);
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}

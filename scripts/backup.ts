// npm run backup -- FILE: an online, consistent copy of the SQLite database (the app may keep running).
import { ConfigError, loadConfig } from '../src/config.ts';
import { backupSqlite } from '../src/ops/backup.ts';

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
  const { totalPages } = await backupSqlite(config.database.file, target);
  console.log(`Backed up ${totalPages} pages to ${target}.`);
} catch (error) {
  console.error(error instanceof ConfigError || error instanceof Error ? error.message : error);
  process.exit(1);
}

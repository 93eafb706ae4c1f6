// npm run migrate: applies every pending migration in db/migrations to DATABASE_URL.
import { ConfigError, loadConfig } from '../src/config.ts';
import { createDb } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';

try {
  const config = loadConfig();
  const database = createDb(config.database);
  const result = await migrateToLatest(database.db);
  const applied = result.results ?? [];
  console.log(applied.length === 0 ? 'The database is up to date.' : applied.map((r) => `${r.status}: ${r.migrationName}`).join('\n'));
  await database.close();
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}

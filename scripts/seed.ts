// npm run seed: migrates, then loads the demo data into an empty database and prints the sign-ins.
import { ConfigError, loadConfig } from '../src/config.ts';
import { createDb } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { printDemoSignIns, seedDemoData } from '../src/demo/seed.ts';
import { systemClock } from '../src/time/clock.ts';
import { countUsers } from '../src/users/users.service.ts';

try {
  const config = loadConfig();
  const database = createDb(config.database);
  await migrateToLatest(database.db);
  if ((await countUsers(database.db)) > 0) {
    console.log('The database already has users; demo data is only loaded into an empty database.');
  } else {
    printDemoSignIns(await seedDemoData(database.db, config, systemClock.now()));
  }
  await database.close();
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}

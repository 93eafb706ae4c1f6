import type { Logger } from 'pino';
import type { Config } from './config.ts';
import type { Db } from './db/database.ts';
import { seedDemoData, type DemoSummary } from './demo/seed.ts';
import type { Clock } from './time/clock.ts';
import { countUsers, createUser } from './users/users.service.ts';

/**
 * First start: create the platform admin from ADMIN_EMAIL/ADMIN_PASSWORD when no user exists,
 * then fill an empty database with demo data unless DEMO_DATA=false.
 */
export async function bootstrap(db: Db, config: Config, clock: Clock, logger: Logger): Promise<DemoSummary | null> {
  const empty = (await countUsers(db)) === 0;
  if (empty && config.admin) {
    await createUser(db, { ...config.admin, name: 'Administratör', role: 'platform_admin' }, clock.now(), config.passwordHashing);
    logger.info({ email: config.admin.email }, 'created the platform administrator');
  }
  const wantDemo = config.demoData ?? empty;
  if (!wantDemo || !empty) return null;
  return seedDemoData(db, config, clock.now());
}

import { createApp } from './app.ts';
import { purgeExpired } from './auth/auth.service.ts';
import { bootstrap } from './bootstrap.ts';
import { ConfigError, loadConfig } from './config.ts';
import { createDb } from './db/database.ts';
import { migrateToLatest } from './db/migrate.ts';
import { printDemoSignIns } from './demo/seed.ts';
import { createLogger } from './logger.ts';
import { createMailer, deliverDue } from './mail/mail.service.ts';
import { sendReminders } from './bookings/reminders.ts';
import { sweepWaitingSeats } from './bookings/waitlist-sweep.ts';
import { purgeIdempotencyKeys } from './api/idempotency.ts';
import { systemClock } from './time/clock.ts';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  const database = createDb(config.database, (err) => logger.warn({ err }, 'an idle database connection failed'));
  await migrateToLatest(database.db);
  const demo = await bootstrap(database.db, config, systemClock, logger);
  const mailer = createMailer(config.smtpUrl, config.mailFrom);
  const app = createApp({ db: database.db, dialect: database.dialect, config, clock: systemClock, logger, mailer });

  // Background work: deliver mail, purge expired sessions and idempotency keys, remind of
  // bookings two days ahead, give free seats to pupils left waiting (waitlist-sweep.ts). Safe
  // with several instances.
  const timers = [
    setInterval(() => deliverDue(database.db, mailer, systemClock.now()).catch((err) => logger.error({ err }, 'mail delivery failed')), 15_000),
    setInterval(() => purgeExpired(database.db, systemClock.now()).catch((err) => logger.error({ err }, 'purge failed')), 3_600_000),
    setInterval(() => purgeIdempotencyKeys(database.db, systemClock.now()).catch((err) => logger.error({ err }, 'idempotency purge failed')), 3_600_000),
    setInterval(() => sendReminders(database.db, { mailer, config }, systemClock.now()).catch((err) => logger.error({ err }, 'booking reminders failed')), 900_000),
    setInterval(() => sweepWaitingSeats(database.db, { mailer, config }, systemClock.now()).catch((err) => logger.error({ err }, 'waitlist sweep failed')), 900_000),
  ];
  timers.forEach((t) => t.unref());

  const server = app.listen(config.port, () => {
    logger.info({ port: config.port, database: database.dialect }, 'Teknikprao is listening');
    console.log(`\nTeknikprao: ${config.baseUrl}  (database: ${database.dialect === 'sqlite' ? config.database.kind === 'sqlite' && config.database.file : 'PostgreSQL'})`);
    if (demo) printDemoSignIns(demo);
  });

  // Graceful shutdown: stop taking connections, let requests finish, close the database.
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    timers.forEach(clearInterval);
    const force = setTimeout(() => process.exit(1), 10_000).unref();
    server.close(async () => {
      await database.close();
      clearTimeout(force);
      process.exit(0);
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

// A tiny server entry for tests that need the app in processes of its own (several instances
// on one database, or one that is killed mid-request):
//
//   node --import tsx test/support/serve.ts <sqlite file | postgres://…> [--now ISO | --system-clock]
//
// It opens the database as the real server does (no migrations: the test built it), starts
// createApp with test settings on 127.0.0.1, port 0, and prints one line `LISTENING <port>`.
// SIGTERM closes it gracefully; SIGKILL is what the crash tests use. Nothing here imports
// vitest, so it runs as a plain Node program.
//
// Environment: NODE_ENV=test and BOOKING_UNSAFE_CONTROL=1 together turn on the test-only unsafe
// booking (the control of the concurrency tests); SERVE_LOG_LEVEL=error shows failures on stderr.
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { createApp } from '../../src/app.ts';
import { parseDatabaseUrl, type Config, type DatabaseConfig } from '../../src/config.ts';
import { createDb } from '../../src/db/database.ts';
import { createMailer } from '../../src/mail/mail.service.ts';
import { FixedClock, systemClock, type Clock } from '../../src/time/clock.ts';
import { TEST_NOW, testConfig } from './config.ts';

/** As the integration tests' settings, for a database of its own. */
const serveConfig = (database: DatabaseConfig, bookingUnsafeControl: boolean): Config => testConfig({ database, bookingUnsafeControl });

function fail(message: string): never {
  console.error(`serve: ${message}`);
  process.exit(78);
}

function main() {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { now: { type: 'string' }, 'system-clock': { type: 'boolean', default: false } } });
  const target = positionals[0] ?? process.env.DATABASE_URL;
  if (!target) fail('give the database: a SQLite file path or a postgres:// URL');
  const unsafe = ['1', 'true', 'yes', 'on'].includes(process.env.BOOKING_UNSAFE_CONTROL ?? '');
  // The same rule as src/config.ts: the unsafe control exists only in tests.
  if (unsafe && process.env.NODE_ENV !== 'test') fail('BOOKING_UNSAFE_CONTROL is only for NODE_ENV=test');
  const clock: Clock = values['system-clock'] ? systemClock : new FixedClock(values.now ?? TEST_NOW);

  const config = serveConfig(parseDatabaseUrl(target), unsafe);
  const logger = pino({ level: process.env.SERVE_LOG_LEVEL ?? 'silent' }, pino.destination(2));
  const open = createDb(config.database, (err) => logger.warn({ err }, 'an idle database connection failed'));
  const app = createApp({ db: open.db, dialect: open.dialect, config, clock, logger, mailer: createMailer(undefined, config.mailFrom) });
  const server = app.listen(0, '127.0.0.1', () => {
    process.stdout.write(`LISTENING ${(server.address() as AddressInfo).port}\n`);
  });
  server.on('error', (error) => fail(error.message));
  // A test's keep-alive connections stay open between its bursts (Node closes idle ones after
  // 5 s, which could race a request sent on one at that moment).
  server.keepAliveTimeout = 120_000;

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(1), 5_000).unref();
    server.close(() => void open.close().then(() => process.exit(0)));
    server.closeIdleConnections();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main();

// The app under test, in a process of its own (one JavaScript thread, like one production
// instance), so the load generator does not share its event loop. Started by catalogue.ts
// through fork(); it answers with { port } and exits when the parent disconnects.
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { createApp } from '../../src/app.ts';
import type { DatabaseConfig } from '../../src/config.ts';
import { benchConfig } from './bench-config.ts';
import { createDb } from '../../src/db/database.ts';
import { createMailer } from '../../src/mail/mail.service.ts';
import { FixedClock } from '../../src/time/clock.ts';


const [database, now] = [JSON.parse(process.argv[2] ?? '{}') as DatabaseConfig, process.argv[3] ?? ''];
if (process.send && database.kind) {
  const config = benchConfig(database);
  const open = createDb(config.database);
  const app = createApp({ db: open.db, dialect: open.dialect, config, clock: new FixedClock(now), logger: pino({ level: 'silent' }), mailer: createMailer(undefined, config.mailFrom) });
  const server = app.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as AddressInfo).port }));
  process.on('disconnect', () => {
    server.closeAllConnections();
    server.close(() => void open.close().then(() => process.exit(0)));
  });
}

// The app under the booking benchmark, in a process of its own (one JavaScript thread, as one
// production instance), configured as catalogue-serve.ts does (production view cache, silent
// logger). Started by booking.ts through fork(); answers with { port } and exits when the
// parent disconnects. Asked { cpu: true }, it answers with its process.cpuUsage().
//
// With an experiment (booking-experiments.ts), the SQLite connection is changed first.
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { createApp } from '../../src/app.ts';
import type { DatabaseConfig } from '../../src/config.ts';
import { benchConfig } from './bench-config.ts';
import { createDb } from '../../src/db/database.ts';
import { createMailer } from '../../src/mail/mail.service.ts';
import { FixedClock } from '../../src/time/clock.ts';
import { applyExperiment, type Experiment } from './booking-experiments.ts';

export interface ServeOptions {
  database: DatabaseConfig;
  now: string;
  experiment: Experiment;
}


const options = JSON.parse(process.argv[2] ?? '{}') as Partial<ServeOptions>;
if (process.send && options.database && options.now) {
  const config = benchConfig(options.database);
  const open = createDb(config.database);
  if (open.sqlite && options.experiment) applyExperiment(open.sqlite, options.experiment);
  const app = createApp({ db: open.db, dialect: open.dialect, config, clock: new FixedClock(options.now), logger: pino({ level: 'silent' }), mailer: createMailer(undefined, config.mailFrom) });
  const server = app.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as AddressInfo).port }));
  // The CPU time this process has used, so the benchmark can give CPU per booking (a figure
  // that holds on a busy machine, where wall-clock rates depend on what else runs).
  process.on('message', (m: { cpu?: boolean }) => {
    if (m.cpu) process.send!({ cpu: process.cpuUsage() });
  });
  process.on('disconnect', () => {
    server.closeAllConnections();
    server.close(() => void open.close().then(() => process.exit(0)));
  });
}

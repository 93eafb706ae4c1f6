// Changes the booking benchmark can try on SQLite without touching src/, to put numbers on
// proposals (off unless asked; the app does neither today):
//   synchronous NORMAL — WAL without an fsync at every commit: durable against a crash of the
//                        process, not against a power cut or an OS crash;
//   statement cache    — reuse each prepared statement (Kysely's SQLite driver prepares every
//                        query anew).
import type { Database, Statement } from 'better-sqlite3';

export interface Experiment {
  synchronous: 'FULL' | 'NORMAL';
  statementCache: boolean;
}

export const APP_AS_IS: Experiment = { synchronous: 'FULL', statementCache: false };

export function applyExperiment(handle: Database, experiment: Experiment): void {
  handle.pragma(`synchronous = ${experiment.synchronous}`);
  if (!experiment.statementCache) return;
  const prepare = handle.prepare.bind(handle);
  const cache = new Map<string, Statement>();
  handle.prepare = ((source: string) => {
    let statement = cache.get(source);
    if (!statement) cache.set(source, (statement = prepare(source)));
    return statement;
  }) as typeof handle.prepare;
}

import type { Kysely } from 'kysely';

// Frozen once shipped.
//
// A run is worked on by one process (in a worker thread). That process writes heartbeat_at
// (a UTC instant) with every progress step and every few seconds while the worker solves, so
// a 'running' row whose heartbeat has gone quiet belonged to a process that stopped: the app
// shows it as failed and lets a new run start. Rows from before this column have none.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('allocations').addColumn('heartbeat_at', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('allocations').dropColumn('heartbeat_at').execute();
}

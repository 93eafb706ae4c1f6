import type { Kysely } from 'kysely';

// Frozen once shipped. Found with scripts/bench/catalogue.ts (figures in scripts/bench/README.md).
//
// The catalogue walks published, not yet started slots in time order and checks each one
// against the filters until a page is full; a filter that matches few slots (or the list of
// municipalities with slots) walks all of them. With every column those checks read in the
// index, the walk never has to visit the table rows, and the order (starts_at, id) comes from
// the index alone. It begins with the same columns as slots_catalogue, which it replaces.
const CATALOGUE_SCAN = ['status', 'starts_at', 'id', 'company_id', 'site_id', 'format', 'capacity', 'booked_count'];

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('slots_catalogue_scan').on('slots').columns(CATALOGUE_SCAN).execute();
  await db.schema.dropIndex('slots_catalogue').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('slots_catalogue').on('slots').columns(['status', 'starts_at']).execute();
  await db.schema.dropIndex('slots_catalogue_scan').execute();
}

import { sql, type Kysely } from 'kysely';

// Rounds: a network places many schools' pupils at once from their ranked wishes. Frozen once shipped.
//
// - rounds: the coordinator's settings (wish window, how many wishes, when free booking opens);
// - round_schools: each school's own prao dates (local dates, both included);
// - round_wishes: a pupil's ranked wishes; a placement is a slot, or a whole series;
// - allocations: each run (preview) with its seed, settings, progress, metrics and the
//   fingerprint of everything it read, so a commit can refuse when anything changed since;
// - allocation_results: per pupil, the placement and rank (null: unplaced) and why.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('rounds')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('network_id', 'text', (c) => c.notNull().references('networks.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('wishes_open_at', 'text', (c) => c.notNull())
    .addColumn('wishes_close_at', 'text', (c) => c.notNull())
    .addColumn('max_wishes', 'integer', (c) => c.notNull().defaultTo(5))
    // Which grades take part (space-separated, e.g. "8" or "8 9").
    .addColumn('grades', 'text', (c) => c.notNull())
    // When the coordinator plans to run the allocation (shown to schools), and when free
    // booking of what is left opens (until then the round's slots cannot be booked by hand).
    .addColumn('allocation_planned_at', 'text')
    .addColumn('free_booking_opens_at', 'text')
    // Round settings: place pupils without wishes in free seats that fit; cap each school's
    // share of an over-subscribed placement in proportion to its pupils in the round.
    .addColumn('place_without_wishes', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('school_share_caps', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('committed_allocation_id', 'text')
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addCheckConstraint('rounds_window_ordered', sql`wishes_open_at < wishes_close_at`)
    .addCheckConstraint('rounds_max_wishes_range', sql`max_wishes between 1 and 10`)
    .addCheckConstraint('rounds_flags', sql`place_without_wishes in (0, 1) and school_share_caps in (0, 1)`)
    .addCheckConstraint('rounds_name_length', sql`length(name) between 1 and 120`)
    .execute();
  await db.schema.createIndex('rounds_network').on('rounds').columns(['network_id', 'wishes_open_at']).execute();

  await db.schema
    .createTable('round_schools')
    .addColumn('round_id', 'text', (c) => c.notNull().references('rounds.id').onDelete('cascade'))
    .addColumn('school_id', 'text', (c) => c.notNull().references('schools.id').onDelete('cascade'))
    .addColumn('from_date', 'text', (c) => c.notNull())
    .addColumn('to_date', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('round_schools_pk', ['round_id', 'school_id'])
    .addCheckConstraint('round_schools_dates_ordered', sql`from_date <= to_date`)
    .execute();
  await db.schema.createIndex('round_schools_school').on('round_schools').column('school_id').execute();

  await db.schema
    .createTable('round_wishes')
    .addColumn('round_id', 'text', (c) => c.notNull().references('rounds.id').onDelete('cascade'))
    .addColumn('pupil_id', 'text', (c) => c.notNull().references('pupils.id').onDelete('cascade'))
    .addColumn('rank', 'integer', (c) => c.notNull())
    // A slot id, or a series id for a series (placed as one unit).
    .addColumn('placement_id', 'text', (c) => c.notNull())
    .addColumn('placement_kind', 'text', (c) => c.notNull())
    // Who entered the list last: a counsellor (user id), or null for the pupil's own link.
    .addColumn('entered_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('round_wishes_pk', ['round_id', 'pupil_id', 'rank'])
    .addCheckConstraint('round_wishes_rank_range', sql`rank between 1 and 10`)
    .addCheckConstraint('round_wishes_kind_known', sql`placement_kind in ('slot', 'series')`)
    .execute();
  await db.schema.createIndex('round_wishes_one_per_placement').on('round_wishes').columns(['round_id', 'pupil_id', 'placement_id']).unique().execute();
  await db.schema.createIndex('round_wishes_pupil').on('round_wishes').column('pupil_id').execute();

  await db.schema
    .createTable('allocations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('round_id', 'text', (c) => c.notNull().references('rounds.id').onDelete('cascade'))
    .addColumn('seed', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    // 0–100 while running.
    .addColumn('progress', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('place_without_wishes', 'integer', (c) => c.notNull())
    .addColumn('school_share_caps', 'integer', (c) => c.notNull())
    // SHA-256 of everything the run read (placements, free seats, pupils, wishes, clashes).
    .addColumn('input_hash', 'text')
    // JSON: pupils, placed, unplaced, byRank, per school, the certificate's check.
    .addColumn('metrics', 'text')
    .addColumn('error', 'text')
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .addColumn('committed_at', 'text')
    .addColumn('committed_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addCheckConstraint('allocations_status_known', sql`status in ('running', 'ready', 'failed', 'committed')`)
    .addCheckConstraint('allocations_progress_range', sql`progress between 0 and 100`)
    .execute();
  await db.schema.createIndex('allocations_round').on('allocations').columns(['round_id', 'created_at']).execute();
  // At most one committed allocation per round, held by the database.
  await db.schema
    .createIndex('allocations_one_committed')
    .on('allocations')
    .column('round_id')
    .unique()
    .where(sql.ref('status'), '=', 'committed')
    .execute();

  await db.schema
    .createTable('allocation_results')
    .addColumn('allocation_id', 'text', (c) => c.notNull().references('allocations.id').onDelete('cascade'))
    .addColumn('pupil_id', 'text', (c) => c.notNull().references('pupils.id').onDelete('cascade'))
    .addColumn('school_id', 'text', (c) => c.notNull())
    .addColumn('placement_id', 'text')
    .addColumn('placement_kind', 'text')
    .addColumn('rank', 'integer')
    // Why (a code: placed, no_wishes, already_booked, …) and the structured explanation (JSON).
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('explanation', 'text')
    .addPrimaryKeyConstraint('allocation_results_pk', ['allocation_id', 'pupil_id'])
    .addCheckConstraint('allocation_results_kind_known', sql`placement_kind is null or placement_kind in ('slot', 'series')`)
    .addCheckConstraint('allocation_results_rank_needs_placement', sql`rank is null or placement_id is not null`)
    .execute();
  await db.schema.createIndex('allocation_results_school').on('allocation_results').columns(['allocation_id', 'school_id']).execute();
  await db.schema.createIndex('allocation_results_pupil').on('allocation_results').column('pupil_id').execute();

}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['allocation_results', 'allocations', 'round_wishes', 'round_schools', 'rounds']) await db.schema.dropTable(table).execute();
}

import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Role stories (the professionals pupils meet) and the slots they host. Frozen once shipped.

const PATH_KINDS = `('grundskola', 'gymnasium', 'yh', 'university', 'apprenticeship', 'job', 'gap', 'other')`;
const FORMATS = `('shadow_day', 'half_day', 'group_morning', 'digital')`;
const GRADES = `('7', '8', '9', 'gy1', 'gy2', 'gy3', 'yh')`;

export async function up(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;

  await db.schema.alterTable('company_sites').addColumn('meeting_point', 'text').execute();
  await db.schema.alterTable('company_sites').addColumn('directions', 'text').execute();

  await db.schema
    .createTable('role_stories')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id').onDelete('cascade'))
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('role_title', 'text', (c) => c.notNull())
    .addColumn('pronoun', 'text')
    .addColumn('interest_text', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('day_text', 'text', (c) => c.notNull())
    .addColumn('society_text', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('wish_text', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('published', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('consent_person', 'text')
    .addColumn('consent_recorded_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('consent_at', 'text')
    .addColumn('consent_withdrawn_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addCheckConstraint('role_stories_published_flag', sql`published in (0, 1)`)
    // The database refuses a published story without standing consent.
    .addCheckConstraint(
      'role_stories_published_needs_consent',
      sql`published = 0 or (consent_at is not null and consent_withdrawn_at is null)`,
    )
    .execute();
  await db.schema.createIndex('role_stories_company').on('role_stories').column('company_id').execute();
  await db.schema.createIndex('role_stories_published').on('role_stories').columns(['published', 'company_id']).execute();

  await db.schema
    .createTable('story_path_steps')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('story_id', 'text', (c) => c.notNull().references('role_stories.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('programme', 'text')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('place', 'text')
    .addColumn('from_year', 'integer')
    .addColumn('to_year', 'integer')
    .addCheckConstraint('story_path_steps_kind_known', sql.raw(`kind in ${PATH_KINDS}`))
    .addCheckConstraint('story_path_steps_years_ordered', sql`from_year is null or to_year is null or from_year <= to_year`)
    .execute();
  await db.schema.createIndex('story_path_steps_order').on('story_path_steps').columns(['story_id', 'position']).unique().execute();
  await db.schema.createIndex('story_path_steps_programme').on('story_path_steps').columns(['programme', 'story_id']).execute();

  await db.schema
    .createTable('story_fields')
    .addColumn('story_id', 'text', (c) => c.notNull().references('role_stories.id').onDelete('cascade'))
    .addColumn('field', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('story_fields_pk', ['story_id', 'field'])
    .execute();
  await db.schema.createIndex('story_fields_field').on('story_fields').columns(['field', 'story_id']).execute();

  await db.schema
    .createTable('story_portraits')
    .addColumn('story_id', 'text', (c) => c.primaryKey().references('role_stories.id').onDelete('cascade'))
    .addColumn('image', postgres ? 'bytea' : 'blob', (c) => c.notNull())
    .addColumn('width', 'integer', (c) => c.notNull())
    .addColumn('height', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('slot_series')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id').onDelete('cascade'))
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('slots')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id').onDelete('cascade'))
    .addColumn('site_id', 'text', (c) => c.notNull().references('company_sites.id'))
    .addColumn('series_id', 'text', (c) => c.references('slot_series.id').onDelete('set null'))
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('ends_at', 'text', (c) => c.notNull())
    .addColumn('capacity', 'integer', (c) => c.notNull())
    .addColumn('min_group', 'integer')
    .addColumn('booked_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('activities', 'text')
    .addColumn('bring', 'text')
    .addColumn('provided', 'text')
    .addColumn('accessibility', 'text')
    .addColumn('supervisor_name', 'text')
    .addColumn('supervisor_phone', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('cancel_reason', 'text')
    .addColumn('cancelled_at', 'text')
    .addColumn('published_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addCheckConstraint('slots_format_known', sql.raw(`format in ${FORMATS}`))
    .addCheckConstraint('slots_status_known', sql`status in ('draft', 'published', 'cancelled')`)
    .addCheckConstraint('slots_time_ordered', sql`starts_at < ends_at`)
    .addCheckConstraint('slots_capacity_positive', sql`capacity > 0`)
    .addCheckConstraint('slots_min_group_fits', sql`min_group is null or (min_group >= 1 and min_group <= capacity)`)
    .addCheckConstraint('slots_never_overbooked', sql`booked_count >= 0 and booked_count <= capacity`)
    .execute();
  await db.schema.createIndex('slots_catalogue').on('slots').columns(['status', 'starts_at']).execute();
  await db.schema.createIndex('slots_company').on('slots').columns(['company_id', 'starts_at']).execute();
  await db.schema.createIndex('slots_series').on('slots').column('series_id').execute();
  await db.schema.createIndex('slots_site').on('slots').column('site_id').execute();

  await db.schema
    .createTable('slot_grades')
    .addColumn('slot_id', 'text', (c) => c.notNull().references('slots.id').onDelete('cascade'))
    .addColumn('grade', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('slot_grades_pk', ['slot_id', 'grade'])
    .addCheckConstraint('slot_grades_known', sql.raw(`grade in ${GRADES}`))
    .execute();
  await db.schema.createIndex('slot_grades_grade').on('slot_grades').columns(['grade', 'slot_id']).execute();

  // One row per host of a slot, carrying the slot's time so the database can refuse a host
  // in two places at once. `active` is 0 once the slot is cancelled.
  await db.schema
    .createTable('slot_hosts')
    .addColumn('slot_id', 'text', (c) => c.notNull().references('slots.id').onDelete('cascade'))
    .addColumn('story_id', 'text', (c) => c.notNull().references('role_stories.id'))
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('ends_at', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addPrimaryKeyConstraint('slot_hosts_pk', ['slot_id', 'story_id'])
    .addCheckConstraint('slot_hosts_active_flag', sql`active in (0, 1)`)
    .addCheckConstraint('slot_hosts_time_ordered', sql`starts_at < ends_at`)
    .execute();
  await db.schema.createIndex('slot_hosts_story').on('slot_hosts').columns(['story_id', 'starts_at']).execute();

  if (postgres) {
    // Instants are stored as UTC ISO text ending in Z; read that way the cast cannot depend on
    // any session setting, so it is safe to declare immutable and use in an index.
    await sql`create extension if not exists btree_gist`.execute(db);
    await sql`create or replace function tp_instant(text) returns timestamptz
      language sql immutable strict parallel safe as $$ select $1::timestamptz $$`.execute(db);
    await sql`alter table slot_hosts add constraint slot_hosts_no_overlap
      exclude using gist (story_id with =, tstzrange(tp_instant(starts_at), tp_instant(ends_at), '[)') with &&)
      where (active = 1)`.execute(db);
  } else {
    // SQLite has no exclusion constraints; a trigger refuses the overlap instead. Every write
    // transaction starts with BEGIN IMMEDIATE, so two writers cannot both pass the check.
    for (const event of ['insert', 'update']) {
      await sql
        .raw(
          `create trigger slot_hosts_no_overlap_${event} before ${event} on slot_hosts
           when new.active = 1
           begin
             select raise(abort, 'host_overlap') where exists (
               select 1 from slot_hosts h
               where h.story_id = new.story_id and h.active = 1 and h.slot_id <> new.slot_id
                 and h.starts_at < new.ends_at and new.starts_at < h.ends_at);
           end`,
        )
        .execute(db);
    }
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['slot_hosts', 'slot_grades', 'slots', 'slot_series', 'story_portraits', 'story_fields', 'story_path_steps', 'role_stories']) {
    await db.schema.dropTable(table).execute();
  }
  if (db.getExecutor().adapter instanceof PostgresAdapter) await sql`drop function if exists tp_instant(text)`.execute(db);
  await db.schema.alterTable('company_sites').dropColumn('directions').execute();
  await db.schema.alterTable('company_sites').dropColumn('meeting_point').execute();
}

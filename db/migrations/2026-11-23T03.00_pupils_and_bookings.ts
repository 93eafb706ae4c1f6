import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Pupils (kept by their school's counsellors) and their bookings. Frozen once shipped.
//
// The database holds the booking guarantees on its own, whatever the code above it does:
// - slots.booked_count is kept by triggers from the confirmed bookings, and its check
//   (booked_count <= capacity, migration 01) refuses an overbooked slot;
// - a pupil never has two overlapping confirmed bookings (exclusion constraint / trigger);
// - a pupil has at most one live (confirmed or waitlisted) booking per slot (partial unique index).

const GRADES = `('7', '8', '9', 'gy1', 'gy2', 'gy3', 'yh')`;

export async function up(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;

  // When booking opens and closes (null: from publication until the start), and when the
  // reminder two days before went out.
  await db.schema.alterTable('slots').addColumn('booking_opens_at', 'text').execute();
  await db.schema.alterTable('slots').addColumn('booking_closes_at', 'text').execute();
  await db.schema.alterTable('slots').addColumn('reminder_sent_at', 'text').execute();

  await db.schema
    .createTable('pupils')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('school_id', 'text', (c) => c.notNull().references('schools.id').onDelete('cascade'))
    .addColumn('given_name', 'text', (c) => c.notNull())
    .addColumn('family_name', 'text', (c) => c.notNull())
    .addColumn('class_name', 'text', (c) => c.notNull())
    .addColumn('grade', 'text', (c) => c.notNull())
    .addColumn('birth_year', 'integer')
    .addColumn('gender', 'text')
    .addColumn('protected_identity', 'integer', (c) => c.notNull().defaultTo(0))
    // A short code that stands for the pupil where the name is not shown (protected identity).
    .addColumn('code', 'text', (c) => c.notNull().unique())
    // The personal link: its token is derived from the server secret and this salt, so the
    // database alone never holds a usable link; a new salt revokes the old link.
    .addColumn('link_salt', 'text')
    .addColumn('link_hash', 'text', (c) => c.unique())
    .addColumn('link_issued_at', 'text')
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addCheckConstraint('pupils_grade_known', sql.raw(`grade in ${GRADES}`))
    .addCheckConstraint('pupils_gender_known', sql`gender is null or gender in ('girl', 'boy', 'non_binary', 'undisclosed')`)
    .addCheckConstraint('pupils_protected_flag', sql`protected_identity in (0, 1)`)
    .addCheckConstraint('pupils_birth_year_plausible', sql`birth_year is null or (birth_year >= 1990 and birth_year <= 2030)`)
    .execute();
  await db.schema.createIndex('pupils_school_class').on('pupils').columns(['school_id', 'class_name', 'family_name']).execute();

  await db.schema
    .createTable('bookings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('slot_id', 'text', (c) => c.notNull().references('slots.id').onDelete('cascade'))
    .addColumn('pupil_id', 'text', (c) => c.notNull().references('pupils.id').onDelete('cascade'))
    .addColumn('school_id', 'text', (c) => c.notNull().references('schools.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull())
    // The slot's time, copied so the database can refuse a pupil in two places at once.
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('ends_at', 'text', (c) => c.notNull())
    // Waitlist order: first come, first promoted (a position, as two requests can share an instant).
    .addColumn('waitlisted_at', 'text')
    .addColumn('waitlist_position', 'integer')
    .addColumn('confirmed_at', 'text')
    .addColumn('booked_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('cancelled_at', 'text')
    .addColumn('cancelled_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('cancelled_party', 'text')
    .addColumn('cancel_reason', 'text')
    .addColumn('cancelled_late', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('attendance', 'text')
    .addColumn('attendance_at', 'text')
    .addColumn('attendance_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addCheckConstraint('bookings_status_known', sql`status in ('confirmed', 'waitlisted', 'cancelled')`)
    .addCheckConstraint('bookings_time_ordered', sql`starts_at < ends_at`)
    .addCheckConstraint('bookings_party_known', sql`cancelled_party is null or cancelled_party in ('school', 'company', 'system')`)
    .addCheckConstraint('bookings_late_flag', sql`cancelled_late in (0, 1)`)
    .addCheckConstraint('bookings_attendance_known', sql`attendance is null or attendance in ('present', 'absent')`)
    .addCheckConstraint('bookings_cancelled_has_time', sql`(status = 'cancelled') = (cancelled_at is not null)`)
    .execute();
  await db.schema
    .createIndex('bookings_one_live_per_pupil_and_slot')
    .on('bookings')
    .columns(['slot_id', 'pupil_id'])
    .unique()
    .where(sql.ref('status'), '<>', 'cancelled')
    .execute();
  await db.schema.createIndex('bookings_slot').on('bookings').columns(['slot_id', 'status']).execute();
  await db.schema.createIndex('bookings_pupil').on('bookings').columns(['pupil_id', 'starts_at']).execute();
  await db.schema.createIndex('bookings_school').on('bookings').columns(['school_id', 'starts_at']).execute();

  // The audit trail of every booking change. Plain ids, no foreign keys: it outlives the
  // pupils it mentions (their names are never in it).
  await db.schema
    .createTable('booking_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('booking_id', 'text', (c) => c.notNull())
    .addColumn('slot_id', 'text', (c) => c.notNull())
    .addColumn('pupil_id', 'text', (c) => c.notNull())
    .addColumn('school_id', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text')
    .addColumn('actor_id', 'text')
    .addColumn('actor_role', 'text')
    .addColumn('via', 'text', (c) => c.notNull())
    .addColumn('ip', 'text')
    .addColumn('detail', 'text')
    .addColumn('at', 'text', (c) => c.notNull())
    .addCheckConstraint('booking_events_via_known', sql`via in ('ui', 'api', 'system')`)
    .execute();
  await db.schema.createIndex('booking_events_booking').on('booking_events').columns(['booking_id', 'at']).execute();
  await db.schema.createIndex('booking_events_slot').on('booking_events').columns(['slot_id', 'at']).execute();
  await db.schema.createIndex('booking_events_school').on('booking_events').columns(['school_id', 'at']).execute();

  // Idempotency-Key: the first answer to a key, replayed for a retry of the same request.
  await db.schema
    .createTable('idempotency_keys')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('response_status', 'integer', (c) => c.notNull())
    .addColumn('response_body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['user_id', 'key'])
    .execute();
  await db.schema.createIndex('idempotency_keys_created').on('idempotency_keys').column('created_at').execute();

  if (postgres) {
    await sql`alter table bookings add constraint bookings_pupil_no_overlap
      exclude using gist (pupil_id with =, tstzrange(tp_instant(starts_at), tp_instant(ends_at), '[)') with &&)
      where (status = 'confirmed')`.execute(db);
    // Decrement before increment, so a row that stays confirmed never counts twice.
    await sql`create or replace function tp_bookings_count() returns trigger language plpgsql as $$
      begin
        if tg_op in ('UPDATE', 'DELETE') and old.status = 'confirmed' then
          update slots set booked_count = booked_count - 1 where id = old.slot_id;
        end if;
        if tg_op in ('INSERT', 'UPDATE') and new.status = 'confirmed' then
          update slots set booked_count = booked_count + 1 where id = new.slot_id;
        end if;
        return null;
      end $$`.execute(db);
    await sql`create trigger bookings_count after insert or update of status or delete on bookings
      for each row execute function tp_bookings_count()`.execute(db);
  } else {
    // Every write transaction starts with BEGIN IMMEDIATE, so two writers cannot both pass the check.
    for (const event of ['insert', 'update of status, starts_at, ends_at']) {
      await sql
        .raw(
          `create trigger bookings_pupil_no_overlap_${event.split(' ')[0]} before ${event} on bookings
           when new.status = 'confirmed'
           begin
             select raise(abort, 'pupil_overlap') where exists (
               select 1 from bookings b
               where b.pupil_id = new.pupil_id and b.status = 'confirmed' and b.id <> new.id
                 and b.starts_at < new.ends_at and new.starts_at < b.ends_at);
           end`,
        )
        .execute(db);
    }
    await sql
      .raw(
        `create trigger bookings_count_insert after insert on bookings when new.status = 'confirmed'
         begin update slots set booked_count = booked_count + 1 where id = new.slot_id; end`,
      )
      .execute(db);
    await sql
      .raw(
        `create trigger bookings_count_update after update of status on bookings
         when (old.status = 'confirmed') <> (new.status = 'confirmed')
         begin
           update slots set booked_count = booked_count + (case when new.status = 'confirmed' then 1 else -1 end)
           where id = new.slot_id;
         end`,
      )
      .execute(db);
    await sql
      .raw(
        `create trigger bookings_count_delete after delete on bookings when old.status = 'confirmed'
         begin update slots set booked_count = booked_count - 1 where id = old.slot_id; end`,
      )
      .execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`drop trigger if exists bookings_count on bookings`.execute(db);
    await sql`drop function if exists tp_bookings_count()`.execute(db);
  }
  for (const table of ['idempotency_keys', 'booking_events', 'bookings', 'pupils']) await db.schema.dropTable(table).execute();
  for (const column of ['reminder_sent_at', 'booking_closes_at', 'booking_opens_at']) await db.schema.alterTable('slots').dropColumn(column).execute();
}

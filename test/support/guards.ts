import { sql } from 'kysely';
import { isPostgres, type Db } from '../../src/db/database.ts';

/**
 * FOR THE CONTROL ONLY: removes the database's own booking guards (the booked_count triggers,
 * whose check refuses an overbooked slot, and the pupil-overlap trigger or exclusion
 * constraint), so that the test-only unsafe booking (BOOKING_UNSAFE_CONTROL) can overbook.
 * A concurrency test that still passes against this database would be a test that cannot fail.
 * Use it on a database of the control's own: nothing puts the guards back.
 */
export async function dropBookingGuards(db: Db): Promise<void> {
  if (isPostgres(db)) {
    await sql`drop trigger if exists bookings_count on bookings`.execute(db);
    await sql`alter table bookings drop constraint if exists bookings_pupil_no_overlap`.execute(db);
    return;
  }
  for (const trigger of ['bookings_count_insert', 'bookings_count_update', 'bookings_count_delete', 'bookings_pupil_no_overlap_insert', 'bookings_pupil_no_overlap_update']) {
    await sql.raw(`drop trigger if exists ${trigger}`).execute(db);
  }
}

/** The names of the guards still in place (to show the control really runs without them). */
export async function bookingGuards(db: Db): Promise<string[]> {
  if (isPostgres(db)) {
    const triggers = await sql<{ name: string }>`select tgname as name from pg_trigger where tgrelid = 'bookings'::regclass and not tgisinternal`.execute(db);
    const constraints = await sql<{ name: string }>`select conname as name from pg_constraint where conrelid = 'bookings'::regclass and contype = 'x'`.execute(db);
    return [...triggers.rows, ...constraints.rows].map((r) => r.name).sort();
  }
  const rows = await sql<{ name: string }>`select name from sqlite_master where type = 'trigger' and tbl_name = 'bookings'`.execute(db);
  return rows.rows.map((r) => r.name).sort();
}

// The raw limit for the booking benchmark: the booking transaction written by hand, without
// HTTP, Express, Kysely or the service. SQLite through better-sqlite3 with the app's own
// connection settings (openSqlite: WAL, synchronous=FULL, busy_timeout); PostgreSQL through a
// pg pool of the app's size, with the app's locks (slot and pupil FOR UPDATE).
//
//   BEGIN (IMMEDIATE); read the slot; read the pupil; its grade, a live booking already here,
//   a confirmed booking elsewhere that overlaps; check seats; insert the booking (the triggers
//   keep booked_count, its check refuses overbooking); COMMIT
//
// With `sideRows`, the transaction also writes what the service writes beside the booking:
// its audit event and two outbox mails (the counsellor's, the company's coordinator's).
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { openSqlite } from '../../src/db/database.ts';
import { pairOf, type BookingWorld } from './booking-world.ts';
import { summarise, type Stats } from './load.ts';

export interface RawOptions {
  /** The first k of pairOf() to book; each run uses pairs no other run used. */
  fromK: number;
  requests: number;
  seconds: number;
  now: string;
  sideRows: boolean;
  /** SQLite only: the app's FULL unless an experiment says NORMAL. */
  synchronous?: 'FULL' | 'NORMAL';
}

type Row = Record<string, string | number | null>;

function bookingRow(slot: Row, slotId: string, pupilId: string, schoolId: string, userId: string, at: string): Row {
  return {
    id: randomUUID(), slot_id: slotId, pupil_id: pupilId, school_id: schoolId, status: 'confirmed', starts_at: slot.starts_at!, ends_at: slot.ends_at!,
    waitlisted_at: null, waitlist_position: null, confirmed_at: at, booked_by: userId, cancelled_at: null, cancelled_by: null, cancelled_party: null,
    cancel_reason: null, cancelled_late: 0, attendance: null, attendance_at: null, attendance_by: null, created_at: at, updated_at: at,
  };
}

const eventRow = (b: Row, userId: string, at: string): Row => ({
  id: randomUUID(), booking_id: b.id!, slot_id: b.slot_id!, pupil_id: b.pupil_id!, school_id: b.school_id!, action: 'booked', from_status: null, to_status: 'confirmed',
  actor_id: userId, actor_role: 'counsellor', via: 'api', ip: '127.0.0.1', detail: null, at,
});

const mailRow = (to: string, at: string): Row => ({
  id: randomUUID(), to_address: to, subject: 'Bokning: Bänkföretaget AB', body_text: 'Hej! Eleven är bokad.\n- Elev Bänksson (8A)', status: 'held', attempts: 0,
  last_error: null, next_attempt_at: at, claimed_until: null, created_at: at, sent_at: null,
});

const insertSql = (table: string, row: Row, param: (i: number) => string) =>
  `insert into ${table} (${Object.keys(row).join(', ')}) values (${Object.keys(row).map((_, i) => param(i + 1)).join(', ')})`;

/** Why the slot cannot take the pupil, as the service decides it, or null. */
function refusal(slot: Row | undefined, pupil: Row | undefined, grades: string[], already: boolean, clash: boolean, now: string): string | null {
  if (!slot || !pupil) return 'not_found';
  if (slot.status !== 'published' || String(slot.starts_at) <= now) return 'slot_not_open';
  if (!grades.includes(String(pupil.grade))) return 'not_eligible';
  if (already) return 'already_booked';
  if (clash) return 'pupil_overlap';
  if (Number(slot.capacity) - Number(slot.booked_count) < 1) return 'slot_full';
  return null;
}

const SLOT = 'select id, company_id, status, starts_at, ends_at, capacity, booked_count, booking_opens_at, booking_closes_at, published_at from slots where id = ';
const CLASH = `select b.pupil_id, b.slot_id, b.starts_at, b.ends_at, c.name as company_name from bookings b
  join slots s on s.id = b.slot_id join companies c on c.id = s.company_id
  where b.pupil_id = $1 and b.status = 'confirmed' and b.starts_at < $2 and b.ends_at > $3 and b.slot_id <> $4 order by b.starts_at`;

/** One better-sqlite3 connection, one transaction after another (SQLite has one writer). */
export function rawSqlite(file: string, world: BookingWorld, options: RawOptions): Stats {
  const db = openSqlite(file);
  if (options.synchronous) db.pragma(`synchronous = ${options.synchronous}`);
  const q = (text: string) => db.prepare(text.replace(/\$\d+/g, '?'));
  const begin = q('begin immediate');
  const commit = q('commit');
  const rollback = q('rollback');
  const slotQ = q(`${SLOT}?`);
  const pupilQ = q('select * from pupils where id = ?');
  const gradesQ = q('select grade from slot_grades where slot_id = ?').pluck();
  const alreadyQ = q("select 1 from bookings where slot_id = ? and pupil_id = ? and status <> 'cancelled'");
  const clashQ = q(CLASH);
  const sample = bookingRow({ starts_at: '', ends_at: '' }, '', '', '', '', '');
  const insertBooking = q(insertSql('bookings', sample, () => '?'));
  const insertEvent = q(insertSql('booking_events', eventRow(sample, '', ''), () => '?'));
  const insertMail = q(insertSql('outbox', mailRow('', ''), () => '?'));
  const { schoolId, id: userId, email } = world.counsellor;

  const latencies: number[] = [];
  let refused = 0;
  const started = performance.now();
  const deadline = started + options.seconds * 1000;
  for (let k = options.fromK; k < options.fromK + options.requests && performance.now() < deadline; k++) {
    const { slotId, pupilId } = pairOf(world, k);
    const t0 = performance.now();
    begin.run();
    try {
      const slot = slotQ.get(slotId) as Row | undefined;
      const pupil = pupilQ.get(pupilId) as Row | undefined;
      const why = refusal(slot, pupil, gradesQ.all(slotId) as string[], alreadyQ.get(slotId, pupilId) !== undefined, clashQ.get(pupilId, slot?.ends_at, slot?.starts_at, slotId) !== undefined, options.now);
      if (why) throw new Error(why);
      const booking = bookingRow(slot!, slotId, pupilId, schoolId!, userId, options.now);
      insertBooking.run(Object.values(booking));
      if (options.sideRows) {
        insertEvent.run(Object.values(eventRow(booking, userId, options.now)));
        insertMail.run(Object.values(mailRow(email, options.now)));
        insertMail.run(Object.values(mailRow('samordnare@bench.invalid', options.now)));
      }
      commit.run();
      latencies.push(performance.now() - t0);
    } catch {
      if (db.inTransaction) rollback.run();
      refused++;
    }
  }
  const stats = summarise(latencies, refused, performance.now() - started);
  db.close();
  return stats;
}

/** `clients` concurrent transactions through a pool of the app's size (10), with the app's row locks. */
export async function rawPostgres(url: string, world: BookingWorld, options: RawOptions & { clients: number }): Promise<Stats> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  const sample = bookingRow({ starts_at: '', ends_at: '' }, '', '', '', '', '');
  const param = (i: number) => `$${i}`;
  const insertBooking = insertSql('bookings', sample, param);
  const insertEvent = insertSql('booking_events', eventRow(sample, '', ''), param);
  const insertMail = insertSql('outbox', mailRow('', ''), param);
  const { schoolId, id: userId, email } = world.counsellor;

  const latencies: number[] = [];
  let refused = 0;
  let next = options.fromK;
  const last = options.fromK + options.requests;
  const started = performance.now();
  const deadline = started + options.seconds * 1000;
  const client = async () => {
    while (next < last && performance.now() < deadline) {
      const { slotId, pupilId } = pairOf(world, next++);
      const t0 = performance.now();
      const c = await pool.connect();
      try {
        await c.query('begin');
        const slot = (await c.query(`${SLOT}$1 for update`, [slotId])).rows[0] as Row | undefined;
        const pupil = (await c.query('select * from pupils where id = $1 for update', [pupilId])).rows[0] as Row | undefined;
        const grades = (await c.query('select grade from slot_grades where slot_id = $1', [slotId])).rows.map((r) => r.grade as string);
        const already = (await c.query("select 1 from bookings where slot_id = $1 and pupil_id = $2 and status <> 'cancelled'", [slotId, pupilId])).rowCount! > 0;
        const clash = (await c.query(CLASH, [pupilId, slot?.ends_at, slot?.starts_at, slotId])).rowCount! > 0;
        const why = refusal(slot, pupil, grades, already, clash, options.now);
        if (why) throw new Error(why);
        const booking = bookingRow(slot!, slotId, pupilId, schoolId!, userId, options.now);
        await c.query(insertBooking, Object.values(booking));
        if (options.sideRows) {
          await c.query(insertEvent, Object.values(eventRow(booking, userId, options.now)));
          await c.query(insertMail, Object.values(mailRow(email, options.now)));
          await c.query(insertMail, Object.values(mailRow('samordnare@bench.invalid', options.now)));
        }
        await c.query('commit');
        latencies.push(performance.now() - t0);
      } catch {
        await c.query('rollback').catch(() => {});
        refused++;
      } finally {
        c.release();
      }
    }
  };
  await Promise.all(Array.from({ length: options.clients }, client));
  const stats = summarise(latencies, refused, performance.now() - started);
  await pool.end();
  return stats;
}

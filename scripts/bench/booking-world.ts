// The booking benchmark's world, built through the services (so every row is as the app makes
// it): one network, one company with a coordinator and a host, one school with a counsellor
// holding an API token, many one-hour slots that never overlap, and many pupils in åk 8.
// Also: which (slot, pupil) pair the k-th booking takes, and the check for overbookings.
import { sql } from 'kysely';
import { DateTime } from 'luxon';
import { createApiToken } from '../../src/api/tokens.service.ts';
import { productionHashing } from '../../src/config.ts';
import type { Db } from '../../src/db/database.ts';
import type { SessionUser } from '../../src/http/context.ts';
import { createCompany, createNetwork, createSchool } from '../../src/organisations/organisations.service.ts';
import { pupilFieldsSchema } from '../../src/pupils/pupils.schemas.ts';
import { createPupils } from '../../src/pupils/pupils.service.ts';
import { slotFieldsSchema } from '../../src/slots/slots.schemas.ts';
import { createSlot } from '../../src/slots/slots.service.ts';
import { storyInputSchema } from '../../src/stories/stories.schemas.ts';
import { createStory } from '../../src/stories/stories.service.ts';
import { ZONE } from '../../src/time/stockholm.ts';
import { createUser } from '../../src/users/users.service.ts';
import { systemActor } from '../../src/users/system-actor.ts';

/** The benchmark's fixed "now": Tuesday 16 March 2027, 09.00 in Stockholm (as the tests). */
export const BENCH_NOW = '2027-03-16T08:00:00.000Z';

export interface WorldSize {
  slots: number;
  pupils: number;
  /** Seats per slot: large, so every planned booking finds one (the form allows up to 500). */
  capacity: number;
}

export interface BookingWorld {
  size: WorldSize;
  counsellor: SessionUser;
  token: string;
  slotIds: string[];
  pupilIds: string[];
}

const cheapHashing = { ...productionHashing, memoryCost: 1024, timeCost: 1 };

export async function buildWorld(db: Db, size: WorldSize): Promise<BookingWorld> {
  const now = DateTime.fromISO(BENCH_NOW, { zone: 'utc' });
  return db.transaction().execute(async (trx) => {
    const network = await createNetwork(trx, systemActor, { name: 'Bänknätet', region: 'Värmland' }, now);
    const company = await createCompany(trx, systemActor, network.id, { name: 'Bänkföretaget AB', municipality: 'Karlstad', address: 'Testgatan 1' }, now);
    const school = await createSchool(trx, systemActor, network.id, { name: 'Bänkskolan', municipality: 'Karlstad', address: null, schoolType: 'municipal' }, now);
    const coordinator = await createUser(trx, { email: 'samordnare@bench.invalid', name: 'Samordnare', role: 'company_coordinator', organisationId: company.id, password: 'ett långt lösenord' }, now, cheapHashing);
    const counsellor = await createUser(trx, { email: 'syv@bench.invalid', name: 'Syv', role: 'counsellor', organisationId: school.id, password: 'ett långt lösenord' }, now, cheapHashing);
    const { token } = await createApiToken(trx, counsellor.id, 'bench', now);
    const story = await createStory(trx, coordinator, storyInput(), now);

    // One-hour slots, 08–16 on weekdays from Monday 5 April 2027: no two overlap, so a pupil
    // can hold a booking in each of them.
    const fields = slotFieldsSchema.parse({ storyIds: [story.id], capacity: size.capacity, grades: ['8', '9'] });
    const slotIds: string[] = [];
    for (let day = DateTime.fromISO('2027-04-05', { zone: ZONE }); slotIds.length < size.slots; day = day.plus({ days: 1 })) {
      if (day.weekday > 5) continue;
      for (let hour = 8; hour < 16 && slotIds.length < size.slots; hour++) {
        const startsAt = day.set({ hour });
        slotIds.push((await createSlot(trx, coordinator, fields, { startsAt, endsAt: startsAt.plus({ hours: 1 }) }, now)).id);
      }
    }
    const list = Array.from({ length: size.pupils }, (_, i) => pupilFieldsSchema.parse({ givenName: `Elev${i + 1}`, familyName: 'Bänksson', className: `8${'ABCDEFGH'[i % 8]}`, grade: '8' }));
    const pupils = await createPupils(trx, counsellor, list, now);
    return { size, counsellor, token, slotIds, pupilIds: pupils.map((p) => p.id) };
  });
}

function storyInput() {
  return storyInputSchema.parse({
    name: 'Amina',
    title: 'Elingenjör',
    path: [{ kind: 'gymnasium', title: 'Teknikprogrammet', place: 'Karlstad', programme: 'TE', fromYear: 2010, toYear: 2013 }],
    dayAtWork: 'Jag ritar elsystem och pratar med montörerna.',
    fields: ['electrical_energy'],
    published: true,
  });
}

/**
 * The k-th booking: pupil k mod P, into slot (pupil + round) mod S. Every pair is new until
 * P × S bookings, a pupil never gets the same slot twice, and bookings in flight together
 * have different pupils and different slots (so they wait only on the database's own lock).
 */
export function pairOf(world: Pick<BookingWorld, 'slotIds' | 'pupilIds'>, k: number): { slotId: string; pupilId: string } {
  const p = k % world.pupilIds.length;
  const round = Math.floor(k / world.pupilIds.length);
  return { slotId: world.slotIds[(p + round) % world.slotIds.length]!, pupilId: world.pupilIds[p]! };
}

/** How many bookings a world takes before some slot could be full. */
export const seatsOf = (size: WorldSize) => Math.min(size.slots * size.pupils, size.slots * size.capacity);

export interface Audit {
  confirmed: number;
  /** Slots whose counter is not their confirmed bookings. */
  countOff: number;
  /** Slots with more confirmed bookings than seats. */
  overbooked: number;
  /** Pairs of one pupil's confirmed bookings that overlap. */
  pupilOverlaps: number;
}

/** The stored truth, checked with SQL after a run. */
export async function audit(db: Db): Promise<Audit> {
  const slots = await sql<{ capacity: number; booked_count: number; confirmed: number }>`
    select s.capacity, s.booked_count, (select count(*) from bookings b where b.slot_id = s.id and b.status = 'confirmed') as confirmed
    from slots s`.execute(db);
  const overlaps = await sql<{ n: number }>`
    select count(*) as n from bookings a join bookings b
      on a.pupil_id = b.pupil_id and a.id < b.id and a.starts_at < b.ends_at and b.starts_at < a.ends_at
    where a.status = 'confirmed' and b.status = 'confirmed'`.execute(db);
  const rows = slots.rows.map((r) => ({ capacity: Number(r.capacity), count: Number(r.booked_count), confirmed: Number(r.confirmed) }));
  return {
    confirmed: rows.reduce((sum, r) => sum + r.confirmed, 0),
    countOff: rows.filter((r) => r.count !== r.confirmed).length,
    overbooked: rows.filter((r) => r.confirmed > r.capacity).length,
    pupilOverlaps: Number(overlaps.rows[0]?.n ?? 0),
  };
}

import supertest from 'supertest';
import type { SessionUser } from '../../src/http/context.ts';
import { actorOf, bookPupils, type Booking } from '../../src/bookings/booking.service.ts';
import type { Pupil } from '../../src/pupils/pupils.service.ts';
import type { Slot } from '../../src/slots/slots.service.ts';
import type { TestContext } from './app.ts';
import { apiUser, type ApiUser } from './api.ts';
import { makeCompany, makeNetwork, makeSchool, makeUser } from './factories.ts';
import { makePupil } from './pupils.ts';
import { makeSlot, makeStory } from './slots.ts';

/**
 * A small booking world: one network with a company (a coordinator, a story, slots) and schools
 * (each with a counsellor holding an API token, and pupils in 8B). Slots default to Tuesday
 * 6 April 2027, 08.00–12.00, four places, åk 8–9.
 */
export interface SchoolSide {
  school: Awaited<ReturnType<typeof makeSchool>>;
  counsellor: ApiUser;
  pupils: Pupil[];
}

export interface BookingWorld {
  networkId: string;
  company: Awaited<ReturnType<typeof makeCompany>>;
  coordinator: SessionUser;
  storyId: string;
  /** Another host of the company, for slots at the same time. */
  storyIds: string[];
  schools: SchoolSide[];
}

export async function makeBookingWorld(ctx: TestContext, options: { schools?: number; pupils?: number; hosts?: number } = {}): Promise<BookingWorld> {
  const network = await makeNetwork(ctx.db);
  const company = await makeCompany(ctx.db, network.id);
  const coordinator = await makeUser(ctx.db, ctx.config, 'company_coordinator', company.id);
  const storyIds: string[] = [];
  for (let i = 0; i < (options.hosts ?? 3); i++) storyIds.push((await makeStory(ctx, coordinator, { name: `Värd ${i + 1}` })).id);
  const schools: SchoolSide[] = [];
  for (let s = 0; s < (options.schools ?? 1); s++) schools.push(await makeSchoolSide(ctx, network.id, options.pupils ?? 6));
  return { networkId: network.id, company, coordinator, storyId: storyIds[0]!, storyIds, schools };
}

/** A school of the network with a counsellor (with an API token) and `pupils` pupils. */
export async function makeSchoolSide(ctx: TestContext, networkId: string, pupils: number): Promise<SchoolSide> {
  const school = await makeSchool(ctx.db, networkId);
  const counsellor = await apiUser(ctx, 'counsellor', school.id);
  const list: Pupil[] = [];
  for (let p = 0; p < pupils; p++) list.push(await makePupil(ctx.db, school.id));
  return { school, counsellor, pupils: list };
}

/** A published slot of the world's company, hosted by host `host` (0-based), from local times. */
export function worldSlot(ctx: TestContext, world: BookingWorld, start = '2027-04-06T08:00', end = '2027-04-06T12:00', extra: Record<string, unknown> = {}, host = 0): Promise<Slot> {
  return makeSlot(ctx, world.coordinator, [world.storyIds[host]!], start, end, extra);
}

/** Books pupils through the service, as their school's counsellor, in one transaction. */
export function book(ctx: TestContext, side: SchoolSide, slotId: string, pupils: Pupil[], waitlist = false): Promise<Booking[]> {
  const user = side.counsellor.user;
  return ctx.db.transaction().execute((trx) => bookPupils(trx, { mailer: ctx.mailer, config: ctx.config }, user, actorOf(user, 'ui', null), { slotId, pupilIds: pupils.map((p) => p.id), waitlist }, ctx.clock.now()));
}

/** POST /api/v1/bookings as the school's counsellor. */
export function apiBook(ctx: TestContext, side: SchoolSide, body: Record<string, unknown>, idempotencyKey?: string) {
  const request = supertest(ctx.app).post('/api/v1/bookings').set('Authorization', `Bearer ${side.counsellor.token}`);
  if (idempotencyKey) request.set('Idempotency-Key', idempotencyKey);
  return request.send(body);
}

export function apiCancel(ctx: TestContext, side: SchoolSide, bookingId: string, body?: Record<string, unknown>) {
  const request = supertest(ctx.app).delete(`/api/v1/bookings/${bookingId}`).set('Authorization', `Bearer ${side.counsellor.token}`);
  return body ? request.send(body) : request;
}

/** The stored truth about a slot: its counter, and its bookings by status. */
export async function slotTruth(ctx: TestContext, slotId: string) {
  const slot = await ctx.db.selectFrom('slots').select(['capacity', 'booked_count']).where('id', '=', slotId).executeTakeFirstOrThrow();
  const rows = await ctx.db.selectFrom('bookings').select(['status']).where('slot_id', '=', slotId).execute();
  const count = (status: string) => rows.filter((r) => r.status === status).length;
  return { capacity: slot.capacity, bookedCount: slot.booked_count, confirmed: count('confirmed'), waitlisted: count('waitlisted'), cancelled: count('cancelled') };
}

import { DateTime } from 'luxon';
import type { SessionUser } from '../../src/http/context.ts';
import { slotFieldsSchema } from '../../src/slots/slots.schemas.ts';
import { createSeries, createSlot } from '../../src/slots/slots.service.ts';
import { parseInstant } from '../../src/time/local-time.ts';
import { csrfFrom, type Agent, type TestContext } from './app.ts';
import { makeCompany } from './factories.ts';
import { signedIn, type SignedIn } from './flows.ts';
import { makeStory as makeAnyStory } from './stories.ts';

/** Helpers for the slot, series and catalogue tests: companies with stories, slots, forms. */

export type Form = Record<string, string | string[]>;

/** Posts a form as a browser would (repeated checkboxes as repeated keys), with a CSRF token from `tokenFrom`. */
export async function submit(agent: Agent, path: string, form: Form, tokenFrom = '/account') {
  const page = await agent.get(tokenFrom);
  return agent.post(path).type('form').send({ _csrf: csrfFrom(page.text), ...form });
}

/** A local Stockholm time "2027-04-06T08:00" as an instant. */
export function local(text: string): DateTime {
  const parsed = parseInstant(text);
  if (!parsed.ok) throw new Error(`${text}: ${parsed.problem}`);
  return parsed.instant;
}

export interface StoryOptions {
  name?: string;
  title?: string;
  fields?: string[];
  published?: boolean;
  consent?: boolean;
}

/** A story for slot tests: one gymnasium step, published with consent unless told otherwise. */
export function makeStory(ctx: TestContext, coordinator: SessionUser, options: StoryOptions = {}) {
  const published = options.published ?? true;
  return makeAnyStory(ctx, coordinator, {
    name: options.name ?? 'Amina',
    title: options.title ?? 'Elingenjör',
    path: [{ kind: 'gymnasium', title: 'Teknikprogrammet', programme: 'TE', fromYear: 2010, toYear: 2013 }],
    interest: undefined,
    dayAtWork: 'Jag ritar elsystem.',
    society: undefined,
    wishAt14: undefined,
    fields: options.fields ?? ['electrical_energy'],
    published,
    consent: options.consent ?? published,
  });
}

export interface CompanyWithStory extends SignedIn {
  company: Awaited<ReturnType<typeof makeCompany>>;
  story: Awaited<ReturnType<typeof makeStory>>;
}

/** A company (in a new network unless given), its signed-in coordinator and one published story. */
export async function companyWithStory(ctx: TestContext, options: { networkId?: string; name?: string; story?: StoryOptions } = {}): Promise<CompanyWithStory> {
  const company = await makeCompany(ctx.db, options.networkId, options.name);
  const signed = await signedIn(ctx, 'company_coordinator', company.id);
  const story = await makeStory(ctx, signed.user, options.story);
  return { ...signed, company, story };
}

/** A valid slot form: Tuesday 6 April 2027, 08.00–12.00, four places, åk 8–9. */
export function slotForm(storyId: string, extra: Form = {}): Form {
  return { storyIds: storyId, format: 'shadow_day', date: '2027-04-06', startTime: '08:00', endTime: '12:00', capacity: '4', grades: ['8', '9'], action: 'publish', ...extra };
}

export const slotFields = (storyIds: string[], extra: Record<string, unknown> = {}) => slotFieldsSchema.parse({ storyIds, capacity: 4, grades: ['8', '9'], ...extra });

/** A slot made through the service, from local times. */
export function makeSlot(ctx: TestContext, coordinator: SessionUser, storyIds: string[], start: string, end: string, extra: Record<string, unknown> = {}) {
  return createSlot(ctx.db, coordinator, slotFields(storyIds, extra), { startsAt: local(start), endsAt: local(end) }, ctx.clock.now());
}

/** A series made through the service: the dates at the same local times. */
export function makeSeries(ctx: TestContext, coordinator: SessionUser, storyIds: string[], dates: string[], times: [string, string] = ['08:00', '12:00'], extra: Record<string, unknown> = {}) {
  const occurrences = dates.map((d) => ({ startsAt: local(`${d}T${times[0]}`), endsAt: local(`${d}T${times[1]}`) }));
  return createSeries(ctx.db, coordinator, slotFields(storyIds, extra), occurrences, ctx.clock.now());
}

/** Pretends pupils have booked (the booking feature owns bookings; the count is what slots see). */
export async function setBooked(ctx: TestContext, slotId: string, count: number) {
  await ctx.db.updateTable('slots').set({ booked_count: count }).where('id', '=', slotId).execute();
}

export const slotRow = (ctx: TestContext, id: string) => ctx.db.selectFrom('slots').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

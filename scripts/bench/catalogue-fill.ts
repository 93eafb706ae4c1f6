// Fills a migrated database with a realistic, deterministic catalogue for the benchmark: two
// networks, a few hundred companies in ~30 municipalities, thousands of stories and slots over
// a school year. Rows go in with multi-row inserts in one transaction (not the services: the
// point is the shape of the data, and 20,000 slots through the service would take minutes).
import type { Insertable, Transaction } from 'kysely';
import { DateTime } from 'luxon';
import type { Db } from '../../src/db/database.ts';
import type { Database, SlotFormat } from '../../src/db/types.ts';
import { FIELD_CODES, type FieldCode } from '../../src/stories/path.ts';
import { toDbInstant, ZONE } from '../../src/time/stockholm.ts';

export interface FillOptions {
  companies: number;
  stories: number;
  slots: number;
  /** The benchmark's "now": slots are spread over a year starting about three months before it. */
  now: DateTime;
  seed: number;
}

export interface FillResult {
  networkIds: string[];
  rows: Record<string, number>;
}

/** mulberry32: a tiny seeded PRNG, so every run builds the same data. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const weighted = <T>(items: readonly (readonly [T, number])[]): T => {
    let r = next() * items.reduce((sum, [, w]) => sum + w, 0);
    for (const [item, w] of items) if ((r -= w) < 0) return item;
    return items[items.length - 1]![0];
  };
  return { next, int, pick, weighted, chance: (p: number) => next() < p };
}
type Rng = ReturnType<typeof rng>;

const REGIONS = [
  { name: 'Värmland', network: 'Tekniknätet Värmland', municipalities: [['Karlstad', 10], ['Kristinehamn', 4], ['Arvika', 4], ['Säffle', 2], ['Hammarö', 2], ['Kil', 2], ['Sunne', 2], ['Torsby', 2], ['Hagfors', 2], ['Filipstad', 1], ['Forshaga', 1], ['Grums', 1], ['Årjäng', 1], ['Eda', 1], ['Munkfors', 1], ['Storfors', 1]] },
  { name: 'Skaraborg', network: 'Framtidsnätet Skaraborg', municipalities: [['Skövde', 8], ['Lidköping', 5], ['Falköping', 4], ['Mariestad', 3], ['Skara', 2], ['Tidaholm', 2], ['Götene', 2], ['Vara', 2], ['Hjo', 1], ['Tibro', 1], ['Töreboda', 1], ['Karlsborg', 1], ['Gullspång', 1], ['Essunga', 1], ['Grästorp', 1]] },
] as const;

const TRADES: { name: string; field: FieldCode; titles: string[]; programmes: string[]; words: string[] }[] = [
  { name: 'Elteknik', field: 'electrical_energy', titles: ['Elektriker', 'Elkonstruktör', 'Elingenjör'], programmes: ['EE', 'TE'], words: ['kabel', 'elcentral', 'laddplats'] },
  { name: 'Energi', field: 'electrical_energy', titles: ['Drifttekniker', 'Elkraftingenjör', 'Energiingenjör'], programmes: ['EE', 'NA', 'TE'], words: ['vattenkraft', 'solceller', 'elnät'] },
  { name: 'Mekaniska', field: 'production_mechanics', titles: ['CNC-operatör', 'Svetsare', 'Industritekniker'], programmes: ['IN', 'TE'], words: ['svets', 'fräs', 'stål'] },
  { name: 'Automation', field: 'production_mechanics', titles: ['Automationstekniker', 'Robottekniker', 'Underhållstekniker'], programmes: ['EE', 'IN', 'TE'], words: ['robot', 'styrsystem', 'sensor'] },
  { name: 'Fordon', field: 'vehicles', titles: ['Fordonstekniker', 'Mekaniker', 'Lastbilstekniker'], programmes: ['FT'], words: ['lastbil', 'motor', 'felsökning'] },
  { name: 'Bygg', field: 'construction', titles: ['Snickare', 'Arbetsledare', 'Byggnadsingenjör'], programmes: ['BA', 'TE'], words: ['trähus', 'betong', 'ritning'] },
  { name: 'Design', field: 'design', titles: ['CAD-konstruktör', 'Industridesigner', 'Formgivare'], programmes: ['ES', 'TE'], words: ['3D-modell', 'skiss', 'prototyp'] },
  { name: 'Process', field: 'process_chemistry', titles: ['Processoperatör', 'Kemiingenjör', 'Laboratorietekniker'], programmes: ['NA', 'IN'], words: ['labb', 'prover', 'kontrollrum'] },
  { name: 'Logistik', field: 'logistics', titles: ['Logistikplanerare', 'Lagerledare', 'Truckförare'], programmes: ['EK', 'FT', 'HA'], words: ['lager', 'container', 'hamn'] },
  { name: 'Data', field: 'it', titles: ['IT-utvecklare', 'Systemtekniker', 'Nätverkstekniker'], programmes: ['TE', 'NA'], words: ['kod', 'app', 'server'] },
  { name: 'Miljö', field: 'environment', titles: ['Miljötekniker', 'Miljöingenjör', 'VVS-montör'], programmes: ['NB', 'NA', 'VF'], words: ['vattenprover', 'återvinning', 'värmepump'] },
];
const PREFIXES = ['Nord', 'Syd', 'Väst', 'Öst', 'Berg', 'Sjö', 'Älv', 'Skog', 'Sten', 'Ljus', 'Kraft', 'Stål', 'Vind', 'Dal', 'Ek', 'Björk', 'Gran', 'Lind', 'Hav', 'Sol'];
const FIRST = ['Amina', 'Linnea', 'Ali', 'Sanna', 'Kim', 'Hanna', 'Emir', 'Nora', 'Tobias', 'Ronja', 'Daniel', 'Klara', 'Oskar', 'Tove', 'Fatima', 'Jonas', 'Maja', 'Elias', 'Sara', 'Noah', 'Alex', 'Yasmin', 'Leo', 'Ella'];
const LAST = ['Andersson', 'Johansson', 'Karlsson', 'Nilsson', 'Eriksson', 'Larsson', 'Olsson', 'Persson', 'Svensson', 'Gustafsson', 'Hassan', 'Ek', 'Lund', 'Berg', 'Kovač', 'Al-Rashid', 'Öberg', 'Frid'];
const FORMATS: [SlotFormat, number][] = [['shadow_day', 40], ['half_day', 30], ['group_morning', 20], ['digital', 10]];
const TIMES: Record<SlotFormat, [string, string][]> = { shadow_day: [['08:00', '15:00'], ['07:00', '14:00']], half_day: [['08:00', '12:00'], ['12:30', '16:00']], group_morning: [['08:30', '11:30']], digital: [['13:00', '14:00'], ['10:00', '11:00']] };
const CAPACITY: Record<SlotFormat, [number, number]> = { shadow_day: [1, 3], half_day: [2, 5], group_morning: [8, 20], digital: [20, 40] };
const GRADE_SETS: [string[], number][] = [[['8', '9'], 60], [['9'], 10], [['7', '8', '9'], 8], [['gy1', 'gy2'], 8], [['gy2', 'gy3'], 8], [['gy3', 'yh'], 3], [['8', '9', 'gy1'], 3]];

let counter = 0;
/** Readable, unique, sortable ids (the app uses UUIDs; any unique text works). */
const id = (prefix: string) => `${prefix}-${(++counter).toString(36).padStart(6, '0')}`;

async function insertChunked<T extends keyof Database & string>(trx: Transaction<Database>, table: T, rows: Insertable<Database[T]>[]): Promise<void> {
  if (rows.length === 0) return;
  // Stay under SQLite's and PostgreSQL's limits on bound parameters per statement.
  const size = Math.max(1, Math.floor(20_000 / Object.keys(rows[0]!).length));
  for (let i = 0; i < rows.length; i += size) await trx.insertInto(table).values(rows.slice(i, i + size) as never).execute();
}

interface Company {
  id: string;
  trade: (typeof TRADES)[number];
  sites: string[];
  stories: string[];
  weight: number;
}

/** School days from `from` for `weeks` weeks; prao weeks (autumn 38–47, spring 11–20) count three times. */
function schoolDays(from: DateTime, weeks: number): (readonly [string, number])[] {
  const days: (readonly [string, number])[] = [];
  for (let d = from.startOf('week'); d < from.plus({ weeks }); d = d.plus({ days: 1 })) {
    if (d.weekday > 5) continue;
    const summer = d.month === 7 || (d.month === 6 && d.day > 12) || (d.month === 8 && d.day < 15);
    const praoWeek = (d.weekNumber >= 38 && d.weekNumber <= 47) || (d.weekNumber >= 11 && d.weekNumber <= 20);
    days.push([d.toISODate()!, summer ? 0.1 : praoWeek ? 3 : 1]);
  }
  return days;
}

export async function fillCatalogue(db: Db, options: FillOptions): Promise<FillResult> {
  const r: Rng = rng(options.seed);
  const at = toDbInstant(options.now.minus({ months: 6 }));
  const rows = { networks: 0, companies: 0, company_sites: 0, role_stories: 0, story_fields: 0, story_path_steps: 0, slots: 0, slot_grades: 0, slot_hosts: 0 } as Record<string, number>;
  const networkIds: string[] = [];
  await db.transaction().execute(async (trx) => {
    const companies: Company[] = [];
    const users: string[] = [];
    for (const region of REGIONS) {
      const networkId = id('net');
      networkIds.push(networkId);
      await trx.insertInto('networks').values({ id: networkId, name: region.network, region: region.name, created_at: at }).execute();
      const userId = id('usr');
      users.push(userId);
      await trx.insertInto('users').values({ id: userId, email: `samordnare.${networkId}@bench.invalid`, name: 'Samordnare', password_hash: 'x', role: 'network_coordinator', network_id: networkId, company_id: null, school_id: null, locale: 'sv', created_at: at, disabled_at: null }).execute();
      const count = Math.round(options.companies / REGIONS.length);
      const companyRows: Insertable<Database['companies']>[] = [];
      const siteRows: Insertable<Database['company_sites']>[] = [];
      const memberRows: Insertable<Database['network_memberships']>[] = [];
      for (let i = 0; i < count; i++) {
        const trade = r.pick(TRADES);
        const municipality = r.weighted(region.municipalities);
        const company: Company = { id: id('co'), trade, sites: [], stories: [], weight: r.next() ** 2 };
        companyRows.push({ id: company.id, name: `${r.pick(PREFIXES)}${trade.name.toLowerCase()} ${municipality} AB`, municipality, description: null, created_at: at });
        const siteCount = r.chance(0.2) ? 2 : 1;
        for (let s = 0; s < siteCount; s++) {
          const site = { id: id('site'), municipality: s === 0 ? municipality : r.weighted(region.municipalities) };
          company.sites.push(site.id);
          siteRows.push({ id: site.id, company_id: company.id, name: `Anläggning ${s + 1}`, address: `Industrigatan ${r.int(1, 80)}`, municipality: site.municipality, is_main: s === 0 ? 1 : 0, meeting_point: 'Receptionen', directions: 'Buss till Industrigatan.', created_at: at });
        }
        memberRows.push({ id: id('mem'), network_id: networkId, organisation_kind: 'company', company_id: company.id, school_id: null, status: r.chance(0.97) ? 'approved' : 'pending', message: null, requested_by: userId, decided_by: userId, created_at: at, decided_at: at });
        companies.push(company);
      }
      await insertChunked(trx, 'companies', companyRows);
      await insertChunked(trx, 'company_sites', siteRows);
      await insertChunked(trx, 'network_memberships', memberRows);
      Object.assign(rows, { networks: rows.networks! + 1, companies: rows.companies! + companyRows.length, company_sites: rows.company_sites! + siteRows.length });
    }
    await fillStories(trx, r, companies, users, options, at, rows);
    await fillSlots(trx, r, companies, options, rows);
  });
  return { networkIds, rows };
}

async function fillStories(trx: Transaction<Database>, r: Rng, companies: Company[], users: string[], options: FillOptions, at: string, rows: Record<string, number>) {
  const stories: Insertable<Database['role_stories']>[] = [];
  const fields: Insertable<Database['story_fields']>[] = [];
  const steps: Insertable<Database['story_path_steps']>[] = [];
  const byWeight = companies.map((c) => [c, c.weight + 0.02] as const);
  for (let i = 0; i < options.stories; i++) {
    const company = r.weighted(byWeight);
    const state = r.weighted([['published', 92], ['draft', 5], ['withdrawn', 3]] as const);
    const storyId = id('story');
    const name = `${r.pick(FIRST)} ${r.pick(LAST)}`;
    const title = r.pick(company.trade.titles);
    if (state === 'published') company.stories.push(storyId);
    stories.push({
      id: storyId, company_id: company.id, display_name: name, role_title: title, pronoun: r.weighted([['hon', 45], ['han', 45], ['hen', 5], [null, 5]] as const),
      interest_text: `Jag blev intresserad av ${r.pick(company.trade.words)} på högstadiet.`, day_text: `Jag jobbar som ${title.toLowerCase()} med ${r.pick(company.trade.words)} och ${r.pick(company.trade.words)}. Varje dag är olika.`,
      society_text: 'Det vi gör behövs i samhället.', wish_text: 'Att det finns många vägar.', published: state === 'published' ? 1 : 0,
      consent_person: state === 'draft' ? null : name, consent_recorded_by: state === 'draft' ? null : r.pick(users), consent_at: state === 'draft' ? null : at,
      consent_withdrawn_at: state === 'withdrawn' ? at : null, created_at: at, updated_at: at,
    });
    const storyFields = new Set<string>([company.trade.field]);
    if (r.chance(0.3)) storyFields.add(r.pick(FIELD_CODES));
    for (const field of storyFields) fields.push({ story_id: storyId, field });
    const start = r.int(1985, 2015);
    steps.push({ id: id('step'), story_id: storyId, position: 0, kind: 'gymnasium', programme: r.pick(company.trade.programmes), title: 'Gymnasiet', place: null, from_year: start, to_year: start + 3 });
    const middle = r.weighted([['yh', 3], ['university', 3], ['apprenticeship', 2], ['job', 2]] as const);
    steps.push({ id: id('step'), story_id: storyId, position: 1, kind: middle, programme: null, title: middle, place: null, from_year: start + 3, to_year: start + 5 });
    steps.push({ id: id('step'), story_id: storyId, position: 2, kind: 'job', programme: null, title, place: null, from_year: start + 5, to_year: null });
  }
  await insertChunked(trx, 'role_stories', stories);
  await insertChunked(trx, 'story_fields', fields);
  await insertChunked(trx, 'story_path_steps', steps);
  Object.assign(rows, { role_stories: stories.length, story_fields: fields.length, story_path_steps: steps.length });
}

async function fillSlots(trx: Transaction<Database>, r: Rng, companies: Company[], options: FillOptions, rows: Record<string, number>) {
  const now = options.now;
  const days = schoolDays(now.setZone(ZONE).minus({ months: 3 }), 52);
  const hosting = companies.filter((c) => c.stories.length > 0).map((c) => [c, c.stories.length] as const);
  const busy = new Set<string>(); // story|date: a host hosts at most one slot a day, so never two at once
  const slots: Insertable<Database['slots']>[] = [];
  const grades: Insertable<Database['slot_grades']>[] = [];
  const hosts: Insertable<Database['slot_hosts']>[] = [];
  for (let i = 0; i < options.slots; i++) {
    const company = r.weighted(hosting);
    const wanted = Math.min(company.stories.length, r.chance(0.2) ? 2 : 1);
    let date = '';
    let storyIds: string[] = [];
    for (let attempt = 0; attempt < 20 && storyIds.length < wanted; attempt++) {
      date = r.weighted(days);
      storyIds = [...new Set(Array.from({ length: wanted }, () => r.pick(company.stories)))].filter((s) => !busy.has(`${s}|${date}`));
    }
    if (storyIds.length === 0) continue;
    storyIds.forEach((s) => busy.add(`${s}|${date}`));
    const format = r.weighted(FORMATS);
    const [from, to] = r.pick(TIMES[format]);
    const startsAt = DateTime.fromISO(`${date}T${from}`, { zone: ZONE });
    const endsAt = DateTime.fromISO(`${date}T${to}`, { zone: ZONE });
    const past = startsAt < now;
    const status = r.weighted(past ? ([['published', 90], ['cancelled', 10]] as const) : ([['published', 85], ['draft', 5], ['cancelled', 10]] as const));
    const capacity = r.int(CAPACITY[format][0], CAPACITY[format][1]);
    const booked = status !== 'published' ? 0 : past || r.chance(0.15) ? capacity : r.chance(0.45) ? r.int(0, capacity - 1) : 0;
    const slotId = id('slot');
    const word = r.pick(company.trade.words);
    slots.push({
      id: slotId, company_id: company.id, site_id: r.chance(0.8) ? company.sites[0]! : r.pick(company.sites), series_id: null, format,
      starts_at: toDbInstant(startsAt), ends_at: toDbInstant(endsAt), capacity, min_group: format === 'group_morning' ? 4 : null, booked_count: booked,
      activities: `Följ med en dag och prova ${word}. Du får se hur vi arbetar med ${r.pick(company.trade.words)}.`, bring: null, provided: 'Skyddskläder och lunch.', accessibility: null,
      supervisor_name: 'Handledare', supervisor_phone: '070-174 06 50', status, cancel_reason: status === 'cancelled' ? 'Sjukdom' : null,
      cancelled_at: status === 'cancelled' ? toDbInstant(startsAt.minus({ days: 3 })) : null, published_at: status === 'draft' ? null : toDbInstant(startsAt.minus({ days: 30 })),
      created_at: toDbInstant(startsAt.minus({ days: 40 })), updated_at: toDbInstant(startsAt.minus({ days: 30 })),
    });
    for (const grade of r.weighted(GRADE_SETS)) grades.push({ slot_id: slotId, grade });
    for (const storyId of storyIds) hosts.push({ slot_id: slotId, story_id: storyId, starts_at: toDbInstant(startsAt), ends_at: toDbInstant(endsAt), active: status === 'cancelled' ? 0 : 1 });
  }
  await insertChunked(trx, 'slots', slots);
  await insertChunked(trx, 'slot_grades', grades);
  await insertChunked(trx, 'slot_hosts', hosts);
  Object.assign(rows, { slots: slots.length, slot_grades: grades.length, slot_hosts: hosts.length });
}

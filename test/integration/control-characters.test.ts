import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/db/types.ts';
import type { RouteTableEntry } from '../../src/http/routes.ts';
import { issueLink } from '../../src/pupils/links.ts';
import { createTestContext, csrfFrom, type Agent } from '../support/app.ts';
import { apiUser, newUserBody, type ApiUser } from '../support/api.ts';
import { book, worldSlot } from '../support/bookings.ts';
import { PASSWORD } from '../support/factories.ts';
import { encodeFields, postFormsOf, type PageForm } from '../support/html-forms.ts';
import { agentOf, makeRoundWorld, roundBody, type RoundWorld } from '../support/rounds.ts';
import { makeSeries } from '../support/slots.ts';
import { storyInput } from '../support/stories.ts';

// A control character (a NUL above all) anywhere in a request is bad input: a 4xx that names the
// field, never a 500. PostgreSQL refuses any text holding a NUL, and SQLite's length() stops at
// one, so a value that got through would fail in the database. Walks the whole route table.

const ctx = await createTestContext();
const table = ctx.app.locals.routeTable as RouteTableEntry[];
afterAll(() => ctx.close());

const NUL = '\u0000';
const DUMMY = 'dummy-0000000000000000000000';
const CONTROL_MESSAGE = /innehåller ett osynligt tecken som inte går att använda/;

interface Caller {
  agent: Agent;
  csrf: string;
  bearer: string;
}
let world: RoundWorld;
const callers = {} as Record<Role | 'anonymous', Caller>;
const ids: Record<string, string> = {};
let linkToken: string;

beforeAll(async () => {
  world = await makeRoundWorld(ctx, { schools: 1, pupils: 3 });
  const side = world.schools[0]!;
  const slot = await worldSlot(ctx, world, '2027-04-21T08:00', '2027-04-21T12:00');
  // A slot in the round's prao week, so the wish pages offer something to choose.
  await worldSlot(ctx, world, '2027-04-06T08:00', '2027-04-06T12:00', {}, 2);
  const [booking] = await book(ctx, side, slot.id, [side.pupils[0]!]);
  const series = await makeSeries(ctx, world.coordinator, [world.storyIds[1]!], ['2027-04-13', '2027-04-20']);
  linkToken = await issueLink(ctx.db, ctx.config.sessionSecret, side.pupils[0]!.id, ctx.clock.now());
  const outbox = await ctx.db.selectFrom('outbox').select('id').executeTakeFirst();
  Object.assign(ids, {
    networks: world.networkId,
    sites: world.company.mainSiteId,
    stories: world.storyId,
    slots: slot.id,
    participants: slot.id,
    series: series.seriesId,
    pupils: side.pupils[2]!.id,
    bookings: booking!.id,
    rounds: world.round.id,
    outbox: outbox?.id ?? DUMMY,
  });
  const company: ApiUser = await apiUser(ctx, 'company_coordinator', world.company.id);
  const admin = await apiUser(ctx, 'platform_admin');
  const bearers = { platform_admin: admin, network_coordinator: world.networkCoordinator, company_coordinator: company, counsellor: side.counsellor };
  for (const [role, api] of Object.entries(bearers) as [Role, ApiUser][]) {
    const agent = await agentOf(ctx, api.user);
    callers[role] = { agent, csrf: csrfFrom((await agent.get('/account')).text), bearer: api.token };
  }
  const agent = supertest.agent(ctx.app);
  callers.anonymous = { agent, csrf: csrfFrom((await agent.get('/login')).text), bearer: '' };
});

const callerOf = (route: RouteTableEntry): Caller =>
  route.access === 'public' ? callers.anonymous : route.access === 'signed_in' ? callers.counsellor : callers[route.access[0]!];

/** A real id for each parameter, so a request gets as far into the app as it can. */
function valueOf(path: string, param: string): string {
  if (param === 'token') return path.startsWith('/p/') ? linkToken : DUMMY;
  const byName: Record<string, string | undefined> = { pupilId: ids.pupils, slotId: ids.slots, bookingId: ids.bookings, roundId: ids.rounds, networkId: ids.networks };
  if (param !== 'id') return byName[param] ?? DUMMY;
  const segment = new RegExp(`/([\\w-]+)/:${param}\\b`).exec(path)?.[1] ?? '';
  return ids[segment] ?? DUMMY;
}

/** The route's path with real ids, `bad` (already encoded) in place of `badParam`. */
function pathOf(route: RouteTableEntry, badParam?: string, bad = '%00'): string {
  return route.path.replace(/:(\w+)/g, (_m, param: string) => (param === badParam ? bad : encodeURIComponent(valueOf(route.path, param))));
}

function send(route: RouteTableEntry, path: string, body?: unknown) {
  const caller = callerOf(route);
  const method = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'delete';
  if (route.kind === 'api') {
    const request = caller.agent[method](path);
    if (caller.bearer) request.set('Authorization', `Bearer ${caller.bearer}`);
    return method === 'get' ? request : request.send((body ?? {}) as object);
  }
  if (method === 'get') return caller.agent.get(path);
  return caller.agent.post(path).type('form').send(typeof body === 'string' ? body : { _csrf: caller.csrf, ...(body as object) });
}

const describeRoute = (route: RouteTableEntry) => `${route.method} ${route.path}`;
const withParams = table.filter((r) => r.path.includes(':'));
const gets = table.filter((r) => r.method === 'GET');


describe('a NUL in a path', () => {
  for (const route of withParams) {
    for (const [, param] of route.path.matchAll(/:(\w+)/g)) {
      const name = `${describeRoute(route)} :${param}`;
      it(`${name} answers 4xx`, async () => {
        const res = await send(route, pathOf(route, param));
        expect(res.status, res.text.slice(0, 300)).toBeGreaterThanOrEqual(400);
        expect(res.status, res.text.slice(0, 300)).toBeLessThan(500);
      });
    }
  }

  it('names the field of a NUL in an API path', async () => {
    const res = await send(table.find((r) => r.path === '/api/v1/rounds/:id')!, '/api/v1/rounds/%00');
    expect(res.status).toBe(422);
    expect(res.body.error.fields.id).toMatch(/^Fältet id innehåller ett osynligt tecken/);
  });
});

/** Every name a query string is read by, anywhere in the app. */
const QUERY_KEYS = ['q', 'from', 'to', 'field', 'municipality', 'format', 'grade', 'free', 'networkId', 'page', 'class', 'classes', 'all', 'notice', 'count', 'bookings', 'saved', 'next', 'returnTo', 'className', 'slotId', 'pupilId', 'programme', 'status', 'lang', 'token'];

describe('a NUL in a query string', () => {
  for (const route of gets) {
    it(`${describeRoute(route)} never answers 500, with a NUL in every parameter at once or in one at a time`, async () => {
      const query = new URLSearchParams(QUERY_KEYS.map((key): [string, string] => [key, `${NUL}x`]));
      query.append(NUL, 'x');
      const all = await send(route, `${pathOf(route)}?${query}`);
      expect(all.status, all.text.slice(0, 300)).toBeLessThan(500);
      // Alone, a parameter is not stopped by another one's problem first (e.g. "one of slotId or pupilId").
      for (const key of QUERY_KEYS) {
        const res = await send(route, `${pathOf(route)}?${new URLSearchParams([[key, `${NUL}x`]])}`);
        expect(res.status, `?${key}: ${res.text.slice(0, 300)}`).toBeLessThan(500);
      }
    });
  }
});

/** A valid body for each API route that takes one; a NUL is put into each of its strings in turn. */
function apiBodies(): Record<string, Record<string, unknown>> {
  const side = world.schools[0]!;
  return {
    'POST /api/v1/tokens': { email: side.counsellor.user.email, password: PASSWORD },
    'POST /api/v1/networks': { name: 'Nätverk NUL', region: 'Värmland' },
    'POST /api/v1/networks/:id/companies': { name: 'Företag NUL AB', municipality: 'Karlstad', address: 'Gatan 1' },
    'POST /api/v1/networks/:id/schools': { name: 'Skola NUL', municipality: 'Karlstad', address: 'Gatan 2', schoolType: 'municipal' },
    'POST /api/v1/users': newUserBody('counsellor', side.school.id, 'nul@teknikprao.test'),
    'POST /api/v1/stories': storyInput(),
    'POST /api/v1/slots': { storyIds: [world.storyIds[2]], startsAt: '2027-04-28T08:00', endsAt: '2027-04-28T12:00', capacity: 4, grades: ['8', '9'], activities: 'Vi bygger.' },
    'POST /api/v1/slots/:id/cancel': { reason: 'Sjukdom' },
    'POST /api/v1/pupils': { givenName: 'Alva', familyName: 'Berg', className: '8B', grade: '8' },
    'POST /api/v1/bookings': { slotId: ids.slots, pupilId: side.pupils[1]!.id },
    'DELETE /api/v1/bookings/:id': { reason: 'Sjuk' },
    'POST /api/v1/rounds': roundBody(world, { name: 'Runda NUL' }),
    'PUT /api/v1/rounds/:id/pupils/:pupilId/wishes': { placements: [ids.slots, ids.series] },
    'POST /api/v1/rounds/:id/allocations': { early: true },
    'POST /api/v1/rounds/:id/allocations/:allocationId/commit': { closeWishes: true },
  };
}

/** Each string in a body (and each field name) in turn with a NUL in it, with its dotted path. */
function variants(body: unknown, path: string[] = []): { path: string; body: unknown }[] {
  if (typeof body === 'string') return [{ path: path.join('.'), body: `${NUL}${body}` }];
  if (Array.isArray(body)) return body.flatMap((item, i) => variants(item, [...path, String(i)]).map((v) => ({ ...v, body: body.map((x, j) => (j === i ? v.body : x)) })));
  if (typeof body !== 'object' || body === null) return [];
  const entries = Object.entries(body);
  return [
    ...entries.flatMap(([key, value]) => variants(value, [...path, key]).map((v) => ({ ...v, body: { ...body, [key]: v.body } }))),
    ...(path.length === 0 ? [{ path: `${NUL}x`, body: { ...body, [`${NUL}x`]: 'x' } }] : []),
  ];
}

describe('a NUL in a JSON body', () => {
  const writes = table.filter((r) => r.kind === 'api' && r.method !== 'GET');

  it('has a body for every API route that writes', () => {
    expect(writes.map(describeRoute).filter((name) => !(name in apiBodies()))).toEqual([]);
  });

  it.each(writes.map((route) => [describeRoute(route), route] as const))('%s answers 422 naming each field that holds one', async (name, route) => {
    for (const variant of variants(apiBodies()[name] ?? { name: 'x' })) {
      const res = await send(route, pathOf(route), variant.body);
      const shown = `${variant.path}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`;
      expect(res.status, shown).toBe(422);
      expect(res.body.error.fields[variant.path.replace(NUL, '\uFFFD')] ?? res.body.error.fields[variant.path], shown).toMatch(CONTROL_MESSAGE);
    }
  });
});

describe('a NUL in a form', () => {
  // Sending a form back signed out, or deleting what later forms need, would hide what they do.
  const LAST = /\/(delete|revoke|cancel|remove|decision|withdraw|commit|unpublish)\b/;
  const pages = gets.filter((r) => r.kind === 'page');

  it('never answers 500 to any field of any form on any page', async () => {
    const forms: { route: RouteTableEntry; form: PageForm }[] = [];
    const seen = new Set<string>();
    for (const route of pages) {
      const res = await send(route, pathOf(route));
      for (const form of postFormsOf(res.text)) {
        const key = `${form.action.replace(/\?.*/, '')} ${Object.keys(form.fields).join(' ')}`;
        if (!form.action.startsWith('/logout') && !seen.has(key)) forms.push({ route, form });
        seen.add(key);
      }
    }
    forms.sort((a, b) => Number(LAST.test(a.form.action)) - Number(LAST.test(b.form.action)));
    expect(forms.length).toBeGreaterThan(30);
    const failures: string[] = [];
    for (const { route, form } of forms) {
      for (const name of Object.keys(form.fields).filter((n) => n !== '_csrf')) {
        const fields = { ...form.fields, [name]: form.fields[name]!.map((v, i) => (i === 0 ? `${NUL}${v}` : v)) };
        const res = await callerOf(route).agent.post(form.action).type('form').send(encodeFields(fields));
        if (res.status >= 500) failures.push(`form ${route.path} ${name}`);
      }
    }
    expect(failures).toEqual([]);
  });
});

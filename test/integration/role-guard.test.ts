import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/api/tokens.service.ts';
import { ROLES, type Role } from '../../src/db/types.ts';
import type { Access, RouteTableEntry } from '../../src/http/routes.ts';
import { createTestContext, csrfFrom, type Agent } from '../support/app.ts';
import { signedIn } from '../support/flows.ts';

// The route table is built when the app is, so the tests below can be made from it.
const ctx = await createTestContext();
const table = ctx.app.locals.routeTable as RouteTableEntry[];
afterAll(() => ctx.close());

const DUMMY = 'dummy-0000000000000000000000';
const concrete = (path: string) => path.replace(/:\w+/g, DUMMY);
const guarded = table.filter((route) => route.access !== 'public');
// Worked out here, not with the app's own `allows`, so a fault there cannot hide itself.
const mayUse = (access: Access, role: Role) => access === 'public' || access === 'signed_in' || access.includes(role);
const refusedRoles = (route: RouteTableEntry) => ROLES.filter((role) => !mayUse(route.access, role));

interface Caller {
  agent: Agent;
  csrf: string;
  bearer: string;
}
const callers = {} as Record<Role, Caller>;
let anonymous: Caller;

beforeAll(async () => {
  for (const role of ROLES) {
    const { user, agent } = await signedIn(ctx, role);
    const csrf = csrfFrom((await agent.get('/account')).text);
    const { token } = await createApiToken(ctx.db, user.id, 'role guard test', ctx.clock.now());
    callers[role] = { agent, csrf, bearer: token };
  }
  const agent = supertest.agent(ctx.app);
  anonymous = { agent, csrf: csrfFrom((await agent.get('/login')).text), bearer: '' };
});

function send(route: RouteTableEntry, caller: Caller) {
  const path = concrete(route.path);
  if (route.kind === 'api') {
    const request =
      route.method === 'GET'
        ? caller.agent.get(path)
        : route.method === 'DELETE'
          ? caller.agent.delete(path).send({})
          : route.method === 'PUT'
            ? caller.agent.put(path).send({})
            : caller.agent.post(path).send({});
    return caller.bearer ? request.set('Authorization', `Bearer ${caller.bearer}`) : request;
  }
  return route.method === 'GET' ? caller.agent.get(path) : caller.agent.post(path).type('form').send({ _csrf: caller.csrf });
}

describe('the route table', () => {
  it('lists the routes the app serves, pages and API alike', () => {
    const names = table.map((r) => `${r.method} ${r.path}`);
    expect(names).toEqual(
      expect.arrayContaining([
        'GET /login',
        'GET /admin/networks',
        'POST /memberships/:id/decision',
        'POST /company/sites/:id',
        'GET /school',
        'POST /admin/outbox/:id/retry',
        'POST /api/v1/networks',
        'GET /api/v1/me',
      ]),
    );
    expect(guarded.length).toBeGreaterThan(20);
  });

  it('gives every guarded route someone it refuses', () => {
    // Every guarded route refuses at least anonymous callers; role lists must also leave roles out.
    const roleLists = guarded.filter((r) => Array.isArray(r.access));
    expect(roleLists.length).toBeGreaterThan(10);
    for (const route of roleLists) expect(refusedRoles(route).length, `${route.method} ${route.path}`).toBeGreaterThan(0);
  });
});

describe('anonymous callers', () => {
  for (const route of guarded) {
    it(`are refused ${route.method} ${route.path}`, async () => {
      const res = await send(route, anonymous);
      if (route.kind === 'api') {
        expect(res.status).toBe(401);
        expect(res.body.error.code).toBe('unauthenticated');
      } else if (route.method === 'GET') {
        expect(res.status).toBe(303);
        expect(res.headers.location).toBe(`/login?next=${encodeURIComponent(concrete(route.path))}`);
      } else {
        expect(res.status).toBe(401);
        expect(res.text).toContain('data-error-code="unauthenticated"');
      }
    });
  }
});

describe('signed-in callers of the wrong role', () => {
  for (const route of guarded.filter((r) => refusedRoles(r).length > 0)) {
    it(`are refused ${route.method} ${route.path} (${refusedRoles(route).join(', ')})`, async () => {
      for (const role of refusedRoles(route)) {
        const res = await send(route, callers[role]);
        expect(res.status, role).toBe(403);
        if (route.kind === 'api') expect(res.body, role).toMatchObject({ error: { code: 'forbidden' } });
        else expect(res.text, role).toContain('data-error-code="forbidden"');
      }
    });
  }
});

describe('callers of an allowed role', () => {
  // Only routes without parameters: with a dummy id the service itself may (rightly) refuse.
  // GET /api/v1/bookings needs slotId or pupilId (422 without), so it has no parameter-free read.
  const needsQuery = new Set(['/api/v1/bookings']);
  const plain = guarded.filter((r) => r.method === 'GET' && !r.path.includes(':') && !needsQuery.has(r.path));

  it('reach every page and API read without parameters', async () => {
    expect(plain.length).toBeGreaterThan(5);
    for (const route of plain) {
      for (const role of ROLES.filter((r) => mayUse(route.access, r))) {
        const res = await send(route, callers[role]);
        expect(res.status, `${role} ${route.path}`).toBe(200);
      }
    }
  });
});

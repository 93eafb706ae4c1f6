import express, { type Request, type Router } from 'express';
import { z } from 'zod';
import { authenticate } from '../auth/auth.service.ts';
import type { AppDeps, SessionUser } from '../http/context.ts';
import { errorStatus, notFound } from '../http/errors.ts';
import type { Access, RouteTableEntry } from '../http/routes.ts';
import { parseInput, parseQuery } from '../http/validation.ts';
import { companiesWorkingWith, createCompany, createNetwork, createSchool, listNetworks } from '../organisations/organisations.service.ts';
import { idParamSchema } from '../organisations/organisations.schemas.ts';
import { searchCatalogue } from '../slots/catalogue.ts';
import { createSlot, getSlot, isPublic } from '../slots/slots.service.ts';
import { actorOf } from '../bookings/booking.service.ts';
import { cancelSlotWithBookings } from '../bookings/slot-changes.ts';
import { inTransaction } from '../db/transaction.ts';
import { createStory } from '../stories/stories.service.ts';
import { assertMayGrant } from '../users/permissions.ts';
import { createUser } from '../users/users.service.ts';
import { isOwnSlot, slotJson, storyJson } from './api.json.ts';
import { apiOnly, bearerGuard, jsonBody, noStore } from './api.middleware.ts';
import * as s from './api.schemas.ts';
import { buildOpenApi } from './openapi.ts';
import { createApiToken } from './tokens.service.ts';
import { ApiReply } from './idempotency.ts';
import { pupilApiRoutes } from '../pupils/pupils.api.ts';
import { bookingApiRoutes } from '../bookings/bookings.api.ts';
import { roundApiRoutes } from '../scheduler/rounds.api.ts';
import { allocationApiRoutes } from '../scheduler/allocation.api.ts';

export interface ApiRoute {
  method: 'get' | 'post' | 'put' | 'delete';
  path: string;
  /** A stable name for client generators (OpenAPI operationId). */
  operationId: string;
  access: Access;
  summary: string;
  params?: z.ZodObject;
  /** Query-string parameters (all optional). */
  query?: z.ZodObject;
  body?: z.ZodType;
  /** The body may be left out altogether (then it is read as `{}`). */
  bodyOptional?: true;
  response: z.ZodType;
  status: number;
  /**
   * Domain error codes this endpoint may answer with, for the OpenAPI document; the codes that
   * every guarded route, every path parameter or every body may give are added there.
   */
  errors?: (keyof typeof errorStatus)[];
  /** A public route that shows more to a caller with a bearer token (documented as optional security). */
  bearerOptional?: true;
  /** `user` is the caller on guarded routes; public routes read the optional caller from req.ctx.user. */
  handler: (input: { req: Request; body: any; params: any; query: any; user: SessionUser }) => Promise<unknown>;
}

const organisationIdOf = (u: SessionUser) => u.networkId ?? u.companyId ?? u.schoolId;

function userJson(u: SessionUser) {
  return { id: u.id, email: u.email, name: u.name, role: u.role, organisationId: organisationIdOf(u), locale: u.locale };
}


/** Every JSON endpoint, declared once: mounted from this list and documented from it. */
export function apiRoutes(deps: AppDeps): ApiRoute[] {
  const { db, config } = deps;
  const tx = <T>(fn: (trx: typeof db) => Promise<T>) => db.transaction().execute(fn);
  return [
    {
      method: 'post',
      path: '/tokens',
      operationId: 'createToken',
      access: 'public',
      summary: 'Exchange e-mail and password for a bearer token (throttled like sign-in).',
      body: s.tokenRequestSchema,
      response: s.tokenResponseSchema,
      status: 201,
      errors: ['invalid_credentials', 'too_many_attempts'],
      handler: async ({ req, body }) => {
        const user = await authenticate(db, { ...body, ip: req.ctx.ip }, req.ctx.now, config);
        return createApiToken(db, user.id, `API ${req.ctx.now.toISODate()}`, req.ctx.now);
      },
    },
    {
      method: 'get',
      path: '/me',
      operationId: 'getMe',
      access: 'signed_in',
      summary: 'The user behind the bearer token.',
      response: s.meResponseSchema,
      status: 200,
      handler: async ({ user }) => userJson(user),
    },
    {
      method: 'get',
      path: '/networks',
      operationId: 'listNetworks',
      access: 'signed_in',
      summary: 'All networks on this deployment.',
      response: s.networkListSchema,
      status: 200,
      handler: async () => ({ networks: (await listNetworks(db)).map(({ id, name, region }) => ({ id, name, region })) }),
    },
    {
      method: 'post',
      path: '/networks',
      operationId: 'createNetwork',
      access: ['platform_admin'],
      summary: 'Create a regional network.',
      body: s.networkRequestSchema,
      response: s.networkResponseSchema,
      status: 201,
      handler: async ({ req, body, user }) => {
        const n = await tx((trx) => createNetwork(trx, user, body, req.ctx.now));
        return { id: n.id, name: n.name, region: n.region };
      },
    },
    {
      method: 'post',
      path: '/networks/:id/companies',
      operationId: 'createCompany',
      access: ['platform_admin', 'network_coordinator'],
      summary: 'Create a company as a member of the network (with a main site from these details, which the company can edit).',
      params: idParamSchema,
      body: s.organisationRequestSchema,
      response: s.companyResponseSchema,
      status: 201,
      errors: ['not_found'],
      handler: async ({ req, body, params, user }) => {
        const company = await tx((trx) => createCompany(trx, user, params.id, body, req.ctx.now));
        return { id: company.id, name: company.name, municipality: company.municipality, networkId: params.id, mainSiteId: company.mainSiteId };
      },
    },
    {
      method: 'post',
      path: '/networks/:id/schools',
      operationId: 'createSchool',
      access: ['platform_admin', 'network_coordinator'],
      summary: 'Create a school as a member of the network.',
      params: idParamSchema,
      body: s.organisationRequestSchema,
      response: s.schoolResponseSchema,
      status: 201,
      errors: ['not_found'],
      handler: async ({ req, body, params, user }) => {
        const school = await tx((trx) => createSchool(trx, user, params.id, { ...body, schoolType: 'municipal' }, req.ctx.now));
        return { id: school.id, name: school.name, municipality: school.municipality, networkId: params.id };
      },
    },
    {
      method: 'post',
      path: '/users',
      operationId: 'createUser',
      access: 'signed_in',
      summary: 'Create a user (for scripted set-up; the UI uses invitations). Same rules as invitations.',
      body: s.userRequestSchema,
      response: s.userResponseSchema,
      status: 201,
      errors: ['forbidden', 'email_taken'],
      handler: async ({ req, body, user }) => {
        const created = await tx(async (trx) => {
          await assertMayGrant(trx, user, body.role, body.organisationId);
          return createUser(trx, body, req.ctx.now, config.passwordHashing);
        });
        return userJson(created);
      },
    },
    {
      method: 'post',
      path: '/stories',
      operationId: 'createStory',
      access: ['company_coordinator'],
      summary: "Write a role story for the caller's company. Publishing through the API records the professional's consent.",
      body: s.storyRequestSchema,
      response: s.storyResponseSchema,
      status: 201,
      handler: async ({ req, body, user }) => storyJson(await tx((trx) => createStory(trx, user, body, req.ctx.now))),
    },
    {
      method: 'post',
      path: '/slots',
      operationId: 'createSlot',
      access: ['company_coordinator'],
      summary: 'Publish a slot (or save a draft with status "draft"), hosted by stories of the caller\'s company. Same rules as the UI.',
      body: s.slotRequestSchema,
      response: s.slotResponseSchema,
      status: 201,
      errors: ['host_overlap'],
      handler: async ({ req, body, user }) => {
        const occurrence = { startsAt: body.startsAt, endsAt: body.endsAt, bookingOpensAt: body.bookingOpensAt, bookingClosesAt: body.bookingClosesAt };
        const slot = await tx((trx) => createSlot(trx, user, body, occurrence, req.ctx.now));
        return slotJson(slot, user, true);
      },
    },
    {
      method: 'get',
      path: '/slots',
      operationId: 'listSlots',
      access: 'public',
      bearerOptional: true,
      summary: 'Published slots that have not started, in every network, with the catalogue filters (a bad filter value is ignored).',
      query: s.slotQuerySchema,
      response: s.slotPageSchema,
      status: 200,
      handler: async ({ req, query }) => {
        const page = await searchCatalogue(db, { networkIds: null }, query, req.ctx.now);
        const workingWith = await companiesWorkingWith(db, req.ctx.user, page.slots.map((slot) => slot.companyId));
        return { ...page, slots: page.slots.map((slot) => slotJson(slot, req.ctx.user, workingWith.has(slot.companyId))) };
      },
    },
    {
      method: 'get',
      path: '/slots/:id',
      operationId: 'getSlot',
      access: 'public',
      bearerOptional: true,
      summary: "One slot, published or cancelled; a draft only for its own company's coordinators.",
      params: idParamSchema,
      response: s.slotResponseSchema,
      status: 200,
      errors: ['not_found'],
      handler: async ({ req, params }) => {
        const slot = await getSlot(db, params.id);
        if (!isPublic(slot) && !isOwnSlot(slot, req.ctx.user)) throw notFound();
        const workingWith = await companiesWorkingWith(db, req.ctx.user, [slot.companyId]);
        return slotJson(slot, req.ctx.user, workingWith.has(slot.companyId));
      },
    },
    {
      method: 'post',
      path: '/slots/:id/cancel',
      operationId: 'cancelSlot',
      access: ['company_coordinator'],
      summary: "Cancel one of the company's slots: frees its hosts' time, cancels its bookings and tells each school. Cancelling again changes nothing.",
      params: idParamSchema,
      body: s.cancelRequestSchema,
      response: s.slotResponseSchema,
      status: 200,
      errors: ['not_found'],
      handler: async ({ req, body, params, user }) => {
        const slot = await inTransaction(db, (trx) => cancelSlotWithBookings(trx, deps, user, actorOf(user, 'api', req.ctx.ip), params.id, body.reason, req.ctx.now));
        return slotJson(slot, user, true);
      },
    },
    ...pupilApiRoutes(deps),
    ...bookingApiRoutes(deps),
    ...roundApiRoutes(deps),
    ...allocationApiRoutes(deps),
  ];
}

export function apiRouter(deps: AppDeps, table: RouteTableEntry[]): Router {
  const router = express.Router();
  const routes = apiRoutes(deps);
  const document = buildOpenApi(routes, deps.config.baseUrl);
  router.use(apiOnly);
  router.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  table.push({ method: 'GET', path: '/api/v1/openapi.json', access: 'public', kind: 'api' });
  router.use(noStore);
  for (const route of routes) {
    router[route.method](route.path, bearerGuard(route.access), async (req, res) => {
      const params = route.params ? parseInput(route.params, req.params) : {};
      const query = route.query ? parseQuery(route.query, req.query) : {};
      const body = route.body ? parseInput(route.body, jsonBody(req)) : undefined;
      const result = await route.handler({ req, body, params, query, user: req.ctx.user! });
      if (result instanceof ApiReply) res.status(result.status).json(result.body);
      else res.status(route.status).json(result);
    });
    table.push({ method: route.method.toUpperCase(), path: `/api/v1${route.path}`, access: route.access, kind: 'api' });
  }
  return router;
}

import { Validator } from '@seriousme/openapi-schema-validator';
import supertest from 'supertest';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as schemas from '../../src/api/api.schemas.ts';
import type { RouteTableEntry } from '../../src/http/routes.ts';
import { createTestContext, type TestContext } from '../support/app.ts';

// The OpenAPI document at /api/v1/openapi.json: valid, complete, and made from the zod schemas.

interface Operation {
  operationId: string;
  security: unknown[];
  parameters?: { name: string; in: string; required: boolean }[];
  requestBody?: { required?: boolean; content: { 'application/json': { schema: JsonSchema } } };
  responses: Record<string, { content: { 'application/json': { schema: JsonSchema } } }>;
}
interface JsonSchema {
  type?: string;
  required?: string[];
  properties?: Record<string, JsonSchema>;
  enum?: string[];
  additionalProperties?: boolean;
}

let ctx: TestContext;
let doc: { openapi: string; paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, JsonSchema> } };
beforeAll(async () => {
  ctx = await createTestContext();
  const res = await supertest(ctx.app).get('/api/v1/openapi.json');
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  doc = res.body;
});
afterAll(() => ctx.close());

const ROLES = ['platform_admin', 'network_coordinator', 'company_coordinator', 'counsellor'];
const op = (method: string, path: string) => doc.paths[path]?.[method]!;
const requestSchema = (method: string, path: string) => op(method, path).requestBody!.content['application/json'].schema;
const responseSchema = (method: string, path: string, status: string) => op(method, path).responses[status]!.content['application/json'].schema;
const openApiPath = (route: RouteTableEntry) => route.path.replace(/^\/api\/v1/, '').replace(/:(\w+)/g, '{$1}');
const apiRoutes = () =>
  (ctx.app.locals.routeTable as RouteTableEntry[]).filter((r) => r.kind === 'api' && r.path !== '/api/v1/openapi.json');
const operations = () => Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, o]) => ({ path, method, o })));

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.x', () => {
    expect(doc.openapi).toMatch(/^3\.\d+\.\d+$/);
  });

  it('passes the OpenAPI schema validator', async () => {
    const result = await new Validator().validate(structuredClone(doc) as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('lists every API route with its method', () => {
    const routes = apiRoutes();
    expect(routes.length).toBeGreaterThanOrEqual(6);
    for (const route of routes) expect(doc.paths[openApiPath(route)], `${route.method} ${route.path}`).toHaveProperty(route.method.toLowerCase());
  });

  it('lists nothing that is not a route', () => {
    const routes = new Set(apiRoutes().map((r) => `${r.method.toLowerCase()} ${openApiPath(r)}`));
    for (const { path, method } of operations()) expect(routes, `${method} ${path}`).toContain(`${method} ${path}`);
  });

  it('gives each operation a unique operationId', () => {
    const ids = operations().map(({ o }) => o.operationId);
    expect(ids.every((id) => typeof id === 'string' && id.length > 0)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('asks for the bearer token, and documents the 401, everywhere but the public routes', () => {
    const optional = ['get /slots', 'get /slots/{id}'];
    for (const { path, method, o } of operations()) {
      const name = `${method} ${path}`;
      if (name === 'post /tokens') expect(o.security).toEqual([]);
      else if (optional.includes(name)) {
        // `{}` first: anonymous callers are welcome; a token shows more (the supervisor's contact).
        expect(o.security, name).toEqual([{}, { bearer: [] }]);
        expect(o.responses, name).not.toHaveProperty('401');
      } else {
        expect(o.security, name).toEqual([{ bearer: [] }]);
        expect(o.responses, name).toHaveProperty('401');
      }
    }
  });

  it('documents the {id} path parameter of the network and slot routes', () => {
    for (const [method, path] of [['post', '/networks/{id}/companies'], ['post', '/networks/{id}/schools'], ['get', '/slots/{id}'], ['post', '/slots/{id}/cancel']] as const) {
      expect(op(method, path).parameters, path).toEqual([expect.objectContaining({ name: 'id', in: 'path', required: true })]);
    }
  });

  it('documents the one error shape for every error answer', () => {
    expect(doc.components.schemas.Error!.properties!.error!.required).toEqual(['code', 'message', 'fields']);
    for (const { o } of operations()) {
      for (const [status, response] of Object.entries(o.responses)) {
        if (Number(status) >= 400) expect(response.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });
      }
    }
  });
});

describe('request and response schemas', () => {
  it('requires email and password for POST /tokens, and answers with id and token', () => {
    expect(requestSchema('post', '/tokens').required).toEqual(['email', 'password']);
    expect(responseSchema('post', '/tokens', '201').required).toEqual(expect.arrayContaining(['id', 'token']));
  });

  it('requires email, name, role and password for POST /users, and refuses other fields', () => {
    const schema = requestSchema('post', '/users');
    expect(schema.required).toEqual(expect.arrayContaining(['email', 'name', 'role', 'password']));
    expect(schema.required).not.toContain('organisationId');
    expect(Object.keys(schema.properties!)).toEqual(['email', 'name', 'role', 'organisationId', 'password']);
    expect(schema.additionalProperties).toBe(false);
  });

  it('lists the four roles, in request and response', () => {
    expect(requestSchema('post', '/users').properties!.role!.enum).toEqual(ROLES);
    expect(responseSchema('get', '/me', '200').properties!.role!.enum).toEqual(ROLES);
  });

  it('requires name and region for POST /networks', () => {
    expect(requestSchema('post', '/networks').required).toEqual(['name', 'region']);
  });

  it('requires name and municipality, not address, for companies and schools', () => {
    for (const path of ['/networks/{id}/companies', '/networks/{id}/schools']) {
      const schema = requestSchema('post', path);
      expect(schema.required).toEqual(['name', 'municipality']);
      expect(Object.keys(schema.properties!)).toEqual(['name', 'municipality', 'address']);
    }
  });

  it('marks a body as optional only where the server reads a missing body as {}', () => {
    expect(op('post', '/rounds/{id}/allocations/{allocationId}/commit').requestBody!.required).toBe(false);
    expect(op('post', '/rounds/{id}/allocations').requestBody!.required).toBe(false);
    expect(op('post', '/rounds').requestBody!.required).toBe(true);
    expect(op('put', '/rounds/{id}/pupils/{pupilId}/wishes').requestBody!.required).toBe(true);
  });

  it('answers every creating request with 201 and a required id', () => {
    // Actions on something that exists (cancel, commit) answer 200.
    const creating = operations().filter(({ method, path }) => method === 'post' && !path.endsWith('/cancel') && !path.endsWith('/commit'));
    expect(creating.map(({ path }) => path)).toEqual(expect.arrayContaining(['/stories', '/slots', '/users', '/rounds', '/rounds/{id}/allocations']));
    for (const { path, o } of creating) {
      expect(Object.keys(o.responses), path).toContain('201');
      expect(responseSchema('post', path, '201').required, path).toContain('id');
    }
  });

  it('is the zod schema itself, turned into JSON Schema (so the two cannot drift)', () => {
    const { $schema: _s, ...fromZod } = z.toJSONSchema(schemas.networkRequestSchema, { target: 'draft-2020-12', io: 'input' });
    expect(requestSchema('post', '/networks')).toEqual(fromZod);
  });

  it('requires name, title, path and dayAtWork for POST /stories, with the eight path kinds', () => {
    const schema = requestSchema('post', '/stories');
    expect(schema.required).toEqual(['name', 'title', 'path', 'dayAtWork']);
    expect(schema.additionalProperties).toBe(false);
    const step = (schema.properties!.path as JsonSchema & { items: JsonSchema }).items;
    expect(step.required).toEqual(['kind', 'title']);
    expect(step.properties!.kind!.enum).toEqual(['grundskola', 'gymnasium', 'yh', 'university', 'apprenticeship', 'job', 'gap', 'other']);
    expect(Object.keys(step.properties!)).toEqual(expect.arrayContaining(['place', 'fromYear', 'toYear']));
    expect(responseSchema('post', '/stories', '201').required).toEqual(expect.arrayContaining(['id', 'published']));
  });

  it('requires storyIds, startsAt, endsAt, capacity and grades for POST /slots, and nothing else', () => {
    const schema = requestSchema('post', '/slots');
    expect([...schema.required!].sort()).toEqual(['capacity', 'endsAt', 'grades', 'startsAt', 'storyIds']);
    expect(schema.additionalProperties).toBe(false);
    expect((schema.properties!.grades as JsonSchema & { items: JsonSchema }).items.enum).toEqual(['7', '8', '9', 'gy1', 'gy2', 'gy3', 'yh']);
    expect(schema.properties!.status!.enum).toEqual(['draft', 'published']);
    for (const field of ['startsAt', 'endsAt']) expect((schema.properties![field] as { description?: string }).description).toMatch(/Europe\/Stockholm/);
    expect(Object.keys(schema.properties!)).toEqual(expect.arrayContaining(['siteId', 'format']));
  });

  it('documents 409 host_overlap and 422 for POST /slots', () => {
    expect(Object.keys(op('post', '/slots').responses)).toEqual(expect.arrayContaining(['201', '401', '403', '409', '422']));
  });

  it('shows capacity, bookedCount, seatsLeft and status for every slot answer', () => {
    const slotAnswers = [
      responseSchema('post', '/slots', '201'),
      responseSchema('get', '/slots/{id}', '200'),
      responseSchema('post', '/slots/{id}/cancel', '200'),
      (responseSchema('get', '/slots', '200').properties!.slots as JsonSchema & { items: JsonSchema }).items,
    ];
    for (const schema of slotAnswers) {
      expect(schema.required).toEqual(expect.arrayContaining(['id', 'capacity', 'bookedCount', 'seatsLeft', 'status', 'hosts', 'startsAt', 'endsAt']));
      expect(schema.required).not.toContain('supervisorName');
    }
  });

  it('documents the catalogue filters of GET /slots as optional query parameters', () => {
    const parameters = op('get', '/slots').parameters!;
    expect(parameters.map((p) => p.name)).toEqual(['from', 'to', 'field', 'municipality', 'format', 'grade', 'free', 'q', 'networkId', 'page']);
    for (const p of parameters) expect(p).toMatchObject({ in: 'query', required: false });
    expect(op('get', '/slots/{id}').responses).toHaveProperty('404');
  });
});

import type { Response } from 'supertest';
import supertest from 'supertest';
import assert from 'node:assert/strict';
import { createApiToken } from '../../src/api/tokens.service.ts';
import type { Role } from '../../src/db/types.ts';
import type { SessionUser } from '../../src/http/context.ts';
import type { TestContext } from './app.ts';
import { makeUser } from './factories.ts';

/** Helpers for the JSON API tests: a user with a bearer token, and calls that carry it. */

export interface ApiUser {
  user: SessionUser;
  token: string;
}

/** A new user of the role (its organisation made when not given) with a fresh bearer token. */
export async function apiUser(ctx: TestContext, role: Role, organisationId?: string): Promise<ApiUser> {
  const user = await makeUser(ctx.db, ctx.config, role, organisationId);
  const { token } = await createApiToken(ctx.db, user.id, 'test', ctx.clock.now());
  return { user, token };
}

/** A JSON POST, with the bearer token when one is given. */
export function apiPost(ctx: TestContext, path: string, body: unknown, token?: string) {
  const request = supertest(ctx.app).post(`/api/v1${path}`);
  if (token) request.set('Authorization', `Bearer ${token}`);
  return request.send(body as object);
}

export function apiGet(ctx: TestContext, path: string, token?: string) {
  const request = supertest(ctx.app).get(`/api/v1${path}`);
  if (token) request.set('Authorization', `Bearer ${token}`);
  return request;
}

/** Asserts the one JSON error shape, and returns its fields for closer checks. */
export function expectApiError(res: Response, status: number, code: string): Record<string, string> {
  // node:assert rather than vitest's expect, so benchmark scripts can use these helpers too.
  assert.deepEqual({ status: res.status, code: res.body?.error?.code }, { status, code });
  assert.match(String(res.headers['content-type']), /^application\/json/);
  assert.equal(typeof res.body.error.message, 'string');
  assert.ok(res.body.error.message.length > 0, 'the error has a message');
  assert.equal(typeof res.body.error.fields, 'object');
  return res.body.error.fields;
}

/** A complete, valid request body for POST /users. */
export function newUserBody(role: Role, organisationId: string | undefined, email: string) {
  return { email, name: 'Ny Användare', role, ...(organisationId ? { organisationId } : {}), password: 'ett långt lösenord' };
}

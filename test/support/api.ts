import type { Response } from 'supertest';
import supertest from 'supertest';
import { expect } from 'vitest';
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
  expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status, code });
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(typeof res.body.error.message).toBe('string');
  expect(res.body.error.message.length).toBeGreaterThan(0);
  expect(typeof res.body.error.fields).toBe('object');
  return res.body.error.fields;
}

/** A complete, valid request body for POST /users. */
export function newUserBody(role: Role, organisationId: string | undefined, email: string) {
  return { email, name: 'Ny Användare', role, ...(organisationId ? { organisationId } : {}), password: 'ett långt lösenord' };
}

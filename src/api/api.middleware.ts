import type { Request, RequestHandler } from 'express';
import { AppError } from '../http/errors.ts';
import { guard, type Access } from '../http/routes.ts';

/**
 * Only requests the app took for API calls (`/api/…`: bearer token only, no cookie, no CSRF)
 * may reach the API. Express matches mount paths case-insensitively, so without this
 * `/API/v1/me` would arrive here signed in by the session cookie.
 */
export const apiOnly: RequestHandler = (req, _res, next) => next(req.ctx.via === 'api' ? undefined : 'router');

/** API answers are personal (and one carries a new token): no cache may keep them. */
export const noStore: RequestHandler = (_req, res, next) => {
  res.set('Cache-Control', 'no-store');
  next();
};

/** The route's guard; a 401 also says how to authenticate (RFC 6750). */
export function bearerGuard(access: Access): RequestHandler {
  const check = guard(access);
  return (req, res, next) =>
    check(req, res, (error?: unknown) => {
      if (error instanceof AppError && error.code === 'unauthenticated') res.set('WWW-Authenticate', 'Bearer realm="teknikprao"');
      next(error);
    });
}

/**
 * The JSON object sent, or {} when nothing was sent (so the answer names each missing field).
 * A form or text body is refused (415) rather than read, and a JSON array or scalar is not an object (400).
 */
export function jsonBody(req: Request): unknown {
  const empty = req.get('content-length') === '0';
  if (!empty && req.is('application/json') === false) throw new AppError('unsupported_media_type');
  const body: unknown = req.body;
  if (body === undefined) return {};
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new AppError('invalid_json');
  return body;
}

import { doubleCsrf } from 'csrf-csrf';
import type { Request, RequestHandler } from 'express';
import type { Config } from '../config.ts';
import { AppError } from './errors.ts';

/**
 * A multipart body (a file upload) is read inside its route, after this check, so its form
 * cannot carry the token: it comes in the address (`?_csrf=`) instead, for multipart only.
 */
function multipartQueryToken(req: Request): string | undefined {
  const token = req.query._csrf;
  return req.is('multipart/form-data') && typeof token === 'string' ? token : undefined;
}

/**
 * CSRF protection with csrf-csrf (signed double-submit cookie): the token is an HMAC bound to
 * the session (or to "anonymous" before sign-in, which still stops login CSRF, since another
 * site can neither read nor set our cookie). Every state-changing form carries `_csrf`.
 * JSON API calls under /api/ are exempt: they authenticate with a bearer token, never a cookie.
 */
export function createCsrf(config: Config) {
  const { generateCsrfToken, doubleCsrfProtection } = doubleCsrf({
    getSecret: () => config.sessionSecret,
    getSessionIdentifier: (req) => req.ctx?.sessionIdHash ?? 'anonymous',
    cookieName: config.secureCookies ? '__Host-tp_csrf' : 'tp_csrf',
    cookieOptions: { sameSite: 'lax', path: '/', secure: config.secureCookies, httpOnly: true },
    getCsrfTokenFromRequest: (req) =>
      (typeof req.body?._csrf === 'string' ? req.body._csrf : undefined) ?? req.get('x-csrf-token') ?? multipartQueryToken(req),
    skipCsrfProtection: (req) => req.path.startsWith('/api/'),
    errorConfig: { statusCode: 403, message: 'csrf_invalid', code: 'EBADCSRFTOKEN' },
  });

  const protect: RequestHandler = (req, res, next) => {
    doubleCsrfProtection(req, res, (error?: unknown) => {
      if (error) return next(new AppError('csrf_invalid'));
      next();
    });
  };

  /** Exposes the token to views as `csrfToken` (made on first use, so static pages set no cookie). */
  const expose: RequestHandler = (req, res, next) => {
    let token: string | undefined;
    Object.defineProperty(res.locals, 'csrfToken', {
      get: () => (token ??= generateCsrfToken(req, res)),
      enumerable: true,
    });
    next();
  };

  return { protect, expose };
}

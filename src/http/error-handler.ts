import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { AppError } from './errors.ts';
import { localiseFields } from './validation.ts';
import { renderPage } from './render.ts';

export function wantsJson(req: Request): boolean {
  return req.path.startsWith('/api/');
}

export const notFoundHandler: RequestHandler = (_req, _res, next) => next(new AppError('not_found'));

/**
 * The one error handler. AppErrors become their status with a message in the user's language;
 * body-parser errors become 400/413; anything else is logged with the request id and answered
 * with a generic 500 — never its message or stack.
 */
export const errorHandler: ErrorRequestHandler = async (error, req, res, _next) => {
  const appError = toAppError(error);
  if (appError.status >= 500) {
    req.log?.error({ err: error, requestId: req.ctx?.requestId }, 'unhandled error');
  }
  if (res.headersSent) return;
  const t = req.ctx.t;
  const message = t(`error.${appError.code}`, appError.options.params);
  const fields = localiseFields(t, appError.fields);
  if (appError.options.retryAfterSeconds) res.set('Retry-After', String(appError.options.retryAfterSeconds));

  if (wantsJson(req)) {
    res.status(appError.status).json({ error: { code: appError.code, message, fields } });
    return;
  }
  if (appError.code === 'unauthenticated' && req.method === 'GET') {
    res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
    return;
  }
  try {
    await renderPage(
      res,
      'layout/error',
      { title: appError.status === 404 ? message : t('error.title'), code: appError.code, message, fields, requestId: req.ctx.requestId, status: appError.status },
      appError.status,
    );
  } catch (renderError) {
    req.log?.error({ err: renderError }, 'error page failed to render');
    res.status(appError.status).type('text').send(message);
  }
};

function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  // A path with a broken %-escape (/p/%E2%82): the router cannot decode the parameter, so
  // there is nothing by that name.
  if (error instanceof URIError) return new AppError('not_found');
  // body-parser's errors (http-errors, `expose`d, 4xx) are bad input from the client, never a 500:
  // broken JSON, a bad gzip stream, an unknown charset, too many form fields.
  const e = error as { expose?: unknown; status?: unknown };
  if (e?.expose === true && typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
    if (e.status === 413) return new AppError('payload_too_large');
    if (e.status === 415) return new AppError('unsupported_media_type');
    return new AppError('invalid_json');
  }
  return new AppError('internal_error');
}

import type { Response } from 'express';
import type { FieldProblems } from './errors.ts';
import { localiseFields } from './validation.ts';

export interface PageData {
  title: string;
  [key: string]: unknown;
}

/**
 * Renders views/<view>.ejs inside views/layout/page.ejs. Views get plain display data:
 * strings already translated and formatted; a template never calls a service.
 */
export async function renderPage(res: Response, view: string, data: PageData, status = 200): Promise<void> {
  const locals = { ...res.locals, ...data };
  const body = await renderView(res, view, locals);
  const html = await renderView(res, 'layout/page', { ...locals, body });
  res.status(status).type('html').send(html);
}

function renderView(res: Response, view: string, locals: Record<string, unknown>): Promise<string> {
  return new Promise((resolve, reject) => {
    res.app.render(view, locals, (error: Error | null, html?: string) => (error ? reject(error) : resolve(html ?? '')));
  });
}

/** A form's state for the form-field partial: submitted values and localised field errors. */
export interface FormState {
  values: Record<string, unknown>;
  errors: Record<string, string>;
}

export function formState(res: Response, values: Record<string, unknown> = {}, fields?: FieldProblems): FormState {
  const { password: _p, newPassword: _n, _csrf: _c, ...safeValues } = values;
  return { values: safeValues, errors: localiseFields(res.req.ctx.t, fields) };
}

/** After a successful POST: redirect with 303 so a reload does not post again. */
export function redirectAfterPost(res: Response, location: string): void {
  res.redirect(303, location);
}

/** Only same-site relative paths are followed after sign-in or a language switch. */
export function safeReturnPath(value: unknown, fallback = '/'): string {
  if (typeof value !== 'string') return fallback;
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return fallback;
  return value;
}

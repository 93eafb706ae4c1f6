import type { Response } from 'supertest';
import type { Role } from '../../src/db/types.ts';
import type { SessionUser } from '../../src/http/context.ts';
import { signIn, type Agent, type TestContext } from './app.ts';
import { makeUser, PASSWORD } from './factories.ts';

/** Small steps that several integration tests share: signed-in users, cookies, mailed links. */

export interface SignedIn {
  user: SessionUser;
  agent: Agent;
}

/** A new user of the role (its organisation made when not given), already signed in. */
export async function signedIn(ctx: TestContext, role: Role, organisationId?: string): Promise<SignedIn> {
  const user = await makeUser(ctx.db, ctx.config, role, organisationId);
  return { user, agent: await signIn(ctx.app, user.email, PASSWORD) };
}

/** The value a response sets for a cookie, or undefined when it sets none. */
export function cookieSet(response: Response, name: string): string | undefined {
  const cookies = [response.headers['set-cookie'] ?? []].flat() as string[];
  const cookie = cookies.find((c) => c.startsWith(`${name}=`));
  return cookie ? decodeURIComponent(cookie.slice(name.length + 1).split(';')[0]!) : undefined;
}

/** Mails in the outbox to one address, oldest first. */
export function outboxTo(ctx: TestContext, address: string) {
  return ctx.db.selectFrom('outbox').selectAll().where('to_address', '=', address).orderBy('created_at').orderBy('id').execute();
}

/** The token of the first link to `${baseUrl}${pathPrefix}<token>` in a text, or throws. */
export function tokenFromLink(text: string, baseUrl: string, pathPrefix: string): string {
  const escaped = (baseUrl + pathPrefix).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const match = new RegExp(`${escaped}([A-Za-z0-9_-]+)`).exec(text);
  if (!match) throw new Error(`no ${pathPrefix} link in: ${text}`);
  return match[1]!;
}

/** A page's HTML with its per-request parts (CSRF tokens) blanked, so two answers can be compared. */
export function withoutCsrf(html: string): string {
  return html.replace(/name="_csrf" value="[^"]*"/g, 'name="_csrf" value=""');
}

/** A cookie an agent holds (as a browser would send it), or undefined. */
export function jarCookie(agent: Agent, name: string): string | undefined {
  const access = { domain: '127.0.0.1', path: '/', secure: false, script: false };
  return agent.jar.getCookie(name, access)?.value;
}

/**
 * The error message shown under a form field, by the field's name; with `formAction`, only in
 * the form posting there (pages with several forms prefix their field ids, e.g. "f-site-name").
 */
export function fieldError(html: string, name: string, formAction?: string): string | undefined {
  let scope = html;
  if (formAction) {
    const start = html.indexOf(`action="${formAction}"`);
    if (start < 0) throw new Error(`no form posting to ${formAction} on the page`);
    scope = html.slice(start, html.indexOf('</form>', start));
  }
  return new RegExp(`id="f-(?:[A-Za-z]+-)?${name}-error">([^<]*)<`).exec(scope)?.[1];
}

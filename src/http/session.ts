import type { RequestHandler, Response } from 'express';
import type { Config } from '../config.ts';
import { resumeSession } from '../auth/auth.service.ts';
import { resumeApiToken } from '../api/tokens.service.ts';
import type { AppDeps } from './context.ts';

export const sessionCookieName = (config: Config): string => (config.secureCookies ? '__Host-tp_session' : 'tp_session');

export function setSessionCookie(res: Response, config: Config, token: string): void {
  res.cookie(sessionCookieName(config), token, {
    httpOnly: true,
    secure: config.secureCookies,
    sameSite: 'lax',
    path: '/',
    maxAge: config.sessionMaxHours * 3600 * 1000,
  });
}

export function clearSessionCookie(res: Response, config: Config): void {
  res.clearCookie(sessionCookieName(config), { httpOnly: true, secure: config.secureCookies, sameSite: 'lax', path: '/' });
}

/**
 * Who is asking: pages use the session cookie; /api/* uses only a bearer token (never the
 * cookie, so API calls need no CSRF token and a browser tab cannot call the API by accident).
 */
export function loadIdentity(deps: AppDeps): RequestHandler {
  return async (req, _res, next) => {
    const { ctx } = req;
    if (ctx.via === 'api') {
      const header = req.get('authorization') ?? '';
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      if (match) ctx.user = await resumeApiToken(deps.db, match[1]!, ctx.now);
      return next();
    }
    const token = req.cookies?.[sessionCookieName(deps.config)];
    if (typeof token === 'string' && token.length > 0 && token.length < 200) {
      const session = await resumeSession(deps.db, token, ctx.now, deps.config);
      if (session) {
        ctx.user = session.user;
        ctx.sessionIdHash = session.idHash;
      }
    }
    next();
  };
}

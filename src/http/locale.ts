import type { RequestHandler, Response } from 'express';
import type { Config } from '../config.ts';
import { DEFAULT_LOCALE, isLocale, translator, type Locale } from '../i18n/index.ts';

export const LANGUAGE_COOKIE = 'tp_lang';

/** Swedish unless the person chose English: their account's choice, else the cookie's. */
export const resolveLocale: RequestHandler = (req, _res, next) => {
  const cookie = req.cookies?.[LANGUAGE_COOKIE];
  const locale: Locale = req.ctx.user?.locale ?? (isLocale(cookie) ? cookie : DEFAULT_LOCALE);
  req.ctx.locale = locale;
  req.ctx.t = translator(locale);
  next();
};

export function rememberLocale(res: Response, config: Config, locale: Locale): void {
  res.cookie(LANGUAGE_COOKIE, locale, {
    httpOnly: true,
    secure: config.secureCookies,
    sameSite: 'lax',
    path: '/',
    maxAge: 365 * 24 * 3600 * 1000,
  });
}

import type { Request, Response } from 'express';
import type { AppDeps } from '../http/context.ts';
import { AppError } from '../http/errors.ts';
import { LANGUAGE_COOKIE } from '../http/locale.ts';
import { formState, redirectAfterPost, renderPage, safeReturnPath } from '../http/render.ts';
import type { RouteSpec } from '../http/routes.ts';
import { clearSessionCookie, setSessionCookie } from '../http/session.ts';
import { parseInput } from '../http/validation.ts';
import { isLocale } from '../i18n/index.ts';
import { setLocale } from '../users/users.service.ts';
import { forgotPasswordSchema, loginSchema, resetPasswordSchema, linkToken } from './auth.schemas.ts';
import { authenticate, endSession, startSession } from './auth.service.ts';
import { assertResetLinkUsable, requestPasswordReset, resetPassword } from './password-reset.service.ts';

const NOTICES = { password_changed: 'auth.notice_password_changed', signed_out: 'auth.notice_signed_out' } as const;

function showLogin(res: Response, values: Record<string, unknown>, error?: AppError, status = 200) {
  const { t } = res.req.ctx;
  const noticeKey = NOTICES[String(res.req.query.notice) as keyof typeof NOTICES];
  return renderPage(
    res,
    'auth/login',
    {
      title: t('auth.login_title'),
      form: formState(res, values, error?.fields),
      formError: error && error.code !== 'validation_failed' ? t(`error.${error.code}`) : null,
      notice: noticeKey ? t(noticeKey) : null,
      next: safeReturnPath(values.next ?? res.req.query.next, ''),
    },
    status,
  );
}

export function authRoutes({ db, config, mailer }: AppDeps): RouteSpec[] {
  return [
    {
      method: 'get',
      path: '/login',
      access: 'public',
      handler: async (req, res) => {
        if (req.ctx.user) return res.redirect(303, '/');
        await showLogin(res, {});
      },
    },
    {
      method: 'post',
      path: '/login',
      access: 'public',
      handler: async (req: Request, res: Response) => {
        try {
          const input = parseInput(loginSchema, req.body);
          const user = await authenticate(db, { ...input, ip: req.ctx.ip }, req.ctx.now, config);
          if (req.ctx.sessionIdHash) await endSession(db, req.ctx.sessionIdHash);
          const token = await startSession(db, user.id, { ip: req.ctx.ip, userAgent: req.get('user-agent') ?? null }, req.ctx.now, config);
          const chosen = req.cookies?.[LANGUAGE_COOKIE];
          if (isLocale(chosen) && chosen !== user.locale) await setLocale(db, user.id, chosen);
          setSessionCookie(res, config, token);
          redirectAfterPost(res, safeReturnPath(input.next, '/'));
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          if (error.options.retryAfterSeconds) res.set('Retry-After', String(error.options.retryAfterSeconds));
          await showLogin(res, req.body ?? {}, error, error.status);
        }
      },
    },
    {
      method: 'post',
      path: '/logout',
      access: 'public',
      handler: async (req, res) => {
        if (req.ctx.sessionIdHash) await endSession(db, req.ctx.sessionIdHash);
        clearSessionCookie(res, config);
        redirectAfterPost(res, '/login?notice=signed_out');
      },
    },
    {
      method: 'get',
      path: '/password/forgot',
      access: 'public',
      handler: async (req, res) => {
        await renderPage(res, 'auth/forgot', { title: req.ctx.t('auth.forgot_title'), form: formState(res), sent: false });
      },
    },
    {
      method: 'post',
      path: '/password/forgot',
      access: 'public',
      handler: async (req, res) => {
        const { t } = req.ctx;
        try {
          const { email } = parseInput(forgotPasswordSchema, req.body);
          await db.transaction().execute((trx) => requestPasswordReset(trx, mailer, config, email, req.ctx.now));
          await renderPage(res, 'auth/forgot', { title: t('auth.forgot_title'), form: formState(res), sent: true });
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          await renderPage(res, 'auth/forgot', { title: t('auth.forgot_title'), form: formState(res, req.body, error.fields), sent: false }, 422);
        }
      },
    },
    {
      method: 'get',
      path: '/password/reset/:token',
      access: 'public',
      handler: async (req, res) => {
        const token = linkToken(req.params);
        await assertResetLinkUsable(db, token, req.ctx.now);
        await renderPage(res, 'auth/reset', { title: req.ctx.t('auth.reset_title'), form: formState(res), token });
      },
    },
    {
      method: 'post',
      path: '/password/reset/:token',
      access: 'public',
      handler: async (req, res) => {
        const token = linkToken(req.params);
        try {
          const { password } = parseInput(resetPasswordSchema, req.body);
          await db.transaction().execute((trx) => resetPassword(trx, config, token, password, req.ctx.now));
          if (req.ctx.sessionIdHash) clearSessionCookie(res, config);
          redirectAfterPost(res, '/login?notice=password_changed');
        } catch (error) {
          if (!(error instanceof AppError) || error.code !== 'validation_failed') throw error;
          await renderPage(res, 'auth/reset', { title: req.ctx.t('auth.reset_title'), form: formState(res, {}, error.fields), token }, 422);
        }
      },
    },
  ];
}

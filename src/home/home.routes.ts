import { z } from 'zod';
import type { AppDeps } from '../http/context.ts';
import { rememberLocale } from '../http/locale.ts';
import { redirectAfterPost, renderPage, safeReturnPath } from '../http/render.ts';
import type { RouteSpec } from '../http/routes.ts';
import { parseInput } from '../http/validation.ts';
import { setLocale } from '../users/users.service.ts';

const languageSchema = z.object({ lang: z.enum(['sv', 'en']), returnTo: z.string().max(500).optional() });

/** Start page: the public welcome, or each role's own start (which lives with its feature). */
const startPages = {
  platform_admin: '/admin/networks',
  network_coordinator: '/network',
  company_coordinator: '/company',
  counsellor: '/school',
} as const;

export function homeRoutes({ db, config }: AppDeps): RouteSpec[] {
  return [
    {
      method: 'get',
      path: '/',
      access: 'public',
      handler: async (req, res) => {
        if (req.ctx.user) return res.redirect(303, startPages[req.ctx.user.role]);
        await renderPage(res, 'home/welcome', { title: req.ctx.t('home.welcome_title') });
      },
    },
    {
      method: 'post',
      path: '/language',
      access: 'public',
      handler: async (req, res) => {
        const { lang, returnTo } = parseInput(languageSchema, req.body);
        rememberLocale(res, config, lang);
        if (req.ctx.user) await setLocale(db, req.ctx.user.id, lang);
        redirectAfterPost(res, safeReturnPath(returnTo, '/'));
      },
    },
  ];
}

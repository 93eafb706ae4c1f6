import type { AppDeps } from '../http/context.ts';
import { notFound } from '../http/errors.ts';
import { redirectAfterPost, renderPage } from '../http/render.ts';
import type { RouteSpec } from '../http/routes.ts';
import { parseInput } from '../http/validation.ts';
import { idParamSchema } from '../organisations/organisations.schemas.ts';
import { formatDateTime } from '../time/stockholm.ts';
import { findOutboxMail, listOutbox, retryMail } from './mail.service.ts';

/** The platform admin's view of the outbox: every mail, its status, and a retry for failures. */
export function mailRoutes({ db, mailer }: AppDeps): RouteSpec[] {
  return [
    {
      method: 'get',
      path: '/admin/outbox',
      access: ['platform_admin'],
      handler: async (req, res) => {
        const { t, locale } = req.ctx;
        const mails = await listOutbox(db);
        await renderPage(res, 'mail/outbox', {
          title: t('nav.outbox'),
          smtpConfigured: mailer.configured,
          mails: mails.map((m) => ({ ...m, created: formatDateTime(m.created_at, locale), statusLabel: t(`mail.status_${m.status}`) })),
        });
      },
    },
    {
      method: 'get',
      path: '/admin/outbox/:id',
      access: ['platform_admin'],
      handler: async (req, res) => {
        const { id } = parseInput(idParamSchema, req.params);
        const mail = await findOutboxMail(db, id);
        if (!mail) throw notFound();
        const { t, locale } = req.ctx;
        await renderPage(res, 'mail/mail', { title: mail.subject, mail, created: formatDateTime(mail.created_at, locale), statusLabel: t(`mail.status_${mail.status}`) });
      },
    },
    {
      method: 'post',
      path: '/admin/outbox/:id/retry',
      access: ['platform_admin'],
      handler: async (req, res) => {
        const { id } = parseInput(idParamSchema, req.params);
        if (!(await retryMail(db, id, req.ctx.now))) throw notFound();
        redirectAfterPost(res, '/admin/outbox');
      },
    },
  ];
}

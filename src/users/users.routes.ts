import type { Response } from 'express';
import { startSession } from '../auth/auth.service.ts';
import { linkToken } from '../auth/auth.schemas.ts';
import { createApiToken, listApiTokens, revokeApiToken } from '../api/tokens.service.ts';
import type { AppDeps } from '../http/context.ts';
import { invalidFields, type FieldProblems } from '../http/errors.ts';
import { handleForm } from '../http/forms.ts';
import { formState, redirectAfterPost, renderPage } from '../http/render.ts';
import type { RouteSpec } from '../http/routes.ts';
import { setSessionCookie } from '../http/session.ts';
import { parseInput } from '../http/validation.ts';
import { idParamSchema } from '../organisations/organisations.schemas.ts';
import { formatDate, formatDateTime } from '../time/stockholm.ts';
import * as invitations from './invitations.service.ts';
import { acceptInvitationSchema, apiTokenFormSchema, invitationFormSchema } from './users.schemas.ts';

export function usersRoutes({ db, config, mailer }: AppDeps): RouteSpec[] {
  async function showInvitations(res: Response, values?: Record<string, unknown>, fields?: FieldProblems, sentTo?: string) {
    const { t, locale, user, now } = res.req.ctx;
    const [options, open] = await Promise.all([invitations.grantOptions(db, user!, t), invitations.listOpenInvitations(db, user!, now)]);
    await renderPage(
      res,
      'users/invitations',
      {
        title: t('users.invitations_title'),
        form: formState(res, values, fields),
        options,
        sentTo: sentTo ?? null,
        open: open.map((i) => ({ ...i, roleLabel: t(`role.${i.role}`), expires: formatDate(i.expires_at, locale) })),
      },
      res.statusCode,
    );
  }

  async function showAccount(res: Response, extra: { newToken?: string; values?: Record<string, unknown>; fields?: FieldProblems } = {}) {
    const { t, locale, user } = res.req.ctx;
    const tokens = await listApiTokens(db, user!.id);
    await renderPage(
      res,
      'users/account',
      {
        title: t('nav.account'),
        roleLabel: t(`role.${user!.role}`),
        newToken: extra.newToken ?? null,
        form: formState(res, extra.values, extra.fields),
        tokens: tokens.map((tk) => ({
          ...tk,
          created: formatDateTime(tk.created_at, locale),
          lastUsed: tk.last_used_at ? formatDateTime(tk.last_used_at, locale) : t('users.never'),
        })),
      },
      extra.newToken ? 201 : res.statusCode,
    );
  }

  async function showAccept(res: Response, token: string, values?: Record<string, unknown>, fields?: FieldProblems) {
    const invitation = await invitations.findUsableInvitation(db, token, res.req.ctx.now);
    await renderPage(
      res,
      'users/accept',
      { title: res.req.ctx.t('users.accept_title'), token, email: invitation.email, roleLabel: res.req.ctx.t(`role.${invitation.role}`), form: formState(res, values, fields) },
      res.statusCode,
    );
  }

  return [
    { method: 'get', path: '/invitations', access: 'signed_in', handler: (_req, res) => showInvitations(res) },
    {
      method: 'post',
      path: '/invitations',
      access: 'signed_in',
      handler: (req, res) =>
        handleForm(
          res,
          async () => {
            const input = parseInput(invitationFormSchema, { email: req.body.email, grant: req.body.grant });
            const grant = invitations.parseGrant(input.grant);
            if (!grant) throw invalidFields({ grant: { key: 'field.choose' } });
            await db.transaction().execute((trx) =>
              invitations.createInvitation(trx, { mailer, config, t: req.ctx.t }, req.ctx.user!, { email: input.email, ...grant }, req.ctx.now),
            );
            await showInvitations(res, {}, undefined, input.email);
          },
          async (values, fields) => showInvitations(res, values, fields),
        ),
    },
    {
      method: 'post',
      path: '/invitations/:id/revoke',
      access: 'signed_in',
      handler: async (req, res) => {
        const { id } = parseInput(idParamSchema, req.params);
        await db.transaction().execute((trx) => invitations.revokeInvitation(trx, req.ctx.user!, id, req.ctx.now));
        redirectAfterPost(res, '/invitations');
      },
    },
    {
      method: 'get',
      path: '/invitations/accept/:token',
      access: 'public',
      handler: (req, res) => showAccept(res, linkToken(req.params)),
    },
    {
      method: 'post',
      path: '/invitations/accept/:token',
      access: 'public',
      handler: async (req, res) => {
        const token = linkToken(req.params);
        await handleForm(
          res,
          async () => {
            const input = parseInput(acceptInvitationSchema, { name: req.body.name, password: req.body.password });
            const user = await db.transaction().execute((trx) => invitations.acceptInvitation(trx, config, token, input, req.ctx.now));
            const session = await startSession(db, user.id, { ip: req.ctx.ip, userAgent: req.get('user-agent') ?? null }, req.ctx.now, config);
            setSessionCookie(res, config, session);
            redirectAfterPost(res, '/');
          },
          (values, fields) => showAccept(res, token, values, fields),
        );
      },
    },
    { method: 'get', path: '/account', access: 'signed_in', handler: (_req, res) => showAccount(res) },
    {
      method: 'post',
      path: '/account/tokens',
      access: 'signed_in',
      handler: (req, res) =>
        handleForm(
          res,
          async () => {
            const { tokenName } = parseInput(apiTokenFormSchema, { tokenName: req.body.tokenName });
            const { token } = await createApiToken(db, req.ctx.user!.id, tokenName, req.ctx.now);
            // Shown once, on this response only; stored as a hash.
            res.set('Cache-Control', 'no-store');
            await showAccount(res, { newToken: token });
          },
          (values, fields) => showAccount(res, { values, fields }),
        ),
    },
    {
      method: 'post',
      path: '/account/tokens/:id/revoke',
      access: 'signed_in',
      handler: async (req, res) => {
        const { id } = parseInput(idParamSchema, req.params);
        await revokeApiToken(db, req.ctx.user!.id, id, req.ctx.now);
        redirectAfterPost(res, '/account#tokens');
      },
    },
  ];
}

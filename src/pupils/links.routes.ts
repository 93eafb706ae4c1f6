import type { Request } from 'express';
import { z } from 'zod';
import { inTransaction } from '../db/transaction.ts';
import type { AppDeps } from '../http/context.ts';
import { redirectAfterPost, renderPage } from '../http/render.ts';
import type { RouteSpec } from '../http/routes.ts';
import { parseInput } from '../http/validation.ts';
import { idParamSchema } from '../organisations/organisations.schemas.ts';
import { currentLinkTokens, issueLink, issueMissingLinks, pupilLinkUrl, revokeLink } from './links.ts';
import { classQuerySchema, normaliseClassName } from './pupils.schemas.ts';
import { classesOfSchool, getPupilOfSchool, listPupilsOfSchool } from './pupils.service.ts';
import { noticeOf, pupilView, withNotice } from './pupils.view.ts';
import { COUNSELLOR } from './register.routes.ts';

const classBodySchema = z.object({ class: z.string().trim().min(1).max(40).transform(normaliseClassName) });

const sheetPath = (className: string) => `/school/pupils/links?${new URLSearchParams({ class: className })}`;

/** Personal links: one pupil's (issue again, revoke), and a class's printable sheet. */
export function linkRoutes({ db, config }: AppDeps): RouteSpec[] {
  const pupilId = (req: Request) => parseInput(idParamSchema, req.params).id;

  return [
    {
      method: 'get',
      path: '/school/pupils/links',
      access: COUNSELLOR,
      handler: async (req, res) => {
        const { t, locale, user } = req.ctx;
        const className = classQuerySchema.parse(req.query).class;
        const classes = await classesOfSchool(db, user!.schoolId!);
        const pupils = className ? await listPupilsOfSchool(db, user!.schoolId!, { className }) : [];
        const tokens = await currentLinkTokens(db, config.sessionSecret, user!.schoolId!, pupils.map((p) => p.id));
        await renderPage(res, 'pupils/links', {
          title: className ? t('pupils.links_class_title', { className }) : t('pupils.links_title'),
          notice: noticeOf(req),
          className: className ?? null,
          classes: classes.map((c) => ({ className: c.className, href: sheetPath(c.className), label: t('pupils.class_with_count', { className: c.className, count: c.pupils }) })),
          cards: pupils.map((p) => {
            const token = tokens.get(p.id);
            return { ...pupilView(p, t, locale), url: token ? pupilLinkUrl(config.baseUrl, token) : null };
          }),
          missing: pupils.filter((p) => !p.hasLink).length,
        });
      },
    },
    {
      method: 'post',
      path: '/school/pupils/links',
      access: COUNSELLOR,
      handler: async (req, res) => {
        const className = parseInput(classBodySchema, { class: req.body.class }).class;
        const issued = await inTransaction(db, async (trx) => {
          const pupils = await listPupilsOfSchool(trx, req.ctx.user!.schoolId!, { className });
          return issueMissingLinks(trx, config.sessionSecret, pupils, req.ctx.now);
        });
        redirectAfterPost(res, withNotice(sheetPath(className), 'links_issued', { count: issued }));
      },
    },
    {
      method: 'post',
      path: '/school/pupils/:id/link',
      access: COUNSELLOR,
      handler: async (req, res) => {
        const id = pupilId(req);
        await inTransaction(db, async (trx) => issueLink(trx, config.sessionSecret, (await getPupilOfSchool(trx, req.ctx.user!, id)).id, req.ctx.now));
        redirectAfterPost(res, `${withNotice(`/school/pupils/${id}`, 'link_issued')}#link`);
      },
    },
    {
      method: 'post',
      path: '/school/pupils/:id/link/revoke',
      access: COUNSELLOR,
      handler: async (req, res) => {
        const id = pupilId(req);
        await inTransaction(db, async (trx) => revokeLink(trx, (await getPupilOfSchool(trx, req.ctx.user!, id)).id, req.ctx.now));
        redirectAfterPost(res, `${withNotice(`/school/pupils/${id}`, 'link_revoked')}#link`);
      },
    },
  ];
}

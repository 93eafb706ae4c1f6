import type { Response } from 'express';
import type { AppDeps } from '../http/context.ts';
import type { FieldProblems } from '../http/errors.ts';
import { handleForm } from '../http/forms.ts';
import { formState, redirectAfterPost, renderPage } from '../http/render.ts';
import type { RouteSpec } from '../http/routes.ts';
import { parseInput } from '../http/validation.ts';
import { companyProfileSchema, idParamSchema, joinRequestSchema, siteSchema } from './organisations.schemas.ts';
import * as service from './organisations.service.ts';
import { companyOverview } from '../slots/company-overview.ts';

type FormKey = 'profile' | 'site' | 'join';
type Forms = Partial<Record<FormKey, [Record<string, unknown>, FieldProblems?]>>;

const statusLabel = (res: Response, status: string) => res.req.ctx.t(`orgs.membership_${status}` as 'orgs.membership_pending');

/** The start pages of companies (/company) and schools (/school): profile, sites, networks. */
export function memberRoutes({ db }: AppDeps): RouteSpec[] {
  async function showCompany(res: Response, forms: Forms = {}) {
    const { t, locale, user, now } = res.req.ctx;
    const [profile, overview] = await Promise.all([service.companyProfile(db, user!, user!.companyId!), companyOverview(db, user!.companyId!, now, t, locale)]);
    await renderPage(
      res,
      'organisations/company',
      {
        title: profile.company.name,
        ...profile,
        ...overview,
        memberships: profile.memberships.map((m) => ({ ...m, statusLabel: statusLabel(res, m.status) })),
        profileForm: formState(res, forms.profile?.[0] ?? { name: profile.company.name, description: profile.company.description ?? '' }, forms.profile?.[1]),
        siteForm: formState(res, forms.site?.[0], forms.site?.[1]),
        joinForm: formState(res, forms.join?.[0], forms.join?.[1]),
        joinAction: '/company/join',
        joinOptions: profile.joinable.map((n) => ({ value: n.id, label: `${n.name} (${n.region})` })),
      },
      res.statusCode,
    );
  }

  async function showSchool(res: Response, forms: Forms = {}) {
    const { t, user } = res.req.ctx;
    const profile = await service.schoolProfile(db, user!, user!.schoolId!);
    await renderPage(
      res,
      'organisations/school',
      {
        title: profile.school.name,
        ...profile,
        schoolType: t(`orgs.school_type_${profile.school.school_type}`),
        memberships: profile.memberships.map((m) => ({ ...m, statusLabel: statusLabel(res, m.status) })),
        joinForm: formState(res, forms.join?.[0], forms.join?.[1]),
        joinAction: '/school/join',
        joinOptions: profile.joinable.map((n) => ({ value: n.id, label: `${n.name} (${n.region})` })),
      },
      res.statusCode,
    );
  }

  async function showSite(res: Response, siteId: string, values?: Record<string, unknown>, fields?: FieldProblems) {
    const site = await service.getSite(db, res.req.ctx.user!, siteId);
    const current = {
      name: site.name,
      municipality: site.municipality,
      address: site.address ?? '',
      meetingPoint: site.meeting_point ?? '',
      directions: site.directions ?? '',
    };
    await renderPage(res, 'organisations/site', { title: site.name, site, form: formState(res, values ?? current, fields) }, res.statusCode);
  }

  const join = (show: (res: Response, forms: Forms) => Promise<void>, back: string): RouteSpec['handler'] => (req, res) =>
    handleForm(
      res,
      async () => {
        const input = parseInput(joinRequestSchema, { networkId: req.body.networkId, message: req.body.message });
        await db.transaction().execute((trx) => service.requestToJoin(trx, req.ctx.user!, input.networkId, input.message, req.ctx.now));
        redirectAfterPost(res, `${back}#networks`);
      },
      (values, fields) => show(res, { join: [values, fields] }),
    );

  return [
    { method: 'get', path: '/company', access: ['company_coordinator'], handler: (_req, res) => showCompany(res) },
    {
      method: 'post',
      path: '/company/profile',
      access: ['company_coordinator'],
      handler: (req, res) =>
        handleForm(
          res,
          async () => {
            const input = parseInput(companyProfileSchema, { name: req.body.name, description: req.body.description });
            await db.transaction().execute((trx) => service.updateCompanyProfile(trx, req.ctx.user!, req.ctx.user!.companyId!, input));
            redirectAfterPost(res, '/company');
          },
          (values, fields) => showCompany(res, { profile: [values, fields] }),
        ),
    },
    {
      method: 'post',
      path: '/company/sites',
      access: ['company_coordinator'],
      handler: (req, res) =>
        handleForm(
          res,
          async () => {
            const { name, municipality, address, meetingPoint, directions } = req.body;
            const input = parseInput(siteSchema, { name, municipality, address, meetingPoint, directions });
            await db.transaction().execute((trx) => service.addSite(trx, req.ctx.user!, req.ctx.user!.companyId!, input, req.ctx.now));
            redirectAfterPost(res, '/company#sites');
          },
          (values, fields) => showCompany(res, { site: [values, fields] }),
        ),
    },
    {
      method: 'get',
      path: '/company/sites/:id',
      access: ['company_coordinator'],
      handler: (req, res) => showSite(res, parseInput(idParamSchema, req.params).id),
    },
    {
      method: 'post',
      path: '/company/sites/:id',
      access: ['company_coordinator'],
      handler: async (req, res) => {
        const { id } = parseInput(idParamSchema, req.params);
        await handleForm(
          res,
          async () => {
            const { name, municipality, address, meetingPoint, directions } = req.body;
            const input = parseInput(siteSchema, { name, municipality, address, meetingPoint, directions });
            await db.transaction().execute((trx) => service.editSite(trx, req.ctx.user!, id, input));
            redirectAfterPost(res, '/company#sites');
          },
          (values, fields) => showSite(res, id, values, fields),
        );
      },
    },
    { method: 'post', path: '/company/join', access: ['company_coordinator'], handler: join(showCompany, '/company') },
    { method: 'get', path: '/school', access: ['counsellor'], handler: (_req, res) => showSchool(res) },
    { method: 'post', path: '/school/join', access: ['counsellor'], handler: join(showSchool, '/school') },
  ];
}

import type { Response } from 'express';
import type { AppDeps } from '../http/context.ts';
import type { FieldProblems } from '../http/errors.ts';
import { handleForm } from '../http/forms.ts';
import { formState, redirectAfterPost, renderPage } from '../http/render.ts';
import type { RouteSpec } from '../http/routes.ts';
import { parseInput } from '../http/validation.ts';
import { formatDate } from '../time/stockholm.ts';
import {
  createNetworkSchema,
  createOrganisationSchema,
  createSchoolSchema,
  decisionSchema,
  idParamSchema,
} from './organisations.schemas.ts';
import * as service from './organisations.service.ts';

type Forms = { company?: [Record<string, unknown>, FieldProblems?]; school?: [Record<string, unknown>, FieldProblems?] };

export function networkRoutes({ db }: AppDeps): RouteSpec[] {
  async function showNetworks(res: Response, values: Record<string, unknown> = {}, fields?: FieldProblems) {
    const { t } = res.req.ctx;
    const networks = await service.listNetworks(db);
    await renderPage(res, 'organisations/networks', { title: t('orgs.networks_title'), networks, form: formState(res, values, fields) }, res.statusCode);
  }

  async function showNetwork(res: Response, networkId: string, forms: Forms = {}) {
    const { t, locale, user } = res.req.ctx;
    const overview = await service.networkOverview(db, user!, networkId);
    await renderPage(
      res,
      'organisations/network',
      {
        title: overview.network.name,
        ...overview,
        pending: overview.pending.map((p) => ({ ...p, requestedOn: formatDate(p.created_at, locale) })),
        companyForm: formState(res, forms.company?.[0], forms.company?.[1]),
        schoolForm: formState(res, forms.school?.[0], forms.school?.[1]),
        schoolTypes: [
          { value: 'municipal', label: t('orgs.school_type_municipal') },
          { value: 'independent', label: t('orgs.school_type_independent') },
        ],
      },
      res.statusCode,
    );
  }

  return [
    { method: 'get', path: '/admin/networks', access: ['platform_admin'], handler: (_req, res) => showNetworks(res) },
    {
      method: 'post',
      path: '/admin/networks',
      access: ['platform_admin'],
      handler: (req, res) =>
        handleForm(
          res,
          async () => {
            const input = parseInput(createNetworkSchema, { name: req.body.name, region: req.body.region });
            const network = await db.transaction().execute((trx) => service.createNetwork(trx, req.ctx.user!, input, req.ctx.now));
            redirectAfterPost(res, `/networks/${network.id}`);
          },
          (values, fields) => showNetworks(res, values, fields),
        ),
    },
    {
      method: 'get',
      path: '/network',
      access: ['network_coordinator'],
      handler: (req, res) => showNetwork(res, req.ctx.user!.networkId!),
    },
    {
      method: 'get',
      path: '/networks/:id',
      access: ['platform_admin', 'network_coordinator'],
      handler: (req, res) => showNetwork(res, parseInput(idParamSchema, req.params).id),
    },
    {
      method: 'post',
      path: '/networks/:id/companies',
      access: ['platform_admin', 'network_coordinator'],
      handler: async (req, res) => {
        const { id } = parseInput(idParamSchema, req.params);
        await handleForm(
          res,
          async () => {
            const input = parseInput(createOrganisationSchema, { name: req.body.name, municipality: req.body.municipality, address: req.body.address });
            await db.transaction().execute((trx) => service.createCompany(trx, req.ctx.user!, id, input, req.ctx.now));
            redirectAfterPost(res, `/networks/${id}#companies`);
          },
          (values, fields) => showNetwork(res, id, { company: [values, fields] }),
        );
      },
    },
    {
      method: 'post',
      path: '/networks/:id/schools',
      access: ['platform_admin', 'network_coordinator'],
      handler: async (req, res) => {
        const { id } = parseInput(idParamSchema, req.params);
        await handleForm(
          res,
          async () => {
            const { name, municipality, address, schoolType } = req.body;
            const input = parseInput(createSchoolSchema, { name, municipality, address, schoolType });
            await db.transaction().execute((trx) => service.createSchool(trx, req.ctx.user!, id, input, req.ctx.now));
            redirectAfterPost(res, `/networks/${id}#schools`);
          },
          (values, fields) => showNetwork(res, id, { school: [values, fields] }),
        );
      },
    },
    {
      method: 'post',
      path: '/memberships/:id/decision',
      access: ['platform_admin', 'network_coordinator'],
      handler: async (req, res) => {
        const { id } = parseInput(idParamSchema, req.params);
        const { decision } = parseInput(decisionSchema, req.body);
        const networkId = await db
          .transaction()
          .execute((trx) => service.decideJoinRequest(trx, req.ctx.user!, id, decision === 'approve', req.ctx.now));
        redirectAfterPost(res, `/networks/${networkId}#requests`);
      },
    },
  ];
}


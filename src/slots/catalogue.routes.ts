import type { Response } from 'express';
import type { AppDeps } from '../http/context.ts';
import { renderPage } from '../http/render.ts';
import type { RouteSpec } from '../http/routes.ts';
import { parseInput } from '../http/validation.ts';
import { approvedNetworkIdsOfSchool, companiesWorkingWith, listNetworks } from '../organisations/organisations.service.ts';
import { idParamSchema } from '../organisations/organisations.schemas.ts';
import { FIELD_CODES, FIELDS } from '../stories/path.ts';
import { municipalitiesWithSlots, searchCatalogue, type CatalogueScope } from './catalogue.ts';
import { GRADES } from './minors.ts';
import { catalogueQuerySchema, FORMATS, type CatalogueQuery } from './slots.schemas.ts';
import { getVisibleSlot } from './slots.service.ts';
import { slotView } from './slots.view.ts';

/** The filters as a query string, without the page (for the previous/next links). */
function queryString(query: CatalogueQuery, page: number): string {
  const params = new URLSearchParams();
  for (const key of ['networkId', 'from', 'to', 'field', 'municipality', 'format', 'grade', 'free', 'q'] as const) {
    const value = query[key];
    if (value) params.set(key, value);
  }
  if (page > 1) params.set('page', String(page));
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** The catalogue for counsellors and pupils (/catalogue) and one slot's page (/slots/:id). */
export function catalogueRoutes({ db }: AppDeps): RouteSpec[] {
  /** A counsellor sees the networks their school is an approved member of; anyone else chooses. */
  async function scopeFor(res: Response): Promise<{ scope: CatalogueScope; networks: { value: string; label: string }[]; schoolOutside: boolean }> {
    const { user } = res.req.ctx;
    const all = await listNetworks(db);
    if (user?.role === 'counsellor' && user.schoolId) {
      const ids = await approvedNetworkIdsOfSchool(db, user.schoolId);
      const networks = all.filter((n) => ids.includes(n.id)).map((n) => ({ value: n.id, label: n.name }));
      return { scope: { networkIds: ids }, networks, schoolOutside: ids.length === 0 };
    }
    return { scope: { networkIds: null }, networks: all.map((n) => ({ value: n.id, label: n.name })), schoolOutside: false };
  }

  async function showCatalogue(res: Response, query: CatalogueQuery) {
    const { t, locale, now } = res.req.ctx;
    const { scope, networks, schoolOutside } = await scopeFor(res);
    const [page, municipalities] = await Promise.all([searchCatalogue(db, scope, query, now), municipalitiesWithSlots(db, now)]);
    const any = { value: '', label: t('slots.any') };
    await renderPage(res, 'slots/catalogue', {
      title: t('slots.catalogue_title'),
      form: { values: query, errors: {} },
      schoolOutside,
      options: {
        networks: networks.length > 1 ? [{ value: '', label: t('slots.all_networks') }, ...networks] : [],
        fields: [any, ...FIELD_CODES.map((f) => ({ value: f, label: FIELDS[f][locale] }))],
        municipalities: [any, ...municipalities.map((m) => ({ value: m, label: m }))],
        formats: [any, ...FORMATS.map((f) => ({ value: f, label: t(`slots.format_${f}`) }))],
        grades: [any, ...GRADES.map((g) => ({ value: g, label: t(`slots.grade_${g}`) }))],
      },
      slots: page.slots.map((s) => slotView(s, t, locale)),
      page: page.page,
      prevHref: page.page > 1 ? `/catalogue${queryString(query, page.page - 1)}` : null,
      nextHref: page.hasNext ? `/catalogue${queryString(query, page.page + 1)}` : null,
    });
  }

  return [
    { method: 'get', path: '/catalogue', access: 'public', handler: (req, res) => showCatalogue(res, catalogueQuerySchema.parse(req.query)) },
    {
      method: 'get',
      path: '/slots/:id',
      access: 'public',
      handler: async (req, res) => {
        const { t, locale, user } = req.ctx;
        const slot = await getVisibleSlot(db, parseInput(idParamSchema, req.params).id);
        // The supervisor's name and phone are only for those who work with the company, never the open web.
        const showSupervisor = (await companiesWorkingWith(db, user, [slot.companyId])).has(slot.companyId);
        await renderPage(res, 'slots/show', { title: `${slot.companyName}: ${t(`slots.format_${slot.format}`)}`, slot: slotView(slot, t, locale), showSupervisor });
      },
    },
  ];
}

import type { Request } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../http/context.ts';
import { renderPage } from '../http/render.ts';
import type { RouteSpec } from '../http/routes.ts';
import { parseInput, parseQuery } from '../http/validation.ts';
import { getNetwork, listNetworks } from '../organisations/organisations.service.ts';
import { idSchema } from '../organisations/organisations.schemas.ts';
import { formatRange } from '../time/stockholm.ts';
import { GYMNASIUM_PROGRAMMES } from './path.ts';
import { storyPage } from './library.service.ts';
import { fieldLabels, fieldOptions, initials, programmeOptions, timeline } from './story-view.ts';
import { libraryFilterSchema } from './stories.schemas.ts';
import { library, libraryMunicipalities } from './stories.service.ts';

const networkParams = z.object({ networkId: idSchema });
const storyParams = z.object({ id: idSchema });

/** The public story library: the networks (/library), one network's stories (/library/:networkId) and a story (/stories/:id). */
export function libraryRoutes({ db }: AppDeps): RouteSpec[] {
  const filterOf = (req: Request) => parseQuery(libraryFilterSchema, { field: req.query.field, programme: req.query.programme, municipality: req.query.municipality || undefined });

  return [
    {
      method: 'get',
      path: '/library',
      access: 'public',
      handler: async (req, res) => {
        const networks = await listNetworks(db);
        await renderPage(res, 'stories/library', { title: req.ctx.t('library.title'), networks: networks.map((n) => ({ id: n.id, name: n.name, region: n.region })) });
      },
    },
    {
      method: 'get',
      path: '/library/:networkId',
      access: 'public',
      handler: async (req, res) => {
        const { t, locale } = req.ctx;
        const network = await getNetwork(db, parseInput(networkParams, req.params).networkId);
        const filter = filterOf(req);
        const [entries, municipalities] = await Promise.all([library(db, network.id, filter), libraryMunicipalities(db, network.id)]);
        const any = { value: '', label: t('library.filter_any') };
        await renderPage(res, 'stories/network', {
          title: t('library.network_title', { network: network.name }),
          network: { id: network.id, name: network.name },
          filter: { field: filter.field ?? '', programme: filter.programme ?? '', municipality: filter.municipality ?? '' },
          filtered: Boolean(filter.field || filter.programme || filter.municipality),
          fieldOptions: [any, ...fieldOptions(locale)],
          programmeOptions: [any, ...programmeOptions(locale)],
          municipalityOptions: [any, ...municipalities.map((m) => ({ value: m, label: m }))],
          programmeLead: filter.programme ? t('library.programme_lead', { programme: GYMNASIUM_PROGRAMMES[filter.programme][locale] }) : '',
          count: entries.length === 1 ? t('library.count_one') : t('library.count', { count: entries.length }),
          stories: entries.map((e) => ({
            ...e,
            initials: initials(e.name),
            headline: t('story.at_company', { title: e.title, company: e.companyName }),
          })),
        });
      },
    },
    {
      method: 'get',
      path: '/stories/:id',
      access: 'public',
      handler: async (req, res) => {
        const { t, locale, now } = req.ctx;
        const { story, company, slots } = await storyPage(db, parseInput(storyParams, req.params).id, now);
        await renderPage(res, 'stories/story', {
          title: story.name,
          story: {
            id: story.id,
            name: story.name,
            initials: initials(story.name),
            hasPortrait: story.hasPortrait,
            portraitAlt: t('story.portrait_alt', { name: story.name }),
            pronoun: story.pronoun ? t('story.pronoun', { pronoun: story.pronoun }) : '',
            headline: t('story.at_company', { title: story.title, company: company.name }),
            municipality: company.municipality,
            path: timeline(t, locale, story.path),
            texts: (['interest', 'dayAtWork', 'society', 'wishAt14'] as const)
              .filter((key) => story[key].trim() !== '')
              .map((key) => ({ heading: t(`label.${key}`), paragraphs: story[key].split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean) })),
            fields: fieldLabels(story.fields, locale),
          },
          slotsTitle: t('story.slots_title', { name: story.name }),
          noSlots: t('story.no_slots', { name: story.name }),
          slots: slots.map((s) => ({ id: s.id, when: formatRange(s.startsAt, s.endsAt, locale), place: t('story.slot_place', { site: s.site.name, municipality: s.site.municipality }) })),
          backTo: '/library',
        });
      },
    },
  ];
}

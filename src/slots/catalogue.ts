import { DateTime } from 'luxon';
import type { Db } from '../db/database.ts';
import { toDbInstant, ZONE } from '../time/stockholm.ts';
import type { CatalogueQuery } from './slots.schemas.ts';
import { catalogueMunicipalities } from './slots.repository.ts';
import { loadSlots, type Slot } from './slots.service.ts';

export const PAGE_SIZE = 20;

export interface CatalogueScope {
  /** Only slots of companies that are approved members of these networks; null = every network. */
  networkIds: string[] | null;
}

export interface CataloguePage {
  slots: Slot[];
  page: number;
  hasNext: boolean;
}

/**
 * Published slots that have not started, sorted by time: the catalogue for counsellors and
 * pupils (and GET /api/v1/slots). One page at a time; "has a next page" is found by asking
 * for one row more, so no count over the whole table is needed.
 */
export async function searchCatalogue(db: Db, scope: CatalogueScope, query: CatalogueQuery, now: DateTime, pageSize = PAGE_SIZE): Promise<CataloguePage> {
  if (scope.networkIds !== null && scope.networkIds.length === 0) return { slots: [], page: query.page, hasNext: false };
  let q = db
    .selectFrom('slots as s')
    .select(['s.id'])
    .where('s.status', '=', 'published')
    .where('s.starts_at', '>', toDbInstant(now));
  const networkIds = query.networkId ? (scope.networkIds ?? [query.networkId]).filter((id) => id === query.networkId) : scope.networkIds;
  if (networkIds !== null) {
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('network_memberships as m')
          .select('m.id')
          .whereRef('m.company_id', '=', 's.company_id')
          .where('m.status', '=', 'approved')
          .where('m.network_id', 'in', networkIds.length > 0 ? networkIds : ['-']),
      ),
    );
  }
  if (query.from) q = q.where('s.starts_at', '>=', toDbInstant(DateTime.fromISO(query.from, { zone: ZONE }).startOf('day')));
  if (query.to) q = q.where('s.starts_at', '<', toDbInstant(DateTime.fromISO(query.to, { zone: ZONE }).plus({ days: 1 }).startOf('day')));
  if (query.format) q = q.where('s.format', '=', query.format);
  if (query.free) q = q.whereRef('s.booked_count', '<', 's.capacity');
  if (query.grade) {
    const grade = query.grade;
    q = q.where((eb) => eb.exists(eb.selectFrom('slot_grades as g').select('g.slot_id').whereRef('g.slot_id', '=', 's.id').where('g.grade', '=', grade)));
  }
  if (query.municipality) {
    const municipality = query.municipality;
    q = q.where((eb) => eb.exists(eb.selectFrom('company_sites as site').select('site.id').whereRef('site.id', '=', 's.site_id').where('site.municipality', '=', municipality)));
  }
  if (query.field) {
    const field = query.field;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('slot_hosts as h')
          .innerJoin('story_fields as f', 'f.story_id', 'h.story_id')
          .innerJoin('role_stories as rf', 'rf.id', 'h.story_id')
          .select('h.slot_id')
          .whereRef('h.slot_id', '=', 's.id')
          .where('f.field', '=', field)
          // A story that is not shown (no consent) must not make its slot findable either.
          .where('rf.published', '=', 1),
      ),
    );
  }
  if (query.q) {
    // LIKE wildcards typed by the user are dropped (escaping differs between SQLite and PostgreSQL).
    const pattern = `%${query.q.toLowerCase().replace(/[\\%_]/g, '')}%`;
    // Uncorrelated IN subqueries: each text match is computed once per query, not once per
    // slot walked, so a search with few or no hits does not cost a LIKE per slot and host.
    q = q.where((eb) =>
      eb.or([
        eb('s.company_id', 'in', eb.selectFrom('companies as c').select('c.id').where((e) => e(e.fn('lower', ['c.name']), 'like', pattern))),
        eb(eb.fn('lower', ['s.activities']), 'like', pattern),
        eb(
          's.id',
          'in',
          eb
            .selectFrom('slot_hosts as h2')
            .innerJoin('role_stories as r', 'r.id', 'h2.story_id')
            .select('h2.slot_id')
            .where('r.published', '=', 1)
            .where((e) => e.or([e(e.fn('lower', ['r.role_title']), 'like', pattern), e(e.fn('lower', ['r.display_name']), 'like', pattern)])),
        ),
      ]),
    );
  }
  const rows = await q
    .orderBy('s.starts_at')
    .orderBy('s.id')
    .limit(pageSize + 1)
    .offset((query.page - 1) * pageSize)
    .execute();
  const ids = rows.slice(0, pageSize).map((r) => r.id);
  return { slots: await loadSlots(db, ids), page: query.page, hasNext: rows.length > pageSize };
}

/** Municipalities with published slots still to come: the choices of the catalogue's filter. */
export const municipalitiesWithSlots = (db: Db, now: DateTime): Promise<string[]> => catalogueMunicipalities(db, toDbInstant(now));

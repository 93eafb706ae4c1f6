import type { Db } from '../db/database.ts';
import type { CancelParty } from '../db/types.ts';
import type { AppDeps } from '../http/context.ts';
import { renderPage } from '../http/render.ts';
import type { RouteSpec } from '../http/routes.ts';
import type { Locale, Translate } from '../i18n/index.ts';
import { compareClassNames } from '../pupils/pupils.service.ts';
import { formatDateTime, formatRange, fromDbInstant } from '../time/stockholm.ts';

/** The most cancellations one page lists (each is one school's pupils on one slot). */
const MAX_ROWS = 500;

/**
 * Late cancellations (bookings.cancelled_late = 1) where the pupil's school or the slot's company
 * is an approved member of the network, newest first. Pupils are never named: only their class.
 */
function lateCancellationRows(db: Db, networkId: string) {
  const approved = (kind: 'school_id' | 'company_id') =>
    db.selectFrom('network_memberships').select(kind).where('network_id', '=', networkId).where('status', '=', 'approved').where(kind, 'is not', null);
  return db
    .selectFrom('bookings as b')
    .innerJoin('slots as s', 's.id', 'b.slot_id')
    .innerJoin('companies as c', 'c.id', 's.company_id')
    .innerJoin('schools as sc', 'sc.id', 'b.school_id')
    .innerJoin('pupils as p', 'p.id', 'b.pupil_id')
    .select(['b.slot_id', 'b.school_id', 'b.starts_at', 'b.ends_at', 'b.cancelled_at', 'b.cancelled_party', 'b.cancel_reason', 'c.name as company_name', 'sc.name as school_name', 'p.class_name'])
    .where('b.status', '=', 'cancelled')
    .where('b.cancelled_late', '=', 1)
    .where((eb) => eb.or([eb('b.school_id', 'in', approved('school_id')), eb('s.company_id', 'in', approved('company_id'))]))
    .orderBy('b.cancelled_at', 'desc')
    .orderBy('b.slot_id')
    .orderBy('b.school_id')
    .limit(MAX_ROWS * 10)
    .execute();
}
type LateRow = Awaited<ReturnType<typeof lateCancellationRows>>[number];

/** One line per school, slot and moment of cancelling: a group cancelled together is one follow-up. */
function lateCancellationView(rows: LateRow[], t: Translate, locale: Locale) {
  const groups = new Map<string, LateRow[]>();
  for (const r of rows) {
    const key = [r.slot_id, r.school_id, r.cancelled_at, r.cancelled_party, r.cancel_reason ?? ''].join('\u0000');
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.values()].slice(0, MAX_ROWS).map((group) => {
    const r = group[0]!;
    const hours = Math.max(0, Math.floor(fromDbInstant(r.starts_at).diff(fromDbInstant(r.cancelled_at!), 'hours').hours));
    const classes = [...new Set(group.map((g) => g.class_name))].sort(compareClassNames).join(', ');
    return {
      slot: formatRange(r.starts_at, r.ends_at, locale),
      company: r.company_name,
      school: r.school_name,
      pupils: t('late.pupils', { count: group.length, classes }),
      party: t(`school_bookings.party_${(r.cancelled_party ?? 'system') as CancelParty}`),
      reason: r.cancel_reason ?? t('bookings.no_reason'),
      cancelledAt: formatDateTime(r.cancelled_at!, locale),
      hoursBefore: hours === 1 ? t('late.hour') : t('late.hours', { hours }),
    };
  });
}

/** Network coordinators follow up (/network/late-cancellations…). */
export function networkBookingRoutes({ db, config }: AppDeps): RouteSpec[] {
  return [
    {
      method: 'get',
      path: '/network/late-cancellations',
      access: ['network_coordinator'],
      handler: async (req, res) => {
        const { t, locale, user } = req.ctx;
        const rows = await lateCancellationRows(db, user!.networkId!);
        await renderPage(res, 'bookings/network-late', {
          title: t('late.title'),
          intro: t('late.intro', { hours: config.lateCancellationHours }),
          cancellations: lateCancellationView(rows, t, locale),
        });
      },
    },
  ];
}

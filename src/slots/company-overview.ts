import type { DateTime } from 'luxon';
import type { Db } from '../db/database.ts';
import type { Locale, Translate } from '../i18n/index.ts';
import { hasConsent, listCompanyStories } from '../stories/stories.service.ts';
import { upcomingSlotsOfCompany } from './slots.service.ts';
import { slotView } from './slots.view.ts';

/** How many upcoming slots the company start page shows (the rest are on /company/slots). */
export const START_PAGE_SLOTS = 5;

/** The company start page's stories (and which need attention) and upcoming slots with their fill. */
export async function companyOverview(db: Db, companyId: string, now: DateTime, t: Translate, locale: Locale) {
  const [stories, upcoming] = await Promise.all([listCompanyStories(db, companyId), upcomingSlotsOfCompany(db, companyId, now)]);
  const storiesNeedingAttention = stories
    .filter((s) => !s.published || !hasConsent(s))
    .map((s) => ({
      name: s.name,
      title: s.title,
      notes: [!s.published ? t('slots.host_unpublished') : null, !hasConsent(s) ? t('slots.host_no_consent') : null].filter(Boolean).join(', '),
    }));
  const active = upcoming.filter((s) => s.status !== 'cancelled');
  return {
    storyCount: stories.length,
    storiesNeedingAttention,
    upcomingSlots: active.slice(0, START_PAGE_SLOTS).map((s) => slotView(s, t, locale)),
  };
}

import type { DateTime } from 'luxon';
import type { Db } from '../db/database.ts';
import type { SessionUser } from '../http/context.ts';
import { slotFieldsSchema, type SlotFields } from '../slots/slots.schemas.ts';
import { createSeries, createSlot } from '../slots/slots.service.ts';
import { demoOffers, type DemoOffer } from './offers.ts';
import { companies, type CompanyKey } from './organisations.ts';
import { demoStories } from './stories.ts';
import { Term, type Occurrence } from './term.ts';

/** Supervisors' phone numbers: 070-174 06 05 … 99 is the range PTS keeps for fiction. */
const supervisorPhone = (company: CompanyKey) => `070-174 06 ${String(5 + companies.findIndex((c) => c.key === company)).padStart(2, '0')}`;

function fieldsOf(offer: DemoOffer, storyIds: Map<string, string>): SlotFields {
  const host = demoStories.find((s) => s.key === offer.hosts[0])!;
  return slotFieldsSchema.parse({
    storyIds: offer.hosts.map((key) => storyIds.get(key)!),
    siteId: null,
    format: offer.format,
    capacity: offer.capacity,
    minGroup: offer.minGroup,
    grades: offer.grades,
    activities: offer.activities,
    bring: offer.bring,
    provided: offer.provided,
    accessibility: offer.accessibility,
    supervisorName: host.name,
    supervisorPhone: supervisorPhone(offer.company),
    status: offer.draft ? 'draft' : 'published',
  });
}

/** The offer's occurrences, week by week: one per week, or a run of `seriesDays` days. */
function occurrencesByWeek(term: Term, offer: DemoOffer): Occurrence[][] {
  const days = offer.seriesDays ?? 1;
  return offer.weeks.map((week) =>
    Array.from({ length: days }, (_, i) => term.occurrence({ week, weekday: offer.weekday + i }, offer.from, offer.to)).filter((o): o is Occurrence => o !== null),
  );
}

/**
 * Publishes the demo term's slots through the slot services (so every rule for minors and
 * every host clash is checked as for a real company). Slots that would already have started
 * are left out, so the demo can be loaded at any time.
 */
export async function createDemoSlots(db: Db, coordinatorOf: (company: CompanyKey) => SessionUser, storyIds: Map<string, string>, now: DateTime): Promise<number> {
  const term = new Term(now);
  let count = 0;
  for (const offer of demoOffers) {
    const actor = coordinatorOf(offer.company);
    const fields = fieldsOf(offer, storyIds);
    for (const occurrences of occurrencesByWeek(term, offer)) {
      if (occurrences.length === 0) continue;
      if (offer.seriesDays) {
        count += (await createSeries(db, actor, fields, occurrences, now)).slotIds.length;
      } else {
        for (const occurrence of occurrences) await createSlot(db, actor, fields, occurrence, now);
        count += occurrences.length;
      }
    }
  }
  return count;
}

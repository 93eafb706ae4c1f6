import type { Db } from '../db/database.ts';
import type { Locale, MessageKey, Translate } from '../i18n/index.ts';
import { formatRange } from '../time/stockholm.ts';
import type { Explanation, WishReason } from './allocation.ts';

/** Placements and explanations in words, for the pages. */

export interface PlacementLabel {
  label: string;
  /** The live slots, in time order (a series books each of them). */
  slotIds: string[];
}

/**
 * What each placement is called ("Volvo Cars, tis 6 apr 08.00–12.00"), read from its slots
 * whatever their status now: results stay readable after the slots have started or ended.
 */
export async function placementLabels(db: Db, placementIds: readonly string[], t: Translate, locale: Locale): Promise<Map<string, PlacementLabel>> {
  // A placement id is a slot id or a series id (both UUIDs: they never collide).
  const ids = [...new Set(placementIds)];
  const wanted = new Set(ids);
  const rows = [];
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    rows.push(
      ...(await db
        .selectFrom('slots as s')
        .innerJoin('companies as c', 'c.id', 's.company_id')
        .select(['s.id', 's.series_id', 's.status', 's.starts_at', 's.ends_at', 'c.name as company_name'])
        .where((eb) => eb.or([eb('s.id', 'in', chunk), eb('s.series_id', 'in', chunk)]))
        .execute()),
    );
  }
  const groups = new Map<string, typeof rows>();
  for (const row of rows) {
    const key = row.series_id && wanted.has(row.series_id) ? row.series_id : row.id;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  const labels = new Map<string, PlacementLabel>();
  for (const [id, group] of groups) {
    const live = group.filter((s) => s.status === 'published');
    const slots = (live.length > 0 ? live : group).sort((a, b) => a.starts_at.localeCompare(b.starts_at) || a.id.localeCompare(b.id));
    const first = slots[0]!;
    const params = { company: first.company_name, when: formatRange(first.starts_at, first.ends_at, locale), more: slots.length - 1 };
    labels.set(id, { label: t(slots.length > 2 ? 'allocation.placement_series' : slots.length === 2 ? 'allocation.placement_series_two' : 'allocation.placement_one', params), slotIds: slots.map((s) => s.id) });
  }
  return labels;
}

export const placementText = (labels: Map<string, PlacementLabel>, id: string | null | undefined, t: Translate): string =>
  (id ? labels.get(id)?.label : undefined) ?? t('allocation.placement_unknown');

/** Who reads: the school (about its pupil), or the pupil (about themselves, as "you"). */
export type Reader = 'school' | 'pupil';

const YOU: Partial<Record<string, MessageKey>> = {
  lottery: 'allocation.why_lottery_you',
  lottery_one: 'allocation.why_lottery_one_you',
  full_higher_ranks: 'allocation.why_full_higher_ranks_you',
  trade_off_fewer_placed: 'allocation.why_trade_off_fewer_placed_you',
  trade_off_worse_ranks: 'allocation.why_trade_off_worse_ranks_you',
  school_cap: 'allocation.why_school_cap_you',
  outside_dates: 'allocation.why_outside_dates_you',
  wrong_grade: 'allocation.why_wrong_grade_you',
  clash: 'allocation.why_clash_you',
};

/** The message for a reason: a hole says why it is one; some reasons have a word for one seat, or for what was at stake. */
function keyOf(why: WishReason): string {
  if (why.reason === 'unavailable') return why.hole ?? 'no_seats';
  if (why.reason === 'lottery' && why.capacity === 1) return 'lottery_one';
  if (why.reason === 'trade_off') return why.cost === 'worse_ranks' && why.rankLost ? 'trade_off_worse_ranks' : 'trade_off_fewer_placed';
  return why.reason;
}

function wishLine(why: WishReason, labels: Map<string, PlacementLabel>, t: Translate, reader: Reader): string {
  const code = keyOf(why);
  const key = (reader === 'pupil' ? YOU[code] : undefined) ?? (`allocation.why_${code}` as MessageKey);
  const params = { rank: why.rank, placement: placementText(labels, why.placementId, t), capacity: why.capacity ?? 0, applicants: why.applicants ?? 0, cap: why.cap ?? 0, rankLost: why.rankLost ?? 0 };
  return t(key, params);
}

/** Why the pupil did not get each better wish (each wish, when unplaced), one sentence each. */
export function wishLines(explanation: Explanation, labels: Map<string, PlacementLabel>, t: Translate, reader: Reader): string[] {
  return explanation.wishes.map((why) => wishLine(why, labels, t, reader));
}

/** The reason in a few words for pupils the run did not place by a wish (no wishes, booked by hand, …). */
export function outcomeLine(explanation: Explanation, t: Translate): string {
  // Placed without a wish, though they had wishes: every one of them had become impossible.
  if (explanation.code === 'placed_without_wish' && explanation.wishes.length > 0) return t('allocation.outcome_placed_after_lost_wishes');
  return t(`allocation.outcome_${explanation.code}` as MessageKey);
}

/** Every placement results mention (given, booked by hand, wished), for placementLabels. */
export function placementIdsOf(items: readonly { placementId: string | null; explanation: Explanation }[]): string[] {
  const ids: string[] = [];
  for (const item of items) {
    if (item.placementId) ids.push(item.placementId);
    if (item.explanation.bookedPlacementId) ids.push(item.explanation.bookedPlacementId);
    for (const w of item.explanation.wishes) if (w.placementId) ids.push(w.placementId);
  }
  return ids;
}

export const percentText = (share: number, t: Translate): string => t('allocation.percent', { value: Math.round(share * 100) });

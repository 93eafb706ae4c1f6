import type { Db } from '../db/database.ts';
import type { Translate } from '../i18n/index.ts';
import { pupilName } from '../pupils/identity.ts';
import { comparePupils, listPupilsOfSchool, type Pupil } from '../pupils/pupils.service.ts';
import { formatDateTime, formatRange } from '../time/stockholm.ts';
import { heldPlacementId } from './allocation-results.ts';
import { outcomeLine, placementIdsOf, placementLabels, placementText, wishLines, type PlacementLabel, type Reader } from './allocation-text.ts';
import { allocationResults } from './allocation.service.ts';
import type { AllocationResult } from './allocation.ts';
import { unplacedReasons, type Look } from './allocation.view.ts';
import type { Placement } from './placements.ts';
import { choicesOfSchool } from './wishes.service.ts';
import { roundPhase, type Round } from './round.ts';

/** What a counsellor and a pupil see of a committed allocation. */

function wishText(r: AllocationResult, t: Translate): string {
  if (r.rank !== null) return t('allocation.wish_n', { rank: r.rank });
  if (r.outcome === 'already_booked') return t('allocation.by_hand');
  if (r.outcome === 'placed' || r.outcome === 'unplaced') return '–';
  return t('allocation.wish_none');
}

/** The explanation of one result, in sentences. */
function explanationLines(r: AllocationResult, labels: Map<string, PlacementLabel>, t: Translate, reader: Reader): string[] {
  if (r.outcome === 'placed') return r.rank === 1 ? [t('allocation.got_best')] : wishLines(r.explanation, labels, t, reader);
  if (r.placementId === null) return unplacedReasons(r, labels, t, reader);
  return [outcomeLine(r.explanation, t), ...wishLines(r.explanation, labels, t, reader)];
}

const FREE_SHOWN = 5;

/** Free placements that fit an unplaced pupil now: grade, the school's dates, no clash, seats left. */
function freePlacementsView(fitting: Placement[], t: Translate, locale: Look['locale']) {
  return fitting.slice(0, FREE_SHOWN).map((p) => {
    const label = t(p.slotIds.length > 2 ? 'allocation.placement_series' : p.slotIds.length === 2 ? 'allocation.placement_series_two' : 'allocation.placement_one', { company: p.companyName, when: formatRange(p.times[0]!.startsAt, p.times[0]!.endsAt, locale), more: p.slotIds.length - 1 });
    // A series is booked slot by slot: a link for each of its times.
    const links = p.slotIds.map((id, i) => ({ href: `/school/slots/${id}/book`, text: p.slotIds.length > 1 ? `${t('allocation.book')} ${formatRange(p.times[i]!.startsAt, p.times[i]!.endsAt, locale)}` : t('allocation.book'), label: t('allocation.book_label', { placement: label }) }));
    return { label, seats: t('allocation.free_seats', { count: p.freeSeats }), links };
  });
}

/** The counsellor's results page: each pupil of the school, and free places for those without one. */
export async function schoolResultsView(db: Db, round: Round, schoolId: string, look: Look) {
  const { t, locale, now } = look;
  const title = t('allocation.results_title', { round: round.name });
  if (!round.committedAllocationId) return { title, ready: false as const };
  const results = await allocationResults(db, round.committedAllocationId, { schoolId });
  const pupils = new Map((await listPupilsOfSchool(db, schoolId)).map((p) => [p.id, p]));
  const labels = await placementLabels(db, placementIdsOf(results), t, locale);
  const present = results.filter((r) => pupils.has(r.pupilId)).sort((a, b) => comparePupils(pupils.get(a.pupilId)!, pupils.get(b.pupilId)!));
  // What each pupil holds now: the placement given, or the one booked by hand before the round.
  const held = present.flatMap((r) => {
    const placementId = heldPlacementId(r);
    return placementId ? [{ pupilId: r.pupilId, placementId }] : [];
  });
  const kept = await keptOfPlaced(db, held);
  const rows = present.map((r) => {
    const pupil = pupils.get(r.pupilId)!;
    const placementId = heldPlacementId(r);
    const text = placementId ? placementText(labels, placementId, t) : t('allocation.no_place');
    // The result is history; a booking may have been cancelled since (by the school or the company).
    const state = kept.get(r.pupilId) ?? 'all';
    return {
      name: pupilName(pupil, 'school', '', t),
      className: pupil.className,
      placement: state === 'all' ? text : t(state === 'none' ? 'rounds.school_place_cancelled' : 'rounds.school_place_partly_cancelled', { placement: text }),
      wish: wishText(r, t),
      lines: explanationLines(r, labels, t, 'school'),
    };
  });
  const unplaced = present.filter((r) => r.placementId === null && r.outcome !== 'already_booked');
  // Free places are offered to those without one now: never placed, or whose place was cancelled since.
  const withoutPlace = present.filter((r) => heldPlacementId(r) === null || kept.get(r.pupilId) === 'none');
  const phase = roundPhase(round, now);
  return {
    title,
    ready: true as const,
    summary: t('allocation.results_summary', { placed: present.length - unplaced.length, pupils: present.length }),
    rows,
    free: await freeForUnplaced(db, round, schoolId, withoutPlace.map((r) => pupils.get(r.pupilId)!), look),
    freeFrom: phase === 'committed' && round.freeBookingOpensAt ? t('allocation.free_booking_from', { when: formatDateTime(round.freeBookingOpensAt, locale) }) : null,
  };
}

async function freeForUnplaced(db: Db, round: Round, schoolId: string, unplaced: Pupil[], { t, locale, now }: Look) {
  if (unplaced.length === 0) return [];
  const choices = await choicesOfSchool(db, round, schoolId, now);
  // Booked by hand since the commit: no longer without a place.
  return unplaced
    .filter((p) => !choices.bookedByHand(p.id))
    .map((pupil) => {
      const fitting = choices.forPupil(pupil).filter((p) => p.freeSeats > 0);
      return {
        name: pupilName(pupil, 'school', '', t),
        className: pupil.className,
        places: freePlacementsView(fitting, t, locale),
        more: fitting.length > FREE_SHOWN ? t('allocation.free_more', { count: fitting.length - FREE_SHOWN }) : null,
      };
    });
}

/** The pupil's own page about the round: what they got, and why, in words for a 14-year-old. */
export async function pupilResultView(db: Db, round: Round, pupil: Pupil, { t, locale }: Look) {
  const title = t('allocation.pupil_title', { round: round.name });
  if (!round.committedAllocationId) return { title, ready: false as const };
  const [result] = await allocationResults(db, round.committedAllocationId, { pupilId: pupil.id });
  if (!result) return { title, ready: true as const, headline: t('allocation.pupil_no_wishes'), place: null, whyTitle: null, lines: [], help: true };
  const labels = await placementLabels(db, placementIdsOf([result]), t, locale);
  const placementId = heldPlacementId(result);
  const placement = placementText(labels, placementId, t);
  const lines = wishLines(result.explanation, labels, t, 'pupil');
  // The result is history; the booking may have been cancelled since (by the school or the company).
  const kept = placementId ? ((await keptOfPlaced(db, [{ pupilId: pupil.id, placementId }])).get(pupil.id) ?? 'all') : 'all';
  if (kept !== 'all') {
    const headline = t(kept === 'none' ? 'rounds.pupil_place_cancelled' : 'rounds.pupil_place_partly_cancelled', { placement });
    return { title, ready: true as const, headline, place: null, whyTitle: null, lines: [], help: false };
  }
  switch (result.outcome) {
    case 'placed':
      return { title, ready: true as const, headline: t('allocation.pupil_got', { rank: result.rank ?? 1 }), place: t('allocation.pupil_place', { placement }), whyTitle: lines.length > 0 ? t('allocation.pupil_why_title') : null, lines, help: false };
    case 'unplaced':
      return { title, ready: true as const, headline: t('allocation.pupil_unplaced'), place: null, whyTitle: t('allocation.pupil_unplaced_why'), lines, help: true };
    case 'placed_without_wish':
      // Wishes listed here had all become impossible (a cancelled place, a clash): say what happened to them.
      if (lines.length > 0) return { title, ready: true as const, headline: t('allocation.pupil_after_lost_wishes', { placement }), place: null, whyTitle: t('allocation.pupil_unplaced_why'), lines, help: false };
      return { title, ready: true as const, headline: t('allocation.pupil_without_wish', { placement }), place: null, whyTitle: null, lines: [], help: false };
    case 'already_booked':
      return { title, ready: true as const, headline: t('allocation.pupil_already', { placement }), place: null, whyTitle: null, lines: [], help: false };
    default:
      return { title, ready: true as const, headline: t('allocation.pupil_no_wishes'), place: null, whyTitle: null, lines: [], help: true };
  }
}

/**
 * For each placed pupil, how much of their placement they still hold: all of it, some, or none
 * (a placement id is a slot id, or a series id for each of its slots). A slot counts as lost
 * when the pupil's booking in it was cancelled and none replaced it; slots the pupil was never
 * booked into (cancelled before the commit) do not count.
 */
async function keptOfPlaced(db: Db, placed: { pupilId: string; placementId: string }[]): Promise<Map<string, 'all' | 'some' | 'none'>> {
  const kept = new Map<string, 'all' | 'some' | 'none'>();
  for (let i = 0; i < placed.length; i += 400) {
    const chunk = placed.slice(i, i + 400);
    const rows = await db
      .selectFrom('bookings as b')
      .innerJoin('slots as s', 's.id', 'b.slot_id')
      .select(['b.pupil_id', 'b.slot_id', 'b.status', 's.series_id'])
      .where('b.pupil_id', 'in', chunk.map((p) => p.pupilId))
      .execute();
    const byPupil = new Map<string, typeof rows>();
    for (const r of rows) byPupil.set(r.pupil_id, [...(byPupil.get(r.pupil_id) ?? []), r]);
    for (const { pupilId, placementId } of chunk) kept.set(pupilId, keptOf((byPupil.get(pupilId) ?? []).filter((r) => r.slot_id === placementId || r.series_id === placementId)));
  }
  return kept;
}

function keptOf(rows: { slot_id: string; status: string }[]): 'all' | 'some' | 'none' {
  const confirmed = new Set(rows.filter((r) => r.status === 'confirmed').map((r) => r.slot_id));
  const lost = new Set(rows.filter((r) => !confirmed.has(r.slot_id)).map((r) => r.slot_id));
  if (confirmed.size === 0) return 'none';
  return lost.size > 0 ? 'some' : 'all';
}

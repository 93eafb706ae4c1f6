import type { DateTime } from 'luxon';
import type { Db } from '../db/database.ts';
import type { Locale, MessageKey, Translate } from '../i18n/index.ts';
import { pupilName } from '../pupils/identity.ts';
import { pupilsOfSchoolByIds, type Pupil } from '../pupils/pupils.service.ts';
import { formatDateTime } from '../time/stockholm.ts';
import { outcomeLine, percentText, placementIdsOf, placementLabels, wishLines, type PlacementLabel, type Reader } from './allocation-text.ts';
import { allocationResults } from './allocation.service.ts';
import type { Allocation, AllocationMetrics, AllocationResult, Tally } from './allocation.ts';
import { isWishWindowOpen, type Round } from './round.ts';

/** What the coordinator's allocation pages show: plain display data (no pupil's name, ever). */

export interface Look {
  t: Translate;
  locale: Locale;
  now: DateTime;
}

export const runsPath = (roundId: string) => `/network/rounds/${roundId}/allocations`;
export const runPath = (roundId: string, allocationId: string) => `${runsPath(roundId)}/${allocationId}`;

export const statusLabel = (allocation: Allocation, t: Translate) => t(`allocation.status_${allocation.status}` as MessageKey);

/** The list of runs, and whether a new one may start (and needs "early"). */
export function runsView(round: Round, runs: Allocation[], { t, locale, now }: Look) {
  return {
    round: { id: round.id, name: round.name, href: `/network/rounds/${round.id}` },
    runs: runs.map((a) => {
      const when = formatDateTime(a.createdAt, locale);
      return { when, seed: a.seed, status: statusLabel(a, t), placed: a.metrics ? percentText(a.metrics.sharePlaced, t) : '–', href: runPath(round.id, a.id), linkLabel: t('allocation.show_run_label', { when }) };
    }),
    committed: round.committedAllocationId !== null,
    wishesOpen: isWishWindowOpen(round, now),
    earlyHint: t('allocation.early_hint', { when: formatDateTime(round.wishesCloseAt, locale) }),
  };
}

function tallyRow(s: Tally, t: Translate) {
  return {
    pupils: s.pupils,
    placed: `${s.placed + s.alreadyBooked} (${percentText(s.sharePlaced, t)})`,
    wish1: `${s.byRank[0] ?? 0} (${percentText(s.shareWish1, t)})`,
    wishes13: percentText(s.shareWishes1to3, t),
    unplaced: s.unplaced,
  };
}

/** The shares and the table of ranks of a run's metrics. */
function metricsView(m: AllocationMetrics, t: Translate) {
  const ranks = m.byRank.map((count, i) => ({ label: t('allocation.rank_n', { rank: i + 1 }), count, share: percentText(m.wishing > 0 ? count / m.wishing : 0, t) }));
  if (m.placedWithoutWish > 0) ranks.push({ label: t('allocation.without_wish_row'), count: m.placedWithoutWish, share: '–' });
  return {
    counts: t('allocation.summary_counts', { pupils: m.pupils, placed: m.placed, booked: m.alreadyBooked, unplaced: m.unplaced }),
    shares: [
      { label: t('allocation.share_placed'), value: percentText(m.sharePlaced, t) },
      { label: t('allocation.share_wish1'), value: percentText(m.shareWish1, t) },
      { label: t('allocation.share_wishes13'), value: percentText(m.shareWishes1to3, t) },
    ],
    ranks,
    schools: m.schools.map((s) => ({ name: s.schoolName, ...tallyRow(s, t) })),
    certificate:
      m.certificate === 'holds'
        ? { holds: true, text: t('allocation.certificate_holds') }
        : { holds: false, text: t('allocation.certificate_failed', { count: m.certificate.length }) },
  };
}

const UNPLACED_SHOWN = 200;

/** Pupils of several schools by id (the register's service, one school at a time). */
async function pupilsByIds(db: Db, results: readonly AllocationResult[]): Promise<Map<string, Pupil>> {
  const bySchool = new Map<string, string[]>();
  for (const r of results) bySchool.set(r.schoolId, [...(bySchool.get(r.schoolId) ?? []), r.pupilId]);
  const pupils = new Map<string, Pupil>();
  for (const [schoolId, ids] of bySchool) for (const p of await pupilsOfSchoolByIds(db, schoolId, ids)) pupils.set(p.id, p);
  return pupils;
}

/** Why a pupil has no place, in sentences. */
export function unplacedReasons(result: AllocationResult, labels: Map<string, PlacementLabel>, t: Translate, reader: Reader): string[] {
  const lines = wishLines(result.explanation, labels, t, reader);
  return result.outcome === 'unplaced' && lines.length > 0 ? lines : [outcomeLine(result.explanation, t), ...lines];
}

/** A run: progress while running, the preview when ready (or committed). */
export async function runView(db: Db, round: Round, allocation: Allocation, look: Look) {
  const { t, locale } = look;
  const base = {
    round: { id: round.id, name: round.name },
    allocation: { id: allocation.id, status: allocation.status, statusLabel: statusLabel(allocation, t), progress: allocation.progress, seed: allocation.seed },
    title: t('allocation.run_title', { when: formatDateTime(allocation.createdAt, locale) }),
    runsHref: runsPath(round.id),
    selfHref: runPath(round.id, allocation.id),
    progressHref: `${runPath(round.id, allocation.id)}/progress`,
    commitHref: `${runPath(round.id, allocation.id)}/commit`,
    // Only a run whose optimality certificate held may be committed.
    canCommit: allocation.status === 'ready' && !round.committedAllocationId && allocation.metrics?.certificate === 'holds',
    unproven: allocation.status === 'ready' && !round.committedAllocationId && allocation.metrics !== null && allocation.metrics.certificate !== 'holds',
    otherCommitted: round.committedAllocationId !== null && round.committedAllocationId !== allocation.id,
    // While the wish window is open, committing closes it: the form asks for that in so many words.
    closeWishes: isWishWindowOpen(round, look.now) ? { hint: t('allocation.close_wishes_hint', { when: formatDateTime(round.wishesCloseAt, locale) }) } : null,
  };
  if (!allocation.metrics || (allocation.status !== 'ready' && allocation.status !== 'committed')) return { ...base, preview: null };
  // Only the unplaced pupils shown are read: a large round has tens of thousands of results.
  const shown = await allocationResults(db, allocation.id, { unplaced: { limit: UNPLACED_SHOWN } });
  const unplacedCount = allocation.metrics.unplaced;
  const pupils = await pupilsByIds(db, shown);
  const labels = await placementLabels(db, placementIdsOf(shown), t, locale);
  const schoolName = new Map(round.schools.map((s) => [s.schoolId, s.schoolName]));
  const unplaced = shown.map((r) => {
    const pupil = pupils.get(r.pupilId);
    const school = schoolName.get(r.schoolId) ?? '';
    // Those who follow up see a class, a school and a code: never a name.
    return { pupil: pupil ? pupilName(pupil, 'follow_up', school, t) : '–', school, reasons: unplacedReasons(r, labels, t, 'school') };
  });
  return {
    ...base,
    preview: { seedLine: t('allocation.seed_line', { seed: allocation.seed }), ...metricsView(allocation.metrics, t), unplaced, unplacedMore: unplacedCount > shown.length ? t('allocation.unplaced_more', { count: unplacedCount - shown.length }) : null },
  };
}

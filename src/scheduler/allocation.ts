import type { DateTime } from 'luxon';
import type { AllocationResultsTable, AllocationsTable, AllocationStatus, PlacementKind } from '../db/types.ts';
import { toDbInstant } from '../time/stockholm.ts';
import type { WishWhy } from './allocation-explain.ts';
import type { HoleReason } from './allocation-input.ts';

/** An allocation run (a preview until committed) and its results, as the rest of the app sees them. */

/** What happened to a pupil in a run. */
export type Outcome = 'placed' | 'placed_without_wish' | 'unplaced' | 'already_booked' | 'no_wishes' | 'no_eligible_placement';

/** Why not one wish: the solver's reason, the placement it was, and for a hole why it was one. */
export interface WishReason extends WishWhy {
  placementId: string | null;
  hole?: HoleReason;
}

/** Stored per pupil (allocation_results.explanation). */
export interface Explanation {
  code: Outcome;
  /** Why not each better wish (every wish, for an unplaced pupil), best first. */
  wishes: WishReason[];
  /** For a pupil booked by hand: the round's placement they are booked into. */
  bookedPlacementId?: string;
}

export interface Tally {
  /** Every pupil of the round (or the school in it). */
  pupils: number;
  /** Pupils with at least one wish (not booked by hand). */
  wishing: number;
  /** Placed by this run: from a wish, or without one. */
  placed: number;
  placedWithoutWish: number;
  /** Neither placed nor booked by hand. */
  unplaced: number;
  alreadyBooked: number;
  noWishes: number;
  /** byRank[r − 1]: how many got their wish of rank r. */
  byRank: number[];
  /** Shares (0–1): placed of those the run places; wish 1 and wishes 1–3 of those who wished. */
  sharePlaced: number;
  shareWish1: number;
  shareWishes1to3: number;
}

export interface AllocationMetrics extends Tally {
  seed: number;
  /** 'holds' when the optimality certificate checked out, else the problems found. */
  certificate: 'holds' | string[];
  schools: (Tally & { schoolId: string; schoolName: string })[];
}

export interface Allocation {
  id: string;
  roundId: string;
  seed: number;
  status: AllocationStatus;
  progress: number;
  placeWithoutWishes: boolean;
  schoolShareCaps: boolean;
  inputHash: string | null;
  metrics: AllocationMetrics | null;
  createdBy: string | null;
  createdAt: string;
  finishedAt: string | null;
  committedAt: string | null;
}

export interface AllocationResult {
  pupilId: string;
  schoolId: string;
  placementId: string | null;
  placementKind: PlacementKind | null;
  rank: number | null;
  outcome: Outcome;
  explanation: Explanation;
}

/**
 * The process working on a run writes its heartbeat at least this often (every progress step,
 * and on a timer while the worker solves).
 */
export const HEARTBEAT_EVERY_SECONDS = 5;

/** A 'running' run whose heartbeat is older than this belonged to a process that stopped. */
export const ABANDONED_AFTER_SECONDS = 60;

/** The instant before which a running run's last sign of life means it was abandoned. */
export const abandonedBefore = (now: DateTime): string => toDbInstant(now.minus({ seconds: ABANDONED_AFTER_SECONDS }));

/**
 * The status to show: a 'running' row that no run in this process is working on, and whose
 * last heartbeat (or, before the first one, its start) is more than ABANDONED_AFTER_SECONDS
 * old, belonged to a process that stopped: it failed, and a new run may start.
 */
export function effectiveStatus(row: Pick<AllocationsTable, 'status' | 'created_at' | 'heartbeat_at'>, runningHere: boolean, now: DateTime): AllocationStatus {
  if (row.status !== 'running' || runningHere) return row.status;
  return (row.heartbeat_at ?? row.created_at) < abandonedBefore(now) ? 'failed' : 'running';
}

export function toAllocation(row: AllocationsTable, status: AllocationStatus): Allocation {
  return {
    id: row.id,
    roundId: row.round_id,
    seed: row.seed,
    status,
    progress: status === 'running' ? row.progress : status === 'failed' ? row.progress : 100,
    placeWithoutWishes: row.place_without_wishes === 1,
    schoolShareCaps: row.school_share_caps === 1,
    inputHash: row.input_hash,
    metrics: row.metrics ? (JSON.parse(row.metrics) as AllocationMetrics) : null,
    createdBy: row.created_by,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
    committedAt: row.committed_at,
  };
}

export function toAllocationResult(row: AllocationResultsTable): AllocationResult {
  return {
    pupilId: row.pupil_id,
    schoolId: row.school_id,
    placementId: row.placement_id,
    placementKind: row.placement_kind,
    rank: row.rank,
    outcome: row.outcome as Outcome,
    explanation: row.explanation ? (JSON.parse(row.explanation) as Explanation) : { code: row.outcome as Outcome, wishes: [] },
  };
}

const share = (part: number, whole: number) => (whole > 0 ? part / whole : 0);

/** Counts results into a tally; byRank has at least `ranks` entries (the longest list of wishes). */
export function tally(results: readonly AllocationResult[], ranks = 0): Tally {
  const byRank: number[] = new Array(ranks).fill(0);
  let placed = 0;
  let placedWithoutWish = 0;
  let alreadyBooked = 0;
  let noWishes = 0;
  let wishing = 0;
  for (const r of results) {
    if (r.outcome === 'already_booked') alreadyBooked++;
    // A pupil placed without a wish had wishes when every one of them had become impossible.
    else if (r.outcome === 'placed' || r.outcome === 'unplaced' || (r.outcome === 'placed_without_wish' && r.explanation.wishes.length > 0)) wishing++;
    else noWishes++;
    if (r.outcome === 'placed_without_wish') placedWithoutWish++;
    if (r.placementId !== null) placed++;
    if (r.rank !== null) {
      while (byRank.length < r.rank) byRank.push(0);
      byRank[r.rank - 1]!++;
    }
  }
  const unplaced = results.length - placed - alreadyBooked;
  const firstThree = byRank.slice(0, 3).reduce((a, b) => a + b, 0);
  return {
    pupils: results.length,
    wishing,
    placed,
    placedWithoutWish,
    unplaced,
    alreadyBooked,
    noWishes,
    byRank,
    sharePlaced: share(placed, results.length - alreadyBooked),
    shareWish1: share(byRank[0] ?? 0, wishing),
    shareWishes1to3: share(firstThree, wishing),
  };
}

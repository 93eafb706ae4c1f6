import { randomInt } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { DateTime } from 'luxon';
import type { Logger } from 'pino';
import { newId } from '../auth/secrets.ts';
import type { Db } from '../db/database.ts';
import { inTransaction } from '../db/transaction.ts';
import type { SessionUser } from '../http/context.ts';
import { AppError, forbidden, notFound } from '../http/errors.ts';
import type { Clock } from '../time/clock.ts';
import { toDbInstant } from '../time/stockholm.ts';
import { readAllocationInput, type AllocationSettings } from './allocation-input.ts';
import type { AllocationJob, AllocationOutcome, Stage } from './allocation-run.ts';
import { runInWorker } from './allocation-runner.ts';
import { effectiveStatus, HEARTBEAT_EVERY_SECONDS, toAllocation, toAllocationResult, type Allocation, type AllocationResult } from './allocation.ts';
import * as repo from './allocation.repository.ts';
import { letOthersIn } from './yield.ts';
import { isWishWindowOpen, type Round } from './round.ts';
import { findRound, lockRound } from './rounds.repository.ts';

/** Result rows per transaction when a run is stored. */
const RESULT_BATCH = 2000;

/**
 * Running an allocation: the coordinator starts a run (a preview); it reads the round, solves
 * it in a worker thread, explains each result and saves them, reporting its progress as it
 * goes. Committing a ready run is allocation-commit.ts.
 */

export interface AllocationDeps {
  logger: Logger;
  /** Runs the pure work (a worker thread in the app; tests may run it in place). */
  runJob?: (job: AllocationJob, onStage: (stage: Stage) => void) => Promise<AllocationOutcome>;
  /** The time the heartbeat writes (the app's clock); without one, the run's start plus the time it has taken. */
  clock?: Clock;
  /** How often the heartbeat is written while the worker runs (tests make it short). */
  heartbeatEveryMs?: number;
}

export interface StartOptions {
  seed?: number | undefined;
  /** Run while the wish window is still open (the coordinator asked for it). */
  early?: boolean | undefined;
}

/**
 * At most this many runs at once in one process: each is a worker thread solving a whole
 * round (a second or more, and memory, for a large one). One more is refused with
 * allocation_running rather than queued: the page and the API answer at once, a queued run
 * would sit 'running' without progress, and runs are rare enough that "try again in a
 * moment" is the plainer answer.
 */
export const MAX_RUNS_AT_ONCE = 2;

/** Runs of this process that have not ended yet: allocation id → the run. */
const running = new Map<string, Promise<void>>();
/** Rounds with a run starting or running in this process (one run per round: its size is the number of runs). */
const busyRounds = new Set<string>();

export const isRunningHere = (allocationId: string): boolean => running.has(allocationId);

/** The round, if `user` may run and see its allocations (its network's coordinator; null = the system, e.g. the CLI). */
export async function roundForAllocation(db: Db, user: SessionUser | null, roundId: string): Promise<Round> {
  if (user && user.role !== 'network_coordinator') throw forbidden();
  const round = await findRound(db, roundId);
  if (!round || (user && user.networkId !== round.networkId)) throw notFound();
  return round;
}

/** Checks that a run may start now: not after a commit, and not while wishes are open unless asked. */
export function assertMayRun(round: Round, early: boolean, now: DateTime): void {
  if (round.committedAllocationId !== null) throw new AppError('round_committed');
  if (isWishWindowOpen(round, now) && !early) throw new AppError('wishes_still_open');
}

export const MAX_SEED = 2 ** 31 - 1;

/** A 31-bit seed, shown with the result so anyone can run the same lottery again. */
export const randomSeed = (): number => randomInt(0, MAX_SEED);

/**
 * Starts a run and returns at once with it (status 'running'); `done` settles when the run has
 * ended, ready or failed (it never rejects: a failure is recorded on the run).
 */
export async function startAllocation(db: Db, deps: AllocationDeps, user: SessionUser | null, roundId: string, options: StartOptions, now: DateTime): Promise<{ allocation: Allocation; done: Promise<void> }> {
  const round = await roundForAllocation(db, user, roundId);
  assertMayRun(round, options.early ?? false, now);
  // Claimed with no await in between, so two requests of this process cannot both pass.
  if (busyRounds.has(round.id) || busyRounds.size >= MAX_RUNS_AT_ONCE) throw new AppError('allocation_running');
  busyRounds.add(round.id);
  const release = () => busyRounds.delete(round.id);
  const settings: AllocationSettings = { placeWithoutWishes: round.placeWithoutWishes, schoolShareCaps: round.schoolShareCaps };
  const seed = options.seed ?? randomSeed();
  const row = {
    id: newId(),
    round_id: round.id,
    seed,
    status: 'running' as const,
    progress: 0,
    place_without_wishes: settings.placeWithoutWishes ? 1 : 0,
    school_share_caps: settings.schoolShareCaps ? 1 : 0,
    input_hash: null,
    metrics: null,
    error: null,
    created_by: user?.id ?? null,
    created_at: toDbInstant(now),
    finished_at: null,
    committed_at: null,
    committed_by: null,
    heartbeat_at: toDbInstant(now),
  };
  try {
    await inTransaction(db, async (trx) => {
      // The round's row, locked, serialises starts of the same round across processes.
      await lockRound(trx, round.id);
      await refuseWhileRunning(trx, round.id, now);
      await repo.insertAllocation(trx, row);
    });
  } catch (error) {
    release();
    throw error;
  }
  const done = runAllocation(db, deps, round, row.id, seed, settings, now).finally(() => {
    running.delete(row.id);
    release();
  });
  running.set(row.id, done);
  return { allocation: toAllocation(row, 'running'), done };
}

/**
 * Refuses a second run of a round while one is running (in any process: its heartbeat is
 * fresh); a 'running' row whose heartbeat went quiet was abandoned, and is marked failed.
 */
async function refuseWhileRunning(trx: Db, roundId: string, now: DateTime): Promise<void> {
  const rows = await repo.runningRowsOfRound(trx, roundId);
  if (rows.some((r) => effectiveStatus(r, isRunningHere(r.id), now) === 'running')) throw new AppError('allocation_running');
  await repo.markAbandoned(trx, rows.map((r) => r.id), toDbInstant(now));
}

/** The heartbeat's clock: the app's, or the run's start moved on by the time it has taken. */
function heartbeatClock(deps: AllocationDeps, now: DateTime): () => string {
  if (deps.clock) return () => toDbInstant(deps.clock!.now());
  const started = performance.now();
  return () => toDbInstant(now.plus({ milliseconds: Math.round(performance.now() - started) }));
}

const PROGRESS: Record<Stage, number> = { planning: 17, solving: 20, explaining: 70, leftover: 80, results: 85 };

async function runAllocation(db: Db, deps: AllocationDeps, round: Round, id: string, seed: number, settings: AllocationSettings, now: DateTime): Promise<void> {
  const beatAt = heartbeatClock(deps, now);
  const record = (patch: { progress?: number }) =>
    repo.recordProgress(db, id, { ...patch, heartbeat_at: beatAt() }).catch((err) => deps.logger.warn({ err, allocationId: id }, 'could not record allocation progress'));
  const progress = (value: number) => record({ progress: value });
  // Signs of life while the worker solves (a long solve reports no progress for a while).
  const heartbeat = setInterval(() => void record({}), deps.heartbeatEveryMs ?? HEARTBEAT_EVERY_SECONDS * 1000);
  heartbeat.unref();
  try {
    await progress(5);
    // Read without a transaction (a long one would hold others up): what was read is
    // fingerprinted, and the commit refuses if the same reading inside its transaction differs.
    const input = await readAllocationInput(db, round, settings, now);
    await progress(15);
    // Everything after the reading is CPU work, done in the worker so that requests go on meanwhile.
    const job: AllocationJob = { input: { ...input, round: { id: round.id, grades: round.grades, schools: round.schools } }, seed };
    const run = deps.runJob ?? runInWorker;
    const { inputHash, metrics, rows } = await run(job, (stage) => void progress(PROGRESS[stage]));
    await progress(90);
    // Stored a batch per transaction, so other requests get the database in between; the run
    // only counts once markReady has flipped it (rows of a run that dies here stay unread).
    for (let i = 0; i < rows.length; i += RESULT_BATCH) {
      await letOthersIn();
      const batch = rows.slice(i, i + RESULT_BATCH).map((row) => ({ allocation_id: id, ...row }));
      await inTransaction(db, (trx) => repo.insertResults(trx, batch));
    }
    await inTransaction(db, (trx) => repo.markReady(trx, id, { input_hash: inputHash, metrics: JSON.stringify(metrics), finished_at: toDbInstant(now) }));
  } catch (err) {
    deps.logger.error({ err, allocationId: id, roundId: round.id }, 'allocation failed');
    await repo.markFailed(db, id, 'allocation_failed', toDbInstant(now)).catch((e) => deps.logger.error({ err: e }, 'could not mark the allocation failed'));
  } finally {
    clearInterval(heartbeat);
  }
}

/** Waits for a run of this process to end (at once when it is not running here). */
export async function waitForAllocation(allocationId: string): Promise<void> {
  await running.get(allocationId);
}

/** A run of the round, as `user` may see it. */
export async function getAllocation(db: Db, user: SessionUser | null, roundId: string, allocationId: string, now: DateTime): Promise<{ round: Round; allocation: Allocation }> {
  const round = await roundForAllocation(db, user, roundId);
  const row = await repo.findAllocationRow(db, allocationId);
  if (!row || row.round_id !== round.id) throw notFound();
  return { round, allocation: toAllocation(row, effectiveStatus(row, isRunningHere(row.id), now)) };
}

export async function allocationsOfRound(db: Db, round: Round, now: DateTime): Promise<Allocation[]> {
  return (await repo.allocationRowsOfRound(db, round.id)).map((row) => toAllocation(row, effectiveStatus(row, isRunningHere(row.id), now)));
}

export async function allocationResults(db: Db, allocationId: string, filter: repo.ResultFilter = {}): Promise<AllocationResult[]> {
  return (await repo.resultRows(db, allocationId, filter)).map(toAllocationResult).sort((a, b) => (a.pupilId < b.pupilId ? -1 : a.pupilId > b.pupilId ? 1 : 0));
}

/** Result rows per page when a whole run is read for the API. */
const SUMMARY_PAGE = 2000;

export interface ResultSummary {
  pupilId: string;
  /** The placement given, or for a pupil booked by hand the round's placement they hold. */
  placementId: string | null;
  rank: number | null;
  outcome: AllocationResult['outcome'];
}

/**
 * Every result of a run in short, by pupil id: read a page at a time with a turn of the event
 * loop in between (20,000 rows at once would hold every other request up on SQLite).
 */
export async function allocationSummaries(db: Db, allocationId: string, pageSize = SUMMARY_PAGE): Promise<ResultSummary[]> {
  const out: ResultSummary[] = [];
  let after: string | null = null;
  for (;;) {
    const rows = await repo.resultPage(db, allocationId, after, pageSize);
    for (const r of rows) {
      const booked = r.explanation ? ((JSON.parse(r.explanation) as { bookedPlacementId?: string }).bookedPlacementId ?? null) : null;
      out.push({ pupilId: r.pupil_id, placementId: r.outcome === 'already_booked' ? booked : r.placement_id, rank: r.rank, outcome: r.outcome as ResultSummary['outcome'] });
    }
    if (rows.length < pageSize) break;
    after = rows[rows.length - 1]!.pupil_id;
    await letOthersIn();
  }
  // The same order as allocationResults, whatever the database's collation.
  return out.sort((a, b) => (a.pupilId < b.pupilId ? -1 : a.pupilId > b.pupilId ? 1 : 0));
}

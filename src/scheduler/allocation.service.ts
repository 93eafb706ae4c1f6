import { randomInt } from 'node:crypto';
import type { DateTime } from 'luxon';
import type { Logger } from 'pino';
import { newId } from '../auth/secrets.ts';
import type { Db } from '../db/database.ts';
import { inTransaction } from '../db/transaction.ts';
import type { SessionUser } from '../http/context.ts';
import { AppError, forbidden, notFound } from '../http/errors.ts';
import { toDbInstant } from '../time/stockholm.ts';
import { inputFingerprint, planAllocation, readAllocationInput, type AllocationSettings } from './allocation-input.ts';
import { buildMetrics, buildResults } from './allocation-results.ts';
import type { AllocationJob, AllocationOutcome, Stage } from './allocation-run.ts';
import { runInWorker } from './allocation-runner.ts';
import { effectiveStatus, toAllocation, toAllocationResult, type Allocation, type AllocationResult } from './allocation.ts';
import * as repo from './allocation.repository.ts';
import { roundPhase, type Round } from './round.ts';
import { findRound } from './rounds.repository.ts';

/**
 * Running an allocation: the coordinator starts a run (a preview); it reads the round, solves
 * it in a worker thread, explains each result and saves them, reporting its progress as it
 * goes. Committing a ready run is allocation-commit.ts.
 */

export interface AllocationDeps {
  logger: Logger;
  /** Runs the pure work (a worker thread in the app; tests may run it in place). */
  runJob?: (job: AllocationJob, onStage: (stage: Stage) => void) => Promise<AllocationOutcome>;
}

export interface StartOptions {
  seed?: number | undefined;
  /** Run while the wish window is still open (the coordinator asked for it). */
  early?: boolean | undefined;
}

/** Runs of this process that have not ended yet: allocation id → the run. */
const running = new Map<string, Promise<void>>();

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
  const phase = roundPhase(round, now);
  if (phase === 'committed' || phase === 'free_booking') throw new AppError('round_committed');
  if ((phase === 'upcoming' || phase === 'wishes_open') && !early) throw new AppError('wishes_still_open');
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
  };
  await inTransaction(db, (trx) => repo.insertAllocation(trx, row));
  const done = runAllocation(db, deps, round, row.id, seed, settings, now).finally(() => running.delete(row.id));
  running.set(row.id, done);
  return { allocation: toAllocation(row, 'running'), done };
}

const PROGRESS: Record<Stage, number> = { solving: 20, explaining: 70, leftover: 80 };

async function runAllocation(db: Db, deps: AllocationDeps, round: Round, id: string, seed: number, settings: AllocationSettings, now: DateTime): Promise<void> {
  const progress = (value: number) => repo.setProgress(db, id, value).catch((err) => deps.logger.warn({ err, allocationId: id }, 'could not record allocation progress'));
  try {
    await progress(5);
    // Read without a transaction (a long one would hold others up): what was read is
    // fingerprinted, and the commit refuses if the same reading inside its transaction differs.
    const input = await readAllocationInput(db, round, settings, now);
    const plan = planAllocation(input);
    const inputHash = inputFingerprint(input);
    await progress(15);
    const job: AllocationJob = {
      pupils: plan.solverPupils,
      capacities: plan.capacities,
      seed,
      schoolShareCaps: settings.schoolShareCaps,
      leftover: settings.placeWithoutWishes ? plan.leftoverCandidates : null,
    };
    const run = deps.runJob ?? runInWorker;
    const outcome = await run(job, (stage) => void progress(PROGRESS[stage]));
    await progress(90);
    const results = buildResults(input, plan, outcome);
    const metrics = buildMetrics(input, plan, results, outcome, seed);
    await inTransaction(db, async (trx) => {
      await repo.insertResults(trx, results.map((r) => ({ allocation_id: id, pupil_id: r.pupilId, school_id: r.schoolId, placement_id: r.placementId, placement_kind: r.placementKind, rank: r.rank, outcome: r.outcome, explanation: JSON.stringify(r.explanation) })));
      await repo.markReady(trx, id, { input_hash: inputHash, metrics: JSON.stringify(metrics), finished_at: toDbInstant(now) });
    });
  } catch (err) {
    deps.logger.error({ err, allocationId: id, roundId: round.id }, 'allocation failed');
    await repo.markFailed(db, id, 'allocation_failed', toDbInstant(now)).catch((e) => deps.logger.error({ err: e }, 'could not mark the allocation failed'));
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

export async function allocationResults(db: Db, allocationId: string, filter: { schoolId?: string; pupilId?: string } = {}): Promise<AllocationResult[]> {
  return (await repo.resultRows(db, allocationId, filter)).map(toAllocationResult).sort((a, b) => (a.pupilId < b.pupilId ? -1 : a.pupilId > b.pupilId ? 1 : 0));
}

// npm run allocate -- --round ID [--seed N] [--early] [--commit]
//                     --round ID --preview ALLOCATION_ID --commit
// Runs a round's allocation from a shell, as the coordinator's page does, and prints the summary;
// with --commit it also commits it (the audit trail records the system as the actor). With
// --preview it commits a preview made earlier (the one that was looked at) instead of a new run.
// While the wish window is open, --early lets the run start, and lets the commit close the
// window now (without it the commit is refused).
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import type { DateTime } from 'luxon';
import { pino } from 'pino';
import { ConfigError, loadConfig } from '../src/config.ts';
import { createDb } from '../src/db/database.ts';
import { inTransaction } from '../src/db/transaction.ts';
import { AppError } from '../src/http/errors.ts';
import { translator, type MessageKey, type Translate } from '../src/i18n/index.ts';
import { createMailer } from '../src/mail/mail.service.ts';
import { commitAllocation, SYSTEM_ACTOR } from '../src/scheduler/allocation-commit.ts';
import { getAllocation, MAX_SEED, startAllocation } from '../src/scheduler/allocation.service.ts';
import type { AllocationMetrics } from '../src/scheduler/allocation.ts';
import { systemClock } from '../src/time/clock.ts';

export interface CliIo {
  env: NodeJS.ProcessEnv;
  out: (line: string) => void;
  err: (line: string) => void;
  /** The clock's "now" (tests); the system clock otherwise. */
  now?: DateTime;
}

const percent = (share: number) => `${Math.round(share * 100)} %`;

/** The summary, in Swedish like the coordinator's page. */
export function summaryLines(metrics: AllocationMetrics, t: Translate): string[] {
  const lines = [
    t('allocation.seed_line', { seed: metrics.seed }),
    t('allocation.summary_counts', { pupils: metrics.pupils, placed: metrics.placed, booked: metrics.alreadyBooked, unplaced: metrics.unplaced }),
    `${t('allocation.share_placed')}: ${percent(metrics.sharePlaced)} · ${t('allocation.share_wish1')}: ${percent(metrics.shareWish1)} · ${t('allocation.share_wishes13')}: ${percent(metrics.shareWishes1to3)}`,
    ...metrics.byRank.map((count, i) => `  ${t('allocation.rank_n', { rank: i + 1 })}: ${count}`),
  ];
  if (metrics.placedWithoutWish > 0) lines.push(`  ${t('allocation.without_wish_row')}: ${metrics.placedWithoutWish}`);
  lines.push(`${t('allocation.schools_title')}:`);
  for (const s of metrics.schools) {
    lines.push(`  ${s.schoolName}: ${t('allocation.cli_school', { pupils: s.pupils, placed: s.placed, booked: s.alreadyBooked, wish1: s.byRank[0] ?? 0, unplaced: s.unplaced })}`);
  }
  lines.push(metrics.certificate === 'holds' ? t('allocation.certificate_holds') : `${t('allocation.certificate_failed', { count: metrics.certificate.length })}\n  ${metrics.certificate.join('\n  ')}`);
  return lines;
}

/** Runs the command; answers with the exit code (0 only when everything asked for was done). */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const t = translator('sv');
  let args;
  try {
    const options = { round: { type: 'string' }, seed: { type: 'string' }, early: { type: 'boolean' }, commit: { type: 'boolean' }, preview: { type: 'string' } } as const;
    args = parseArgs({ args: argv, options, strict: true });
  } catch {
    io.err(t('allocation.cli_usage'));
    return 2;
  }
  const { round: roundId, seed: seedText, early, commit, preview } = args.values;
  const seed = seedText === undefined ? undefined : Number(seedText);
  const badSeed = seed !== undefined && !(/^\d{1,10}$/.test(seedText!) && seed <= MAX_SEED);
  if (!roundId || badSeed || (preview !== undefined && (!commit || seedText !== undefined))) {
    io.err(t('allocation.cli_usage'));
    return 2;
  }
  let config;
  try {
    config = loadConfig(io.env);
  } catch (error) {
    io.err(error instanceof ConfigError ? error.message : String(error));
    return 78;
  }
  const database = createDb(config.database);
  const logger = pino({ level: config.logLevel === 'info' ? 'warn' : config.logLevel }, pino.destination(2));
  const deps = { logger, mailer: createMailer(config.smtpUrl, config.mailFrom), config };
  const now = io.now ?? systemClock.now();
  try {
    let allocationId = preview;
    if (allocationId === undefined) {
      const { allocation, done } = await startAllocation(database.db, deps, null, roundId, { seed, early }, now);
      await done;
      allocationId = allocation.id;
    }
    const { round, allocation: run } = await getAllocation(database.db, null, roundId, allocationId, now);
    io.out(t('allocation.cli_round', { round: round.name, id: round.id }));
    if (run.status === 'failed' || !run.metrics) {
      io.err(t(run.status === 'failed' ? 'allocation.failed' : 'error.allocation_not_ready'));
      return 1;
    }
    summaryLines(run.metrics, t).forEach((line) => io.out(line));
    io.out(t('allocation.cli_preview', { id: run.id }));
    if (!commit) return 0;
    const receipt = await inTransaction(database.db, (trx) => commitAllocation(trx, deps, null, SYSTEM_ACTOR, roundId, run.id, now, { closeWishes: early }));
    io.out(t('allocation.cli_committed', { bookings: receipt.bookings }));
    return 0;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    const message = error.code === 'not_found' ? t(preview ? 'allocation.cli_no_preview' : 'allocation.cli_no_round', { id: preview ?? roundId }) : t(`error.${error.code}` as MessageKey);
    io.err(error.code === 'wishes_still_open' ? `${message} ${t('allocation.cli_early')}` : message);
    return 1;
  } finally {
    await database.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2), { env: process.env, out: (line) => console.log(line), err: (line) => console.error(line) })
    .then((code) => process.exit(code))
    .catch((error) => {
      console.error(error);
      process.exit(1);
    });
}

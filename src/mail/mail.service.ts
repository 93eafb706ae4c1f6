import type { DateTime } from 'luxon';
import nodemailer from 'nodemailer';
import type { Db } from '../db/database.ts';
import { newId } from '../auth/secrets.ts';
import { toDbInstant } from '../time/stockholm.ts';
import * as repo from './mail.repository.ts';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
}

/** How mail leaves the building. Without SMTP_URL nothing is sent: mails stay in the outbox. */
export interface Mailer {
  readonly configured: boolean;
  send(mail: OutgoingMail): Promise<void>;
}

export function createMailer(smtpUrl: string | undefined, from: string): Mailer {
  if (!smtpUrl) {
    return {
      configured: false,
      send: () => Promise.reject(new Error('SMTP_URL is not set')),
    };
  }
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    configured: true,
    async send(mail) {
      await transport.sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text });
    },
  };
}

export const MAX_ATTEMPTS = 6;
const CLAIM_MINUTES = 5;

/**
 * Puts a mail in the outbox, inside the caller's transaction, so a mail exists exactly when
 * the change that caused it was committed. Without a configured mailer it is 'held': kept
 * and shown to the platform admin, so the demo works offline.
 */
export async function queueMail(db: Db, mailer: Mailer, mail: OutgoingMail, now: DateTime): Promise<string> {
  const id = newId();
  await repo.insertOutbox(db, {
    id,
    to_address: mail.to,
    subject: mail.subject,
    body_text: mail.text,
    status: mailer.configured ? 'pending' : 'held',
    attempts: 0,
    last_error: null,
    next_attempt_at: toDbInstant(now),
    claimed_until: null,
    created_at: toDbInstant(now),
    sent_at: null,
  });
  return id;
}

/** Backoff after the n-th failed attempt: 1, 4, 16, 64, 256 minutes. */
export function retryDelayMinutes(attempts: number): number {
  return 4 ** Math.max(0, attempts - 1);
}

export interface DeliveryReport {
  sent: number;
  failed: number;
}

/** Sends what is due. Safe to run in several processes at once: each row is claimed first. */
export async function deliverDue(db: Db, mailer: Mailer, now: DateTime, limit = 20): Promise<DeliveryReport> {
  const report: DeliveryReport = { sent: 0, failed: 0 };
  if (!mailer.configured) return report;
  const nowIso = toDbInstant(now);
  for (const row of await repo.findDue(db, nowIso, limit)) {
    if (!(await repo.claim(db, row, toDbInstant(now.plus({ minutes: CLAIM_MINUTES }))))) continue;
    const attempts = row.attempts + 1;
    try {
      await mailer.send({ to: row.to_address, subject: row.subject, text: row.body_text });
      await repo.markSent(db, row.id, nowIso, attempts);
      report.sent += 1;
    } catch (error) {
      report.failed += 1;
      await repo.markAttemptFailed(db, row.id, {
        status: attempts >= MAX_ATTEMPTS ? 'failed' : 'pending',
        attempts,
        lastError: error instanceof Error ? error.message.slice(0, 500) : String(error).slice(0, 500),
        nextAttemptAt: toDbInstant(now.plus({ minutes: retryDelayMinutes(attempts) })),
      });
    }
  }
  return report;
}

/** A platform admin sends a failed (or held) mail again. */
export function retryMail(db: Db, id: string, now: DateTime): Promise<boolean> {
  return repo.requeue(db, id, toDbInstant(now));
}

export const listOutbox = (db: Db, limit = 200) => repo.listRecent(db, limit);
export const findOutboxMail = (db: Db, id: string) => repo.findById(db, id);

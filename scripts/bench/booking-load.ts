// Load for the booking benchmark: N clients, each sending its next booking when the last
// answer is in, every booking a new (slot, pupil) pair. Successes are timed; conflicts (409)
// and failures are counted apart, so the figures are of real, successful bookings.
import http from 'node:http';
import type { DateTime } from 'luxon';
import { actorOf, bookPupils } from '../../src/bookings/booking.service.ts';
import type { Config } from '../../src/config.ts';
import type { Db } from '../../src/db/database.ts';
import { inTransaction } from '../../src/db/transaction.ts';
import { createMailer } from '../../src/mail/mail.service.ts';
import { pairOf, type BookingWorld } from './booking-world.ts';
import { summarise, type Stats } from './load.ts';

export type Outcome = 'booked' | 'conflict' | 'failed';

export interface LoadRun {
  fromK: number;
  requests: number;
  seconds: number;
  clients: number;
}

export interface BookingStats extends Stats {
  conflicts: number;
  /** k after the last booking tried: where the next run starts. */
  nextK: number;
  /** A few failure messages, to say why. */
  samples: string[];
}

/** Runs `book(k)` from `clients` loops until the count or time bound. */
export async function drive(book: (k: number) => Promise<Outcome>, run: LoadRun): Promise<BookingStats> {
  const latencies: number[] = [];
  const samples: string[] = [];
  let conflicts = 0;
  let failures = 0;
  let next = run.fromK;
  const last = run.fromK + run.requests;
  const started = performance.now();
  const deadline = started + run.seconds * 1000;
  const client = async () => {
    while (next < last && performance.now() < deadline) {
      const k = next++;
      const t0 = performance.now();
      const outcome = await book(k).catch((error: Error) => {
        if (samples.length < 3) samples.push(error.message);
        return 'failed' as const;
      });
      if (outcome === 'booked') latencies.push(performance.now() - t0);
      else if (outcome === 'conflict') conflicts++;
      else failures++;
    }
  };
  await Promise.all(Array.from({ length: run.clients }, client));
  return { ...summarise(latencies, failures, performance.now() - started), conflicts, nextK: next, samples };
}

/** POST /api/v1/bookings on 127.0.0.1 as the world's counsellor, through a keep-alive agent. */
export function httpBooker(port: number, world: BookingWorld, clients: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  const book = (k: number): Promise<Outcome> =>
    new Promise((resolve, reject) => {
      const body = Buffer.from(JSON.stringify(pairOf(world, k)));
      const headers = { authorization: `Bearer ${world.token}`, 'content-type': 'application/json', 'content-length': body.length, accept: 'application/json' };
      const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/api/v1/bookings', agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          if (res.statusCode === 201) resolve('booked');
          else if (res.statusCode === 409) resolve('conflict');
          else reject(new Error(`${res.statusCode}: ${Buffer.concat(chunks).toString('utf8').slice(0, 200)}`));
        });
      });
      req.setTimeout(30_000, () => req.destroy(new Error('timeout')));
      req.on('error', reject);
      req.end(body);
    });
  return { book, close: () => agent.destroy() };
}

/** The service in this process, as the route calls it (one transaction, retried when busy), without HTTP. */
export function serviceBooker(db: Db, config: Config, world: BookingWorld, now: DateTime) {
  const deps = { mailer: createMailer(undefined, config.mailFrom), config };
  const user = world.counsellor;
  return async (k: number): Promise<Outcome> => {
    const { slotId, pupilId } = pairOf(world, k);
    try {
      await inTransaction(db, (trx) => bookPupils(trx, deps, user, actorOf(user, 'api', '127.0.0.1'), { slotId, pupilIds: [pupilId], waitlist: false }, now));
      return 'booked';
    } catch (error) {
      if ((error as { status?: number }).status === 409) return 'conflict';
      throw error;
    }
  };
}

import { DateTime } from 'luxon';

/** Services never call DateTime.now(): the current instant is injected, so tests can fix it. */
export interface Clock {
  now(): DateTime;
}

export const systemClock: Clock = { now: () => DateTime.utc() };

/** A clock for tests: fixed until moved. */
export class FixedClock implements Clock {
  private current: DateTime;
  constructor(iso: string) {
    this.current = DateTime.fromISO(iso, { zone: 'utc' });
  }
  now(): DateTime {
    return this.current;
  }
  set(iso: string): void {
    this.current = DateTime.fromISO(iso, { zone: 'utc' });
  }
  advance(duration: { minutes?: number; hours?: number; days?: number; seconds?: number }): void {
    this.current = this.current.plus(duration);
  }
}

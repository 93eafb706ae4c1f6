import { DateTime, type WeekdayNumbers } from 'luxon';
import { localDateTime } from '../time/local-time.ts';
import { ZONE } from '../time/stockholm.ts';

/**
 * The demo's prao term: weeks 11–20 of a spring (mid-March to late May), when most schools
 * send åk 8–9 on prao. It is the first such term that has not ended yet, so the demo always
 * has slots ahead of it, and the same "now" always gives the same data.
 */
export const TERM_WEEKS = { first: 11, last: 20 } as const;

/** Public holidays inside weeks 11–20 move with Easter; the demo never offers prao on them. */
function holidays(year: number): Set<string> {
  const easter = easterSunday(year);
  return new Set([easter.minus({ days: 2 }), easter.plus({ days: 1 }), easter.plus({ days: 39 }), DateTime.fromObject({ year, month: 5, day: 1 }, { zone: ZONE })].map((d) => d.toISODate()!));
}

/** Easter Sunday (the anonymous Gregorian algorithm). */
function easterSunday(year: number): DateTime {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return DateTime.fromObject({ year, month, day }, { zone: ZONE });
}

const weekDay = (year: number, week: number, weekday: number) => DateTime.fromObject({ weekYear: year, weekNumber: week, weekday: weekday as WeekdayNumbers }, { zone: ZONE });

export function termYear(now: DateTime): number {
  const year = now.setZone(ZONE).year;
  const lastDay = weekDay(year, TERM_WEEKS.last, 5).endOf('day');
  return now < lastDay ? year : year + 1;
}

export interface TermDay {
  week: number;
  /** 1 = Monday … 5 = Friday */
  weekday: number;
}

export interface Occurrence {
  startsAt: DateTime;
  endsAt: DateTime;
}

export class Term {
  readonly year: number;
  private readonly redDays: Set<string>;

  constructor(private readonly now: DateTime) {
    this.year = termYear(now);
    this.redDays = holidays(this.year);
  }

  /** The ISO date of a term day, or null on a public holiday. */
  date(day: TermDay): string | null {
    if (day.week < TERM_WEEKS.first || day.week > TERM_WEEKS.last) throw new Error(`week ${day.week} is outside the term`);
    const date = weekDay(this.year, day.week, day.weekday).toISODate()!;
    return this.redDays.has(date) ? null : date;
  }

  /**
   * The occurrence of a slot on a term day between two local times, or null when that day is
   * a holiday or the slot has already started (the demo can be loaded in the middle of a term).
   */
  occurrence(day: TermDay, from: string, to: string): Occurrence | null {
    const date = this.date(day);
    if (!date) return null;
    const start = localDateTime(date, from);
    const end = localDateTime(date, to);
    if (!start.ok || !end.ok) throw new Error(`demo time ${date} ${from}–${to} is not a valid local time`);
    return start.instant > this.now ? { startsAt: start.instant, endsAt: end.instant } : null;
  }
}

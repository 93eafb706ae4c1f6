import { DateTime } from 'luxon';
import type { FieldProblems } from '../http/errors.ts';
import type { Locale, MessageKey } from '../i18n/index.ts';
import { localDateTime } from '../time/local-time.ts';
import { formatDate, ZONE } from '../time/stockholm.ts';
import type { Occurrence } from './slots.service.ts';

/**
 * Which days a series falls on: a list of dates, or every chosen weekday (1 = Monday … 7 =
 * Sunday, as in ISO and luxon) from a first to a last day, both included.
 */
export type SeriesDays = { kind: 'dates'; dates: string[] } | { kind: 'weekly'; from: string; to: string; weekdays: number[] };

type Failure = { ok: false; problems: FieldProblems };
export type Expansion = { ok: true; occurrences: Occurrence[] } | Failure;

/** A weekly rule may span at most this many days (a school year), so a typo cannot make thousands. */
export const MAX_RANGE_DAYS = 366;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const day = (iso: string) => DateTime.fromISO(iso, { zone: ZONE });
const isDate = (text: string) => ISO_DATE.test(text) && day(text).isValid;
const fail = (field: string, key: MessageKey, params?: Record<string, string | number>): Failure => ({ ok: false, problems: { [field]: { key, ...(params ? { params } : {}) } } });

const TIME_OF_DAY = /^([01]\d|2[0-3])[:.][0-5]\d$/;

/** Times of day ("08:00", or "08.00" as Swedes write it) that are missing or unreadable, by field. */
export function timeOfDayProblems(times: Record<string, string>): FieldProblems {
  const problems: FieldProblems = {};
  for (const [field, value] of Object.entries(times)) {
    if (!value) problems[field] = { key: 'field.required' };
    else if (!TIME_OF_DAY.test(value)) problems[field] = { key: 'slots.time_of_day_invalid' };
  }
  return problems;
}

/** "2027-03-16, 2027-03-17\n2027-03-18" → the dates, or the first word that is not one. */
export function parseDateList(text: string): { ok: true; dates: string[] } | { ok: false; word: string } {
  const words = text.split(/[\s,;]+/).filter(Boolean);
  const bad = words.find((w) => !isDate(w));
  if (bad !== undefined) return { ok: false, word: bad };
  return { ok: true, dates: [...new Set(words)].sort() };
}

/** The calendar dates of a series, sorted, each once. */
export function seriesDates(days: SeriesDays): { ok: true; dates: string[] } | Failure {
  if (days.kind === 'dates') return { ok: true, dates: [...new Set(days.dates)].sort() };
  const problems: FieldProblems = {};
  if (!isDate(days.from)) problems.fromDate = { key: days.from ? 'field.invalid' : 'field.required' };
  if (!isDate(days.to)) problems.toDate = { key: days.to ? 'field.invalid' : 'field.required' };
  if (days.weekdays.length === 0) problems.weekdays = { key: 'slots.choose_weekday' };
  if (Object.keys(problems).length > 0) return { ok: false, problems };
  const first = day(days.from);
  const last = day(days.to);
  if (last < first) return fail('toDate', 'slots.last_before_first');
  if (last.diff(first, 'days').days >= MAX_RANGE_DAYS) return fail('toDate', 'slots.range_too_long', { max: MAX_RANGE_DAYS });
  const dates: string[] = [];
  for (let d = first; d <= last; d = d.plus({ days: 1 })) {
    if (days.weekdays.includes(d.weekday)) dates.push(d.toISODate()!);
  }
  return { ok: true, dates };
}

/**
 * Each date at the same local start and end time. Every occurrence is read on its own day with
 * localDateTime, so 08.00 stays 08.00 across a DST change, and a time that does not exist
 * (2027-03-28 02.30) or occurs twice (2027-10-31 02.30) is refused with the date named.
 */
export function expandSeries(days: SeriesDays, startTime: string, endTime: string, locale: Locale): Expansion {
  const times = timeOfDayProblems({ startTime, endTime });
  if (Object.keys(times).length > 0) return { ok: false, problems: times };
  const listed = seriesDates(days);
  if (!listed.ok) return listed;
  const dates = listed.dates;
  if (dates.length === 0) return fail('dates', 'slot.no_dates');
  const occurrences: Occurrence[] = [];
  for (const date of dates) {
    const start = localDateTime(date, startTime);
    const end = localDateTime(date, endTime);
    const bad = !start.ok ? { problem: start.problem, time: startTime } : !end.ok ? { problem: end.problem, time: endTime } : null;
    if (bad) {
      return {
        ok: false,
        problems: { dates: { key: 'slot.series_date_problem', reason: `slot.time_${bad.problem}`, params: { date: `${formatDate(day(date), locale)}, ${locale === 'sv' ? bad.time.replace(':', '.') : bad.time}` } } },
      };
    }
    if (start.ok && end.ok) occurrences.push({ startsAt: start.instant, endsAt: end.instant });
  }
  return { ok: true, occurrences };
}

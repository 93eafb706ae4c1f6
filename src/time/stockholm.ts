import { DateTime } from 'luxon';
import type { Locale } from '../i18n/index.ts';

export const ZONE = 'Europe/Stockholm';

/** The one stored form of an instant: UTC ISO-8601 with milliseconds, fixed width, sortable. */
export function toDbInstant(instant: DateTime): string {
  return instant.toUTC().toISO({ suppressMilliseconds: false, includeOffset: true })!.replace('+00:00', 'Z');
}

export function fromDbInstant(value: string): DateTime {
  return DateTime.fromISO(value, { zone: 'utc' });
}

function local(instant: DateTime | string, locale: Locale): DateTime {
  const dt = typeof instant === 'string' ? fromDbInstant(instant) : instant;
  return dt.setZone(ZONE).setLocale(locale === 'sv' ? 'sv-SE' : 'en-GB');
}

const timeFormat: Record<Locale, string> = { sv: 'HH.mm', en: 'HH:mm' };

/** "tis 16 mars 2027" / "Tue 16 March 2027" */
export function formatDate(instant: DateTime | string, locale: Locale): string {
  return local(instant, locale).toFormat('ccc d LLLL yyyy');
}

/** "tis 16 mars 2027, 08.00" */
export function formatDateTime(instant: DateTime | string, locale: Locale): string {
  const dt = local(instant, locale);
  return `${dt.toFormat('ccc d LLLL yyyy')}, ${dt.toFormat(timeFormat[locale])}`;
}

/**
 * A deadline: like formatDateTime, but a deadline at local midnight is shown as 24.00 of the
 * day before ("ons 31 mars 2027, 24.00"), the last day one can still act, not the next one.
 */
export function formatDeadline(instant: DateTime | string, locale: Locale): string {
  const dt = local(instant, locale);
  if (dt.hour !== 0 || dt.minute !== 0 || dt.second !== 0 || dt.millisecond !== 0) return formatDateTime(dt, locale);
  return `${dt.minus({ days: 1 }).toFormat('ccc d LLLL yyyy')}, ${locale === 'sv' ? '24.00' : '24:00'}`;
}

const rangeCache = new Map<string, string>();

/**
 * "tis 16 mars 2027, 08.00–12.00"; a range over midnight names both days. Stored instants are
 * formatted again and again (every mail and error about a slot) and time-zone arithmetic is
 * not cheap, so those results are kept (bounded).
 */
export function formatRange(start: DateTime | string, end: DateTime | string, locale: Locale): string {
  if (typeof start !== 'string' || typeof end !== 'string') return formatRangeOf(start, end, locale);
  const key = `${locale} ${start} ${end}`;
  let text = rangeCache.get(key);
  if (text === undefined) {
    text = formatRangeOf(start, end, locale);
    if (rangeCache.size >= 10_000) rangeCache.clear();
    rangeCache.set(key, text);
  }
  return text;
}

function formatRangeOf(start: DateTime | string, end: DateTime | string, locale: Locale): string {
  const a = local(start, locale);
  const b = local(end, locale);
  if (a.hasSame(b, 'day')) {
    return `${a.toFormat('ccc d LLLL yyyy')}, ${a.toFormat(timeFormat[locale])}–${b.toFormat(timeFormat[locale])}`;
  }
  return `${formatDateTime(a, locale)} – ${formatDateTime(b, locale)}`;
}

import { DateTime } from 'luxon';
import { ZONE } from './stockholm.ts';

export type LocalTimeProblem = 'invalid' | 'nonexistent' | 'ambiguous';

export type ParsedInstant = { ok: true; instant: DateTime } | { ok: false; problem: LocalTimeProblem };

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2})[:.](\d{2})(?::(\d{2}))?$/;

/**
 * Reads a time as a person means it: "2027-03-16T08:00" (or "2027-03-16 08.00", or ISO 8601
 * with seconds "2027-03-16T08:00:00") is a local time in Europe/Stockholm; a string with an
 * offset or Z is an exact instant. A local time that does not exist (spring forward,
 * 02.00–03.00) or occurs twice (autumn back, 02.00–03.00) is refused — never silently shifted.
 */
export function parseInstant(value: string): ParsedInstant {
  const text = value.trim();
  const local = LOCAL.exec(text);
  if (local) {
    const [, y, mo, d, h, mi, sec = '00'] = local;
    const iso = `${y}-${mo}-${d}T${h}:${mi}:${sec}`;
    const dt = DateTime.fromISO(iso, { zone: ZONE });
    // Luxon reads 24:00 as the next midnight; that is a typing mistake, not a DST gap.
    if (!dt.isValid || Number(h) > 23) return { ok: false, problem: 'invalid' };
    if (dt.toFormat("yyyy-MM-dd'T'HH:mm:ss") !== iso) return { ok: false, problem: 'nonexistent' };
    if (dt.getPossibleOffsets().length > 1) return { ok: false, problem: 'ambiguous' };
    return { ok: true, instant: dt.toUTC() };
  }
  if (!/[zZ]$|[+-]\d{2}:?\d{2}$/.test(text)) return { ok: false, problem: 'invalid' };
  const dt = DateTime.fromISO(text, { setZone: true });
  return dt.isValid ? { ok: true, instant: dt.toUTC() } : { ok: false, problem: 'invalid' };
}

/**
 * Can the instant be stored? Instants are stored as UTC ISO text, which sorts as time does only
 * while every year has four digits: "+275760-09-13T00:00:00.000Z" sorts before "2027-…".
 */
export function hasStorableYear(instant: DateTime): boolean {
  const { year } = instant.toUTC();
  return year >= 1000 && year <= 9999;
}

/** A local calendar date "2027-03-16" and a time "08:00" in Stockholm, as one instant. */
export function localDateTime(date: string, time: string): ParsedInstant {
  return parseInstant(`${date}T${time.replace('.', ':')}`);
}

/** The Stockholm wall-clock parts of an instant (for rules about weekdays and hours). */
export function stockholmParts(instant: DateTime) {
  const local = instant.setZone(ZONE);
  return { weekday: local.weekday, minutesOfDay: local.hour * 60 + local.minute, date: local.toISODate()! };
}

import type { DateTime } from 'luxon';
import { stockholmParts } from '../time/local-time.ts';

/** Grade codes a slot can be open to. */
export const GRADES = ['7', '8', '9', 'gy1', 'gy2', 'gy3', 'yh'] as const;
export type Grade = (typeof GRADES)[number];
export const COMPULSORY_GRADES: readonly Grade[] = ['7', '8', '9'];

/**
 * Rules for pupils in åk 7–9 (minors at compulsory school): prao on a weekday, between 06.00
 * and 20.00, at most 7 hours. Gymnasium and YH slots are not bound by these.
 */
export const MINORS = { earliestMinutes: 6 * 60, latestMinutes: 20 * 60, maxHours: 7 } as const;

export type MinorsProblem = 'slot.minors_weekday' | 'slot.minors_hours' | 'slot.minors_too_long' | 'slot.minors_one_day';

export function minorsProblems(start: DateTime, end: DateTime, grades: readonly string[]): MinorsProblem[] {
  if (!grades.some((g) => (COMPULSORY_GRADES as readonly string[]).includes(g))) return [];
  const problems: MinorsProblem[] = [];
  const a = stockholmParts(start);
  const b = stockholmParts(end);
  if (a.date !== b.date) problems.push('slot.minors_one_day');
  if (a.weekday > 5) problems.push('slot.minors_weekday');
  if (a.minutesOfDay < MINORS.earliestMinutes || (a.date === b.date && b.minutesOfDay > MINORS.latestMinutes)) {
    problems.push('slot.minors_hours');
  }
  // Real elapsed time, so a slot across a DST change is measured as it is lived.
  if (end.diff(start, 'minutes').minutes > MINORS.maxHours * 60) problems.push('slot.minors_too_long');
  return problems;
}

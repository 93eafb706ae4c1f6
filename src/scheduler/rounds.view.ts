import { DateTime } from 'luxon';
import type { Locale, Translate } from '../i18n/index.ts';
import { formatDate, formatDeadline, formatDateTime, ZONE } from '../time/stockholm.ts';
import { roundPhase, type Round, type RoundSchool } from './round.ts';
import { freeBookingOpenedUncommitted } from './round-holds.ts';
import type { SchoolChoice, SchoolInRound } from './rounds.service.ts';
import { fromField, toField, type Values } from './rounds.form.ts';

/** What the round pages show, already worded and formatted. */

export interface Look {
  t: Translate;
  locale: Locale;
  now: DateTime;
}

export const phaseText = (round: Round, { t, now }: Look): string =>
  // The free-booking date is kept even when nobody committed: say so rather than "time to allocate".
  freeBookingOpenedUncommitted(round, now) ? t('rounds.phase_free_booking_uncommitted') : t(`rounds.phase_${roundPhase(round, now)}`);

export const windowText = (round: Round, { t, locale }: Look): string =>
  t('rounds.window', { from: formatDateTime(round.wishesOpenAt, locale), to: formatDeadline(round.wishesCloseAt, locale) });

/** A school's local dates, "mån 5 april 2027" to "fre 9 april 2027". */
export const datesText = (school: Pick<RoundSchool, 'from' | 'to'>, { t, locale }: Look): string =>
  t('rounds.dates', { from: formatDate(DateTime.fromISO(school.from, { zone: ZONE }), locale), to: formatDate(DateTime.fromISO(school.to, { zone: ZONE }), locale) });

export const gradesText = (grades: readonly string[], t: Translate): string => grades.map((g) => t(`slots.grade_${g as '8'}`)).join(', ');

export function roundListView(rounds: readonly Round[], look: Look) {
  return rounds.map((r) => ({
    id: r.id,
    name: r.name,
    phase: phaseText(r, look),
    window: windowText(r, look),
    schools: r.schools.map((s) => s.schoolName).join(', '),
  }));
}

export function roundOverviewView(round: Round, schools: readonly SchoolInRound[], look: Look) {
  const { t, locale } = look;
  const yesNo = (v: boolean) => t(v ? 'rounds.yes' : 'rounds.no');
  return {
    id: round.id,
    name: round.name,
    phase: phaseText(round, look),
    // The date is a promise to the schools, kept even when the allocation is late: say what that means.
    warning: freeBookingOpenedUncommitted(round, look.now) ? t('rounds.free_booking_opened_uncommitted', { when: formatDateTime(round.freeBookingOpensAt!, locale) }) : null,
    settings: [
      { label: t('rounds.col_window'), value: windowText(round, look) },
      { label: t('label.grades'), value: gradesText(round.grades, t) },
      { label: t('rounds.max_wishes'), value: String(round.maxWishes) },
      { label: t('rounds.planned'), value: round.allocationPlannedAt ? formatDateTime(round.allocationPlannedAt, locale) : t('rounds.not_set') },
      { label: t('rounds.free_booking'), value: round.freeBookingOpensAt ? formatDateTime(round.freeBookingOpensAt, locale) : t('rounds.free_booking_on_commit') },
      { label: t('label.placeWithoutWishes'), value: yesNo(round.placeWithoutWishes) },
      { label: t('label.schoolShareCaps'), value: yesNo(round.schoolShareCaps) },
    ],
    schools: schools.map((s) => ({
      name: s.schoolName,
      dates: datesText(s, look),
      pupils: s.pupils,
      withWishes: s.withWishes,
      withoutWishes: s.withoutWishes,
      placements: s.placements,
    })),
  };
}

/** The schools' part of the form: a checkbox and two dates per approved school. */
export function schoolFields(choices: readonly SchoolChoice[], values: Values, t: Translate) {
  const chosen = new Set([values.schools ?? []].flat().map(String));
  return choices.map((c, i) => ({
    id: c.id,
    index: i,
    name: c.name,
    checked: chosen.has(c.id),
    from: { name: fromField(c.id), label: t('rounds.school_from', { school: c.name }) },
    to: { name: toField(c.id), label: t('rounds.school_to', { school: c.name }) },
  }));
}

import type { Locale, Translate } from '../i18n/index.ts';
import { FIELD_CODES, FIELDS, GYMNASIUM_PROGRAMMES, PATH_KINDS, PROGRAMME_CODES, type PathKind, type PathStep } from './path.ts';

/** Display data for story pages and forms: labels already translated, nothing left for a template to work out. */

export interface Option {
  value: string;
  label: string;
}

export const kindLabel = (t: Translate, kind: PathKind) => t(`story.kind_${kind}`);

export const kindOptions = (t: Translate): Option[] => PATH_KINDS.map((kind) => ({ value: kind, label: kindLabel(t, kind) }));

export const programmeOptions = (locale: Locale): Option[] =>
  PROGRAMME_CODES.map((code) => ({ value: code, label: GYMNASIUM_PROGRAMMES[code][locale] })).sort((a, b) => a.label.localeCompare(b.label, locale));

export const fieldOptions = (locale: Locale): Option[] => FIELD_CODES.map((code) => ({ value: code, label: FIELDS[code][locale] }));

export const fieldLabels = (codes: readonly string[], locale: Locale): string[] =>
  codes.filter((code): code is keyof typeof FIELDS => code in FIELDS).map((code) => FIELDS[code][locale]);

/** "2012–2015", "Sedan 2019", "Till 2010", or empty when no year is given. */
export function yearsText(t: Translate, fromYear: number | null | undefined, toYear: number | null | undefined): string {
  if (fromYear != null && toYear != null) return fromYear === toYear ? String(fromYear) : t('story.years_range', { from: fromYear, to: toYear });
  if (fromYear != null) return t('story.years_since', { from: fromYear });
  if (toYear != null) return t('story.years_until', { to: toYear });
  return '';
}

export interface TimelineStep {
  kind: PathKind;
  kindLabel: string;
  title: string;
  place: string;
  programme: string;
  years: string;
}

export function timeline(t: Translate, locale: Locale, steps: readonly PathStep[]): TimelineStep[] {
  return steps.map((step) => ({
    kind: step.kind,
    kindLabel: kindLabel(t, step.kind),
    title: step.title,
    place: step.place ?? '',
    programme: step.programme ? GYMNASIUM_PROGRAMMES[step.programme][locale] : '',
    years: yearsText(t, step.fromYear, step.toYear),
  }));
}

/** "Sara Lind" → "SL", "Ali" → "A": shown in place of a portrait. */
export function initials(name: string): string {
  return name
    .trim()
    .split(/\s+/)
    .slice(0, 2)
    .map((part) => [...part][0] ?? '')
    .join('')
    .toLocaleUpperCase('sv');
}

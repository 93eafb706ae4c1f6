import type { Response } from 'express';
import type { Db } from '../db/database.ts';
import type { SessionUser } from '../http/context.ts';
import { AppError, invalidFields, type FieldProblem, type FieldProblems } from '../http/errors.ts';
import { handleForm } from '../http/forms.ts';
import { fieldProblems } from '../http/validation.ts';
import type { Locale, Translate } from '../i18n/index.ts';
import { companyProfile } from '../organisations/organisations.service.ts';
import { hasConsent, listCompanyStories } from '../stories/stories.service.ts';
import { localDateTime } from '../time/local-time.ts';
import { DateTime } from 'luxon';
import { fromDbInstant, ZONE } from '../time/stockholm.ts';
import { GRADES } from './minors.ts';
import { expandSeries, parseDateList, timeOfDayProblems, type SeriesDays } from './series.ts';
import { FORMATS, slotFieldsSchema, type SlotFields } from './slots.schemas.ts';
import type { Occurrence, Slot } from './slots.service.ts';

/** How the slot and series forms read the posted body and show it again. */

type Body = Record<string, unknown>;

/** Checkboxes arrive as nothing, one string or an array (urlencoded, extended: false). */
export function asList(value: unknown): string[] {
  if (value === undefined || value === null || value === '') return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');
const blankToUndefined = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

/** The content of a slot (everything but its time); problems are added to `problems`. */
function readContent(body: Body, problems: FieldProblems): SlotFields | null {
  const result = slotFieldsSchema.safeParse(
    {
      storyIds: asList(body.storyIds),
      siteId: blankToUndefined(body.siteId),
      format: blankToUndefined(body.format),
      capacity: blankToUndefined(body.capacity),
      minGroup: blankToUndefined(body.minGroup),
      grades: asList(body.grades),
      activities: body.activities,
      bring: body.bring,
      provided: body.provided,
      accessibility: body.accessibility,
      supervisorName: body.supervisorName,
      supervisorPhone: body.supervisorPhone,
      status: body.action === 'draft' ? 'draft' : 'published',
    },
    { reportInput: true },
  );
  if (result.success) return result.data;
  Object.assign(problems, fieldProblems(result.error));
  // A number left empty is missing, not "in the wrong format" (coercion turns it into NaN).
  if (problems.capacity && blankToUndefined(body.capacity) === undefined) problems.capacity = { key: 'field.required' };
  return null;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function readOccurrence(body: Body, problems: FieldProblems): Occurrence | null {
  const date = text(body.date);
  const startTime = text(body.startTime);
  const endTime = text(body.endTime);
  const own: FieldProblems = timeOfDayProblems({ startTime, endTime });
  if (!date) own.date = { key: 'field.required' };
  else if (!ISO_DATE.test(date)) own.date = { key: 'field.invalid' };
  if (Object.keys(own).length === 0) {
    const start = localDateTime(date, startTime);
    const end = localDateTime(date, endTime);
    if (!start.ok) own[start.problem === 'invalid' ? 'date' : 'startTime'] = { key: `slot.time_${start.problem}` };
    if (!end.ok) own[end.problem === 'invalid' ? 'date' : 'endTime'] ??= { key: `slot.time_${end.problem}` };
    if (start.ok && end.ok) return { startsAt: start.instant, endsAt: end.instant };
  }
  Object.assign(problems, own);
  return null;
}

/**
 * The optional booking window as dates: booking opens at the start of the first day and
 * closes at the end of the last one (Stockholm time).
 */
function readBookingWindow(body: Body, problems: FieldProblems): Pick<Occurrence, 'bookingOpensAt' | 'bookingClosesAt'> {
  const day = (name: 'bookingOpens' | 'bookingCloses', plusDays: number) => {
    const date = text(body[name]);
    if (!date) return null;
    const parsed = ISO_DATE.test(date) ? localDateTime(DateTime.fromISO(date).plus({ days: plusDays }).toISODate() ?? '', '00:00') : null;
    if (parsed?.ok) return parsed.instant;
    problems[name] = { key: 'field.invalid' };
    return null;
  };
  return { bookingOpensAt: day('bookingOpens', 0), bookingClosesAt: day('bookingCloses', 1) };
}

/** A single slot's form: its content and its time, with every problem at once. */
export function readSlotForm(body: Body): { fields: SlotFields; occurrence: Occurrence } {
  const problems: FieldProblems = {};
  const fields = readContent(body, problems);
  const occurrence = readOccurrence(body, problems);
  const window = readBookingWindow(body, problems);
  if (!fields || !occurrence || Object.keys(problems).length > 0) throw invalidFields(problems);
  return { fields, occurrence: { ...occurrence, ...window } };
}

/** The content part of a series form (editing a series changes content only). */
export function readContentForm(body: Body): SlotFields {
  const problems: FieldProblems = {};
  const fields = readContent(body, problems);
  if (!fields) throw invalidFields(problems);
  return fields;
}

/** A new series' form: its content, which days (a list, or a weekly rule) at which times. */
export function readSeriesForm(body: Body, locale: Locale): { fields: SlotFields; occurrences: Occurrence[] } {
  const problems: FieldProblems = {};
  const fields = readContent(body, problems);
  const days = readSeriesDays(body, problems);
  const expansion = days ? expandSeries(days, text(body.startTime), text(body.endTime), locale) : null;
  if (expansion && !expansion.ok) Object.assign(problems, expansion.problems);
  if (!days) Object.assign(problems, timeOfDayProblems({ startTime: text(body.startTime), endTime: text(body.endTime) }));
  if (!fields || !expansion?.ok || Object.keys(problems).length > 0) throw invalidFields(problems);
  return { fields, occurrences: expansion.occurrences };
}

/** Either a list of dates or a first and last day with weekdays; not both. */
function readSeriesDays(body: Body, problems: FieldProblems): SeriesDays | null {
  const listText = text(body.dates);
  const fromDate = text(body.fromDate);
  const toDate = text(body.toDate);
  const weekdays = asList(body.weekdays).map(Number).filter((n) => Number.isInteger(n) && n >= 1 && n <= 7);
  if (listText && (fromDate || toDate)) {
    problems.dates = { key: 'slots.dates_or_range' };
    return null;
  }
  if (listText) {
    const list = parseDateList(listText);
    if (list.ok) return { kind: 'dates', dates: list.dates };
    problems.dates = { key: 'slots.date_unreadable', params: { word: list.word.slice(0, 40) } };
    return null;
  }
  if (fromDate || toDate) return { kind: 'weekly', from: fromDate, to: toDate, weekdays };
  problems.dates = { key: 'slot.no_dates' };
  return null;
}

/**
 * The services name time problems startsAt/endsAt; the form has a date and two times. The
 * weekday rule and "already passed" are about the day; the rest about the time they name.
 */
function toFormFields(fields: FieldProblems): FieldProblems {
  const out: FieldProblems = {};
  for (const [name, problem] of Object.entries(fields)) {
    let target = name;
    if (name === 'startsAt') target = problem.key === 'slot.minors_weekday' || problem.key === 'slot.in_past' ? 'date' : 'startTime';
    if (name === 'endsAt') target = problem.key === 'slot.minors_one_day' ? 'date' : 'endTime';
    if (name === 'bookingOpensAt') target = 'bookingOpens';
    if (name === 'bookingClosesAt') target = 'bookingCloses';
    out[target] ??= problem;
  }
  return out;
}

/** Conflicts a person can fix in the form are shown at the field they are about (still 409). */
const CONFLICT_FIELD: Partial<Record<string, string>> = { host_overlap: 'storyIds', slot_has_bookings: 'date' };

/** Runs a form action, turning the services' problems into problems at the form's own fields. */
export async function withFormFields(action: () => Promise<void>): Promise<void> {
  try {
    await action();
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    if (error.fields) throw new AppError(error.code, { ...error.options, fields: toFormFields(error.fields) });
    const field = CONFLICT_FIELD[error.code];
    if (!field) throw error;
    const problem: FieldProblem = { key: `error.${error.code as 'host_overlap'}`, ...(error.options.params ? { params: error.options.params } : {}) };
    throw new AppError(error.code, { ...error.options, fields: { [field]: problem } });
  }
}

/** handleForm for slot forms: conflicts (host clash, booked slot) are shown at their field too. */
export function handleSlotForm(
  res: Response,
  action: () => Promise<void>,
  showAgain: (values: Record<string, unknown>, fields: FieldProblems) => Promise<void>,
): Promise<void> {
  return handleForm(res, () => withFormFields(action), showAgain);
}

export interface Choice {
  value: string;
  label: string;
  note?: string;
}

/** What the company can choose from: its stories as hosts (with warnings) and its sites. */
export async function formChoices(db: Db, actor: SessionUser, t: Translate) {
  const [stories, profile] = await Promise.all([listCompanyStories(db, actor.companyId!), companyProfile(db, actor, actor.companyId!)]);
  const hosts: Choice[] = stories.map((s) => {
    const notes = [!s.published ? t('slots.host_unpublished') : null, !hasConsent(s) ? t('slots.host_no_consent') : null].filter(Boolean);
    return { value: s.id, label: `${s.name}, ${s.title}`, ...(notes.length > 0 ? { note: notes.join(', ') } : {}) };
  });
  return {
    hosts,
    sites: profile.sites.map((s) => ({ value: s.id, label: [s.name, s.municipality].join(', ') })),
    formats: FORMATS.map((f) => ({ value: f, label: t(`slots.format_${f}`) })),
    grades: GRADES.map((g) => ({ value: g, label: t(`slots.grade_${g}`) })),
    weekdays: [1, 2, 3, 4, 5, 6, 7].map((d) => ({ value: String(d), label: t(`slots.weekday_${d as 1}`) })),
  };
}

/** A slot as the form's values (Stockholm date and times). */
export function slotFormValues(slot: Slot): Record<string, unknown> {
  const start = fromDbInstant(slot.startsAt).setZone(ZONE);
  const end = fromDbInstant(slot.endsAt).setZone(ZONE);
  return {
    ...contentFormValues(slot),
    date: start.toISODate(),
    startTime: start.toFormat('HH:mm'),
    endTime: end.toFormat('HH:mm'),
    bookingOpens: slot.bookingOpensAt ? fromDbInstant(slot.bookingOpensAt).setZone(ZONE).toISODate() : '',
    // Stored as the instant booking closes (the next midnight); shown as the last day one can book.
    bookingCloses: slot.bookingClosesAt ? fromDbInstant(slot.bookingClosesAt).minus({ milliseconds: 1 }).setZone(ZONE).toISODate() : '',
  };
}

export function contentFormValues(slot: Slot): Record<string, unknown> {
  return {
    storyIds: slot.hosts.map((h) => h.storyId),
    siteId: slot.site.id,
    format: slot.format,
    capacity: String(slot.capacity),
    minGroup: slot.minGroup === null ? '' : String(slot.minGroup),
    grades: slot.grades,
    activities: slot.activities ?? '',
    bring: slot.bring ?? '',
    provided: slot.provided ?? '',
    accessibility: slot.accessibility ?? '',
    supervisorName: slot.supervisorName ?? '',
    supervisorPhone: slot.supervisorPhone ?? '',
  };
}

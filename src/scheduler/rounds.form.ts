import type { DateTime } from 'luxon';
import { invalidFields, type FieldProblems } from '../http/errors.ts';
import { controlCharProblems } from '../http/validation.ts';
import { GRADES, type Grade } from '../slots/minors.ts';
import { asList } from '../slots/slots.form.ts';
import { hasStorableYear, parseInstant } from '../time/local-time.ts';
import { fromDbInstant, ZONE } from '../time/stockholm.ts';
import { DEFAULT_MAX_WISHES, MAX_WISHES_LIMIT, type Round } from './round.ts';
import type { SchoolChoice } from './rounds.service.ts';
import { DEFAULT_GRADES, type RoundInput, type RoundSchoolInput } from './rounds.schemas.ts';

/**
 * How the round form is read and shown again. Each school's dates are their own fields,
 * `from_<schoolId>` and `to_<schoolId>`, next to the school's checkbox; everything else has
 * the API's field name.
 */

type Body = Record<string, unknown>;
export type Values = Record<string, unknown>;

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A stored instant as a datetime-local value (Stockholm time, to the minute). */
const localInput = (iso: string | null): string => (iso ? fromDbInstant(iso).setZone(ZONE).toFormat("yyyy-MM-dd'T'HH:mm") : '');

export const fromField = (schoolId: string): string => `from_${schoolId}`;
export const toField = (schoolId: string): string => `to_${schoolId}`;

/**
 * A datetime-local value ("2027-03-01T08:00", Stockholm time); null when left empty. A value
 * shown unchanged from the stored one (`current`) reads back as that very instant: the form
 * shows minutes only, so seconds (a window closed "now" at a commit, a round made through the
 * API) and the hour the clocks go back (shown without its offset) must not read as a change.
 */
function readInstant(body: Body, name: string, required: boolean, problems: FieldProblems, current: string | null = null): DateTime | null {
  const value = text(body[name]);
  if (!value) {
    if (required) problems[name] = { key: 'field.required' };
    return null;
  }
  if (current !== null && value === localInput(current)) return fromDbInstant(current);
  const parsed = parseInstant(value);
  if (!parsed.ok) {
    problems[name] = { key: `slot.time_${parsed.problem}` };
    return null;
  }
  // As instantSchema: a year that would not sort as stored text.
  if (!hasStorableYear(parsed.instant)) {
    problems[name] = { key: 'field.year_range' };
    return null;
  }
  return parsed.instant;
}

function readSchools(body: Body, choices: readonly SchoolChoice[], problems: FieldProblems): RoundSchoolInput[] {
  const chosen = new Set(asList(body.schools));
  if (chosen.size === 0) problems.schools = { key: 'rounds.choose_school' };
  else if ([...chosen].some((id) => !choices.some((c) => c.id === id))) problems.schools = { key: 'field.choose' };
  const schools: RoundSchoolInput[] = [];
  for (const school of choices.filter((c) => chosen.has(c.id))) {
    const from = text(body[fromField(school.id)]);
    const to = text(body[toField(school.id)]);
    for (const [name, value] of [[fromField(school.id), from], [toField(school.id), to]] as const) {
      if (!value) problems[name] = { key: 'rounds.school_date_missing', params: { school: school.name } };
      else if (!ISO_DATE.test(value)) problems[name] = { key: 'rounds.school_date_invalid', params: { school: school.name } };
    }
    schools.push({ schoolId: school.id, from, to });
  }
  return schools;
}

function readMaxWishes(body: Body, problems: FieldProblems): number {
  const value = text(body.maxWishes);
  const n = Number(value);
  if (!value) problems.maxWishes = { key: 'field.required' };
  else if (!/^\d{1,3}$/.test(value) || n < 1 || n > MAX_WISHES_LIMIT) problems.maxWishes = { key: 'rounds.max_wishes_range' };
  return n;
}

function readGrades(body: Body, problems: FieldProblems): Grade[] {
  const grades = [...new Set(asList(body.grades))];
  if (grades.length === 0) problems.grades = { key: 'rounds.choose_grade' };
  else if (!grades.every((g) => (GRADES as readonly string[]).includes(g))) problems.grades = { key: 'field.choose' };
  return grades as Grade[];
}

/** The posted form as the service's input, or every problem with it at once (422); `current`: the round being edited. */
export function readRoundForm(body: Body, choices: readonly SchoolChoice[], current?: Round): RoundInput {
  // A control character anywhere is named first (PostgreSQL cannot store a NUL; SQLite's length() stops at one).
  const problems: FieldProblems = controlCharProblems(body);
  const name = text(body.name);
  if (body.name !== undefined && typeof body.name !== 'string') problems.name ??= { key: 'field.invalid' };
  else if (!name) problems.name ??= { key: 'field.required' };
  else if (name.length > 120) problems.name = { key: 'field.too_long', params: { max: 120 } };
  const input = {
    name,
    schools: readSchools(body, choices, problems),
    wishesOpenAt: readInstant(body, 'wishesOpen', true, problems, current?.wishesOpenAt),
    wishesCloseAt: readInstant(body, 'wishesClose', true, problems, current?.wishesCloseAt),
    maxWishes: readMaxWishes(body, problems),
    grades: readGrades(body, problems),
    allocationPlannedAt: readInstant(body, 'allocationPlanned', false, problems, current?.allocationPlannedAt),
    freeBookingOpensAt: readInstant(body, 'freeBookingOpens', false, problems, current?.freeBookingOpensAt),
    placeWithoutWishes: body.placeWithoutWishes !== undefined,
    schoolShareCaps: body.schoolShareCaps !== undefined,
  };
  if (Object.keys(problems).length > 0 || !input.wishesOpenAt || !input.wishesCloseAt) throw invalidFields(problems);
  return { ...input, wishesOpenAt: input.wishesOpenAt, wishesCloseAt: input.wishesCloseAt };
}

/** The service names a school's dates by its place in the list (`schools.0.from`); the form by the school. */
export function toFormFields(problems: FieldProblems, schools: readonly RoundSchoolInput[]): FieldProblems {
  const out: FieldProblems = {};
  for (const [name, problem] of Object.entries(problems)) {
    const match = /^schools\.(\d+)\.(from|to|schoolId)$/.exec(name);
    const school = match ? schools[Number(match[1])] : undefined;
    let target = name;
    if (match && school) target = match[2] === 'from' ? fromField(school.schoolId) : match[2] === 'to' ? toField(school.schoolId) : 'schools';
    out[target] ??= problem;
  }
  return out;
}


/** A new round's form: five wishes, years 8 and 9. */
export const newRoundValues = (): Values => ({ maxWishes: String(DEFAULT_MAX_WISHES), grades: [...DEFAULT_GRADES], schools: [] });

/** A round as the form's values. */
export function roundFormValues(round: Round): Values {
  const values: Values = {
    name: round.name,
    schools: round.schools.map((s) => s.schoolId),
    wishesOpen: localInput(round.wishesOpenAt),
    wishesClose: localInput(round.wishesCloseAt),
    maxWishes: String(round.maxWishes),
    grades: round.grades,
    allocationPlanned: localInput(round.allocationPlannedAt),
    freeBookingOpens: localInput(round.freeBookingOpensAt),
    ...(round.placeWithoutWishes ? { placeWithoutWishes: 'on' } : {}),
    ...(round.schoolShareCaps ? { schoolShareCaps: 'on' } : {}),
  };
  for (const s of round.schools) {
    values[fromField(s.schoolId)] = s.from;
    values[toField(s.schoolId)] = s.to;
  }
  return values;
}

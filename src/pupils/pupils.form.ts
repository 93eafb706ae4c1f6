import type { Translate } from '../i18n/index.ts';
import { parseInput } from '../http/validation.ts';
import { GENDERS, GRADES, gradeFromClassName, pupilFieldsSchema, type PupilFields } from './pupils.schemas.ts';
import type { Pupil } from './pupils.service.ts';

/** How the pupil form reads the posted body and shows a pupil again. */

type Body = Record<string, unknown>;

const blank = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);
const CHECKED = new Set(['1', 'on', 'true', 'yes']);

/** The form's fields; a grade left empty is taken from the class (8B → åk 8) when it can be. */
export function readPupilForm(body: Body): PupilFields {
  const className = typeof body.className === 'string' ? body.className : '';
  return parseInput(pupilFieldsSchema, {
    givenName: body.givenName,
    familyName: body.familyName,
    className: body.className,
    grade: blank(body.grade) ?? gradeFromClassName(className) ?? undefined,
    birthYear: blank(body.birthYear),
    gender: blank(body.gender),
    protectedIdentity: typeof body.protectedIdentity === 'string' && CHECKED.has(body.protectedIdentity),
  });
}

export function pupilFormValues(pupil: Pupil): Record<string, unknown> {
  return {
    givenName: pupil.givenName,
    familyName: pupil.familyName,
    className: pupil.className,
    grade: pupil.grade,
    birthYear: pupil.birthYear === null ? '' : String(pupil.birthYear),
    gender: pupil.gender ?? '',
    protectedIdentity: pupil.protectedIdentity ? '1' : '',
  };
}

export const gradeLabel = (t: Translate, grade: string): string => t(`slots.grade_${grade as (typeof GRADES)[number]}`);
export const genderLabel = (t: Translate, gender: string): string => t(`pupils.gender_${gender as (typeof GENDERS)[number]}`);

/**
 * The form's choices: grades (empty = from the class) and genders (empty = not given), and
 * what a company would see of a pupil with a protected identity.
 */
export function pupilFormChoices(t: Translate, example: { className: string; school: string; code: string }) {
  return {
    protectedHint: t('pupils.protected_hint', { example: t('pupils.protected_label', example) }),
    grades: [{ value: '', label: t('pupils.grade_from_class') }, ...GRADES.map((g) => ({ value: g, label: gradeLabel(t, g) }))],
    genders: [{ value: '', label: t('pupils.gender_none') }, ...GENDERS.map((g) => ({ value: g, label: genderLabel(t, g) }))],
  };
}

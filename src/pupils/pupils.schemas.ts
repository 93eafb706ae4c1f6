import { z } from 'zod';
import { plainString, text } from '../http/fields.ts';
import { GRADES, type Grade } from '../slots/minors.ts';

export { GRADES, type Grade };
export const GENDERS = ['girl', 'boy', 'non_binary', 'undisclosed'] as const;
export type Gender = (typeof GENDERS)[number];

export const BIRTH_YEAR = { min: 1990, max: 2030 } as const;
export const CLASS_NAME_MAX = 10;

/** "8 b" and " 8b " are the class 8B: no spaces, letters upper-cased. */
export function normaliseClassName(value: string): string {
  return value.replace(/\s+/g, '').toLocaleUpperCase('sv-SE');
}

/** A class that starts with 7, 8 or 9 tells the grade (8B → '8'); others (TE1A, NA22) do not. */
export function gradeFromClassName(className: string): Grade | null {
  const digit = /^[789](?!\d)/.exec(normaliseClassName(className))?.[0];
  return (digit as Grade | undefined) ?? null;
}

const classNameSchema = z
  .string()
  .transform(normaliseClassName)
  .pipe(
    z
      .string()
      .min(1)
      .max(CLASS_NAME_MAX)
      .regex(/^[\p{L}\p{N}.-]+$/u, { message: 'pupils.class_format' }),
  );

const birthYearSchema = z.coerce
  .number({ message: 'pupils.birth_year_range' })
  .int({ message: 'pupils.birth_year_range' })
  .min(BIRTH_YEAR.min, { message: 'pupils.birth_year_range' })
  .max(BIRTH_YEAR.max, { message: 'pupils.birth_year_range' });

/** A pupil as the counsellor writes it: the form, the CSV import (row by row) and the API. */
export const pupilFieldsSchema = z.object({
  givenName: text(60),
  familyName: text(60),
  className: classNameSchema,
  grade: z.enum(GRADES, { message: 'field.choose' }),
  birthYear: birthYearSchema.nullish().transform((v) => v ?? null),
  gender: z.enum(GENDERS, { message: 'field.choose' }).nullish().transform((v) => v ?? null),
  protectedIdentity: z.boolean({ message: 'field.invalid' }).default(false),
});
export type PupilFields = z.output<typeof pupilFieldsSchema>;

/** Filters in a query string; a bad value is ignored rather than failing the page. */
export const classQuerySchema = z.object({
  class: plainString().max(40).transform(normaliseClassName).optional().catch(undefined),
});

/** End-of-term removal: which classes (or all), and why (shown on cancelled bookings). */
export const removalQuerySchema = z.object({
  classes: z
    .union([plainString(), z.array(plainString())])
    .optional()
    .transform((v) => [...new Set([v ?? []].flat().map(normaliseClassName).filter(Boolean))].slice(0, 200))
    .catch([]),
  all: z.enum(['1', 'on', 'true']).optional().catch(undefined),
});

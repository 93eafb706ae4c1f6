import { z } from 'zod';
import { optionalText, plainString, text } from '../http/fields.ts';
import { FIELD_CODES, PATH_KINDS, PROGRAMME_CODES } from './path.ts';

const year = z.coerce.number().int().min(1940).max(2100);

export const pathStepSchema = z.object({
  kind: z.enum(PATH_KINDS, { message: 'field.choose' }),
  title: text(160),
  place: optionalText(160),
  programme: z.enum(PROGRAMME_CODES, { message: 'field.choose' }).nullish().transform((v) => v ?? null),
  fromYear: year.nullish().transform((v) => v ?? null),
  toYear: year.nullish().transform((v) => v ?? null),
});

/** A role story as the company coordinator writes it (UI form and POST /api/v1/stories). */
export const storyInputSchema = z.object({
  name: text(80),
  title: text(120),
  pronoun: optionalText(30),
  path: z.array(pathStepSchema).min(1).max(20),
  interest: optionalText(3000),
  dayAtWork: text(3000),
  society: optionalText(3000),
  wishAt14: optionalText(3000),
  fields: z
    .array(z.enum(FIELD_CODES, { message: 'field.choose' }))
    .max(FIELD_CODES.length * 2)
    .default([])
    .transform((fields) => [...new Set(fields)]),
  published: z.boolean().default(false),
  /** The coordinator confirms the professional agreed (UI checkbox). Publishing via the API implies it. */
  consent: z.boolean().default(false),
});
export type StoryInput = z.output<typeof storyInputSchema>;

export const consentSchema = z.object({ person: text(120) });

export const libraryFilterSchema = z.object({
  field: z.enum(FIELD_CODES).optional().catch(undefined),
  programme: z.enum(PROGRAMME_CODES).optional().catch(undefined),
  municipality: plainString().trim().max(80).optional().catch(undefined),
});
export type LibraryFilter = z.output<typeof libraryFilterSchema>;

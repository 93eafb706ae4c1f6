import { z } from 'zod';
import { idString, optionalText, plainString } from '../http/fields.ts';
import { hasStorableYear, parseInstant } from '../time/local-time.ts';
import { GRADES } from './minors.ts';

export const FORMATS = ['shadow_day', 'half_day', 'group_morning', 'digital'] as const;



/** An instant: ISO 8601 with an offset, or a local time read in Europe/Stockholm (never shifted). */
export const instantSchema = plainString().transform((value, ctx) => {
  const parsed = parseInstant(value);
  if (!parsed.ok) {
    ctx.addIssue({ code: 'custom', message: `slot.time_${parsed.problem}` });
    return z.NEVER;
  }
  // Years outside 1000–9999 would sort wrongly as stored text (a round or a hold would read as long past).
  if (!hasStorableYear(parsed.instant)) {
    ctx.addIssue({ code: 'custom', message: 'field.year_range' });
    return z.NEVER;
  }
  return parsed.instant;
});

/** What a slot is, apart from its time (shared by single slots and series). */
export const slotFieldsSchema = z.object({
  storyIds: z.array(idString()).min(1, { message: 'slots.choose_host' }).max(10),
  siteId: idString().nullish().transform((v) => v ?? null),
  format: z.enum(FORMATS, { message: 'field.choose' }).default('shadow_day'),
  capacity: z.coerce.number({ message: 'slots.capacity_range' }).int({ message: 'slots.capacity_range' }).min(1, { message: 'slots.capacity_range' }).max(500, { message: 'slots.capacity_range' }),
  minGroup: z.coerce.number({ message: 'slots.min_group_range' }).int({ message: 'slots.min_group_range' }).min(1, { message: 'slots.min_group_range' }).max(500, { message: 'slots.min_group_range' }).nullish().transform((v) => v ?? null),
  grades: z
    .array(z.enum(GRADES, { message: 'field.choose' }))
    .min(1, { message: 'slots.choose_grade' })
    .max(GRADES.length * 2)
    .transform((grades) => [...new Set(grades)]),
  activities: optionalText(3000),
  bring: optionalText(1000),
  provided: optionalText(1000),
  accessibility: optionalText(1000),
  supervisorName: optionalText(120),
  supervisorPhone: optionalText(40),
  status: z.enum(['draft', 'published'], { message: 'field.choose' }).default('published'),
});
export type SlotFields = z.output<typeof slotFieldsSchema>;

export const slotInputSchema = slotFieldsSchema.extend({
  startsAt: instantSchema,
  endsAt: instantSchema,
  bookingOpensAt: instantSchema.nullish().transform((v) => v ?? null),
  bookingClosesAt: instantSchema.nullish().transform((v) => v ?? null),
});
export type SlotInput = z.output<typeof slotInputSchema>;

export const cancelSchema = z.object({ reason: optionalText(500) });

/** Catalogue filters (query string); a bad value is ignored rather than failing the page. */
export const catalogueQuerySchema = z.object({
  from: z.iso.date().optional().catch(undefined),
  to: z.iso.date().optional().catch(undefined),
  field: plainString().max(40).optional().catch(undefined),
  municipality: plainString().trim().max(80).optional().catch(undefined),
  format: z.enum(FORMATS).optional().catch(undefined),
  grade: z.enum(GRADES).optional().catch(undefined),
  free: z.enum(['1', 'true', 'on']).optional().catch(undefined),
  q: plainString().trim().max(100).optional().catch(undefined),
  networkId: plainString().max(64).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).default(1).catch(1),
});
export type CatalogueQuery = z.output<typeof catalogueQuerySchema>;

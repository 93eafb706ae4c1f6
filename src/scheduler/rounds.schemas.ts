import { DateTime } from 'luxon';
import { z } from 'zod';
import type { FieldProblems } from '../http/errors.ts';
import { text } from '../http/fields.ts';
import { GRADES, type Grade } from '../slots/minors.ts';
import { instantSchema } from '../slots/slots.schemas.ts';
import { ZONE } from '../time/stockholm.ts';
import { DEFAULT_MAX_WISHES, MAX_WISHES_LIMIT } from './round.ts';

/**
 * A round's settings as the service takes them, whether from the form or the API. Prao is
 * done in years 8 and 9 in most Swedish schools, so a new round takes both unless told otherwise.
 */
export const DEFAULT_GRADES: readonly Grade[] = ['8', '9'];
/** A school's prao dates may span at most eight weeks: longer is a typing mistake, not a prao. */
export const MAX_PRAO_WEEKS = 8;

export interface RoundSchoolInput {
  schoolId: string;
  /** Local dates (yyyy-MM-dd), both included. */
  from: string;
  to: string;
}

export interface RoundInput {
  name: string;
  schools: RoundSchoolInput[];
  wishesOpenAt: DateTime;
  wishesCloseAt: DateTime;
  maxWishes: number;
  grades: Grade[];
  allocationPlannedAt: DateTime | null;
  freeBookingOpensAt: DateTime | null;
  placeWithoutWishes: boolean;
  schoolShareCaps: boolean;
}

/**
 * Field names, the same in the API and (but for each school's dates) the form. A problem in a
 * school's dates is named by its place in the list: `schools.0.from`.
 */
export type RoundField = 'name' | 'schools' | 'wishesOpen' | 'wishesClose' | 'maxWishes' | 'grades' | 'allocationPlanned' | 'freeBookingOpens' | 'placeWithoutWishes' | 'schoolShareCaps';

const localDate = (value: string): DateTime => DateTime.fromISO(value, { zone: ZONE });

/** Problems between fields (each field alone is already well-formed); `nameOf` names a school in messages. */
export function roundProblems(input: RoundInput, nameOf: (schoolId: string) => string): FieldProblems {
  const problems: FieldProblems = {};
  if (input.schools.length === 0) problems.schools = { key: 'rounds.choose_school' };
  if (input.wishesCloseAt <= input.wishesOpenAt) problems.wishesClose = { key: 'rounds.close_after_open' };
  if (input.allocationPlannedAt && input.allocationPlannedAt < input.wishesCloseAt) problems.allocationPlanned = { key: 'rounds.planned_after_close' };
  if (input.freeBookingOpensAt && input.freeBookingOpensAt <= input.wishesCloseAt) problems.freeBookingOpens = { key: 'rounds.free_after_close' };
  else if (input.freeBookingOpensAt && input.allocationPlannedAt && input.freeBookingOpensAt < input.allocationPlannedAt) problems.freeBookingOpens = { key: 'rounds.free_after_planned' };
  const seen = new Set<string>();
  input.schools.forEach((s, i) => {
    const school = nameOf(s.schoolId);
    if (seen.has(s.schoolId)) problems[`schools.${i}.schoolId`] = { key: 'rounds.school_twice', params: { school } };
    seen.add(s.schoolId);
    const from = localDate(s.from);
    const to = localDate(s.to);
    if (!from.isValid) problems[`schools.${i}.from`] = { key: 'rounds.school_date_invalid', params: { school } };
    if (!to.isValid) problems[`schools.${i}.to`] = { key: 'rounds.school_date_invalid', params: { school } };
    if (!from.isValid || !to.isValid) return;
    if (to < from) problems[`schools.${i}.to`] = { key: 'rounds.school_dates_order', params: { school } };
    else if (to.diff(from, 'days').days >= MAX_PRAO_WEEKS * 7) problems[`schools.${i}.to`] = { key: 'rounds.school_dates_too_long', params: { school, weeks: MAX_PRAO_WEEKS } };
    if (from < input.wishesCloseAt) problems[`schools.${i}.from`] = { key: 'rounds.school_before_close', params: { school } };
  });
  return problems;
}

// ---- the JSON API ----

const localDateSchema = z.iso.date({ message: 'rounds.date_format' }).meta({ description: 'A local date (Europe/Stockholm), yyyy-MM-dd.' });
const instant = (description: string) => instantSchema.meta({ description: `${description} ISO 8601 with an offset, e.g. 2027-03-01T08:00:00+01:00 (a time without an offset is read as Stockholm time).` });

export const roundRequestSchema = z
  .object({
    name: text(120),
    networkId: z.string().trim().min(1).max(64),
    schools: z
      .array(z.object({ schoolId: z.string().trim().min(1).max(64), from: localDateSchema, to: localDateSchema }).strict())
      .max(200)
      .meta({ description: "The participating schools (approved members of the network), each with its own prao dates, both included." }),
    wishesOpen: instant('When pupils may start to enter wishes.'),
    wishesClose: instant('When the wish window closes (after wishesOpen).'),
    maxWishes: z.number({ message: 'rounds.max_wishes_range' }).int({ message: 'rounds.max_wishes_range' }).min(1, { message: 'rounds.max_wishes_range' }).max(MAX_WISHES_LIMIT, { message: 'rounds.max_wishes_range' }).default(DEFAULT_MAX_WISHES),
    grades: z
      .array(z.enum(GRADES, { message: 'field.choose' }))
      .min(1, { message: 'rounds.choose_grade' })
      .max(GRADES.length)
      .transform((g) => [...new Set(g)])
      .default([...DEFAULT_GRADES])
      .meta({ description: 'The grades that take part; default ["8", "9"].' }),
    allocationPlanned: instant('When the coordinator plans to run the allocation (shown to schools).').nullish().transform((v) => v ?? null),
    freeBookingOpens: instant('When free booking of what is left opens (after wishesClose); without it, when the allocation is committed.').nullish().transform((v) => v ?? null),
    placeWithoutWishes: z.boolean().default(false).meta({ description: 'Place pupils without wishes in free seats that fit them.' }),
    schoolShareCaps: z.boolean().default(false).meta({ description: "Cap each school's share of an over-subscribed placement in proportion to its pupils among those who wish it (rounded up)." }),
  })
  .strict();
export type RoundRequest = z.output<typeof roundRequestSchema>;

export function roundInputOf(body: RoundRequest): RoundInput {
  return {
    name: body.name,
    schools: body.schools,
    wishesOpenAt: body.wishesOpen,
    wishesCloseAt: body.wishesClose,
    maxWishes: body.maxWishes,
    grades: body.grades,
    allocationPlannedAt: body.allocationPlanned,
    freeBookingOpensAt: body.freeBookingOpens,
    placeWithoutWishes: body.placeWithoutWishes,
    schoolShareCaps: body.schoolShareCaps,
  };
}

export const ROUND_PHASES = ['upcoming', 'wishes_open', 'wishes_closed', 'committed', 'free_booking'] as const;

export const roundResponseSchema = z.object({
  id: z.string(),
  name: z.string(),
  networkId: z.string(),
  schools: z.array(z.object({ schoolId: z.string(), name: z.string(), from: z.string(), to: z.string() })),
  wishesOpen: z.string().meta({ description: 'UTC instant.' }),
  wishesClose: z.string().meta({ description: 'UTC instant.' }),
  maxWishes: z.number().int(),
  grades: z.array(z.string()),
  allocationPlanned: z.string().nullable(),
  freeBookingOpens: z.string().nullable(),
  placeWithoutWishes: z.boolean(),
  schoolShareCaps: z.boolean(),
  phase: z.enum(ROUND_PHASES).meta({ description: 'upcoming, wishes_open, wishes_closed, committed (results out) or free_booking.' }),
  committedAllocationId: z.string().nullable(),
});

export const roundPupilParamsSchema = z.object({ id: z.string().trim().min(1).max(64), pupilId: z.string().trim().min(1).max(64) });

export const wishesRequestSchema = z
  .object({
    placements: z
      // Each id's problem is named by its rank ("Önskemål 3", the label.placements.<index> keys).
      .array(z.string().trim().min(1).max(64))
      .max(MAX_WISHES_LIMIT * 2, { message: 'wishes.list_too_long' })
      .meta({ description: 'Placement ids in rank order (first = most wanted): a slot id, or a series id for a series. An empty list removes the wishes.' }),
  })
  .strict();

export const wishesResponseSchema = z.object({
  roundId: z.string(),
  pupilId: z.string(),
  placements: z.array(z.object({ rank: z.number().int(), placementId: z.string(), kind: z.enum(['slot', 'series']) })),
});

import { z } from 'zod';
import { ROLES } from '../db/types.ts';
import { createNetworkSchema, createOrganisationSchema } from '../organisations/organisations.schemas.ts';
import { GRADES } from '../slots/minors.ts';
import { cancelSchema, catalogueQuerySchema, FORMATS, instantSchema, slotInputSchema } from '../slots/slots.schemas.ts';
import { FIELD_CODES, PATH_KINDS, PROGRAMME_CODES } from '../stories/path.ts';
import { pathStepSchema, storyInputSchema } from '../stories/stories.schemas.ts';
import { createUserSchema, emailSchema } from '../users/users.schemas.ts';

export const tokenRequestSchema = z.object({ email: emailSchema, password: z.string().min(1).max(200) }).strict();
export const tokenResponseSchema = z.object({ id: z.string(), token: z.string() });

export const meResponseSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(ROLES as [string, ...string[]]),
  organisationId: z.string().nullable(),
  locale: z.enum(['sv', 'en']),
});

export const networkResponseSchema = z.object({ id: z.string(), name: z.string(), region: z.string() });
export const networkListSchema = z.object({ networks: z.array(networkResponseSchema) });
export const networkRequestSchema = createNetworkSchema;

export const organisationRequestSchema = createOrganisationSchema;
export const companyResponseSchema = z.object({
  id: z.string(),
  name: z.string(),
  municipality: z.string(),
  networkId: z.string(),
  mainSiteId: z.string(),
});
export const schoolResponseSchema = z.object({ id: z.string(), name: z.string(), municipality: z.string(), networkId: z.string() });

const organisationIdHelp =
  'The network (network_coordinator), company (company_coordinator) or school (counsellor) the user belongs to. ' +
  'Required for every role but platform_admin, which has none.';

/** As in the UI: every role but platform admin belongs to an organisation, so its id is required. */
export const userRequestSchema = createUserSchema
  .extend({ organisationId: createUserSchema.shape.organisationId.meta({ description: organisationIdHelp }) })
  .refine((v) => v.role === 'platform_admin' || Boolean(v.organisationId), {
    path: ['organisationId'],
    message: 'field.required',
    // Checked even when other fields are wrong, so one answer names every problem.
    when: ({ value, issues }) =>
      typeof value === 'object' && value !== null && !Array.isArray(value) && !issues.some((i) => ['role', 'organisationId'].includes(String(i.path?.[0]))),
  });
export const userResponseSchema = meResponseSchema;

export const errorResponseSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), fields: z.record(z.string(), z.string()) }),
});

// Role stories and slots: the requests are the UI's own schemas, refusing unknown fields.

export const storyRequestSchema = storyInputSchema.extend({ path: z.array(pathStepSchema.strict()).min(1).max(20) }).strict();

const pathStepResponseSchema = z.object({
  kind: z.enum(PATH_KINDS),
  title: z.string(),
  place: z.string().nullable(),
  programme: z.enum(PROGRAMME_CODES).nullable(),
  fromYear: z.number().int().nullable(),
  toYear: z.number().int().nullable(),
});
export const storyResponseSchema = z.object({
  id: z.string(),
  companyId: z.string(),
  name: z.string(),
  title: z.string(),
  pronoun: z.string().nullable(),
  path: z.array(pathStepResponseSchema),
  interest: z.string(),
  dayAtWork: z.string(),
  society: z.string(),
  wishAt14: z.string(),
  fields: z.array(z.enum(FIELD_CODES)),
  published: z.boolean(),
  updatedAt: z.string(),
});

const instantHelp =
  'ISO 8601 with an offset or Z ("2027-03-16T07:00:00Z"), or a local time read in Europe/Stockholm ("2027-03-16T08:00"). ' +
  'A local time that does not exist or occurs twice on a DST change day is refused (422), never shifted.';
const siteIdHelp = "One of the company's sites; the main site when left out.";
export const slotRequestSchema = slotInputSchema
  .extend({
    siteId: slotInputSchema.shape.siteId.meta({ description: siteIdHelp }),
    startsAt: instantSchema.meta({ description: instantHelp }),
    endsAt: instantSchema.meta({ description: instantHelp }),
    bookingOpensAt: slotInputSchema.shape.bookingOpensAt.meta({ description: `Optional: when schools may start booking. ${instantHelp}` }),
    bookingClosesAt: slotInputSchema.shape.bookingClosesAt.meta({ description: `Optional: when booking closes (before the start). ${instantHelp}` }),
  })
  .strict();

const utc = z.string().meta({ description: 'UTC, ISO 8601 (2027-03-16T07:00:00.000Z)' });
const contactHelp = "The supervisor's contact, only for signed-in callers.";
export const slotResponseSchema = z.object({
  id: z.string(),
  companyId: z.string(),
  companyName: z.string(),
  siteId: z.string(),
  site: z.object({
    id: z.string(),
    name: z.string(),
    address: z.string().nullable(),
    municipality: z.string(),
    meetingPoint: z.string().nullable(),
    directions: z.string().nullable(),
  }),
  format: z.enum(FORMATS),
  startsAt: utc,
  endsAt: utc,
  capacity: z.number().int(),
  minGroup: z.number().int().nullable(),
  bookedCount: z.number().int(),
  seatsLeft: z.number().int(),
  status: z.enum(['draft', 'published', 'cancelled']),
  grades: z.array(z.enum(GRADES)),
  hosts: z
    .array(z.object({ storyId: z.string(), name: z.string(), title: z.string() }))
    .meta({ description: "The professionals hosting the slot; a story that is not published is shown only to the slot's own company." }),
  activities: z.string().nullable(),
  bring: z.string().nullable(),
  provided: z.string().nullable(),
  accessibility: z.string().nullable(),
  seriesId: z.string().nullable(),
  bookingOpensAt: utc.nullable().meta({ description: 'When schools may start booking (null: from publication).' }),
  bookingClosesAt: utc.nullable().meta({ description: 'When booking closes (null: when the slot starts).' }),
  supervisorName: z.string().nullable().optional().meta({ description: contactHelp }),
  supervisorPhone: z.string().nullable().optional().meta({ description: contactHelp }),
});
export const slotPageSchema = z.object({ slots: z.array(slotResponseSchema), page: z.number().int(), hasNext: z.boolean() });
export const slotQuerySchema = catalogueQuerySchema;
export const cancelRequestSchema = cancelSchema.strict();

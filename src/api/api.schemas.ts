import { z } from 'zod';
import { ROLES } from '../db/types.ts';
import { createNetworkSchema, createOrganisationSchema } from '../organisations/organisations.schemas.ts';
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

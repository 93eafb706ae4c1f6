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

export const userRequestSchema = createUserSchema;
export const userResponseSchema = meResponseSchema;

export const errorResponseSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), fields: z.record(z.string(), z.string()) }),
});

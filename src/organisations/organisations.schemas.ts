import { z } from 'zod';
import { idString, optionalText, text } from '../http/fields.ts';


export const idSchema = idString();
export const idParamSchema = z.object({ id: idSchema });

export const createNetworkSchema = z.object({ name: text(120), region: text(120) }).strict();
export type CreateNetworkInput = z.infer<typeof createNetworkSchema>;

export const createOrganisationSchema = z
  .object({ name: text(160), municipality: text(80), address: optionalText(240) })
  .strict();
export type CreateOrganisationInput = z.infer<typeof createOrganisationSchema>;

export const createSchoolSchema = createOrganisationSchema
  .extend({ schoolType: z.enum(['municipal', 'independent'], { message: 'field.choose' }).default('municipal') })
  .strict();
export type CreateSchoolInput = z.infer<typeof createSchoolSchema>;

export const siteSchema = z.object({
  name: text(160),
  municipality: text(80),
  address: optionalText(240),
  meetingPoint: optionalText(300),
  directions: optionalText(1000),
});
export type SiteInput = z.infer<typeof siteSchema>;

export const companyProfileSchema = z.object({ name: text(160), description: optionalText(2000) });
export type CompanyProfileInput = z.infer<typeof companyProfileSchema>;

export const joinRequestSchema = z.object({ networkId: idSchema, message: optionalText(500) });
export const decisionSchema = z.object({ decision: z.enum(['approve', 'reject'], { message: 'field.choose' }) });

import { z } from 'zod';
import { ROLES } from '../db/types.ts';
import { idString, text } from '../http/fields.ts';

export const emailSchema = z
  .string()
  .trim()
  .min(1, { message: 'field.required' })
  .max(254)
  .pipe(z.email({ message: 'field.email' }))
  .transform((v) => v.toLowerCase());

/** At least 10 characters: long beats complicated (NIST SP 800-63B). */
export const newPasswordSchema = z.string().min(10).max(200);

export const personNameSchema = text(120);

export const roleSchema = z.enum(ROLES as [string, ...string[]], { message: 'field.choose' }).transform(
  (v) => v as (typeof ROLES)[number],
);

export const createUserSchema = z
  .object({
    email: emailSchema,
    name: personNameSchema,
    role: roleSchema,
    organisationId: idString().optional(),
    password: newPasswordSchema,
  })
  .strict();
export type CreateUserInput = z.infer<typeof createUserSchema>;

export const invitationFormSchema = z.object({
  email: emailSchema,
  grant: z.string({ message: 'field.choose' }).min(1, { message: 'field.choose' }).max(100),
});

export const acceptInvitationSchema = z.object({ name: personNameSchema, password: newPasswordSchema });

export const apiTokenFormSchema = z.object({ tokenName: text(80) });

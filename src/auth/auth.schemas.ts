import { z } from 'zod';
import { AppError } from '../http/errors.ts';
import { emailSchema, newPasswordSchema } from '../users/users.schemas.ts';

export const loginSchema = z.object({
  email: emailSchema,
  password: z.string().min(1).max(200),
  next: z.string().max(500).optional(),
});

export const forgotPasswordSchema = z.object({ email: emailSchema });

export const resetPasswordSchema = z.object({ password: newPasswordSchema });

export const tokenParamSchema = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{20,100}$/) });

/** The token of an e-mailed link; a cut-off or garbled one is just a link that does not work (410). */
export function linkToken(params: unknown): string {
  const parsed = tokenParamSchema.safeParse(params);
  if (!parsed.success) throw new AppError('link_invalid');
  return parsed.data.token;
}

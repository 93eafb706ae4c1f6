import { z } from 'zod';

/** Building blocks for form and API schemas, so every feature reads text the same way. */

/** Required text: trimmed, not empty, at most `max` characters. */
export const text = (max: number) => z.string().trim().min(1).max(max);

/** Optional text: trimmed; empty, missing or null all become null. */
export const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .nullish()
    .transform((v) => (v ? v : null));

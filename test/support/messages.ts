import type { z } from 'zod';
import { AppError } from '../../src/http/errors.ts';
import { localiseFields, parseInput } from '../../src/http/validation.ts';
import { translator } from '../../src/i18n/index.ts';

/** The messages a user would read for each field of `input` under `schema` (none when it parses). */
export function messagesFor(schema: z.ZodType, input: unknown, locale: 'sv' | 'en' = 'sv'): Record<string, string> {
  try {
    parseInput(schema, input);
  } catch (error) {
    if (error instanceof AppError) return localiseFields(translator(locale), error.fields);
    throw error;
  }
  return {};
}

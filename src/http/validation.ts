import type { z } from 'zod';
import { isMessageKey, type Translate } from '../i18n/index.ts';
import { AppError, type FieldProblem, type FieldProblems } from './errors.ts';

/**
 * Turns zod issues into one problem per field (the first wins), as message keys. Schemas may
 * give a message key of their own as an issue's message (e.g. `{ message: 'field.email' }`).
 */
export function fieldProblems(error: z.ZodError): FieldProblems {
  const fields: FieldProblems = {};
  for (const issue of error.issues) {
    const field = issue.path.length > 0 ? issue.path.map(String).join('.') : '_';
    if (fields[field]) continue;
    fields[field] = problemFor(issue);
  }
  return fields;
}

function problemFor(issue: z.core.$ZodIssue): FieldProblem {
  if (issue.message && isMessageKey(issue.message)) return { key: issue.message };
  switch (issue.code) {
    case 'invalid_type':
      return { key: issue.input === undefined || issue.input === null ? 'field.required' : 'field.invalid' };
    case 'too_small':
      if (issue.origin === 'string') {
        const min = Number(issue.minimum);
        return min <= 1 ? { key: 'field.required' } : { key: 'field.too_short', params: { min } };
      }
      return { key: 'field.invalid' };
    case 'too_big':
      return issue.origin === 'string'
        ? { key: 'field.too_long', params: { max: Number(issue.maximum) } }
        : { key: 'field.invalid' };
    case 'invalid_format':
      return { key: issue.format === 'email' ? 'field.email' : 'field.invalid' };
    case 'invalid_value':
      return { key: 'field.choose' };
    case 'unrecognized_keys':
      return { key: 'field.unknown' };
    default:
      return { key: 'field.invalid' };
  }
}

/** Parses input or throws validation_failed with every field's problem. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new AppError('validation_failed', { fields: fieldProblems(result.error) });
  return result.data;
}

/** A label for a field in the user's language, e.g. "E-postadress"; the field name when none. */
export function fieldLabel(t: Translate, field: string): string {
  const key = `label.${field}`;
  return isMessageKey(key) ? t(key) : field;
}

/** Localised messages per field: { email: "Skriv en riktig e-postadress i e-postadress, …" }. */
export function localiseFields(t: Translate, fields: FieldProblems | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, problem] of Object.entries(fields ?? {})) {
    const label = fieldLabel(t, field);
    const message = t(problem.key, { field: label.toLocaleLowerCase(), ...problem.params });
    out[field] = message.charAt(0).toLocaleUpperCase() + message.slice(1);
  }
  return out;
}

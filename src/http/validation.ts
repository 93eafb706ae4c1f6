import type { z } from 'zod';
import { isMessageKey, type Translate } from '../i18n/index.ts';
import { AppError, type FieldProblem, type FieldProblems } from './errors.ts';

/**
 * Turns zod issues into one problem per field (the first wins), as message keys. Schemas may
 * give a message key of their own as an issue's message (e.g. `{ message: 'field.email' }`).
 */
export function fieldProblems(error: z.ZodError): FieldProblems {
  // No prototype: a field may be called anything, "__proto__" and "constructor" included.
  const fields: FieldProblems = Object.create(null);
  const add = (path: PropertyKey[], problem: FieldProblem) => {
    const field = path.length > 0 ? path.map(String).join('.') : '_';
    fields[field] ??= problem;
  };
  for (const issue of error.issues) {
    // Each unknown field is named on its own, so the message says which one to remove.
    if (issue.code === 'unrecognized_keys') issue.keys.forEach((key) => add([...issue.path, key], { key: 'field.unknown' }));
    else add(issue.path, problemFor(issue));
  }
  return fields;
}

function problemFor(issue: z.core.$ZodIssue): FieldProblem {
  // A value of the wrong type (a number for a name) is not a missing one, whatever the schema's message says.
  const missing = issue.input === undefined || issue.input === null;
  if (issue.code === 'invalid_type' && !missing) return { key: 'field.invalid' };
  if (issue.message && isMessageKey(issue.message)) return { key: issue.message };
  switch (issue.code) {
    case 'invalid_type':
      return { key: 'field.required' };
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
  // reportInput: tells a missing field (undefined) from one of the wrong type.
  const result = schema.safeParse(input, { reportInput: true });
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
  const out: Record<string, string> = Object.create(null);
  for (const [field, problem] of Object.entries(fields ?? {})) {
    const label = fieldLabel(t, field);
    const reason = problem.reason ? t(problem.reason, problem.params) : '';
    const message = t(problem.key, { field: label.toLocaleLowerCase(), reason, ...problem.params });
    out[field] = message.charAt(0).toLocaleUpperCase() + message.slice(1);
  }
  return out;
}

import type { z } from 'zod';
import { isMessageKey, type Translate } from '../i18n/index.ts';
import { AppError, type FieldProblem, type FieldProblems } from './errors.ts';
import { hasControlChars } from './fields.ts';

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

/** At most this many fields are named for control characters: enough to fix them, not a flood. */
const MAX_CONTROL_PROBLEMS = 20;
/**
 * Values looked at, at most: far more than any form or API body of the app holds (a group
 * booking is 200 ids), and a bound on the time a hostile body can take (a 1 MB array of a
 * million zeros took ~90 ms to walk when every element was visited).
 */
const MAX_SCANNED = 100_000;
/** A deep path is named by its first and last segments ("a.b.c.d.….y.z"). */
const shortPath = (path: string[]): string => (path.length > 8 ? [...path.slice(0, 4), '…', ...path.slice(-2)] : path).join('.');

/**
 * Every string in the input, and every name of a field, that holds a control character
 * (see `hasControlChars`), as a problem at its path. The schemas refuse them too, but this
 * also covers fields a schema ignores or reads as a plain string, so no such value ever
 * reaches the database (PostgreSQL refuses a NUL with an error). Walked without recursion:
 * a JSON body may be nested thousands deep.
 */
export function controlCharProblems(input: unknown): FieldProblems {
  const fields: FieldProblems = Object.create(null);
  let found = 0;
  // Each entry links to its parent, so a deep path is spelled out only when it is reported.
  type Entry = { value: unknown; key: string | null; parent: Entry | null };
  const report = (entry: Entry) => {
    const path: string[] = [];
    for (let e: Entry | null = entry; e?.key != null; e = e.parent) path.push(e.key);
    fields[path.length > 0 ? shortPath(path.reverse()) : '_'] = { key: 'field.control_chars' };
    found++;
  };
  // Only what can hold a string is visited: numbers, booleans and null cannot.
  const worth = (value: unknown) => typeof value === 'string' || (typeof value === 'object' && value !== null);
  const stack: Entry[] = [{ value: input, key: null, parent: null }];
  // Values that may still be visited (the first ones in reading order, depth first).
  let budget = MAX_SCANNED;
  while (stack.length > 0 && found < MAX_CONTROL_PROBLEMS) {
    const entry = stack.pop()!;
    const { value } = entry;
    if (typeof value === 'string') {
      if (hasControlChars(value)) report(entry);
      continue;
    }
    const children: Entry[] = [];
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length && children.length < budget; i++) if (worth(value[i])) children.push({ value: value[i], key: String(i), parent: entry });
    } else if (isPlainObject(value)) {
      for (const key in value) {
        if (children.length >= budget) break;
        const child = { value: value[key], key, parent: entry };
        if (hasControlChars(key)) report(child);
        else if (worth(child.value)) children.push(child);
      }
    }
    budget -= children.length;
    // Reversed onto the stack, so they are visited (and named) in reading order.
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return fields;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Parses a query string by its schema alone: a value the schema ignores when bad (`.catch`) is
 * ignored, control characters included, as a link with a stray parameter should still work;
 * what the schema does read is refused by its own rules (`plainString`).
 */
export function parseQuery<S extends z.ZodType>(schema: S, query: unknown): z.output<S> {
  const result = schema.safeParse(query, { reportInput: true });
  if (!result.success) throw new AppError('validation_failed', { fields: fieldProblems(result.error) });
  return result.data;
}

/** Parses input or throws validation_failed with every field's problem. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  // reportInput: tells a missing field (undefined) from one of the wrong type.
  const result = schema.safeParse(input, { reportInput: true });
  const control = controlCharProblems(input);
  if (result.success && Object.keys(control).length === 0) return result.data;
  // A control character is the problem with its field, whatever else the schema says about it.
  const fields = result.success ? control : Object.assign(fieldProblems(result.error), control);
  throw new AppError('validation_failed', { fields });
}

/** A label for a field in the user's language, e.g. "E-postadress"; the field name when none. */
export function fieldLabel(t: Translate, field: string): string {
  const key = `label.${field}`;
  return isMessageKey(key) ? t(key) : field;
}

/** A field's name as sent, with any control character in it shown as a replacement mark. */
const shownName = (field: string): string => field.replace(/[\u0000-\u001F\u007F]/g, '\uFFFD');

/**
 * Localised messages per field: { email: "Skriv en riktig e-postadress i e-postadress, …" }.
 * A labelled field is named by its label, as a word in the sentence ("Fyll i namn."); one
 * without a label exactly as it was sent, as "fältet schools.0.schoolId" ("Fyll i fältet
 * schools.0.schoolId."). Messages that already say "Fältet" take {fieldName}: the label or the name.
 */
export function localiseFields(t: Translate, fields: FieldProblems | undefined): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (const [field, problem] of Object.entries(fields ?? {})) {
    const labelKey = `label.${field}`;
    const labelled = isMessageKey(labelKey);
    const fieldName = labelled ? t(labelKey).toLocaleLowerCase() : shownName(field);
    const label = labelled ? fieldName : t('field.unnamed', { fieldName });
    const reason = problem.reason ? t(problem.reason, problem.params) : '';
    const message = t(problem.key, { field: label, fieldName, reason, ...problem.params });
    out[field] = message.charAt(0).toLocaleUpperCase() + message.slice(1);
  }
  return out;
}

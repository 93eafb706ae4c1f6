import type { FieldProblems } from '../http/errors.ts';
import type { PathStep } from './path.ts';

/**
 * The story form without client-side code. The app parses forms with
 * `express.urlencoded({ extended: false })`, so the path's repeated field groups arrive as flat
 * names like `path[2][title]`; this module reads them into the shape storyInputSchema expects,
 * maps the schema's problems (`path.1.toYear`) back to the input they belong to, and turns a
 * saved story back into form values. Pure: no Express, no database.
 */

export const STEP_FIELDS = ['kind', 'title', 'place', 'programme', 'fromYear', 'toYear'] as const;
export type StepField = (typeof STEP_FIELDS)[number];

/** As many rows as storyInputSchema accepts steps; blank rows are offered after the last filled one. */
export const MAX_ROWS = 20;
export const BLANK_ROWS = 3;

const STEP_NAME = /^path\[(\d{1,2})\]\[(kind|title|place|programme|fromYear|toYear)\]$/;
const PROBLEM_IN_STEP = /^path\.(\d+)\.(kind|title|place|programme|fromYear|toYear)$/;

export const stepFieldName = (row: number, field: StepField): string => `path[${row}][${field}]`;

/** A trimmed text, or undefined when blank; anything that is not a string goes on as it is, for the schema to refuse. */
function cell(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** The values of a group of checkboxes with one name: none, one (a string) or several (an array). */
export function checkedValues(value: unknown): string[] {
  if (value === undefined || value === null || value === '') return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

const isChecked = (value: unknown) => checkedValues(value).length > 0;

export interface StoryForm {
  /** The story in storyInputSchema's shape (still unchecked). */
  input: Record<string, unknown> & { path: Record<string, unknown>[] };
  /** For each path step in `input.path`, the form row it came from (blank rows are left out). */
  rows: number[];
}

/** Reads the posted story form; a path row with nothing filled in is not a step. */
export function readStoryForm(body: Record<string, unknown>): StoryForm {
  const byRow = new Map<number, Record<string, unknown>>();
  for (const [name, value] of Object.entries(body)) {
    const match = STEP_NAME.exec(name);
    if (!match) continue;
    const row = Number(match[1]);
    const step = byRow.get(row) ?? {};
    step[match[2]!] = cell(value);
    byRow.set(row, step);
  }
  const rows = [...byRow.entries()]
    .filter(([, step]) => Object.values(step).some((v) => v !== undefined))
    .map(([row]) => row)
    .sort((a, b) => a - b);
  return {
    input: {
      name: body.name,
      title: body.title,
      pronoun: body.pronoun,
      interest: body.interest,
      dayAtWork: body.dayAtWork,
      society: body.society,
      wishAt14: body.wishAt14,
      path: rows.map((row) => byRow.get(row)!),
      fields: checkedValues(body.fields),
      published: isChecked(body.published),
      consent: isChecked(body.consent),
    },
    rows,
  };
}

/**
 * Moves the schema's and the service's problems to the inputs they belong to: `path.1.toYear`
 * (the second step that was filled in) becomes `path[4][toYear]` when that step was on row 4,
 * labelled by `stepLabel` so the message can say which step; `fields.3` becomes `fields`.
 */
export function problemsInForm(problems: FieldProblems, rows: readonly number[], stepLabel: (row: number, field: StepField) => string): FieldProblems {
  const out: FieldProblems = Object.create(null);
  for (const [key, problem] of Object.entries(problems)) {
    const inStep = PROBLEM_IN_STEP.exec(key);
    if (inStep) {
      const row = rows[Number(inStep[1])] ?? Number(inStep[1]);
      const field = inStep[2] as StepField;
      out[stepFieldName(row, field)] ??= { ...problem, params: { ...problem.params, field: stepLabel(row, field) } };
    } else {
      out[key.split('.')[0]!] ??= problem;
    }
  }
  return out;
}

export interface StoryFormSource {
  name: string;
  title: string;
  pronoun: string | null;
  path: readonly PathStep[];
  interest: string;
  dayAtWork: string;
  society: string;
  wishAt14: string;
  fields: readonly string[];
  published: boolean;
}

/** A saved story as the form's values (the same names the form posts). */
export function storyFormValues(story: StoryFormSource): Record<string, unknown> {
  const values: Record<string, unknown> = {
    name: story.name,
    title: story.title,
    pronoun: story.pronoun ?? '',
    interest: story.interest,
    dayAtWork: story.dayAtWork,
    society: story.society,
    wishAt14: story.wishAt14,
    fields: [...story.fields],
    published: story.published ? 'yes' : undefined,
  };
  story.path.forEach((step, row) => {
    values[stepFieldName(row, 'kind')] = step.kind;
    values[stepFieldName(row, 'title')] = step.title;
    values[stepFieldName(row, 'place')] = step.place ?? '';
    values[stepFieldName(row, 'programme')] = step.programme ?? '';
    values[stepFieldName(row, 'fromYear')] = step.fromYear == null ? '' : String(step.fromYear);
    values[stepFieldName(row, 'toYear')] = step.toYear == null ? '' : String(step.toYear);
  });
  return values;
}

/**
 * How many path rows to show: every row with something in it, then BLANK_ROWS blank ones, at
 * most MAX_ROWS unless more are already filled; at least `atLeast` (a new story offers more).
 */
export function rowCount(values: Record<string, unknown>, atLeast = 0): number {
  let last = -1;
  for (const [name, value] of Object.entries(values)) {
    const match = STEP_NAME.exec(name);
    if (match && cell(value) !== undefined) last = Math.max(last, Number(match[1]));
  }
  return Math.max(last + 1, Math.min(MAX_ROWS, Math.max(atLeast, last + 1 + BLANK_ROWS)));
}

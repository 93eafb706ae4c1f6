import { describe, expect, it } from 'vitest';
import { storyInputSchema } from '../../src/stories/stories.schemas.ts';
import { BLANK_ROWS, MAX_ROWS, checkedValues, problemsInForm, readStoryForm, rowCount, storyFormValues } from '../../src/stories/story-form.ts';

const step = (row: number, values: Record<string, string>) =>
  Object.fromEntries(Object.entries(values).map(([field, value]) => [`path[${row}][${field}]`, value]));
const blankRow = (row: number) => step(row, { kind: '', title: '', place: '', programme: '', fromYear: '', toYear: '' });

describe('readStoryForm', () => {
  it('reads bracketed step names into an ordered path', () => {
    const { input, rows } = readStoryForm({
      ...step(1, { kind: 'job', title: 'Montör', place: 'Nordljus', programme: '', fromYear: '2016', toYear: '' }),
      ...step(0, { kind: 'gymnasium', title: 'Teknikprogrammet', place: 'Karlstad', programme: 'TE', fromYear: '2012', toYear: '2015' }),
    });
    expect(rows).toEqual([0, 1]);
    expect(input.path).toEqual([
      { kind: 'gymnasium', title: 'Teknikprogrammet', place: 'Karlstad', programme: 'TE', fromYear: '2012', toYear: '2015' },
      { kind: 'job', title: 'Montör', place: 'Nordljus', programme: undefined, fromYear: '2016', toYear: undefined },
    ]);
  });

  it('orders rows by number, not as text (row 10 after row 2)', () => {
    const { rows } = readStoryForm({ ...step(10, { title: 'c' }), ...step(2, { title: 'b' }), ...step(0, { title: 'a' }) });
    expect(rows).toEqual([0, 2, 10]);
  });

  it('skips blank rows and rows of only spaces, remembering which rows the steps came from', () => {
    const { input, rows } = readStoryForm({
      ...blankRow(0),
      ...step(1, { kind: 'job', title: 'Elektriker' }),
      ...step(2, { kind: '', title: '   ', fromYear: ' ' }),
      ...step(3, { kind: 'gap', title: 'Resa' }),
    });
    expect(rows).toEqual([1, 3]);
    expect(input.path.map((s) => s.title)).toEqual(['Elektriker', 'Resa']);
  });

  it('keeps a half-filled row, so the schema can say what is missing', () => {
    const { input } = readStoryForm(step(0, { kind: '', title: '', fromYear: '2015' }));
    expect(input.path).toEqual([{ kind: undefined, title: undefined, fromYear: '2015' }]);
  });

  it('ignores names that only look like step fields', () => {
    const { input } = readStoryForm({ 'path[0][evil]': 'x', 'path[x][title]': 'y', 'path[0][title': 'z', 'path[100][title]': 'w' });
    expect(input.path).toEqual([]);
  });

  it('passes a repeated step field on as a list, for the schema to refuse', () => {
    const { input } = readStoryForm({ 'path[0][title]': ['a', 'b'] });
    expect(input.path).toEqual([{ title: ['a', 'b'] }]);
  });

  it('reads checkboxes: none, one or several fields, and ticked consent and publishing', () => {
    expect(readStoryForm({}).input).toMatchObject({ fields: [], published: false, consent: false });
    expect(readStoryForm({ fields: 'it', published: 'yes' }).input).toMatchObject({ fields: ['it'], published: true, consent: false });
    expect(readStoryForm({ fields: ['it', 'design'], consent: 'yes' }).input).toMatchObject({ fields: ['it', 'design'], consent: true });
  });

  it('gives the schema what it needs to accept a whole story', () => {
    const { input } = readStoryForm({
      name: 'Sara',
      title: 'Drifttekniker',
      pronoun: '',
      dayAtWork: 'Jag ser till att fjärrvärmen går.',
      fields: 'electrical_energy',
      ...step(0, { kind: 'gymnasium', title: 'El- och energi', programme: 'EE', fromYear: '2014', toYear: '2017' }),
      ...blankRow(1),
    });
    const parsed = storyInputSchema.parse(input);
    expect(parsed.path).toEqual([{ kind: 'gymnasium', title: 'El- och energi', place: null, programme: 'EE', fromYear: 2014, toYear: 2017 }]);
    expect(parsed.pronoun).toBeNull();
  });
});

describe('checkedValues', () => {
  it.each([
    ['nothing', undefined, []],
    ['an empty value', '', []],
    ['one value', 'it', ['it']],
    ['several values', ['it', 'design'], ['it', 'design']],
  ])('reads %s', (_name, value, expected) => {
    expect(checkedValues(value)).toEqual(expected);
  });
});

describe('problemsInForm', () => {
  const label = (row: number, field: string) => `${field} #${row + 1}`;

  it('moves a step problem to the form row the step came from, with a label naming the step', () => {
    const out = problemsInForm({ 'path.1.toYear': { key: 'story.path_years_order' } }, [0, 4], label);
    expect(out).toEqual({ 'path[4][toYear]': { key: 'story.path_years_order', params: { field: 'toYear #5' } } });
  });

  it('keeps a problem with the whole path and names a fields problem by the checkbox group', () => {
    const out = problemsInForm({ path: { key: 'field.invalid' }, 'fields.2': { key: 'field.choose' }, name: { key: 'field.required' } }, [], label);
    expect(out).toEqual({ path: { key: 'field.invalid' }, fields: { key: 'field.choose' }, name: { key: 'field.required' } });
  });

  it('keeps the parameters a problem already has', () => {
    const out = problemsInForm({ 'path.0.title': { key: 'field.too_long', params: { max: 160 } } }, [2], label);
    expect(out['path[2][title]']).toEqual({ key: 'field.too_long', params: { max: 160, field: 'title #3' } });
  });
});

describe('storyFormValues and rowCount', () => {
  const story = {
    name: 'Ali',
    title: 'Svetsare',
    pronoun: null,
    path: [
      { kind: 'grundskola' as const, title: 'Högstadiet', place: null, programme: null, fromYear: 2008, toYear: 2011 },
      { kind: 'job' as const, title: 'Svetsare', place: 'Kil', programme: null, fromYear: 2015, toYear: null },
    ],
    interest: '',
    dayAtWork: 'Jag svetsar.',
    society: '',
    wishAt14: '',
    fields: ['production_mechanics'],
    published: true,
  };

  it('turns a saved story back into the names the form posts', () => {
    const values = storyFormValues(story);
    expect(values).toMatchObject({ name: 'Ali', pronoun: '', published: 'yes', fields: ['production_mechanics'], 'path[1][place]': 'Kil', 'path[0][fromYear]': '2008', 'path[1][toYear]': '' });
    expect(readStoryForm(values).input.path).toHaveLength(2);
  });

  it('shows every filled row and then three blank ones', () => {
    expect(rowCount(storyFormValues(story))).toBe(2 + BLANK_ROWS);
    expect(rowCount({})).toBe(BLANK_ROWS);
    expect(rowCount({ ...blankRow(0), ...step(6, { title: 'x' }) })).toBe(7 + BLANK_ROWS);
  });

  it('shows at least the rows asked for, yet no more than the path may have', () => {
    expect(rowCount({}, 5)).toBe(5);
    expect(rowCount(step(18, { title: 'x' }))).toBe(MAX_ROWS);
    expect(rowCount(step(25, { title: 'x' }))).toBe(26);
  });
});

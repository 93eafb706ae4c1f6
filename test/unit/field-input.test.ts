import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { hasControlChars, optionalText, text } from '../../src/http/fields.ts';
import { AppError } from '../../src/http/errors.ts';
import { controlCharProblems, parseInput, parseQuery } from '../../src/http/validation.ts';
import { instantSchema } from '../../src/slots/slots.schemas.ts';
import { messagesFor } from '../support/messages.ts';

describe('control characters', () => {
  it.each([
    ['a NUL', '\u0000', true],
    ['a bell inside a word', 'a\u0007b', true],
    ['an escape', '\u001B[31m', true],
    ['DEL', 'x\u007F', true],
    ['a tab', 'a\tb', false],
    ['line breaks', 'a\r\nb\nc', false],
    ['letters outside ASCII', 'Åsa Öberg – 8B', false],
    ["a word processor's soft line break and page break", 'a\u000Bb\u000Cc', false],
  ])('%s counts as one: %s', (_label, value, expected) => {
    expect(hasControlChars(value)).toBe(expected);
  });

  it("turn a word processor's soft line break and page break into line breaks in text", () => {
    expect(z.object({ about: text(50) }).parse({ about: ' Först\u000Bsedan\u000Cslut ' })).toEqual({ about: 'Först\nsedan\nslut' });
  });

  it('are refused in required and optional text, with their own message', () => {
    const schema = z.object({ name: text(20), note: optionalText(20) });
    expect(messagesFor(schema, { name: '\u0000', note: 'ok\u0000' })).toEqual({
      name: 'Namn innehåller ett osynligt tecken som inte går att använda. Skriv texten på nytt.',
      note: 'Fältet note innehåller ett osynligt tecken som inte går att använda. Skriv texten på nytt.',
    });
  });

  it('are named in English when asked', () => {
    expect(messagesFor(z.object({ name: text(20) }), { name: 'x\u0000' }, 'en')).toEqual({ name: 'Name contains an invisible character that cannot be used. Type the text again.' });
  });

  it('are refused in a field the schema takes as any string, and in one it does not know', () => {
    const schema = z.object({ id: z.string(), list: z.array(z.string()) });
    expect(Object.keys(messagesFor(schema, { id: 'a\u0000', list: ['ok', '\u0000'], extra: { deep: '\u0000' } }))).toEqual(['id', 'list.1', 'extra.deep']);
  });

  it('are refused in the name of a field, shown with a replacement mark', () => {
    expect(messagesFor(z.object({}), { 'x\u0000': 'y' })).toEqual({ 'x\u0000': 'Fältet x\uFFFD innehåller ett osynligt tecken som inte går att använda. Skriv texten på nytt.' });
  });

  it('are found at the bottom of a body nested fifty thousand deep, without running out of stack, named by a short path', () => {
    let body: unknown = '\u0000';
    for (let i = 0; i < 50_000; i++) body = [body];
    expect(Object.keys(controlCharProblems(body))).toEqual(['0.0.0.0.….0.0']);
  });

  it('are looked for among what can hold text only: a million numbers before the string are not visited', () => {
    const body = { x: [...Array<number>(1_000_000).fill(0), 'a\u0000'] };
    expect(Object.keys(controlCharProblems(body))).toEqual(['x.1000000']);
  });

  it('are searched for in at most a hundred thousand values: a body larger than any form is left to its schema beyond that', () => {
    const body = [...Array<string>(100_000).fill('a'), '\u0000'];
    expect(controlCharProblems(body)).toEqual({});
    expect(Object.keys(controlCharProblems(body.slice(99_990)))).toEqual(['10']);
  });

  it('in a query string, are left to the schema: a value it ignores when bad is ignored, one it reads is refused', () => {
    const query = z.object({ q: text(20).optional().catch(undefined), page: z.coerce.number().optional() });
    expect(parseQuery(query, { q: 'x\u0000', utm_source: '\u0001' })).toEqual({ q: undefined });
    expect(() => parseInput(query, { q: 'x\u0000' })).toThrow(AppError);
    expect(() => parseQuery(z.object({ q: text(20) }), { q: 'x\u0000' })).toThrow(AppError);
  });

  it('are named at most twenty times', () => {
    expect(Object.keys(controlCharProblems(Array(1000).fill('\u0000')))).toHaveLength(20);
  });
});

describe('field names in messages', () => {
  const schema = z.object({ name: text(5), schools: z.array(z.object({ schoolId: z.string() })), grades: z.array(z.enum(['8', '9'])) }).strict();

  it('keep the label of a labelled field, as before', () => {
    expect(messagesFor(schema, { name: '', schools: [], grades: [] })).toEqual({ name: 'Fyll i namn.' });
  });

  it('show a field without a label exactly as sent, wherever the message names it', () => {
    expect(messagesFor(schema, { name: 'A', schools: [{ schoolId: 5 }, {}], grades: ['7'], regionId: 'x' })).toEqual({
      'schools.0.schoolId': 'Fältet schools.0.schoolId har fel format.',
      'schools.1.schoolId': 'Fyll i fältet schools.1.schoolId.',
      'grades.0': 'Välj ett av alternativen i fältet grades.0.',
      regionId: 'Fältet regionId känns inte igen.',
    });
  });

  it('say "the field" in English', () => {
    expect(messagesFor(schema, { name: 'A', schools: [{ schoolId: 5 }], grades: [], name2: 1 }, 'en')).toEqual({
      'schools.0.schoolId': 'The field schools.0.schoolId has the wrong format.',
      name2: 'The field name2 is not recognised.',
    });
  });

  it('keep the label of a known field that is not expected', () => {
    expect(messagesFor(z.object({}).strict(), { name: 'x' })).toEqual({ name: 'Fältet namn känns inte igen.' });
  });

  it('say a list sent for a text has the wrong format, not that it is missing', () => {
    expect(messagesFor(schema, { name: ['x'], schools: [], grades: [] })).toEqual({ name: 'Namn har fel format.' });
  });
});

describe('instants', () => {
  const instant = z.object({ at: instantSchema });

  it.each([
    ['the last minute of year 9999', '9999-12-31T23:59:00Z'],
    ['the first minute of year 1000', '1000-01-01T00:00:00Z'],
    ['a Stockholm time', '2027-03-16T08:00'],
  ])('take %s', (_label, value) => {
    expect(instant.safeParse({ at: value }).success).toBe(true);
  });

  it.each([
    ['a six-digit year', '+275760-09-13T00:00:00Z'],
    ['year 10000', '+010000-01-01T00:00:00Z'],
    ['year 9999 that an offset carries into 10000', '9999-12-31T23:30:00-01:00'],
    ['year 999', '0999-12-31T00:00:00Z'],
    ['a year before Christ', '-000001-01-01T00:00:00Z'],
  ])('refuse %s, naming the field', (_label, value) => {
    expect(messagesFor(instant, { at: value })).toEqual({ at: 'Fältet at: skriv ett år mellan 1000 och 9999.' });
  });
});

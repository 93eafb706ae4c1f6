import { CsvError, parse } from 'csv-parse/sync';
import type { FieldProblem, FieldProblems } from '../http/errors.ts';
import { fieldProblems } from '../http/validation.ts';
import { birthYearFromPersonnummer, fold, readBirthYear, readGender, readGrade, readYesNo } from './import-values.ts';
import { gradeFromClassName, normaliseClassName, pupilFieldsSchema, type PupilFields } from './pupils.schemas.ts';

/**
 * Reading a class list (CSV from a school system, Excel, or pasted) into pupils. Pure: no I/O,
 * so every kind of file can be tested as a table of cases. Nothing here decides what is
 * written; the import service shows the result and writes only a file without problems.
 */

export const IMPORT_LIMITS = { maxRows: 2000, maxBytes: 1_000_000, maxColumns: 50 } as const;

export type ImportField = 'givenName' | 'familyName' | 'name' | 'className' | 'grade' | 'birthYear' | 'gender' | 'protectedIdentity' | 'personnummer';

/** Header words, folded (no case, accents, spaces or punctuation): "Förnamn" and "First name" alike. */
const HEADERS: Record<ImportField, string[]> = {
  givenName: ['fornamn', 'tilltalsnamn', 'firstname', 'givenname', 'first'],
  familyName: ['efternamn', 'lastname', 'familyname', 'surname', 'last'],
  name: ['namn', 'name', 'elev', 'elevnamn', 'fulltnamn', 'fullname', 'pupil'],
  className: ['klass', 'class', 'klassnamn', 'classname'],
  grade: ['arskurs', 'ak', 'grade', 'year', 'yeargroup'],
  birthYear: ['fodelsear', 'fodd', 'birthyear', 'yearofbirth'],
  gender: ['kon', 'gender', 'sex'],
  protectedIdentity: ['skyddadidentitet', 'skyddad', 'skyddadepersonuppgifter', 'sekretessmarkering', 'protected', 'protectedidentity'],
  personnummer: ['personnummer', 'personnr', 'pnr', 'personalidentitynumber', 'personalnumber'],
};
const FIELD_OF_HEADER = new Map(Object.entries(HEADERS).flatMap(([field, words]) => words.map((w) => [w, field as ImportField])));

/** A problem with the whole file; `field` names a column when it is about one. */
export interface FileProblem extends FieldProblem {
  field?: ImportField;
}

/** What the preview shows of a row: the values as read (never a personal identity number). */
export type ShownRow = Record<'givenName' | 'familyName' | 'className' | 'grade' | 'birthYear' | 'gender' | 'protectedIdentity', string>;

export interface ImportRow {
  /** The row's number in the file, the header being row 1 (as Excel numbers rows). */
  line: number;
  shown: ShownRow;
  /** The pupil, when the row has no problem. */
  fields: PupilFields | null;
  /** Problems by field; '_' is about the whole row (a duplicate). */
  problems: FieldProblems;
}

export interface ParsedImport {
  /** True when there are rows and neither the file nor any row has a problem. */
  ok: boolean;
  fileProblems: FileProblem[];
  rows: ImportRow[];
  /** Headers that were not recognised (their columns are not read). */
  unknownHeaders: string[];
  /** The file had personal identity numbers: only birth years were taken from them. */
  personnummerDropped: boolean;
  delimiter: Delimiter;
}

type Delimiter = ';' | ',' | '\t';
const fail = (problem: FileProblem, delimiter: Delimiter = ';'): ParsedImport => ({
  ok: false,
  fileProblems: [problem],
  rows: [],
  unknownHeaders: [],
  personnummerDropped: false,
  delimiter,
});

/** Reads the file's bytes (or pasted text) as text: UTF-8 with or without BOM, UTF-16 from Excel, else Windows-1252. */
export function decodeText(input: Buffer | string): { text: string } | { problem: FileProblem } {
  const size = typeof input === 'string' ? Buffer.byteLength(input) : input.length;
  if (size > IMPORT_LIMITS.maxBytes) return { problem: { key: 'pupils.import_too_large', params: { max: '1 MB' } } };
  if (typeof input === 'string') return { text: input.replace(/^\uFEFF/, '') };
  const starts = (...bytes: number[]) => bytes.every((b, i) => input[i] === b);
  // .xlsx is a zip file, .xls an OLE2 compound file: a spreadsheet, not its CSV export.
  if (starts(0x50, 0x4b, 0x03, 0x04) || starts(0xd0, 0xcf, 0x11, 0xe0)) return { problem: { key: 'pupils.import_spreadsheet' } };
  if (starts(0xff, 0xfe)) return { text: new TextDecoder('utf-16le').decode(input) };
  if (starts(0xfe, 0xff)) return { text: new TextDecoder('utf-16be').decode(input) };
  if (input.includes(0)) return { problem: { key: 'pupils.import_not_text' } };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(input) };
  } catch {
    // Not UTF-8: older Excel saves "CSV (semikolonavgränsad)" in Windows-1252.
    return { text: new TextDecoder('windows-1252').decode(input) };
  }
}

/** The delimiter is the one the header line uses most (outside quotes); a tie goes to ';'. */
export function detectDelimiter(headerLine: string): Delimiter {
  const counts: Record<Delimiter, number> = { ';': 0, '\t': 0, ',': 0 };
  let quoted = false;
  for (const ch of headerLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch in counts) counts[ch as Delimiter]++;
  }
  return (Object.keys(counts) as Delimiter[]).reduce((best, d) => (counts[d] > counts[best] ? d : best), ';');
}

/** Too many control characters for a text someone wrote: a binary file with a .csv name. */
const looksBinary = (text: string) => (text.match(/[\u0000-\u0008\u000e-\u001f\u007f]/g)?.length ?? 0) > Math.max(2, text.length / 100);

interface CsvRecords {
  delimiter: Delimiter;
  /** Each record with the line it ends on. */
  records: { info: { lines: number }; record: string[] }[];
}

/** The text as records: the delimiter from Excel's "sep=" line or the header, quotes and line breaks as CSV has them. */
function readRecords(input: Buffer | string): CsvRecords | { problem: FileProblem; delimiter?: Delimiter } {
  const decoded = decodeText(input);
  if ('problem' in decoded) return decoded;
  let text = decoded.text;
  if (looksBinary(text)) return { problem: { key: 'pupils.import_not_text' } };
  // Excel may begin with "sep=;" to say which delimiter it used.
  const sep = /^sep=(.)\r?\n/i.exec(text);
  if (sep) text = text.slice(sep[0].length);
  const headerLine = text.split(/\r?\n/).find((line) => line.trim() !== '');
  if (!headerLine) return { problem: { key: 'pupils.import_empty' } };
  const delimiter = sep && [';', ',', '\t'].includes(sep[1]!) ? (sep[1] as Delimiter) : detectDelimiter(headerLine);
  try {
    // With `info`, each record comes as { info, record } (the types do not follow the option).
    const records = parse(text, { delimiter, bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, info: true, max_record_size: 20_000 });
    return { delimiter, records: records as unknown as CsvRecords['records'] };
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const line = (error as CsvError & { lines?: number }).lines ?? 1;
    return { problem: { key: 'pupils.import_unreadable', params: { line } }, delimiter };
  }
}

/** Parses a class list. `currentYear` reads two-digit years in personal identity numbers. */
export function parsePupilCsv(input: Buffer | string, currentYear: number): ParsedImport {
  const read = readRecords(input);
  if ('problem' in read) return fail(read.problem, read.delimiter);
  const { delimiter, records } = read;
  const [header, ...body] = records;
  if (!header) return fail({ key: 'pupils.import_empty' }, delimiter);
  if (header.record.length > IMPORT_LIMITS.maxColumns) return fail({ key: 'pupils.import_not_text' }, delimiter);
  // Excel writes rows of empty cells (";;;") below the data.
  const data = body.filter((r) => r.record.some((cell) => cell.trim() !== ''));

  const { columns, unknownHeaders, problems } = readHeader(header.record);
  if (data.length === 0) problems.push({ key: 'pupils.import_no_rows' });
  if (data.length > IMPORT_LIMITS.maxRows) problems.push({ key: 'pupils.import_too_many_rows', params: { max: IMPORT_LIMITS.maxRows, rows: data.length } });
  const base = { unknownHeaders, personnummerDropped: columns.has('personnummer'), delimiter };
  if (problems.length > 0) return { ok: false, fileProblems: problems, rows: [], ...base };

  const rows = data.map(({ info, record }) => readRow(info.lines, record, columns, currentYear));
  markDuplicates(rows);
  return { ok: rows.every((r) => r.fields !== null), fileProblems: [], rows, ...base };
}

function readHeader(cells: string[]) {
  const columns = new Map<ImportField, number>();
  const unknownHeaders: string[] = [];
  const problems: FileProblem[] = [];
  cells.forEach((cell, index) => {
    const field = FIELD_OF_HEADER.get(fold(cell));
    if (!field) {
      if (cell.trim()) unknownHeaders.push(cell.trim().slice(0, 40));
    } else if (columns.has(field)) {
      problems.push({ key: 'pupils.import_duplicate_column', field });
    } else columns.set(field, index);
  });
  const hasNames = columns.has('givenName') && columns.has('familyName');
  if (!hasNames && !columns.has('name')) {
    for (const field of ['givenName', 'familyName'] as const) if (!columns.has(field)) problems.push({ key: 'pupils.import_missing_column', field });
  }
  if (hasNames) columns.delete('name');
  if (!columns.has('className')) problems.push({ key: 'pupils.import_missing_column', field: 'className' });
  return { columns, unknownHeaders, problems };
}

/** "Efternamn, Förnamn" as school systems export it. */
function splitName(value: string): [string, string] | null {
  const comma = value.indexOf(',');
  if (comma < 0) return null;
  return [value.slice(comma + 1).trim(), value.slice(0, comma).trim()];
}

type Cell = (field: ImportField) => string;

/** The row's cells read into what the pupil schema takes; problems with single cells are added to `problems`. */
function readCells(cell: Cell, hasNameColumn: boolean, currentYear: number, problems: FieldProblems) {
  let [givenName, familyName] = [cell('givenName'), cell('familyName')];
  if (hasNameColumn && cell('name')) {
    const split = splitName(cell('name'));
    if (split) [givenName, familyName] = split;
    else problems.name = { key: 'pupils.import_name_format' };
  }
  const className = normaliseClassName(cell('className'));
  const quoted = (field: ImportField) => ({ value: cell(field).slice(0, 20) });
  const grade = readGrade(cell('grade'));
  if (grade === 'unknown') problems.grade = { key: 'pupils.import_grade_unknown', params: quoted('grade') };
  if (grade === null && className && !gradeFromClassName(className)) problems.grade = { key: 'pupils.import_grade_missing', params: { className: className.slice(0, 20) } };
  const gender = readGender(cell('gender'));
  if (gender === 'unknown') problems.gender = { key: 'pupils.import_gender_unknown', params: quoted('gender') };
  const protectedIdentity = readYesNo(cell('protectedIdentity'));
  if (protectedIdentity === 'unknown') problems.protectedIdentity = { key: 'pupils.import_yes_no', params: quoted('protectedIdentity') };
  let birthYear = readBirthYear(cell('birthYear'));
  if (birthYear === 'unknown') problems.birthYear = { key: 'pupils.birth_year_range' };
  if (birthYear === null && cell('personnummer')) {
    birthYear = birthYearFromPersonnummer(cell('personnummer'), currentYear);
    // The message never repeats the number.
    if (birthYear === 'unknown') problems.personnummer = { key: 'pupils.import_personnummer_unreadable' };
  }
  const known = <T>(value: T | 'unknown'): T | null => (value === 'unknown' ? null : value);
  return {
    givenName,
    familyName,
    className,
    grade: known(grade) ?? gradeFromClassName(className) ?? undefined,
    birthYear: known(birthYear),
    gender: known(gender),
    protectedIdentity: protectedIdentity === true,
  };
}

function readRow(line: number, record: string[], columns: Map<ImportField, number>, currentYear: number): ImportRow {
  const cell: Cell = (field) => {
    const index = columns.get(field);
    return index === undefined ? '' : (record[index] ?? '').trim();
  };
  const problems: FieldProblems = {};
  const candidate = readCells(cell, columns.has('name'), currentYear, problems);
  const result = pupilFieldsSchema.safeParse(candidate, { reportInput: true });
  if (!result.success) for (const [field, problem] of Object.entries(fieldProblems(result.error))) problems[field] ??= problem;
  // A missing name, when the file has one "Namn" column, is about that column.
  if (columns.has('name') && (problems.givenName || problems.familyName)) {
    problems.name ??= problems.givenName ?? problems.familyName!;
    delete problems.givenName;
    delete problems.familyName;
  }
  const fields = result.success && Object.keys(problems).length === 0 ? result.data : null;
  return { line, shown: fields ? shownPupil(fields) : shownCells(cell, candidate), fields, problems };
}

const shownPupil = (p: PupilFields): ShownRow => ({
  givenName: p.givenName,
  familyName: p.familyName,
  className: p.className,
  grade: p.grade,
  birthYear: p.birthYear?.toString() ?? '',
  gender: p.gender ?? '',
  protectedIdentity: p.protectedIdentity ? 'yes' : '',
});

/** A row with problems is shown as the file has it (cut short), the birth year as read: never a personal identity number. */
const shownCells = (cell: Cell, read: { givenName: string; familyName: string; className: string; birthYear: number | null }): ShownRow => ({
  givenName: read.givenName.slice(0, 60),
  familyName: read.familyName.slice(0, 60),
  className: read.className.slice(0, 20),
  grade: cell('grade').slice(0, 20),
  birthYear: read.birthYear === null ? cell('birthYear').slice(0, 20) : String(read.birthYear),
  gender: cell('gender').slice(0, 20),
  protectedIdentity: cell('protectedIdentity').slice(0, 20),
});

/** The key two rows (or a row and a pupil in the register) are the same pupil by: names and class. */
export const pupilKey = (p: { givenName: string; familyName: string; className: string }): string =>
  [p.givenName, p.familyName, p.className].map((v) => v.trim().toLocaleLowerCase('sv-SE')).join('\u0000');

/** The same pupil twice in one file is a mistake to fix, not a second pupil. */
function markDuplicates(rows: ImportRow[]): void {
  const seen = new Map<string, number>();
  for (const row of rows) {
    if (!row.fields) continue;
    const key = pupilKey(row.fields);
    const first = seen.get(key);
    if (first === undefined) seen.set(key, row.line);
    else {
      row.problems._ = { key: 'pupils.import_duplicate_row', params: { row: first } };
      row.fields = null;
    }
  }
}

const GENDER_CELL = { girl: 'flicka', boy: 'pojke', non_binary: 'icke-binär', undisclosed: 'vill inte säga' } as const;

/**
 * The valid rows as a CSV this parser reads back the same: what the confirm step re-checks.
 * Only what is kept is in it (a birth year, never a personal identity number).
 */
export function canonicalCsv(rows: readonly PupilFields[]): string {
  const quote = (value: string) => `"${value.replace(/"/g, '""')}"`;
  const lines = rows.map((p) =>
    [p.givenName, p.familyName, p.className, p.grade, p.birthYear?.toString() ?? '', p.gender ? GENDER_CELL[p.gender] : '', p.protectedIdentity ? 'ja' : 'nej'].map(quote).join(';'),
  );
  return ['Förnamn;Efternamn;Klass;Årskurs;Födelseår;Kön;Skyddad identitet', ...lines].join('\r\n');
}

import type { Gender, Grade } from './pupils.schemas.ts';

/**
 * How a class list's cells are read: the words school systems and people use in Swedish and
 * English, compared without case, accents, spaces or punctuation ("Icke-binär" is "ickebinar").
 * Each reader returns the value, null for an empty cell, or 'unknown'.
 */

export const fold = (value: string): string =>
  value
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');

type Read<T> = T | null | 'unknown';

const GENDER_WORDS: Record<string, Gender> = {};
const addWords = <T extends string>(target: Record<string, T>, value: T, words: string[]) => words.forEach((w) => (target[w] = value));
addWords(GENDER_WORDS, 'girl', ['flicka', 'tjej', 'f', 'k', 'kvinna', 'kvinnlig', 'girl', 'female', 'w']);
addWords(GENDER_WORDS, 'boy', ['pojke', 'kille', 'p', 'm', 'man', 'manlig', 'boy', 'male']);
addWords(GENDER_WORDS, 'non_binary', ['ickebinar', 'annat', 'annan', 'x', 'nonbinary', 'other']);
addWords(GENDER_WORDS, 'undisclosed', ['villintesaga', 'villinteuppge', 'uppgesinte', 'undisclosed', 'prefernottosay']);

export function readGender(cell: string): Read<Gender> {
  const key = fold(cell);
  if (!key) return null;
  return GENDER_WORDS[key] ?? 'unknown';
}

const YES = new Set(['ja', 'j', 'x', '1', 'yes', 'y', 'true', 'sant', 'skyddad']);
const NO = new Set(['nej', 'n', '0', 'no', 'false', 'falskt']);

/** Protected identity: "ja", "x", "1" … ; an empty cell is "no". */
export function readYesNo(cell: string): boolean | 'unknown' {
  const key = fold(cell);
  if (!key || NO.has(key)) return false;
  return YES.has(key) ? true : 'unknown';
}

const GRADE_WORDS: Record<string, Grade> = {};
for (const g of ['7', '8', '9'] as const) GRADE_WORDS[g] = g;
for (const n of ['1', '2', '3'] as const) {
  const grade = `gy${n}` as Grade;
  addWords(GRADE_WORDS, grade, [`gy${n}`, `g${n}`, `gymnasiet${n}`, `gymnasium${n}`]);
}
addWords(GRADE_WORDS, 'yh', ['yh', 'yrkeshogskola', 'yrkeshogskolan']);

/** "8", "åk 8", "Åk8", "år 8", "Year 8", "GY 1", "YH" … */
export function readGrade(cell: string): Read<Grade> {
  const key = fold(cell).replace(/^(arskurs|ak|ar|year|grade)(?=\d)/, '');
  if (!key) return null;
  return GRADE_WORDS[key] ?? 'unknown';
}

/** "2013", or a date that starts with the year ("2013-04-21"). */
export function readBirthYear(cell: string): Read<number> {
  const value = cell.trim();
  if (!value) return null;
  const match = /^(\d{4})(?:[-/.]\d{1,2}[-/.]\d{1,2})?$/.exec(value);
  return match ? Number(match[1]) : 'unknown';
}

/**
 * Only the birth year is taken from a personal identity number; the number itself is never
 * kept. "20130421-1234", "201304211234", "130421-1234", and "130421+1234" (100 years or older).
 * A two-digit year is the latest that is not in the future.
 */
export function birthYearFromPersonnummer(cell: string, currentYear: number): Read<number> {
  const value = cell.replace(/\s/g, '');
  if (!value) return null;
  const match = /^(\d{2})?(\d{2})(\d{2})(\d{2})([-+]?)(\d{4})$/.exec(value);
  if (!match) return 'unknown';
  const [, century, yy, mm, dd, separator] = match;
  const month = Number(mm);
  // Day + 60 is a coordination number (samordningsnummer); its year is read the same way.
  const day = Number(dd) > 60 ? Number(dd) - 60 : Number(dd);
  if (month < 1 || month > 12 || day < 1 || day > 31) return 'unknown';
  if (century) return Number(century + yy);
  let year = Math.floor(currentYear / 100) * 100 + Number(yy);
  if (year > currentYear) year -= 100;
  if (separator === '+') year -= 100;
  return year;
}

import { describe, expect, it } from 'vitest';
import { birthYearFromPersonnummer, readGender, readGrade, readYesNo } from '../../src/pupils/import-values.ts';
import { canonicalCsv, detectDelimiter, IMPORT_LIMITS, parsePupilCsv, type ParsedImport } from '../../src/pupils/import.ts';
import { localiseFields } from '../../src/http/validation.ts';
import { translator } from '../../src/i18n/index.ts';

const YEAR = 2027;
const parse = (input: string | Buffer) => parsePupilCsv(input, YEAR);
const names = (result: ParsedImport) => result.rows.map((r) => r.fields && `${r.fields.givenName} ${r.fields.familyName} ${r.fields.className} ${r.fields.grade}`);
const problemsOf = (result: ParsedImport) => result.rows.flatMap((r) => Object.entries(r.problems).map(([field, p]) => `${r.line} ${field} ${p.key}`));
const fileKeys = (result: ParsedImport) => result.fileProblems.map((p) => [p.key, p.field].filter(Boolean).join(' '));

describe('reading a class list', () => {
  it('reads a semicolon-separated file with Swedish headers', () => {
    const result = parse('Förnamn;Efternamn;Klass;Årskurs\nAlva;Berg;8B;8\nNoah;Lind;9a;9\n');
    expect(result.ok).toBe(true);
    expect(result.delimiter).toBe(';');
    expect(names(result)).toEqual(['Alva Berg 8B 8', 'Noah Lind 9A 9']);
  });

  it('reads a comma-separated file with English headers', () => {
    const result = parse('First name,Last name,Class,Grade\nAlva,Berg,8B,8\n');
    expect(result.delimiter).toBe(',');
    expect(names(result)).toEqual(['Alva Berg 8B 8']);
  });

  it('reads a file with a UTF-8 byte order mark', () => {
    const result = parse(Buffer.from('\uFEFFFörnamn;Efternamn;Klass\nÅsa;Öberg;7C\n', 'utf8'));
    expect(result.ok).toBe(true);
    expect(names(result)).toEqual(['Åsa Öberg 7C 7']);
  });

  it('reads the same file without a byte order mark', () => {
    expect(names(parse(Buffer.from('Förnamn;Efternamn;Klass\nÅsa;Öberg;7C\n', 'utf8')))).toEqual(['Åsa Öberg 7C 7']);
  });

  it('keeps a delimiter inside a quoted field', () => {
    const result = parse('Förnamn;Efternamn;Klass\n"Anna; Maria";"Berg, Lind";8B\n');
    expect(names(result)).toEqual(['Anna; Maria Berg, Lind 8B 8']);
  });

  it('reads Windows line endings (CRLF)', () => {
    const result = parse('Förnamn;Efternamn;Klass\r\nAlva;Berg;8B\r\nNoah;Lind;8B\r\n');
    expect(names(result)).toEqual(['Alva Berg 8B 8', 'Noah Lind 8B 8']);
  });

  it('skips empty lines and numbers rows as they are in the file', () => {
    const result = parse('Förnamn;Efternamn;Klass\n\nAlva;Berg;8B\n\n\nNoah;Lind;8B\n');
    expect(result.rows.map((r) => r.line)).toEqual([3, 6]);
  });

  it('reads headers without case, accents or spaces ("FORNAMN", "efter namn", "Åk")', () => {
    const result = parse('FORNAMN;efter namn;KLASS;Åk\nAlva;Berg;te1a;gy1\n');
    expect(names(result)).toEqual(['Alva Berg TE1A gy1']);
  });

  it('takes the grade from the class when there is no grade column', () => {
    expect(names(parse('Förnamn;Efternamn;Klass\nAlva;Berg;9 c\n'))).toEqual(['Alva Berg 9C 9']);
  });

  it('ignores unknown columns and names them', () => {
    const result = parse('Förnamn;Efternamn;Klass;E-post;Vårdnadshavare\nAlva;Berg;8B;alva@example.se;Eva\n');
    expect(result.ok).toBe(true);
    expect(result.unknownHeaders).toEqual(['E-post', 'Vårdnadshavare']);
  });

  it('reads a combined "Namn" column written "Efternamn, Förnamn"', () => {
    expect(names(parse('Namn;Klass\n"Berg, Alva";8B\n'))).toEqual(['Alva Berg 8B 8']);
  });

  it('refuses a combined name without a comma', () => {
    expect(problemsOf(parse('Namn;Klass\nAlva Berg;8B\n'))).toEqual(['2 name pupils.import_name_format']);
  });

  it('reads gender words in Swedish and English, and an empty cell as no answer', () => {
    const result = parse('Förnamn;Efternamn;Klass;Kön\nA;A;8B;Tjej\nB;B;8B;P\nC;C;8B;Icke-binär\nD;D;8B;vill inte säga\nE;E;8B;\nF;F;8B;male\n');
    expect(result.rows.map((r) => r.fields?.gender)).toEqual(['girl', 'boy', 'non_binary', 'undisclosed', null, 'boy']);
  });

  it('reads protected identity as ja, x, 1 or yes', () => {
    const result = parse('Förnamn;Efternamn;Klass;Skyddad identitet\nA;A;8B;ja\nB;B;8B;x\nC;C;8B;nej\nD;D;8B;\nE;E;8B;Yes\n');
    expect(result.rows.map((r) => r.fields?.protectedIdentity)).toEqual([true, true, false, false, true]);
  });
});

describe('problems in a class list', () => {
  it('names each missing required column', () => {
    const result = parse('Förnamn;Födelseår\nAlva;2013\n');
    expect(result.ok).toBe(false);
    expect(fileKeys(result)).toEqual(['pupils.import_missing_column familyName', 'pupils.import_missing_column className']);
  });

  it('refuses a column that is there twice', () => {
    expect(fileKeys(parse('Förnamn;Efternamn;Klass;Klass\nA;B;8B;8B\n'))).toEqual(['pupils.import_duplicate_column className']);
  });

  it('refuses a grade it does not know, quoting it', () => {
    const result = parse('Förnamn;Efternamn;Klass;Årskurs\nAlva;Berg;8B;10\n');
    expect(result.ok).toBe(false);
    expect(result.rows[0]!.problems.grade).toEqual({ key: 'pupils.import_grade_unknown', params: { value: '10' } });
  });

  it('asks for a grade when neither the column nor the class tells it', () => {
    expect(problemsOf(parse('Förnamn;Efternamn;Klass\nAlva;Berg;NA22\n'))).toEqual(['2 grade pupils.import_grade_missing']);
  });

  it('lists every problem of every row, with its row number', () => {
    const result = parse('Förnamn;Efternamn;Klass;Födelseår;Kön\n;Berg;8B;2013;flicka\nNoah;Lind;8B;1850;robot\n');
    expect(problemsOf(result)).toEqual(['2 givenName field.required', '3 gender pupils.import_gender_unknown', '3 birthYear pupils.birth_year_range']);
  });

  it('names the field in Swedish in each message', () => {
    const result = parse('Förnamn;Efternamn;Klass;Födelseår\nAlva;;8B;20133\n');
    expect(localiseFields(translator('sv'), result.rows[0]!.problems)).toEqual({
      familyName: 'Fyll i efternamn.',
      birthYear: 'Skriv födelseår med fyra siffror, mellan 1990 och 2030.',
    });
  });

  it('marks the second of two identical rows as a duplicate of the first', () => {
    const result = parse('Förnamn;Efternamn;Klass\nAlva;Berg;8B\nNoah;Lind;8B\nalva;berg;8b\n');
    expect(result.ok).toBe(false);
    expect(problemsOf(result)).toEqual(['4 _ pupils.import_duplicate_row']);
    expect(result.rows[2]!.problems._!.params).toEqual({ row: 2 });
  });

  it('refuses a file with only a header', () => {
    expect(fileKeys(parse('Förnamn;Efternamn;Klass\n'))).toEqual(['pupils.import_no_rows']);
  });

  it('refuses an empty file', () => {
    expect(fileKeys(parse('\n\n'))).toEqual(['pupils.import_empty']);
  });

  it(`refuses more than ${IMPORT_LIMITS.maxRows} rows`, () => {
    const rows = Array.from({ length: IMPORT_LIMITS.maxRows + 1 }, (_, i) => `E${i};F;8B`);
    const result = parse(['Förnamn;Efternamn;Klass', ...rows].join('\n'));
    expect(result.fileProblems).toEqual([{ key: 'pupils.import_too_many_rows', params: { max: 2000, rows: 2001 } }]);
  });

  it('accepts exactly the row limit', () => {
    const rows = Array.from({ length: IMPORT_LIMITS.maxRows }, (_, i) => `E${i};F;8B`);
    expect(parse(['Förnamn;Efternamn;Klass', ...rows].join('\n')).ok).toBe(true);
  });

  it('refuses a file larger than the byte limit', () => {
    const big = Buffer.alloc(IMPORT_LIMITS.maxBytes + 1, 'a');
    expect(fileKeys(parse(big))).toEqual(['pupils.import_too_large']);
  });

  it('refuses a binary file with a message, not an exception', () => {
    const binary = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]);
    expect(fileKeys(parse(binary))).toEqual(['pupils.import_not_text']);
  });

  it('tells an Excel workbook (.xlsx) from its CSV export', () => {
    expect(fileKeys(parse(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00])))).toEqual(['pupils.import_spreadsheet']);
  });

  it('reports an unclosed quote with its line', () => {
    expect(parse('Förnamn;Efternamn;Klass\nAlva;"Berg;8B\n').fileProblems).toEqual([{ key: 'pupils.import_unreadable', params: { line: 2 } }]);
  });
});

describe('Excel-style exports', () => {
  it('reads "CSV UTF-8" from Swedish Excel: BOM, semicolons, CRLF and empty trailing rows', () => {
    const file = '\uFEFFFörnamn;Efternamn;Klass;Årskurs\r\nAlva;Berg;8B;8\r\n;;;\r\n;;;\r\n';
    const result = parse(Buffer.from(file, 'utf8'));
    expect([result.ok, names(result)]).toEqual([true, ['Alva Berg 8B 8']]);
  });

  it('reads the older Windows-1252 export ("CSV semikolonavgränsad")', () => {
    const file = Buffer.from('Förnamn;Efternamn;Klass\r\nÅsa;Öberg;8B\r\n', 'latin1');
    expect(names(parse(file))).toEqual(['Åsa Öberg 8B 8']);
  });

  it('reads a "sep=;" first line', () => {
    expect(names(parse('sep=;\r\nFörnamn;Efternamn;Klass\r\nAlva;Berg;8B\r\n'))).toEqual(['Alva Berg 8B 8']);
  });

  it('reads cells pasted from Excel (tab-separated)', () => {
    const result = parse('Förnamn\tEfternamn\tKlass\nAlva\tBerg\t8B\n');
    expect([result.delimiter, names(result)]).toEqual(['\t', ['Alva Berg 8B 8']]);
  });

  it('reads "Unicode text" (UTF-16 with a byte order mark)', () => {
    const file = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Förnamn\tEfternamn\tKlass\r\nÅsa\tÖberg\t8B\r\n', 'utf16le')]);
    expect(names(parse(file))).toEqual(['Åsa Öberg 8B 8']);
  });

  it('reads rows that leave out empty cells at the end', () => {
    const result = parse('Förnamn;Efternamn;Klass;Kön;Skyddad identitet\nAlva;Berg;8B\n');
    expect(result.rows[0]!.fields).toMatchObject({ gender: null, protectedIdentity: false });
  });
});

describe('personal identity numbers', () => {
  it('takes only the birth year and says the column was dropped', () => {
    const result = parse('Förnamn;Efternamn;Klass;Personnummer\nAlva;Berg;8B;20130421-1234\n');
    expect(result.personnummerDropped).toBe(true);
    expect(result.rows[0]!.fields!.birthYear).toBe(2013);
    expect(JSON.stringify(result)).not.toContain('1234');
  });

  it('never repeats an unreadable number in the problem', () => {
    const result = parse('Förnamn;Efternamn;Klass;Personnummer\nAlva;Berg;8B;2013-99-99-ABCD\n');
    expect(result.rows[0]!.problems).toEqual({ personnummer: { key: 'pupils.import_personnummer_unreadable' } });
    expect(JSON.stringify(result)).not.toContain('ABCD');
  });

  const cases: [string, string, number | null | 'unknown'][] = [
    ['twelve digits with a dash', '20130421-1234', 2013],
    ['twelve digits without a dash', '201304211234', 2013],
    ['ten digits, a year this century', '130421-1234', 2013],
    ['ten digits, a year that would be in the future', '950421-1234', 1995],
    ['ten digits with a plus (100 years or older)', '130421+1234', 1913],
    ['a coordination number (day + 60)', '130481-1234', 2013],
    ['spaces inside', '2013 0421 1234', 2013],
    ['month 13', '20131321-1234', 'unknown'],
    ['letters', 'ABC', 'unknown'],
    ['empty', '', null],
  ];
  for (const [name, value, expected] of cases) {
    it(`reads ${name}`, () => expect(birthYearFromPersonnummer(value, YEAR)).toBe(expected));
  }
});

describe('cell readers', () => {
  const grades: [string, string | null][] = [
    ['8', '8'],
    ['åk 8', '8'],
    ['Åk8', '8'],
    ['år 9', '9'],
    ['Year 7', '7'],
    ['GY 1', 'gy1'],
    ['gy3', 'gy3'],
    ['YH', 'yh'],
    ['', null],
  ];
  for (const [cell, grade] of grades) it(`reads the grade "${cell}"`, () => expect(readGrade(cell)).toBe(grade));
  it('does not guess a grade of 6', () => expect(readGrade('6')).toBe('unknown'));
  it('reads the gender "F" as a girl and "M" as a boy', () => expect([readGender('F'), readGender('M'), readGender('K'), readGender('P')]).toEqual(['girl', 'boy', 'girl', 'boy']));
  it('does not guess a yes or no', () => expect(readYesNo('kanske')).toBe('unknown'));
});

describe('the delimiter', () => {
  it('is the one the header uses most, outside quotes', () => {
    expect([detectDelimiter('a;b;c'), detectDelimiter('a,b,c'), detectDelimiter('"a;b",c,d'), detectDelimiter('a\tb'), detectDelimiter('name')]).toEqual([';', ',', ',', '\t', ';']);
  });
});

describe('the canonical content the confirm step posts back', () => {
  it('is read back as the same pupils', () => {
    const first = parse('Förnamn;Efternamn;Klass;Årskurs;Födelseår;Kön;Skyddad identitet\n"Anna ""Nana""";Berg; 8b ;;2013;tjej;ja\nNoah;Lind;TE1A;gy1;;;\n');
    const pupils = first.rows.map((r) => r.fields!);
    const again = parse(canonicalCsv(pupils));
    expect(again.rows.map((r) => r.fields)).toEqual(pupils);
  });
});

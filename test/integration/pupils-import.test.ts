import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../support/app.ts';
import { fieldError, signedIn, type SignedIn } from '../support/flows.ts';
import { confirmContent, confirmCsv, makePupil, pasteCsv, pupilsOf, uploadCsv } from '../support/pupils.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

const counsellor = () => signedIn(ctx, 'counsellor');
const namesIn = async (c: SignedIn) => (await pupilsOf(ctx.db, c.user.schoolId!)).map((p) => `${p.given_name} ${p.family_name} ${p.class_name}`).sort();

const GOOD = 'Förnamn;Efternamn;Klass;Årskurs;Födelseår;Kön;Skyddad identitet\r\nAlva;Berg;8B;8;2013;flicka;nej\r\nNoah;Lind;8B;8;2013;pojke;ja\r\n';

describe('GET /school/pupils/import', () => {
  it('offers a file upload and a box to paste into, sending the CSRF token in the address', async () => {
    const c = await counsellor();
    const res = await c.agent.get('/school/pupils/import');
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/action="\/school\/pupils\/import\?_csrf=[^"]+" enctype="multipart\/form-data"/);
    expect(res.text).toContain('type="file" id="f-csvFile" name="csvFile"');
    expect(res.text).toContain('<textarea id="f-csvText" name="csvText"');
  });
});

describe('the import preview', () => {
  it('shows every row with its counts and writes nothing yet', async () => {
    const c = await counsellor();
    const res = await uploadCsv(c.agent, GOOD);
    expect(res.status).toBe(200);
    expect(res.text).toContain('Rader: 2. Nya elever: 2. Finns redan: 0. Med fel: 0.');
    expect(res.text).toContain('<td>Alva Berg<br><span class="muted">Klass 8B · Åk 8</span>');
    expect(res.text).toContain('Lägg till eleverna (2)');
    expect(await namesIn(c)).toEqual([]);
  });

  it('reads a file with a byte order mark', async () => {
    const c = await counsellor();
    const res = await uploadCsv(c.agent, Buffer.from(`\uFEFF${GOOD}`, 'utf8'));
    expect(res.status).toBe(200);
    expect(res.text).toContain('Nya elever: 2.');
  });

  it('reads a comma-separated list pasted into the box', async () => {
    const c = await counsellor();
    const res = await pasteCsv(c.agent, 'First name,Last name,Class\nAlva,Berg,8B\n');
    expect(res.status).toBe(200);
    expect(res.text).toContain('Rader: 1. Nya elever: 1.');
  });

  it('shows each problem with its row and field, offers no confirm button, and writes nothing (422)', async () => {
    const c = await counsellor();
    const res = await uploadCsv(c.agent, 'Förnamn;Efternamn;Klass;Årskurs\nAlva;;8B;8\nNoah;Lind;8B;10\n');
    expect(res.status).toBe(422);
    expect(res.text).toContain('Rad 2: Fyll i efternamn.');
    expect(res.text).toContain('Rad 3: Årskursen &#34;10&#34; känns inte igen. Skriv 7, 8, 9, gy1, gy2, gy3 eller yh.');
    expect(confirmContent(res.text)).toBeUndefined();
    expect(await namesIn(c)).toEqual([]);
  });

  it('names a missing column', async () => {
    const c = await counsellor();
    const res = await uploadCsv(c.agent, 'Förnamn;Efternamn\nAlva;Berg\n');
    expect(res.status).toBe(422);
    expect(res.text).toContain('Kolumnen Klass saknas.');
  });

  it('marks pupils already in the register as skipped', async () => {
    const c = await counsellor();
    await makePupil(ctx.db, c.user.schoolId!, { givenName: 'Alva', familyName: 'Berg', className: '8B' });
    const res = await uploadCsv(c.agent, GOOD);
    expect(res.text).toContain('Rader: 2. Nya elever: 1. Finns redan: 1. Med fel: 0.');
    expect(res.text).toContain('Finns redan – hoppas över');
  });

  it('takes only the birth year from personal identity numbers and never shows them', async () => {
    const c = await counsellor();
    const res = await uploadCsv(c.agent, 'Förnamn;Efternamn;Klass;Personnummer\nAlva;Berg;8B;20130421-4321\n');
    expect(res.status).toBe(200);
    expect(res.text).toContain('Filen har personnummer. Vi tar bara födelseåret.');
    expect(res.text).toContain('<span class="muted">Födelseår: 2013</span>');
    expect(res.text).not.toContain('4321');
  });

  it('answers a binary upload with a message, not a 500', async () => {
    const c = await counsellor();
    const res = await uploadCsv(c.agent, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]), 'bild.csv');
    expect(res.status).toBe(422);
    expect(res.text).toContain('Filen kunde inte läsas som text. Välj en CSV-fil.');
  });

  it('refuses a file over 1 MB at the file field', async () => {
    const c = await counsellor();
    const res = await uploadCsv(c.agent, Buffer.alloc(1_000_001, 'a'));
    expect(res.status).toBe(422);
    expect(fieldError(res.text, 'csvFile')).toBe('Filen är för stor. Den får vara högst 1 MB.');
  });

  it('asks for a file or a pasted list when neither came', async () => {
    const c = await counsellor();
    const res = await pasteCsv(c.agent, '   ');
    expect(res.status).toBe(422);
    expect(fieldError(res.text, 'csvFile')).toBe('Välj en fil eller klistra in en klasslista.');
  });

  it('refuses an upload without the CSRF token', async () => {
    const c = await counsellor();
    const res = await c.agent.post('/school/pupils/import').attach('csvFile', Buffer.from(GOOD), 'a.csv');
    expect(res.status).toBe(403);
  });
});

describe('POST /school/pupils/import/confirm', () => {
  it('adds every new pupil of the previewed list', async () => {
    const c = await counsellor();
    const content = confirmContent((await uploadCsv(c.agent, GOOD)).text)!;
    const res = await confirmCsv(c.agent, content);
    expect([res.status, res.headers.location]).toEqual([303, '/school/pupils?notice=imported&count=2']);
    const rows = await pupilsOf(ctx.db, c.user.schoolId!);
    expect(rows.map((r) => [r.given_name, r.family_name, r.class_name, r.grade, r.birth_year, r.gender, r.protected_identity])).toEqual([
      ['Alva', 'Berg', '8B', '8', 2013, 'girl', 0],
      ['Noah', 'Lind', '8B', '8', 2013, 'boy', 1],
    ]);
  });

  it('leaves out pupils that are already there', async () => {
    const c = await counsellor();
    const content = confirmContent((await uploadCsv(c.agent, GOOD)).text)!;
    await makePupil(ctx.db, c.user.schoolId!, { givenName: 'Noah', familyName: 'Lind', className: '8B' });
    await confirmCsv(c.agent, content);
    expect(await namesIn(c)).toEqual(['Alva Berg 8B', 'Noah Lind 8B']);
  });

  it('checks the content again and writes nothing when it has a problem (422)', async () => {
    const c = await counsellor();
    const res = await confirmCsv(c.agent, 'Förnamn;Efternamn;Klass\nAlva;Berg;8B\nNoah;;8B\n');
    expect(res.status).toBe(422);
    expect(res.text).toContain('Rad 3: Fyll i efternamn.');
    expect(await namesIn(c)).toEqual([]);
  });

  it('never sends a personal identity number to the confirm step', async () => {
    const c = await counsellor();
    const content = confirmContent((await uploadCsv(c.agent, 'Förnamn;Efternamn;Klass;Personnummer\nAlva;Berg;8B;130421-4321\n')).text)!;
    expect(content).not.toContain('4321');
    await confirmCsv(c.agent, content);
    expect((await pupilsOf(ctx.db, c.user.schoolId!))[0]!.birth_year).toBe(2013);
  });

  it('adds a whole class in one go', async () => {
    const c = await counsellor();
    const rows = Array.from({ length: 450 }, (_, i) => `Elev${i};Efternamn${i};9A`);
    const content = confirmContent((await uploadCsv(c.agent, ['Förnamn;Efternamn;Klass', ...rows].join('\n'))).text)!;
    expect((await confirmCsv(c.agent, content)).status).toBe(303);
    const codes = (await pupilsOf(ctx.db, c.user.schoolId!)).map((p) => p.code);
    expect([codes.length, new Set(codes).size]).toEqual([450, 450]);
  });

  it('is refused to another role (403)', async () => {
    const { agent } = await signedIn(ctx, 'company_coordinator');
    expect((await confirmCsv(agent, GOOD)).status).toBe(403);
  });
});

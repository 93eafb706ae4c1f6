import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/db/types.ts';
import { createTestContext, type TestContext } from '../support/app.ts';
import { makeSchool } from '../support/factories.ts';
import { fieldError, signedIn, type SignedIn } from '../support/flows.ts';
import { makePupil, pupilForm, pupilRow, pupilsOf } from '../support/pupils.ts';
import { submit } from '../support/slots.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

const counsellor = () => signedIn(ctx, 'counsellor');
const schoolOf = (c: SignedIn) => c.user.schoolId!;

describe('GET /school/pupils', () => {
  it('lists the school’s pupils grouped by class, in Swedish order', async () => {
    const c = await counsellor();
    await makePupil(ctx.db, schoolOf(c), { givenName: 'Örjan', familyName: 'Öberg', className: '9A' });
    await makePupil(ctx.db, schoolOf(c), { givenName: 'Alva', familyName: 'Zetterlund', className: '8B' });
    await makePupil(ctx.db, schoolOf(c), { givenName: 'Bo', familyName: 'Åberg', className: '8B' });
    const res = await c.agent.get('/school/pupils');
    expect(res.status).toBe(200);
    const order = ['Klass 8B', 'Zetterlund, Alva', 'Åberg, Bo', 'Klass 9A', 'Öberg, Örjan'].map((s) => res.text.indexOf(s));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('marks a pupil with a protected identity and shows grade and link status', async () => {
    const c = await counsellor();
    await makePupil(ctx.db, schoolOf(c), { givenName: 'Sara', familyName: 'Skydd', protectedIdentity: true });
    const res = await c.agent.get('/school/pupils');
    expect(res.text).toContain('<span class="badge badge-protected">Skyddad</span>');
    expect(res.text).toContain('<td>Åk 8</td>');
    expect(res.text).toMatch(/<td>Nej<\/td>\s*<\/tr>/);
  });

  it('never shows another school’s pupils', async () => {
    const c = await counsellor();
    const other = await makeSchool(ctx.db);
    await makePupil(ctx.db, other.id, { givenName: 'Främling', familyName: 'Annanskola' });
    const res = await c.agent.get('/school/pupils');
    expect(res.text).not.toContain('Annanskola');
    expect(res.text).toContain('Det finns inga elever än.');
  });

  for (const role of ['platform_admin', 'network_coordinator', 'company_coordinator'] as Role[]) {
    it(`is refused to a ${role.replace('_', ' ')} (403)`, async () => {
      const { agent } = await signedIn(ctx, role);
      expect((await agent.get('/school/pupils')).status).toBe(403);
    });
  }

  it('sends an anonymous visitor to sign in', async () => {
    const res = await supertest(ctx.app).get('/school/pupils');
    expect([res.status, res.headers.location]).toEqual([303, '/login?next=%2Fschool%2Fpupils']);
  });
});

describe('POST /school/pupils/new', () => {
  it('adds a pupil to the counsellor’s own school and shows it', async () => {
    const c = await counsellor();
    const res = await submit(c.agent, '/school/pupils/new', pupilForm({ gender: 'girl', protectedIdentity: '1' }));
    expect(res.status).toBe(303);
    const [row] = await pupilsOf(ctx.db, schoolOf(c));
    expect(row).toMatchObject({ given_name: 'Alva', family_name: 'Berg', class_name: '8B', grade: '8', birth_year: 2013, gender: 'girl', protected_identity: 1, created_by: c.user.id });
    expect(row!.code).toMatch(/^[A-HJ-NP-Z2-9]{6}$/);
    expect(res.headers.location).toBe(`/school/pupils/${row!.id}?notice=created`);
  });

  it('tidies the class name ("8 b" becomes 8B) and takes the grade from it when none is chosen', async () => {
    const c = await counsellor();
    await submit(c.agent, '/school/pupils/new', pupilForm({ className: ' 9 c ', grade: '' }));
    const [row] = await pupilsOf(ctx.db, schoolOf(c));
    expect([row!.class_name, row!.grade]).toEqual(['9C', '9']);
  });

  it('shows every problem at its field, naming the field in Swedish (422)', async () => {
    const c = await counsellor();
    const res = await submit(c.agent, '/school/pupils/new', { givenName: '', familyName: 'Berg', className: 'NA22', grade: '', birthYear: '1850', gender: 'robot' });
    expect(res.status).toBe(422);
    expect(fieldError(res.text, 'givenName')).toBe('Fyll i förnamn.');
    expect(fieldError(res.text, 'grade')).toBe('Välj ett av alternativen i årskurs.');
    expect(fieldError(res.text, 'birthYear')).toBe('Skriv födelseår med fyra siffror, mellan 1990 och 2030.');
    expect(fieldError(res.text, 'gender')).toBe('Välj ett av alternativen i kön.');
    expect(await pupilsOf(ctx.db, schoolOf(c))).toEqual([]);
  });

  it('refuses a class name longer than 10 characters', async () => {
    const c = await counsellor();
    const res = await submit(c.agent, '/school/pupils/new', pupilForm({ className: '8BCDEFGHIJK' }));
    expect(res.status).toBe(422);
    expect(fieldError(res.text, 'className')).toBe('Klass får ha högst 10 tecken.');
  });

  it('refuses a class name with a character that is not a letter or digit', async () => {
    const c = await counsellor();
    const res = await submit(c.agent, '/school/pupils/new', pupilForm({ className: '8/B' }));
    expect(fieldError(res.text, 'className')).toBe('Skriv klass med bokstäver och siffror, till exempel 8B.');
  });

  it('never answers 500 to a body of the wrong shape', async () => {
    const c = await counsellor();
    const res = await submit(c.agent, '/school/pupils/new', { givenName: ['a', 'b'], familyName: 'x'.repeat(5000), className: ['8B', '9B'], protectedIdentity: ['1', '1'] });
    expect(res.status).toBe(422);
    expect(fieldError(res.text, 'familyName')).toBe('Efternamn får ha högst 60 tecken.');
  });
});

describe('GET and POST /school/pupils/:id', () => {
  it('shows the pupil’s values and code, and explains gender and protected identity', async () => {
    const c = await counsellor();
    const pupil = await makePupil(ctx.db, schoolOf(c), { givenName: 'Alva', birthYear: 2013, gender: 'girl' });
    const res = await c.agent.get(`/school/pupils/${pupil.id}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('value="Alva"');
    expect(res.text).toMatch(/value="girl" checked/);
    expect(res.text).toContain(`Elevens kod är ${pupil.code}.`);
    expect(res.text).toContain('Används bara för statistik. Det visas aldrig för företagen.');
    expect(res.text).toContain(`Företagen ser bara &#34;Elev, 8B, `);
  });

  it('saves changes to the pupil', async () => {
    const c = await counsellor();
    const pupil = await makePupil(ctx.db, schoolOf(c));
    const res = await submit(c.agent, `/school/pupils/${pupil.id}`, pupilForm({ givenName: 'Nova', className: '9A', grade: '9' }));
    expect([res.status, res.headers.location]).toEqual([303, `/school/pupils/${pupil.id}?notice=saved`]);
    expect(await pupilRow(ctx.db, pupil.id)).toMatchObject({ given_name: 'Nova', class_name: '9A', grade: '9', protected_identity: 0 });
  });

  it('clears a protected identity when the box is left unticked', async () => {
    const c = await counsellor();
    const pupil = await makePupil(ctx.db, schoolOf(c), { protectedIdentity: true });
    await submit(c.agent, `/school/pupils/${pupil.id}`, pupilForm());
    expect((await pupilRow(ctx.db, pupil.id))!.protected_identity).toBe(0);
  });

  it('shows the form again with the problem and keeps the pupil unchanged (422)', async () => {
    const c = await counsellor();
    const pupil = await makePupil(ctx.db, schoolOf(c), { givenName: 'Alva' });
    const res = await submit(c.agent, `/school/pupils/${pupil.id}`, pupilForm({ givenName: '' }));
    expect(res.status).toBe(422);
    expect(fieldError(res.text, 'givenName', `/school/pupils/${pupil.id}`)).toBe('Fyll i förnamn.');
    expect((await pupilRow(ctx.db, pupil.id))!.given_name).toBe('Alva');
  });

  it('answers 404 for an unknown pupil', async () => {
    const c = await counsellor();
    expect((await c.agent.get('/school/pupils/no-such-pupil')).status).toBe(404);
  });
});

describe('another school’s pupil', () => {
  let c: SignedIn;
  let theirs: Awaited<ReturnType<typeof makePupil>>;
  beforeAll(async () => {
    c = await counsellor();
    const other = await signedIn(ctx, 'counsellor');
    theirs = await makePupil(ctx.db, schoolOf(other), { givenName: 'Hemlig' });
  });

  it('is not found on its page (404)', async () => {
    const res = await c.agent.get(`/school/pupils/${theirs.id}`);
    expect(res.status).toBe(404);
    expect(res.text).not.toContain('Hemlig');
  });

  it('cannot be changed (404)', async () => {
    expect((await submit(c.agent, `/school/pupils/${theirs.id}`, pupilForm({ givenName: 'Kapad' }))).status).toBe(404);
    expect((await pupilRow(ctx.db, theirs.id))!.given_name).toBe('Hemlig');
  });

  it('cannot be deleted (404)', async () => {
    expect((await submit(c.agent, `/school/pupils/${theirs.id}/delete`, {})).status).toBe(404);
    expect(await pupilRow(ctx.db, theirs.id)).toBeDefined();
  });

  it('cannot be given a link or have it revoked (404)', async () => {
    expect((await submit(c.agent, `/school/pupils/${theirs.id}/link`, {})).status).toBe(404);
    expect((await submit(c.agent, `/school/pupils/${theirs.id}/link/revoke`, {})).status).toBe(404);
    expect((await pupilRow(ctx.db, theirs.id))!.link_hash).toBeNull();
  });
});

describe('POST /school/pupils/:id/delete', () => {
  it('removes the pupil and says so', async () => {
    const c = await counsellor();
    const pupil = await makePupil(ctx.db, schoolOf(c));
    const res = await submit(c.agent, `/school/pupils/${pupil.id}/delete`, {});
    expect([res.status, res.headers.location]).toEqual([303, '/school/pupils?notice=deleted&count=1&bookings=0']);
    expect(await pupilRow(ctx.db, pupil.id)).toBeUndefined();
    expect((await c.agent.get(res.headers.location!)).text).toContain('Eleven är borttagen. Bokningar som ställdes in: 0.');
  });
});

describe('the English interface', () => {
  it('shows the register in English', async () => {
    const c = await counsellor();
    await submit(c.agent, '/language', { lang: 'en', returnTo: '/school/pupils' });
    const res = await submit(c.agent, '/school/pupils/new', pupilForm({ familyName: '' }));
    expect(fieldError(res.text, 'familyName')).toBe('Fill in last name.');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPupilByLinkToken, issueLink, linkTokenOf, revokeLink } from '../../src/pupils/links.ts';
import { createTestContext, type TestContext } from '../support/app.ts';
import { signedIn, tokenFromLink, type SignedIn } from '../support/flows.ts';
import { makePupil, pupilRow } from '../support/pupils.ts';
import { submit } from '../support/slots.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

const secret = () => ctx.config.sessionSecret;
const counsellor = () => signedIn(ctx, 'counsellor');
const linkOnPage = async (c: SignedIn, pupilId: string) => tokenFromLink((await c.agent.get(`/school/pupils/${pupilId}`)).text, ctx.config.baseUrl, '/p/');

describe('a pupil’s personal link', () => {
  it('is made on the pupil’s page and shown there', async () => {
    const c = await counsellor();
    const pupil = await makePupil(ctx.db, c.user.schoolId!);
    const res = await submit(c.agent, `/school/pupils/${pupil.id}/link`, {});
    expect([res.status, res.headers.location]).toEqual([303, `/school/pupils/${pupil.id}?notice=link_issued#link`]);
    const token = await linkOnPage(c, pupil.id);
    expect((await findPupilByLinkToken(ctx.db, secret(), token))?.id).toBe(pupil.id);
  });

  it('keeps only the salt and the token’s hash in the database, never the token', async () => {
    const c = await counsellor();
    const pupil = await makePupil(ctx.db, c.user.schoolId!);
    const token = await issueLink(ctx.db, secret(), pupil.id, ctx.clock.now());
    const row = (await pupilRow(ctx.db, pupil.id))!;
    expect(JSON.stringify(row)).not.toContain(token);
    expect(row.link_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(linkTokenOf(secret(), row.link_salt!)).toBe(token);
  });

  it('stops the old link working when a new one is made', async () => {
    const c = await counsellor();
    const pupil = await makePupil(ctx.db, c.user.schoolId!);
    await submit(c.agent, `/school/pupils/${pupil.id}/link`, {});
    const first = await linkOnPage(c, pupil.id);
    await submit(c.agent, `/school/pupils/${pupil.id}/link`, {});
    const second = await linkOnPage(c, pupil.id);
    expect(second).not.toBe(first);
    expect(await findPupilByLinkToken(ctx.db, secret(), first)).toBeUndefined();
    expect((await findPupilByLinkToken(ctx.db, secret(), second))?.id).toBe(pupil.id);
  });

  it('stops working when revoked', async () => {
    const c = await counsellor();
    const pupil = await makePupil(ctx.db, c.user.schoolId!);
    const token = await issueLink(ctx.db, secret(), pupil.id, ctx.clock.now());
    const res = await submit(c.agent, `/school/pupils/${pupil.id}/link/revoke`, {});
    expect(res.status).toBe(303);
    expect(await findPupilByLinkToken(ctx.db, secret(), token)).toBeUndefined();
    expect(await pupilRow(ctx.db, pupil.id)).toMatchObject({ link_salt: null, link_hash: null, link_issued_at: null });
  });

  it('does not work with another server secret', async () => {
    const c = await counsellor();
    const pupil = await makePupil(ctx.db, c.user.schoolId!);
    const token = await issueLink(ctx.db, secret(), pupil.id, ctx.clock.now());
    expect(await findPupilByLinkToken(ctx.db, 'another-secret-that-is-long-enough-0123456789', token)).toBeUndefined();
  });

  it('finds nobody for a malformed or unknown token', async () => {
    expect(await findPupilByLinkToken(ctx.db, secret(), 'x')).toBeUndefined();
    expect(await findPupilByLinkToken(ctx.db, secret(), 'A'.repeat(43))).toBeUndefined();
  });

  it('shows as missing in the register once revoked', async () => {
    const c = await counsellor();
    const pupil = await makePupil(ctx.db, c.user.schoolId!);
    await issueLink(ctx.db, secret(), pupil.id, ctx.clock.now());
    await revokeLink(ctx.db, pupil.id, ctx.clock.now());
    expect((await c.agent.get('/school/pupils')).text).toMatch(/<td>Nej<\/td>\s*<\/tr>/);
  });
});

describe('GET /school/pupils/links', () => {
  it('lets the counsellor choose a class', async () => {
    const c = await counsellor();
    await makePupil(ctx.db, c.user.schoolId!, { className: '9A' });
    const res = await c.agent.get('/school/pupils/links');
    expect(res.status).toBe(200);
    expect(res.text).toContain('href="/school/pupils/links?class=9A"');
  });

  it('prints a card per pupil of the class, with the address or a note that there is none', async () => {
    const c = await counsellor();
    const withLink = await makePupil(ctx.db, c.user.schoolId!, { givenName: 'Alva', familyName: 'Berg', className: '8B' });
    await makePupil(ctx.db, c.user.schoolId!, { givenName: 'Noah', familyName: 'Lind', className: '8B' });
    await makePupil(ctx.db, c.user.schoolId!, { givenName: 'Other', familyName: 'Class', className: '9A' });
    const token = await issueLink(ctx.db, secret(), withLink.id, ctx.clock.now());
    const res = await c.agent.get('/school/pupils/links?class=8b');
    expect(res.status).toBe(200);
    expect(res.text).toContain('Personliga länkar för 8B');
    expect(res.text).toContain(`${ctx.config.baseUrl}/p/${token}`);
    expect(res.text).toContain('Noah Lind');
    expect(res.text).toContain('Ingen länk än');
    expect(res.text).not.toContain('Other Class');
    expect(res.text).toContain('Elever som inte har någon länk än: 1.');
  });
});

describe('POST /school/pupils/links', () => {
  it('gives a link to every pupil of the class who has none, and keeps existing links', async () => {
    const c = await counsellor();
    const had = await makePupil(ctx.db, c.user.schoolId!, { className: '7A' });
    const lacked = await makePupil(ctx.db, c.user.schoolId!, { className: '7A' });
    const elsewhere = await makePupil(ctx.db, c.user.schoolId!, { className: '7B' });
    const token = await issueLink(ctx.db, secret(), had.id, ctx.clock.now());
    const res = await submit(c.agent, '/school/pupils/links', { class: '7A' });
    expect([res.status, res.headers.location]).toEqual([303, '/school/pupils/links?class=7A&notice=links_issued&count=1']);
    expect((await findPupilByLinkToken(ctx.db, secret(), token))?.id).toBe(had.id);
    expect((await pupilRow(ctx.db, lacked.id))!.link_hash).not.toBeNull();
    expect((await pupilRow(ctx.db, elsewhere.id))!.link_hash).toBeNull();
  });

  it('never touches another school’s class of the same name', async () => {
    const c = await counsellor();
    const other = await signedIn(ctx, 'counsellor');
    const theirs = await makePupil(ctx.db, other.user.schoolId!, { className: '6C' });
    await submit(c.agent, '/school/pupils/links', { class: '6C' });
    expect((await pupilRow(ctx.db, theirs.id))!.link_hash).toBeNull();
  });

  it('refuses a missing class with a message, not a 500', async () => {
    const c = await counsellor();
    expect((await submit(c.agent, '/school/pupils/links', {})).status).toBe(422);
  });
});

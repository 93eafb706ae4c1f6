import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueLink, revokeLink } from '../../src/pupils/links.ts';
import type { Pupil } from '../../src/pupils/pupils.service.ts';
import { createTestContext, TEST_NOW, type TestContext } from '../support/app.ts';
import { apiCancel, book, makeBookingWorld, worldSlot, type BookingWorld } from '../support/bookings.ts';
import { makeSlot, makeStory } from '../support/slots.ts';

let ctx: TestContext;
let world: BookingWorld;
beforeAll(async () => {
  ctx = await createTestContext();
  world = await makeBookingWorld(ctx, { schools: 1, pupils: 8 });
});
afterAll(() => ctx.close());

const side = () => world.schools[0]!;
const pupil = (n: number) => side().pupils[n]!;
const linkOf = (p: Pupil) => issueLink(ctx.db, ctx.config.sessionSecret, p.id, ctx.clock.now());
const get = (path: string) => supertest(ctx.app).get(path);

/** The part of the page under one section's heading (sections are not nested). */
function section(html: string, id: string): string {
  const start = html.indexOf(`id="${id}"`);
  return start < 0 ? '' : html.slice(start, html.indexOf('</section>', start));
}

/** An iCalendar answer's content lines, unfolded. */
const icsLines = (text: string) => text.replace(/\r\n[ \t]/g, '').split('\r\n').filter(Boolean);

async function withSite(slotId: string, site: { meeting_point?: string | null; directions?: string | null }) {
  const row = await ctx.db.selectFrom('slots').select('site_id').where('id', '=', slotId).executeTakeFirstOrThrow();
  await ctx.db.updateTable('company_sites').set(site).where('id', '=', row.site_id).execute();
}

describe('GET /p/:token', () => {
  it('greets the pupil by first name and shows a booking with everything needed to get there', async () => {
    const slot = await worldSlot(ctx, world, '2027-04-06T08:00', '2027-04-06T12:00', { bring: 'Matsäck och skyddsskor', activities: 'Mäta ström i ett ställverk' });
    await withSite(slot.id, { meeting_point: 'Receptionen, entré B', directions: 'Buss 3 till Våxnäs' });
    const [booking] = await book(ctx, side(), slot.id, [pupil(0)]);
    const token = await linkOf(pupil(0));
    const res = await get(`/p/${token}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain(`Hej ${pupil(0).givenName}!`);
    const upcoming = section(res.text, 'upcoming');
    for (const text of ['tis 6 april 2027, 08.00–12.00', world.company.name, 'Testgatan 1', 'Receptionen, entré B', 'Buss 3 till Våxnäs', 'Matsäck och skyddsskor', 'Mäta ström i ett ställverk']) {
      expect(upcoming, text).toContain(text);
    }
    expect(upcoming).toContain(`href="/stories/${world.storyIds[0]}"`);
    expect(upcoming).toContain(`href="/p/${token}/bookings/${booking!.id}.ics"`);
  });

  it('names only hosts whose story is published', async () => {
    const hidden = await makeStory(ctx, world.coordinator, { name: 'Hemlig Värd', published: false });
    const slot = await makeSlot(ctx, world.coordinator, [world.storyIds[1]!, hidden.id], '2027-04-07T08:00', '2027-04-07T12:00');
    await book(ctx, side(), slot.id, [pupil(1)]);
    const res = await get(`/p/${await linkOf(pupil(1))}`);
    expect(res.text).toContain(`href="/stories/${world.storyIds[1]}"`);
    expect(res.text).not.toContain('Hemlig Värd');
    expect(res.text).not.toContain(`/stories/${hidden.id}`);
  });

  it('marks a waitlist place as "På väntelistan", without a calendar file', async () => {
    const slot = await worldSlot(ctx, world, '2027-04-08T08:00', '2027-04-08T12:00', { capacity: 1 });
    await book(ctx, side(), slot.id, [pupil(2)]);
    const [waiting] = await book(ctx, side(), slot.id, [pupil(3)], true);
    const token = await linkOf(pupil(3));
    const upcoming = section((await get(`/p/${token}`)).text, 'upcoming');
    expect(upcoming).toContain('På väntelistan');
    expect(upcoming).toContain(world.company.name);
    expect(upcoming).not.toContain(`${waiting!.id}.ics`);
  });

  it('does not show a cancelled booking as upcoming, only under "Avbokat"', async () => {
    const slot = await worldSlot(ctx, world, '2027-04-09T08:00', '2027-04-09T12:00', {}, 2);
    const [booking] = await book(ctx, side(), slot.id, [pupil(4)]);
    expect((await apiCancel(ctx, side(), booking!.id, { reason: 'Sjuk' })).status).toBe(200);
    const html = (await get(`/p/${await linkOf(pupil(4))}`)).text;
    expect(section(html, 'upcoming')).not.toContain('fre 9 april 2027');
    expect(section(html, 'upcoming')).toContain('Du har ingen prao bokad just nu.');
    expect(section(html, 'cancelled')).toContain('fre 9 april 2027, 08.00–12.00');
  });

  it('lists past bookings briefly under "Prao du har gjort"', async () => {
    const slot = await worldSlot(ctx, world, '2027-03-18T08:00', '2027-03-18T12:00', {}, 1);
    await book(ctx, side(), slot.id, [pupil(5)]);
    const token = await linkOf(pupil(5));
    ctx.clock.set('2027-03-19T08:00:00.000Z');
    try {
      const html = (await get(`/p/${token}`)).text;
      expect(section(html, 'past')).toContain(`tors 18 mars 2027: ${world.company.name}`);
      expect(section(html, 'upcoming')).not.toContain('18 mars');
    } finally {
      ctx.clock.set(TEST_NOW);
    }
  });

  it('shows the calendar feed address, also as webcal://', async () => {
    const token = await linkOf(pupil(6));
    const feed = section((await get(`/p/${token}`)).text, 'calendar');
    expect(feed).toContain(`http://teknikprao.test/p/${token}/calendar.ics`);
    expect(feed).toContain(`href="webcal://teknikprao.test/p/${token}/calendar.ics"`);
  });

  it('has no form a pupil could change anything with (only the language switch)', async () => {
    const html = (await get(`/p/${await linkOf(pupil(0))}`)).text;
    const actions = [...html.matchAll(/<form[^>]*action="([^"]*)"/g)].map((m) => m[1]);
    expect(actions).toEqual(['/language']);
  });

  it('keeps the page out of caches, referrers and search engines', async () => {
    const res = await get(`/p/${await linkOf(pupil(0))}`);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-robots-tag']).toContain('noindex');
  });
});

describe('a link that does not work', () => {
  const kind = 'Länken fungerar inte längre. Fråga din studie- och yrkesvägledare.';

  it('answers an unknown token with 404 and a kind message', async () => {
    const res = await get(`/p/${'A'.repeat(43)}`);
    expect(res.status).toBe(404);
    expect(res.text).toContain(kind);
  });

  it('answers a revoked link with 404, though it worked before', async () => {
    const token = await linkOf(pupil(7));
    expect((await get(`/p/${token}`)).status).toBe(200);
    await revokeLink(ctx.db, pupil(7).id, ctx.clock.now());
    const res = await get(`/p/${token}`);
    expect(res.status).toBe(404);
    expect(res.text).toContain(kind);
  });

  it('answers an old link with 404 once a new one is issued', async () => {
    const old = await linkOf(pupil(6));
    const fresh = await linkOf(pupil(6));
    expect((await get(`/p/${old}`)).status).toBe(404);
    expect((await get(`/p/${fresh}`)).status).toBe(200);
  });

  it('answers malformed tokens with 404, never 500', async () => {
    // (A broken %-escape such as /p/%E2%82 is decoded, and refused, by Express's router before any route runs.)
    for (const token of ['abc', '%25%00', 'x'.repeat(500), '..%2F..%2Fetc', `${'A'.repeat(42)}=`]) {
      const res = await get(`/p/${token}`);
      expect(res.status, token).toBe(404);
    }
    expect((await get(`/p/${'x'.repeat(43)}/calendar.ics`)).status).toBe(404);
    expect((await get(`/p/abc/bookings/xyz.ics`)).status).toBe(404);
  });

  it('keeps the 404 page out of caches and referrers too', async () => {
    const res = await get('/p/nope');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-robots-tag']).toContain('noindex');
  });
});

describe('GET /p/:token/bookings/:bookingId.ics', () => {
  it('gives one booking as an iCalendar file with Stockholm 08.00 on a DST Monday as 06.00Z', async () => {
    const slot = await worldSlot(ctx, world, '2027-03-29T08:00', '2027-03-29T12:00');
    const [booking] = await book(ctx, side(), slot.id, [pupil(0)]);
    const res = await get(`/p/${await linkOf(pupil(0))}/bookings/${booking!.id}.ics`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-store');
    const lines = icsLines(res.text);
    expect(lines).toContain('METHOD:PUBLISH');
    expect(lines).toContain('DTSTART:20270329T060000Z');
    expect(lines).toContain('DTEND:20270329T100000Z');
    expect(lines).toContain(`SUMMARY:Prao: ${world.company.name}`);
    expect(lines).toContain(`UID:${booking!.id}@teknikprao.test`);
    expect(lines.filter((l) => l === 'BEGIN:VEVENT')).toHaveLength(1);
  });

  it("answers another pupil's booking under my token with 404", async () => {
    const slot = await worldSlot(ctx, world, '2027-04-14T08:00', '2027-04-14T12:00');
    const [theirs] = await book(ctx, side(), slot.id, [pupil(1)]);
    const res = await get(`/p/${await linkOf(pupil(0))}/bookings/${theirs!.id}.ics`);
    expect(res.status).toBe(404);
    expect(res.text).not.toContain('BEGIN:VCALENDAR');
  });

  it('answers a waitlist place with 404 (there is no seat to put in a calendar)', async () => {
    const slot = await worldSlot(ctx, world, '2027-04-15T08:00', '2027-04-15T12:00', { capacity: 1 });
    await book(ctx, side(), slot.id, [pupil(2)]);
    const [waiting] = await book(ctx, side(), slot.id, [pupil(3)], true);
    expect((await get(`/p/${await linkOf(pupil(3))}/bookings/${waiting!.id}.ics`)).status).toBe(404);
  });
});

describe('GET /p/:token/calendar.ics', () => {
  it('holds the confirmed bookings, crosses out a cancelled one and leaves out waitlist places', async () => {
    const p = pupil(5);
    const kept = await worldSlot(ctx, world, '2027-04-20T08:00', '2027-04-20T12:00');
    const dropped = await worldSlot(ctx, world, '2027-04-21T08:00', '2027-04-21T12:00');
    const full = await worldSlot(ctx, world, '2027-04-22T08:00', '2027-04-22T12:00', { capacity: 1 });
    const [keptBooking] = await book(ctx, side(), kept.id, [p]);
    const [droppedBooking] = await book(ctx, side(), dropped.id, [p]);
    await book(ctx, side(), full.id, [pupil(4)]);
    const [waiting] = await book(ctx, side(), full.id, [p], true);
    await apiCancel(ctx, side(), droppedBooking!.id, { reason: 'Krock med prov' });
    const res = await get(`/p/${await linkOf(p)}/calendar.ics`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(res.headers['x-robots-tag']).toContain('noindex');
    const text = icsLines(res.text).join('\n');
    const event = (id: string) => text.split('BEGIN:VEVENT').find((e) => e.includes(`UID:${id}@`)) ?? '';
    expect(event(keptBooking!.id)).toContain('STATUS:CONFIRMED');
    expect(event(droppedBooking!.id)).toContain('STATUS:CANCELLED');
    expect(event(waiting!.id)).toBe('');
  });
});

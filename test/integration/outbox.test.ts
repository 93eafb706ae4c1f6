import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deliverDue, MAX_ATTEMPTS, queueMail, retryDelayMinutes, type Mailer } from '../../src/mail/mail.service.ts';
import { toDbInstant } from '../../src/time/stockholm.ts';
import { createTestContext, postForm, RecordingMailer, TEST_NOW, type TestContext } from '../support/app.ts';
import { signedIn } from '../support/flows.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ mailer: new RecordingMailer(true) });
});
afterAll(() => ctx.close());
// deliverDue works on the whole outbox, so each test starts with an empty one.
beforeEach(async () => {
  await ctx.db.deleteFrom('outbox').execute();
  ctx.clock.set(TEST_NOW);
  ctx.mailer.failWith = null;
  ctx.mailer.sent.length = 0;
});

let n = 0;
async function queued() {
  const to = `mottagare-${++n}@skola.test`;
  const id = await queueMail(ctx.db, ctx.mailer, { to, subject: `Ämne ${n}`, text: `Hej ${n}!` }, ctx.clock.now());
  return { id, to };
}

const row = (id: string) => ctx.db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const deliver = () => deliverDue(ctx.db, ctx.mailer, ctx.clock.now());

/** Fails every attempt until the mail is given up on, moving the clock to each retry. */
async function failUntilGivenUp(id: string) {
  ctx.mailer.failWith = 'SMTP 421 try later';
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    expect(await deliver()).toEqual({ sent: 0, failed: 1 });
    ctx.clock.advance({ minutes: retryDelayMinutes(attempt) });
  }
  ctx.mailer.failWith = null;
}

describe('delivering the outbox', () => {
  it('queues mail as pending when a mail server is configured', async () => {
    const { id } = await queued();
    expect(await row(id)).toMatchObject({ status: 'pending', attempts: 0 });
  });

  it('sends due mail and marks it sent', async () => {
    const { id, to } = await queued();
    expect(await deliver()).toEqual({ sent: 1, failed: 0 });
    expect(ctx.mailer.sent).toEqual([{ to, subject: expect.stringMatching(/^Ämne/), text: expect.stringMatching(/^Hej/) }]);
    expect(await row(id)).toMatchObject({ status: 'sent', attempts: 1, last_error: null, sent_at: '2027-03-16T08:00:00.000Z' });
  });

  it('never sends a sent mail again', async () => {
    await queued();
    await deliver();
    ctx.clock.advance({ days: 1 });
    expect(await deliver()).toEqual({ sent: 0, failed: 0 });
    expect(ctx.mailer.sent).toHaveLength(1);
  });

  it('records a failed attempt and waits before trying again', async () => {
    const { id } = await queued();
    ctx.mailer.failWith = 'SMTP 421 try later';
    expect(await deliver()).toEqual({ sent: 0, failed: 1 });
    expect(await row(id)).toMatchObject({ status: 'pending', attempts: 1, last_error: 'SMTP 421 try later', next_attempt_at: '2027-03-16T08:01:00.000Z' });
    ctx.mailer.failWith = null;
    ctx.clock.advance({ seconds: 59 });
    expect(await deliver()).toEqual({ sent: 0, failed: 0 });
    ctx.clock.advance({ seconds: 1 });
    expect(await deliver()).toEqual({ sent: 1, failed: 0 });
    expect(await row(id)).toMatchObject({ status: 'sent', attempts: 2, last_error: null });
  });

  it('backs off longer after each failure: 1, 4, 16, 64, 256 minutes', async () => {
    const { id } = await queued();
    ctx.mailer.failWith = 'connection refused';
    const waits: number[] = [];
    for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt++) {
      const before = ctx.clock.now();
      await deliver();
      const next = (await row(id)).next_attempt_at;
      waits.push(Math.round((Date.parse(next) - before.toMillis()) / 60_000));
      ctx.clock.set(next);
    }
    expect(waits).toEqual([1, 4, 16, 64, 256]);
  });

  it(`gives up as failed after ${MAX_ATTEMPTS} attempts`, async () => {
    const { id } = await queued();
    await failUntilGivenUp(id);
    expect(await row(id)).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS, last_error: 'SMTP 421 try later' });
    ctx.clock.advance({ days: 7 });
    expect(await deliver()).toEqual({ sent: 0, failed: 0 });
  });

  it('keeps sending other mail when one fails', async () => {
    const bad = await queued();
    const good = await queued();
    const recorder = new RecordingMailer(true);
    const picky: Mailer = { configured: true, send: (m) => (m.to === bad.to ? Promise.reject(new Error('mailbox unavailable')) : recorder.send(m)) };
    expect(await deliverDue(ctx.db, picky, ctx.clock.now())).toEqual({ sent: 1, failed: 1 });
    expect(recorder.sent.map((m) => m.to)).toEqual([good.to]);
    expect((await row(bad.id)).status).toBe('pending');
  });
});

describe('the admin outbox page', () => {
  // Signed in after the clock has moved, so the session is fresh.
  const adminAgent = async () => (await signedIn(ctx, 'platform_admin')).agent;

  it('shows a failed mail with its error and a retry button', async () => {
    const { id, to } = await queued();
    await failUntilGivenUp(id);
    const page = await (await adminAgent()).get('/admin/outbox');
    expect(page.status).toBe(200);
    expect(page.text).toContain(to);
    expect(page.text).toContain('Misslyckades');
    expect(page.text).toContain('SMTP 421 try later');
    expect(page.text).toContain(`action="/admin/outbox/${id}/retry"`);
  });

  it("requeues a failed mail with the admin's retry button, and it is then sent", async () => {
    const { id, to } = await queued();
    await failUntilGivenUp(id);
    const res = await postForm(await adminAgent(), `/admin/outbox/${id}/retry`, {}, '/admin/outbox');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin/outbox');
    expect(await row(id)).toMatchObject({ status: 'pending', next_attempt_at: toDbInstant(ctx.clock.now()) });
    expect(await deliver()).toEqual({ sent: 1, failed: 0 });
    expect(ctx.mailer.sent.map((m) => m.to)).toEqual([to]);
  });

  it('refuses to retry a mail that was sent (404)', async () => {
    const { id } = await queued();
    await deliver();
    const res = await postForm(await adminAgent(), `/admin/outbox/${id}/retry`, {}, '/admin/outbox');
    expect(res.status).toBe(404);
    expect((await row(id)).status).toBe('sent');
  });

  it('shows one mail in full', async () => {
    const { id, to } = await queued();
    const page = await (await adminAgent()).get(`/admin/outbox/${id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(to);
    expect(page.text).toMatch(/Hej \d+!/);
  });
});

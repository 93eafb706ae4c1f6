import sharp from 'sharp';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PORTRAIT_MAX_BYTES } from '../../src/stories/portrait.ts';
import { setPublished } from '../../src/stories/stories.service.ts';
import { createTestContext, csrfFrom, type Agent, type TestContext } from '../support/app.ts';
import { makeCompany } from '../support/factories.ts';
import { signedIn, type SignedIn } from '../support/flows.ts';
import { makeStory } from '../support/stories.ts';

let ctx: TestContext;
let coordinator: SignedIn;
let otherCoordinator: SignedIn;
let photo: Buffer;
beforeAll(async () => {
  ctx = await createTestContext();
  const company = await makeCompany(ctx.db);
  coordinator = await signedIn(ctx, 'company_coordinator', company.id);
  otherCoordinator = await signedIn(ctx, 'company_coordinator', (await makeCompany(ctx.db, company.networkId)).id);
  // A phone photo: sideways, with the camera's name and where it was taken.
  photo = await sharp({ create: { width: 1600, height: 1200, channels: 3, background: { r: 30, g: 90, b: 160 } } })
    .jpeg()
    .withExif({ IFD0: { Make: 'SpyCam' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '59/1 22/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '13/1 30/1 0/1' } })
    .withMetadata({ orientation: 6 })
    .toBuffer();
});
afterAll(() => ctx.close());

const token = async (agent: Agent) => csrfFrom((await agent.get('/account')).text);

/** Uploads a file as the edit page's form does: multipart, the CSRF token in the address. */
async function upload(agent: Agent, storyId: string, file: Buffer, filename: string, contentType = 'image/jpeg') {
  return agent.post(`/company/stories/${storyId}/portrait?_csrf=${encodeURIComponent(await token(agent))}`).attach('portrait', file, { filename, contentType });
}

const storedPortrait = (storyId: string) => ctx.db.selectFrom('story_portraits').selectAll().where('story_id', '=', storyId).executeTakeFirst();
const errorAtPortrait = (html: string) => /id="f-portrait-error">([^<]*)</.exec(html)?.[1];

describe('uploading a portrait', () => {
  it('stores the photo as an upright WebP of at most 800×800, with no EXIF left', async () => {
    const story = await makeStory(ctx, coordinator.user, { published: false });
    const res = await upload(coordinator.agent, story.id, photo, 'IMG_0001.jpg');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/company/stories/${story.id}?notice=portrait_saved#portrait`);
    const stored = (await storedPortrait(story.id))!;
    expect({ width: stored.width, height: stored.height }).toEqual({ width: 600, height: 800 });
    const meta = await sharp(Buffer.from(stored.image)).metadata();
    expect(meta).toMatchObject({ format: 'webp', width: 600, height: 800 });
    expect(meta.exif).toBeUndefined();
    expect(Buffer.from(stored.image).includes('SpyCam')).toBe(false);
  });

  it('is served only as WebP, with nosniff and a cache header, to its coordinator while a draft', async () => {
    const story = await makeStory(ctx, coordinator.user, { published: false });
    await upload(coordinator.agent, story.id, photo, 'photo.jpeg');
    const res = await coordinator.agent.get(`/stories/${story.id}/portrait`).buffer(true);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('image/webp');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cache-control']).toBe('private, no-cache');
    expect((await sharp(res.body as Buffer).metadata()).exif).toBeUndefined();
  });

  it('is hidden from everyone else while the story is a draft, and public once it is published', async () => {
    const story = await makeStory(ctx, coordinator.user, { published: false, consent: true });
    await upload(coordinator.agent, story.id, photo, 'photo.jpg');
    expect((await supertest(ctx.app).get(`/stories/${story.id}/portrait`)).status).toBe(404);
    expect((await otherCoordinator.agent.get(`/stories/${story.id}/portrait`)).status).toBe(404);

    await setPublished(ctx.db, coordinator.user, story.id, true, ctx.clock.now());
    const res = await supertest(ctx.app).get(`/stories/${story.id}/portrait`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('image/webp');
    expect(res.headers['cache-control']).toBe('public, no-cache');
    expect((await supertest(ctx.app).get(`/stories/${story.id}`)).text).toContain(`src="/stories/${story.id}/portrait"`);
  });

  it('replaces an earlier portrait', async () => {
    const story = await makeStory(ctx, coordinator.user);
    await upload(coordinator.agent, story.id, photo, 'first.jpg');
    const small = await sharp({ create: { width: 200, height: 100, channels: 3, background: { r: 0, g: 0, b: 0 } } }).png().toBuffer();
    expect((await upload(coordinator.agent, story.id, small, 'second.png', 'image/png')).status).toBe(303);
    expect(await storedPortrait(story.id)).toMatchObject({ width: 200, height: 100 });
  });
});

describe('refusing a file', () => {
  it('refuses a file that is not an image, whatever its name and type say, and keeps the old portrait', async () => {
    const story = await makeStory(ctx, coordinator.user);
    await upload(coordinator.agent, story.id, photo, 'photo.jpg');
    const before = await storedPortrait(story.id);
    const res = await upload(coordinator.agent, story.id, Buffer.from('<html><script>alert(1)</script></html>'), 'photo.jpg', 'image/jpeg');
    expect(res.status).toBe(422);
    expect(errorAtPortrait(res.text)).toBe('Filen är ingen bild som går att läsa. Använd en bild i formatet JPEG, PNG eller WebP.');
    expect(await storedPortrait(story.id)).toEqual(before);
  });

  it('refuses a file over 5 MB and stores nothing', async () => {
    const story = await makeStory(ctx, coordinator.user);
    const res = await upload(coordinator.agent, story.id, Buffer.alloc(PORTRAIT_MAX_BYTES + 1024, 0xff), 'huge.jpg');
    expect(res.status).toBe(422);
    expect(errorAtPortrait(res.text)).toBe('Bilden är för stor. Den får vara högst 5 MB.');
    expect(await storedPortrait(story.id)).toBeUndefined();
  });

  it('refuses an image whose file name says another format', async () => {
    const story = await makeStory(ctx, coordinator.user);
    const png = await sharp({ create: { width: 50, height: 50, channels: 3, background: { r: 0, g: 0, b: 0 } } }).png().toBuffer();
    const res = await upload(coordinator.agent, story.id, png, 'bild.jpg', 'image/jpeg');
    expect(res.status).toBe(422);
    expect(errorAtPortrait(res.text)).toContain('Filnamnet passar inte bilden.');
    expect(await storedPortrait(story.id)).toBeUndefined();
  });

  it('asks for a file when none is sent', async () => {
    const story = await makeStory(ctx, coordinator.user);
    const res = await coordinator.agent
      .post(`/company/stories/${story.id}/portrait?_csrf=${encodeURIComponent(await token(coordinator.agent))}`)
      .field('other', 'x');
    expect(res.status).toBe(422);
    expect(errorAtPortrait(res.text)).toBe('Välj en bild att ladda upp.');
  });
});

describe('removing a portrait', () => {
  it('removes it, so it is no longer served', async () => {
    const story = await makeStory(ctx, coordinator.user);
    await upload(coordinator.agent, story.id, photo, 'photo.jpg');
    const res = await coordinator.agent.post(`/company/stories/${story.id}/portrait/delete`).type('form').send({ _csrf: await token(coordinator.agent) });
    expect(res.status).toBe(303);
    expect(await storedPortrait(story.id)).toBeUndefined();
    expect((await supertest(ctx.app).get(`/stories/${story.id}/portrait`)).status).toBe(404);
  });
});

describe('who may not', () => {
  it('refuses another company’s coordinator to upload or remove, leaving the portrait as it was', async () => {
    const story = await makeStory(ctx, coordinator.user);
    await upload(coordinator.agent, story.id, photo, 'photo.jpg');
    const before = await storedPortrait(story.id);
    const small = await sharp({ create: { width: 20, height: 20, channels: 3, background: { r: 0, g: 0, b: 0 } } }).png().toBuffer();
    expect((await upload(otherCoordinator.agent, story.id, small, 'x.png', 'image/png')).status).toBe(403);
    const removal = await otherCoordinator.agent.post(`/company/stories/${story.id}/portrait/delete`).type('form').send({ _csrf: await token(otherCoordinator.agent) });
    expect(removal.status).toBe(403);
    expect(await storedPortrait(story.id)).toEqual(before);
  });

  it('refuses a counsellor', async () => {
    const counsellor = await signedIn(ctx, 'counsellor');
    const story = await makeStory(ctx, coordinator.user);
    expect((await upload(counsellor.agent, story.id, photo, 'photo.jpg')).status).toBe(403);
  });
});

describe('CSRF on multipart uploads', () => {
  it('refuses a multipart upload without a token with 403', async () => {
    const story = await makeStory(ctx, coordinator.user);
    const res = await coordinator.agent.post(`/company/stories/${story.id}/portrait`).attach('portrait', photo, { filename: 'photo.jpg', contentType: 'image/jpeg' });
    expect(res.status).toBe(403);
    expect(res.text).toContain('data-error-code="csrf_invalid"');
    expect(await storedPortrait(story.id)).toBeUndefined();
  });

  it('refuses a multipart upload with a wrong token in the address', async () => {
    const story = await makeStory(ctx, coordinator.user);
    const res = await coordinator.agent.post(`/company/stories/${story.id}/portrait?_csrf=forged`).attach('portrait', photo, { filename: 'photo.jpg', contentType: 'image/jpeg' });
    expect(res.status).toBe(403);
  });

  it('takes a token from the address only for multipart posts, never for an ordinary form', async () => {
    const story = await makeStory(ctx, coordinator.user);
    const res = await coordinator.agent
      .post(`/company/stories/${story.id}/consent/withdraw?_csrf=${encodeURIComponent(await token(coordinator.agent))}`)
      .type('form')
      .send({});
    expect(res.status).toBe(403);
    expect(res.text).toContain('data-error-code="csrf_invalid"');
  });
});

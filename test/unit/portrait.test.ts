import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { PORTRAIT_MAX_BYTES, preparePortrait, type PortraitProblem } from '../../src/stories/portrait.ts';

const colour = { r: 200, g: 60, b: 30 };
const canvas = (width: number, height: number) => sharp({ create: { width, height, channels: 3, background: colour } });

/** A camera photo: sideways (EXIF orientation 6), with the camera's make and a GPS position. */
function cameraJpeg(width = 1200, height = 900) {
  return canvas(width, height)
    .jpeg()
    .withExif({ IFD0: { Make: 'SpyCam', Model: 'X1' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '59/1 22/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '13/1 30/1 0/1' } })
    .withMetadata({ orientation: 6 })
    .toBuffer();
}

async function problemOf(file: Buffer, name: string): Promise<PortraitProblem | 'accepted'> {
  try {
    await preparePortrait(file, name);
    return 'accepted';
  } catch (error) {
    return (error as { problem: PortraitProblem }).problem;
  }
}

describe('preparePortrait', () => {
  it('re-encodes a JPEG as WebP without any metadata, GPS position included', async () => {
    const input = await cameraJpeg();
    const inputMeta = await sharp(input).metadata();
    // The test photo really carries what must go: EXIF with the GPS IFD pointer (tag 0x8825) and the camera's name.
    expect(inputMeta.exif?.includes(Buffer.from([0x25, 0x88]))).toBe(true);
    expect(input.includes('SpyCam')).toBe(true);

    const { image } = await preparePortrait(input, 'IMG_0001.JPG');
    const meta = await sharp(image).metadata();
    expect(meta.format).toBe('webp');
    expect(meta.exif).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    expect(meta.icc).toBeUndefined();
    expect(meta.orientation).toBeUndefined();
    expect(image.includes('Exif')).toBe(false);
    expect(image.includes('SpyCam')).toBe(false);
  });

  it('turns a sideways photo upright and fits it inside 800×800', async () => {
    const portrait = await preparePortrait(await cameraJpeg(1200, 900), 'photo.jpeg');
    expect({ width: portrait.width, height: portrait.height }).toEqual({ width: 600, height: 800 });
  });

  it('never enlarges a small picture', async () => {
    const portrait = await preparePortrait(await canvas(300, 200).png().toBuffer(), 'small.png');
    expect({ width: portrait.width, height: portrait.height }).toEqual({ width: 300, height: 200 });
  });

  it.each([
    ['a PNG', () => canvas(100, 100).png().toBuffer(), 'a.png'],
    ['a WebP', () => canvas(100, 100).webp().toBuffer(), 'a.webp'],
    ['a JPEG without a file extension', () => canvas(100, 100).jpeg().toBuffer(), 'bild'],
  ])('accepts %s', async (_name, make, fileName) => {
    expect(await problemOf(await make(), fileName)).toBe('accepted');
  });

  it.each([
    ['text', () => Promise.resolve(Buffer.from('hej, det här är ingen bild')), 'bild.jpg'],
    ['an SVG (a picture, but one that can carry code)', () => Promise.resolve(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>')), 'bild.svg'],
    ['a GIF', () => canvas(10, 10).gif().toBuffer(), 'bild.gif'],
    ['a truncated JPEG', async () => (await cameraJpeg()).subarray(0, 3000), 'bild.jpg'],
  ])('refuses %s as not an image', async (_name, make, fileName) => {
    expect(await problemOf(await make(), fileName)).toBe('portrait_not_image');
  });

  it.each([
    ['a PNG named .jpg', () => canvas(50, 50).png().toBuffer(), 'bild.jpg'],
    ['a JPEG named .png', () => canvas(50, 50).jpeg().toBuffer(), 'bild.png'],
    ['a WebP named .gif', () => canvas(50, 50).webp().toBuffer(), 'bild.gif'],
  ])('refuses %s as a wrong extension', async (_name, make, fileName) => {
    expect(await problemOf(await make(), fileName)).toBe('portrait_wrong_extension');
  });

  it('refuses a file over 5 MB before looking at it', async () => {
    expect(await problemOf(Buffer.alloc(PORTRAIT_MAX_BYTES + 1), 'stor.jpg')).toBe('portrait_too_large');
  });

  it('refuses a small file that would decode to more than 40 megapixels', async () => {
    const bomb = await sharp({ create: { width: 8000, height: 6000, channels: 3, background: { r: 0, g: 0, b: 0 } } }).png({ compressionLevel: 1 }).toBuffer();
    expect(bomb.length).toBeLessThan(PORTRAIT_MAX_BYTES);
    expect(await problemOf(bomb, 'bomb.png')).toBe('portrait_too_many_pixels');
  });

  it('accepts a picture just under 40 megapixels', async () => {
    const large = await sharp({ create: { width: 8000, height: 5000, channels: 3, background: { r: 0, g: 0, b: 0 } } }).png({ compressionLevel: 1 }).toBuffer();
    expect(await problemOf(large, 'stor.png')).toBe('accepted');
  });
});

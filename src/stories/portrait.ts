import path from 'node:path';
import sharp from 'sharp';

/**
 * Portraits are checked by decoding them, never by their name or the browser's Content-Type,
 * and are always re-encoded: turned upright, stripped of all metadata (EXIF with GPS
 * positions, camera serials, XMP, ICC profiles), shrunk to fit 800×800 and saved as WebP. Only
 * the re-encoded WebP is stored and served, so no uploaded bytes ever reach another browser.
 */

export const PORTRAIT_MAX_BYTES = 5 * 1024 * 1024;
/** A small file can still decode to a huge image (a "pixel bomb"); refuse it before decoding. */
export const PORTRAIT_MAX_PIXELS = 40_000_000;
export const PORTRAIT_MAX_SIDE = 800;

const EXTENSIONS = { jpeg: ['.jpg', '.jpeg', '.jfif'], png: ['.png'], webp: ['.webp'] } as const;
type Accepted = keyof typeof EXTENSIONS;

export type PortraitProblem = 'portrait_not_image' | 'portrait_too_large' | 'portrait_too_many_pixels' | 'portrait_wrong_extension';

export class PortraitRejected extends Error {
  constructor(readonly problem: PortraitProblem) {
    super(problem);
    this.name = 'PortraitRejected';
  }
}

export interface Portrait {
  image: Buffer;
  width: number;
  height: number;
}

const isAccepted = (format: string | undefined): format is Accepted => format !== undefined && format in EXTENSIONS;

/**
 * Checks an uploaded file and makes the portrait to store. A file name without an extension is
 * judged by its content alone; one with an extension must match what the content really is.
 */
export async function preparePortrait(file: Buffer, fileName: string): Promise<Portrait> {
  if (file.length > PORTRAIT_MAX_BYTES) throw new PortraitRejected('portrait_too_large');
  const options = { limitInputPixels: PORTRAIT_MAX_PIXELS, failOn: 'error' } as const;
  let format: string | undefined;
  try {
    // Reading the header decodes no pixels, so it may look at any size and say which limit was broken.
    const meta = await sharp(file, { limitInputPixels: false }).metadata();
    format = meta.format;
    if ((meta.width ?? 0) * (meta.height ?? 0) > PORTRAIT_MAX_PIXELS) throw new PortraitRejected('portrait_too_many_pixels');
  } catch (error) {
    if (error instanceof PortraitRejected) throw error;
    throw new PortraitRejected('portrait_not_image');
  }
  if (!isAccepted(format)) throw new PortraitRejected('portrait_not_image');
  const extension = path.extname(fileName).toLowerCase();
  if (extension !== '' && !(EXTENSIONS[format] as readonly string[]).includes(extension)) throw new PortraitRejected('portrait_wrong_extension');
  try {
    const { data, info } = await sharp(file, options)
      .rotate()
      .resize(PORTRAIT_MAX_SIDE, PORTRAIT_MAX_SIDE, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 82 })
      .toBuffer({ resolveWithObject: true });
    return { image: data, width: info.width, height: info.height };
  } catch {
    // A file whose header reads well but whose pixels do not (truncated, corrupt) is not an image we can use.
    throw new PortraitRejected('portrait_not_image');
  }
}

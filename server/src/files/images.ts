// Images through sharp: the original re-encoded without its metadata (EXIF, GPS, XMP, IPTC;
// the colour profile is kept and the orientation applied to the pixels), a thumbnail and a
// preview as webp, the pixel size, and a tiny blurred placeholder.
import { createRequire } from 'node:module';
import type { Readable } from 'node:stream';
import type { Sharp, SharpOptions } from 'sharp';

// Loaded on first use: sharp's native library is tens of MB that a server nobody uploads to never needs.
const requireLazily = createRequire(import.meta.url);
type SharpFactory = (input?: string | Buffer, options?: SharpOptions) => Sharp;
let sharpFactory: SharpFactory | null = null;
function sharp(input?: string | Buffer, options?: SharpOptions): Sharp {
  sharpFactory ??= requireLazily('sharp') as SharpFactory;
  return sharpFactory(input, options);
}

/** Types sharp reads here. Other images (HEIC, BMP, ICO, ...) are kept as ordinary files. */
export const PROCESSABLE_IMAGES = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/avif', 'image/tiff']);
export const THUMBNAIL_SIZE = 360;
export const PREVIEW_SIZE = 1600;
const PLACEHOLDER_SIZE = 16;
const TIMEOUT = { seconds: 60 };

export class InvalidImage extends Error {}

export interface ImageFacts {
  width: number;
  height: number;
  /** data:image/webp;base64,... of a few hundred bytes. */
  placeholder: string;
  thumbnail: Buffer;
  preview: Buffer;
}

const ANIMATED = new Set(['image/gif', 'image/webp']);

function open(input: string | Buffer, mimeType: string, animated: boolean): Sharp {
  return sharp(input, { autoOrient: true, animated: animated && ANIMATED.has(mimeType), failOn: 'error' }).timeout(TIMEOUT);
}

/** The original in its own format, metadata dropped (sharp writes none unless asked) but for the ICC profile. */
export function strippedOriginal(path: string, mimeType: string): Readable {
  const img = open(path, mimeType, true).keepIccProfile();
  switch (mimeType) {
    case 'image/jpeg': return img.jpeg({ quality: 90 });
    case 'image/png': return img.png();
    case 'image/webp': return img.webp({ quality: 90 });
    case 'image/gif': return img.gif();
    case 'image/avif': return img.avif({ quality: 70, effort: 2 });
    default: return img.tiff({ compression: 'lzw' });
  }
}

async function scaled(path: string, mimeType: string, box: number, quality: number): Promise<Buffer> {
  return open(path, mimeType, false).resize(box, box, { fit: 'inside', withoutEnlargement: true }).webp({ quality }).toBuffer();
}

/** Reads an image file; throws InvalidImage when sharp cannot decode it. */
export async function describeImage(path: string, mimeType: string): Promise<ImageFacts> {
  try {
    const meta = await sharp(path).metadata();
    const [thumbnail, preview, tiny] = await Promise.all([
      scaled(path, mimeType, THUMBNAIL_SIZE, 80),
      scaled(path, mimeType, PREVIEW_SIZE, 82),
      open(path, mimeType, false).resize(PLACEHOLDER_SIZE, PLACEHOLDER_SIZE, { fit: 'inside' }).blur(1).webp({ quality: 40 }).toBuffer(),
    ]);
    return {
      width: meta.autoOrient?.width ?? meta.width ?? 0,
      height: meta.autoOrient?.height ?? meta.height ?? 0,
      placeholder: `data:image/webp;base64,${tiny.toString('base64')}`,
      thumbnail,
      preview,
    };
  } catch (err) {
    throw new InvalidImage((err as Error).message);
  }
}

export const EMOJI_SIZE = 128;
export const EMOJI_TYPES = new Set(['image/png', 'image/gif', 'image/webp', 'image/jpeg']);

/** A custom emoji scaled to fit 128 px, animation kept for GIF and WebP, metadata dropped. */
export async function emojiImage(input: Buffer, mimeType: string): Promise<{ data: Buffer; mimeType: string }> {
  try {
    const img = open(input, mimeType, true).resize(EMOJI_SIZE, EMOJI_SIZE, { fit: 'inside', withoutEnlargement: true });
    if (mimeType === 'image/gif') return { data: await img.gif().toBuffer(), mimeType };
    if (mimeType === 'image/webp') return { data: await img.webp({ quality: 90 }).toBuffer(), mimeType };
    return { data: await img.png().toBuffer(), mimeType: 'image/png' };
  } catch (err) {
    throw new InvalidImage((err as Error).message);
  }
}

export const LINK_IMAGE_SIZE = 600;
/** What a linked page's image may be; anything else (SVG, HTML, TIFF, ...) is not shown. */
export const LINK_IMAGE_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/avif']);
// A few MB of PNG can claim billions of pixels; refuse to decode more than this (5000 × 5000).
const LINK_IMAGE_MAX_PIXELS = 25_000_000;

/**
 * A linked page's image as webp, fitting 600 px, first frame only, no metadata (sharp writes
 * none unless asked). Throws InvalidImage when sharp cannot decode it.
 */
export async function linkImage(input: Buffer): Promise<{ data: Buffer; width: number; height: number }> {
  try {
    const { data, info } = await sharp(input, { autoOrient: true, failOn: 'error', limitInputPixels: LINK_IMAGE_MAX_PIXELS })
      .timeout(TIMEOUT)
      .resize(LINK_IMAGE_SIZE, LINK_IMAGE_SIZE, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 80 })
      .toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height };
  } catch (err) {
    throw new InvalidImage((err as Error).message);
  }
}

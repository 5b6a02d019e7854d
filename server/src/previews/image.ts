// A linked page's image, made safe to show from Parley's own origin: fetched through the
// preview fetcher's checks (public addresses only, size and time caps, no cookies), its type
// sniffed from the bytes, re-encoded by sharp to a bounded webp without metadata. Viewers'
// browsers then load it from Parley, so the linked site never learns who read the message.
import { fileTypeFromBuffer } from 'file-type';
import { InvalidImage, LINK_IMAGE_TYPES, linkImage } from '../files/images.js';
import { fetchImage, PreviewRefused, type FetchOptions } from './fetch.js';

export interface PreviewImage {
  data: Buffer;
  width: number;
  height: number;
}

/** The image at `url`, ready to store; throws PreviewRefused when it cannot or may not be shown. */
export async function previewImage(url: string, o: FetchOptions & { maxImageBytes: number }): Promise<PreviewImage> {
  const bytes = await fetchImage(url, { ...o, maxBytes: o.maxImageBytes });
  const type = (await fileTypeFromBuffer(bytes))?.mime;
  if (!type || !LINK_IMAGE_TYPES.has(type)) throw new PreviewRefused(`not an image we show (${type ?? 'unknown type'})`);
  try {
    return await linkImage(bytes);
  } catch (err) {
    if (err instanceof InvalidImage) throw new PreviewRefused(`unreadable image: ${err.message}`);
    throw err;
  }
}

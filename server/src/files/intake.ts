// What happens to upload bytes on their way in: a size limit that stops the stream as soon
// as it is crossed, and the real type, sniffed from the first bytes (never the client's word).
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { fileTypeStream } from 'file-type';

export class TooLarge extends Error {
  constructor(readonly limit: number) {
    super(`larger than ${limit} bytes`);
  }
}

/** Passes bytes through and counts them; errors with TooLarge past `max`. */
export class SizeLimit extends Transform {
  bytes = 0;

  constructor(private readonly max: number) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.max) return done(new TooLarge(this.max));
    done(null, chunk);
  }
}

export const UNKNOWN_TYPE = 'application/octet-stream';

/** The stream again (nothing is lost) and the type its first bytes show. */
export async function sniff(stream: Readable): Promise<{ mimeType: string; stream: Readable }> {
  const typed = await fileTypeStream(stream, { sampleSize: 4100 });
  return { mimeType: typed.fileType?.mime ?? UNKNOWN_TYPE, stream: typed };
}

/** A file name for storage and Content-Disposition: no path, no control characters, not too long. */
export function cleanName(raw: string | undefined): string {
  const base = (raw ?? '').split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const name = base.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 255);
  return name || 'file';
}

/** Reads a small stream whole (emoji), refusing more than `max` bytes as soon as they arrive. */
export async function readUpTo(stream: Readable, max: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let n = 0;
  // Read to the end even past the limit (keeping nothing more): leaving the stream early would
  // stall the multipart parser, and with it the request and its connection, for good.
  for await (const chunk of stream) {
    n += (chunk as Buffer).length;
    if (n <= max) parts.push(chunk as Buffer);
  }
  if (n > max) throw new TooLarge(max);
  return Buffer.concat(parts);
}

/** The client's side of an upload failed: the form was malformed, over a limit, or cut off. */
export class UploadAborted extends Error {
  constructor(override readonly cause: unknown) {
    super(`upload aborted: ${(cause as Error)?.message ?? String(cause)}`);
  }
}

// At-rest encryption for stored files: AES-256-GCM in independent 64 KiB chunks, so files
// stream in and out without being held whole, and a byte range decrypts only its chunks.
//
// Stored object = "PRLYENC1" (8 bytes) || salt (16 bytes) || chunk_0 || chunk_1 || ...
//   chunk_i = AES-256-GCM(key, nonce_i, plaintext_i) || tag (16 bytes)
//   key     = HKDF-SHA256(master key, salt, "parley file v1"): a fresh key per object
//   nonce_i = 7 zero bytes || i as uint32 big-endian || 1 if this is the last chunk else 0
// Every chunk but the last holds exactly 64 KiB of plaintext; the last holds 0..64 KiB (0 only
// for an empty file). The last-chunk flag in the nonce makes a truncated object fail to decrypt.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { PassThrough, Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { StorageNotFound, type ByteRange, type FileStorage } from './storage.js';

export const CHUNK = 64 * 1024;
const TAG = 16;
const SEALED_CHUNK = CHUNK + TAG;
const MAGIC = Buffer.from('PRLYENC1');
export const HEADER = MAGIC.length + 16;

function fileKey(master: Buffer, salt: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', master, salt, 'parley file v1', 32));
}

function nonce(index: number, last: boolean): Buffer {
  const n = Buffer.alloc(12);
  n.writeUInt32BE(index, 7);
  n[11] = last ? 1 : 0;
  return n;
}

function chunkCount(size: number): number {
  return size === 0 ? 1 : Math.ceil(size / CHUNK);
}

/** The plaintext size of a stored object of `raw` bytes. */
export function plainSize(raw: number): number {
  const body = raw - HEADER;
  if (body < TAG) throw new Error('Encrypted object is too short');
  return body - Math.ceil(body / SEALED_CHUNK) * TAG;
}

class Encryptor extends Transform {
  private readonly key: Buffer;
  private readonly header: Buffer;
  private buf: Buffer = Buffer.alloc(0);
  private index = 0;
  private started = false;

  constructor(master: Buffer) {
    super();
    const salt = randomBytes(16);
    this.key = fileKey(master, salt);
    this.header = Buffer.concat([MAGIC, salt]);
  }

  private seal(plain: Buffer, last: boolean): void {
    if (!this.started) {
      this.push(this.header);
      this.started = true;
    }
    const c = createCipheriv('aes-256-gcm', this.key, nonce(this.index++, last));
    this.push(Buffer.concat([c.update(plain), c.final(), c.getAuthTag()]));
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    // Keep at least one byte back: only the end of the stream tells which chunk is last.
    while (this.buf.length > CHUNK) {
      this.seal(this.buf.subarray(0, CHUNK), false);
      this.buf = this.buf.subarray(CHUNK);
    }
    done();
  }

  override _flush(done: TransformCallback): void {
    this.seal(this.buf, true);
    done();
  }
}

interface DecryptWindow {
  /** Known when reading from the middle (the header was read separately). */
  salt?: Buffer;
  firstChunk: number;
  /** Whether the stream read ends with the object's last chunk. */
  reachesEnd: boolean;
  /** Plaintext bytes to drop from the first chunk, and how many to pass on in all. */
  skip: number;
  length: number;
}

class Decryptor extends Transform {
  private key: Buffer | null;
  private buf: Buffer = Buffer.alloc(0);
  private index: number;
  private skip: number;
  private remaining: number;

  constructor(private readonly master: Buffer, private readonly w: DecryptWindow) {
    super();
    this.key = w.salt ? fileKey(master, w.salt) : null;
    this.index = w.firstChunk;
    this.skip = w.skip;
    this.remaining = w.length;
  }

  private open(sealed: Buffer, last: boolean): void {
    if (sealed.length < TAG) throw new Error('Encrypted object is truncated');
    const d = createDecipheriv('aes-256-gcm', this.key!, nonce(this.index++, last));
    d.setAuthTag(sealed.subarray(sealed.length - TAG));
    let plain = Buffer.concat([d.update(sealed.subarray(0, sealed.length - TAG)), d.final()]);
    if (this.skip) {
      plain = plain.subarray(this.skip);
      this.skip = 0;
    }
    if (plain.length > this.remaining) plain = plain.subarray(0, this.remaining);
    this.remaining -= plain.length;
    if (plain.length) this.push(plain);
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    try {
      this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
      if (!this.key) {
        if (this.buf.length < HEADER) return done();
        if (!this.buf.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error('Not an encrypted Parley object');
        this.key = fileKey(this.master, this.buf.subarray(MAGIC.length, HEADER));
        this.buf = this.buf.subarray(HEADER);
      }
      while (this.buf.length > SEALED_CHUNK) {
        this.open(this.buf.subarray(0, SEALED_CHUNK), false);
        this.buf = this.buf.subarray(SEALED_CHUNK);
      }
      done();
    } catch (err) {
      done(err as Error);
    }
  }

  override _flush(done: TransformCallback): void {
    try {
      if (!this.key) throw new Error('Encrypted object is truncated');
      this.open(this.buf, this.w.reachesEnd);
      done();
    } catch (err) {
      done(err as Error);
    }
  }
}

/** src piped through t, with src's errors passed on to the stream the caller reads. */
function through(src: Readable, t: Transform): Readable {
  src.on('error', (err) => t.destroy(err));
  t.on('close', () => src.destroy());
  return src.pipe(t);
}

async function readAll(src: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const p of src) parts.push(p as Buffer);
  return Buffer.concat(parts);
}

/** Wraps a driver: everything put is encrypted with the master key, everything read decrypted. */
export class EncryptedStorage implements FileStorage {
  readonly encrypted = true;

  constructor(private readonly inner: FileStorage, private readonly master: Buffer) {
    if (master.length !== 32) throw new Error('The file encryption key must be 32 bytes');
  }

  get kind() {
    return this.inner.kind;
  }

  async put(key: string, body: Readable): Promise<void> {
    const enc = new Encryptor(this.master);
    const out = new PassThrough();
    // Whichever side fails first explains the failure: the body's error (too large, cut off)
    // or the store's; the other side then fails only as a consequence.
    let first: unknown = null;
    const feeding = pipeline(body, enc, out).catch((err) => {
      first ??= err;
    });
    const storing = this.inner.put(key, out).catch((err) => {
      first ??= err;
      out.destroy(err as Error);
    });
    await Promise.all([feeding, storing]);
    if (first) throw first;
  }

  async get(key: string, range?: ByteRange): Promise<Readable> {
    if (!range) {
      return through(await this.inner.get(key), new Decryptor(this.master, { firstChunk: 0, reachesEnd: true, skip: 0, length: Infinity }));
    }
    const raw = await this.inner.size(key);
    if (raw === null) throw new StorageNotFound(key);
    const size = plainSize(raw);
    const end = Math.min(range.end, size - 1);
    if (range.start > end) return Readable.from([]);
    const header = await readAll(await this.inner.get(key, { start: 0, end: HEADER - 1 }));
    if (!header.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error('Not an encrypted Parley object');
    const first = Math.floor(range.start / CHUNK);
    const last = Math.floor(end / CHUNK);
    const src = await this.inner.get(key, {
      start: HEADER + first * SEALED_CHUNK,
      end: Math.min(HEADER + (last + 1) * SEALED_CHUNK, raw) - 1,
    });
    return through(src, new Decryptor(this.master, {
      salt: header.subarray(MAGIC.length, HEADER), firstChunk: first, reachesEnd: last === chunkCount(size) - 1,
      skip: range.start - first * CHUNK, length: end - range.start + 1,
    }));
  }

  async size(key: string): Promise<number | null> {
    const raw = await this.inner.size(key);
    return raw === null ? null : plainSize(raw);
  }

  delete(keys: readonly string[]): Promise<void> {
    return this.inner.delete(keys);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

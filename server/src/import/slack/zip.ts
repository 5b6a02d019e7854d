// Reading an export zip without trusting it. Nothing is extracted to disk: entries are found
// through the central directory and read as streams on demand. Names are only lookup keys, yet
// names that would escape a directory (absolute, '..', drive letters, backslashes) and symlinks
// are refused, and declared sizes are checked before a byte is inflated: one entry over its cap,
// a compression ratio no real export has, or a total past the cap is a zip bomb. yauzl checks
// that every stream inflates to exactly its declared size, so the declared sizes are binding.
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';

export interface ZipLimits {
  maxEntries: number;
  /** Largest JSON entry (metadata or one day of one conversation) read into memory. */
  maxJsonBytes: number;
  /** Largest file body. */
  maxFileBytes: number;
  /** Sum of all declared uncompressed sizes. */
  maxTotalBytes: number;
  /** Uncompressed/compressed above this (for entries over 1 MiB) is treated as a bomb. */
  maxRatio: number;
}

export const DEFAULT_LIMITS: ZipLimits = {
  maxEntries: 5_000_000,
  maxJsonBytes: 256 * 1024 * 1024,
  maxFileBytes: 100 * 1024 * 1024,
  maxTotalBytes: 256 * 1024 * 1024 * 1024,
  maxRatio: 500,
};

/** The zip as a whole cannot be used: nothing has been written. */
export class ZipError extends Error {}

/** One entry cannot be used; the import goes on and the report says why. */
export class EntryError extends Error {}

export interface EntryInfo {
  name: string;
  size: number;
  compressedSize: number;
}

interface Held extends EntryInfo {
  entry: yauzl.Entry;
}

export class SafeZip {
  private constructor(
    private readonly zip: yauzl.ZipFile,
    private readonly held: Map<string, Held>,
    /** Entries refused by name or size, with the reason. */
    readonly refused: Array<{ name: string; reason: string }>,
    /** A digest of the central directory: the same zip gives the same fingerprint. */
    readonly fingerprint: string,
    readonly totalBytes: number,
  ) {}

  static async open(path: string, limits: ZipLimits = DEFAULT_LIMITS): Promise<SafeZip> {
    const zip = await new Promise<yauzl.ZipFile>((resolve, reject) => {
      yauzl.open(path, { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true, strictFileNames: false },
        (err, z) => (err ? reject(new ZipError(`Not a readable zip (${err.message}); is the file complete?`)) : resolve(z!)));
    });
    if (zip.entryCount > limits.maxEntries) {
      zip.close();
      throw new ZipError(`The zip has ${zip.entryCount} entries; at most ${limits.maxEntries} are accepted.`);
    }
    const held = new Map<string, Held>();
    const refused: Array<{ name: string; reason: string }> = [];
    const hash = createHash('sha256');
    let total = 0;
    try {
      await new Promise<void>((resolve, reject) => {
        zip.on('error', (err: Error) => reject(new ZipError(`The zip is corrupt: ${err.message}`)));
        zip.on('end', () => resolve());
        zip.on('entry', (entry: yauzl.Entry) => {
          const name = (entry.fileName as unknown as Buffer).toString('utf8');
          hash.update(`${name}\u0000${entry.crc32}\u0000${entry.uncompressedSize}\n`);
          const reason = refuse(name, entry, limits);
          if (reason === 'directory') {
            // Directories carry nothing.
          } else if (reason) refused.push({ name, reason });
          else {
            total += entry.uncompressedSize;
            held.set(name, { name, size: entry.uncompressedSize, compressedSize: entry.compressedSize, entry });
          }
          zip.readEntry();
        });
        zip.readEntry();
      });
    } catch (err) {
      zip.close();
      throw err;
    }
    if (total > limits.maxTotalBytes) {
      zip.close();
      throw new ZipError(`The zip would inflate to ${total} bytes, over the limit of ${limits.maxTotalBytes}; refusing it as a possible zip bomb.`);
    }
    return new SafeZip(zip, held, refused, hash.digest('hex'), total);
  }

  has(name: string): boolean {
    return this.held.has(name);
  }

  info(name: string): EntryInfo | undefined {
    return this.held.get(name);
  }

  names(): IterableIterator<string> {
    return this.held.keys();
  }

  /** The entry's bytes as a stream; errors (EntryError) if it does not inflate to its declared size. */
  async stream(name: string): Promise<Readable> {
    const h = this.held.get(name);
    if (!h) throw new EntryError(`${name} is not in the zip`);
    return new Promise((resolve, reject) => {
      this.zip.openReadStream(h.entry, (err, s) => (err ? reject(new EntryError(`${name}: ${err.message}`)) : resolve(s!)));
    });
  }

  /** Reads and parses a JSON entry, capped at `max` bytes. */
  async json(name: string, max: number): Promise<unknown> {
    const h = this.held.get(name);
    if (!h) throw new EntryError(`${name} is not in the zip`);
    if (h.size > max) throw new EntryError(`${name} is ${h.size} bytes, over the ${max}-byte limit for JSON`);
    const parts: Buffer[] = [];
    try {
      for await (const chunk of await this.stream(name)) parts.push(chunk as Buffer);
    } catch (err) {
      throw new EntryError(`${name} is corrupt or truncated (${(err as Error).message})`);
    }
    const text = Buffer.concat(parts).toString('utf8');
    try {
      return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    } catch (err) {
      throw new EntryError(`${name} is not valid JSON (${(err as Error).message})`);
    }
  }

  close(): void {
    this.zip.close();
  }
}

function refuse(name: string, entry: yauzl.Entry, limits: ZipLimits): string | null {
  if (name.endsWith('/')) return 'directory';
  if (name.includes('\u0000') || name.includes('\\') || name.startsWith('/') || /^[a-zA-Z]:/.test(name)
    || name.split('/').some((seg) => seg === '..' || seg === '.' || seg === '')) {
    return 'unsafe path name (absolute, "..", or backslashes); not read';
  }
  const mode = (entry.externalFileAttributes >>> 16) & 0o170000;
  if (mode === 0o120000) return 'symbolic link; not read';
  const size = entry.uncompressedSize;
  const cap = name.endsWith('.json') ? limits.maxJsonBytes : limits.maxFileBytes;
  if (size > cap) return `declares ${size} bytes, over the ${cap}-byte limit; not read`;
  if (size > 1024 * 1024 && size / Math.max(1, entry.compressedSize) > limits.maxRatio) {
    return `compression ratio ${Math.round(size / Math.max(1, entry.compressedSize))}:1 looks like a zip bomb; not read`;
  }
  return null;
}

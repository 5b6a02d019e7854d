// Local disk storage under one folder (PARLEY_DATA_DIR/files). Writes go to a temporary
// name and are renamed into place after fsync, so a crash never leaves half a file under a
// real key.
import { createWriteStream } from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { checkKey, StorageNotFound, type ByteRange, type FileStorage } from './storage.js';

export class DiskStorage implements FileStorage {
  readonly kind = 'disk';
  readonly encrypted = false;

  /** `temporary` folders (for an in-memory data dir) are removed on close. */
  constructor(readonly root: string, private readonly temporary = false) {}

  static temporary(): DiskStorage {
    // Created by the first put (mkdir -p), so a server that stores nothing leaves nothing behind.
    return new DiskStorage(path.join(os.tmpdir(), `parley-files-${randomBytes(8).toString('hex')}`), true);
  }

  /** The file that holds a key (tests read raw bytes through this). */
  pathOf(key: string): string {
    return path.join(this.root, ...checkKey(key).split('/'));
  }

  async put(key: string, body: Readable): Promise<void> {
    const target = this.pathOf(key);
    await fsp.mkdir(path.dirname(target), { recursive: true });
    const tmp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await pipeline(body, createWriteStream(tmp, { mode: 0o600 }));
      const fh = await fsp.open(tmp, 'r+');
      try {
        await fh.sync();
      } finally {
        await fh.close();
      }
      await fsp.rename(tmp, target);
    } catch (err) {
      await fsp.rm(tmp, { force: true });
      throw err;
    }
  }

  async get(key: string, range?: ByteRange): Promise<Readable> {
    let fh: fsp.FileHandle;
    try {
      fh = await fsp.open(this.pathOf(key), 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new StorageNotFound(key);
      throw err;
    }
    return fh.createReadStream(range ? { start: range.start, end: range.end } : {});
  }

  async size(key: string): Promise<number | null> {
    try {
      return (await fsp.stat(this.pathOf(key))).size;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  async delete(keys: readonly string[]): Promise<void> {
    const dirs = new Set<string>();
    for (const key of keys) {
      const p = this.pathOf(key);
      await fsp.rm(p, { force: true });
      dirs.add(path.dirname(p));
    }
    // A file's objects share a folder; drop it once empty (rmdir refuses a non-empty one).
    for (const dir of dirs) await fsp.rmdir(dir).catch(() => {});
  }

  async close(): Promise<void> {
    if (this.temporary) await fsp.rm(this.root, { recursive: true, force: true });
  }
}

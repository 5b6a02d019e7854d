// The file store the actions use: the configured driver, and the encrypting wrapper when a
// key is configured. Each stored file records whether it was encrypted, so turning
// encryption on later still reads the files stored before.
import path from 'node:path';
import type { Config } from '../config.js';
import { DiskStorage } from './disk.js';
import { EncryptedStorage } from './encryption.js';
import type { S3Transport } from './s3.js';
import type { FileStorage } from './storage.js';

export class EncryptionKeyMissing extends Error {
  constructor() {
    super('This file is encrypted at rest and PARLEY_FILE_ENCRYPTION_KEY is not set.');
  }
}

export class FileStore {
  private readonly sealed: FileStorage | null;

  constructor(readonly raw: FileStorage, key: Buffer | null) {
    this.sealed = key ? new EncryptedStorage(raw, key) : null;
  }

  /** Where new objects go: encrypted when a key is configured. */
  get writer(): FileStorage {
    return this.sealed ?? this.raw;
  }

  reader(encrypted: boolean): FileStorage {
    if (!encrypted) return this.raw;
    if (!this.sealed) throw new EncryptionKeyMissing();
    return this.sealed;
  }

  close(): Promise<void> {
    return this.raw.close();
  }
}

/** Async because the S3 driver (and the AWS SDK, tens of MB) is loaded only when configured. */
export async function openFileStore(config: Pick<Config, 'dataDir' | 'files'>, transport: S3Transport = {}): Promise<FileStore> {
  const { files } = config;
  let raw: FileStorage;
  if (files.storage === 's3') raw = new (await import('./s3.js')).S3Storage(files.s3!, transport);
  else if (config.dataDir === ':memory:') raw = DiskStorage.temporary();
  else raw = new DiskStorage(path.join(config.dataDir, 'files'));
  return new FileStore(raw, files.encryptionKey);
}

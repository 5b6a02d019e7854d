// Where file bytes live. One interface, methods in create-read-update-delete order; drivers
// for local disk and S3-compatible object storage, optionally wrapped in at-rest encryption.
// Keys are ours (never from clients): lowercase letters, digits, '-', '_', '.', '/'.
import type { Readable } from 'node:stream';

/** Inclusive byte positions, as in an HTTP Range header. */
export interface ByteRange {
  start: number;
  end: number;
}

export interface FileStorage {
  readonly kind: 'disk' | 's3';
  /** Whether what `put` stores is encrypted at rest. */
  readonly encrypted: boolean;
  /** Stores the stream under key, reading it as it arrives; resolves once stored. Replaces an existing object. */
  put(key: string, body: Readable): Promise<void>;
  /** The object's content, or one byte range of it; throws StorageNotFound when there is none. */
  get(key: string, range?: ByteRange): Promise<Readable>;
  /** The object's size (as `get` returns it), or null when there is none. */
  size(key: string): Promise<number | null>;
  /** Removes objects; missing ones are not an error. */
  delete(keys: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

export class StorageNotFound extends Error {
  constructor(key: string) {
    super(`No stored object ${key}`);
  }
}

const KEY_RE = /^[a-z0-9][a-z0-9._-]*(\/[a-z0-9][a-z0-9._-]*)*$/;

export function checkKey(key: string): string {
  if (!KEY_RE.test(key) || key.includes('..')) throw new Error(`Invalid storage key: ${key}`);
  return key;
}

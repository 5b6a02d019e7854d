// Files: upload (streamed to storage, type sniffed, images processed), access (a file is
// readable by whoever can read the message that shares it, or by its uploader while it is
// unattached), listing, and removal of the bytes once nobody can reach them.
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createWriteStream } from 'node:fs';
import { finished, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FileInfo } from '@parley/protocol';
import { AppError, notFound } from '../errors.js';
import { newId } from '../ids.js';
import { EncryptionKeyMissing } from '../files/open.js';
import { describeImage, InvalidImage, PROCESSABLE_IMAGES, strippedOriginal } from '../files/images.js';
import { cleanName, SizeLimit, sniff, TooLarge, UploadAborted } from '../files/intake.js';
import { StorageNotFound, type ByteRange } from '../files/storage.js';
import { authorizeStorageReport, canSeeUpload } from '../policies/files.js';
import type { Actor } from '../policies/channels.js';
import { presentFile } from '../presenters/file.js';
import * as files from '../store/files.js';
import type { Db } from '../store/db.js';
import type { FileRow, NewFile } from '../store/schema.js';
import { accessChannel, accessMessage } from './access.js';
import type { Deps } from './context.js';

export const MAX_FILES_PER_UPLOAD = 10;
export const MAX_FILES_PER_MESSAGE = 10;

export type Variant = 'original' | 'thumbnail' | 'preview';
const keyOf = (prefix: string, variant: Variant) => `${prefix}/${variant}`;
const allKeys = (prefix: string) => (['original', 'thumbnail', 'preview'] as const).map((v) => keyOf(prefix, v));

/** One file of an upload request, as the transport hands it over. Its claimed type is ignored. */
export interface UploadPart {
  filename: string | undefined;
  stream: Readable;
}

function tooLarge(max: number): AppError {
  return new AppError(413, 'file_too_large', `Files can be at most ${max} bytes.`);
}

/** Translates storage failures into answers: a missing object is a 404, an unreachable store a 503. */
async function storage<T>(deps: Deps, what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof AppError) throw err;
    if (err instanceof StorageNotFound) {
      deps.log.warn({ err }, `${what}: stored object missing`);
      throw notFound('File');
    }
    deps.log.error({ err }, `${what}: file storage failed`);
    const message = err instanceof EncryptionKeyMissing ? err.message : 'File storage is not available right now; try again later.';
    throw new AppError(503, 'service_unavailable', message);
  }
}

/** `src` through `t`, with errors of `src` passed on, as `explain` says what they mean. */
function through<T extends NodeJS.ReadWriteStream & Readable>(src: Readable, t: T, explain: (err: Error) => Error = (e) => e): T {
  // finished() also reports a stream that failed or closed early before we got to it (a form
  // cut short can end while the action is still getting ready for the part).
  finished(src, { writable: false }, (err) => {
    if (err) t.destroy(explain(err));
  });
  return src.pipe(t);
}

const clientSide = (err: Error) => new UploadAborted(err);
const badImage = (err: Error) => new InvalidImage(err.message);

/** Stores one upload; returns the row to insert. Objects already written are listed in `written`. */
async function storeOne(deps: Deps, actor: Pick<Actor, 'id'>, part: UploadPart, written: string[], id = newId()): Promise<NewFile> {
  const max = deps.config.files.maxFileSize;
  const prefix = `${id.slice(-2)}/${id}`;
  written.push(prefix);
  const writer = deps.files.writer;
  const limit = through(part.stream, new SizeLimit(max), clientSide);
  const { mimeType, stream } = await sniff(limit);
  const row: NewFile = {
    id, user_id: actor.id, name: cleanName(part.filename), mime_type: mimeType, size: 0,
    storage_key: prefix, encrypted: writer.encrypted, created_at: new Date(),
  };
  if (!PROCESSABLE_IMAGES.has(mimeType)) {
    await writer.put(keyOf(prefix, 'original'), stream);
    return { ...row, size: limit.bytes };
  }
  // Images go through a private temporary file: sharp reads it (without holding it whole in
  // memory), and only the re-encoded original, without EXIF/GPS, reaches the storage.
  const tmp = path.join(os.tmpdir(), `parley-upload-${id}`);
  try {
    await pipeline(stream, createWriteStream(tmp, { mode: 0o600 }));
    const facts = await describeImage(tmp, mimeType);
    const counter = through(strippedOriginal(tmp, mimeType), new SizeLimit(Number.MAX_SAFE_INTEGER), badImage);
    await writer.put(keyOf(prefix, 'original'), counter);
    await writer.put(keyOf(prefix, 'thumbnail'), Readable.from([facts.thumbnail]));
    await writer.put(keyOf(prefix, 'preview'), Readable.from([facts.preview]));
    return { ...row, size: counter.bytes, width: facts.width, height: facts.height, placeholder: facts.placeholder, has_previews: true };
  } finally {
    await fsp.rm(tmp, { force: true });
  }
}

/**
 * Stores one file's bytes under a given id (imports mint deterministic ids, so a re-run
 * overwrites the same objects); returns the row to insert. Throws TooLarge or InvalidImage.
 */
export function storeFileAs(deps: Deps, userId: string, id: string, part: UploadPart): Promise<NewFile> {
  return storeOne(deps, { id: userId }, part, [], id);
}

/** Removes stored bytes; failures are logged, not raised (the rows already say the files are gone). */
export async function purgeStored(deps: Deps, prefixes: readonly string[]): Promise<void> {
  if (prefixes.length === 0) return;
  try {
    await deps.files.raw.delete(prefixes.flatMap(allKeys));
  } catch (err) {
    deps.log.warn({ err, prefixes }, 'could not remove stored files');
  }
}

/**
 * Stores every file of an upload, one after the other as they stream in, then records them
 * in one insert: either all files of the request are kept or none.
 */
export async function doUploadFiles(deps: Deps, actor: Actor, parts: AsyncIterable<UploadPart>): Promise<FileInfo[]> {
  const written: string[] = [];
  try {
    const rows: NewFile[] = [];
    const it = parts[Symbol.asyncIterator]();
    for (;;) {
      let next: IteratorResult<UploadPart>;
      try {
        next = await it.next();
      } catch (err) {
        throw new UploadAborted(err);
      }
      if (next.done) break;
      if (rows.length >= MAX_FILES_PER_UPLOAD) throw new AppError(413, 'payload_too_large', `Send at most ${MAX_FILES_PER_UPLOAD} files at once.`);
      rows.push(await storeOne(deps, actor, next.value, written));
    }
    if (rows.length === 0) throw new AppError(400, 'invalid_request', 'Send at least one file (multipart/form-data).');
    return (await files.insertFiles(deps.db, rows)).map(presentFile);
  } catch (err) {
    await purgeStored(deps, written);
    if (err instanceof TooLarge) throw tooLarge(deps.config.files.maxFileSize);
    if (err instanceof InvalidImage) throw new AppError(400, 'invalid_image', 'This image could not be read; it may be damaged.');
    if (err instanceof AppError || err instanceof UploadAborted) throw err; // the route explains a transport failure
    return storage(deps, 'upload', () => Promise.reject(err));
  }
}

/** The file, when the actor may read it: 404 for anything they cannot reach (deleted, hidden, someone else's upload). */
export async function accessFile(db: Db, actor: Actor, id: string): Promise<FileRow> {
  const f = await files.findFile(db, id);
  if (!f) throw notFound('File');
  if (f.message_id === null) {
    if (!canSeeUpload(actor, f.user_id)) throw notFound('File');
    return f;
  }
  try {
    await accessMessage(db, actor, f.message_id, 'view');
  } catch (err) {
    if (err instanceof AppError && err.status === 404) throw notFound('File');
    throw err;
  }
  return f;
}

export async function getFile(deps: Deps, actor: Actor, id: string): Promise<FileInfo> {
  return presentFile(await accessFile(deps.db, actor, id));
}

export interface FileContent {
  name: string;
  mimeType: string;
  size: number;
  open(range?: ByteRange): Promise<Readable>;
}

export async function accessFileContent(deps: Deps, actor: Actor, id: string, variant: Variant): Promise<FileContent> {
  const f = await accessFile(deps.db, actor, id);
  if (variant !== 'original' && !f.has_previews) throw new AppError(404, 'not_found', 'Only images have a thumbnail and a preview.');
  const key = keyOf(f.storage_key, variant);
  const reader = await storage(deps, 'download', async () => deps.files.reader(f.encrypted));
  const size = variant === 'original' ? Number(f.size) : await storage(deps, 'download', async () => {
    const n = await reader.size(key);
    if (n === null) throw new StorageNotFound(key);
    return n;
  });
  const scaled = variant !== 'original';
  return {
    name: scaled ? `${f.name.replace(/\.[^.]*$/, '')}-${variant}.webp` : f.name,
    mimeType: scaled ? 'image/webp' : f.mime_type,
    size,
    open: (range) => storage(deps, 'download', () => reader.get(key, range)),
  };
}

/** An unattached upload its owner no longer wants; attached files go with their message. */
export async function doDeleteUpload(deps: Deps, actor: Actor, id: string): Promise<void> {
  const f = await accessFile(deps.db, actor, id);
  if (f.message_id !== null) throw new AppError(403, 'forbidden', 'This file is shared in a message; delete the message instead.');
  const gone = await files.markDeletedUnattached(deps.db, id, actor.id);
  if (gone) await purgeStored(deps, [gone.storage_key]);
}

export interface FilePage {
  files: FileInfo[];
  hasMore: boolean;
}

export async function listChannelFiles(deps: Deps, actor: Actor, channelId: string, page: { before?: string; limit: number }): Promise<FilePage> {
  await accessChannel(deps.db, actor, channelId, 'view');
  const { rows, hasMore } = await files.listChannelFiles(deps.db, channelId, { beforeId: page.before, limit: page.limit });
  return { files: rows.map(presentFile), hasMore };
}

export async function searchFiles(deps: Deps, actor: Actor, query: string, page: { before?: string; limit: number }): Promise<FilePage> {
  const { rows, hasMore } = await files.searchFiles(deps.db, actor.id, query.trim(), {
    beforeId: page.before, limit: page.limit, includePublic: actor.role !== 'guest',
  });
  return { files: rows.map(presentFile), hasMore };
}

export interface StorageUse {
  totalBytes: number;
  totalFiles: number;
  users: Array<{ userId: string; username: string; files: number; bytes: number }>;
}

export async function getStorageUse(deps: Deps, actor: Actor): Promise<StorageUse> {
  authorizeStorageReport(actor);
  const users = (await files.storageByUser(deps.db)).map((r) => ({
    userId: r.user_id, username: r.username, files: Number(r.files), bytes: Number(r.bytes ?? 0),
  }));
  return {
    totalBytes: users.reduce((n, u) => n + u.bytes, 0),
    totalFiles: users.reduce((n, u) => n + u.files, 0),
    users,
  };
}

/** Attaches uploads to a new message inside its transaction: each must be the poster's own, unattached. */
export async function attachUploads(tx: Db, actor: Actor, fileIds: readonly string[], messageId: string, channelId: string): Promise<FileInfo[]> {
  if (fileIds.length === 0) return [];
  if (fileIds.length > MAX_FILES_PER_MESSAGE) {
    throw new AppError(400, 'invalid_request', `A message can carry at most ${MAX_FILES_PER_MESSAGE} files.`);
  }
  const attached = await files.attachFiles(tx, [...new Set(fileIds)], actor.id, messageId, channelId);
  if (attached.length !== new Set(fileIds).size) {
    throw new AppError(400, 'file_not_attachable', 'Every file must be one of your own uploads not yet sent with a message.');
  }
  return attached.sort((a, b) => (a.id < b.id ? -1 : 1)).map(presentFile);
}

/** The message is gone: so are its files, in the same transaction. Returns the prefixes to purge after commit. */
export async function detachDeleted(tx: Db, messageId: string): Promise<string[]> {
  return (await files.markDeletedWithMessage(tx, messageId)).map((r) => r.storage_key);
}

export async function hasFiles(db: Db, messageId: string): Promise<boolean> {
  return (await files.loadFiles(db, [messageId])).size > 0;
}

export const ABANDONED_AFTER_MS = 24 * 60 * 60 * 1000;

/**
 * Uploads nobody sent within a day are dropped with their bytes. Safe on several nodes at
 * once: the UPDATE hands each row to one of them.
 */
export async function sweepAbandonedUploads(deps: Deps, olderThanMs = ABANDONED_AFTER_MS): Promise<number> {
  const rows = await files.markAbandoned(deps.db, new Date(Date.now() - olderThanMs));
  await purgeStored(deps, rows.map((r) => r.storage_key));
  return rows.length;
}

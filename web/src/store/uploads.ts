// Files being attached to a message, per composer (a channel, or a thread): each uploads at
// once with its own progress bar, can be removed before sending, and is handed to the
// message when it is sent. Nothing here survives a reload: a half-sent file cannot resume.
import type { FileInfo } from '@parley/protocol';
import { create } from 'zustand';
import { uploadFile, filesApi } from '../api/files';
import { ApiError } from '../api/http';
import { formatBytes } from '../lib/bytes';
import { newClientId } from '../lib/ids';
import { getStore } from './store';

/** As many as the server takes on one message. */
export const MAX_FILES_PER_MESSAGE = 10;

export interface Upload {
  localId: string;
  name: string;
  size: number;
  /** The browser's guess, for the tray only; the server sniffs the real type. */
  type: string;
  /** A blob: URL of an image, for its thumbnail in the tray. */
  thumb: string | null;
  loaded: number;
  state: 'uploading' | 'done' | 'failed';
  error?: string;
  file?: FileInfo;
}

export const useUploads = create<{ byKey: Record<string, Upload[]> }>()(() => ({ byKey: {} }));

const aborts = new Map<string, () => void>();

export const uploadKey = (channelId: string, threadRootId: string | null) => `${channelId}:${threadRootId ?? ''}`;

function put(key: string, list: Upload[]): void {
  const byKey = { ...useUploads.getState().byKey };
  if (list.length) byKey[key] = list;
  else delete byKey[key];
  useUploads.setState({ byKey });
}

function patch(key: string, localId: string, change: Partial<Upload>): void {
  const list = useUploads.getState().byKey[key];
  if (list?.some((u) => u.localId === localId)) put(key, list.map((u) => (u.localId === localId ? { ...u, ...change } : u)));
}

const tooLarge = (max: number) => `Too large: files can be at most ${formatBytes(max)}.`;

function explain(err: unknown, name: string): string {
  if (!(err instanceof ApiError)) return 'Upload failed.';
  const max = getStore().workspace?.maxFileSize;
  if (err.code === 'file_too_large') return max ? tooLarge(max) : `Too large: ${err.message}`;
  if (err.code === 'network') return 'Upload failed: cannot reach the server.';
  return `Upload failed: ${err.message || name}`;
}

/** Starts uploading files into a composer's tray; files over the limit fail at once, unsent. */
export function addFiles(key: string, files: File[]): void {
  const max = getStore().workspace?.maxFileSize ?? Infinity;
  const current = useUploads.getState().byKey[key] ?? [];
  const room = MAX_FILES_PER_MESSAGE - current.length;
  const accepted = files.slice(0, Math.max(0, room));
  const added: Upload[] = accepted.map((f) => ({
    localId: newClientId(), name: f.name || 'pasted file', size: f.size, type: f.type,
    thumb: f.type.startsWith('image/') && f.size < 20 * 1024 * 1024 ? URL.createObjectURL(f) : null,
    loaded: 0, state: 'uploading',
  }));
  for (const u of added) if (u.size > max) Object.assign(u, { state: 'failed', error: tooLarge(max) });
  const refused = files.length > accepted.length ? [{
    localId: newClientId(), name: `${files.length - accepted.length} more`, size: 0, type: '', thumb: null, loaded: 0,
    state: 'failed', error: `A message can carry at most ${MAX_FILES_PER_MESSAGE} files.`,
  } satisfies Upload] : [];
  put(key, [...current, ...added, ...refused]);
  added.forEach((u, i) => u.state === 'uploading' && start(key, u, accepted[i]!));
}

// One upload at a time, in the order the files were given: the server lists a message's
// files in upload order, so this keeps them in the order the person chose.
const queue: Array<{ key: string; u: Upload; file: File }> = [];
let pumping = false;

function start(key: string, u: Upload, file: File): void {
  queue.push({ key, u, file });
  void pump();
}

async function pump(): Promise<void> {
  if (pumping) return;
  pumping = true;
  try {
    for (let job = queue.shift(); job; job = queue.shift()) {
      const { key, u, file } = job;
      if (!useUploads.getState().byKey[key]?.some((x) => x.localId === u.localId)) continue; // removed while waiting
      const h = uploadFile(file, (loaded) => patch(key, u.localId, { loaded }));
      aborts.set(u.localId, h.abort);
      try {
        patch(key, u.localId, { state: 'done', loaded: u.size, file: await h.done });
      } catch (err) {
        if (!(err instanceof ApiError && err.code === 'aborted')) patch(key, u.localId, { state: 'failed', error: explain(err, u.name) });
      } finally {
        aborts.delete(u.localId);
      }
    }
  } finally {
    pumping = false;
  }
}

function release(u: Upload): void {
  if (u.thumb) URL.revokeObjectURL(u.thumb);
}

/** Takes a file out of the tray: stops its upload, or deletes it from the server if it arrived. */
export function removeUpload(key: string, localId: string): void {
  const list = useUploads.getState().byKey[key] ?? [];
  const u = list.find((x) => x.localId === localId);
  if (!u) return;
  aborts.get(localId)?.();
  if (u.file) void filesApi.discardUpload(u.file.id).catch(() => {}); // the server drops abandoned uploads anyway
  release(u);
  put(key, list.filter((x) => x.localId !== localId));
}

/** The uploaded files to send, emptying the tray; null while some are still uploading. */
export function takeFiles(key: string): FileInfo[] | null {
  const list = useUploads.getState().byKey[key] ?? [];
  if (list.some((u) => u.state === 'uploading')) return null;
  list.forEach(release);
  put(key, []);
  return list.flatMap((u) => (u.file ? [u.file] : []));
}

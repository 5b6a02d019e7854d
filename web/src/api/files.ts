// Files and link previews over REST; uploads with progress through upload.ts.
import type { FileInfo, Message } from '@parley/protocol';
import { del, get } from './http';
import { uploadWithProgress, type UploadHandle as Handle } from './upload';

const enc = encodeURIComponent;

export interface FilePage { files: FileInfo[]; hasMore: boolean }
/** Admins: bytes and files still stored, in all and per uploader (GET /admin/storage). */
export interface StorageUse {
  totalBytes: number;
  totalFiles: number;
  users: Array<{ userId: string; username: string; files: number; bytes: number }>;
}

export type UploadHandle = Handle<FileInfo>;

/** Uploads one file (its own request, so each file has its own progress and its own error). */
export function uploadFile(file: File, onProgress: (loaded: number, total: number) => void): UploadHandle {
  return uploadWithProgress('/files', file, (status, body) => (status === 201 ? (body as { files?: FileInfo[] } | null)?.files?.[0] ?? null : null), onProgress);
}

export const filesApi = {
  /** Deletes an upload that was never sent (files in messages go with their message). */
  discardUpload: (id: string) => del<void>(`/files/${enc(id)}`),
  channelFiles: (channelId: string, before?: string) =>
    get<FilePage>(`/channels/${enc(channelId)}/files?limit=50${before ? `&before=${enc(before)}` : ''}`),
  removePreview: (messageId: string, url: string) =>
    del<Message>(`/messages/${enc(messageId)}/previews?url=${enc(url)}`),
  storageUse: () => get<StorageUse>('/admin/storage'),
};

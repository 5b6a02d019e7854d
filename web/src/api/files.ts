// Files and link previews over REST. Uploads go through XMLHttpRequest rather than fetch
// because only XHR reports upload progress; they carry the same CSRF header as http.ts.
import type { ErrorBody, FileInfo, Message } from '@parley/protocol';
import { ApiError, del, get, readCookie } from './http';

const enc = encodeURIComponent;

export interface FilePage { files: FileInfo[]; hasMore: boolean }
/** Admins: bytes and files still stored, in all and per uploader (GET /admin/storage). */
export interface StorageUse {
  totalBytes: number;
  totalFiles: number;
  users: Array<{ userId: string; username: string; files: number; bytes: number }>;
}

export interface UploadHandle {
  done: Promise<FileInfo>;
  abort: () => void;
}

/** Uploads one file (its own request, so each file has its own progress and its own error). */
export function uploadFile(file: File, onProgress: (loaded: number, total: number) => void): UploadHandle {
  const xhr = new XMLHttpRequest();
  const done = new Promise<FileInfo>((resolve, reject) => {
    xhr.open('POST', '/api/v1/files');
    xhr.setRequestHeader('accept', 'application/json');
    const csrf = readCookie('parley_csrf');
    if (csrf) xhr.setRequestHeader('x-csrf-token', csrf);
    xhr.responseType = 'text';
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        /* not JSON: a proxy's error page */
      }
      const first = (body as { files?: FileInfo[] } | null)?.files?.[0];
      if (xhr.status === 201 && first) return resolve(first);
      const err = (body as ErrorBody | null)?.error;
      reject(new ApiError(xhr.status, err?.code ?? 'http_error', err?.message ?? `The server answered ${xhr.status}.`));
    };
    xhr.onerror = () => reject(new ApiError(0, 'network', 'Cannot reach the server.'));
    xhr.onabort = () => reject(new ApiError(0, 'aborted', 'Upload cancelled.'));
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
  return { done, abort: () => xhr.abort() };
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

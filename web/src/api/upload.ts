// One file up with progress. Uploads go through XMLHttpRequest rather than fetch because
// only XHR reports upload progress; they carry the same CSRF header as http.ts.
import type { ErrorBody } from '@parley/protocol';
import { ApiError, readCookie } from './http';

export interface UploadHandle<T> {
  done: Promise<T>;
  abort: () => void;
}

/**
 * POSTs `file` as the multipart field `file` to `/api/v1${path}`. `accept` turns the answer
 * into the result, or null when the status or body is not the expected success.
 */
export function uploadWithProgress<T>(path: string, file: File, accept: (status: number, body: unknown) => T | null,
  onProgress: (sent: number, total: number) => void): UploadHandle<T> {
  const xhr = new XMLHttpRequest();
  const done = new Promise<T>((resolve, reject) => {
    xhr.open('POST', `/api/v1${path}`);
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
      const result = accept(xhr.status, body);
      if (result !== null) return resolve(result);
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

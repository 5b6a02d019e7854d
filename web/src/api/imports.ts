// Slack imports (admins): the export zip goes up through XMLHttpRequest, which alone reports
// upload progress, with the same CSRF header as http.ts; the job is then read with GET.
import type { ErrorBody } from '@parley/protocol';
import { ApiError, get, readCookie } from './http';

export const IMPORT_KINDS = ['users', 'channels', 'messages', 'threadReplies', 'reactions', 'pins', 'files', 'edits'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export interface ImportKindCounts {
  inExport: number;
  imported: number;
  alreadyPresent: number;
  skipped: number;
  skippedItems: Array<{ id: string; reason: string }>;
}

export interface ImportReport {
  dryRun: boolean;
  startedAt: string;
  finishedAt: string | null;
  kinds: Record<ImportKind, ImportKindCounts>;
  renames: Array<{ kind: string; slackId: string; from: string; to: string }>;
  matched: Array<{ kind: string; slackId: string; name: string; reason: string }>;
  notes: string[];
  error: string | null;
}

export interface ImportProgress {
  phase: 'reading' | 'users' | 'channels' | 'messages' | 'done';
  messages: number;
  bytesDone: number;
  bytesTotal: number;
  channelsDone: number;
  channelsTotal: number;
}

export interface ImportJob {
  id: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  dryRun: boolean;
  createdAt: string;
  updatedAt: string;
  progress: ImportProgress | null;
  report: ImportReport | null;
  error: string | null;
}

/** Uploads the export and starts the import; `onProgress` follows the bytes sent. */
export function startImport(file: File, dryRun: boolean, onProgress: (sent: number, total: number) => void): { done: Promise<ImportJob>; abort: () => void } {
  const xhr = new XMLHttpRequest();
  const done = new Promise<ImportJob>((resolve, reject) => {
    xhr.open('POST', `/api/v1/admin/imports${dryRun ? '?dryRun=true' : ''}`);
    xhr.setRequestHeader('accept', 'application/json');
    const csrf = readCookie('parley_csrf');
    if (csrf) xhr.setRequestHeader('x-csrf-token', csrf);
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        /* not JSON: a proxy's error page */
      }
      if (xhr.status === 202 && body) return resolve(body as ImportJob);
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

export const getImport = (id: string) => get<ImportJob>(`/admin/imports/${encodeURIComponent(id)}`);

// Slack imports (admins): the export zip goes up with progress (upload.ts); the job is then read with GET.
import { get } from './http';
import { uploadWithProgress, type UploadHandle } from './upload';

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
export function startImport(file: File, dryRun: boolean, onProgress: (sent: number, total: number) => void): UploadHandle<ImportJob> {
  return uploadWithProgress(`/admin/imports${dryRun ? '?dryRun=true' : ''}`, file,
    (status, body) => (status === 202 && body ? (body as ImportJob) : null), onProgress);
}

export const getImport = (id: string) => get<ImportJob>(`/admin/imports/${encodeURIComponent(id)}`);

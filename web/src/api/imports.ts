// Slack imports (admins): the export zip goes up with progress (upload.ts); the job is then read with GET.
import { IMPORT_KINDS, type ImportJob, type ImportKind, type ImportKindCounts, type ImportProgress, type ImportReport } from '@parley/protocol';
import { get } from './http';
import { uploadWithProgress, type UploadHandle } from './upload';

export { IMPORT_KINDS };
export type { ImportJob, ImportKind, ImportKindCounts, ImportProgress, ImportReport };

/** Uploads the export and starts the import; `onProgress` follows the bytes sent. */
export function startImport(file: File, dryRun: boolean, onProgress: (sent: number, total: number) => void): UploadHandle<ImportJob> {
  return uploadWithProgress(`/admin/imports${dryRun ? '?dryRun=true' : ''}`, file,
    (status, body) => (status === 202 && body ? (body as ImportJob) : null), onProgress);
}

export const getImport = (id: string) => get<ImportJob>(`/admin/imports/${encodeURIComponent(id)}`);

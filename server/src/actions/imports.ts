// Imports started by an admin over the API: the uploaded zip is streamed to disk, checked,
// and imported in the background; the job's row carries its progress (committed with each
// batch) and, at the end, its report.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { AppError, notFound } from '../errors.js';
import { newId } from '../ids.js';
import { SizeLimit, TooLarge } from '../files/intake.js';
import { importSlack } from '../import/slack/run.js';
import { SafeZip, ZipError } from '../import/slack/zip.js';
import type { Actor } from '../policies/channels.js';
import { findRun, insertRun, updateRun } from '../store/imports.js';
import type { ImportRunRow } from '../store/schema.js';
import { transact, type Deps } from './context.js';
import { audit, type AuditActor, type AuditClient } from './audit.js';
import type { UploadPart } from './files.js';
import { authorizeAdmin } from '../policies/admin.js';
import type { ImportJob, ImportProgress, ImportReport } from '@parley/protocol';

/** Largest export accepted over HTTP (the CLI reads any size from disk). */
export const MAX_IMPORT_UPLOAD = 50 * 1024 * 1024 * 1024;

export type { ImportJob };

function authorizeImport(actor: Actor): void {
  authorizeAdmin(actor, 'import');
}

function present(r: ImportRunRow): ImportJob {
  return {
    id: r.id, source: r.source, status: r.status, dryRun: r.dry_run, createdAt: r.created_at.toISOString(), updatedAt: r.updated_at.toISOString(),
    progress: (r.progress as { progress?: ImportProgress } | null)?.progress ?? null, report: (r.report as ImportReport | null) ?? null, error: r.error,
  };
}

export async function doStartImport(deps: Deps, actor: Actor & AuditActor, parts: AsyncIterable<UploadPart>, opts: { dryRun: boolean },
  client: AuditClient): Promise<ImportJob> {
  authorizeImport(actor);
  const id = newId();
  const dir = deps.config.dataDir === ':memory:' ? os.tmpdir() : path.join(deps.config.dataDir, 'imports');
  await fsp.mkdir(dir, { recursive: true });
  const file = path.join(dir, `parley-import-${id}.zip`);
  let got = false;
  try {
    for await (const part of parts) {
      if (got) {
        part.stream.resume();
        continue;
      }
      got = true;
      await pipeline(part.stream, new SizeLimit(MAX_IMPORT_UPLOAD), fs.createWriteStream(file, { mode: 0o600 }));
    }
    if (!got) throw new AppError(400, 'invalid_request', 'Send the export zip as a multipart/form-data file.');
    const zip = await SafeZip.open(file).catch((err) => {
      throw err instanceof ZipError ? new AppError(400, 'import_invalid', err.message) : err;
    });
    const isExport = zip.has('users.json') || zip.has('org_users.json');
    zip.close();
    if (!isExport) throw new AppError(400, 'import_invalid', 'This is not a Slack export: users.json is missing.');
  } catch (err) {
    await fsp.rm(file, { force: true });
    if (err instanceof TooLarge) throw new AppError(413, 'file_too_large', `Exports can be at most ${MAX_IMPORT_UPLOAD} bytes.`);
    throw err;
  }
  const row = await transact(deps, async (tx, events) => {
    const run = await insertRun(tx, { id, source: 'slack', fingerprint: '', dry_run: opts.dryRun, status: 'queued', created_by: actor.id, zip_path: file });
    await audit({ deps, tx, events, by: actor, client }, 'import.started', { type: 'import', id }, { source: 'slack', dryRun: opts.dryRun });
    return run;
  });
  void runJob(deps, row, file);
  return present(row);
}

async function runJob(deps: Deps, row: ImportRunRow, file: string): Promise<void> {
  try {
    const report = await importSlack(deps, file, { runId: row.id, createdBy: row.created_by, dryRun: row.dry_run });
    // A dry run has no committed progress; its report is kept on the job.
    if (row.dry_run) await updateRun(deps.db, row.id, { status: 'done', report });
    await fsp.rm(file, { force: true });
  } catch (err) {
    deps.log.warn({ err, importId: row.id }, 'import failed');
    const current = await findRun(deps.db, row.id).catch(() => undefined);
    if (current && current.status !== 'failed') {
      await updateRun(deps.db, row.id, { status: 'failed', error: (err as Error).message, report: (err as { report?: unknown }).report ?? null }).catch(() => {});
    }
  }
}

export async function getImport(deps: Deps, actor: Actor, id: string): Promise<ImportJob> {
  authorizeImport(actor);
  const row = await findRun(deps.db, id);
  if (!row) throw notFound('Import');
  return present(row);
}

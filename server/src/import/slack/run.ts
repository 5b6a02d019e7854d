// `importSlack`: one Slack export zip into Parley. Order: read and check the zip's metadata
// (a bad users.json or channels.json stops here, before anything is written), users, channels,
// then each conversation's day files in date order, in batches. Each batch commits together
// with the run's record of finished day files and the report so far, so a run killed at any
// point resumes from its last commit without counting or writing anything twice. A dry run
// does all of it inside one transaction that is rolled back (file bodies are not stored).
import { AppError } from '../../errors.js';
import { newId } from '../../ids.js';
import type { Deps } from '../../actions/context.js';
import type { Db } from '../../store/db.js';
import { findResumable, findRun, insertRun, updateRun } from '../../store/imports.js';
import { importChannels, type SlackKind } from './channels.js';
import { EventQueue } from '../../events/queue.js';
import { announceChannel, announceNewUsers } from './announce.js';
import { inTx, type ImportContext, type Progress } from './context.js';
import { importConversations } from './conversations.js';
import { addsUp, emptyReport, KINDS, Tally, type ImportReport } from './report.js';
import { importUsers } from './users.js';
import { DEFAULT_LIMITS, EntryError, SafeZip, ZipError, type ZipLimits } from './zip.js';

export type { Progress } from './context.js';

export interface ImportOptions {
  dryRun?: boolean;
  /** An existing run row to use (the API creates it at upload). */
  runId?: string;
  createdBy?: string | null;
  onProgress?: (p: Progress) => void;
  limits?: Partial<ZipLimits>;
  /** Messages per committed batch. */
  batchSize?: number;
  /** Conversations written at once (PostgreSQL only; PGlite and dry runs have one connection for it). */
  concurrency?: number;
}

export class ImportFailed extends Error {
  constructor(message: string, readonly report: ImportReport | null) {
    super(message);
  }
}

const DAY = /^([^/]+)\/(\d{4}-\d{2}-\d{2})\.json$/;
const META: Array<{ file: string; kind: SlackKind }> = [
  { file: 'channels.json', kind: 'public' }, { file: 'groups.json', kind: 'private' },
  { file: 'mpims.json', kind: 'group' }, { file: 'dms.json', kind: 'dm' },
];
class DryRunRollback extends Error {}

export async function importSlack(deps: Deps, zipPath: string, opts: ImportOptions = {}): Promise<ImportReport> {
  const limits = { ...DEFAULT_LIMITS, maxFileBytes: deps.config.files.maxFileSize, ...opts.limits };
  let zip: SafeZip;
  try {
    zip = await SafeZip.open(zipPath, limits);
  } catch (err) {
    if (opts.runId) await updateRun(deps.db, opts.runId, { status: 'failed', error: (err as Error).message });
    throw err;
  }
  try {
    return await run(deps, zip, opts, limits);
  } finally {
    zip.close();
  }
}

async function readList(zip: SafeZip, name: string, max: number, required: boolean): Promise<unknown[]> {
  if (!zip.has(name)) {
    if (required) throw new ZipError(`This is not a Slack export: ${name} is missing.`);
    return [];
  }
  let v: unknown;
  try {
    v = await zip.json(name, max);
  } catch (err) {
    throw new ZipError(`${(err as Error).message}; nothing was imported.`);
  }
  if (!Array.isArray(v)) throw new ZipError(`${name} is not a JSON list; nothing was imported.`);
  return v;
}

async function run(deps: Deps, zip: SafeZip, opts: ImportOptions, limits: ZipLimits): Promise<ImportReport> {
  const dry = opts.dryRun === true;
  const usersFile = zip.has('users.json') ? 'users.json' : 'org_users.json';
  const users = await readList(zip, usersFile, limits.maxJsonBytes, true);
  const lists: Array<{ file: string; kind: SlackKind; items: unknown[] }> = [];
  for (const m of META) lists.push({ ...m, items: await readList(zip, m.file, limits.maxJsonBytes, false) });
  if (!META.some((m) => zip.has(m.file))) throw new ZipError('This is not a Slack export: no channels.json, groups.json, mpims.json or dms.json.');
  const team = (users.find((u) => typeof (u as { team_id?: unknown })?.team_id === 'string') as { team_id?: string } | undefined)?.team_id ?? 'workspace';
  const source = `slack:${team}`;

  // Resume the unfinished run of this very zip, or start one.
  let runId: string | null = null;
  let report = emptyReport(dry);
  let done = new Set<string>();
  let phases: { users?: boolean; channels?: boolean } = {};
  if (!dry) {
    const prior = opts.runId ? await findRun(deps.db, opts.runId) : await findResumable(deps.db, 'slack', zip.fingerprint);
    if (prior?.report && (prior.fingerprint === zip.fingerprint || prior.fingerprint === '')) {
      report = prior.report as ImportReport;
      report.error = null;
      done = new Set(prior.done_entries);
      phases = (prior.progress as { phases?: typeof phases })?.phases ?? {};
    }
    runId = prior?.id ?? newId();
    if (!prior) await insertRun(deps.db, { id: runId, source: 'slack', fingerprint: zip.fingerprint, dry_run: false, status: 'running', created_by: opts.createdBy ?? null, zip_path: null });
    else await updateRun(deps.db, runId, { status: 'running', fingerprint: zip.fingerprint, error: null });
  }

  const tally = new Tally(report);
  const refused = new Map(zip.refused.map((r) => [r.name, r.reason]));
  const uploads = { bodies: new Map<string, string>(), refused: new Map<string, string>() };
  const folders = new Map<string, string[]>();
  let dayBytes = 0;
  for (const name of zip.names()) {
    const up = /^__uploads\/([^/]+)\/./.exec(name);
    if (up) uploads.bodies.set(up[1]!, name);
    const day = DAY.exec(name);
    if (day) {
      let list = folders.get(day[1]!);
      if (!list) folders.set(day[1]!, (list = []));
      list.push(name);
      dayBytes += zip.info(name)!.size;
    }
  }
  for (const [name, reason] of refused) {
    const up = /^__uploads\/([^/]+)\//.exec(name);
    if (up) uploads.refused.set(up[1]!, reason);
  }
  const progress: Progress = { phase: 'users', messages: 0, bytesDone: 0, bytesTotal: dayBytes, channelsDone: 0, channelsTotal: 0 };
  const emit = () => opts.onProgress?.({ ...progress });

  const work = async (db: Db) => {
    const concurrency = dry || !deps.config.databaseUrl ? 1 : Math.max(1, opts.concurrency ?? 2);
    const ctx: ImportContext = {
      deps, db, zip, source, dry, tally, users: new Map(), channels: new Map(), refused, uploads,
      claimedFiles: new Set(), placeholdersCommitAlone: concurrency > 1, newUsers: [],
    };
    const checkpoint = async (tx: Db, doneNow: string[], written: ImportReport = report) => {
      if (runId) await updateRun(tx, runId, { report: written, progress: { phases, progress }, addDone: doneNow });
    };
    // Users and channels always run (they rebuild the id maps); a resumed run keeps the counts it committed.
    const phase = async (key: 'users' | 'channels', fn: (c: ImportContext, tx: Db) => Promise<void>) => {
      progress.phase = key;
      emit();
      const events = new EventQueue();
      await inTx(ctx, async (tx) => {
        const saved = phases[key] ? structuredClone(report) : null;
        await fn({ ...ctx, db: tx }, tx);
        if (saved) Object.assign(report, saved);
        phases[key] = true;
        await checkpoint(tx, []);
        await announceNewUsers(ctx, tx, events);
        if (key === 'channels') for (const ch of ctx.channels.values()) await announceChannel(ctx, tx, events, ch.id, []);
      });
      deps.bus.publish(events.items);
    };
    if (!phases.users) {
      for (const r of zip.refused) tally.note(`Zip entry ${JSON.stringify(r.name)} not read: ${r.reason}.`);
    }
    await phase('users', (c, tx) => importUsers(c, tx, users));
    await phase('channels', (c, tx) => importChannels(c, tx, lists));

    progress.phase = 'messages';
    const claimed = await importConversations({
      ctx, report, folders, done, progress, batchSize: opts.batchSize ?? 2000, concurrency, maxJsonBytes: limits.maxJsonBytes,
      checkpoint: (tx, written, doneNow) => checkpoint(tx, doneNow, written), emit,
    });
    for (const [folder, names] of folders) {
      if (claimed.has(folder)) continue;
      for (const name of names) {
        if (done.has(name)) continue;
        tally.skipped('messages', name, `folder ${folder} matches no conversation in channels.json, groups.json, mpims.json or dms.json`);
      }
    }
    for (const [name, reason] of refused) {
      if (DAY.test(name)) tally.skipped('messages', name, `day file refused: ${reason}`);
    }
  };

  try {
    if (dry) {
      await deps.db.transaction().execute(async (tx) => {
        await work(tx);
        throw new DryRunRollback();
      }).catch((err) => {
        if (!(err instanceof DryRunRollback)) throw err;
      });
    } else await work(deps.db);
  } catch (err) {
    report.error = err instanceof AppError || err instanceof ZipError || err instanceof EntryError ? err.message : `unexpected failure: ${(err as Error).message}`;
    if (runId) await updateRun(deps.db, runId, { status: 'failed', error: report.error, report }).catch(() => {});
    throw new ImportFailed(report.error, report);
  }
  report.finishedAt = new Date().toISOString();
  for (const k of KINDS) if (!addsUp(report.kinds[k])) report.notes.push(`Internal check: the ${k} counts do not add up.`);
  progress.phase = 'done';
  emit();
  if (runId) await updateRun(deps.db, runId, { status: 'done', report, progress: { phases, progress } });
  return report;
}

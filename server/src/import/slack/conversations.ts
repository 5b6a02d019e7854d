// The messages phase: each conversation's day files in date order, in batches of about
// `batchSize` messages, each batch one transaction that commits with the run's checkpoint.
//
// Several conversations are written at once (on PostgreSQL): a batch's SQL runs on the
// database's CPU while this process inflates, parses and converts the next one, and two
// batches' index maintenance runs on two server cores. Conversations are independent (each
// has its own channel row lock and seqs), so only two things are shared, and both are kept
// exact: the run's report, which each batch tallies into a part of its own and merges under a
// lock just before its commit (a checkpoint never counts a batch that has not committed, so
// `kill -9` still resumes exactly), and placeholder accounts (see context.ts).
import type { Db } from '../../store/db.js';
import { EventQueue } from '../../events/queue.js';
import { announceChannel, announceNewUsers } from './announce.js';
import { inTx, type ChannelInfo, type ImportContext, type Progress } from './context.js';
import { convertMessage, writeBatch, type Pending } from './messages.js';
import { emptyReport, mergeReport, Tally, type ImportReport } from './report.js';
import { EntryError } from './zip.js';

export interface ConversationsJob {
  ctx: ImportContext;
  /** The run's report; batches merge into it as they commit. */
  report: ImportReport;
  /** Day files by folder name, and those an earlier run already committed. */
  folders: Map<string, string[]>;
  done: Set<string>;
  progress: Progress;
  batchSize: number;
  concurrency: number;
  maxJsonBytes: number;
  /** Writes the run's checkpoint (report, progress, finished day files) in the batch's transaction. */
  checkpoint: (tx: Db, report: ImportReport, doneNow: string[]) => Promise<void>;
  emit: () => void;
}

/** A lock whose holder is the one batch allowed to merge its part and commit. */
class Turn {
  private tail: Promise<void> = Promise.resolve();

  take(): Promise<() => void> {
    let free!: () => void;
    const held = new Promise<void>((resolve) => (free = resolve));
    const ready = this.tail;
    this.tail = ready.then(() => held);
    return ready.then(() => free);
  }
}

/** Imports every conversation's messages; returns the folders that matched a conversation. */
export async function importConversations(job: ConversationsJob): Promise<Set<string>> {
  const claimed = new Set<string>();
  const plan = [...job.ctx.channels.values()].map((ch) => {
    const names = [...new Set(ch.folders.flatMap((f) => (claimed.has(f) ? [] : job.folders.get(f) ?? [])))].sort(byDay);
    ch.folders.forEach((f) => claimed.add(f));
    return { ch, names };
  });
  job.progress.channelsTotal = plan.length;
  const turn = new Turn();
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < plan.length) {
      const { ch, names } = plan[next++]!;
      try {
        await conversation(job, turn, ch, names, () => failed);
      } catch (err) {
        failed = true;
        throw err;
      }
      job.progress.channelsDone++;
      job.emit();
    }
  };
  // Every worker settles before the error goes up, so nothing commits after the run is marked failed.
  const results = await Promise.allSettled(Array.from({ length: Math.max(1, Math.min(job.concurrency, plan.length)) }, worker));
  const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (rejected) throw rejected.reason;
  return claimed;
}

async function conversation(job: ConversationsJob, turn: Turn, ch: ChannelInfo, names: string[], stop: () => boolean): Promise<void> {
  const { progress, done } = job;
  let part = new Tally(emptyReport(job.ctx.dry));
  let batch: Pending[] = [];
  let entries: string[] = [];
  const flush = async () => {
    if (batch.length === 0 && entries.length === 0) return;
    const [b, e, t] = [batch, entries, part];
    [batch, entries, part] = [[], [], new Tally(emptyReport(job.ctx.dry))];
    await writeAndCommit(job, turn, ch, b, e, t);
  };
  for (const name of names) {
    if (stop()) return;
    const size = job.ctx.zip.info(name)!.size;
    if (done.has(name)) {
      progress.bytesDone += size;
      continue;
    }
    let day: unknown;
    try {
      day = await job.ctx.zip.json(name, job.maxJsonBytes);
      if (!Array.isArray(day)) throw new EntryError(`${name} is not a JSON list`);
    } catch (err) {
      if (!(err instanceof EntryError)) throw err;
      part.skipped('messages', name, `day file unreadable: ${err.message} (its messages could not be counted)`);
      day = [];
    }
    const ctx = { ...job.ctx, tally: part };
    for (const m of day as unknown[]) {
      if (typeof m !== 'object' || m === null) {
        part.skipped('messages', name, 'an entry that is not an object');
        continue;
      }
      const p = convertMessage(ctx, ch, m as Record<string, unknown>, name);
      if ('skip' in p) part.skipped(p.kind, p.id, p.skip);
      else batch.push(p);
    }
    progress.messages += (day as unknown[]).length;
    progress.bytesDone += size;
    entries.push(name);
    if (batch.length >= job.batchSize) await flush();
  }
  await flush();
}

async function writeAndCommit(job: ConversationsJob, turn: Turn, ch: ChannelInfo, batch: Pending[], entries: string[], part: Tally): Promise<void> {
  const events = new EventQueue();
  let release: (() => void) | null = null;
  let merged: ImportReport | null = null;
  try {
    await inTx(job.ctx, async (tx) => {
      const ctx = { ...job.ctx, db: tx, tally: part, newUsers: [] };
      await writeBatch(ctx, tx, ch, batch);
      const roots = [...new Set(batch.map((p) => p.rootId).filter((r): r is string => r !== null))];
      release = await turn.take();
      // The accounts and the channel as this transaction leaves them; sent only after COMMIT.
      await announceNewUsers(ctx, tx, events);
      await announceChannel(ctx, tx, events, ch.id, roots);
      merged = structuredClone(job.report);
      mergeReport(merged, part.report);
      await job.checkpoint(tx, merged, entries);
    });
    // Committed: the run's report now is the one written with it.
    Object.assign(job.report, merged!);
  } finally {
    (release as (() => void) | null)?.();
  }
  job.ctx.deps.bus.publish(events.items);
  job.emit();
}

function byDay(a: string, b: string): number {
  const da = a.slice(-15);
  const db = b.slice(-15);
  return da < db ? -1 : da > db ? 1 : a < b ? -1 : 1;
}

// The import report: per kind, what the export holds and what became of each item. Every item
// is counted exactly once as imported, already present (an earlier run, or matched to an
// existing account or channel) or skipped with its reason, so the counts always add up.
import { IMPORT_KINDS, type ImportKind, type ImportKindCounts, type ImportReport } from '@parley/protocol';

export const KINDS = IMPORT_KINDS;
export type Kind = ImportKind;
export type KindCounts = ImportKindCounts;
export type { ImportReport };

/** Skipped items kept per kind in the report (the counts stay exact past it). */
export const MAX_LISTED = 1000;

export function emptyReport(dryRun: boolean): ImportReport {
  const kinds = Object.fromEntries(KINDS.map((k) => [k, { inExport: 0, imported: 0, alreadyPresent: 0, skipped: 0, skippedItems: [] }])) as unknown as Record<Kind, KindCounts>;
  return { source: 'slack', dryRun, startedAt: new Date().toISOString(), finishedAt: null, kinds, renames: [], matched: [], notes: [], error: null };
}

/** Accumulates counts; `count()` records one item's outcome. */
export class Tally {
  constructor(readonly report: ImportReport) {}

  imported(kind: Kind, n = 1): void {
    this.report.kinds[kind].inExport += n;
    this.report.kinds[kind].imported += n;
  }

  present(kind: Kind, n = 1): void {
    this.report.kinds[kind].inExport += n;
    this.report.kinds[kind].alreadyPresent += n;
  }

  skipped(kind: Kind, id: string, reason: string, n = 1): void {
    const k = this.report.kinds[kind];
    k.inExport += n;
    k.skipped += n;
    if (k.skippedItems.length < MAX_LISTED) k.skippedItems.push({ id: n > 1 ? `${id} (${n} items)` : id, reason });
  }

  note(text: string): void {
    if (this.report.notes.length < MAX_LISTED) this.report.notes.push(text);
  }
}

/**
 * Adds a batch's part into the run's report. A batch tallies into its own part and merges it
 * just before its commit, so a report written with one batch never counts another batch
 * that has not committed (two conversations are written at once; see conversations.ts).
 */
export function mergeReport(into: ImportReport, part: ImportReport): void {
  for (const kind of KINDS) {
    const a = into.kinds[kind];
    const b = part.kinds[kind];
    a.inExport += b.inExport;
    a.imported += b.imported;
    a.alreadyPresent += b.alreadyPresent;
    a.skipped += b.skipped;
    for (const item of b.skippedItems) if (a.skippedItems.length < MAX_LISTED) a.skippedItems.push(item);
  }
  into.renames.push(...part.renames);
  into.matched.push(...part.matched);
  for (const note of part.notes) if (into.notes.length < MAX_LISTED) into.notes.push(note);
}

/** The counts of one kind add up; checked before the report is written. */
export function addsUp(k: KindCounts): boolean {
  return k.inExport === k.imported + k.alreadyPresent + k.skipped;
}

const LABELS: Record<Kind, string> = {
  users: 'Users', channels: 'Channels', messages: 'Messages', threadReplies: 'Thread replies',
  reactions: 'Reactions', pins: 'Pins', files: 'Files', edits: 'Edits',
};

/** The human summary printed at the end. */
export function summarize(r: ImportReport): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const lines = [`Slack import ${r.dryRun ? '(dry run, nothing written) ' : ''}${r.error ? 'stopped' : 'finished'}.`, ''];
  lines.push(`${'kind'.padEnd(16)}${'in export'.padStart(12)}${'imported'.padStart(12)}${'present'.padStart(12)}${'skipped'.padStart(12)}`);
  for (const kind of KINDS) {
    const k = r.kinds[kind];
    lines.push(`${LABELS[kind].padEnd(16)}${n(k.inExport).padStart(12)}${n(k.imported).padStart(12)}${n(k.alreadyPresent).padStart(12)}${n(k.skipped).padStart(12)}`);
  }
  const reasons = new Map<string, number>();
  for (const kind of KINDS) {
    for (const s of r.kinds[kind].skippedItems) reasons.set(`${LABELS[kind]}: ${s.reason}`, (reasons.get(`${LABELS[kind]}: ${s.reason}`) ?? 0) + 1);
  }
  if (reasons.size) {
    lines.push('', 'Skipped, by reason (listed items; the report has each one):');
    for (const [reason, count] of [...reasons].sort((a, b) => b[1] - a[1]).slice(0, 20)) lines.push(`  ${n(count).padStart(6)}  ${reason}`);
  }
  if (r.renames.length) {
    lines.push('', `Renamed (${r.renames.length}):`);
    for (const x of r.renames.slice(0, 20)) lines.push(`  ${x.kind} ${x.from} → ${x.to}`);
  }
  if (r.matched.length) lines.push('', `Matched to existing accounts or channels: ${r.matched.length}`);
  if (r.notes.length) {
    lines.push('', 'Notes:');
    for (const x of r.notes.slice(0, 20)) lines.push(`  ${x}`);
    if (r.notes.length > 20) lines.push(`  … and ${r.notes.length - 20} more in the report`);
  }
  if (r.error) lines.push('', `Error: ${r.error}`, 'Run the same command again to continue where it stopped.');
  return lines.join('\n');
}

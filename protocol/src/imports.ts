// Slack imports as the admin API returns them (POST/GET /api/v1/admin/imports): the job, its
// progress as of the last committed batch, and the report. One definition for the importer,
// the route's response schema and the web client.
import Type, { type Static } from 'typebox';

/** Every kind of thing the report counts, in the order it is shown. */
export const IMPORT_KINDS = ['users', 'channels', 'messages', 'threadReplies', 'reactions', 'pins', 'files', 'edits'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export const ImportProgress = Type.Object({
  phase: Type.Union([Type.Literal('reading'), Type.Literal('users'), Type.Literal('channels'), Type.Literal('messages'), Type.Literal('done')]),
  messages: Type.Integer(),
  bytesDone: Type.Integer(),
  bytesTotal: Type.Integer(),
  channelsDone: Type.Integer(),
  channelsTotal: Type.Integer(),
});
export type ImportProgress = Static<typeof ImportProgress>;

/** One kind: every item is counted once as imported, already present or skipped (with its reason). */
export const ImportKindCounts = Type.Object({
  inExport: Type.Integer(),
  imported: Type.Integer(),
  alreadyPresent: Type.Integer(),
  skipped: Type.Integer(),
  skippedItems: Type.Array(Type.Object({ id: Type.String(), reason: Type.String() })),
});
export type ImportKindCounts = Static<typeof ImportKindCounts>;

const Named = { kind: Type.Union([Type.Literal('user'), Type.Literal('channel')]), slackId: Type.String() };

export const ImportReport = Type.Object({
  source: Type.Literal('slack'),
  dryRun: Type.Boolean(),
  startedAt: Type.String(),
  finishedAt: Type.Union([Type.String(), Type.Null()]),
  kinds: Type.Object(Object.fromEntries(IMPORT_KINDS.map((k) => [k, ImportKindCounts])) as Record<ImportKind, typeof ImportKindCounts>),
  /** Slack names that were taken here and got another name. */
  renames: Type.Array(Type.Object({ ...Named, from: Type.String(), to: Type.String() })),
  /** Slack users matched to existing accounts by email, Slack channels mapped to existing ones. */
  matched: Type.Array(Type.Object({ ...Named, name: Type.String(), reason: Type.String() })),
  /** Things worth knowing that are not skips (placeholder users, entries not read, orphan replies, ...). */
  notes: Type.Array(Type.String()),
  /** Set when the import stopped; what was committed before stays and a re-run continues. */
  error: Type.Union([Type.String(), Type.Null()]),
});
export type ImportReport = Static<typeof ImportReport>;

export const ImportJob = Type.Object({
  id: Type.String(),
  source: Type.String(),
  status: Type.Union([Type.Literal('queued'), Type.Literal('running'), Type.Literal('done'), Type.Literal('failed')]),
  dryRun: Type.Boolean(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  progress: Type.Union([ImportProgress, Type.Null()], { description: 'As of the last committed batch' }),
  report: Type.Union([ImportReport, Type.Null()], { description: 'Final once status is done' }),
  error: Type.Union([Type.String(), Type.Null()]),
});
export type ImportJob = Static<typeof ImportJob>;

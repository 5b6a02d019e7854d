// Imports: id maps, runs with their committed progress, and the bulk writes an import makes.
// Bulk inserts pass one array per column through unnest(), so a batch of thousands of rows is
// one statement with a dozen parameters, on PostgreSQL and PGlite alike.
import { sql } from 'kysely';
import type { Db } from './db.js';
import type { ImportRunRow } from './schema.js';

// ---- maps

export async function loadMap(db: Db, source: string, kind: 'user' | 'channel'): Promise<Map<string, string>> {
  const rows = await db.selectFrom('import_maps').select(['external_id', 'internal_id'])
    .where('source', '=', source).where('kind', '=', kind).execute();
  return new Map(rows.map((r) => [r.external_id, r.internal_id]));
}

export async function saveMap(db: Db, source: string, kind: 'user' | 'channel', external: string, internal: string): Promise<void> {
  await db.insertInto('import_maps').values({ source, kind, external_id: external, internal_id: internal })
    .onConflict((oc) => oc.columns(['source', 'kind', 'external_id']).doNothing()).execute();
}

// ---- runs

export function insertRun(db: Db, row: { id: string; source: string; fingerprint: string; dry_run: boolean; status: ImportRunRow['status'];
  created_by: string | null; zip_path: string | null }): Promise<ImportRunRow> {
  return db.insertInto('import_runs').values(row).returningAll().executeTakeFirstOrThrow();
}

export function findRun(db: Db, id: string): Promise<ImportRunRow | undefined> {
  return db.selectFrom('import_runs').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The newest unfinished run of this zip, to resume. */
export function findResumable(db: Db, source: string, fingerprint: string): Promise<ImportRunRow | undefined> {
  return db.selectFrom('import_runs').selectAll().where('source', '=', source).where('fingerprint', '=', fingerprint)
    .where('dry_run', '=', false).where('status', 'in', ['running', 'failed', 'queued'])
    .orderBy('created_at', 'desc').limit(1).executeTakeFirst();
}

export async function updateRun(db: Db, id: string, patch: { status?: ImportRunRow['status']; fingerprint?: string; progress?: unknown;
  report?: unknown; error?: string | null; addDone?: string[] }): Promise<void> {
  await db.updateTable('import_runs').set((eb) => ({
    updated_at: new Date(),
    ...(patch.status && { status: patch.status }),
    ...(patch.fingerprint && { fingerprint: patch.fingerprint }),
    ...(patch.progress !== undefined && { progress: JSON.stringify(patch.progress) }),
    ...(patch.report !== undefined && { report: JSON.stringify(patch.report) }),
    ...(patch.error !== undefined && { error: patch.error }),
    ...(patch.addDone?.length && { done_entries: sql<string[]>`${eb.ref('done_entries')} || ${patch.addDone}::text[]` }),
  })).where('id', '=', id).execute();
}

// ---- users and channels

export interface ImportedUser {
  id: string; username: string; email: string; display_name: string; role: 'member' | 'guest';
  deactivated: boolean; is_bot: boolean; avatar_url: string | null;
}

/** Inserts users that do not exist yet (by id); returns the ids inserted. */
export async function insertUsers(db: Db, rows: ImportedUser[]): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  // No conflict target: a taken id, username or email all leave the existing row alone.
  const inserted = await db.insertInto('users').values(rows.map((r) => ({ ...r, password_hash: null })))
    .onConflict((oc) => oc.doNothing()).returning('id').execute();
  return new Set(inserted.map((r) => r.id));
}

export async function existingIds(db: Db, table: 'users' | 'channels' | 'messages' | 'files', ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.selectFrom(table).select('id').where('id', '=', sql<string>`ANY(${[...ids]}::uuid[])`).execute();
  return new Set(rows.map((r) => r.id));
}

/** Users whose lower(username) is one of these, and whose lower(email) is one of those. */
export async function usersByNameOrEmail(db: Db, usernames: string[], emails: string[]) {
  return db.selectFrom('users').select(['id', 'username', 'email'])
    .where((eb) => eb.or([
      eb(sql`lower(username)`, '=', sql`ANY(${usernames}::text[])`),
      eb(sql`lower(email)`, '=', sql`ANY(${emails}::text[])`),
    ])).execute();
}

export function usersByIds(db: Db, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('users').select(['id', 'username']).where('id', '=', sql<string>`ANY(${ids}::uuid[])`).execute();
}

export function channelsByIds(db: Db, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('channels').select(['id', 'name', 'kind']).where('id', '=', sql<string>`ANY(${ids}::uuid[])`).execute();
}

export interface ImportedChannel {
  id: string; kind: 'public' | 'private' | 'dm' | 'group'; name: string | null; topic: string; purpose: string;
  archived: boolean; created_by: string | null; created_at: Date; dm_key: string | null;
}

export async function insertChannel(db: Db, row: ImportedChannel): Promise<boolean> {
  const r = await db.insertInto('channels').values(row).onConflict((oc) => oc.doNothing()).returning('id').executeTakeFirst();
  return r !== undefined;
}

export function channelNames(db: Db, names: string[]) {
  return db.selectFrom('channels').select(['id', 'name']).where('name', '=', sql<string>`ANY(${names}::text[])`).execute();
}

export async function addMembersAt(db: Db, channelId: string, members: Array<{ user_id: string; role: 'owner' | 'member' }>, at: Date): Promise<void> {
  if (members.length > 0) {
    await db.insertInto('channel_members').values(members.map((m) => ({ ...m, channel_id: channelId, joined_at: at })))
      .onConflict((oc) => oc.columns(['channel_id', 'user_id']).doNothing()).execute();
  }
  await sql`UPDATE channels SET member_count = (SELECT count(*) FROM channel_members WHERE channel_id = ${channelId}) WHERE id = ${channelId}`.execute(db);
}

// ---- messages

export interface BulkMessage {
  id: string; channel_id: string; user_id: string; text: string; thread_root_id: string | null; seq: number;
  created_at: Date; edited_at: Date | null; deleted_at: Date | null; pinned_at: Date | null; pinned_by: string | null;
  mentions: string[]; broadcast_mention: 'channel' | 'here' | null; subtype: string | null;
}

/** Locks the channel row (ordering against live posts) and returns its last seq. */
export async function lockChannelSeq(db: Db, channelId: string): Promise<number> {
  const r = await db.selectFrom('channels').select('last_seq').where('id', '=', channelId).forUpdate().executeTakeFirstOrThrow();
  return Number(r.last_seq);
}

export async function setChannelSeq(db: Db, channelId: string, seq: number): Promise<void> {
  await db.updateTable('channels').set({ last_seq: seq }).where('id', '=', channelId).execute();
}

/** Top-level messages among these ids (thread roots that exist). */
export async function existingRoots(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('messages').select(['id', 'user_id']).where('id', '=', sql<string>`ANY(${[...ids]}::uuid[])`)
    .where('thread_root_id', 'is', null).execute();
  return new Map(rows.map((r) => [r.id, r.user_id]));
}

export async function insertMessages(db: Db, rows: BulkMessage[]): Promise<void> {
  if (rows.length === 0) return;
  const col = <K extends keyof BulkMessage>(k: K) => rows.map((r) => r[k]);
  // mentions are uuid[] per row; unnest cannot take a ragged 2-D array, so they travel as text.
  await sql`
    INSERT INTO messages (id, channel_id, user_id, text, thread_root_id, seq, created_at, edited_at, deleted_at,
      pinned_at, pinned_by, mentions, broadcast_mention, subtype)
    SELECT id, channel_id, user_id, text, thread_root_id, seq, created_at, edited_at, deleted_at, pinned_at, pinned_by,
      CASE WHEN mentions = '' THEN '{}'::uuid[] ELSE string_to_array(mentions, ',')::uuid[] END, broadcast_mention, subtype
    FROM unnest(${col('id')}::uuid[], ${col('channel_id')}::uuid[], ${col('user_id')}::uuid[], ${col('text')}::text[],
      ${col('thread_root_id')}::uuid[], ${col('seq')}::bigint[], ${col('created_at')}::timestamptz[], ${col('edited_at')}::timestamptz[],
      ${col('deleted_at')}::timestamptz[], ${col('pinned_at')}::timestamptz[], ${col('pinned_by')}::uuid[],
      ${rows.map((r) => r.mentions.join(','))}::text[], ${col('broadcast_mention')}::text[], ${col('subtype')}::text[])
      AS t(id, channel_id, user_id, text, thread_root_id, seq, created_at, edited_at, deleted_at, pinned_at, pinned_by,
        mentions, broadcast_mention, subtype)
    ON CONFLICT (id) DO NOTHING`.execute(db);
}

/** Claims `n` reply seqs on each root; returns each root's new reply_seq (the last claimed). */
export async function bumpRoots(db: Db, bumps: Array<{ id: string; n: number; last: Date }>): Promise<Map<string, number>> {
  if (bumps.length === 0) return new Map();
  const r = await sql<{ id: string; reply_seq: number }>`
    UPDATE messages m SET reply_seq = m.reply_seq + v.n, reply_count = m.reply_count + v.n,
      last_reply_at = greatest(m.last_reply_at, v.last)
    FROM unnest(${bumps.map((b) => b.id)}::uuid[], ${bumps.map((b) => b.n)}::int[], ${bumps.map((b) => b.last)}::timestamptz[]) AS v(id, n, last)
    WHERE m.id = v.id RETURNING m.id, m.reply_seq`.execute(db);
  return new Map(r.rows.map((x) => [x.id, Number(x.reply_seq)]));
}

/** Inserts reactions that are not there yet; returns how many were new. */
export async function insertReactions(db: Db, rows: Array<{ message_id: string; emoji: string; user_id: string; created_at: Date }>): Promise<number> {
  if (rows.length === 0) return 0;
  const r = await sql`
    INSERT INTO reactions (message_id, emoji, user_id, created_at)
    SELECT * FROM unnest(${rows.map((x) => x.message_id)}::uuid[], ${rows.map((x) => x.emoji)}::text[],
      ${rows.map((x) => x.user_id)}::uuid[], ${rows.map((x) => x.created_at)}::timestamptz[])
    ON CONFLICT DO NOTHING`.execute(db);
  return Number(r.numAffectedRows ?? 0);
}

/** Everything up to the channel's newest message counts as read, for every member. */
export async function markChannelRead(db: Db, channelId: string): Promise<void> {
  await sql`
    UPDATE channel_members cm SET last_read_seq = c.last_seq,
      last_read_message_id = (SELECT id FROM messages WHERE channel_id = c.id AND thread_root_id IS NULL AND seq = c.last_seq)
    FROM channels c WHERE c.id = ${channelId} AND cm.channel_id = c.id AND cm.last_read_seq < c.last_seq`.execute(db);
}

/** Follows threads for these (root, user) pairs and marks every follower of the roots read to the newest reply. */
export async function followAndReadThreads(db: Db, follows: Array<{ root_id: string; user_id: string }>, rootIds: string[]): Promise<void> {
  if (follows.length > 0) {
    await sql`
      INSERT INTO thread_followers (root_id, user_id, following)
      SELECT r, u, true FROM unnest(${follows.map((f) => f.root_id)}::uuid[], ${follows.map((f) => f.user_id)}::uuid[]) AS t(r, u)
      ON CONFLICT DO NOTHING`.execute(db);
  }
  if (rootIds.length > 0) {
    await sql`
      UPDATE thread_followers f SET last_read_seq = m.reply_seq FROM messages m
      WHERE m.id = f.root_id AND f.root_id = ANY(${rootIds}::uuid[]) AND f.last_read_seq < m.reply_seq`.execute(db);
  }
}

/** Files rows by id (to tell a re-run from a file shared twice). */
export async function filesById(db: Db, ids: readonly string[]): Promise<Map<string, string | null>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('files').select(['id', 'message_id']).where('id', '=', sql<string>`ANY(${[...ids]}::uuid[])`).execute();
  return new Map(rows.map((r) => [r.id, r.message_id]));
}

/**
 * The channel's messages with created_at in [from, to]: an import batch's ids that already
 * exist are among them. One range probe on (channel_id, created_at) instead of an id lookup
 * per message, and nothing to read at all in a channel the import is filling afresh.
 */
export async function idsInRange(db: Db, channelId: string, from: Date, to: Date): Promise<Set<string>> {
  const rows = await db.selectFrom('messages').select('id').where('channel_id', '=', channelId)
    .where('created_at', '>=', from).where('created_at', '<=', to).execute();
  return new Set(rows.map((r) => r.id));
}

/**
 * Marks every follower of these roots read to the given reply seq (the importer knows each root's
 * last one). The ANY() repeats the join's condition for the planner: from the join alone it
 * guesses hundreds of followers per root and scans the whole table, once per batch, so the
 * import slowed as the table grew.
 */
export async function readThreadsTo(db: Db, roots: Array<{ id: string; seq: number }>): Promise<void> {
  if (roots.length === 0) return;
  await sql`
    UPDATE thread_followers f SET last_read_seq = v.seq
    FROM unnest(${roots.map((r) => r.id)}::uuid[], ${roots.map((r) => r.seq)}::bigint[]) AS v(id, seq)
    WHERE f.root_id = v.id AND f.root_id = ANY(${roots.map((r) => r.id)}::uuid[]) AND f.last_read_seq < v.seq`.execute(db);
}

/** The members of a channel with their role, for announcing what an import batch changed. */
export function membersWithRole(db: Db, channelId: string) {
  return db.selectFrom('channel_members').select(['user_id', 'role']).where('channel_id', '=', channelId).execute();
}

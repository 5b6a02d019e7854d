// Full-text search over messages: one query over the GIN index on messages.search_vector
// (migration 003), limited to the channels the searcher may read, with keyset paging.
import { sql, type RawBuilder } from 'kysely';
import type { Db } from './db.js';
import type { MessageRow } from './schema.js';

/** The text-search configuration of messages.search_vector; queries must use the same one. */
export const TS_CONFIG = 'english';

/** Start and stop marks of a highlighted match in a headline; removed from the text first. */
export const MARK_START = '\u0002';
export const MARK_STOP = '\u0003';
/**
 * Stands in for '<' while ts_headline reads the text: its parser takes `<b>` for markup and
 * drops it from the headline, but a chat message's `<` is text. Removed from the text first.
 */
export const LT_STANDIN = '\u0001';

export type SearchSort = 'relevance' | 'recent';

/** Where the previous page ended: its last row's rank (relevance) or time (recent), and id. */
export interface SearchAfter {
  rank?: number;
  /** created_at as PostgreSQL prints it in UTC, to the microsecond. */
  time?: string;
  id: string;
}

export interface SearchSpec {
  userId: string;
  /** Public channels the searcher is not a member of are searched too (policies/search.ts). */
  includePublic: boolean;
  /** websearch_to_tsquery input; '' for a filters-only search (then sorted by time). */
  text: string;
  fromUserIds: string[] | null;
  channelIds: string[] | null;
  after: Date | null;
  before: Date | null;
  hasLink: boolean;
  /** has:file: an attached file (table `files`, migration 002); without that table nothing matches. */
  hasFile: boolean;
  isThread: boolean;
  sort: SearchSort;
  cursor: SearchAfter | null;
  limit: number;
}

export type SearchRow = MessageRow & { rank: number; time_key: string; headline: string | null };

/** How websearch_to_tsquery reads the free text: lexemes left (0: only stop words), index usable. */
export async function analyzeText(db: Db, text: string): Promise<{ lexemes: number; indexable: boolean }> {
  const r = await sql<{ n: number; tree: string }>`
    SELECT numnode(q) AS n, querytree(q) AS tree FROM websearch_to_tsquery(${TS_CONFIG}::regconfig, ${text}) AS q`.execute(db);
  const row = r.rows[0]!;
  return { lexemes: Number(row.n), indexable: row.tree !== 'T' };
}

/** Whether the files feature's table exists (migration 002, another part of Parley). */
export async function hasFilesTable(db: Db): Promise<boolean> {
  const r = await sql<{ ok: boolean }>`SELECT to_regclass('files') IS NOT NULL AS ok`.execute(db);
  return r.rows[0]!.ok === true;
}

/**
 * One page of matches, best first (or newest first), `limit + 1` rows to tell whether more
 * exist. Never returns deleted messages (their text is emptied, and they are filtered out
 * explicitly for filter-only searches); earlier versions of edited messages live in
 * message_versions and are not searched at all.
 */
export async function searchMessages(db: Db, s: SearchSpec, filesTable: boolean): Promise<SearchRow[]> {
  const tsq = sql`websearch_to_tsquery(${TS_CONFIG}::regconfig, ${s.text})`;
  const byRank = s.sort === 'relevance' && s.text !== '';
  const rank: RawBuilder<number> = s.text ? sql<number>`ts_rank(m.search_vector, ${tsq})` : sql<number>`0::real`;

  let q = db.selectFrom('messages as m')
    .selectAll('m')
    .select(rank.as('rank'))
    .select(sql<string>`to_char(m.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('time_key'))
    .where('m.deleted_at', 'is', null)
    .where('m.channel_id', 'in', (eb) => {
      const mine = eb.selectFrom('channel_members as cm').select('cm.channel_id').where('cm.user_id', '=', s.userId);
      return s.includePublic
        ? mine.unionAll(eb.selectFrom('channels as c').select('c.id as channel_id').where('c.kind', '=', 'public'))
        : mine;
    });
  if (s.text) q = q.where(sql<boolean>`m.search_vector @@ ${tsq}`);
  if (s.fromUserIds) q = q.where('m.user_id', 'in', s.fromUserIds);
  if (s.channelIds) q = q.where('m.channel_id', 'in', s.channelIds);
  if (s.after) q = q.where('m.created_at', '>=', s.after);
  if (s.before) q = q.where('m.created_at', '<', s.before);
  if (s.hasLink) q = q.where(sql<boolean>`m.has_link`);
  if (s.isThread) q = q.where((eb) => eb.or([eb('m.thread_root_id', 'is not', null), eb('m.reply_count', '>', 0)]));
  if (s.hasFile) {
    q = q.where(filesTable ? sql<boolean>`EXISTS (SELECT 1 FROM files f WHERE f.message_id = m.id AND f.deleted_at IS NULL)` : sql<boolean>`false`);
  }

  const c = s.cursor;
  if (byRank) {
    if (c) q = q.where(sql<boolean>`(${rank} < ${c.rank}::real OR (${rank} = ${c.rank}::real AND m.id < ${c.id}))`);
    q = q.orderBy(sql`rank`, 'desc').orderBy('m.id', 'desc');
  } else {
    if (c) q = q.where(sql<boolean>`(m.created_at, m.id) < (${c.time}::timestamptz, ${c.id}::uuid)`);
    q = q.orderBy('m.created_at', 'desc').orderBy('m.id', 'desc');
  }
  const page = q.limit(s.limit + 1);

  // Headlines only for the page: ts_headline re-parses each text, so it runs after LIMIT.
  const headline: RawBuilder<string | null> = s.text
    ? sql<string>`ts_headline(${TS_CONFIG}::regconfig, translate(p.text, ${'<' + LT_STANDIN + MARK_START + MARK_STOP}, ${LT_STANDIN}), ${tsq},
        ${`StartSel=${MARK_START}, StopSel=${MARK_STOP}, MaxWords=35, MinWords=15`})`
    : sql<null>`NULL::text`;
  const rows = await db.selectFrom(page.as('p')).selectAll('p').select(headline.as('headline'))
    .orderBy(byRank ? sql`p.rank` : sql`p.created_at`, 'desc').orderBy(sql`p.id`, 'desc')
    .execute();
  return rows as unknown as SearchRow[];
}

// ---- resolving filters and presenting a page

/** Users by username, case-insensitively (for from: and in:@). */
export function usersByUsername(db: Db, usernames: readonly string[]): Promise<Array<{ id: string; username: string }>> {
  if (usernames.length === 0) return Promise.resolve([]);
  return db.selectFrom('users').select(['id', 'username']).where(sql`lower(username)`, 'in', usernames.map((u) => u.toLowerCase())).execute();
}

/** Public and private channels by name (for in:#name; the caller checks who may see them). */
export function channelIdsByName(db: Db, names: readonly string[]): Promise<Array<{ id: string; name: string | null }>> {
  if (names.length === 0) return Promise.resolve([]);
  return db.selectFrom('channels').select(['id', 'name']).where('name', 'in', names).execute();
}

export function channelsByDmKey(db: Db, keys: readonly string[]) {
  if (keys.length === 0) return Promise.resolve([]);
  return db.selectFrom('channels').selectAll().where('dm_key', 'in', keys).execute();
}

export function channelsByIds(db: Db, ids: readonly string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('channels').selectAll().where('id', 'in', ids).execute();
}

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
  /** Relevance: the oldest match in the ranked window, fixed by the first page; null when every match was ranked. */
  floor?: string | null;
  /** Relevance: the page ended among the matches older than the window, which follow newest first. */
  older?: boolean;
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
  /** Relevance ranks only this many newest matches; older ones follow them newest first. */
  rankWindow: number;
}

export type SearchRow = MessageRow & {
  rank: number; time_key: string; headline: string | null;
  /** Relevance paging state for the cursor: see SearchAfter. */
  floor: string | null; older: boolean;
};

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

/** The channels a search covers: the searcher's own, and every public one when includePublic. */
export async function readableChannelIds(db: Db, userId: string, includePublic: boolean): Promise<string[]> {
  const mine = db.selectFrom('channel_members').select('channel_id as id').where('user_id', '=', userId);
  const q = includePublic ? mine.union(db.selectFrom('channels').select('id').where('kind', '=', 'public')) : mine;
  return (await q.execute()).map((r) => r.id);
}

/**
 * One page of matches, best first (or newest first), `limit + 1` rows to tell whether more
 * exist. Never returns deleted messages (their text is emptied, and they are filtered out
 * explicitly for filter-only searches); earlier versions of edited messages live in
 * message_versions and are not searched at all.
 *
 * Relevance ranks only the newest `rankWindow` matches (as Slack and Mattermost effectively
 * do): ranking every match of a frequent word meant reading a heap page per match all over
 * the table, while the newest matches sit together at its end and are found by walking the
 * primary key backwards (ids are time-ordered; PostgreSQL walks when the word is frequent
 * and stops after rankWindow matches, and takes the GIN bitmap when it is rare). Matches
 * older than the window follow the ranked ones, newest first, so paging still reaches every
 * match exactly once. A word frequent in old history but absent lately is the bad case: the
 * walk goes far back before it has its window.
 */
export async function searchMessages(db: Db, s: SearchSpec, filesTable: boolean): Promise<SearchRow[]> {
  const tsq = sql`websearch_to_tsquery(${TS_CONFIG}::regconfig, ${s.text})`;
  const byRank = s.sort === 'relevance' && s.text !== '';
  const rank: RawBuilder<number> = s.text ? sql<number>`ts_rank(m.search_vector, ${tsq})` : sql<number>`0::real`;
  const timeKey = sql<string>`to_char(m.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
  // The readable channels as a constant array: PostgreSQL hashes it and tests each row against
  // it while scanning, where a subquery here made it join (or loop over) the channel list.
  const readable = await readableChannelIds(db, s.userId, s.includePublic);
  if (readable.length === 0) return [];

  const matches = () => {
    let q = db.selectFrom('messages as m')
      .where('m.deleted_at', 'is', null)
      .where(sql<boolean>`m.channel_id = ANY(${sql.val(readable)}::uuid[])`);
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
    return q;
  };
  const rows = (q: ReturnType<typeof matches>) => q.selectAll('m').select(rank.as('rank')).select(timeKey.as('time_key'));

  // Headlines only for the page: ts_headline re-parses each text, so it runs after LIMIT.
  const headline: RawBuilder<string | null> = s.text
    ? sql<string>`ts_headline(${TS_CONFIG}::regconfig, translate(p.text, ${'<' + LT_STANDIN + MARK_START + MARK_STOP}, ${LT_STANDIN}), ${tsq},
        ${`StartSel=${MARK_START}, StopSel=${MARK_STOP}, MaxWords=35, MinWords=15`})`
    : sql<null>`NULL::text`;
  type Page = ReturnType<typeof rows>;
  const withHeadlines = async (page: Page, order: 'rank' | 'created_at' | 'id', floor: string | null, older: boolean) => {
    let q = db.selectFrom(page.as('p')).selectAll('p').select(headline.as('headline'));
    if (order !== 'id') q = q.orderBy(sql`p.${sql.raw(order)}`, 'desc');
    const out = await q.orderBy(sql`p.id`, 'desc').execute();
    return out.map((r) => ({ floor, older, ...r })) as unknown as SearchRow[];
  };
  /** Matches older than the ranked window, newest first. */
  const older = (below: string, n: number, floor: string) =>
    withHeadlines(rows(matches()).where('m.id', '<', below).orderBy('m.id', 'desc').limit(n), 'id', floor, true);

  const c = s.cursor;
  if (!byRank) {
    let q = rows(matches());
    if (c) q = q.where(sql<boolean>`(m.created_at, m.id) < (${c.time}::timestamptz, ${c.id}::uuid)`);
    return withHeadlines(q.orderBy('m.created_at', 'desc').orderBy('m.id', 'desc').limit(s.limit + 1), 'created_at', null, false);
  }
  if (!c) {
    // First page: the window is the newest rankWindow matches. When it is full, its oldest id
    // (the rankWindow-th newest) is the floor: later pages of this search rank only at or above
    // it, so messages posted meanwhile do not push matches across the boundary between pages.
    const page = db.with((w) => w('cand').materialized(), () => matches().select('m.id').select(rank.as('rank'))
      .orderBy('m.id', 'desc').limit(s.rankWindow))
      .selectFrom('cand').innerJoin('messages as m', 'm.id', 'cand.id')
      .selectAll('m').select(sql<number>`cand.rank`.as('rank')).select(timeKey.as('time_key'))
      .select(sql<string | null>`(SELECT id FROM cand ORDER BY id DESC OFFSET ${s.rankWindow - 1} LIMIT 1)`.as('window_floor'))
      .orderBy(sql`cand.rank`, 'desc').orderBy('m.id', 'desc').limit(s.limit + 1);
    const ranked = (await withHeadlines(page as unknown as Page, 'rank', null, false))
      .map(({ window_floor: floor, ...r }: SearchRow & { window_floor?: string | null }) => ({ ...r, floor: floor ?? null }));
    const floor = ranked[0]?.floor ?? null;
    if (ranked.length > s.limit || !floor) return ranked;
    return [...ranked, ...await older(floor, s.limit + 1 - ranked.length, floor)];
  }
  if (c.older) return c.floor ? older(c.id, s.limit + 1, c.floor) : [];
  let q = rows(matches()).where(sql<boolean>`(${rank} < ${c.rank}::real OR (${rank} = ${c.rank}::real AND m.id < ${c.id}))`);
  if (c.floor) q = q.where('m.id', '>=', c.floor);
  const ranked = await withHeadlines(q.orderBy(sql`rank`, 'desc').orderBy('m.id', 'desc').limit(s.limit + 1), 'rank', c.floor ?? null, false);
  if (ranked.length > s.limit || !c.floor) return ranked;
  return [...ranked, ...await older(c.floor, s.limit + 1 - ranked.length, c.floor)];
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

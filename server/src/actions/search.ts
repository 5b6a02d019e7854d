// Message search: parse the query, resolve its filters to ids the searcher may use, run one
// indexed query over the channels they can read, and page with an opaque cursor.
import { createHash } from 'node:crypto';
import type { SearchPage, SearchSort } from '@parley/protocol';
import { AppError } from '../errors.js';
import { isUuid } from '../ids.js';
import { canSee, type Actor } from '../policies/channels.js';
import { searchesPublicChannels } from '../policies/search.js';
import { presentChannel } from '../presenters/channel.js';
import { presentMessages } from '../presenters/message.js';
import { presentResult } from '../presenters/search.js';
import * as channels from '../store/channels.js';
import * as search from '../store/search.js';
import type { Db } from '../store/db.js';
import type { Deps } from './context.js';
import { hasFilters, invalid, parseSearch, type ParsedSearch } from './search-query.js';

export interface SearchInput {
  q: string;
  cursor?: string;
  limit: number;
  sort?: SearchSort;
}

const empty = (message: string) => new AppError(400, 'search_query_empty', message);
const badCursor = () => new AppError(400, 'invalid_cursor', 'The cursor is not one this search handed out; start again without it.');

// ---- cursors: opaque to clients, bound to the query they came from

/** Ties the cursor to its query and sort, so a cursor reused with another query is refused. */
const queryKey = (q: string, sort: SearchSort) => createHash('sha256').update(`${sort}\n${q}`).digest('base64url').slice(0, 16);

function encodeCursor(key: string, after: search.SearchAfter): string {
  return Buffer.from(JSON.stringify({ k: key, ...after })).toString('base64url');
}

function decodeCursor(raw: string, key: string, sort: SearchSort): search.SearchAfter {
  let c: unknown;
  try {
    c = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw badCursor();
  }
  const o = c as Record<string, unknown>;
  if (typeof o !== 'object' || o === null || o.k !== key || typeof o.id !== 'string' || !isUuid(o.id)) throw badCursor();
  if (sort === 'relevance') {
    const floor = o.floor ?? null;
    if (floor !== null && (typeof floor !== 'string' || !isUuid(floor))) throw badCursor();
    // Past the ranked window (store/search.ts): newest first below the floor, which it needs.
    if (o.older === true) {
      if (floor === null) throw badCursor();
      return { id: o.id, floor, older: true };
    }
    if (typeof o.rank !== 'number' || !Number.isFinite(o.rank)) throw badCursor();
    return { rank: o.rank, id: o.id, floor };
  }
  if (typeof o.time !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/.test(o.time)) throw badCursor();
  return { time: o.time, id: o.id };
}

function relevanceAfter(last: search.SearchRow): search.SearchAfter {
  return last.older ? { id: last.id, floor: last.floor, older: true } : { rank: Number(last.rank), id: last.id, floor: last.floor };
}

// ---- filters to ids

async function resolveFrom(db: Db, actor: Actor, p: ParsedSearch): Promise<string[] | null> {
  if (p.from.length === 0) return null;
  const names = p.from.filter((n) => n !== 'me');
  const found = await search.usersByUsername(db, names);
  for (const n of names) {
    if (!found.some((u) => u.username.toLowerCase() === n)) throw invalid(`from:@${n}: there is no user @${n}.`);
  }
  return [...new Set([...found.map((u) => u.id), ...(p.from.includes('me') ? [actor.id] : [])])];
}

/** in:#name and in:@user as channel ids; a channel the searcher cannot read is "not found", like a missing one. */
async function resolveIn(db: Db, actor: Actor, p: ParsedSearch): Promise<string[] | null> {
  if (p.in.length === 0) return null;
  const ids = new Set<string>();
  const names = p.in.flatMap((f) => ('channel' in f ? [f.channel] : []));
  const found = await search.channelIdsByName(db, names);
  for (const name of names) {
    const row = found.find((c) => c.name === name);
    const c = row && (await channels.findChannelFor(db, row.id, actor.id));
    if (!c || !canSee(actor, c)) throw invalid(`in:#${name}: there is no channel #${name} that you can read.`);
    ids.add(c.id);
  }
  const dmNames = p.in.flatMap((f) => ('dm' in f ? [f.dm] : []));
  if (dmNames.length > 0) {
    const people = await search.usersByUsername(db, dmNames);
    const keyOf = (userId: string) => [...new Set([actor.id, userId])].sort().join(',');
    const dms = await search.channelsByDmKey(db, people.map((u) => keyOf(u.id)));
    for (const n of dmNames) {
      const u = people.find((x) => x.username.toLowerCase() === n);
      const dm = u && dms.find((c) => c.dm_key === keyOf(u.id));
      if (!dm) throw invalid(`in:@${n}: you have no direct messages with @${n}.`);
      ids.add(dm.id);
    }
  }
  return [...ids];
}

/**
 * One page of messages matching `q` in the channels the actor can read, best match first
 * (or newest first with sort=recent, and always for a search by filters alone).
 */
export async function searchMessages(deps: Deps, actor: Actor, input: SearchInput): Promise<SearchPage> {
  const db = deps.db;
  const parsed = parseSearch(input.q);
  const filtered = hasFilters(parsed);
  let text = parsed.text.trim();
  if (text) {
    const a = await search.analyzeText(db, text);
    // Only stop words ("the", "and") or punctuation: no word is left to look for.
    if (a.lexemes === 0) text = '';
    // Only exclusions (-word) would read every message; they need a word or a filter beside them.
    else if (!a.indexable && !filtered) throw empty('Add a word to look for: a search cannot be made of exclusions alone.');
  }
  if (!text && !filtered) {
    throw empty(parsed.text.trim()
      ? 'Those words are too common to search for; add a more specific word or a filter.'
      : 'Type a word to search for, or a filter such as from:@ana or in:#general.');
  }
  const sort: SearchSort = text ? (input.sort ?? 'relevance') : 'recent';
  const key = queryKey(input.q, sort);
  const cursor = input.cursor ? decodeCursor(input.cursor, key, sort) : null;

  const spec: search.SearchSpec = {
    userId: actor.id,
    includePublic: searchesPublicChannels(actor),
    text,
    fromUserIds: await resolveFrom(db, actor, parsed),
    channelIds: await resolveIn(db, actor, parsed),
    after: parsed.after,
    before: parsed.before,
    hasLink: parsed.hasLink,
    hasFile: parsed.hasFile,
    isThread: parsed.isThread,
    sort,
    cursor,
    limit: input.limit,
    rankWindow: deps.config.searchRankWindow,
  };
  const filesTable = parsed.hasFile ? await search.hasFilesTable(db) : false;
  const rows = await search.searchMessages(db, spec, filesTable);
  const more = rows.length > input.limit;
  if (more) rows.pop();

  const messages = await presentMessages(db, rows);
  const channelRows = await search.channelsByIds(db, [...new Set(rows.map((r) => r.channel_id))]);
  const byId = new Map(channelRows.map((c) => [c.id, presentChannel(c)]));
  const last = rows.at(-1);
  return {
    results: rows.map((r, i) => presentResult(messages[i]!, byId.get(r.channel_id)!, r.headline)),
    nextCursor: more && last
      ? encodeCursor(key, sort === 'relevance' ? relevanceAfter(last) : { time: last.time_key, id: last.id })
      : null,
  };
}

// Thread following and per-user thread read state.
import { sql } from 'kysely';
import type { Db } from './db.js';
import type { MessageRow } from './schema.js';

export interface FollowRow {
  root_id: string;
  user_id: string;
  following: boolean;
  last_read_seq: number;
}

export function findFollow(db: Db, rootId: string, userId: string): Promise<FollowRow | undefined> {
  return db.selectFrom('thread_followers').selectAll().where('root_id', '=', rootId).where('user_id', '=', userId).executeTakeFirst();
}

/**
 * Makes these users follow the thread unless they chose to unfollow it before (an explicit
 * unfollow sticks until they follow again). Returns the users who were not following.
 */
export async function autoFollow(db: Db, rootId: string, userIds: readonly string[], readSeq: number | null): Promise<string[]> {
  if (userIds.length === 0) return [];
  const rows = await db.insertInto('thread_followers')
    .values(userIds.map((user_id) => ({ root_id: rootId, user_id, following: true, last_read_seq: readSeq ?? 0 })))
    .onConflict((oc) => oc.columns(['root_id', 'user_id']).doNothing())
    .returning('user_id').execute();
  return rows.map((r) => r.user_id);
}

export async function setFollowing(db: Db, rootId: string, userId: string, following: boolean, readSeq: number): Promise<void> {
  await db.insertInto('thread_followers').values({ root_id: rootId, user_id: userId, following, last_read_seq: readSeq })
    .onConflict((oc) => oc.columns(['root_id', 'user_id']).doUpdateSet({
      following,
      // Starting to follow again begins from readSeq; following what one already follows keeps what is unread.
      last_read_seq: sql<number>`CASE WHEN thread_followers.following THEN thread_followers.last_read_seq
        ELSE greatest(thread_followers.last_read_seq, excluded.last_read_seq) END`,
    })).execute();
}

export async function setThreadRead(db: Db, rootId: string, userId: string, seq: number): Promise<void> {
  await db.updateTable('thread_followers').set({ last_read_seq: seq }).where('root_id', '=', rootId).where('user_id', '=', userId).execute();
}

export async function followerIds(db: Db, rootId: string): Promise<string[]> {
  const rows = await db.selectFrom('thread_followers').select('user_id').where('root_id', '=', rootId).where('following', '=', true).execute();
  return rows.map((r) => r.user_id);
}

export type ThreadRow = MessageRow & { following: boolean; last_read_seq_f: number; unread_replies: number; mention_count_f: number };

const threadCounts = sql`
  (SELECT count(*)::int FROM messages r WHERE r.thread_root_id = t.root_id AND r.seq > t.last_read_seq
     AND r.deleted_at IS NULL AND r.user_id <> t.user_id)`;
const threadMentions = sql`
  (SELECT count(*)::int FROM messages r WHERE r.thread_root_id = t.root_id AND r.seq > t.last_read_seq
     AND r.deleted_at IS NULL AND r.user_id <> t.user_id
     AND (r.broadcast_mention IS NOT NULL OR t.user_id = ANY (r.mentions)))`;

/**
 * The user's followed threads (or the given ones), newest activity first, with unread counts: one query.
 * Only threads in channels the user can still see: public ones, or those they are a member of.
 */
export function listThreads(db: Db, userId: string, opts: { rootIds?: readonly string[]; limit: number; includeUnfollowed?: boolean }): Promise<ThreadRow[]> {
  let q = db.selectFrom('thread_followers as t')
    .innerJoin('messages as m', 'm.id', 't.root_id')
    .innerJoin('channels as c', 'c.id', 'm.channel_id')
    .where((eb) => eb.or([
      eb('c.kind', '=', 'public'),
      eb.exists(eb.selectFrom('channel_members as cm').select('cm.user_id')
        .whereRef('cm.channel_id', '=', 'm.channel_id').where('cm.user_id', '=', userId)),
    ]))
    .selectAll('m')
    .select(['t.following', 't.last_read_seq as last_read_seq_f'])
    .select(threadCounts.as('unread_replies'))
    .select(threadMentions.as('mention_count_f'))
    .where('t.user_id', '=', userId)
    .orderBy(sql`coalesce(m.last_reply_at, m.created_at)`, 'desc')
    .limit(opts.limit);
  if (!opts.includeUnfollowed) q = q.where('t.following', '=', true);
  if (opts.rootIds) q = q.where('t.root_id', 'in', opts.rootIds.length ? opts.rootIds : ['00000000-0000-0000-0000-000000000000']);
  return q.execute() as Promise<ThreadRow[]>;
}

/** Thread read state for several users of one thread (after a reply was deleted). */
export function threadStateFor(db: Db, rootId: string, userIds: readonly string[]): Promise<ThreadRow[]> {
  if (userIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('thread_followers as t')
    .innerJoin('messages as m', 'm.id', 't.root_id')
    .selectAll('m')
    .select(['t.user_id as follower_id', 't.following', 't.last_read_seq as last_read_seq_f'])
    .select(threadCounts.as('unread_replies'))
    .select(threadMentions.as('mention_count_f'))
    .where('t.root_id', '=', rootId)
    .where('t.user_id', 'in', userIds)
    .execute() as unknown as Promise<ThreadRow[]>;
}

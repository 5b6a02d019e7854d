// Messages, their edit history, reactions and pins.
import { sql } from 'kysely';
import type { Reaction } from '@parley/protocol';
import type { Db } from './db.js';
import type { MessageRow, MessagesTable, NewMessage } from './schema.js';
import type { Updateable } from 'kysely';

/** Inserts unless this author already used the clientId; undefined means "already there". */
export function insertMessage(db: Db, row: NewMessage): Promise<MessageRow | undefined> {
  return db
    .insertInto('messages')
    .values(row)
    .onConflict((oc) => oc.columns(['user_id', 'client_id']).where('client_id', 'is not', null).doNothing())
    .returningAll()
    .executeTakeFirst();
}

/**
 * Claims the channel's next seq, inserts a top-level message and moves its author's read
 * pointer to it, in ONE statement. The channel row lock that orders posts is then held for
 * this round trip and the COMMIT only, which is what bounds posts per second in a busy
 * channel. Undefined when the author already used this clientId.
 */
export async function insertTopLevel(db: Db, row: {
  id: string; channel_id: string; user_id: string; text: string; created_at: Date;
  mentions: string[]; broadcast_mention: MessageRow['broadcast_mention']; client_id: string | null;
}): Promise<MessageRow | undefined> {
  const r = await sql<MessageRow>`
    WITH s AS (UPDATE channels SET last_seq = last_seq + 1 WHERE id = ${row.channel_id}::uuid RETURNING last_seq),
    m AS (
      INSERT INTO messages (id, channel_id, user_id, text, thread_root_id, seq, created_at, mentions, broadcast_mention, client_id)
      SELECT ${row.id}::uuid, ${row.channel_id}::uuid, ${row.user_id}::uuid, ${row.text}::text, NULL, s.last_seq,
             ${row.created_at}::timestamptz, ${row.mentions}::uuid[], ${row.broadcast_mention}::text, ${row.client_id}::text
      FROM s
      ON CONFLICT (user_id, client_id) WHERE client_id IS NOT NULL DO NOTHING
      RETURNING *),
    r AS (
      UPDATE channel_members cm SET last_read_seq = m.seq, last_read_message_id = m.id
      FROM m WHERE cm.channel_id = m.channel_id AND cm.user_id = m.user_id)
    SELECT * FROM m`.execute(db);
  return r.rows[0];
}

export function findMessage(db: Db, id: string, opts: { forUpdate?: boolean } = {}): Promise<MessageRow | undefined> {
  let q = db.selectFrom('messages').selectAll().where('id', '=', id);
  if (opts.forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export function findByClientId(db: Db, userId: string, clientId: string): Promise<MessageRow | undefined> {
  return db.selectFrom('messages').selectAll().where('user_id', '=', userId).where('client_id', '=', clientId).executeTakeFirst();
}

/**
 * One page of top-level messages, oldest first. With `beforeSeq` (or neither bound) the
 * page is the newest `limit` messages below it; with `afterSeq` the oldest above it.
 * Fetches limit+1 rows to tell whether more exist in that direction.
 */
export async function listTopLevel(db: Db, channelId: string, page: { beforeSeq?: number; afterSeq?: number; limit: number }):
  Promise<{ rows: MessageRow[]; hasMore: boolean }> {
  let q = db.selectFrom('messages').selectAll().where('channel_id', '=', channelId).where('thread_root_id', 'is', null);
  const forward = page.afterSeq !== undefined;
  if (forward) q = q.where('seq', '>', page.afterSeq!).orderBy('seq', 'asc');
  else {
    if (page.beforeSeq !== undefined) q = q.where('seq', '<', page.beforeSeq);
    q = q.orderBy('seq', 'desc');
  }
  const rows = await q.limit(page.limit + 1).execute();
  const hasMore = rows.length > page.limit;
  if (hasMore) rows.pop();
  if (!forward) rows.reverse();
  return { rows, hasMore };
}

export function listReplies(db: Db, rootId: string, limit: number): Promise<MessageRow[]> {
  return db.selectFrom('messages').selectAll().where('thread_root_id', '=', rootId).orderBy('seq').limit(limit).execute();
}

export function updateMessage(db: Db, id: string, patch: Updateable<MessagesTable>): Promise<MessageRow> {
  return db.updateTable('messages').set(patch).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

/** Claims the next reply seq on a root and records the reply time. */
export async function bumpReply(db: Db, rootId: string, at: Date): Promise<number> {
  const r = await db.updateTable('messages')
    .set((eb) => ({ reply_seq: eb('reply_seq', '+', 1), reply_count: eb('reply_count', '+', 1), last_reply_at: at }))
    .where('id', '=', rootId).returning('reply_seq').executeTakeFirstOrThrow();
  return r.reply_seq;
}

export async function dropReplyCount(db: Db, rootId: string): Promise<void> {
  await db.updateTable('messages').set((eb) => ({ reply_count: sql`greatest(${eb.ref('reply_count')} - 1, 0)` }))
    .where('id', '=', rootId).execute();
}

export async function insertVersion(db: Db, row: { id: string; message_id: string; text: string; created_at: Date }): Promise<void> {
  await db.insertInto('message_versions').values(row).execute();
}

export function listVersions(db: Db, messageId: string) {
  return db.selectFrom('message_versions').select(['text', 'created_at']).where('message_id', '=', messageId).orderBy('created_at').execute();
}

export async function deleteVersions(db: Db, messageId: string): Promise<void> {
  await db.deleteFrom('message_versions').where('message_id', '=', messageId).execute();
}

// ---- reactions

/** Reactions for many messages in one query: emoji in order of first use, users in order of reacting. */
export async function loadReactions(db: Db, messageIds: readonly string[]): Promise<Map<string, Reaction[]>> {
  const out = new Map<string, Reaction[]>();
  if (messageIds.length === 0) return out;
  const rows = await db.selectFrom('reactions').select(['message_id', 'emoji', 'user_id', 'created_at'])
    .where('message_id', 'in', messageIds).orderBy('created_at').orderBy('user_id').execute();
  for (const r of rows) {
    let list = out.get(r.message_id);
    if (!list) out.set(r.message_id, (list = []));
    let reaction = list.find((x) => x.emoji === r.emoji);
    if (!reaction) list.push((reaction = { emoji: r.emoji, count: 0, userIds: [] }));
    reaction.userIds.push(r.user_id);
    reaction.count++;
  }
  return out;
}

export async function addReaction(db: Db, messageId: string, emoji: string, userId: string): Promise<boolean> {
  const r = await db.insertInto('reactions').values({ message_id: messageId, emoji, user_id: userId })
    .onConflict((oc) => oc.columns(['message_id', 'emoji', 'user_id']).doNothing()).executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function removeReaction(db: Db, messageId: string, emoji: string, userId: string): Promise<boolean> {
  const r = await db.deleteFrom('reactions').where('message_id', '=', messageId).where('emoji', '=', emoji)
    .where('user_id', '=', userId).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export async function deleteReactions(db: Db, messageId: string): Promise<void> {
  await db.deleteFrom('reactions').where('message_id', '=', messageId).execute();
}

export function listPinned(db: Db, channelId: string): Promise<MessageRow[]> {
  return db.selectFrom('messages').selectAll().where('channel_id', '=', channelId).where('pinned_at', 'is not', null)
    .orderBy('pinned_at', 'desc').execute();
}

// Channels and memberships. Per-member read state lives on channel_members; unread and
// mention counts are computed from the (channel_id, seq) index, never stored, so they
// cannot drift from the messages themselves.
import { sql } from 'kysely';
import type { Db } from './db.js';
import type { ChannelRow, ChannelUpdate, MemberRow } from './schema.js';

export type ChannelWithMembership = ChannelRow & { member: MemberRow | null };
export type MyChannelRow = ChannelRow & MemberRow & { unread_count: number; mention_count: number };

export function insertChannel(db: Db, row: {
  id: string; kind: ChannelRow['kind']; name: string | null; topic?: string; purpose?: string;
  created_by: string | null; dm_key?: string | null; is_general?: boolean; read_only?: boolean;
}): Promise<ChannelRow> {
  return db.insertInto('channels').values(row).returningAll().executeTakeFirstOrThrow();
}

export function findChannel(db: Db, id: string): Promise<ChannelRow | undefined> {
  return db.selectFrom('channels').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The channel and the user's membership row (or null) in one query. */
export async function findChannelFor(db: Db, id: string, userId: string, opts: { forUpdate?: boolean } = {}): Promise<ChannelWithMembership | undefined> {
  let q = db
    .selectFrom('channels as c')
    .leftJoin('channel_members as m', (j) => j.onRef('m.channel_id', '=', 'c.id').on('m.user_id', '=', userId))
    .selectAll('c')
    .select([
      'm.user_id as m_user_id', 'm.role as m_role', 'm.muted as m_muted', 'm.last_read_seq as m_last_read_seq',
      'm.last_read_message_id as m_last_read_message_id', 'm.joined_at as m_joined_at',
    ])
    .where('c.id', '=', id);
  if (opts.forUpdate) q = q.forUpdate('c');
  const row = await q.executeTakeFirst();
  if (!row) return undefined;
  const { m_user_id, m_role, m_muted, m_last_read_seq, m_last_read_message_id, m_joined_at, ...channel } = row;
  const member: MemberRow | null = m_user_id
    ? {
        channel_id: channel.id, user_id: m_user_id, role: m_role!, muted: m_muted!, last_read_seq: m_last_read_seq!,
        last_read_message_id: m_last_read_message_id ?? null, joined_at: m_joined_at!,
      }
    : null;
  return { ...channel, member };
}

export function findGeneral(db: Db): Promise<ChannelRow | undefined> {
  return db.selectFrom('channels').selectAll().where('is_general', '=', true).executeTakeFirst();
}

export function findByDmKey(db: Db, key: string): Promise<ChannelRow | undefined> {
  return db.selectFrom('channels').selectAll().where('dm_key', '=', key).executeTakeFirst();
}

export async function nameTaken(db: Db, name: string, exceptId?: string): Promise<boolean> {
  let q = db.selectFrom('channels').select('id').where('name', '=', name);
  if (exceptId) q = q.where('id', '<>', exceptId);
  return (await q.executeTakeFirst()) !== undefined;
}

export function updateChannel(db: Db, id: string, patch: ChannelUpdate): Promise<ChannelRow> {
  return db.updateTable('channels').set(patch).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

/** Claims the next top-level seq; the row lock it takes orders concurrent posts in one channel. */
export async function nextChannelSeq(db: Db, channelId: string): Promise<number> {
  const r = await db.updateTable('channels').set((eb) => ({ last_seq: eb('last_seq', '+', 1) }))
    .where('id', '=', channelId).returning('last_seq').executeTakeFirstOrThrow();
  return r.last_seq;
}

const unreadCount = (me: string) => sql<number>`(
  SELECT count(*)::int FROM messages x
  WHERE x.channel_id = c.id AND x.thread_root_id IS NULL AND x.seq > m.last_read_seq
    AND x.deleted_at IS NULL AND x.user_id <> ${me})`;

const mentionCount = (me: string) => sql<number>`(
  SELECT count(*)::int FROM messages x
  WHERE x.channel_id = c.id AND x.thread_root_id IS NULL AND x.seq > m.last_read_seq
    AND x.deleted_at IS NULL AND x.user_id <> ${me}
    AND (x.broadcast_mention IS NOT NULL OR ${me}::uuid = ANY (x.mentions)))`;

/** All channels the user is a member of, with read state and counts: one query. */
export function listMyChannels(db: Db, userId: string, channelId?: string): Promise<MyChannelRow[]> {
  let q = db
    .selectFrom('channel_members as m')
    .innerJoin('channels as c', 'c.id', 'm.channel_id')
    .selectAll('c')
    .select(['m.channel_id', 'm.user_id', 'm.role', 'm.muted', 'm.last_read_seq', 'm.last_read_message_id', 'm.joined_at'])
    .select(unreadCount(userId).as('unread_count'))
    .select(mentionCount(userId).as('mention_count'))
    .where('m.user_id', '=', userId)
    .orderBy('c.is_general', 'desc')
    .orderBy('c.name')
    .orderBy('c.created_at');
  if (channelId) q = q.where('c.id', '=', channelId);
  return q.execute() as Promise<MyChannelRow[]>;
}

/** Read state of every member for whom messages after `afterSeq` exist (after a delete or edit changed counts). */
export async function countsForMembers(db: Db, channelId: string, userIds: readonly string[]): Promise<MyChannelRow[]> {
  if (userIds.length === 0) return [];
  const rows = await db
    .selectFrom('channel_members as m')
    .innerJoin('channels as c', 'c.id', 'm.channel_id')
    .selectAll('c')
    .select(['m.channel_id', 'm.user_id', 'm.role', 'm.muted', 'm.last_read_seq', 'm.last_read_message_id', 'm.joined_at'])
    .select(sql<number>`(SELECT count(*)::int FROM messages x WHERE x.channel_id = c.id AND x.thread_root_id IS NULL
      AND x.seq > m.last_read_seq AND x.deleted_at IS NULL AND x.user_id <> m.user_id)`.as('unread_count'))
    .select(sql<number>`(SELECT count(*)::int FROM messages x WHERE x.channel_id = c.id AND x.thread_root_id IS NULL
      AND x.seq > m.last_read_seq AND x.deleted_at IS NULL AND x.user_id <> m.user_id
      AND (x.broadcast_mention IS NOT NULL OR m.user_id = ANY (x.mentions)))`.as('mention_count'))
    .where('m.channel_id', '=', channelId)
    .where('m.user_id', 'in', userIds)
    .execute();
  return rows as MyChannelRow[];
}

export function browsePublic(db: Db, userId: string, query: string, limit: number): Promise<ChannelRow[]> {
  let q = db
    .selectFrom('channels as c')
    .selectAll('c')
    .where('c.kind', '=', 'public')
    .where('c.archived', '=', false)
    .where((eb) => eb.not(eb.exists(
      eb.selectFrom('channel_members as m').select('m.user_id').whereRef('m.channel_id', '=', 'c.id').where('m.user_id', '=', userId),
    )))
    .orderBy('c.name')
    .limit(limit);
  if (query) {
    const like = `%${query.toLowerCase().replace(/[\\%_]/g, (ch) => '\\' + ch)}%`;
    q = q.where((eb) => eb.or([eb('c.name', 'like', like), eb(sql`lower(c.topic)`, 'like', like), eb(sql`lower(c.purpose)`, 'like', like)]));
  }
  return q.execute();
}

// ---- members

/** Adds members who are not in yet; returns the user ids actually added and bumps member_count. */
export async function addMembers(db: Db, channelId: string, userIds: readonly string[], role: MemberRow['role'],
  read: { seq: number; messageId: string | null }): Promise<string[]> {
  if (userIds.length === 0) return [];
  const rows = await db
    .insertInto('channel_members')
    .values(userIds.map((user_id) => ({
      channel_id: channelId, user_id, role, last_read_seq: read.seq, last_read_message_id: read.messageId,
    })))
    .onConflict((oc) => oc.columns(['channel_id', 'user_id']).doNothing())
    .returning('user_id')
    .execute();
  if (rows.length > 0) {
    await db.updateTable('channels').set((eb) => ({ member_count: eb('member_count', '+', rows.length) }))
      .where('id', '=', channelId).execute();
  }
  return rows.map((r) => r.user_id);
}

export async function removeMember(db: Db, channelId: string, userId: string): Promise<boolean> {
  const r = await db.deleteFrom('channel_members').where('channel_id', '=', channelId).where('user_id', '=', userId).executeTakeFirst();
  if (Number(r.numDeletedRows) === 0) return false;
  await db.updateTable('channels').set((eb) => ({ member_count: eb('member_count', '-', 1) })).where('id', '=', channelId).execute();
  return true;
}

export async function memberIds(db: Db, channelId: string): Promise<string[]> {
  const rows = await db.selectFrom('channel_members').select('user_id').where('channel_id', '=', channelId).execute();
  return rows.map((r) => r.user_id);
}

export function listMembers(db: Db, channelId: string, limit: number, after: string | null): Promise<MemberRow[]> {
  let q = db.selectFrom('channel_members').selectAll().where('channel_id', '=', channelId).orderBy('user_id').limit(limit);
  if (after) q = q.where('user_id', '>', after);
  return q.execute();
}

export async function setReadState(db: Db, channelId: string, userId: string, seq: number, messageId: string | null): Promise<void> {
  await db.updateTable('channel_members').set({ last_read_seq: seq, last_read_message_id: messageId })
    .where('channel_id', '=', channelId).where('user_id', '=', userId).execute();
}

export async function setMuted(db: Db, channelId: string, userId: string, muted: boolean): Promise<MemberRow | undefined> {
  return db.updateTable('channel_members').set({ muted }).where('channel_id', '=', channelId).where('user_id', '=', userId)
    .returningAll().executeTakeFirst();
}

/** The channel's newest top-level message, for placing a new member's read pointer at "now". */
export async function latestTopLevel(db: Db, channelId: string): Promise<{ id: string; seq: number } | undefined> {
  return db.selectFrom('messages').select(['id', 'seq']).where('channel_id', '=', channelId).where('thread_root_id', 'is', null)
    .orderBy('seq', 'desc').limit(1).executeTakeFirst();
}

// Uploaded files: inserted unattached, attached to one message in its posting transaction,
// marked deleted with it. Listing and search only ever see live, attached files (plus a
// user's own unattached uploads in search).
import { sql } from 'kysely';
import type { Db } from './db.js';
import type { FileRow, NewFile } from './schema.js';

export async function insertFiles(db: Db, rows: NewFile[]): Promise<FileRow[]> {
  if (rows.length === 0) return [];
  return db.insertInto('files').values(rows).returningAll().execute();
}

export function findFile(db: Db, id: string): Promise<FileRow | undefined> {
  return db.selectFrom('files').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
}

/**
 * Attaches the uploader's own unattached files to a message. Returns the rows it attached:
 * fewer than asked means some id was unknown, someone else's, already attached or deleted.
 * The row locks taken by UPDATE make a concurrent second attach of the same file find nothing.
 */
export function attachFiles(db: Db, ids: readonly string[], userId: string, messageId: string, channelId: string): Promise<FileRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.updateTable('files').set({ message_id: messageId, channel_id: channelId })
    .where('id', 'in', ids).where('user_id', '=', userId).where('message_id', 'is', null).where('deleted_at', 'is', null)
    .returningAll().execute();
}

/** Live files of many messages in one query, in upload order. */
export async function loadFiles(db: Db, messageIds: readonly string[]): Promise<Map<string, FileRow[]>> {
  const out = new Map<string, FileRow[]>();
  if (messageIds.length === 0) return out;
  const rows = await db.selectFrom('files').selectAll().where('message_id', 'in', messageIds).where('deleted_at', 'is', null)
    .orderBy('id').execute();
  for (const r of rows) {
    let list = out.get(r.message_id!);
    if (!list) out.set(r.message_id!, (list = []));
    list.push(r);
  }
  return out;
}

/** The message is deleted: its files go with it. Returns them so their bytes can be removed after commit. */
export function markDeletedWithMessage(db: Db, messageId: string): Promise<FileRow[]> {
  return db.updateTable('files').set({ deleted_at: new Date() }).where('message_id', '=', messageId).where('deleted_at', 'is', null)
    .returningAll().execute();
}

/** An unattached upload its owner no longer wants. */
export function markDeletedUnattached(db: Db, id: string, userId: string): Promise<FileRow | undefined> {
  return db.updateTable('files').set({ deleted_at: new Date() }).where('id', '=', id).where('user_id', '=', userId)
    .where('message_id', 'is', null).where('deleted_at', 'is', null).returningAll().executeTakeFirst();
}

/** Uploads never sent with a message, older than `before`: marked deleted, returned for purging. */
export function markAbandoned(db: Db, before: Date): Promise<FileRow[]> {
  return db.updateTable('files').set({ deleted_at: new Date() }).where('message_id', 'is', null).where('deleted_at', 'is', null)
    .where('created_at', '<', before).returningAll().execute();
}

/** A channel's files, newest first, below `beforeId` when paging. Fetches limit+1 to tell whether more exist. */
export async function listChannelFiles(db: Db, channelId: string, page: { beforeId?: string; limit: number }):
  Promise<{ rows: FileRow[]; hasMore: boolean }> {
  let q = db.selectFrom('files').selectAll().where('channel_id', '=', channelId).where('deleted_at', 'is', null);
  if (page.beforeId) q = q.where('id', '<', page.beforeId);
  const rows = await q.orderBy('id', 'desc').limit(page.limit + 1).execute();
  const hasMore = rows.length > page.limit;
  if (hasMore) rows.pop();
  return { rows, hasMore };
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Files whose name contains `query` (any case) that the user may read: shared in a channel
 * they are in or in a public channel (unless a guest), or their own unattached uploads. Newest first.
 */
export async function searchFiles(db: Db, userId: string, query: string,
  page: { beforeId?: string; limit: number; includePublic: boolean }): Promise<{ rows: FileRow[]; hasMore: boolean }> {
  let q = db.selectFrom('files as f').selectAll('f').where('f.deleted_at', 'is', null)
    .where((eb) => eb.or([
      eb.and([eb('f.message_id', 'is', null), eb('f.user_id', '=', userId)]),
      eb('f.channel_id', 'in', eb.selectFrom('channel_members').select('channel_id').where('user_id', '=', userId)),
      ...(page.includePublic ? [eb('f.channel_id', 'in', eb.selectFrom('channels').select('id').where('kind', '=', 'public'))] : []),
    ]));
  if (query) q = q.where(sql<string>`lower(f.name)`, 'like', `%${escapeLike(query.toLowerCase())}%`);
  if (page.beforeId) q = q.where('f.id', '<', page.beforeId);
  const rows = await q.orderBy('f.id', 'desc').limit(page.limit + 1).execute();
  const hasMore = rows.length > page.limit;
  if (hasMore) rows.pop();
  return { rows, hasMore };
}

/** Bytes and file counts per user (live files, attached or not), largest first. */
export function storageByUser(db: Db) {
  return db.selectFrom('files as f').innerJoin('users as u', 'u.id', 'f.user_id')
    .select(['u.id as user_id', 'u.username'])
    .select((eb) => [eb.fn.countAll<string>().as('files'), eb.fn.sum<string>('f.size').as('bytes')])
    .where('f.deleted_at', 'is', null)
    .groupBy(['u.id', 'u.username'])
    .orderBy('bytes', 'desc')
    .execute();
}

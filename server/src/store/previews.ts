// Link previews of messages (table link_previews, migration 003).
import type { LinkPreview } from '@parley/protocol';
import type { Db } from './db.js';

export interface NewPreview {
  url: string;
  position: number;
  title: string;
  description: string;
  image_url: string | null;
  site_name: string;
}

/** The shown (not dismissed) previews of many messages in one query, in link order. */
export async function loadPreviews(db: Db, messageIds: readonly string[]): Promise<Map<string, LinkPreview[]>> {
  const out = new Map<string, LinkPreview[]>();
  if (messageIds.length === 0) return out;
  const rows = await db.selectFrom('link_previews')
    .select(['message_id', 'url', 'title', 'description', 'image_url', 'site_name'])
    .where('message_id', 'in', messageIds).where('dismissed', '=', false)
    .orderBy('message_id').orderBy('position').execute();
  for (const r of rows) {
    let list = out.get(r.message_id);
    if (!list) out.set(r.message_id, (list = []));
    list.push({ url: r.url, title: r.title, description: r.description, imageUrl: r.image_url, siteName: r.site_name });
  }
  return out;
}

/** Adds fetched previews; a link already there (shown or dismissed) keeps its row. Returns how many were added. */
export async function insertPreviews(db: Db, messageId: string, previews: readonly NewPreview[]): Promise<number> {
  if (previews.length === 0) return 0;
  const rows = await db.insertInto('link_previews')
    .values(previews.map((p) => ({ message_id: messageId, ...p })))
    .onConflict((oc) => oc.columns(['message_id', 'url']).doNothing())
    .returning('url').execute();
  return rows.length;
}

/**
 * Hides the previews of these links (all of the message's links when `urls` holds them all),
 * including links whose fetch has not finished: their row is written dismissed first, so the
 * fetch's insert finds it and adds nothing. Returns whether a shown preview was hidden.
 */
export async function dismissPreviews(db: Db, messageId: string, urls: ReadonlyArray<{ url: string; position: number }>): Promise<boolean> {
  if (urls.length === 0) return false;
  const shown = await db.selectFrom('link_previews').select('url')
    .where('message_id', '=', messageId).where('dismissed', '=', false)
    .where('url', 'in', urls.map((u) => u.url)).execute();
  await db.insertInto('link_previews')
    .values(urls.map((u) => ({ message_id: messageId, url: u.url, position: u.position, dismissed: true })))
    .onConflict((oc) => oc.columns(['message_id', 'url']).doUpdateSet({ dismissed: true }))
    .execute();
  return shown.length > 0;
}

/** Removes the previews of links no longer in the message (after an edit); returns whether a shown one went. */
export async function deletePreviewsExcept(db: Db, messageId: string, keepUrls: readonly string[]): Promise<boolean> {
  let q = db.deleteFrom('link_previews').where('message_id', '=', messageId);
  if (keepUrls.length > 0) q = q.where('url', 'not in', keepUrls);
  const rows = await q.returning('dismissed').execute();
  return rows.some((r) => !r.dismissed);
}

/** Every preview row of a message's links, dismissed ones included (which links need no fetch). */
export async function knownPreviewUrls(db: Db, messageId: string): Promise<string[]> {
  const rows = await db.selectFrom('link_previews').select('url').where('message_id', '=', messageId).execute();
  return rows.map((r) => r.url);
}

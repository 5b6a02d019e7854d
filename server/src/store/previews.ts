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
  /** The stored copy of the image, when it could be fetched and re-encoded. */
  image_id?: string | null;
  image_width?: number | null;
  image_height?: number | null;
  image_encrypted?: boolean;
}

/** Where a preview's stored image is served: same origin, checked like the message. */
export const previewImagePath = (messageId: string, imageId: string) => `/api/v1/messages/${messageId}/previews/${imageId}/image`;

/** The shown (not dismissed) previews of many messages in one query, in link order. */
export async function loadPreviews(db: Db, messageIds: readonly string[]): Promise<Map<string, LinkPreview[]>> {
  const out = new Map<string, LinkPreview[]>();
  if (messageIds.length === 0) return out;
  const rows = await db.selectFrom('link_previews')
    .select(['message_id', 'url', 'title', 'description', 'image_id', 'image_width', 'image_height', 'site_name'])
    .where('message_id', 'in', messageIds).where('dismissed', '=', false)
    .orderBy('message_id').orderBy('position').execute();
  for (const r of rows) {
    let list = out.get(r.message_id);
    if (!list) out.set(r.message_id, (list = []));
    // The page's own image address stays on the server: clients load only Parley's copy.
    list.push({
      url: r.url, title: r.title, description: r.description, siteName: r.site_name,
      imageUrl: r.image_id ? previewImagePath(r.message_id, r.image_id) : null,
      imageWidth: r.image_id ? r.image_width : null,
      imageHeight: r.image_id ? r.image_height : null,
    });
  }
  return out;
}

/** Adds fetched previews; a link already there (shown or dismissed) keeps its row. Returns the links added. */
export async function insertPreviews(db: Db, messageId: string, previews: readonly NewPreview[]): Promise<string[]> {
  if (previews.length === 0) return [];
  const rows = await db.insertInto('link_previews')
    .values(previews.map((p) => ({ message_id: messageId, ...p })))
    .onConflict((oc) => oc.columns(['message_id', 'url']).doNothing())
    .returning('url').execute();
  return rows.map((r) => r.url);
}

/** A shown preview's stored image of this message. */
export async function findPreviewImage(db: Db, messageId: string, imageId: string) {
  return db.selectFrom('link_previews').select(['image_id', 'image_encrypted'])
    .where('message_id', '=', messageId).where('image_id', '=', imageId).where('dismissed', '=', false)
    .executeTakeFirst();
}

/**
 * Hides the previews of these links (all of the message's links when `urls` holds them all),
 * including links whose fetch has not finished: their row is written dismissed first, so the
 * fetch's insert finds it and adds nothing. Returns whether a shown preview was hidden.
 */
export async function dismissPreviews(db: Db, messageId: string, urls: ReadonlyArray<{ url: string; position: number }>):
  Promise<{ hidden: boolean; imageIds: string[] }> {
  if (urls.length === 0) return { hidden: false, imageIds: [] };
  const shown = await db.selectFrom('link_previews').select(['url', 'image_id'])
    .where('message_id', '=', messageId).where('dismissed', '=', false)
    .where('url', 'in', urls.map((u) => u.url)).execute();
  await db.insertInto('link_previews')
    .values(urls.map((u) => ({ message_id: messageId, url: u.url, position: u.position, dismissed: true })))
    .onConflict((oc) => oc.columns(['message_id', 'url']).doUpdateSet({ dismissed: true, image_id: null }))
    .execute();
  return { hidden: shown.length > 0, imageIds: shown.flatMap((r) => (r.image_id ? [r.image_id] : [])) };
}

/** Removes the previews of links no longer in the message (after an edit); returns the ids of their stored images. */
export async function deletePreviewsExcept(db: Db, messageId: string, keepUrls: readonly string[]): Promise<string[]> {
  let q = db.deleteFrom('link_previews').where('message_id', '=', messageId);
  if (keepUrls.length > 0) q = q.where('url', 'not in', keepUrls);
  const rows = await q.returning('image_id').execute();
  return rows.flatMap((r) => (r.image_id ? [r.image_id] : []));
}

/** Every preview row of a message's links, dismissed ones included (which links need no fetch). */
export async function knownPreviewUrls(db: Db, messageId: string): Promise<string[]> {
  const rows = await db.selectFrom('link_previews').select('url').where('message_id', '=', messageId).execute();
  return rows.map((r) => r.url);
}

// Link previews: fetched in the background after a message with links is committed (never
// inside the posting transaction), stored, and announced with message.updated. Authors (and
// admins) remove them; admins turn fetching off for the workspace. A page's image is fetched
// too, re-encoded and kept in the file storage, and served by Parley to those who can read
// the message, so viewers' browsers never contact the linked site.
import { Readable } from 'node:stream';
import type { Message } from '@parley/protocol';
import { AppError, notFound } from '../errors.js';
import { newId } from '../ids.js';
import type { Actor } from '../policies/channels.js';
import { presentOne } from '../presenters/message.js';
import { extractLinks } from '../previews/links.js';
import { fetchPreview, PreviewRefused } from '../previews/fetch.js';
import { previewImage } from '../previews/image.js';
import { EncryptionKeyMissing } from '../files/open.js';
import { StorageNotFound } from '../files/storage.js';
import * as channels from '../store/channels.js';
import * as messages from '../store/messages.js';
import * as previews from '../store/previews.js';
import { readSettings } from '../store/settings.js';
import { authorizeMessage } from '../policies/messages.js';
import { accessMessage } from './access.js';
import type { Db } from '../store/db.js';
import type { EventQueue } from '../events/queue.js';
import { transact, type Deps } from './context.js';

/** Queues a preview fetch for the message's links (call after its transaction committed). */
export function schedulePreviews(deps: Deps, message: Pick<Message, 'id' | 'text'>): void {
  if (!deps.previews || extractLinks(message.text, deps.config.linkPreviews.maxPerMessage).length === 0) return;
  deps.previews.run(message.id, () => refreshPreviews(deps, message.id));
}

/** Links of this text that stay previewed after an edit; the others' previews go in the same transaction. */
export function linksOf(deps: Deps, text: string): string[] {
  return extractLinks(text, deps.config.linkPreviews.maxPerMessage).map((l) => l.url);
}

/**
 * In the caller's transaction: removes the previews of links not in `keepUrls` (all of them
 * for a deleted message); their stored images are removed once the transaction commits.
 */
export async function dropPreviewsExcept(deps: Deps, tx: Db, events: EventQueue, messageId: string, keepUrls: readonly string[]): Promise<void> {
  const imageIds = await previews.deletePreviewsExcept(tx, messageId, keepUrls);
  if (imageIds.length > 0) events.afterCommit.push(() => void purgeImages(deps, imageIds));
}

/**
 * Fetches previews for the message's links that have none yet (shown or dismissed), then
 * stores those still in the text and tells the channel.
 */
export async function refreshPreviews(deps: Deps, messageId: string): Promise<void> {
  if (!(await readSettings(deps.db)).linkPreviews) return;
  const row = await messages.findMessage(deps.db, messageId);
  if (!row || row.deleted_at) return;
  const known = new Set(await previews.knownPreviewUrls(deps.db, messageId));
  const todo = extractLinks(row.text, deps.config.linkPreviews.maxPerMessage).filter((l) => !known.has(l.url));
  if (todo.length === 0) return;
  const fetched = await Promise.all(todo.map(async (link) => {
    try {
      const og = await fetchPreview(link.url, deps.config.linkPreviews);
      if (!og) return null;
      const image = og.imageUrl ? await storeImage(deps, og.imageUrl) : {};
      return { url: link.url, position: link.position, title: og.title, description: og.description, image_url: og.imageUrl, site_name: og.siteName, ...image };
    } catch (err) {
      if (!(err instanceof PreviewRefused)) throw err;
      deps.log.debug({ url: link.url, reason: err.reason }, 'no link preview');
      return null;
    }
  }));
  const found = fetched.filter((p): p is previews.NewPreview => p !== null);
  if (found.length === 0) return;
  let kept: string[] = [];
  try {
    await transact(deps, async (tx, events) => {
      // The message may have been edited or deleted while the pages were fetched.
      const m = await messages.findMessage(tx, messageId, { forUpdate: true });
      if (!m || m.deleted_at) return;
      const current = new Set(linksOf(deps, m.text));
      const added = await previews.insertPreviews(tx, m.id, found.filter((p) => current.has(p.url)));
      if (added.length === 0) return;
      kept = added;
      events.toUsers('message.updated', { message: await presentOne(tx, m) }, await channels.memberIds(tx, m.channel_id));
    });
  } finally {
    // Images of previews that were not added (link edited away, dismissed meanwhile) are dropped.
    await purgeImages(deps, found.filter((p) => !kept.includes(p.url)).flatMap((p) => (p.image_id ? [p.image_id] : [])));
  }
}

const imageKey = (imageId: string) => `previews/${imageId.slice(-2)}/${imageId}`;

/** Fetches, re-encodes and stores the page's image; no image (an empty object) when refused or unreadable. */
async function storeImage(deps: Deps, url: string): Promise<Partial<previews.NewPreview>> {
  try {
    const img = await previewImage(url, deps.config.linkPreviews);
    const id = newId();
    const writer = deps.files.writer;
    await writer.put(imageKey(id), Readable.from([img.data]));
    return { image_id: id, image_width: img.width, image_height: img.height, image_encrypted: writer.encrypted };
  } catch (err) {
    // A preview without its image is still a preview: nothing here may cost the page's title.
    if (err instanceof PreviewRefused) deps.log.debug({ url, reason: err.reason }, 'no link preview image');
    else deps.log.warn({ err, url }, 'link preview image could not be stored');
    return {};
  }
}

async function purgeImages(deps: Deps, imageIds: readonly string[]): Promise<void> {
  if (imageIds.length === 0) return;
  try {
    await deps.files.raw.delete(imageIds.map(imageKey));
  } catch (err) {
    deps.log.warn({ err, imageIds }, 'could not remove stored preview images');
  }
}

export interface PreviewImageContent {
  size: number;
  open(): Promise<Readable>;
}

/** A shown preview's stored image (webp), for whoever can read the message; 404 for anyone else. */
export async function accessPreviewImage(deps: Deps, actor: Actor, messageId: string, imageId: string): Promise<PreviewImageContent> {
  await accessMessage(deps.db, actor, messageId, 'view');
  const row = await previews.findPreviewImage(deps.db, messageId, imageId);
  if (!row?.image_id) throw notFound('Preview image');
  const key = imageKey(row.image_id);
  const stored = <T>(work: () => Promise<T>) => work().catch((err) => {
    if (err instanceof StorageNotFound) throw notFound('Preview image');
    deps.log.warn({ err, key }, 'preview image: storage failed');
    const why = err instanceof EncryptionKeyMissing ? err.message : 'File storage is not available right now; try again later.';
    throw new AppError(503, 'service_unavailable', why);
  });
  const reader = await stored(async () => deps.files.reader(row.image_encrypted));
  const size = await stored(() => reader.size(key));
  if (size === null) throw notFound('Preview image');
  return { size, open: () => stored(() => reader.get(key)) };
}

/** Removes one link's preview (`url`) or all of them from the author's message; they do not come back. */
export async function doRemovePreviews(deps: Deps, actor: Actor, messageId: string, url: string | undefined): Promise<Message> {
  const gone = await transact(deps, async (tx, events) => {
    const { message: m, channel: c } = await accessMessage(tx, actor, messageId, 'view', { forUpdate: true });
    authorizeMessage(actor, c, m, 'removePreviews');
    const links = extractLinks(m.text, deps.config.linkPreviews.maxPerMessage);
    const target = url === undefined ? links : links.filter((l) => l.url === url);
    if (url !== undefined && target.length === 0) throw new AppError(404, 'not_found', 'That link is not in the message.');
    const { hidden, imageIds } = await previews.dismissPreviews(tx, m.id, target);
    const message = await presentOne(tx, m);
    if (hidden) events.toUsers('message.updated', { message }, await channels.memberIds(tx, c.id));
    return { message, imageIds };
  });
  await purgeImages(deps, gone.imageIds);
  return gone.message;
}

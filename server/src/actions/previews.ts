// Link previews: fetched in the background after a message with links is committed (never
// inside the posting transaction), stored, and announced with message.updated. Authors (and
// admins) remove them; admins turn fetching off for the workspace.
import type { Message } from '@parley/protocol';
import { AppError } from '../errors.js';
import type { Actor } from '../policies/channels.js';
import { presentOne } from '../presenters/message.js';
import { extractLinks } from '../previews/links.js';
import { fetchPreview, PreviewRefused } from '../previews/fetch.js';
import * as channels from '../store/channels.js';
import * as messages from '../store/messages.js';
import * as previews from '../store/previews.js';
import { readSettings } from '../store/settings.js';
import { authorizeMessage } from '../policies/messages.js';
import { accessMessage } from './access.js';
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
      return og && { url: link.url, position: link.position, title: og.title, description: og.description, image_url: og.imageUrl, site_name: og.siteName };
    } catch (err) {
      if (!(err instanceof PreviewRefused)) throw err;
      deps.log.debug({ url: link.url, reason: err.reason }, 'no link preview');
      return null;
    }
  }));
  const found = fetched.filter((p): p is previews.NewPreview => p !== null);
  if (found.length === 0) return;
  await transact(deps, async (tx, events) => {
    // The message may have been edited or deleted while the pages were fetched.
    const m = await messages.findMessage(tx, messageId, { forUpdate: true });
    if (!m || m.deleted_at) return;
    const current = new Set(linksOf(deps, m.text));
    const added = await previews.insertPreviews(tx, m.id, found.filter((p) => current.has(p.url)));
    if (added === 0) return;
    events.toUsers('message.updated', { message: await presentOne(tx, m) }, await channels.memberIds(tx, m.channel_id));
  });
}

/** Removes one link's preview (`url`) or all of them from the author's message; they do not come back. */
export async function doRemovePreviews(deps: Deps, actor: Actor, messageId: string, url: string | undefined): Promise<Message> {
  return transact(deps, async (tx, events) => {
    const { message: m, channel: c } = await accessMessage(tx, actor, messageId, 'view', { forUpdate: true });
    authorizeMessage(actor, c, m, 'removePreviews');
    const links = extractLinks(m.text, deps.config.linkPreviews.maxPerMessage);
    const target = url === undefined ? links : links.filter((l) => l.url === url);
    if (url !== undefined && target.length === 0) throw new AppError(404, 'not_found', 'That link is not in the message.');
    const hidden = await previews.dismissPreviews(tx, m.id, target);
    const message = await presentOne(tx, m);
    if (hidden) events.toUsers('message.updated', { message }, await channels.memberIds(tx, c.id));
    return message;
  });
}

// Custom emoji: a name and a small image. Admins add them (members too when the workspace
// allows); everyone hears of changes at once through emoji.updated.
import { Readable } from 'node:stream';
import { fileTypeFromBuffer } from 'file-type';
import type { CustomEmoji } from '@parley/protocol';
import { AppError, notFound } from '../errors.js';
import { newId } from '../ids.js';
import { emojiImage, EMOJI_TYPES, InvalidImage } from '../files/images.js';
import { StorageNotFound } from '../files/storage.js';
import { authorizeAddEmoji, authorizeDeleteEmoji } from '../policies/files.js';
import type { Actor } from '../policies/channels.js';
import { presentEmoji } from '../presenters/file.js';
import * as emoji from '../store/emoji.js';
import { readSettings } from '../store/settings.js';
import { purgeStored } from './files.js';
import { isUniqueViolation, transact, type Deps } from './context.js';
import { audit, type AuditActor, type AuditClient } from './audit.js';

export const EMOJI_NAME_RE = /^[a-z0-9_+-]{1,64}$/;

/** `partyparrot` or `:partyparrot:`; names are shortcodes, so lowercase letters, digits, _ + -. */
export function checkEmojiName(raw: string): string {
  const name = raw.trim().replace(/^:(.*):$/, '$1');
  if (!EMOJI_NAME_RE.test(name)) {
    throw new AppError(400, 'invalid_request', 'Emoji names are 1–64 lowercase letters, digits, _, + or -, like "partyparrot".');
  }
  return name;
}

export async function listEmoji(deps: Deps): Promise<CustomEmoji[]> {
  return (await emoji.listEmoji(deps.db)).map(presentEmoji);
}

export async function doAddEmoji(deps: Deps, actor: Actor, rawName: string, image: Buffer): Promise<CustomEmoji> {
  const name = checkEmojiName(rawName);
  authorizeAddEmoji(actor, (await readSettings(deps.db)).membersCanAddEmoji);
  const max = deps.config.files.maxEmojiSize;
  if (image.length > max) throw new AppError(413, 'file_too_large', `Emoji images can be at most ${max} bytes.`);
  const type = await fileTypeFromBuffer(image);
  if (!type || !EMOJI_TYPES.has(type.mime)) {
    throw new AppError(415, 'unsupported_file_type', 'Emoji must be PNG, GIF, WebP or JPEG images.');
  }
  if (await emoji.findEmoji(deps.db, name)) throw taken(name);
  let processed: Awaited<ReturnType<typeof emojiImage>>;
  try {
    processed = await emojiImage(image, type.mime);
  } catch (err) {
    if (err instanceof InvalidImage) throw new AppError(400, 'invalid_image', 'This image could not be read; it may be damaged.');
    throw err;
  }
  const id = newId();
  const prefix = `emoji/${id}`;
  const writer = deps.files.writer;
  try {
    await writer.put(`${prefix}/original`, Readable.from([processed.data]));
  } catch (err) {
    deps.log.error({ err }, 'could not store an emoji');
    throw new AppError(503, 'service_unavailable', 'File storage is not available right now; try again later.');
  }
  try {
    return await transact(deps, async (tx, events) => {
      const row = await emoji.insertEmoji(tx, {
        name, id, user_id: actor.id, mime_type: processed.mimeType, size: processed.data.length,
        storage_key: prefix, encrypted: writer.encrypted,
      });
      const out = presentEmoji(row);
      events.emit('emoji.updated', { name, emoji: out }, { everyone: true });
      return out;
    });
  } catch (err) {
    await purgeStored(deps, [prefix]);
    if (isUniqueViolation(err)) throw taken(name);
    throw err;
  }
}

const taken = (name: string) => new AppError(409, 'emoji_name_taken', `There is already an emoji called :${name}:.`);

export async function doDeleteEmoji(deps: Deps, actor: Actor & AuditActor, rawName: string, client: AuditClient): Promise<void> {
  const name = checkEmojiName(rawName);
  const gone = await transact(deps, async (tx, events) => {
    const row = await emoji.findEmoji(tx, name);
    if (!row) throw notFound('Emoji');
    authorizeDeleteEmoji(actor, row.user_id);
    await emoji.deleteEmoji(tx, name);
    events.emit('emoji.updated', { name, emoji: null }, { everyone: true });
    await audit({ deps, tx, events, by: actor, client }, 'emoji.deleted', { type: 'emoji', id: name },
      { addedBy: row.user_id, byAdmin: row.user_id !== actor.id });
    return row;
  });
  await purgeStored(deps, [gone.storage_key]);
}

export async function openEmojiImage(deps: Deps, rawName: string): Promise<{ mimeType: string; size: number; stream: Readable }> {
  const row = await emoji.findEmoji(deps.db, checkEmojiName(rawName));
  if (!row) throw notFound('Emoji');
  try {
    const stream = await deps.files.reader(row.encrypted).get(`${row.storage_key}/original`);
    return { mimeType: row.mime_type, size: row.size, stream };
  } catch (err) {
    if (err instanceof StorageNotFound) throw notFound('Emoji');
    deps.log.error({ err }, 'could not read an emoji');
    throw new AppError(503, 'service_unavailable', 'File storage is not available right now; try again later.');
  }
}

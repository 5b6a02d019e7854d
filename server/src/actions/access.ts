// access*: fetch a thing and authorize the actor on it in one call (Zulip's access_* verbs).
import { AppError, notFound } from '../errors.js';
import { authorizeChannel, canSee, type Actor, type ChannelAction } from '../policies/channels.js';
import * as channels from '../store/channels.js';
import * as messages from '../store/messages.js';
import type { ChannelWithMembership } from '../store/channels.js';
import type { Db } from '../store/db.js';
import type { MessageRow } from '../store/schema.js';

export async function accessChannel(db: Db, actor: Actor, channelId: string, action: ChannelAction,
  opts: { forUpdate?: boolean } = {}): Promise<ChannelWithMembership> {
  return authorizeChannel(actor, await channels.findChannelFor(db, channelId, actor.id, opts), action);
}

/** The message and its channel, when the actor can see the channel; 404 otherwise. */
export async function accessMessage(db: Db, actor: Actor, messageId: string, action: ChannelAction,
  opts: { forUpdate?: boolean; allowDeleted?: boolean } = {}): Promise<{ message: MessageRow; channel: ChannelWithMembership }> {
  const message = await messages.findMessage(db, messageId, { forUpdate: opts.forUpdate });
  if (!message) throw notFound('Message');
  const channel = await channels.findChannelFor(db, message.channel_id, actor.id);
  if (!channel || !canSee(actor, channel)) throw notFound('Message');
  if (message.deleted_at && !opts.allowDeleted) throw new AppError(404, 'not_found', 'Message was deleted.');
  authorizeChannel(actor, channel, action);
  return { message, channel };
}

// Reactions: one per user per emoji, by shortcode. Adding twice or removing what is not
// there is not an error, and sends no event.
import type { Message } from '@parley/protocol';
import { AppError } from '../errors.js';
import { presentOne } from '../presenters/message.js';
import * as channels from '../store/channels.js';
import * as messages from '../store/messages.js';
import type { Actor } from '../policies/channels.js';
import { accessMessage } from './access.js';
import { checkEmoji } from './validate.js';
import { transact, type Deps } from './context.js';

export const MAX_DISTINCT_REACTIONS = 50;

export async function doReact(deps: Deps, actor: Actor, messageId: string, emoji: string, add: boolean): Promise<Message> {
  checkEmoji(emoji);
  return transact(deps, async (tx, events) => {
    const { message: m, channel: c } = await accessMessage(tx, actor, messageId, 'interact');
    if (c.archived) throw new AppError(403, 'channel_archived', 'This channel is archived.');
    if (add) {
      const existing = (await messages.loadReactions(tx, [m.id])).get(m.id) ?? [];
      if (existing.length >= MAX_DISTINCT_REACTIONS && !existing.some((r) => r.emoji === emoji)) {
        throw new AppError(400, 'invalid_request', `A message can carry at most ${MAX_DISTINCT_REACTIONS} different reactions.`);
      }
    }
    const changed = add
      ? await messages.addReaction(tx, m.id, emoji, actor.id)
      : await messages.removeReaction(tx, m.id, emoji, actor.id);
    if (changed) {
      events.toUsers(add ? 'reaction.added' : 'reaction.removed',
        { messageId: m.id, channelId: c.id, threadRootId: m.thread_root_id, emoji, userId: actor.id },
        await channels.memberIds(tx, c.id));
    }
    return presentOne(tx, m);
  });
}

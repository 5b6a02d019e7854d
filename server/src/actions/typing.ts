// Typing indicators: checked like a post (you must be able to post there), sent to the
// channel's other members, never stored.
import * as channels from '../store/channels.js';
import * as messages from '../store/messages.js';
import type { Actor } from '../policies/channels.js';
import { accessChannel } from './access.js';
import type { Deps } from './context.js';

export async function doTyping(deps: Deps, actor: Actor, channelId: string, threadRootId: string | null): Promise<void> {
  await accessChannel(deps.db, actor, channelId, 'post');
  if (threadRootId) {
    const root = await messages.findMessage(deps.db, threadRootId);
    if (!root || root.channel_id !== channelId) return;
  }
  const others = (await channels.memberIds(deps.db, channelId)).filter((u) => u !== actor.id);
  if (others.length === 0) return;
  deps.bus.publish([{ event: { type: 'typing', data: { channelId, threadRootId, userId: actor.id } }, to: { userIds: others } }]);
}

// Message-level rules on top of the channel's: only the author edits; the author, channel
// owners and admins delete.
import { AppError } from '../errors.js';
import type { ChannelWithMembership } from '../store/channels.js';
import type { MessageRow } from '../store/schema.js';
import type { Actor } from './channels.js';

export type MessageAction = 'edit' | 'delete';

export function checkMessage(actor: Actor, c: ChannelWithMembership, m: MessageRow, action: MessageAction): string | null {
  if (m.deleted_at) return 'This message was deleted.';
  if (action === 'edit') {
    if (m.user_id !== actor.id) return 'Only the author can edit a message.';
    if (c.archived) return 'This channel is archived.';
    return null;
  }
  if (m.user_id === actor.id || actor.role === 'admin' || c.member?.role === 'owner') return null;
  return 'Only the author, channel owners and admins can delete a message.';
}

export function authorizeMessage(actor: Actor, c: ChannelWithMembership, m: MessageRow, action: MessageAction): void {
  const reason = checkMessage(actor, c, m, action);
  if (reason) throw new AppError(403, c.archived && action === 'edit' ? 'channel_archived' : 'forbidden', reason);
}

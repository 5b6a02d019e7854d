// Message-level rules on top of the channel's: only the author edits; the author, channel
// owners and admins delete; the author and admins see earlier versions and remove link
// previews. The channel's own rules (may the actor see it at all?) are checked first.
import { AppError } from '../errors.js';
import type { ChannelWithMembership } from '../store/channels.js';
import type { MessageRow } from '../store/schema.js';
import type { Actor } from './channels.js';

export type MessageAction =
  | 'edit'
  | 'delete'
  | 'history' // earlier versions of an edited message
  | 'removePreviews'; // hide the link previews under the message

export function checkMessage(actor: Actor, c: ChannelWithMembership, m: Pick<MessageRow, 'user_id' | 'deleted_at'>,
  action: MessageAction): string | null {
  if (m.deleted_at) return 'This message was deleted.';
  const author = m.user_id === actor.id;
  const admin = actor.role === 'admin';
  switch (action) {
    case 'edit':
      if (!author) return 'Only the author can edit a message.';
      if (c.archived) return 'This channel is archived.';
      return null;
    case 'delete':
      return author || admin || c.member?.role === 'owner' ? null : 'Only the author, channel owners and admins can delete a message.';
    case 'history':
      return author || admin ? null : 'Only the author and admins can see earlier versions.';
    case 'removePreviews':
      return author || admin ? null : 'Only the author (or an admin) can remove previews from a message.';
  }
}

export function authorizeMessage(actor: Actor, c: ChannelWithMembership, m: Pick<MessageRow, 'user_id' | 'deleted_at'>,
  action: MessageAction): void {
  const reason = checkMessage(actor, c, m, action);
  if (reason) throw new AppError(403, c.archived && action === 'edit' && m.user_id === actor.id ? 'channel_archived' : 'forbidden', reason);
}

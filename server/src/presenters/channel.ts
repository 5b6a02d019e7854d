import type { Channel, MyChannel } from '@parley/protocol';
import type { ChannelRow } from '../store/schema.js';
import type { MyChannelRow } from '../store/channels.js';

export function presentChannel(row: ChannelRow): Channel {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    topic: row.topic,
    purpose: row.purpose,
    archived: row.archived,
    readOnly: row.read_only,
    isGeneral: row.is_general,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    memberCount: row.member_count,
    // DM membership never changes, so the key that finds the DM also names its people.
    dmUserIds: row.dm_key ? row.dm_key.split(',') : null,
  };
}

export function presentMyChannel(row: MyChannelRow): MyChannel {
  return {
    ...presentChannel(row),
    memberRole: row.role,
    muted: row.muted,
    unreadCount: row.unread_count,
    mentionCount: row.mention_count,
    lastReadMessageId: row.last_read_message_id,
    lastReadSeq: row.last_read_seq,
  };
}

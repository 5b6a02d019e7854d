// The realtime event union: every event the server can send, by name. The server builds
// events only through this type and the web client switches over it exhaustively.
import type { Channel, CustomEmoji, Message, PresenceStatus, ThreadSummary, User, MemberRole } from './schemas.js';
import type { Alert } from './audit.js';

export interface EventMap {
  'message.created': { message: Message };
  'message.updated': { message: Message };
  /** The message is now a tombstone (deleted: true, empty text); replies survive. */
  'message.deleted': { message: Message };
  'reaction.added': { messageId: string; channelId: string; threadRootId: string | null; emoji: string; userId: string };
  'reaction.removed': { messageId: string; channelId: string; threadRootId: string | null; emoji: string; userId: string };
  'channel.created': { channel: Channel };
  'channel.updated': { channel: Channel };
  /** Sent to the channel's members, the new one included (who adds the channel to their list). */
  'channel.member_added': {
    channel: Channel;
    userId: string;
    role: MemberRole;
    lastReadMessageId: string | null;
    lastReadSeq: number;
  };
  'channel.member_removed': { channelId: string; userId: string; memberCount: number };
  /** Personal: only to the member concerned (e.g. mute). */
  'membership.updated': { channelId: string; muted: boolean; role: MemberRole };
  /** Personal: the user's read state of a channel changed (on any of their devices). */
  'read.updated': {
    channelId: string;
    lastReadMessageId: string | null;
    lastReadSeq: number;
    unreadCount: number;
    mentionCount: number;
  };
  /** Personal: the user's view of one thread changed (followed, unfollowed, read). */
  'thread.updated': { thread: ThreadSummary };
  typing: { channelId: string; threadRootId: string | null; userId: string };
  'presence.changed': { userId: string; status: PresenceStatus };
  'user.updated': { user: User };
  /** To everyone: a custom emoji was added (emoji) or removed (emoji: null). */
  'emoji.updated': { name: string; emoji: CustomEmoji | null };
  /** To active admins' connections with admin rights only: a security anomaly was detected (server/src/security/anomalies.ts). */
  'alert.raised': { alert: Alert };
  /**
   * To the channel's members, after each committed batch of an import: the channel (new or
   * not) with everything imported counted as read. Imported messages are not sent one by one;
   * the loaded page of this channel and of these threads is stale, and the client refetches
   * them (and its followed threads) when it shows them.
   */
  'channel.imported': {
    channel: Channel;
    role: MemberRole;
    lastReadMessageId: string | null;
    lastReadSeq: number;
    threadRootIds: string[];
  };
}

export type EventName = keyof EventMap;
export type ParleyEvent = { [K in EventName]: { type: K; data: EventMap[K] } }[EventName];
export type EventFrame = { [K in EventName]: { type: K; seq: number; data: EventMap[K] } }[EventName];
export const EVENT_NAMES: readonly EventName[] = [
  'message.created', 'message.updated', 'message.deleted', 'reaction.added', 'reaction.removed',
  'channel.created', 'channel.updated', 'channel.member_added', 'channel.member_removed',
  'membership.updated', 'read.updated', 'thread.updated', 'typing', 'presence.changed', 'user.updated',
  'emoji.updated', 'alert.raised', 'channel.imported',
];

/** Frames a client sends on the WebSocket. */
export type ClientFrame =
  | { type: 'auth'; token?: string; resume?: { connectionId: string; lastSeq: number } }
  | { type: 'typing'; channelId: string; threadRootId?: string | null }
  | { type: 'activity' }
  /**
   * Presence is sent only for the people a client watches (those on its screen: DM
   * partners, a member list), as Slack's presence_sub does; this replaces the watched set.
   */
  | { type: 'presence.subscribe'; userIds: string[] }
  | { type: 'ping' };

/** Frames the server sends that are not events. */
export type ControlFrame =
  | { type: 'ready'; connectionId: string; userId: string; resumed: boolean; seq: number }
  | { type: 'resync' }
  | { type: 'pong' }
  /** Answer to presence.subscribe: the watched users' status now (not an event: no seq). */
  | { type: 'presence.snapshot'; presence: Record<string, PresenceStatus> }
  | { type: 'error'; error: { code: string; message: string } };

export type ServerFrame = EventFrame | ControlFrame;

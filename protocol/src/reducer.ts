// How a client keeps its state current: apply each event to the state it fetched.
// Shared by the web client and by the server's tests, which check (verify_action style)
// that applying an action's events to the old state equals a fresh fetch.
import type { EventMap, ParleyEvent } from './events.js';
import type { CustomEmoji, Message, MyChannel, PresenceStatus, ThreadSummary, User } from './schemas.js';

export interface ClientState {
  me: string;
  users: Record<string, User>;
  channels: Record<string, MyChannel>;
  /** Loaded top-level messages per channel, oldest first. */
  messages: Record<string, Message[]>;
  /** Followed threads, by root id. */
  threads: Record<string, ThreadSummary>;
  /** Loaded replies per thread root, oldest first. */
  replies: Record<string, Message[]>;
  presence: Record<string, PresenceStatus>;
  /** Custom emoji by name (optional so states built before custom emoji stay valid). */
  customEmoji?: Record<string, CustomEmoji>;
}

export function emptyState(me: string): ClientState {
  return { me, users: {}, channels: {}, messages: {}, threads: {}, replies: {}, presence: {}, customEmoji: {} };
}

function mentionsMe(m: Message, me: string): boolean {
  return m.broadcastMention !== null || m.mentions.includes(me);
}

function mapMessage(list: Message[] | undefined, id: string, f: (m: Message) => Message): Message[] | undefined {
  if (!list) return list;
  const i = list.findIndex((m) => m.id === id);
  if (i < 0) return list;
  const next = list.slice();
  next[i] = f(list[i]!);
  return next;
}

/** Applies f to every loaded copy of a message: channel list, thread replies, thread root. */
function updateMessage(s: ClientState, channelId: string, threadRootId: string | null, id: string,
  f: (m: Message) => Message): ClientState {
  const out = { ...s };
  const inChannel = mapMessage(s.messages[channelId], id, f);
  if (inChannel !== s.messages[channelId]) out.messages = { ...s.messages, [channelId]: inChannel! };
  if (threadRootId) {
    const inThread = mapMessage(s.replies[threadRootId], id, f);
    if (inThread !== s.replies[threadRootId]) out.replies = { ...s.replies, [threadRootId]: inThread! };
  }
  const thread = s.threads[id];
  if (thread) out.threads = { ...s.threads, [id]: { ...thread, root: f(thread.root) } };
  return out;
}

function appendUnique(list: Message[] | undefined, m: Message): Message[] | undefined {
  if (!list || list.some((x) => x.id === m.id)) return list;
  return [...list, m];
}

function withReaction(m: Message, emoji: string, userId: string, add: boolean): Message {
  const reactions = m.reactions.slice();
  const i = reactions.findIndex((r) => r.emoji === emoji);
  if (add) {
    if (i < 0) reactions.push({ emoji, count: 1, userIds: [userId] });
    else if (!reactions[i]!.userIds.includes(userId)) {
      const r = reactions[i]!;
      reactions[i] = { emoji, count: r.count + 1, userIds: [...r.userIds, userId] };
    }
  } else if (i >= 0) {
    const r = reactions[i]!;
    const userIds = r.userIds.filter((u) => u !== userId);
    if (userIds.length === 0) reactions.splice(i, 1);
    else reactions[i] = { emoji, count: userIds.length, userIds };
  }
  return { ...m, reactions };
}

function onMessageCreated(s: ClientState, m: Message): ClientState {
  let out: ClientState = s;
  const channel = s.channels[m.channelId];
  if (m.threadRootId === null) {
    const messages = appendUnique(s.messages[m.channelId], m);
    if (messages !== s.messages[m.channelId]) out = { ...out, messages: { ...out.messages, [m.channelId]: messages! } };
    if (channel) {
      let next: MyChannel;
      if (m.userId === s.me) {
        // Posting reads the channel: the server moves the author's read pointer too.
        next = { ...channel, lastReadMessageId: m.id, lastReadSeq: m.seq, unreadCount: 0, mentionCount: 0 };
      } else if (m.seq > channel.lastReadSeq) {
        next = {
          ...channel,
          unreadCount: channel.unreadCount + 1,
          mentionCount: channel.mentionCount + (mentionsMe(m, s.me) ? 1 : 0),
        };
      } else next = channel;
      out = { ...out, channels: { ...out.channels, [m.channelId]: next } };
    }
    return out;
  }
  const rootId = m.threadRootId;
  const bump = (root: Message): Message => ({ ...root, replyCount: root.replyCount + 1, lastReplyAt: m.createdAt });
  out = updateMessage(out, m.channelId, null, rootId, bump);
  const replies = appendUnique(out.replies[rootId], m);
  if (replies !== out.replies[rootId]) out = { ...out, replies: { ...out.replies, [rootId]: replies! } };
  const thread = out.threads[rootId];
  if (thread) {
    let next: ThreadSummary = thread;
    if (m.userId === s.me) next = { ...thread, lastReadSeq: m.seq, unreadReplies: 0, mentionCount: 0 };
    else if (m.seq > thread.lastReadSeq) {
      next = {
        ...thread,
        unreadReplies: thread.unreadReplies + 1,
        mentionCount: thread.mentionCount + (mentionsMe(m, s.me) ? 1 : 0),
      };
    }
    out = { ...out, threads: { ...out.threads, [rootId]: next } };
  }
  return out;
}

function onMessageDeleted(s: ClientState, m: Message): ClientState {
  let out = updateMessage(s, m.channelId, m.threadRootId, m.id, () => m);
  if (m.threadRootId) {
    const drop = (root: Message): Message => ({ ...root, replyCount: Math.max(0, root.replyCount - 1) });
    out = updateMessage(out, m.channelId, null, m.threadRootId, drop);
  }
  return out;
}

/** An import batch landed: the channel, all read; its loaded page and those threads are stale. */
function onChannelImported(s: ClientState, d: EventMap['channel.imported']): ClientState {
  const mine = s.channels[d.channel.id];
  const read = { lastReadMessageId: d.lastReadMessageId, lastReadSeq: d.lastReadSeq, unreadCount: 0, mentionCount: 0 };
  const channel: MyChannel = mine ? { ...mine, ...d.channel, ...read } : { ...d.channel, memberRole: d.role, muted: false, ...read };
  const messages = { ...s.messages };
  delete messages[d.channel.id];
  const replies = { ...s.replies };
  for (const id of d.threadRootIds) delete replies[id];
  return { ...s, channels: { ...s.channels, [channel.id]: channel }, messages, replies };
}

export function applyEvent(s: ClientState, e: ParleyEvent): ClientState {
  switch (e.type) {
    case 'message.created':
      return onMessageCreated(s, e.data.message);
    case 'message.updated': {
      const m = e.data.message;
      return updateMessage(s, m.channelId, m.threadRootId, m.id, () => m);
    }
    case 'message.deleted':
      return onMessageDeleted(s, e.data.message);
    case 'reaction.added':
    case 'reaction.removed': {
      const d = e.data;
      const add = e.type === 'reaction.added';
      return updateMessage(s, d.channelId, d.threadRootId, d.messageId, (m) => withReaction(m, d.emoji, d.userId, add));
    }
    case 'channel.created': {
      const c = e.data.channel;
      if (s.channels[c.id]) return s;
      const owner = c.createdBy === s.me && (c.kind === 'public' || c.kind === 'private');
      const mine: MyChannel = {
        ...c, memberRole: owner ? 'owner' : 'member', muted: false,
        unreadCount: 0, mentionCount: 0, lastReadMessageId: null, lastReadSeq: 0,
      };
      return { ...s, channels: { ...s.channels, [c.id]: mine } };
    }
    case 'channel.updated': {
      const c = e.data.channel;
      const mine = s.channels[c.id];
      if (!mine) return s;
      return { ...s, channels: { ...s.channels, [c.id]: { ...mine, ...c } } };
    }
    case 'channel.member_added': {
      const d = e.data;
      const mine = s.channels[d.channel.id];
      if (d.userId === s.me) {
        const joined: MyChannel = {
          ...d.channel, memberRole: d.role, muted: false, unreadCount: 0, mentionCount: 0,
          lastReadMessageId: d.lastReadMessageId, lastReadSeq: d.lastReadSeq,
        };
        return { ...s, channels: { ...s.channels, [d.channel.id]: mine ? { ...mine, ...d.channel } : joined } };
      }
      if (!mine) return s;
      return { ...s, channels: { ...s.channels, [d.channel.id]: { ...mine, ...d.channel } } };
    }
    case 'channel.member_removed': {
      const d = e.data;
      if (d.userId === s.me) {
        const channels = { ...s.channels };
        delete channels[d.channelId];
        const messages = { ...s.messages };
        delete messages[d.channelId];
        const threads = Object.fromEntries(Object.entries(s.threads).filter(([, t]) => t.root.channelId !== d.channelId));
        return { ...s, channels, messages, threads };
      }
      const mine = s.channels[d.channelId];
      if (!mine) return s;
      return { ...s, channels: { ...s.channels, [d.channelId]: { ...mine, memberCount: d.memberCount } } };
    }
    case 'membership.updated': {
      const mine = s.channels[e.data.channelId];
      if (!mine) return s;
      return { ...s, channels: { ...s.channels, [mine.id]: { ...mine, muted: e.data.muted, memberRole: e.data.role } } };
    }
    case 'read.updated': {
      const { channelId, ...read } = e.data;
      const mine = s.channels[channelId];
      if (!mine) return s;
      return { ...s, channels: { ...s.channels, [channelId]: { ...mine, ...read } } };
    }
    case 'thread.updated': {
      const t = e.data.thread;
      const threads = { ...s.threads };
      if (t.following) threads[t.root.id] = t;
      else delete threads[t.root.id];
      return { ...s, threads };
    }
    case 'typing':
      return s;
    case 'presence.changed':
      return { ...s, presence: { ...s.presence, [e.data.userId]: e.data.status } };
    case 'user.updated':
      return { ...s, users: { ...s.users, [e.data.user.id]: e.data.user } };
    case 'emoji.updated': {
      const customEmoji = { ...s.customEmoji };
      if (e.data.emoji) customEmoji[e.data.name] = e.data.emoji;
      else delete customEmoji[e.data.name];
      return { ...s, customEmoji };
    }
    case 'alert.raised':
      // Alerts are not chat state: the admin pages list them from /api/v1/admin/alerts.
      return s;
    case 'channel.imported':
      return onChannelImported(s, e.data);
  }
}

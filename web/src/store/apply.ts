// Applying realtime events. Everything goes through the protocol's reducer; around it:
// - a gate that holds events while a fetch is in flight and applies them after the fetch
//   lands (register first, then fetch, then apply: nothing is missed, nothing doubled);
// - a loaded window that stops short of the present does not get new messages appended;
// - open thread roots and typing indicators, which the reducer does not track.
import type { Message, ParleyEvent } from '@parley/protocol';
import { applyEvent, type ClientState } from '@parley/protocol/reducer';
import { getStore, setStore, typingKey, type AppStore, type Outgoing } from './store';

let holds = 0;
let buffer: ParleyEvent[] = [];
const afterApply = new Set<(events: ParleyEvent[]) => void>();
/** Count of events applied, so a fetch can tell whether anything arrived while it ran. */
export let appliedCount = 0;

export function onApplied(f: (events: ParleyEvent[]) => void): () => void {
  afterApply.add(f);
  return () => afterApply.delete(f);
}

/** Holds incoming events until the returned function is called (call it exactly once). */
export function hold(): () => void {
  holds++;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    holds--;
    if (holds === 0 && buffer.length > 0) {
      const events = buffer;
      buffer = [];
      applyNow(events);
    }
  };
}

export function receive(e: ParleyEvent): void {
  if (e.type === 'typing') return noteTyping(e.data.channelId, e.data.threadRootId, e.data.userId);
  if (holds > 0) buffer.push(e);
  else applyNow([e]);
}

/** Drops held events: the state they apply to is about to be replaced by a full fetch. */
export function discardHeld(): void {
  buffer = [];
}

function noteTyping(channelId: string, threadRootId: string | null, userId: string): void {
  const s = getStore();
  if (userId === s.data.me) return;
  const key = typingKey(channelId, threadRootId);
  setStore({ typing: { ...s.typing, [key]: { ...s.typing[key], [userId]: Date.now() + 6000 } } });
}

function withReaction(m: Message, emoji: string, userId: string, add: boolean): Message {
  const reactions = m.reactions.map((r) => ({ ...r, userIds: [...r.userIds] }));
  const r = reactions.find((x) => x.emoji === emoji);
  if (add) {
    if (!r) reactions.push({ emoji, count: 1, userIds: [userId] });
    else if (!r.userIds.includes(userId)) {
      r.userIds.push(userId);
      r.count = r.userIds.length;
    }
  } else if (r) {
    r.userIds = r.userIds.filter((u) => u !== userId);
    r.count = r.userIds.length;
    if (r.count === 0) reactions.splice(reactions.indexOf(r), 1);
  }
  return { ...m, reactions };
}

/** The reducer does not know thread roots opened outside the loaded channel window. */
function patchRoots(roots: Record<string, Message>, e: ParleyEvent): Record<string, Message> {
  switch (e.type) {
    case 'message.updated':
    case 'message.deleted': {
      const m = e.data.message;
      let out = roots;
      if (roots[m.id]) out = { ...out, [m.id]: m };
      if (e.type === 'message.deleted' && m.threadRootId && roots[m.threadRootId]) {
        const root = roots[m.threadRootId]!;
        out = { ...out, [root.id]: { ...root, replyCount: Math.max(0, root.replyCount - 1) } };
      }
      return out;
    }
    case 'message.created': {
      const m = e.data.message;
      const root = m.threadRootId ? roots[m.threadRootId] : undefined;
      if (!root) return roots;
      return { ...roots, [root.id]: { ...root, replyCount: root.replyCount + 1, lastReplyAt: m.createdAt } };
    }
    case 'reaction.added':
    case 'reaction.removed': {
      const m = roots[e.data.messageId];
      if (!m) return roots;
      return { ...roots, [m.id]: withReaction(m, e.data.emoji, e.data.userId, e.type === 'reaction.added') };
    }
    default:
      return roots;
  }
}

/** One event through the reducer, with the two client-side rules above. */
function applyOne(s: AppStore, data: ClientState, e: ParleyEvent): ClientState {
  if (e.type === 'message.created') {
    const m = e.data.message;
    if (m.threadRootId === null && s.pages[m.channelId]?.hasNewer) {
      // The loaded window is in the past: count the message, but do not append it after a gap.
      const list = data.messages[m.channelId];
      const { [m.channelId]: _omit, ...others } = data.messages;
      const next = applyEvent({ ...data, messages: others }, e);
      return list ? { ...next, messages: { ...next.messages, [m.channelId]: list } } : next;
    }
    if (m.threadRootId !== null) {
      // A fetch that already counted this reply must not count it twice.
      const replies = data.replies[m.threadRootId];
      if (replies?.some((r) => r.id === m.id)) return data;
    }
  }
  return applyEvent(data, e);
}

function applyNow(events: ParleyEvent[]): void {
  const s = getStore();
  let data = s.data;
  let roots = s.threadRoots;
  let typing = s.typing;
  const sent = new Set<string>();
  for (const e of events) {
    data = applyOne(s, data, e);
    roots = patchRoots(roots, e);
    if (e.type === 'message.created') {
      const m = e.data.message;
      const key = typingKey(m.channelId, m.threadRootId);
      if (typing[key]?.[m.userId]) {
        const { [m.userId]: _gone, ...rest } = typing[key]!;
        typing = { ...typing, [key]: rest };
      }
      if (m.userId === data.me && m.clientId) sent.add(m.clientId);
    }
  }
  appliedCount += events.length;
  const patch: Partial<AppStore> = { data, threadRoots: roots, typing };
  if (sent.size > 0) patch.outbox = s.outbox.filter((o: Outgoing) => !sent.has(o.clientId));
  setStore(patch);
  afterApply.forEach((f) => f(events));
}

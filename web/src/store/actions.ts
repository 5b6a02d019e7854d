// What a person does to messages and channels. Each call goes to the server; the change
// comes back as an event (on this tab and every other) and the reducer applies it. A few
// get an optimistic touch so the screen answers at once.
import type { Message, MyChannel } from '@parley/protocol';
import { api } from '../api/endpoints';
import { ApiError } from '../api/http';
import { rememberEmoji } from '../emoji/emoji';
import { channelPath, navigate } from '../lib/router';
import { getStore, setStore, toast } from './store';

/** Says what went wrong; the screen is unchanged, since changes only come back as events. */
function fail(err: unknown): void {
  toast(err instanceof ApiError ? err.message : 'Something went wrong.');
}

function putChannel(c: MyChannel): void {
  const s = getStore();
  setStore({ data: { ...s.data, channels: { ...s.data.channels, [c.id]: { ...s.data.channels[c.id], ...c } } } });
}

const inflightRead = new Set<string>();
export async function markChannelRead(channelId: string, messageId?: string): Promise<void> {
  const c = getStore().data.channels[channelId];
  if (!c || inflightRead.has(channelId)) return;
  inflightRead.add(channelId);
  // Optimistic: the badge goes at once; read.updated confirms it on every device. The answer
  // itself is not applied: events after it may already have counted a newer message.
  putChannel({ ...c, unreadCount: 0, mentionCount: 0 });
  try {
    await api.markRead(channelId, messageId);
  } catch {
    /* the next read.updated or refetch corrects the counts */
  } finally {
    inflightRead.delete(channelId);
  }
}

const inflightThreadRead = new Set<string>();
export async function markThreadRead(rootId: string): Promise<void> {
  if (inflightThreadRead.has(rootId)) return;
  inflightThreadRead.add(rootId);
  const s = getStore();
  const t = s.data.threads[rootId];
  if (t) setStore({ data: { ...s.data, threads: { ...s.data.threads, [rootId]: { ...t, unreadReplies: 0, mentionCount: 0 } } } });
  try {
    await api.markThreadRead(rootId); // thread.updated confirms it
  } catch {
    /* not followed or gone */
  } finally {
    inflightThreadRead.delete(rootId);
  }
}

export async function toggleReaction(m: Message, emoji: string): Promise<void> {
  const me = getStore().data.me;
  const mine = m.reactions.some((r) => r.emoji === emoji && r.userIds.includes(me));
  if (!mine) rememberEmoji(emoji);
  try {
    await api.react(m.id, emoji, !mine);
  } catch (err) {
    fail(err);
  }
}

export async function editMessage(id: string, text: string): Promise<void> {
  // Close the editor now (the edit comes back as message.updated); closing it when the answer
  // arrives could close an editor opened again meanwhile.
  if (getStore().editing === id) setStore({ editing: null });
  try {
    await api.edit(id, text);
  } catch (err) {
    if (getStore().editing === null) setStore({ editing: id });
    fail(err);
  }
}

export async function deleteMessage(id: string): Promise<void> {
  try {
    await api.remove(id);
  } catch (err) {
    fail(err);
  }
}

export async function setPinned(m: Message, pinned: boolean): Promise<void> {
  try {
    await api.pin(m.id, pinned);
    toast(pinned ? 'Pinned to the channel' : 'Unpinned');
  } catch (err) {
    fail(err);
  }
}

export async function setFollowing(rootId: string, following: boolean): Promise<void> {
  try {
    const t = await api.follow(rootId, following);
    const s = getStore();
    const threads = { ...s.data.threads };
    if (t.following) threads[rootId] = t;
    else delete threads[rootId];
    setStore({ data: { ...s.data, threads } });
  } catch (err) {
    fail(err);
  }
}

export async function createChannel(input: { name: string; kind: 'public' | 'private'; topic?: string }): Promise<void> {
  const c = await api.createChannel(input);
  putChannel(c);
  navigate(channelPath(c.id));
}

export async function joinChannel(id: string): Promise<void> {
  try {
    putChannel(await api.join(id));
    navigate(channelPath(id));
  } catch (err) {
    fail(err);
  }
}

export async function leaveChannel(id: string): Promise<void> {
  try {
    await api.leave(id);
    const s = getStore();
    const { [id]: _gone, ...channels } = s.data.channels;
    setStore({ data: { ...s.data, channels } });
    const general = Object.values(channels).find((c) => c.isGeneral);
    navigate(general ? channelPath(general.id) : '/', { replace: true });
  } catch (err) {
    fail(err);
  }
}

export async function setMuted(id: string, muted: boolean): Promise<void> {
  const c = getStore().data.channels[id];
  if (c) putChannel({ ...c, muted });
  try {
    await api.mute(id, muted); // membership.updated confirms it
  } catch (err) {
    if (c) putChannel({ ...c, muted: !muted });
    fail(err);
  }
}

export async function updateTopic(id: string, topic: string): Promise<void> {
  try {
    putChannel(await api.updateChannel(id, { topic }));
  } catch (err) {
    fail(err);
  }
}

export async function openDm(userIds: string[]): Promise<void> {
  const c = await api.openDm(userIds);
  putChannel(c);
  navigate(channelPath(c.id));
}

export async function copyLink(url: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(url);
    toast('Link copied');
  } catch {
    // Clipboard refused (insecure context): show the link so it can be copied by hand.
    window.prompt('Copy this link', url);
  }
}

// Fetching state: the full bootstrap after (re)connecting, pages of channel history and
// threads. Every fetch holds incoming events until it has landed (see apply.ts).
import type { Message, MyChannel, ThreadSummary } from '@parley/protocol';
import type { ClientState } from '@parley/protocol/reducer';
import { api, type Page, type PageQuery } from '../api/endpoints';
import { ApiError } from '../api/http';
import { getRoute } from '../lib/router';
import { appliedCount, discardHeld, hold } from './apply';
import { byName as customEmojiByName, fetchCustomEmoji } from './customEmoji';
import { FIRST_INDEX, getStore, setStore, type ChannelPage } from './store';

const byId = <T extends { id: string }>(list: T[]) => Object.fromEntries(list.map((x) => [x.id, x]));

function pageOf(p: Page, prev: ChannelPage | undefined): ChannelPage {
  return {
    hasOlder: p.hasOlder, hasNewer: p.hasNewer, loading: null, firstItemIndex: FIRST_INDEX,
    version: (prev?.version ?? 0) + 1, error: null,
  };
}

/**
 * Fetches everything the screen needs, replacing the state: after signing in, and after a
 * reconnect the server could not resume (so events may have been missed). The connection is
 * registered before this runs, so events from now on are held and applied on top.
 */
export async function bootstrap(): Promise<void> {
  const release = hold();
  discardHeld();
  const route = getRoute();
  const channelId = route.name === 'channel' ? route.channelId : null;
  const threadId = route.name === 'channel' || route.name === 'threads' ? route.threadId : null;
  try {
    const [me, channels, users, presence, threads, emoji] = await Promise.all([
      api.me(), api.channels(), api.users(), api.presence(), api.threads(),
      fetchCustomEmoji().catch(() => ({ emoji: [] })),
    ]);
    const isMember = channelId !== null && channels.channels.some((c) => c.id === channelId);
    const [page, thread] = await Promise.all([
      isMember ? api.messages(channelId, route.name === 'channel' && route.messageId && !route.threadId ? { around: route.messageId } : {}).catch(() => null) : null,
      threadId ? api.thread(threadId).catch(() => null) : null,
    ]);
    const data: ClientState = {
      me: me.id,
      users: { ...byId(users.users), [me.id]: me },
      channels: byId(channels.channels),
      messages: page && channelId ? { [channelId]: page.messages } : {},
      threads: Object.fromEntries(threads.threads.map((t) => [t.root.id, t])),
      replies: thread && threadId ? { [threadId]: thread.replies } : {},
      presence: presence.presence,
      customEmoji: customEmojiByName(emoji.emoji),
    };
    const prev = getStore().pages;
    setStore({
      data,
      synced: true,
      pages: page && channelId ? { [channelId]: pageOf(page, prev[channelId]) } : {},
      threadRoots: thread && threadId ? { [threadId]: thread.root } : {},
      threadLoading: {},
      // Sent messages are in what we just fetched; the rest is still waiting to be sent.
      outbox: getStore().outbox.filter((o) => o.state !== 'sent'),
    });
  } finally {
    release();
  }
  void reconcileCounts();
}

/**
 * Events held during the bootstrap may already be counted in what it fetched. Fetch the
 * counts once more, and take them if no event arrived meanwhile (try a few times).
 */
async function reconcileCounts(tries = 3): Promise<void> {
  for (let i = 0; i < tries; i++) {
    const before = appliedCount;
    let channels: MyChannel[];
    let threads: ThreadSummary[];
    try {
      [{ channels }, { threads }] = await Promise.all([api.channels(), api.threads()]);
    } catch {
      return;
    }
    if (appliedCount !== before) continue;
    const s = getStore();
    const next = { ...s.data.channels };
    for (const c of channels) {
      const mine = next[c.id];
      if (mine) next[c.id] = { ...mine, unreadCount: c.unreadCount, mentionCount: c.mentionCount, lastReadSeq: c.lastReadSeq, lastReadMessageId: c.lastReadMessageId };
    }
    const t = { ...s.data.threads };
    for (const x of threads) if (t[x.root.id]) t[x.root.id] = { ...t[x.root.id]!, unreadReplies: x.unreadReplies, mentionCount: x.mentionCount, lastReadSeq: x.lastReadSeq };
    setStore({ data: { ...s.data, channels: next, threads: t } });
    return;
  }
}

function setPage(channelId: string, patch: Partial<ChannelPage>): void {
  const s = getStore();
  const prev = s.pages[channelId] ?? { hasOlder: true, hasNewer: false, loading: null, firstItemIndex: FIRST_INDEX, version: 0, error: null };
  setStore({ pages: { ...s.pages, [channelId]: { ...prev, ...patch } } });
}

function errorText(err: unknown): string {
  return err instanceof ApiError ? err.message : 'Something went wrong.';
}

/** Replaces the loaded window with the newest page, or the page around a message. */
export async function loadWindow(channelId: string, around?: string): Promise<void> {
  const release = hold();
  setPage(channelId, { loading: 'initial', error: null });
  try {
    const q: PageQuery = around ? { around } : {};
    const p = await api.messages(channelId, q, around ? 60 : 50);
    const s = getStore();
    setStore({
      data: { ...s.data, messages: { ...s.data.messages, [channelId]: p.messages } },
      pages: { ...s.pages, [channelId]: pageOf(p, s.pages[channelId]) },
    });
  } catch (err) {
    setPage(channelId, { loading: null, error: errorText(err) });
  } finally {
    release();
  }
}

const mergeUnique = (a: Message[], b: Message[]) => {
  const seen = new Set(a.map((m) => m.id));
  return [...a, ...b.filter((m) => !seen.has(m.id))];
};

export async function loadOlder(channelId: string): Promise<void> {
  const s = getStore();
  const page = s.pages[channelId];
  const list = s.data.messages[channelId];
  if (!page || !list?.length || page.loading || !page.hasOlder) return;
  const release = hold();
  setPage(channelId, { loading: 'older' });
  try {
    const p = await api.messages(channelId, { before: list[0]!.id }, 100);
    const now = getStore();
    // A refetch replaced the window meanwhile: this page belongs to the old one.
    if (now.pages[channelId]?.version !== page.version) return;
    const current = now.data.messages[channelId] ?? [];
    const seen = new Set(current.map((m) => m.id));
    const older = p.messages.filter((m) => !seen.has(m.id));
    const pg = now.pages[channelId]!;
    setStore({
      data: { ...now.data, messages: { ...now.data.messages, [channelId]: [...older, ...current] } },
      pages: { ...now.pages, [channelId]: { ...pg, hasOlder: p.hasOlder, loading: null, firstItemIndex: pg.firstItemIndex - older.length } },
    });
  } catch (err) {
    setPage(channelId, { loading: null, error: errorText(err) });
  } finally {
    release();
  }
}

export async function loadNewer(channelId: string): Promise<void> {
  const s = getStore();
  const page = s.pages[channelId];
  const list = s.data.messages[channelId];
  if (!page || !list?.length || page.loading || !page.hasNewer) return;
  const release = hold();
  setPage(channelId, { loading: 'newer' });
  try {
    const p = await api.messages(channelId, { after: list[list.length - 1]!.id }, 100);
    const now = getStore();
    if (now.pages[channelId]?.version !== page.version) return;
    setStore({
      data: { ...now.data, messages: { ...now.data.messages, [channelId]: mergeUnique(now.data.messages[channelId] ?? [], p.messages) } },
      pages: { ...now.pages, [channelId]: { ...now.pages[channelId]!, hasNewer: p.hasNewer, loading: null } },
    });
  } catch (err) {
    setPage(channelId, { loading: null, error: errorText(err) });
  } finally {
    release();
  }
}

export async function loadThread(rootId: string): Promise<void> {
  if (getStore().threadLoading[rootId]) return;
  const release = hold();
  setStore({ threadLoading: { ...getStore().threadLoading, [rootId]: true } });
  try {
    const t = await api.thread(rootId);
    const s = getStore();
    setStore({
      data: { ...s.data, replies: { ...s.data.replies, [rootId]: t.replies } },
      threadRoots: { ...s.threadRoots, [rootId]: t.root },
    });
  } finally {
    setStore({ threadLoading: { ...getStore().threadLoading, [rootId]: false } });
    release();
  }
}

/** Users who appear in messages but not in the directory we fetched (new sign-ups); asked for once. */
const wanted = new Set<string>();
let userTimer: ReturnType<typeof setTimeout> | null = null;
export function ensureUser(id: string): void {
  if (getStore().data.users[id] || wanted.has(id)) return;
  wanted.add(id);
  userTimer ??= setTimeout(async () => {
    userTimer = null;
    const ids = [...wanted];
    const found = await Promise.all(ids.map((u) => api.user(u).catch(() => null)));
    const s = getStore();
    const users = { ...s.data.users };
    for (const u of found) if (u) users[u.id] = u;
    setStore({ data: { ...s.data, users } });
  }, 50);
}

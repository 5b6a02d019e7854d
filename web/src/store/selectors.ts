// Derived views of the state: names, sidebar order, counts.
import type { MyChannel, User } from '@parley/protocol';
import type { ClientState } from '@parley/protocol/reducer';

export function userName(u: User | undefined): string {
  return u ? u.displayName || u.username : 'Someone';
}

export function dmPartners(c: MyChannel, s: ClientState): string[] {
  return (c.dmUserIds ?? []).filter((id) => id !== s.me);
}

export function channelTitle(c: MyChannel | undefined, s: ClientState): string {
  if (!c) return '';
  if (c.kind === 'public' || c.kind === 'private') return c.name ?? '';
  const others = dmPartners(c, s);
  if (others.length === 0) return `${userName(s.users[s.me])} (you)`;
  return others.map((id) => userName(s.users[id])).join(', ');
}

/** "#general", "Alice", "Alice, Bob": how a channel is named in titles and labels. */
export function channelLabel(c: MyChannel | undefined, s: ClientState): string {
  if (!c) return '';
  return c.kind === 'public' || c.kind === 'private' ? `#${c.name}` : channelTitle(c, s);
}

export function isDm(c: MyChannel): boolean {
  return c.kind === 'dm' || c.kind === 'group';
}

export interface SidebarLists {
  channels: MyChannel[];
  dms: MyChannel[];
}

export function sidebarLists(s: ClientState): SidebarLists {
  const all = Object.values(s.channels);
  const channels = all.filter((c) => !isDm(c)).sort((a, b) => (a.name ?? '').localeCompare(b.name ?? ''));
  const dms = all.filter(isDm).sort((a, b) => channelTitle(a, s).localeCompare(channelTitle(b, s)));
  return { channels, dms };
}

/** Sidebar order, for Alt+Up/Down. */
export function sidebarOrder(s: ClientState, collapsed: Record<string, boolean> = {}): MyChannel[] {
  const { channels, dms } = sidebarLists(s);
  return [...(collapsed.channels ? [] : channels), ...(collapsed.dms ? [] : dms)];
}

export function unreadThreads(s: ClientState): number {
  return Object.values(s.threads).filter((t) => t.unreadReplies > 0).length;
}

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

export function initials(u: User | undefined): string {
  const name = userName(u).trim();
  // By user-perceived characters, so an accented letter or an emoji is never cut in half.
  const chars = (s: string) => Array.from(segmenter.segment(s), (x) => x.segment);
  const parts = name.split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? chars(parts[0]!)[0]! + chars(parts[parts.length - 1]!)[0]! : chars(name).slice(0, 2).join('');
  return letters.toUpperCase();
}

/** A stable colour per user, for avatars: a palette of distinct, readable hues. */
const PALETTE = ['#2f6fdf', '#e0565b', '#1f9d74', '#8e52d6', '#d97b18', '#1d8fb0', '#c2417f', '#5a8f2a', '#6b5fd3', '#b5533c'];
export function userColor(id: string): string {
  // FNV-1a over the id's last characters (UUIDv7 ids share their time prefix).
  let h = 0x811c9dc5;
  for (let i = Math.max(0, id.length - 12); i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return PALETTE[(h >>> 0) % PALETTE.length]!;
}

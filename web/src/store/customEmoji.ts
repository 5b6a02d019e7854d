// The workspace's custom emoji. They live in the client state (`data.customEmoji`): fetched
// with everything else at bootstrap and kept current by `emoji.updated` through the shared
// reducer, so every picker, message and reaction shows an addition or removal at once.
import type { CustomEmoji } from '@parley/protocol';
import { del, get, postForm } from '../api/http';
import { getStore, setStore, useStore } from './store';

const EMPTY: Record<string, CustomEmoji> = {};

export const fetchCustomEmoji = () => get<{ emoji: CustomEmoji[] }>('/emoji');

export function byName(list: CustomEmoji[]): Record<string, CustomEmoji> {
  return Object.fromEntries(list.map((e) => [e.name, e]));
}

/** All custom emoji, by name (re-renders when one is added or removed). */
export function useCustomEmoji(): Record<string, CustomEmoji> {
  return useStore((s) => s.data.customEmoji ?? EMPTY);
}

/** One custom emoji by shortcode (`partyparrot`, skin tones ignored), or undefined. */
export function useCustomEmojiNamed(shortcode: string): CustomEmoji | undefined {
  const name = shortcode.split('::')[0]!;
  return useStore((s) => s.data.customEmoji?.[name]);
}

/** Custom emoji whose name starts with the query first, then those containing it. */
export function searchCustomEmoji(query: string, limit = 50, all: Record<string, CustomEmoji> = getStore().data.customEmoji ?? EMPTY): CustomEmoji[] {
  const q = query.toLowerCase().replace(/^:|:$/g, '');
  const list = Object.values(all).sort((a, b) => a.name.localeCompare(b.name));
  if (!q) return list.slice(0, limit);
  const starts = list.filter((e) => e.name.startsWith(q));
  const contains = list.filter((e) => !e.name.startsWith(q) && e.name.includes(q));
  return [...starts, ...contains].slice(0, limit);
}

/** Whether the signed-in person may add emoji (the server's rule, mirrored to show the button). */
export function useCanAddEmoji(): boolean {
  return useStore((s) => {
    const role = s.data.users[s.data.me]?.role;
    return role === 'admin' || (role === 'member' && !!s.workspace?.membersCanAddEmoji);
  });
}

/** Whether the signed-in person may remove this emoji: admins, and whoever added it. */
export function canDeleteEmoji(e: CustomEmoji): boolean {
  const s = getStore();
  return s.data.users[s.data.me]?.role === 'admin' || e.userId === s.data.me;
}

function remember(name: string, emoji: CustomEmoji | null): void {
  // The event will say the same; applying the answer now makes the dialog update at once.
  const s = getStore();
  const next = { ...(s.data.customEmoji ?? {}) };
  if (emoji) next[name] = emoji;
  else delete next[name];
  setStore({ data: { ...s.data, customEmoji: next } });
}

export async function addCustomEmoji(name: string, image: File): Promise<CustomEmoji> {
  const form = new FormData();
  form.append('name', name);
  form.append('image', image, image.name);
  const added = await postForm<CustomEmoji>('/emoji', form);
  remember(added.name, added);
  return added;
}

export async function deleteCustomEmoji(name: string): Promise<void> {
  await del<void>(`/emoji/${encodeURIComponent(name)}`);
  remember(name, null);
}

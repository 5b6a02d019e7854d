// Emoji by Slack-compatible shortcode. A handful of common ones are built in so reactions
// render at once; the full table (~1,900 emoji, generated at build time from
// emoji-datasource) is a separate chunk loaded after start-up.
import { useSyncExternalStore } from 'react';
import { load, save } from '../lib/storage';

export interface EmojiEntry {
  char: string;
  /** The preferred shortcode, then aliases. */
  names: string[];
  category: number;
  label: string;
}

const BUILT_IN: Record<string, string> = {
  '+1': '👍', thumbsup: '👍', '-1': '👎', thumbsdown: '👎', white_check_mark: '✅', eyes: '👀', tada: '🎉',
  heart: '❤️', joy: '😂', smile: '😄', slightly_smiling_face: '🙂', raised_hands: '🙌', pray: '🙏', fire: '🔥',
  '100': '💯', rocket: '🚀', wave: '👋', thinking_face: '🤔', clap: '👏', ok_hand: '👌', grinning: '😀',
  speech_balloon: '💬', memo: '📝', sparkles: '✨', x: '❌', warning: '⚠️', coffee: '☕', palm_tree: '🌴',
  house: '🏠', calendar: '📆', spiral_calendar_pad: '🗓️', face_with_thermometer: '🤒', car: '🚗',
};

export const QUICK_REACTIONS = ['white_check_mark', 'eyes', 'raised_hands'];
export const DEFAULT_RECENTS = ['+1', 'white_check_mark', 'eyes', 'tada', 'heart', 'joy', 'raised_hands', 'pray', 'fire', 'rocket'];

let byName = new Map<string, EmojiEntry>();
let all: EmojiEntry[] = [];
let categories: string[] = [];
let ready = false;
let loading: Promise<void> | null = null;
const listeners = new Set<() => void>();

export function loadEmoji(): Promise<void> {
  loading ??= import('./data.gen.json').then((mod) => {
    const data = (mod.default ?? mod) as { categories: string[]; emoji: [string, string, number, string][] };
    categories = data.categories;
    all = data.emoji.map(([char, names, category, label]) => ({ char, names: names.split(' '), category, label }));
    byName = new Map();
    for (const e of all) for (const n of e.names) byName.set(n, e);
    ready = true;
    listeners.forEach((l) => l());
  }).catch(() => {
    loading = null;
  });
  return loading;
}

/** Re-renders the caller once the full table has arrived. */
export function useEmojiReady(): boolean {
  return useSyncExternalStore((l) => {
    listeners.add(l);
    return () => listeners.delete(l);
  }, () => ready);
}

/** The character for a shortcode (`wave`, `+1`, `wave::skin-tone-3`), or null when unknown. */
export function emojiChar(shortcode: string): string | null {
  const base = shortcode.split('::')[0]!;
  return byName.get(base)?.char ?? BUILT_IN[base] ?? null;
}

export function emojiCategories(): string[] {
  return categories;
}

export function allEmoji(): EmojiEntry[] {
  return all;
}

/** Prefix matches on any shortcode first, then matches inside names and descriptions. */
export function searchEmoji(query: string, limit = 50): EmojiEntry[] {
  const q = query.toLowerCase().replace(/^:|:$/g, '');
  if (!q) return [];
  const starts: EmojiEntry[] = [];
  const contains: EmojiEntry[] = [];
  for (const e of all) {
    if (e.names.some((n) => n.startsWith(q))) starts.push(e);
    else if (e.names.some((n) => n.includes(q)) || e.label.includes(q)) contains.push(e);
    if (starts.length >= limit) break;
  }
  return [...starts, ...contains].slice(0, limit);
}

export function recentEmoji(): string[] {
  return load<string[]>('recentEmoji', DEFAULT_RECENTS);
}

export function rememberEmoji(name: string): void {
  save('recentEmoji', [name, ...recentEmoji().filter((n) => n !== name)].slice(0, 24));
}

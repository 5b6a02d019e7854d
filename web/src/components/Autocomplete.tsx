// Suggestions while typing: `@` people (and @channel, @here), `#` channels, `:` emoji.
import type { MyChannel, User } from '@parley/protocol';
import { searchEmoji } from '../emoji/emoji';
import { searchCustomEmoji } from '../store/customEmoji';
import { CustomEmojiImage } from './emoji/EmojiGlyph';
import { userName } from '../store/selectors';
import { Avatar } from './Avatar';

export interface Trigger {
  char: '@' | '#' | ':';
  query: string;
  /** Where the trigger character is in the text. */
  start: number;
  end: number;
}

export interface Suggestion {
  id: string;
  insert: string;
  label: React.ReactNode;
  hint?: string;
}

/** The token being typed at the caret, if it is a trigger. */
export function findTrigger(text: string, caret: number): Trigger | null {
  const before = text.slice(0, caret);
  const m = /(^|[\s([{])([@#:])([\w.+-]*)$/.exec(before);
  if (!m) return null;
  const char = m[2] as Trigger['char'];
  const query = m[3]!;
  if (char === ':' && query.length < 2) return null;
  return { char, query, start: caret - query.length - 1, end: caret };
}

export function suggestionsFor(t: Trigger, users: User[], channels: MyChannel[], me: string, presence: Record<string, string>): Suggestion[] {
  const q = t.query.toLowerCase();
  if (t.char === '@') {
    const people = users
      .filter((u) => !u.deactivated && (u.username.toLowerCase().startsWith(q) || u.displayName.toLowerCase().split(/\s+/).some((w) => w.startsWith(q))))
      .sort((a, b) => Number(b.id !== me) - Number(a.id !== me) || a.username.localeCompare(b.username))
      .slice(0, 8)
      .map((u): Suggestion => ({
        id: u.id, insert: `@${u.username} `,
        label: <><Avatar user={u} size={20} presence={(presence[u.id] ?? 'offline') as 'online'} /> <strong>{userName(u)}</strong> <span className="muted">@{u.username}</span></>,
      }));
    const special = [['channel', 'Notify everyone in this channel'], ['here', 'Notify everyone online in this channel']]
      .filter(([n]) => n!.startsWith(q))
      .map(([n, hint]): Suggestion => ({ id: n!, insert: `@${n} `, label: <strong>@{n}</strong>, hint }));
    return [...people, ...special];
  }
  if (t.char === '#') {
    return channels
      .filter((c) => c.name && c.name.includes(q))
      .sort((a, b) => Number(b.name!.startsWith(q)) - Number(a.name!.startsWith(q)) || a.name!.localeCompare(b.name!))
      .slice(0, 8)
      .map((c) => ({ id: c.id, insert: `#${c.name} `, label: <><span className="muted">{c.kind === 'private' ? '🔒' : '#'}</span> {c.name}</>, hint: c.topic }));
  }
  // The workspace's own emoji first: they are what people come to the picker for.
  const custom = searchCustomEmoji(q, 8).map((e): Suggestion => ({
    id: `custom:${e.name}`, insert: `:${e.name}: `,
    label: <><span className="ac-emoji"><CustomEmojiImage name={e.name} url={e.url} /></span> :{e.name}:</>,
  }));
  const standard = searchEmoji(q, 8).filter((e) => !custom.some((c) => c.id === `custom:${e.names[0]}`)).map((e): Suggestion => ({
    id: e.names[0]!, insert: `:${e.names[0]}: `,
    label: <><span className="ac-emoji">{e.char}</span> :{e.names[0]}:</>,
  }));
  return [...custom, ...standard].slice(0, 8);
}

export function AutocompleteList({ id, items, active, onPick }: { id: string; items: Suggestion[]; active: number; onPick: (s: Suggestion) => void }) {
  return (
    <ul className="autocomplete" id={id} role="listbox" aria-label="Suggestions">
      {items.map((s, i) => (
        <li key={s.id} id={`${id}-${i}`} role="option" aria-selected={i === active} className={i === active ? 'ac-item ac-item--active' : 'ac-item'}
          onMouseDown={(e) => { e.preventDefault(); onPick(s); }}>
          <span className="ac-item__label">{s.label}</span>
          {s.hint && <span className="ac-item__hint">{s.hint}</span>}
        </li>
      ))}
    </ul>
  );
}


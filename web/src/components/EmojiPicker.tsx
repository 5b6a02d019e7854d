// The emoji picker: search by shortcode or name, recently used first, then by category.
import { useEffect, useMemo, useState } from 'react';
import { allEmoji, emojiCategories, emojiChar, loadEmoji, recentEmoji, rememberEmoji, searchEmoji, useEmojiReady, type EmojiEntry } from '../emoji/emoji';
import { searchCustomEmoji, useCanAddEmoji, useCustomEmoji } from '../store/customEmoji';
import { openDialog } from '../store/ui';
import { CustomEmojiImage, EmojiGlyph } from './emoji/EmojiGlyph';
import { Popover } from './Popover';

const CATEGORY_ICONS = ['😀', '👋', '🐻', '🍔', '✈️', '⚽', '💡', '❤️', '🏳️'];

export function EmojiPicker({ anchor, onPick, onClose }: { anchor: HTMLElement | null; onPick: (shortcode: string) => void; onClose: () => void }) {
  const ready = useEmojiReady();
  const [query, setQuery] = useState('');
  const [hover, setHover] = useState<string | null>(null);
  const customAll = useCustomEmoji();
  const canAdd = useCanAddEmoji();
  useEffect(() => void loadEmoji(), []);

  const results = useMemo(() => (query ? searchEmoji(query, 120) : null), [query, ready]); // eslint-disable-line react-hooks/exhaustive-deps
  const custom = useMemo(() => searchCustomEmoji(query, 500, customAll), [query, customAll]);
  const groups = useMemo(() => {
    const cats = emojiCategories();
    const by: EmojiEntry[][] = cats.map(() => []);
    for (const e of allEmoji()) by[e.category]?.push(e);
    return cats.map((name, i) => ({ name, items: by[i]! }));
  }, [ready]);

  const pick = (name: string) => {
    rememberEmoji(name);
    onPick(name);
    onClose();
  };
  const button = (name: string, char: React.ReactNode) => (
    <button key={name} type="button" className="emoji-btn" title={`:${name}:`} aria-label={name.replace(/_/g, ' ')}
      onClick={() => pick(name)} onMouseEnter={() => setHover(name)} onFocus={() => setHover(name)}>{char}</button>
  );
  const customButtons = custom.map((e) => button(e.name, <CustomEmojiImage name={e.name} url={e.url} />));
  const addEmoji = () => {
    onClose();
    openDialog({ kind: 'customEmoji' });
  };

  return (
    <Popover anchor={anchor} onClose={onClose} label="Emoji picker" className="emoji-picker">
      <input className="emoji-picker__search" type="search" placeholder="Search emoji" aria-label="Search emoji" value={query}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={(e) => {
          const first = custom[0]?.name ?? results?.[0]?.names[0];
          if (e.key === 'Enter' && query && first) {
            e.preventDefault();
            pick(first);
          }
        }} />
      <div className="emoji-picker__body">
        {results ? (
          <section>
            <h3>Search results</h3>
            <div className="emoji-grid">
              {customButtons}
              {results.length === 0 && custom.length === 0 ? <p className="muted">No emoji found.</p>
                : results.filter((e) => !customAll[e.names[0]!]).map((e) => button(e.names[0]!, e.char))}
            </div>
          </section>
        ) : (
          <>
            {custom.length > 0 && (
              <section aria-label="Custom emoji">
                <h3>Custom</h3>
                <div className="emoji-grid">{customButtons}</div>
              </section>
            )}
            <section>
              <h3>Frequently used</h3>
              <div className="emoji-grid">
                {recentEmoji().map((n) => {
                  if (customAll[n]) return button(n, <CustomEmojiImage name={n} url={customAll[n].url} />);
                  const ch = emojiChar(n);
                  return ch ? button(n, ch) : null;
                })}
              </div>
            </section>
            {!ready && <p className="muted">Loading emoji…</p>}
            {groups.map((g, i) => (
              <section key={g.name} id={`emoji-cat-${i}`}>
                <h3>{g.name}</h3>
                <div className="emoji-grid">{g.items.map((e) => button(e.names[0]!, e.char))}</div>
              </section>
            ))}
          </>
        )}
      </div>
      <footer className="emoji-picker__footer">
        {hover ? <><span className="emoji-picker__preview"><EmojiGlyph name={hover} /></span> <code>:{hover}:</code></> : (
          <nav aria-label="Emoji categories" className="emoji-picker__cats">
            {CATEGORY_ICONS.slice(0, emojiCategories().length).map((icon, i) => (
              <button key={i} type="button" className="emoji-btn emoji-btn--small" title={emojiCategories()[i]} aria-label={emojiCategories()[i]}
                onClick={() => document.getElementById(`emoji-cat-${i}`)?.scrollIntoView()}>{icon}</button>
            ))}
          </nav>
        )}
        {canAdd && <button type="button" className="btn btn--small emoji-picker__add" onClick={addEmoji}>Add emoji</button>}
      </footer>
    </Popover>
  );
}

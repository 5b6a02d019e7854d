// The search box in the channel header (Ctrl/Cmd+G focuses it). While typing it suggests
// filters and their values; Enter runs the search and opens the results panel.
import { useId, useMemo, useRef, useState } from 'react';
import { Icon } from '../../components/Icon';
import { useStore } from '../../store/store';
import { reopenSearch, runSearch, useSearch } from './searchStore';
import { applySuggestion, searchSuggestions, type SearchSuggestion } from './suggestions';

const ICONS: Record<SearchSuggestion['kind'], string> = { filter: '⚲', user: '@', channel: '#', date: '◷' };

/** Focuses the search box (the keyboard shortcut). */
export function focusSearch(): void {
  document.querySelector<HTMLInputElement>('.search-box__input')?.focus();
}

export function SearchBox() {
  const lastQuery = useSearch((s) => s.query);
  const [text, setText] = useState(lastQuery);
  const [caret, setCaret] = useState(0);
  const [focused, setFocused] = useState(false);
  // -1: nothing chosen, so Enter searches; arrows choose a suggestion.
  const [active, setActive] = useState(-1);
  const [dismissed, setDismissed] = useState(false);
  const ref = useRef<HTMLInputElement>(null);
  const listId = useId();
  const users = useStore((s) => s.data.users);
  const channels = useStore((s) => s.data.channels);
  const me = useStore((s) => s.data.me);

  const suggestions = useMemo(
    () => (focused && !dismissed ? searchSuggestions(text, caret, { users: Object.values(users), channels: Object.values(channels), me, now: new Date() }) : []),
    [focused, dismissed, text, caret, users, channels, me],
  );
  const open = suggestions.length > 0;

  const edit = (value: string, at: number) => {
    setText(value);
    setCaret(at);
    setActive(-1);
    setDismissed(false);
  };

  const choose = (s: SearchSuggestion) => {
    const next = applySuggestion(text, caret, s);
    edit(next.text, next.caret);
    requestAnimationFrame(() => {
      ref.current?.focus();
      ref.current?.setSelectionRange(next.caret, next.caret);
    });
  };

  const submit = () => {
    if (!text.trim()) return;
    setDismissed(true);
    // On a phone the box covers the top of the screen while focused: step aside for the results.
    if (matchMedia('(max-width: 768px)').matches) ref.current?.blur();
    void runSearch(text);
  };

  const onKeyDown = (e: React.KeyboardEvent<HTMLInputElement>) => {
    if (open && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
      e.preventDefault();
      const n = suggestions.length;
      setActive((a) => (e.key === 'ArrowDown' ? (a + 1) % n : a <= 0 ? n - 1 : a - 1));
    } else if (open && e.key === 'Tab' && !e.shiftKey) {
      e.preventDefault();
      choose(suggestions[Math.max(0, active)]!);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      if (open && active >= 0) choose(suggestions[active]!);
      else submit();
    } else if (e.key === 'Escape') {
      e.stopPropagation();
      if (open) setDismissed(true);
      else ref.current?.blur();
    }
  };

  return (
    <div className="search-box" role="search">
      <Icon name="search" size={15} className="search-box__icon" />
      <input ref={ref} className="search-box__input" type="search" placeholder="Search" aria-label="Search messages" value={text}
        role="combobox" aria-expanded={open} aria-autocomplete="list" aria-controls={open ? listId : undefined}
        aria-activedescendant={open && active >= 0 ? `${listId}-${active}` : undefined}
        onChange={(e) => edit(e.target.value, e.target.selectionStart ?? e.target.value.length)}
        onSelect={(e) => setCaret(e.currentTarget.selectionStart ?? 0)}
        onFocus={(e) => { setFocused(true); setCaret(e.currentTarget.selectionStart ?? 0); if (text.trim() && text.trim() === lastQuery) reopenSearch(); }}
        onBlur={() => { setFocused(false); setDismissed(false); }}
        onKeyDown={onKeyDown} />
      <kbd className="search-box__kbd" aria-hidden="true">Ctrl G</kbd>
      {open && (
        <ul className="search-suggestions" id={listId} role="listbox" aria-label="Search suggestions">
          {suggestions.map((s, i) => (
            <li key={s.id} id={`${listId}-${i}`} role="option" aria-selected={i === active} data-kind={s.kind}
              className={i === active ? 'search-suggestions__item search-suggestions__item--active' : 'search-suggestions__item'}
              onMouseDown={(e) => { e.preventDefault(); choose(s); }} onMouseMove={() => setActive(i)}>
              <span className="search-suggestions__icon" aria-hidden="true">{ICONS[s.kind]}</span>
              <span className="search-suggestions__label">{s.label}</span>
              <span className="search-suggestions__detail">{s.detail}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

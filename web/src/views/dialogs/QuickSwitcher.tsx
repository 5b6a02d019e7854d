// Ctrl/Cmd+K: jump to any of my channels or any person (opening the DM).
import { useMemo, useState } from 'react';
import { Avatar } from '../../components/Avatar';
import { Icon } from '../../components/Icon';
import { Modal } from '../../components/Modal';
import { channelPath, navigate } from '../../lib/router';
import { openDm } from '../../store/actions';
import { channelTitle, userName } from '../../store/selectors';
import { useStore } from '../../store/store';
import { closeDialog } from '../../store/ui';

interface Option { id: string; label: string; detail: string; icon: React.ReactNode; score: number; go: () => void }

export function QuickSwitcher() {
  const data = useStore((s) => s.data);
  const [q, setQ] = useState('');
  const [active, setActive] = useState(0);

  const options = useMemo(() => {
    const query = q.trim().toLowerCase().replace(/^[#@]/, '');
    const score = (s: string) => (!query ? 1 : s.toLowerCase().startsWith(query) ? 3 : s.toLowerCase().includes(query) ? 2 : 0);
    const out: Option[] = [];
    const dmWith = new Set<string>();
    for (const c of Object.values(data.channels)) {
      const title = channelTitle(c, data);
      if (c.kind === 'dm') (c.dmUserIds ?? []).forEach((u) => u !== data.me && dmWith.add(u));
      const sc = score(title) + (c.unreadCount > 0 ? 0.5 : 0);
      if (query && sc < 1) continue;
      out.push({
        id: c.id, label: title, detail: c.kind === 'public' || c.kind === 'private' ? c.topic : 'Direct message', score: sc,
        icon: <Icon name={c.kind === 'private' ? 'lock' : c.kind === 'public' ? 'hash' : 'users'} size={16} />,
        go: () => navigate(channelPath(c.id)),
      });
    }
    if (query) {
      for (const u of Object.values(data.users)) {
        if (u.deactivated || dmWith.has(u.id) || u.id === data.me) continue;
        const sc = Math.max(score(u.username), score(u.displayName));
        if (sc < 1) continue;
        out.push({ id: u.id, label: userName(u), detail: `@${u.username}`, score: sc - 0.1, icon: <Avatar user={u} size={18} />, go: () => void openDm([u.id]) });
      }
    }
    return out.sort((a, b) => b.score - a.score || a.label.localeCompare(b.label)).slice(0, 12);
  }, [q, data]);

  const go = (o: Option | undefined) => {
    if (!o) return;
    closeDialog();
    o.go();
  };

  return (
    <Modal title="Jump to…" onClose={closeDialog} className="switcher">
      <input className="switcher__input" autoFocus placeholder="Channel or person" aria-label="Find a channel or person" value={q}
        role="combobox" aria-expanded="true" aria-controls="switcher-list" aria-activedescendant={options[active] ? `sw-${options[active]!.id}` : undefined}
        onChange={(e) => { setQ(e.target.value); setActive(0); }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
            e.preventDefault();
            setActive((a) => (a + (e.key === 'ArrowDown' ? 1 : -1) + options.length) % Math.max(1, options.length));
          } else if (e.key === 'Enter') {
            e.preventDefault();
            go(options[active]);
          }
        }} />
      <ul className="switcher__list" id="switcher-list" role="listbox" aria-label="Matches">
        {options.map((o, i) => (
          <li key={o.id} id={`sw-${o.id}`} role="option" aria-selected={i === active} className={i === active ? 'switcher__item switcher__item--active' : 'switcher__item'}
            onMouseMove={() => setActive(i)} onClick={() => go(o)}>
            {o.icon} <span className="switcher__label">{o.label}</span> <span className="muted switcher__detail">{o.detail}</span>
          </li>
        ))}
        {options.length === 0 && <li className="muted switcher__empty">No matches.</li>}
      </ul>
    </Modal>
  );
}

// Pick people by name: a search box and chips.
import type { User } from '@parley/protocol';
import { useMemo, useState } from 'react';
import { Avatar, PresenceDot } from '../../components/Avatar';
import { Icon } from '../../components/Icon';
import { usePresenceWatch } from '../../store/presence';
import { userName } from '../../store/selectors';
import { useStore } from '../../store/store';

export function PeoplePicker({ picked, setPicked, exclude = [], max, onlyWhenSearching, placeholder }: {
  picked: string[]; setPicked: (ids: string[]) => void; exclude?: string[]; max?: number;
  /** Show matches only once something is typed (adding people to a long member list). */
  onlyWhenSearching?: boolean; placeholder?: string;
}) {
  const users = useStore((s) => s.data.users);
  const presence = useStore((s) => s.data.presence);
  const [q, setQ] = useState('');
  const matches = useMemo(() => {
    const query = q.toLowerCase().replace(/^@/, '');
    return Object.values(users)
      .filter((u: User) => !u.deactivated && !exclude.includes(u.id) && !picked.includes(u.id))
      .filter((u) => !query || u.username.toLowerCase().includes(query) || u.displayName.toLowerCase().includes(query))
      .sort((a, b) => userName(a).localeCompare(userName(b)))
      .slice(0, 30);
  }, [users, q, picked, exclude]);
  const showList = !onlyWhenSearching || q.trim() !== '';
  usePresenceWatch(showList ? matches.map((u) => u.id) : []);
  const full = max !== undefined && picked.length >= max;

  return (
    <div className="people-picker">
      <div className="chips">
        {picked.map((id) => (
          <span key={id} className="chip">
            <Avatar user={users[id]} size={18} /> {userName(users[id])}
            <button type="button" aria-label={`Remove ${userName(users[id])}`} onClick={() => setPicked(picked.filter((x) => x !== id))}><Icon name="close" size={12} /></button>
          </span>
        ))}
        <input autoFocus placeholder={picked.length ? 'Add another…' : placeholder ?? 'Type a name'} aria-label="Find people" value={q}
          disabled={full} onChange={(e) => setQ(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && matches[0] && !full) { e.preventDefault(); setPicked([...picked, matches[0].id]); setQ(''); }
            if (e.key === 'Backspace' && !q && picked.length) setPicked(picked.slice(0, -1));
          }} />
      </div>
      {showList && <ul className="pick-list" role="listbox" aria-label="People" aria-multiselectable="true">
        {matches.map((u) => (
          <li key={u.id} role="option" aria-selected={false} className="pick-list__item pick-list__item--person"
            onClick={() => { if (!full) { setPicked([...picked, u.id]); setQ(''); } }}>
            <span className="sidebar__avatar"><Avatar user={u} size={28} /><PresenceDot status={presence[u.id] ?? 'offline'} /></span>
            <span className="pick-list__title">{userName(u)}</span> <span className="muted">@{u.username}</span>
          </li>
        ))}
        {matches.length === 0 && <li className="muted">No one else matches.</li>}
      </ul>}
    </div>
  );
}

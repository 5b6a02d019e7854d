// Browse public channels and join them.
import type { Channel } from '@parley/protocol';
import { useEffect, useState } from 'react';
import { api } from '../../api/endpoints';
import { Icon } from '../../components/Icon';
import { Modal } from '../../components/Modal';
import { channelPath, navigate } from '../../lib/router';
import { joinChannel } from '../../store/actions';
import { useStore } from '../../store/store';
import { closeDialog, openDialog } from '../../store/ui';

export function BrowseChannels() {
  const [q, setQ] = useState('');
  const [list, setList] = useState<Channel[] | null>(null);
  const mine = useStore((s) => s.data.channels);

  useEffect(() => {
    const t = setTimeout(() => api.browse(q).then((r) => setList(r.channels), () => setList([])), q ? 200 : 0);
    return () => clearTimeout(t);
  }, [q]);

  const all = [...(list ?? [])].sort((a, b) => (a.name ?? '').localeCompare(b.name ?? ''));
  return (
    <Modal title="Browse channels" onClose={closeDialog} wide>
      <div className="modal__body">
        <div className="search-row">
          <input type="search" autoFocus placeholder="Search channels" aria-label="Search channels" value={q} onChange={(e) => setQ(e.target.value)} />
          <button type="button" className="btn" onClick={() => openDialog({ kind: 'createChannel' })}>Create channel</button>
        </div>
        <ul className="pick-list" role="list" aria-label="Public channels">
          {list === null && <li className="muted">Loading…</li>}
          {list !== null && all.length === 0 && <li className="muted">No channels to join{q ? ' match' : ''}.</li>}
          {all.map((c) => {
            const joined = !!mine[c.id];
            return (
              <li key={c.id} className="pick-list__item">
                <button type="button" className="pick-list__main" onClick={() => { closeDialog(); navigate(channelPath(c.id)); }}>
                  <span className="pick-list__title"><Icon name="hash" size={14} /> {c.name}</span>
                  <span className="muted">{c.memberCount} {c.memberCount === 1 ? 'member' : 'members'}{c.topic ? ` · ${c.topic}` : ''}</span>
                </button>
                {joined ? <span className="muted">Joined</span> : (
                  <button type="button" className="btn btn--small btn--primary" onClick={() => { closeDialog(); void joinChannel(c.id); }}>Join</button>
                )}
              </li>
            );
          })}
        </ul>
      </div>
    </Modal>
  );
}
